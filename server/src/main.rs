//! `nansen`: serve the surveys. Configuration comes from the environment (see README).

use std::io::IsTerminal;
use std::process::ExitCode;

use nansen_server::config::Config;
use nansen_server::startup::Application;
use tracing_subscriber::EnvFilter;

const USAGE: &str = "usage: nansen [serve]
       nansen migrate          bring the database's schema up to date, and exit
       nansen user|token ...   (see below)

Serves the surveys over HTTP. Configured by environment variables:
  NANSEN_BIND            address to listen on (default 127.0.0.1:8080)
  DATABASE_URL           SQLite file path or sqlite://path (default nansen.db), or postgres://...
  NANSEN_DB_POOL         database connections for requests (default 8)
  NANSEN_BATCH_MAX       most submissions per transaction (default 1024)
  NANSEN_BATCH_WINDOW_MS how long a batch waits for more (default 200)
  NANSEN_ADMIN_PASSWORD  password of the first admin, on first start only
  NANSEN_ASSETS          directory of the built browser client
  NANSEN_LOG             log filter, such as info or warn (default info)
  NANSEN_PUBLIC_URL      the address people use, such as https://survey.example.org
  NANSEN_BEHIND_PROXY    true when a reverse proxy sets X-Forwarded-For

Accounts and tokens (on the server machine, same DATABASE_URL):";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve(),
        ["migrate"] => migrate(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}\n{}", nansen_server::cli::USAGE);
            ExitCode::SUCCESS
        }
        ["user" | "token", ..] => {
            nansen_server::cli::run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        }
        _ => {
            eprintln!("nansen: unknown arguments {args:?}\n\n{USAGE}\n{}", nansen_server::cli::USAGE);
            ExitCode::from(2)
        }
    }
}

/// Migrates and exits: for deployments that upgrade the schema before starting the
/// instances (which also migrate at start, one at a time).
fn migrate() -> ExitCode {
    let result =
        Config::from_env().map_err(anyhow::Error::from).and_then(|c| nansen_server::db::migrate(&c.database));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("nansen: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("NANSEN_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let result = actix_web::rt::System::new().block_on(async {
        let config = Config::from_env()?;
        let app = Application::build(config)?;
        app.run_until_stopped().await?;
        anyhow::Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("nansen: {error:#}");
            ExitCode::FAILURE
        }
    }
}
