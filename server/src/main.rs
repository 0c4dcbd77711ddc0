//! `nansen`: serve the surveys. Configuration comes from the environment (see README);
//! the command line is defined in `nansen_server::cli`.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use nansen_server::cli::{Cli, Command};
use nansen_server::config::Config;
use nansen_server::startup::Application;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Usage errors exit here with code 2, and `--help` with 0, before anything is read.
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Migrate => migrate(),
        Command::Staff(command) => nansen_server::cli::run(command),
    }
}

/// Migrates and exits: for deployments that upgrade the schema before starting the
/// instances (which also migrate at start, one at a time).
fn migrate() -> ExitCode {
    let result = Config::from_env()
        .map_err(anyhow::Error::from)
        .and_then(|c| nansen_server::storage::migrate(&c.database));
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
