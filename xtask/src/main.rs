//! `cargo xtask run` builds the browser client and serves everything on
//! http://127.0.0.1:8080 with an embedded SQLite database; `cargo xtask test` runs every
//! check CI runs, then the integration tests again on a throwaway PostgreSQL. Both install
//! what they need (the wasm32 target, libpq, PostgreSQL, Chromium) or say what is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

mod bench;
mod browser;
mod client;
mod fuzz;
mod layers;
mod load;
mod loopback;
mod postgres;
mod python;
mod suites;
mod supply;
mod system;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// How long `cargo xtask test` runs each fuzz target: a smoke test of the seeds and what
/// grows from them, within CI's time.
const FUZZ_SECONDS: u64 = 10;

const USAGE: &str = "usage: cargo xtask <command>

  run           build the client and run the server (http://127.0.0.1:8080)
  test          formatting, lints (native and wasm32), the shared-crate contract, all tests,
                then the integration tests again on a throwaway PostgreSQL
  build-client  build the browser client into target/site and print its sizes
  fuzz [SECONDS]
                run each fuzz target (fuzz/) for SECONDS (default 60) and print its executions
  deny          cargo deny: advisories (supply/advisory-db), licences, duplicates, sources
  advisories refresh [GIT-URL-OR-PATH]
                take a new snapshot of the RustSec advisory database into supply/advisory-db
  bench login   measure staff login latency and memory per concurrent login (release build)
  bench page    measure the respondent page: bytes downloaded and time to the first question on slow 3G
  bench submissions [CONNECTIONS [SECONDS [sqlite|postgres [slow]]]]
                submissions per second, latency and memory, naive and batched, on SQLite and
                on PostgreSQL with two instances; results at 10^6 respondents (release build;
                default 2048 connections, 10 s per mode, both backends); also the SQLite
                default with 2,000 slow connections held open; `slow`: only the two SQLite
                default modes (without the fill to 10^6)
  bench releases what making a release of the default survey costs, with noise and exact, and reading one
  bench invites making, exchanging and redeeming invite codes: server, native client, browser
  bench counters
                PostgreSQL counter updates from concurrent writers: one row per counter
                (what the server does) vs each counter spread over 8 slots (pgbench)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        Some("build-client") => client::build().map(|_| ()),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("deny") => supply::check(),
        Some("advisories") if args.get(1).is_some_and(|a| a == "refresh") => supply::refresh(&args[2..]),
        Some("bench") => bench::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Where the built client goes, served by the server as `/assets/`.
fn site_dir() -> PathBuf {
    target_dir().join("site")
}

/// The cargo that runs this xtask (so the same toolchain builds everything).
fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs `command`, echoing it, and fails if it fails.
fn step(what: &str, command: &mut Command) -> Result<()> {
    println!("\n==> {what}");
    let began = std::time::Instant::now();
    let status = command.status().with_context(|| format!("could not start {command:?}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    println!("    ({what}: {:.0} s)", began.elapsed().as_secs_f64());
    Ok(())
}

fn run() -> Result<()> {
    postgres::ensure_libpq()?;
    client::build()?;
    let mut server = cargo();
    server.args(["run", "--release", "--package", "nansen-server", "--bin", "nansen"]);
    if std::env::var_os("NANSEN_ASSETS").is_none() {
        server.env("NANSEN_ASSETS", site_dir());
    }
    step("build and run the server", &mut server)
}

fn test() -> Result<()> {
    step("formatting", cargo().args(["fmt", "--all", "--", "--check"]))?;
    supply::check()?;
    layers::check(&root().join("server/src"))?;
    client::ensure_wasm_target()?;
    postgres::ensure_libpq()?;
    step("lints", cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    step(
        "lints of the client for wasm32",
        cargo().args([
            "clippy",
            "-p",
            "nansen-client",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    shared_contract()?;
    browser::ensure_installed()?;
    let axe = browser::ensure_axe()?;
    let tools = python::ensure()?;
    client::build()?;
    suites::run(&axe, &tools)?;
    fuzz::fuzz(FUZZ_SECONDS)?;
    println!("\nAll checks passed.");
    Ok(())
}

/// The shared crate is the contract between browser and server: it must build for
/// wasm32 and depend on neither actix nor diesel.
fn shared_contract() -> Result<()> {
    step(
        "the shared crate builds for wasm32",
        cargo().args(["check", "-p", "nansen-shared", "--target", WASM_TARGET]),
    )?;
    println!("\n==> the shared crate depends on neither actix nor diesel");
    for target in ["all", WASM_TARGET] {
        let output = cargo()
            .args([
                "tree",
                "-p",
                "nansen-shared",
                "--edges",
                "normal,build",
                "--prefix",
                "none",
                "--target",
                target,
            ])
            .output()
            .context("could not run cargo tree")?;
        if !output.status.success() {
            bail!("cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let forbidden: Vec<&str> =
            tree.lines().filter(|line| line.starts_with("actix") || line.starts_with("diesel")).collect();
        if !forbidden.is_empty() {
            bail!("nansen-shared must not depend on actix or diesel, but pulls in: {forbidden:?}");
        }
        let count = tree.lines().filter(|l| !l.trim().is_empty()).count();
        println!("    {target}: {count} crates, none of them actix or diesel");
    }
    Ok(())
}
