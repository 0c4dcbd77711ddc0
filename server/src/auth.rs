//! Who is asking: extractors for staff (by session cookie or read-only API token) and
//! for admins (by session only), and the same-origin check on state-changing requests.
//! Respondents never authenticate.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use nansen_shared::{ProblemKind, Role};

use crate::db::{self, Pool};
use crate::problem::ApiError;
use crate::sessions::{self, Account, SESSION_COOKIE};

/// How the deployment presents itself; decides cookie and origin checks.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// `NANSEN_PUBLIC_URL`'s origin (`https://survey.example.org`), if configured.
    pub public_origin: Option<String>,
    /// `NANSEN_BEHIND_PROXY`: trust the last `X-Forwarded-For` hop as the client.
    pub behind_proxy: bool,
}

impl Site {
    /// Cookies are `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_origin.as_deref().is_some_and(|o| o.starts_with("https://"))
    }
}

/// How a staff member proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    /// A bearer API token: read-only.
    Token,
}

/// A staff member, by session or API token. As an extractor: 401 without either.
#[derive(Debug, Clone)]
pub struct Staff {
    pub account: Account,
    pub via: Via,
}

impl Staff {
    /// The staff member behind `req`, if any. A session cookie is tried first, then an
    /// `Authorization: Bearer` token; a token that is present but wrong is an error.
    pub async fn of(req: &HttpRequest) -> Result<Option<Staff>, ApiError> {
        let pool = pool(req)?;
        if let Some(cookie) = req.cookie(SESSION_COOKIE) {
            let id = cookie.value().to_owned();
            if let Some(account) = db::run(pool, move |conn| sessions::resume(conn, &id)).await? {
                return Ok(Some(Staff { account, via: Via::Session }));
            }
        }
        let Some(authorization) = req.headers().get(header::AUTHORIZATION) else {
            return Ok(None);
        };
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| {
                ApiError::new(
                    ProblemKind::Unauthenticated,
                    "Send the API token as `Authorization: Bearer <token>`.",
                )
            })?;
        match db::run(pool, move |conn| sessions::token_account(conn, &token)).await? {
            Some(account) => Ok(Some(Staff { account, via: Via::Token })),
            None => Err(ApiError::new(
                ProblemKind::Unauthenticated,
                "This API token is not valid; it may have been revoked.",
            )),
        }
    }
}

fn pool(req: &HttpRequest) -> Result<&web::Data<Pool>, ApiError> {
    req.app_data::<web::Data<Pool>>().ok_or_else(|| ApiError::internal(anyhow::anyhow!("no database pool")))
}

fn unauthenticated() -> ApiError {
    ApiError::new(
        ProblemKind::Unauthenticated,
        "Log in with a staff account, or send a researcher API token.",
    )
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Staff::of(&req).await?.ok_or_else(unauthenticated) })
    }
}

/// An admin, logged in with a session. As an extractor: 401 without credentials, 403
/// for a researcher or for any API token, and 403 for a cross-origin change.
#[derive(Debug, Clone)]
pub struct Admin(pub Account);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let staff = Staff::of(&req).await?.ok_or_else(unauthenticated)?;
            if staff.via == Via::Token {
                return Err(ApiError::new(
                    ProblemKind::Forbidden,
                    "API tokens are read-only; log in as an admin to change anything.",
                ));
            }
            if staff.account.role != Role::Admin {
                return Err(ApiError::new(ProblemKind::Forbidden, "Only admins may do this."));
            }
            same_origin(&req)?;
            Ok(Admin(staff.account))
        })
    }
}

/// Refuses a state-changing request sent from another site's page: a browser always
/// says where a POST, PUT or DELETE comes from (`Origin`, `Sec-Fetch-Site`), and it
/// must be this server.
pub fn same_origin(req: &HttpRequest) -> Result<(), ApiError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let refuse = || ApiError::new(ProblemKind::Forbidden, "Changes must come from this server's own pages.");
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site").is_some_and(|site| site != "same-origin" && site != "none") {
        return Err(refuse());
    }
    let Some(origin) = header("origin") else {
        // Not a browser (curl, scripts): nothing a third-party page can forge.
        return Ok(());
    };
    let expected = match req.app_data::<web::Data<Site>>().and_then(|s| s.public_origin.clone()) {
        Some(public) => public,
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    if origin.eq_ignore_ascii_case(&expected) { Ok(()) } else { Err(refuse()) }
}

/// A stable name for the client, for throttling only (keyed-hashed there, never kept).
/// Behind a reverse proxy (`NANSEN_BEHIND_PROXY`), the address the proxy saw.
pub fn client_address(req: &HttpRequest, site: &Site) -> String {
    if site.behind_proxy
        && let Some(forwarded) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(last) = forwarded.rsplit(',').next()
    {
        return last.trim().to_owned();
    }
    // Used only as a throttling key, hashed in memory; never stored or logged.
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}
