//! Invitations for invite-only surveys. An admin creates codes, short enough to read
//! over a phone; only argon2id hashes of them are kept, under a salt of the survey's.
//! A respondent's browser exchanges a code, once, for a blind signature (RFC 9474) on
//! a message the server never sees, and answers with the unblinded signature (see
//! `nansen_shared::invite`). Without JavaScript, the form takes the code directly.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blind_rsa_signatures::{DefaultRng, KeyPair, SecretKey};
use diesel::prelude::*;
use nansen_shared::invite::{CODE_ALPHABET, CODE_LENGTH, InviteError, InviteKey, Signed, normalise_code};
use sha2::{Digest, Sha256};

use crate::http::problem::ApiError;
use crate::http::throttle::Throttle;
use crate::storage::schema::{invite_keys, invites};
use crate::storage::{self, Conn, Pool};

/// RSA modulus size for new survey keys.
const KEY_BITS: usize = 2048;
/// The most codes made at once.
pub const MAX_CODES: usize = 10_000;

/// argon2id for codes: 1 MiB, two passes. A code has 50 random bits, so guessing it
/// from a stolen database costs 2^50 of these (tens of thousands of core-years); the
/// memory-hard cost that protects a human password is not needed, and ten thousand
/// codes can be made in seconds.
fn hasher() -> Argon2<'static> {
    let params = Params::new(1024, 2, 1, Some(32)).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
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

/// The survey's key, made on first use.
fn keys(conn: &mut Conn, survey_id: i64) -> anyhow::Result<(SecretKey, Vec<u8>)> {
    let stored: Option<(Vec<u8>, Vec<u8>)> = invite_keys::table
        .find(survey_id)
        .select((invite_keys::secret_key, invite_keys::code_salt))
        .first(conn)
        .optional()?;
    if let Some((der, salt)) = stored {
        return Ok((SecretKey::from_der(&der).map_err(|e| anyhow::anyhow!("stored invite key: {e}"))?, salt));
    }
    let pair = KeyPair::generate(&mut DefaultRng, KEY_BITS).map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    let mut salt = vec![0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
    let der = pair.sk.to_der().map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(invite_keys::table)
        .values((
            invite_keys::survey_id.eq(survey_id),
            invite_keys::secret_key.eq(&der),
            invite_keys::code_salt.eq(&salt),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 0 {
        // Another instance made the key at the same moment: theirs is the survey's.
        return keys(conn, survey_id);
    }
    Ok((pair.sk, salt))
}

/// The public key to publish with an invite-only survey's definition.
pub fn public_key(conn: &mut Conn, survey_id: i64) -> anyhow::Result<InviteKey> {
    let (secret, _) = keys(conn, survey_id)?;
    let public = secret.public_key().map_err(|e| anyhow::anyhow!("RSA key: {e}"))?;
    InviteKey::new(&public).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Makes `count` new codes for the survey and keeps their hashes; the codes themselves
/// are returned this once.
pub fn create(conn: &mut Conn, survey_id: i64, count: usize) -> anyhow::Result<Vec<String>> {
    let (_, salt) = keys(conn, survey_id)?;
    let mut codes = Vec::with_capacity(count);
    conn.transaction(|conn| {
        while codes.len() < count {
            let code = new_code()?;
            let inserted = crate::per_backend!(conn, |c| diesel::insert_into(invites::table)
                .values((invites::survey_id.eq(survey_id), invites::code_hash.eq(hash(&code, &salt)?)))
                .on_conflict_do_nothing()
                .execute(c))?;
            // A repeat (one chance in 2^50 per pair) is simply drawn again.
            if inserted == 1 {
                codes.push(display(&code));
            }
        }
        anyhow::Ok(())
    })?;
    Ok(codes)
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

fn hash(code: &str, salt: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = vec![0u8; 32];
    hasher()
        .hash_password_into(code.as_bytes(), salt, &mut out)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(out)
}

/// Uses up `typed` for the survey: `Ok` if it was a valid, unused code. Consuming and
/// checking are one statement, so a code cannot be used twice at once. `blinded` is
/// the message the code is exchanged for (none for the plain form): asking again for
/// the same one is not a second use, but a retry whose reply was lost.
pub fn consume(
    conn: &mut Conn,
    survey_id: i64,
    typed: &str,
    blinded: Option<&[u8]>,
) -> Result<(), RedeemError> {
    let code = normalise_code(typed).ok_or(RedeemError::Unknown)?;
    let (_, salt) = keys(conn, survey_id)?;
    let code_hash = hash(&code, &salt)?;
    let blinded_hash = blinded.map(|b| Sha256::digest(b).to_vec());
    let mine =
        invites::table.filter(invites::survey_id.eq(survey_id)).filter(invites::code_hash.eq(&code_hash));
    let consumed = diesel::update(mine.filter(invites::used.eq(false)))
        .set((invites::used.eq(true), invites::blinded_hash.eq(&blinded_hash)))
        .execute(conn)?;
    if consumed == 1 {
        return Ok(());
    }
    match mine.select(invites::blinded_hash).first::<Option<Vec<u8>>>(conn).optional()? {
        None => Err(RedeemError::Unknown),
        Some(earlier) if earlier.is_some() && earlier == blinded_hash => Ok(()),
        Some(_) => Err(RedeemError::Used),
    }
}

/// Gives back a code consumed for an answer that could not be counted.
pub fn restore(conn: &mut Conn, survey_id: i64, typed: &str) -> anyhow::Result<()> {
    let Some(code) = normalise_code(typed) else { return Ok(()) };
    let (_, salt) = keys(conn, survey_id)?;
    diesel::update(
        invites::table
            .filter(invites::survey_id.eq(survey_id))
            .filter(invites::code_hash.eq(hash(&code, &salt)?)),
    )
    .set((invites::used.eq(false), invites::blinded_hash.eq(None::<Vec<u8>>)))
    .execute(conn)?;
    Ok(())
}

/// Exchanges `typed` for a blind signature on `blinded` (base64url): the code is used
/// up only if the signing succeeds.
pub fn redeem(conn: &mut Conn, survey_id: i64, typed: &str, blinded: &str) -> Result<Signed, RedeemError> {
    let blinded = URL_SAFE_NO_PAD.decode(blinded).map_err(|_| RedeemError::Malformed)?;
    crate::storage::write(conn, |conn| {
        consume(conn, survey_id, typed, Some(&blinded))?;
        let (secret, _) = keys(conn, survey_id)?;
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

    fn survey(conn: &mut Conn) -> i64 {
        let survey = crate::surveys::seed::default_survey().unwrap();
        crate::surveys::lifecycle::create(conn, &survey).unwrap();
        crate::storage::schema::surveys::table
            .select(crate::storage::schema::surveys::id)
            .first(conn)
            .unwrap()
    }

    #[test]
    fn codes_are_readable_kept_hashed_and_used_once() {
        let (_dir, mut conn) = scratch();
        let id = survey(&mut conn);
        let codes = create(&mut conn, id, 20).unwrap();
        assert_eq!(codes.len(), 20);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'), "{codes:?}");
        let stored: Vec<Vec<u8>> = invites::table.select(invites::code_hash).load(&mut conn).unwrap();
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
}
