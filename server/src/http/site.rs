//! What the server knows of the deployment in front of it and of the client on the other
//! end: its public origin, whether a reverse proxy names the client, and the checks
//! that follow from them.

use actix_web::http::Method;
use actix_web::{HttpRequest, web};
use nansen_shared::ProblemKind;

use crate::http::problem::ApiError;

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
