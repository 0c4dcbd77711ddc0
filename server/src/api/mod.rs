//! The JSON API under `/api/v1`, and the health check.

use actix_web::web::{self, delete, get, post, resource};

mod health;
mod responses;
mod results;
mod session;
mod surveys;

/// Routes are registered as resources, so that a known path with an unknown method
/// answers 405 rather than 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(get().to(health::check))).service(
        web::scope("/api/v1")
            .service(resource("/surveys").route(get().to(surveys::list)))
            .service(resource("/surveys/{slug}").route(get().to(surveys::get)))
            .service(resource("/surveys/{slug}/responses").route(post().to(responses::submit)))
            .service(resource("/surveys/{slug}/results").route(get().to(results::get)))
            .service(
                resource("/session")
                    .route(get().to(session::current))
                    .route(post().to(session::login))
                    .route(delete().to(session::logout)),
            ),
    );
}
