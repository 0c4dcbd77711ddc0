//! Gzip for what is sent to slow networks: assets (once, at start-up), pages and the
//! larger JSON documents (as they are made). Small API replies go as they are. Replies
//! to a respondent's answers go the other way: padded, never compressed ([`padded`]).

use std::io::Write;

use actix_web::body::MessageBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Bodies smaller than this are not worth a gzip header and the work.
const WORTH_IT: usize = 1024;

/// `bytes`, gzipped at the best ratio.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Whether the browser takes gzip.
pub fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip")))
}

/// A 200 response with `body`, gzipped when that helps and the browser takes it.
pub fn ok(req: &HttpRequest, content_type: &str, cache_control: &str, body: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((header::CACHE_CONTROL, cache_control.to_owned()))
        .insert_header((header::VARY, "Accept-Encoding"));
    let gzipped = (body.len() >= WORTH_IT && accepts_gzip(req)).then(|| gzip(&body).ok()).flatten();
    match gzipped {
        Some(gzipped) => response.insert_header((header::CONTENT_ENCODING, "gzip")).body(gzipped),
        None => response.body(body),
    }
}

/// A JSON document (serialising plain data cannot fail; the fallback is `null`).
pub fn json(req: &HttpRequest, cache_control: &str, value: &impl serde::Serialize) -> HttpResponse {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    ok(req, "application/json", cache_control, body)
}

/// `response` with its body filled with spaces to `size(its length)` bytes, and never
/// compressed (compression would make the length depend on the content again): for
/// the replies to a respondent's answers, whose length must say nothing about them
/// (see `nansen_shared::pad`).
pub fn padded(response: HttpResponse, size: impl Fn(usize) -> usize) -> HttpResponse {
    let (head, body) = response.into_parts();
    // Every reply padded here is made whole in memory; a stream would come back empty.
    let bytes = body.try_into_bytes().map(|b| b.to_vec()).unwrap_or_default();
    let size = size(bytes.len());
    head.set_body(nansen_shared::pad::fill(bytes, size)).map_into_boxed_body()
}
