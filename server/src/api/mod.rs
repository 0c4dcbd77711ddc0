//! The JSON API under `/api/v1`, and the health check.

use actix_web::guard;
use actix_web::web::{self, delete, get, post, put, resource};

mod admin;
mod health;
mod invites;
mod research;
mod responses;
mod results;
mod session;
mod surveys;
mod xlsform;

/// Routes are registered as resources, so that a known path with an unknown method
/// answers 405 rather than 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(get().to(health::check))).service(
        web::scope("/api/v1")
            // First: the router tries resources in order, and this is the busiest.
            .service(resource("/surveys/{slug}/responses").route(post().to(responses::submit)))
            .service(resource("/surveys").route(get().to(surveys::list)))
            .service(resource("/messages").route(get().to(surveys::all_messages)))
            .service(resource("/messages/staff").route(get().to(surveys::staff_messages)))
            .service(resource("/research/surveys").route(get().to(research::surveys)))
            .service(
                resource("/research/surveys/{slug}/versions/{version}").route(get().to(research::version)),
            )
            .service(resource("/surveys/{slug}").route(get().to(surveys::get)))
            .service(resource("/surveys/{slug}/messages").route(get().to(surveys::messages)))
            .service(resource("/surveys/{slug}/invites/redeem").route(post().to(invites::redeem)))
            .service(resource("/surveys/{slug}/results").route(get().to(results::get)))
            .service(resource("/surveys/{slug}/releases").route(get().to(results::list)))
            .service(resource("/surveys/{slug}/codebook.xml").route(get().to(results::codebook)))
            .service(
                resource("/session")
                    .route(get().to(session::current))
                    .route(post().to(session::login))
                    .route(delete().to(session::logout)),
            )
            .service(
                web::scope("/admin")
                    .service(
                        resource("/surveys")
                            .route(get().to(admin::list_surveys))
                            .route(post().to(admin::create_survey)),
                    )
                    // Only for POST, so that a survey called "import" can still be read
                    // and edited at /surveys/import: the router goes on to the next resource.
                    .service(
                        resource("/surveys/import").guard(guard::Post()).route(post().to(xlsform::import)),
                    )
                    .service(
                        resource("/surveys/{slug}")
                            .route(get().to(admin::get_survey))
                            .route(put().to(admin::put_survey)),
                    )
                    .service(resource("/surveys/{slug}/xlsform").route(get().to(xlsform::export)))
                    .service(resource("/surveys/{slug}/publish").route(post().to(admin::publish)))
                    .service(resource("/surveys/{slug}/close").route(post().to(admin::close)))
                    .service(resource("/surveys/{slug}/schedule").route(put().to(admin::reschedule)))
                    .service(resource("/surveys/{slug}/releases").route(post().to(admin::release)))
                    .service(resource("/surveys/{slug}/invites").route(post().to(admin::create_invites)))
                    .service(
                        resource("/users")
                            .route(get().to(admin::list_users))
                            .route(post().to(admin::create_user)),
                    )
                    .service(resource("/users/{name}").route(delete().to(admin::delete_user)))
                    .service(
                        resource("/tokens")
                            .route(get().to(admin::list_tokens))
                            .route(post().to(admin::create_token)),
                    )
                    .service(resource("/tokens/{id}").route(delete().to(admin::revoke_token)))
                    .service(resource("/audit").route(get().to(admin::audit_log))),
            ),
    );
}
