//! Staff accounts: creating, listing, removing, changing and resetting passwords.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use diesel::prelude::*;
use nansen_shared::{Role, UserInfo};
use secrecy::{ExposeSecret, SecretString};

use crate::staff::{audit, passwords};
use crate::storage::schema::users;
use crate::storage::{Conn, now};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a username is 1 to 64 characters: lowercase letters, digits, '.', '_' and '-'")]
    BadUsername,
    #[error("{0}")]
    WeakPassword(String),
    #[error("there is already an account called {0:?}")]
    Exists(String),
    #[error("there is no account called {0:?}")]
    NotFound(String),
    #[error("{0:?} is the last admin; make another admin first")]
    LastAdmin(String),
    #[error(
        "this is your own account: you cannot remove it while you are logged in to it; another admin can"
    )]
    RemoveOwn,
    #[error(
        "this is your own account: resetting its password here would end the session you are using; \
         another admin can reset it, or set it on the server with `nansen user passwd`"
    )]
    ResetOwn,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for UserError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Other(error.into())
    }
}

pub fn valid_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// Creates an account with `password`, or without one with a generated password, which
/// is returned (to be shown once).
pub fn create(
    conn: &mut Conn,
    username: &str,
    password: Option<&str>,
    role: Role,
) -> Result<Option<String>, UserError> {
    if !valid_username(username) {
        return Err(UserError::BadUsername);
    }
    let generated = if password.is_none() { Some(passwords::generate()?) } else { None };
    let password = password.or(generated.as_deref()).unwrap_or_default();
    passwords::check(password, username).map_err(UserError::WeakPassword)?;
    let hash = passwords::hash(password)?;
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            users::password_hash.eq(hash),
            users::role.eq(role.as_str()),
            users::created_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 0 {
        return Err(UserError::Exists(username.to_owned()));
    }
    Ok(generated)
}

type InfoRow = (String, String, i64, Option<i64>);

fn info_columns() -> (users::username, users::role, users::created_at, users::last_login_at) {
    (users::username, users::role, users::created_at, users::last_login_at)
}

fn info_of((username, role, created_at, last_login_at): InfoRow) -> Option<UserInfo> {
    Some(UserInfo { username, role: Role::parse(&role)?, created_at, last_login_at })
}

pub fn list(conn: &mut Conn) -> QueryResult<Vec<UserInfo>> {
    let rows: Vec<InfoRow> = users::table.order(users::username).select(info_columns()).load(conn)?;
    Ok(rows.into_iter().filter_map(info_of).collect())
}

/// One account, as listed.
pub fn info(conn: &mut Conn, username: &str) -> QueryResult<Option<UserInfo>> {
    let row: Option<InfoRow> =
        users::table.filter(users::username.eq(username)).select(info_columns()).first(conn).optional()?;
    Ok(row.and_then(info_of))
}

/// Removes an account with its sessions and tokens; the last admin cannot be removed,
/// even by two admins removing each other at the same moment (one at a time decides).
pub fn delete(conn: &mut Conn, username: &str) -> Result<(), UserError> {
    crate::storage::exclusively(conn, |conn| {
        let role: Option<String> =
            users::table.filter(users::username.eq(username)).select(users::role).first(conn).optional()?;
        let Some(role) = role else {
            return Err(UserError::NotFound(username.to_owned()));
        };
        if role == Role::Admin.as_str() {
            let admins: i64 =
                users::table.filter(users::role.eq(Role::Admin.as_str())).count().get_result(conn)?;
            if admins <= 1 {
                return Err(UserError::LastAdmin(username.to_owned()));
            }
        }
        diesel::delete(users::table.filter(users::username.eq(username))).execute(conn)?;
        Ok(())
    })
}

/// Sets a new password; existing sessions of the account end.
pub fn set_password(conn: &mut Conn, username: &str, password: &str) -> Result<(), UserError> {
    passwords::check(password, username).map_err(UserError::WeakPassword)?;
    let hash = passwords::hash(password)?;
    conn.transaction(|conn| store_hash(conn, username, &hash))
}

/// Gives the account a new generated password, ends its sessions, and records that
/// `actor` did so, all in one transaction; returns the password, to be shown once. The
/// one way a password is reset: the admin screens and `nansen user reset` both come here.
/// The account's API tokens stay: they are separate credentials, revoked on their own.
pub fn reset_password(conn: &mut Conn, actor: &str, username: &str) -> Result<String, UserError> {
    let password = passwords::generate()?;
    // Hashed before the transaction: a third of a second not spent holding the database.
    let hash = passwords::hash(&password)?;
    conn.transaction(|conn| {
        store_hash(conn, username, &hash)?;
        audit::record(conn, actor, "user_password_reset", username)?;
        Ok(password)
    })
}

fn store_hash(conn: &mut Conn, username: &str, hash: &str) -> Result<(), UserError> {
    let updated = diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    if updated == 0 {
        return Err(UserError::NotFound(username.to_owned()));
    }
    crate::staff::sessions::end_all_of(conn, username)?;
    Ok(())
}

/// Notes a successful login, for the admins' list of accounts.
pub fn record_login(conn: &mut Conn, user_id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::last_login_at.eq(now())).execute(conn)?;
    Ok(())
}

/// On first start (no admin account yet, even if researchers were added from the
/// command line), creates `admin`. Returns the password when it was generated, so that
/// it can be shown once.
pub fn bootstrap_admin(conn: &mut Conn, password: Option<&SecretString>) -> anyhow::Result<Option<String>> {
    let existing: i64 = users::table.filter(users::role.eq(Role::Admin.as_str())).count().get_result(conn)?;
    if existing > 0 {
        return Ok(None);
    }
    let chosen = password.map(|p| p.expose_secret());
    create(conn, "admin", chosen, Role::Admin).map_err(|e| match chosen {
        Some(_) => anyhow::anyhow!("NANSEN_ADMIN_PASSWORD is not usable: {e}"),
        None => anyhow::anyhow!("{e}"),
    })
}

/// Writes the first admin's generated password to `path`, readable by this user only
/// (created with mode 0600), for whoever started the server: not to standard output,
/// which service managers keep in their journal, and never to the log. The file is
/// written whole under another name, then renamed: a file left by an earlier first start
/// (of a database since deleted) is replaced, never half-written.
pub fn keep_password(path: &Path, password: &str) -> anyhow::Result<()> {
    let failed = |e: std::io::Error| {
        anyhow::anyhow!("could not write the first admin's password to {}: {e}", path.display())
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    match std::fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(failed(e)),
        _ => {}
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .map_err(failed)?;
    file.write_all(format!("{password}\n").as_bytes()).and_then(|()| file.sync_all()).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)
}

/// The account's id, role and password hash, for logging in.
pub fn credentials(conn: &mut Conn, username: &str) -> QueryResult<Option<(i64, Role, String)>> {
    let row: Option<(i64, String, String)> = users::table
        .filter(users::username.eq(username))
        .select((users::id, users::role, users::password_hash))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(id, role, hash)| Some((id, Role::parse(&role)?, hash))))
}

pub fn replace_hash(conn: &mut Conn, user_id: i64, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::password_hash.eq(hash)).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::storage::scratch;

    #[test]
    fn the_last_admin_stays_and_a_reset_ends_sessions_and_is_recorded() {
        let (_dir, mut conn) = scratch();
        let generated = create(&mut conn, "ada", None, Role::Admin).unwrap().unwrap();
        assert_eq!(create(&mut conn, "bea", Some("bea's long enough phrase"), Role::Admin).unwrap(), None);
        create(&mut conn, "rita", Some("rita reads the tables 5"), Role::Researcher).unwrap();
        delete(&mut conn, "bea").unwrap();
        assert!(matches!(delete(&mut conn, "ada"), Err(UserError::LastAdmin(_))));
        assert!(matches!(delete(&mut conn, "bea"), Err(UserError::NotFound(_))));

        let (id, _, old_hash) = credentials(&mut conn, "ada").unwrap().unwrap();
        assert!(passwords::verify(&old_hash, &generated));
        crate::staff::sessions::open(&mut conn, id).unwrap();
        let new = reset_password(&mut conn, "rita", "ada").unwrap();
        let (_, _, hash) = credentials(&mut conn, "ada").unwrap().unwrap();
        assert!(passwords::verify(&hash, &new) && !passwords::verify(&hash, &generated));
        let sessions: i64 = crate::storage::schema::sessions::table.count().get_result(&mut conn).unwrap();
        assert_eq!(sessions, 0);
        let log = audit::page(&mut conn, &audit::Query { limit: 1, ..Default::default() }).unwrap();
        let last = &log.entries[0];
        assert_eq!((&*last.actor, &*last.action, &*last.target), ("rita", "user_password_reset", "ada"));
        assert!(matches!(reset_password(&mut conn, "rita", "nobody"), Err(UserError::NotFound(_))));
    }

    #[test]
    fn the_generated_password_goes_to_a_file_only_its_owner_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nansen.db.admin-password");
        // One left by an earlier first start, readable by all, is replaced.
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        keep_password(&path, "abcdef-ghijkl").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "abcdef-ghijkl\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing else is left");
        let missing = dir.path().join("no/such/dir/password");
        let error = keep_password(&missing, "x").unwrap_err().to_string();
        assert!(error.contains("no/such/dir/password"), "{error}");
    }
}
