//! Who is asking: extractors for staff (by session cookie or read-only API token) and
//! for admins (by session only), and the same-origin check on state-changing requests.
//! Respondents never authenticate.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use nansen_shared::{ProblemKind, Role};

use crate::http::problem::ApiError;
use crate::http::site::same_origin;
use crate::staff::sessions::{self, Account};
use crate::storage::{self, Pool};

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
        if let Some(id) = sessions::session_id(req)
            && let Some(account) = storage::run(pool, move |conn| sessions::resume(conn, &id)).await?
        {
            return Ok(Some(Staff { account, via: Via::Session }));
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
        match storage::run(pool, move |conn| sessions::token_account(conn, &token)).await? {
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
