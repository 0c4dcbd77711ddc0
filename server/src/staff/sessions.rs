//! Staff sessions and API tokens. Both are 256-bit random secrets given to the client
//! once; the database keeps only their SHA-256, so a copy of it opens no session.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use nansen_shared::{CreatedToken, Role, TokenInfo};
use sha2::{Digest, Sha256};

use crate::http::site::Site;
use crate::storage::schema::{api_tokens, sessions, users};
use crate::storage::{Conn, now};

/// The session cookie's name over plain http (development, a loopback test).
pub const SESSION_COOKIE: &str = "nansen_session";
/// Its name where the public address is https (`NANSEN_PUBLIC_URL`). Browsers take a
/// `__Secure-` cookie only with `Secure`, from an https page, so nobody on the network
/// can plant or overwrite one over plain http. The stronger `__Host-` prefix (this
/// host only) requires `Path=/`, and with it the browser would send a staff member's
/// identity with every respondent page they open (`/s/…`, the answers they send with the
/// plain form): the narrower path protects respondents, the prefix protects the cookie.
pub const SECURE_SESSION_COOKIE: &str = "__Secure-nansen_session";
/// Where browsers send the cookie: the API only. The staff screens (`/admin`,
/// `/research`) are page shells whose data comes from `/api/v1/…`; respondent pages,
/// their form posts and the assets never carry it.
pub const COOKIE_PATH: &str = "/api/";
/// A session ends after this long without use...
pub const IDLE_SECONDS: i64 = 30 * 60;
/// ...and after this long in any case.
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// API tokens carry a prefix so that secret scanners recognise a leaked one.
const TOKEN_PREFIX: &str = "nansen_";

/// Who a session or token belongs to.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub role: Role,
}

/// `bytes` of secure randomness, base64url-encoded.
pub fn random_token(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Opens a session for `user_id`; returns the id for the cookie.
pub fn open(conn: &mut Conn, user_id: i64) -> anyhow::Result<String> {
    let id = random_token(32)?;
    let t = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(digest(&id)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The account of a live session, recording that it was used; an expired one is ended.
pub fn resume(conn: &mut Conn, id: &str) -> QueryResult<Option<Account>> {
    let hash = digest(id);
    let t = now();
    let found: Option<(i64, i64, String, String)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(&hash))
        .select((sessions::created_at, sessions::last_seen_at, users::username, users::role))
        .first(conn)
        .optional()?;
    let Some((created, seen, username, role)) = found else {
        return Ok(None);
    };
    if t - seen > IDLE_SECONDS || t - created > ABSOLUTE_SECONDS {
        diesel::delete(sessions::table.filter(sessions::id_hash.eq(&hash))).execute(conn)?;
        return Ok(None);
    }
    if t > seen {
        diesel::update(sessions::table.filter(sessions::id_hash.eq(&hash)))
            .set(sessions::last_seen_at.eq(t))
            .execute(conn)?;
    }
    Ok(Role::parse(&role).map(|role| Account { username, role }))
}

pub fn end(conn: &mut Conn, id: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::id_hash.eq(digest(id)))).execute(conn)?;
    Ok(())
}

/// Ends every session of `username` (after a password change).
pub fn end_all_of(conn: &mut Conn, username: &str) -> QueryResult<()> {
    let ids = users::table.filter(users::username.eq(username)).select(users::id);
    diesel::delete(sessions::table.filter(sessions::user_id.eq_any(ids))).execute(conn)?;
    Ok(())
}

/// The session cookie's name: `__Secure-` prefixed when served over TLS.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

/// The session id `req` carries, in the cookie of the name this deployment gives it (a
/// cookie of the other name is not this deployment's, and is ignored).
pub fn session_id(req: &HttpRequest) -> Option<String> {
    let secure = req.app_data::<web::Data<Site>>().is_some_and(|site| site.secure_cookies());
    req.cookie(cookie_name(secure)).map(|cookie| cookie.value().to_owned())
}

/// The session cookie: HttpOnly, SameSite=Strict, for `/api/` only; Secure and
/// `__Secure-` prefixed when served over TLS.
pub fn cookie(id: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(cookie_name(secure), id.to_owned())
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// A cookie that makes the browser forget the session: the same name and path, or the
/// browser would keep the one it has.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = cookie("", secure);
    cookie.make_removal();
    cookie
}

/// Creates a read-only API token for `username`, labelled `label` (already checked with
/// `nansen_shared::token_label`); returns it as listed, with the token, which is shown
/// this once.
pub fn create_token(conn: &mut Conn, username: &str, label: &str) -> anyhow::Result<Option<CreatedToken>> {
    let user: Option<i64> =
        users::table.filter(users::username.eq(username)).select(users::id).first(conn).optional()?;
    let Some(user_id) = user else {
        return Ok(None);
    };
    let token = format!("{TOKEN_PREFIX}{}", random_token(32)?);
    let created_at = now();
    let id = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(digest(&token)),
            api_tokens::created_at.eq(created_at),
            api_tokens::label.eq(label),
        ))
        .returning(api_tokens::id)
        .get_result(conn)?;
    let info = TokenInfo {
        id,
        username: username.to_owned(),
        label: label.to_owned(),
        created_at,
        last_used_at: None,
    };
    Ok(Some(CreatedToken { info, token }))
}

/// Revokes token `id`; returns it as it was listed, if there was one.
pub fn revoke_token(conn: &mut Conn, id: i64) -> QueryResult<Option<TokenInfo>> {
    conn.transaction(|conn| {
        let found = tokens(conn, Some(id))?.pop();
        if found.is_some() {
            diesel::delete(api_tokens::table.find(id)).execute(conn)?;
        }
        Ok(found)
    })
}

pub fn list_tokens(conn: &mut Conn) -> QueryResult<Vec<TokenInfo>> {
    tokens(conn, None)
}

/// Every token, or the one numbered `id`.
fn tokens(conn: &mut Conn, id: Option<i64>) -> QueryResult<Vec<TokenInfo>> {
    let mut query = api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::id)
        .select((
            api_tokens::id,
            users::username,
            api_tokens::label,
            api_tokens::created_at,
            api_tokens::last_used_at,
        ))
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(api_tokens::id.eq(id));
    }
    let rows: Vec<(i64, String, String, i64, Option<i64>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, label, created_at, last_used_at)| TokenInfo {
            id,
            username,
            label,
            created_at,
            last_used_at,
        })
        .collect())
}

/// How the audit log names a token: "#3 for vera (R scripts)".
pub fn describe(token: &TokenInfo) -> String {
    let label = if token.label.is_empty() { String::new() } else { format!(" ({})", token.label) };
    format!("#{} for {}{label}", token.id, token.username)
}

/// The account an API token belongs to, if the token is valid. Its use is noted to the
/// hour: enough for an admin to see which tokens are still in use, and at most one write
/// an hour however often it is used.
pub fn token_account(conn: &mut Conn, token: &str) -> QueryResult<Option<Account>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let found: Option<(i64, Option<i64>, String, String)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(digest(token)))
        .select((api_tokens::id, api_tokens::last_used_at, users::username, users::role))
        .first(conn)
        .optional()?;
    let Some((id, last_used, username, role)) = found else {
        return Ok(None);
    };
    let hour = now() - now().rem_euclid(3600);
    if last_used.is_none_or(|last| last < hour) {
        // Another instance may have noted this hour already; then this changes nothing.
        let stale = api_tokens::last_used_at.is_null().or(api_tokens::last_used_at.lt(hour));
        diesel::update(api_tokens::table.find(id).filter(stale))
            .set(api_tokens::last_used_at.eq(hour))
            .execute(conn)?;
    }
    Ok(Role::parse(&role).map(|role| Account { username, role }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scratch;

    fn user(conn: &mut Conn) -> i64 {
        crate::staff::accounts::create(conn, "ada", Some("a long and fine password 3"), Role::Admin).unwrap();
        users::table.select(users::id).first(conn).unwrap()
    }

    fn age(conn: &mut Conn, created: i64, seen: i64) {
        diesel::update(sessions::table)
            .set((sessions::created_at.eq(now() - created), sessions::last_seen_at.eq(now() - seen)))
            .execute(conn)
            .unwrap();
    }

    #[test]
    fn sessions_expire_when_idle_or_old_and_end_on_logout() {
        let (_dir, mut conn) = scratch();
        let ada = user(&mut conn);
        let id = open(&mut conn, ada).unwrap();
        assert_eq!(resume(&mut conn, &id).unwrap().unwrap().username, "ada");

        age(&mut conn, 60, IDLE_SECONDS + 1);
        assert!(resume(&mut conn, &id).unwrap().is_none(), "idle too long");
        let count: i64 = sessions::table.count().get_result(&mut conn).unwrap();
        assert_eq!(count, 0, "an expired session is deleted");

        let id = open(&mut conn, ada).unwrap();
        age(&mut conn, ABSOLUTE_SECONDS + 1, 10);
        assert!(resume(&mut conn, &id).unwrap().is_none(), "too old, however active");

        let id = open(&mut conn, ada).unwrap();
        end(&mut conn, &id).unwrap();
        assert!(resume(&mut conn, &id).unwrap().is_none());
        assert!(resume(&mut conn, "made-up").unwrap().is_none());
    }

    #[test]
    fn the_cookie_goes_to_the_api_only_and_is_prefixed_over_tls() {
        let plain = cookie("id", false);
        assert_eq!(
            (plain.name(), plain.path(), plain.secure()),
            (SESSION_COOKIE, Some("/api/"), Some(false))
        );
        assert_eq!((plain.http_only(), plain.same_site()), (Some(true), Some(SameSite::Strict)));
        let secure = cookie("id", true);
        assert_eq!(
            (secure.name(), secure.path(), secure.secure()),
            ("__Secure-nansen_session", Some("/api/"), Some(true))
        );
        for secure in [false, true] {
            let removal = removal_cookie(secure);
            assert_eq!((removal.name(), removal.path()), (cookie_name(secure), Some("/api/")));
            assert_eq!(removal.max_age(), Some(actix_web::cookie::time::Duration::ZERO));
        }
    }

    #[test]
    fn only_digests_are_stored() {
        let (_dir, mut conn) = scratch();
        let ada = user(&mut conn);
        let id = open(&mut conn, ada).unwrap();
        let stored: Vec<u8> = sessions::table.select(sessions::id_hash).first(&mut conn).unwrap();
        assert_eq!(stored, Sha256::digest(id.as_bytes()).to_vec());
        let token = create_token(&mut conn, "ada", "").unwrap().unwrap().token;
        assert!(token.starts_with("nansen_") && token.len() == 7 + 43);
        let stored: Vec<u8> = api_tokens::table.select(api_tokens::token_hash).first(&mut conn).unwrap();
        assert_eq!(stored, Sha256::digest(token.as_bytes()).to_vec());
        assert_eq!(token_account(&mut conn, &token).unwrap().unwrap().username, "ada");
        assert!(token_account(&mut conn, "nansen_forged").unwrap().is_none());
    }

    #[test]
    fn a_token_notes_the_hour_it_was_last_used_in() {
        let (_dir, mut conn) = scratch();
        user(&mut conn);
        let created = create_token(&mut conn, "ada", "scripts").unwrap().unwrap();
        assert_eq!(list_tokens(&mut conn).unwrap(), vec![created.info.clone()]);
        assert_eq!(created.info.last_used_at, None);
        token_account(&mut conn, &created.token).unwrap().unwrap();
        let used = list_tokens(&mut conn).unwrap()[0].last_used_at.unwrap();
        assert_eq!(used % 3600, 0, "to the hour");
        assert!((now() - used) < 3600);
        assert_eq!(describe(&created.info), format!("#{} for ada (scripts)", created.info.id));
        assert_eq!(
            revoke_token(&mut conn, created.info.id).unwrap().map(|t| t.label),
            Some("scripts".into())
        );
        assert_eq!(revoke_token(&mut conn, created.info.id).unwrap(), None);
        assert!(token_account(&mut conn, &created.token).unwrap().is_none());
    }
}
