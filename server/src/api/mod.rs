//! The JSON API under `/api/v1`, and the health check.
//!
//! One table below registers every route and lists every documented operation, so the
//! two cannot part: a handler without an OpenAPI annotation does not compile, and a test
//! (tests/api/openapi.rs) holds the document's paths and methods to [`ROUTES`].

use actix_web::Scope;
use actix_web::guard;
use actix_web::web::{self, resource};

use crate::http::methods::allowing;

mod admin;
mod doc;
mod health;
mod invites;
mod research;
mod responses;
mod results;
mod session;
mod surveys;
mod xlsform;

pub use doc::{OPENAPI_PATH, document};

/// Where the API lives; the table's paths are under it.
pub const PREFIX: &str = "/api/v1";

/// Defines [`ROUTES`], [`register`] and the document's list of operations from one
/// table: a path (under [`PREFIX`]), an optional guard that lets other methods go on to
/// the next resource, and each method with its handler.
macro_rules! api_routes {
    ($($path:literal $(if $guard:ident)? => [$($method:ident $module:ident :: $handler:ident),+ $(,)?],)*) => {
        /// Every route under [`PREFIX`] as registered: its path and its methods (lower
        /// case, as OpenAPI names them; `HEAD` is answered wherever `GET` is).
        pub const ROUTES: &[(&str, &[&str])] = &[$(($path, &[$(stringify!($method)),+])),*];

        /// Registers the table, in its order (the router tries resources in turn).
        fn register(scope: Scope) -> Scope {
            scope$(.service(
                allowing(resource($path) $(.guard(guard::$guard()))?, &[$(stringify!($method)),+])
                    $(.route(web::$method().to($module::$handler)))+
            ))*
        }

        /// The operations of the document, each from its handler's annotation.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths(health::check, $($($module::$handler),+),*))]
        struct Operations;
    };
}

api_routes! {
    // First: the router tries resources in order, and this is the busiest.
    "/surveys/{slug}/responses" => [post responses::submit],
    "/surveys" => [get surveys::list],
    "/messages" => [get surveys::all_messages],
    "/messages/staff" => [get surveys::staff_messages],
    "/openapi.json" => [get doc::openapi],
    "/research/surveys" => [get research::surveys],
    "/research/surveys/{slug}/versions/{version}" => [get research::version],
    "/surveys/{slug}" => [get surveys::get],
    "/surveys/{slug}/messages" => [get surveys::messages],
    "/surveys/{slug}/invites/redeem" => [post invites::redeem],
    "/surveys/{slug}/results" => [get results::get],
    "/surveys/{slug}/releases" => [get results::list],
    "/surveys/{slug}/codebook.xml" => [get results::codebook],
    "/session" => [get session::current, post session::login, delete session::logout],
    "/admin/surveys" => [get admin::list_surveys, post admin::create_survey],
    // Only for POST, so that a survey called "import" can still be read and edited at
    // /surveys/import: the router goes on to the next resource.
    "/admin/surveys/import" if Post => [post xlsform::import],
    "/admin/surveys/{slug}" => [get admin::get_survey, put admin::put_survey],
    "/admin/surveys/{slug}/xlsform" => [get xlsform::export],
    "/admin/surveys/{slug}/publish" => [post admin::publish],
    "/admin/surveys/{slug}/close" => [post admin::close],
    "/admin/surveys/{slug}/schedule" => [put admin::reschedule],
    "/admin/surveys/{slug}/releases" => [post admin::release],
    "/admin/surveys/{slug}/invites" => [post admin::create_invites],
    "/admin/users" => [get admin::list_users, post admin::create_user],
    "/admin/users/{name}" => [delete admin::delete_user],
    "/admin/users/{name}/password" => [post admin::reset_password],
    "/admin/tokens" => [get admin::list_tokens, post admin::create_token],
    "/admin/tokens/{id}" => [delete admin::revoke_token],
    "/admin/audit" => [get admin::audit_log],
}

/// The health check, outside the API: `GET /healthz`.
pub const HEALTH_PATH: &str = "/healthz";

/// Routes are registered as resources, so that a known path with an unknown method
/// answers 405 (with `Allow`) rather than 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(allowing(resource(HEALTH_PATH), &["get"]).route(web::get().to(health::check)))
        .service(register(web::scope(PREFIX)));
}
