//! Staff authentication: argon2id password hashes and server-side sessions.
//! Respondents never authenticate and never receive a cookie; everything here is for
//! admins and researchers.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use nansen_shared::ProblemKind;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::db::{self, Conn, Pool, now};
use crate::problem::ApiError;
use crate::schema::{sessions, users};

pub const SESSION_COOKIE: &str = "nansen_session";
/// A session ends after this long without use...
const IDLE_SECONDS: i64 = 30 * 60;
/// ...and after this long in any case.
const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
pub const MIN_PASSWORD_LEN: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Researcher,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Researcher => "researcher",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "researcher" => Some(Self::Researcher),
            _ => None,
        }
    }
}

/// argon2id at the OWASP minimum: 19 MiB, two passes, one lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash: PasswordHash = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("could not hash a password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string (with the parameters stored in it).
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| hasher().verify_password(password.as_bytes(), &hash).is_ok())
}

pub fn create_user(conn: &mut Conn, username: &str, password: &str, role: Role) -> anyhow::Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        anyhow::bail!("the password must be at least {MIN_PASSWORD_LEN} characters long");
    }
    diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            users::password_hash.eq(hash_password(password)?),
            users::role.eq(role.as_str()),
            users::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// On first start (no user at all), creates the `admin` account. Returns the password
/// when it was generated, so that it can be shown once.
pub fn bootstrap_admin(conn: &mut Conn, password: Option<&SecretString>) -> anyhow::Result<Option<String>> {
    let existing: i64 = users::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(None);
    }
    match password {
        Some(password) => {
            create_user(conn, "admin", password.expose_secret(), Role::Admin)
                .map_err(|e| anyhow::anyhow!("NANSEN_ADMIN_PASSWORD is not usable: {e}"))?;
            Ok(None)
        }
        None => {
            let generated = random_token(15)?;
            create_user(conn, "admin", &generated, Role::Admin)?;
            Ok(Some(generated))
        }
    }
}

/// `bytes` of secure randomness, base64url-encoded.
pub fn random_token(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

fn session_hash(id: &str) -> Vec<u8> {
    Sha256::digest(id.as_bytes()).to_vec()
}

/// A session just opened: the id goes into the cookie and is never stored.
#[derive(Debug)]
pub struct Login {
    pub session_id: String,
    pub role: Role,
}

/// Checks credentials and opens a session. An unknown user costs the same hashing work
/// as a wrong password, so response time does not reveal which usernames exist.
pub fn login(conn: &mut Conn, username: &str, password: &str) -> anyhow::Result<Option<Login>> {
    let user: Option<(i64, String, String)> = users::table
        .filter(users::username.eq(username))
        .select((users::id, users::password_hash, users::role))
        .first(conn)
        .optional()?;
    let Some((user_id, stored, role)) = user else {
        let _ = verify_password(dummy_hash(), password);
        return Ok(None);
    };
    let Some(role) = Role::parse(&role).filter(|_| verify_password(&stored, password)) else {
        return Ok(None);
    };
    let id = random_token(32)?;
    let t = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(session_hash(&id)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
        ))
        .execute(conn)?;
    Ok(Some(Login { session_id: id, role }))
}

/// A fixed argon2id hash with the current parameters, verified against when the user
/// does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

pub fn logout(conn: &mut Conn, session_id: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::id_hash.eq(session_hash(session_id)))).execute(conn)?;
    Ok(())
}

/// The session cookie: HttpOnly, SameSite=Strict, for the whole site.
pub fn session_cookie(id: &str) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, id.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn expired_cookie() -> Cookie<'static> {
    let mut cookie = session_cookie("");
    cookie.make_removal();
    cookie
}

/// A logged-in staff member; extracting it from a request fails with 401 without a
/// valid session.
#[derive(Debug, Clone)]
pub struct Staff {
    pub username: String,
    pub role: Role,
}

impl Staff {
    /// The staff member of `req`, if it carries a live session.
    pub async fn of(req: &HttpRequest) -> Result<Option<Staff>, ApiError> {
        let Some(cookie) = req.cookie(SESSION_COOKIE) else {
            return Ok(None);
        };
        let pool = req
            .app_data::<web::Data<Pool>>()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no database pool")))?;
        let hash = session_hash(cookie.value());
        db::run(pool, move |conn| touch_session(conn, &hash)).await
    }
}

/// Looks a session up, ends it if expired, and records that it was used.
fn touch_session(conn: &mut Conn, hash: &[u8]) -> QueryResult<Option<Staff>> {
    let t = now();
    let found: Option<(i64, i64, String, String)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(hash))
        .select((sessions::created_at, sessions::last_seen_at, users::username, users::role))
        .first(conn)
        .optional()?;
    let Some((created, seen, username, role)) = found else {
        return Ok(None);
    };
    if t - seen > IDLE_SECONDS || t - created > ABSOLUTE_SECONDS {
        diesel::delete(sessions::table.filter(sessions::id_hash.eq(hash))).execute(conn)?;
        return Ok(None);
    }
    if t > seen {
        diesel::update(sessions::table.filter(sessions::id_hash.eq(hash)))
            .set(sessions::last_seen_at.eq(t))
            .execute(conn)?;
    }
    Ok(Role::parse(&role).map(|role| Staff { username, role }))
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            Staff::of(&req).await?.ok_or_else(|| {
                ApiError::new(ProblemKind::Unauthenticated, "Log in with a staff account to see this.")
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_password("a long enough password").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(&hash, "a long enough password"));
        assert!(!verify_password(&hash, "a long enough passwore"));
        assert!(!verify_password("not a hash", "x"));
    }
}
