//! Staff log in and out: `POST`, `GET` and `DELETE /api/v1/session`.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{LoginRequest, ProblemKind, SessionInfo};
use tokio::sync::Semaphore;

use crate::auth::{Site, Staff, Via, client_address, same_origin};
use crate::db::{self, Pool};
use crate::problem::ApiError;
use crate::sessions::{self, SESSION_COOKIE};
use crate::throttle::Throttle;
use crate::{audit, passwords, users};

/// Password checks running at once, at most.
static HASHING: Semaphore = Semaphore::const_new(4);

pub async fn login(
    req: HttpRequest,
    body: web::Json<LoginRequest>,
    pool: web::Data<Pool>,
    throttle: web::Data<Throttle>,
    site: web::Data<Site>,
) -> Result<HttpResponse, ApiError> {
    same_origin(&req)?;
    let LoginRequest { username, password } = body.into_inner();
    let client = client_address(&req, &site);
    if let Err(wait) = throttle.check(&username, &client) {
        let seconds = wait.as_secs().max(1);
        return Err(ApiError::new(
            ProblemKind::TooManyRequests,
            format!("Too many failed attempts. Wait {seconds} s before trying again."),
        )
        .retry_after(seconds));
    }
    let name = username.clone();
    // Each check holds 64 MiB for a third of a second: a flood of logins waits here
    // instead of exhausting memory.
    let _permit = HASHING.acquire().await.map_err(ApiError::unavailable)?;
    let outcome = db::run(&pool, move |conn| attempt(conn, &name, &password)).await?;
    let Some((session, info)) = outcome else {
        throttle.failed(&username, &client);
        return Err(ApiError::new(
            ProblemKind::InvalidCredentials,
            "The username or the password is wrong. Check both and try again.",
        ));
    };
    throttle.succeeded(&username);
    Ok(HttpResponse::Ok()
        .cookie(sessions::cookie(&session, site.secure_cookies()))
        .insert_header(("Cache-Control", "no-store"))
        .json(info))
}

/// Checks the password and opens a session; records the attempt either way. An unknown
/// username takes the same path and the same hashing time as a wrong password.
fn attempt(
    conn: &mut db::Conn,
    username: &str,
    password: &str,
) -> Result<Option<(String, SessionInfo)>, ApiError> {
    let Some((user_id, role, stored)) = users::credentials(conn, username)? else {
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
        users::replace_hash(conn, user_id, &passwords::hash(password).map_err(ApiError::internal)?)?;
    }
    let session = sessions::open(conn, user_id).map_err(ApiError::internal)?;
    audit::record(conn, username, "login", "")?;
    Ok(Some((session, SessionInfo { username: username.to_owned(), role })))
}

pub async fn current(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    match Staff::of(&req).await? {
        Some(staff) if staff.via == Via::Session => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(SessionInfo { username: staff.account.username, role: staff.account.role })),
        _ => Err(ApiError::new(ProblemKind::Unauthenticated, "Not logged in.")),
    }
}

pub async fn logout(
    req: HttpRequest,
    pool: web::Data<Pool>,
    site: web::Data<Site>,
) -> Result<HttpResponse, ApiError> {
    same_origin(&req)?;
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let id = cookie.value().to_owned();
        let staff = Staff::of(&req).await?;
        db::run(&pool, move |conn| {
            if let Some(staff) = staff {
                audit::record(conn, &staff.account.username, "logout", "")?;
            }
            sessions::end(conn, &id)
        })
        .await?;
    }
    Ok(HttpResponse::NoContent().cookie(sessions::removal_cookie(site.secure_cookies())).finish())
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHasher;
    use argon2::password_hash::phc::PasswordHash;
    use argon2::{Algorithm, Argon2, Params, Version};
    use diesel::prelude::*;
    use nansen_shared::Role;

    use super::attempt;
    use crate::db::scratch;
    use crate::schema::users;

    #[test]
    fn a_login_upgrades_a_hash_made_with_older_parameters() {
        let (_dir, mut conn) = scratch();
        crate::users::create(&mut conn, "ada", "a long and fine password 3", Role::Admin).unwrap();
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
