//! The access log: method, route template, status and latency — nothing else. No
//! address, no User-Agent, no query string, no body, not even the concrete path.
//!
//! At the default level (info) it records staff requests only, and errors of the server
//! (5xx) whoever asked. Everything a respondent's browser asks for — the index, a
//! survey's page and definition, its messages, the assets, answers sent, invite codes
//! exchanged, a mistyped address — is logged only at debug: its time, beside the others',
//! is a trace of one person's visit, and two of them side by side could link an invite
//! code's exchange to the answers sent with it (see docs/THREAT_MODEL.md).

use std::time::Duration;

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;

/// Routes only staff (or their API tokens) use, by route template: the admin and
/// researcher APIs, logging in and out, results and their releases, and the staff
/// screens' pages.
fn is_staff(route: &str) -> bool {
    let under = |prefix: &str| route == prefix || route.starts_with(&format!("{prefix}/"));
    under("/api/v1/admin")
        || under("/api/v1/research")
        || route == "/api/v1/session"
        || route == "/api/v1/surveys/{slug}/results"
        || route == "/api/v1/surveys/{slug}/releases"
        || under("/admin")
        || under("/research")
}

/// Whether a request is logged at info (else at debug).
fn at_info(route: &str, status: u16) -> bool {
    is_staff(route) || status >= 500
}

pub fn record<B>(method: &Method, response: &ServiceResponse<B>, elapsed: Duration) {
    let route = response.request().match_pattern();
    let route = route.as_deref().unwrap_or("(unmatched)");
    let status = response.status().as_u16();
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    if at_info(route, status) {
        tracing::info!(target: "nansen::access", method = %method, route, status, micros);
    } else {
        tracing::debug!(target: "nansen::access", method = %method, route, status, micros);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_requests_and_server_errors_are_logged_at_info() {
        for route in [
            "/api/v1/admin/surveys",
            "/api/v1/admin/surveys/{slug}/invites",
            "/api/v1/research/surveys",
            "/api/v1/research/surveys/{slug}/versions/{version}",
            "/api/v1/session",
            "/api/v1/surveys/{slug}/results",
            "/api/v1/surveys/{slug}/releases",
            "/admin",
            "/admin/{rest:.*}",
            "/research",
            "/research/{rest:.*}",
        ] {
            assert!(at_info(route, 200), "{route}");
        }
        for route in [
            "/",
            "/s/{slug}",
            "/assets/{name}",
            "/api/v1/surveys",
            "/api/v1/surveys/{slug}",
            "/api/v1/surveys/{slug}/messages",
            "/api/v1/messages",
            "/api/v1/surveys/{slug}/responses",
            "/api/v1/surveys/{slug}/invites/redeem",
            "/healthz",
            "(unmatched)",
            "/administrator",
            "/api/v1/sessions",
        ] {
            assert!(!at_info(route, 200), "{route}");
            assert!(!at_info(route, 404), "{route}");
            assert!(at_info(route, 500) && at_info(route, 503), "{route}: the operator must see failures");
        }
    }
}
