//! Invitations for invite-only surveys. An admin creates codes, short enough to read
//! over a phone. The database keeps only keyed hashes of them, under a secret that is not
//! in the database: the key file ([`CodeKey`], `NANSEN_KEY_FILE`). A respondent's browser
//! exchanges a code, once, for a blind signature (RFC 9474) on a message the server never
//! sees, and answers with the unblinded signature (see `nansen_shared::invite`). Without
//! JavaScript, the form takes the code directly.
//!
//! Whoever holds the printed list of codes and a copy of the database must not learn
//! which codes were used. So a code's row in `invites` (its hash under the key file) is
//! never changed by its use; a use is recorded in `invites_used` under another keyed
//! hash of the code, which shares no value with that row. Without the key file neither
//! can be computed from a code, and the rows of both lie in hash order: a copy tells how
//! many codes were made and used, not which.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blind_rsa_signatures::{DefaultRng, KeyPair, SecretKey};
use diesel::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use nansen_shared::SurveyStatus;
use nansen_shared::invite::{CODE_ALPHABET, CODE_LENGTH, InviteError, InviteKey, Signed, normalise_code};
use sha2::{Digest, Sha256};

use crate::http::problem::ApiError;
use crate::http::throttle::Throttle;
use crate::storage::schema::{invite_keys, invites, invites_used, secrets, surveys};
use crate::storage::{self, Conn, Pool};

/// RSA modulus size for new survey keys.
const KEY_BITS: usize = 2048;
/// The most codes made at once.
pub const MAX_CODES: usize = 10_000;

/// The key file's length: 32 random bytes, nothing else.
pub const KEY_BYTES: usize = 32;
/// Where the database keeps its check of the key file (`secrets.name`).
const CHECK_NAME: &str = "key_file_check";
/// What each keyed hash is of, so that none can pass for another.
const CODE_LABEL: &[u8] = b"nansen invite code\0";
const USED_LABEL: &[u8] = b"nansen invite used\0";
const CHECK_LABEL: &[u8] = b"nansen key file check\0";

/// The server's secret for invite codes, read from the key file at every start. It is
/// kept out of the database so that a copy of the database (a stolen disk, a backup, a
/// hosting company's snapshot) cannot turn a code into its row: HMAC-SHA-256 under it
/// replaces the argon2id hashes under a salt stored beside them.
#[derive(Clone)]
pub struct CodeKey([u8; KEY_BYTES]);

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(..)")
    }
}

impl CodeKey {
    /// Reads the key file at `path` (`NANSEN_KEY_FILE`), making it on first start, and
    /// checks it against the database. The database keeps a check value (an HMAC of a
    /// fixed label under the key, which says nothing of the key itself), stored at first
    /// start: an instance whose file is not the same, or which has none, refuses to start
    /// rather than make a key of its own, under which no code could be checked. Run under
    /// [`storage::exclusively`], so that instances starting together make one file.
    pub fn open(conn: &mut Conn, path: &Path) -> anyhow::Result<Self> {
        let stored: Option<Vec<u8>> = secrets::table
            .filter(secrets::name.eq(CHECK_NAME))
            .select(secrets::value)
            .first(conn)
            .optional()?;
        let key = match read_key(path)? {
            Some(key) => key,
            None if stored.is_some() => anyhow::bail!(
                "the key file {} (NANSEN_KEY_FILE) does not exist, but this database was set up \
                 with one: copy it there from the server instance that started first, or from a \
                 backup, or set NANSEN_KEY_FILE to where it is. Only that file can check the \
                 invite codes made so far; if it is lost for good, delete its check with \
                 `DELETE FROM secrets WHERE name = '{CHECK_NAME}'` and make new codes",
                shown(path)
            ),
            None => create_key(path)?,
        };
        let check = key.mac(CHECK_LABEL, &[]).to_vec();
        match stored {
            None => {
                diesel::insert_into(secrets::table)
                    .values((secrets::name.eq(CHECK_NAME), secrets::value.eq(&check)))
                    .execute(conn)?;
            }
            Some(stored) if stored == check => {}
            Some(_) => anyhow::bail!(
                "the key file {} (NANSEN_KEY_FILE) is not the one this database was set up with. \
                 Every server instance on one database needs a copy of the same key file: copy it \
                 from the instance that started first (or from a backup) over this one, or set \
                 NANSEN_KEY_FILE to where it is",
                shown(path)
            ),
        }
        Ok(key)
    }

    fn mac(&self, label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(label);
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// A code's row in `invites`: HMAC(key, "nansen invite code\0" ‖ survey id (8 bytes,
    /// big-endian) ‖ the code in canonical form).
    fn code_hash(&self, survey_id: i64, code: &str) -> [u8; 32] {
        self.mac(CODE_LABEL, &[&survey_id.to_be_bytes(), code.as_bytes()])
    }

    /// A used code's row in `invites_used`: as [`Self::code_hash`], under another label.
    fn used_hash(&self, survey_id: i64, code: &str) -> [u8; 32] {
        self.mac(USED_LABEL, &[&survey_id.to_be_bytes(), code.as_bytes()])
    }
}

/// A path as messages name it: absolute, so that an operator knows which file is meant
/// whatever the directory the server was started from.
fn shown(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned()).display().to_string()
}

/// The key file's key, or `None` if there is no file.
fn read_key(path: &Path) -> anyhow::Result<Option<CodeKey>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => anyhow::bail!(
            "could not read the key file {} (NANSEN_KEY_FILE): {e}. The server needs it to \
             check invite codes; let the server's user read it",
            shown(path)
        ),
    };
    let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|bytes: Vec<u8>| {
        anyhow::anyhow!(
            "the key file {} (NANSEN_KEY_FILE) holds {} bytes, not {KEY_BYTES}: it is damaged, or \
             not Nansen's. Restore it from a backup or from another instance on this database",
            shown(path),
            bytes.len()
        )
    })?;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            "the key file {} can be read by other users than the server's: chmod 600 it",
            shown(path)
        );
    }
    Ok(Some(CodeKey(key)))
}

/// Makes the key file: 32 random bytes, readable by the server's user only (0600). It
/// is written whole to a file of its own, then linked to `path`, which fails if `path`
/// exists: an existing key file is never overwritten, and nobody ever reads half of one.
fn create_key(path: &Path) -> anyhow::Result<CodeKey> {
    let failed = |e: std::io::Error| {
        anyhow::anyhow!("could not create the key file {} (NANSEN_KEY_FILE): {e}", shown(path))
    };
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}.partial", std::process::id()));
    let partial = std::path::PathBuf::from(partial);
    // One left by a start that was cut short holds a key nobody uses.
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial)?;
        file.write_all(&key)?;
        file.sync_all()?;
        std::fs::hard_link(&partial, path)
    })();
    let _ = std::fs::remove_file(&partial);
    match written {
        Ok(()) => {
            // The new name reaches the disk too, before anything is hashed under the key.
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(failed)?;
            tracing::info!("created the key file {} for invite codes: back it up", shown(path));
            Ok(CodeKey(key))
        }
        // Made by another process in the meantime: that one is the key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(path)?.ok_or_else(|| failed(e)),
        Err(e) => Err(failed(e)),
    }
}

static KEY: OnceLock<CodeKey> = OnceLock::new();

/// Makes `key` the one codes are hashed with, for the life of the process: set once at
/// start, after [`CodeKey::open`].
pub fn install(key: CodeKey) {
    let _ = KEY.set(key);
}

fn key() -> anyhow::Result<&'static CodeKey> {
    KEY.get().ok_or_else(|| anyhow::anyhow!("the key file for invite codes was not read at start"))
}

#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    #[error("there is no such invite code for this survey")]
    Unknown,
    #[error("this invite code was already used")]
    Used,
    #[error("the blinded message is not valid")]
    Malformed,
    #[error("too many wrong codes: wait {0} s")]
    Throttled(u64),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for RedeemError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Other(error.into())
    }
}

/// The survey's signing key, made on first use (when it is published).
fn keys(conn: &mut Conn, survey_id: i64) -> anyhow::Result<SecretKey> {
    let stored: Option<Vec<u8>> =
        invite_keys::table.find(survey_id).select(invite_keys::secret_key).first(conn).optional()?;
    if let Some(der) = stored {
        return SecretKey::from_der(&der).map_err(|e| anyhow::anyhow!("stored invite key: {e}"));
    }
    let pair = KeyPair::generate(&mut DefaultRng, KEY_BITS).map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    let der = pair.sk.to_der().map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(invite_keys::table)
        .values((invite_keys::survey_id.eq(survey_id), invite_keys::secret_key.eq(&der)))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 0 {
        // Another instance made the key at the same moment: theirs is the survey's.
        return keys(conn, survey_id);
    }
    Ok(pair.sk)
}

/// The public key to publish with an invite-only survey's definition.
pub fn public_key(conn: &mut Conn, survey_id: i64) -> anyhow::Result<InviteKey> {
    let public = keys(conn, survey_id)?.public_key().map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    InviteKey::new(&public).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Keeps survey `survey_id` from being closed until the transaction ends, and returns
/// its status. Closing deletes the survey's invitation data; a code made or used at
/// that very moment must not outlive it. SQLite's write transactions already take turns;
/// on PostgreSQL this is a share lock on the survey's row, which closing updates.
fn hold(conn: &mut Conn, survey_id: i64) -> QueryResult<Option<String>> {
    let status = surveys::table.find(survey_id).select(surveys::status);
    match conn {
        Conn::Pg(c) => status.for_share().first(c).optional(),
        Conn::Sqlite(c) => status.first(c).optional(),
    }
}

/// Makes `count` new codes for the survey and keeps their keyed hashes; the codes
/// themselves are returned this once. A closed survey takes no new codes.
pub fn create(conn: &mut Conn, survey_id: i64, count: usize) -> anyhow::Result<Vec<String>> {
    let key = key()?;
    storage::write(conn, |conn| {
        if hold(conn, survey_id)?.is_none_or(|status| status == SurveyStatus::Closed.as_str()) {
            anyhow::bail!("survey {survey_id} is closed, or gone: it takes no new invite codes");
        }
        let mut codes = Vec::with_capacity(count);
        while codes.len() < count {
            let mut fresh = (codes.len()..count)
                .map(|_| new_code().map(|code| (key.code_hash(survey_id, &code), code)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            // Stored in hash order, not in the order of the list handed out: PostgreSQL
            // keeps rows in the order they came, which would otherwise say which row is
            // which line of the printed list.
            fresh.sort_unstable();
            for (hash, code) in fresh {
                let inserted = crate::per_backend!(conn, |c| diesel::insert_into(invites::table)
                    .values((invites::survey_id.eq(survey_id), invites::code_hash.eq(&hash[..])))
                    .on_conflict_do_nothing()
                    .execute(c))?;
                // A repeat (one chance in 2^50 per pair) is simply drawn again.
                if inserted == 1 {
                    codes.push(display(&code));
                }
            }
        }
        // The list in an order of its own: that of the random codes, sorted.
        codes.sort_unstable();
        anyhow::Ok(codes)
    })
}

fn new_code() -> anyhow::Result<String> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
    // 256 is a multiple of 32, so each byte gives an unbiased character.
    Ok(bytes.iter().map(|b| CODE_ALPHABET[usize::from(*b) % 32] as char).collect())
}

/// "ABCDE-FGHJK".
fn display(code: &str) -> String {
    format!("{}-{}", &code[..5], &code[5..])
}

/// Uses up `typed` for the survey: `Ok` if it was a valid, unused code. Checking and
/// consuming are one transaction, and the used code's row is unique, so a code cannot
/// be used twice at once. `blinded` is the message the code is exchanged for (none for
/// the plain form): asking again for the same one is not a second use, but a retry
/// whose reply was lost.
pub fn consume(
    conn: &mut Conn,
    survey_id: i64,
    typed: &str,
    blinded: Option<&[u8]>,
) -> Result<(), RedeemError> {
    let code = normalise_code(typed).ok_or(RedeemError::Unknown)?;
    let key = key()?;
    let (code_hash, used_hash) = (key.code_hash(survey_id, &code), key.used_hash(survey_id, &code));
    let blinded_hash = blinded.map(|b| Sha256::digest(b).to_vec());
    storage::write(conn, |conn| {
        hold(conn, survey_id)?;
        let known = invites::table
            .filter(invites::survey_id.eq(survey_id))
            .filter(invites::code_hash.eq(&code_hash[..]));
        if !diesel::select(diesel::dsl::exists(known)).get_result::<bool>(conn)? {
            return Err(RedeemError::Unknown);
        }
        let consumed = crate::per_backend!(conn, |c| diesel::insert_into(invites_used::table)
            .values((
                invites_used::survey_id.eq(survey_id),
                invites_used::used_hash.eq(&used_hash[..]),
                invites_used::blinded_hash.eq(&blinded_hash),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if consumed == 1 {
            return Ok(());
        }
        let earlier: Option<Vec<u8>> = invites_used::table
            .filter(invites_used::survey_id.eq(survey_id))
            .filter(invites_used::used_hash.eq(&used_hash[..]))
            .select(invites_used::blinded_hash)
            .first(conn)?;
        match (earlier, blinded_hash) {
            (Some(earlier), Some(now)) if earlier == now => Ok(()),
            _ => Err(RedeemError::Used),
        }
    })
}

/// Gives back a code consumed for an answer that could not be counted.
pub fn restore(conn: &mut Conn, survey_id: i64, typed: &str) -> anyhow::Result<()> {
    let Some(code) = normalise_code(typed) else { return Ok(()) };
    let used_hash = key()?.used_hash(survey_id, &code);
    diesel::delete(
        invites_used::table
            .filter(invites_used::survey_id.eq(survey_id))
            .filter(invites_used::used_hash.eq(&used_hash[..])),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes all a survey's invitation data: its codes, the record of which were used, and
/// its signing key. For closing (in the same transaction): no code can be used and no
/// token signed after that, so nothing of them need outlive it.
pub fn forget(conn: &mut Conn, survey_id: i64) -> QueryResult<()> {
    diesel::delete(invites::table.filter(invites::survey_id.eq(survey_id))).execute(conn)?;
    diesel::delete(invites_used::table.filter(invites_used::survey_id.eq(survey_id))).execute(conn)?;
    diesel::delete(invite_keys::table.find(survey_id)).execute(conn)?;
    Ok(())
}

/// Exchanges `typed` for a blind signature on `blinded` (base64url): the code is used
/// up only if the signing succeeds.
pub fn redeem(conn: &mut Conn, survey_id: i64, typed: &str, blinded: &str) -> Result<Signed, RedeemError> {
    let blinded = URL_SAFE_NO_PAD.decode(blinded).map_err(|_| RedeemError::Malformed)?;
    crate::storage::write(conn, |conn| {
        consume(conn, survey_id, typed, Some(&blinded))?;
        let secret = keys(conn, survey_id)?;
        let signature = secret.blind_sign(&blinded).map_err(|_| RedeemError::Malformed)?;
        Ok(Signed { blind_signature: URL_SAFE_NO_PAD.encode(&signature) })
    })
}

/// Where a request's uses of codes go through: the database, and the throttle for the
/// client that sent it. Codes are throttled like passwords, so that guessing them online
/// is slow.
pub struct Gate<'a> {
    pub pool: &'a Pool,
    pub throttle: &'a Throttle,
    /// The client's address: a throttling key, kept hashed in memory only.
    pub client: String,
}

impl Gate<'_> {
    /// Runs `work` unless the client has been guessing. Wrong codes count against the
    /// client; the database's own failures come back as the outer error.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Conn) -> Result<T, RedeemError> + Send + 'static,
    ) -> Result<Result<T, RedeemError>, ApiError> {
        if let Err(wait) = self.throttle.check_client(&self.client) {
            return Ok(Err(RedeemError::Throttled(wait.as_secs().max(1))));
        }
        let outcome = storage::run(self.pool, move |conn| match work(conn) {
            Err(RedeemError::Other(e)) => Err(ApiError::internal(e)),
            other => Ok(other),
        })
        .await?;
        if matches!(outcome, Err(RedeemError::Unknown | RedeemError::Used)) {
            self.throttle.client_failed(&self.client);
        }
        Ok(outcome)
    }
}

/// For reporting a token problem as a person would understand it.
pub fn describe(error: &InviteError) -> String {
    format!("The invitation token was refused ({error}). Exchange your invite code again.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scratch;

    /// A migrated database with one survey, and the key installed (the same for every
    /// test of the process, as for every request of a server).
    fn survey(conn: &mut Conn) -> i64 {
        install(CodeKey([7; KEY_BYTES]));
        let survey = crate::surveys::seed::default_survey().unwrap();
        crate::surveys::lifecycle::create(conn, &survey).unwrap();
        crate::storage::schema::surveys::table
            .select(crate::storage::schema::surveys::id)
            .first(conn)
            .unwrap()
    }

    /// A used code's row: its keyed hash, and the hash of the blinded message if any.
    type Used = (Vec<u8>, Option<Vec<u8>>);

    /// The codes' hashes, and the uses.
    fn rows(conn: &mut Conn) -> (Vec<Vec<u8>>, Vec<Used>) {
        let codes = invites::table.select(invites::code_hash).load(conn).unwrap();
        let used = invites_used::table.select((invites_used::used_hash, invites_used::blinded_hash));
        (codes, used.load(conn).unwrap())
    }

    #[test]
    fn codes_are_readable_kept_hashed_and_used_once() {
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        let codes = create(&mut conn, id, 20).unwrap();
        assert_eq!(codes.len(), 20);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'), "{codes:?}");
        let (stored, _) = rows(&mut conn);
        assert_eq!(stored.len(), 20);
        for code in &codes {
            assert!(!stored.iter().any(|h| h.windows(5).any(|w| w == &code.as_bytes()[..5])));
        }
        // Typed loosely: lower case, spaces instead of the hyphen.
        let typed = codes[0].to_lowercase().replace('-', " ");
        consume(&mut conn, id, &typed, None).unwrap();
        assert!(matches!(consume(&mut conn, id, &codes[0], None), Err(RedeemError::Used)));
        assert!(matches!(consume(&mut conn, id, "ZZZZZ-ZZZZZ", None), Err(RedeemError::Unknown)));
        assert!(matches!(consume(&mut conn, id, "not a code", None), Err(RedeemError::Unknown)));
        restore(&mut conn, id, &codes[0]).unwrap();
        consume(&mut conn, id, &codes[0], None).unwrap();
    }

    #[test]
    fn using_a_code_leaves_its_row_as_it_was_and_adds_one_that_shares_nothing_with_it() {
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        let codes = create(&mut conn, id, 5).unwrap();
        let (before, none) = rows(&mut conn);
        assert!(none.is_empty());
        consume(&mut conn, id, &codes[2], Some(b"blinded")).unwrap();
        let (after, used) = rows(&mut conn);
        assert_eq!(before, after, "the codes' rows do not change");
        assert_eq!(used.len(), 1);
        let (used_hash, blinded_hash) = &used[0];
        assert_eq!(blinded_hash.as_deref(), Some(&Sha256::digest(b"blinded")[..]));
        assert!(!after.contains(used_hash), "the used row is not the code's row");
        // Under the key, and only under it, the two are of the same code.
        let code = normalise_code(&codes[2]).unwrap();
        let key = key().unwrap();
        assert_eq!(used_hash[..], key.used_hash(id, &code));
        assert!(after.contains(&key.code_hash(id, &code).to_vec()));
        assert_ne!(CodeKey([8; KEY_BYTES]).used_hash(id, &code), key.used_hash(id, &code));
        // Rows are stored in hash order, whatever the order of the list.
        let mut sorted = after.clone();
        sorted.sort();
        assert_eq!(after, sorted);
        let mut listed = codes.clone();
        listed.sort();
        assert_eq!(codes, listed, "the list is sorted by code");
    }

    #[test]
    fn forgetting_a_survey_removes_its_codes_uses_and_key() {
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        public_key(&mut conn, id).unwrap();
        let codes = create(&mut conn, id, 3).unwrap();
        consume(&mut conn, id, &codes[0], None).unwrap();
        forget(&mut conn, id).unwrap();
        let (codes_left, used_left) = rows(&mut conn);
        let keys_left: i64 = invite_keys::table.count().get_result(&mut conn).unwrap();
        assert_eq!((codes_left.len(), used_left.len(), keys_left), (0, 0, 0));
        assert!(matches!(consume(&mut conn, id, &codes[1], None), Err(RedeemError::Unknown)));
    }

    #[test]
    fn asking_again_for_the_same_blinded_message_is_a_retry_not_a_second_use() {
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        let code = create(&mut conn, id, 1).unwrap().remove(0);
        consume(&mut conn, id, &code, Some(b"first")).unwrap();
        consume(&mut conn, id, &code, Some(b"first")).unwrap();
        assert!(matches!(consume(&mut conn, id, &code, Some(b"second")), Err(RedeemError::Used)));
        assert!(matches!(consume(&mut conn, id, &code, None), Err(RedeemError::Used)));
        // A code used by the plain form has no blinded message to match.
        let plain = create(&mut conn, id, 1).unwrap().remove(0);
        consume(&mut conn, id, &plain, None).unwrap();
        assert!(matches!(consume(&mut conn, id, &plain, Some(b"first")), Err(RedeemError::Used)));
    }

    #[test]
    fn codes_made_before_the_key_file_are_retired_and_the_audit_log_says_so() {
        use diesel::connection::SimpleConnection as _;
        use diesel_migrations::{EmbeddedMigrations, MigrationHarness as _, embed_migrations};
        const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        // Back to the argon2id codes: a salt beside the key, a `used` flag beside each code.
        let Conn::Sqlite(sqlite) = &mut conn else { unreachable!() };
        // This migration, and any made after it.
        while sqlite.revert_last_migration(MIGRATIONS).unwrap().to_string() != "20261202000001" {}
        sqlite
            .batch_execute(&format!(
                "INSERT INTO invite_keys (survey_id, secret_key, code_salt) VALUES ({id}, X'00', X'0102');
                 INSERT INTO invites (survey_id, code_hash, used)
                     VALUES ({id}, X'AA', TRUE), ({id}, X'BB', FALSE);"
            ))
            .unwrap();
        sqlite.run_pending_migrations(MIGRATIONS).unwrap();
        let (codes, used) = rows(&mut conn);
        assert!(codes.is_empty() && used.is_empty(), "no old code or flag is left");
        let latest = crate::staff::audit::Query { limit: 10, ..Default::default() };
        let audit = crate::staff::audit::page(&mut conn, &latest).unwrap().entries;
        assert!(
            audit.iter().any(|e| e.action == "invites_retired"
                && e.actor == "(upgrade)"
                && e.target.starts_with("diaspora: the 2 invite codes made before")),
            "{audit:?}"
        );
        // The signing key stays (tokens already exchanged still count); its salt is gone.
        let keys: i64 = invite_keys::table.count().get_result(&mut conn).unwrap();
        assert_eq!(keys, 1);
    }

    #[test]
    fn the_key_file_is_made_once_private_and_must_match_the_database() {
        let (dir, mut conn) = scratch();
        let path = dir.path().join("test.db.key");
        let made = CodeKey::open(&mut conn, &path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        assert_eq!(std::fs::read(&path).unwrap(), made.0);
        // Read, not made again, at the next start.
        assert_eq!(CodeKey::open(&mut conn, &path).unwrap().0, made.0);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok());
        let names: Vec<String> = leftovers.map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");

        let message = |path: &Path, conn: &mut Conn| format!("{:#}", CodeKey::open(conn, path).unwrap_err());
        // Another key file on the same database.
        let other = dir.path().join("other.key");
        std::fs::write(&other, [1u8; KEY_BYTES]).unwrap();
        let refused = message(&other, &mut conn);
        assert!(refused.contains(&other.display().to_string()) && refused.contains("copy"), "{refused}");
        // None at all, though the database was set up with one: none is made.
        let missing = dir.path().join("missing.key");
        let refused = message(&missing, &mut conn);
        assert!(refused.contains("does not exist") && refused.contains("missing.key"), "{refused}");
        assert!(!missing.exists());
        // A file that is not a key.
        std::fs::write(&other, b"not a key\n").unwrap();
        let refused = message(&other, &mut conn);
        assert!(refused.contains("holds 10 bytes, not 32") && refused.contains("other.key"), "{refused}");
        // The check stored says nothing of the key but whether it is the same.
        let check: Vec<u8> = secrets::table
            .filter(secrets::name.eq(CHECK_NAME))
            .select(secrets::value)
            .first(&mut conn)
            .unwrap();
        assert_eq!(check.len(), 32);
        assert!(!check.windows(8).any(|w| made.0.windows(8).any(|k| k == w)));
    }
}
