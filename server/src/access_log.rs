//! The access log: method, route template, status and latency — nothing else. No
//! address, no User-Agent, no query string, no body, not even the concrete path.

use std::time::Duration;

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;

pub fn record<B>(method: &Method, response: &ServiceResponse<B>, elapsed: Duration) {
    let route = response.request().match_pattern();
    tracing::info!(
        target: "nansen::access",
        method = %method,
        route = route.as_deref().unwrap_or("(unmatched)"),
        status = response.status().as_u16(),
        micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
    );
}
