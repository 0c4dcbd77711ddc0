//! The access log: method, route template, status and latency — nothing else. No
//! address, no User-Agent, no query string, no body, not even the concrete path.
//!
//! A respondent's own requests (answers sent, invite codes exchanged) are logged only
//! at debug level: their times, side by side, are what could link an invite code's
//! exchange to the answers sent with it (see docs/THREAT_MODEL.md).

use std::time::Duration;

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;

/// The routes through which a respondent sends something.
const RESPONDENT_WRITES: [&str; 3] =
    ["/api/v1/surveys/{slug}/responses", "/api/v1/surveys/{slug}/invites/redeem", "/s/{slug}"];

pub fn record<B>(method: &Method, response: &ServiceResponse<B>, elapsed: Duration) {
    let route = response.request().match_pattern();
    let route = route.as_deref().unwrap_or("(unmatched)");
    let status = response.status().as_u16();
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    if method == Method::POST && RESPONDENT_WRITES.contains(&route) {
        tracing::debug!(target: "nansen::access", method = %method, route, status, micros);
    } else {
        tracing::info!(target: "nansen::access", method = %method, route, status, micros);
    }
}
