//! HTTP plumbing shared by the API and the pages: problem documents, what is known of
//! the client and the deployment, in-memory throttling, compression, the access log,
//! methods and 405s.

pub mod access_log;
pub mod bound;
pub mod compress;
pub mod deadline;
pub mod methods;
pub mod problem;
pub mod site;
pub mod throttle;

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::http::header;

/// A file to download: never cached, saved under `name`.
pub fn attachment(content_type: &str, name: &str, body: impl MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}
