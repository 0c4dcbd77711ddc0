//! Staff accounts: creating, listing, removing, changing passwords.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use diesel::prelude::*;
use nansen_shared::{Role, UserInfo};
use secrecy::{ExposeSecret, SecretString};

use crate::staff::passwords;
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

pub fn create(conn: &mut Conn, username: &str, password: &str, role: Role) -> Result<(), UserError> {
    if !valid_username(username) {
        return Err(UserError::BadUsername);
    }
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
    Ok(())
}

pub fn list(conn: &mut Conn) -> QueryResult<Vec<UserInfo>> {
    let rows: Vec<(String, String, i64)> = users::table
        .order(users::username)
        .select((users::username, users::role, users::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(username, role, created_at)| {
            Some(UserInfo { username, role: Role::parse(&role)?, created_at })
        })
        .collect())
}

/// Removes an account with its sessions and tokens; the last admin cannot be removed.
pub fn delete(conn: &mut Conn, username: &str) -> Result<(), UserError> {
    conn.transaction(|conn| {
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
    let updated = diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    if updated == 0 {
        return Err(UserError::NotFound(username.to_owned()));
    }
    crate::staff::sessions::end_all_of(conn, username)?;
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
    match password {
        Some(password) => {
            create(conn, "admin", password.expose_secret(), Role::Admin)
                .map_err(|e| anyhow::anyhow!("NANSEN_ADMIN_PASSWORD is not usable: {e}"))?;
            Ok(None)
        }
        None => {
            // Four groups of random base64url: about 120 bits, easy to copy.
            let generated = crate::staff::sessions::random_token(18)?;
            let readable = generated.as_bytes().chunks(6).map(|c| String::from_utf8_lossy(c).into_owned());
            let generated = readable.collect::<Vec<_>>().join("-");
            create(conn, "admin", &generated, Role::Admin).map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(Some(generated))
        }
    }
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
