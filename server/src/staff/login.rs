//! Logging in: a password checked against its argon2id hash, and a session opened.

use nansen_shared::SessionInfo;

use crate::http::problem::ApiError;
use crate::staff::{accounts, audit, passwords, sessions};
use crate::storage::Conn;

/// Checks the password and opens a session; records the attempt either way. An unknown
/// username takes the same path and the same hashing time as a wrong password.
pub fn attempt(
    conn: &mut Conn,
    username: &str,
    password: &str,
) -> Result<Option<(String, SessionInfo)>, ApiError> {
    let Some((user_id, role, stored)) = accounts::credentials(conn, username)? else {
        let _ = passwords::verify(passwords::dummy_hash(), password);
        audit::record(conn, "(unknown user)", "login_failed", "")?;
        return Ok(None);
    };
    if !passwords::verify(&stored, password) {
        audit::record(conn, username, "login_failed", "")?;
        return Ok(None);
    }
    if passwords::needs_rehash(&stored) {
        // Upgrade to today's parameters while the password is at hand.
        accounts::replace_hash(conn, user_id, &passwords::hash(password).map_err(ApiError::internal)?)?;
    }
    let session = sessions::open(conn, user_id).map_err(ApiError::internal)?;
    accounts::record_login(conn, user_id)?;
    audit::record(conn, username, "login", "")?;
    Ok(Some((session, SessionInfo { username: username.to_owned(), role })))
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHasher;
    use argon2::password_hash::phc::PasswordHash;
    use argon2::{Algorithm, Argon2, Params, Version};
    use diesel::prelude::*;
    use nansen_shared::Role;

    use super::attempt;
    use crate::storage::schema::users;
    use crate::storage::scratch;

    #[test]
    fn a_login_upgrades_a_hash_made_with_older_parameters() {
        let (_dir, mut conn) = scratch();
        crate::staff::accounts::create(&mut conn, "ada", Some("a long and fine password 3"), Role::Admin)
            .unwrap();
        let owasp = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT);
        let old: PasswordHash = owasp.hash_password(b"a long and fine password 3").unwrap();
        diesel::update(users::table)
            .set(users::password_hash.eq(old.to_string()))
            .execute(&mut conn)
            .unwrap();

        assert!(attempt(&mut conn, "ada", "wrong password here").unwrap().is_none());
        let unchanged: String = users::table.select(users::password_hash).first(&mut conn).unwrap();
        assert!(unchanged.contains("m=19456,t=2,p=1"), "a failed login changes nothing");

        assert!(attempt(&mut conn, "ada", "a long and fine password 3").unwrap().is_some());
        let upgraded: String = users::table.select(users::password_hash).first(&mut conn).unwrap();
        assert!(upgraded.contains("m=65536,t=3,p=1"), "{upgraded}");
        assert!(attempt(&mut conn, "ada", "a long and fine password 3").unwrap().is_some());
    }
}
