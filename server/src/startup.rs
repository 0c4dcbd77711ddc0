//! Building the application: open the database, prepare first-start data, bind the
//! listener (port 0 works, for tests) and assemble the HTTP service.

use std::io::IsTerminal as _;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Server, Service, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::web::resource;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use nansen_shared::{Problem, ProblemKind};
use socket2::{Domain, Protocol, Socket, Type};

use crate::api;
use crate::config::{self, Config};
use crate::disclosure::clock::Clock;
use crate::http::access_log;
use crate::http::bound::Bounds;
use crate::http::deadline;
use crate::http::methods::{self, allowing};
use crate::http::problem::{self, PROBLEM_JSON, problem_response};
use crate::http::site::Site;
use crate::http::throttle::Throttle;
use crate::staff::accounts;
use crate::storage;
use crate::submission::{Entrance, NullifierKey};
use crate::surveys::catalog::Catalog;
use crate::surveys::invites::{self, CodeKey};
use crate::surveys::seed;
use crate::web::assets::{self, Assets};
use crate::web::i18n::Translations;
use crate::web::pages;

/// The largest request body accepted anywhere.
pub const MAX_BODY: usize = 64 * 1024;

/// Every response carries these. The policy allows this server's own scripts and
/// WebAssembly and nothing from anywhere else.
const SECURITY_HEADERS: [(&str, &str); 6] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "accelerometer=(), ambient-light-sensor=(), camera=(), geolocation=(), gyroscope=(), \
         magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()",
    ),
];

pub struct Application {
    port: u16,
    server: Server,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application").field("port", &self.port).finish_non_exhaustive()
    }
}

impl Application {
    pub fn build(config: Config) -> anyhow::Result<Self> {
        let mut limits = config.limits;
        limits.max_connections = open_files_for(limits.max_connections, config.pool_size);
        let pool = storage::open(&config.database, config.pool_size)?;
        let listener =
            listen(&config.bind).map_err(|e| anyhow::anyhow!("could not listen on {}: {e}", config.bind))?;
        let address = listener.local_addr()?;
        let password_file = config::beside_database(&config.database, "admin-password");
        let (password, seeded, nullifiers) = storage::exclusively(&mut *pool.get()?, |conn| {
            invites::install(CodeKey::open(conn, &config.key_file)?);
            let password = accounts::bootstrap_admin(conn, config.admin_password.as_ref())?;
            if let Some(password) = &password {
                // Before the account is committed: if the file cannot be written, there is
                // no account whose password nobody knows.
                accounts::keep_password(&password_file, password)?;
            }
            storage::counters::adopt(conn)?;
            anyhow::Ok((password, seed::seed(conn)?, NullifierKey::load_or_create(conn)?))
        })?;
        if let Some(password) = password {
            // Never logged, and printed only to a terminal: service managers keep standard
            // output in their journal. Whoever started the server reads it from the file.
            let file = std::fs::canonicalize(&password_file).unwrap_or(password_file);
            println!(
                "\nFirst start: created the staff account \"admin\". Its password is in\n\n    {}\n\n\
                 (readable only by this user). Log in at http://{address}/admin, keep the password \
                 safe, and delete the file.\n",
                file.display()
            );
            if std::io::stdout().is_terminal() {
                println!("The password, shown this once:\n\n    {password}\n");
            }
        }
        if seeded {
            tracing::info!("published the default survey at /s/diaspora");
        }
        let throttle = web::Data::new(Throttle::new(limits.allowance)?);
        let bounds = web::Data::new(Bounds::new(limits.login_queue, limits.invite_queue));
        let writer = storage::connect_writer(&config.database)?;
        let entrance = Entrance::start(
            nullifiers,
            (writer, config.batching, limits.mixer_queue),
            pool.clone(),
            throttle.clone().into_inner(),
        )?;
        let entrance = web::Data::new(entrance);
        let clock = web::Data::new(Clock::start(pool.clone(), config.release_check)?);
        let assets = web::Data::new(Assets::load(config.assets.as_deref())?);
        let catalog = web::Data::new(Catalog::new(pool.clone()));
        let pool = web::Data::new(pool);
        let translations = web::Data::new(Translations::load()?);
        let site = web::Data::new(Site {
            public_origin: config.public_origin.clone(),
            behind_proxy: config.behind_proxy,
        });

        let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let body_timeout = limits.body_timeout;
        let server = HttpServer::new(move || {
            let security = SECURITY_HEADERS.iter().fold(DefaultHeaders::new(), |h, (k, v)| h.add((*k, *v)));
            App::new()
                .app_data(pool.clone())
                .app_data(catalog.clone())
                .app_data(clock.clone())
                .app_data(entrance.clone())
                .app_data(assets.clone())
                .app_data(throttle.clone())
                .app_data(bounds.clone())
                .app_data(site.clone())
                .app_data(translations.clone())
                .app_data(web::JsonConfig::default().limit(MAX_BODY).error_handler(problem::json_error))
                .app_data(web::PayloadConfig::new(MAX_BODY))
                .app_data(web::FormConfig::default().limit(MAX_BODY))
                .app_data(web::QueryConfig::default().error_handler(problem::query_error))
                .app_data(web::PathConfig::default().error_handler(problem::path_error))
                .configure(api::configure)
                .service(allowing(resource("/assets/{name}"), &["get"]).get(assets::serve))
                .service(allowing(resource("/"), &["get"]).get(pages::index))
                .service(
                    allowing(resource("/s/{slug}"), &["get", "post"])
                        .get(pages::survey)
                        .route(web::post().to(pages::answer)),
                )
                .service(allowing(resource("/s/{slug}/done"), &["get"]).get(pages::done))
                .service(allowing(resource(["/admin", "/admin/{rest:.*}"]), &["get"]).get(pages::staff))
                .service(allowing(resource(["/research", "/research/{rest:.*}"]), &["get"]).get(pages::staff))
                .default_service(web::to(fallback))
                .wrap_fn(move |mut req, srv| {
                    if matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
                        deadline::limit_body(&mut req, body_timeout);
                    }
                    srv.call(req)
                })
                .wrap(ErrorHandlers::new().default_handler(ensure_problem))
                // Innermost, so that the access log still says HEAD.
                .wrap_fn(|mut req, srv| {
                    methods::head_as_get(&mut req);
                    srv.call(req)
                })
                .wrap(security)
                .wrap_fn(|req, srv| {
                    let start = Instant::now();
                    let method = req.method().clone();
                    let response = srv.call(req);
                    async move {
                        let response = response.await?;
                        access_log::record(&method, &response, start.elapsed());
                        Ok(response)
                    }
                })
        })
        // Slow or idle clients are closed, and at most `max_connections` held at once (more
        // wait in the kernel's backlog): a few thousand of them cannot use up the open
        // files, nor starve respondents.
        .workers(workers)
        .max_connections(limits.max_connections.div_ceil(workers))
        .client_request_timeout(limits.header_timeout)
        .client_disconnect_timeout(Duration::from_secs(2))
        .keep_alive(limits.keep_alive)
        .listen(listener)?
        .run();
        tracing::info!("listening on http://{address}");
        if let Some(path) = &config.ready_file {
            announce(path, &format!("http://{address}\n"))
                .map_err(|e| anyhow::anyhow!("could not write NANSEN_READY_FILE {}: {e}", path.display()))?;
        }
        Ok(Self { port: address.port(), server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is told to stop (SIGINT/SIGTERM), then drains.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Open files the server keeps besides connections: the database and its pool, the
/// log, the event loop, assets, exports being written.
const OTHER_FILES: usize = 256;

/// Raises the open-file limit (its soft limit, up to the hard one) to what
/// `max_connections` and the pool need, says what it set, and returns how many
/// connections fit in it.
fn open_files_for(max_connections: usize, pool: u32) -> usize {
    let others = OTHER_FILES + pool as usize;
    let needed = max_connections + others;
    match rlimit::increase_nofile_limit(needed as u64) {
        Ok(limit) if limit as usize >= needed => {
            tracing::info!("open-file limit {limit}: room for {max_connections} connections");
            max_connections
        }
        Ok(limit) => {
            let fit = (limit as usize).saturating_sub(others).max(16);
            tracing::warn!(
                "open-file limit {limit} (its hard limit) is below the {needed} needed: at most {fit} connections \
                 (raise LimitNOFILE, or ulimit -n, for more)"
            );
            fit
        }
        Err(e) => {
            tracing::warn!(
                "could not read or raise the open-file limit ({e}); at most {max_connections} connections"
            );
            max_connections
        }
    }
}

/// Writes `address` to `path` whole or not at all (a reader polling for the file never
/// sees half of it): to a temporary file beside it, then renamed.
fn announce(path: &std::path::Path, address: &str) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, address)?;
    std::fs::rename(&partial, path)
}

/// How many connections the kernel may hold for the server before it accepts them.
/// The standard library's 128 is too few for a burst of new connections (a survey link
/// posted to a large channel, a reverse proxy opening its pool): the kernel drops the
/// rest of the handshakes and each waits a second or more to try again. 2048 is
/// actix-web's own default; the kernel lowers it to `net.core.somaxconn` if that is less.
const BACKLOG: i32 = 2048;

/// A listening socket with room for [`BACKLOG`], on the first address `bind` names that
/// can be bound (as the standard library's `TcpListener::bind` tries each in turn).
fn listen(bind: &str) -> std::io::Result<TcpListener> {
    let mut error = std::io::Error::new(std::io::ErrorKind::InvalidInput, "the address names no host");
    for address in bind.to_socket_addrs()? {
        match listen_on(address) {
            Ok(listener) => return Ok(listener),
            Err(e) => error = e,
        }
    }
    Err(error)
}

fn listen_on(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, Some(Protocol::TCP))?;
    // As the standard library does: a restart need not wait for old connections to time out.
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Anything no route matched: a problem under `/api`, an HTML page elsewhere.
async fn fallback(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        problem_response(
            &Problem::new(ProblemKind::NotFound, "There is no API endpoint at this address."),
            None,
        )
    } else {
        pages::not_found(&req)
    }
}

/// Whether `path` is the API's (or the health check's), whose errors are problem documents.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == api::HEALTH_PATH
}

/// Errors raised outside our handlers (a wrong method, say) still answer API clients
/// with a problem document.
fn ensure_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let allow = methods::allow_of(&res);
    let is_api = is_api(res.request().path());
    if is_problem || !is_api && allow.is_none() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    if !is_api {
        // A page's 405 (`methods::allowing`): a page saying so, with `Allow`.
        let (req, _) = res.into_parts();
        let mut response = pages::method_not_allowed(&req);
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        return Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()));
    }
    let status = res.status();
    let kind = match status.as_u16() {
        405 => ProblemKind::MethodNotAllowed,
        404 => ProblemKind::NotFound,
        413 => ProblemKind::PayloadTooLarge,
        415 => ProblemKind::UnsupportedMediaType,
        s if s >= 500 => ProblemKind::Internal,
        _ => ProblemKind::InvalidBody,
    };
    let detail = match kind {
        ProblemKind::MethodNotAllowed => {
            "This endpoint does not accept this method; the API table in the README lists each endpoint's methods."
        }
        ProblemKind::Internal => "The server could not complete the request, and nothing was changed.",
        _ => "The request could not be handled as sent.",
    };
    let mut problem = Problem::new(kind, detail);
    problem.status = status.as_u16();
    let (req, _) = res.into_parts();
    let mut response = problem_response(&problem, None);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    let res: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(req, response).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
