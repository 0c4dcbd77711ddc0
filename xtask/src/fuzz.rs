//! `cargo xtask fuzz [SECONDS]`: each fuzz target of fuzz/ (libFuzzer through
//! libfuzzer-sys) for a bounded time, with the seed corpus of fuzz/corpus, printing how
//! many inputs each ran. `cargo xtask test` runs it briefly.
//!
//! The targets are built by plain cargo, not `cargo fuzz`, on the stable toolchain: in
//! the debug profile and the target directory the tests use, with `fuzz/rustc-coverage`
//! as rustc, which instruments only our crates (libFuzzer is guided by the coverage of
//! our parsers and checks). So the dependencies the tests built are reused instead of
//! compiled again with instrumentation (about four minutes of `cargo fuzz build` here).
//! `cargo fuzz run TARGET` (cargo-fuzz is in target/cargo-tools/bin) still works, with
//! `--sanitizer none` on stable, for long runs that instrument everything.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::step;

/// The fuzz targets (the `[[bin]]`s of fuzz/Cargo.toml).
const TARGETS: [&str; 4] = ["submission", "form", "survey", "xlsform"];

/// How long each target runs when no time is given.
const DEFAULT_SECONDS: u64 = 60;

/// `cargo xtask fuzz [SECONDS]`.
pub fn run(args: &[String]) -> Result<()> {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        [seconds] => seconds.parse().with_context(|| format!("{seconds:?} is not a number of seconds"))?,
        _ => bail!("usage: cargo xtask fuzz [SECONDS]"),
    };
    fuzz(seconds)
}

/// Builds the targets and runs each for `seconds`; fails on the first crash found.
pub fn fuzz(seconds: u64) -> Result<()> {
    let binaries = build()?;
    let mut executions = Vec::new();
    for (target, binary) in TARGETS.iter().zip(&binaries) {
        executions.push((target, run_target(target, binary, seconds)?));
    }
    println!("\n==> fuzzing, {seconds} s per target: executions");
    for (target, count) in executions {
        println!("    {target:<12} {count:>10}");
    }
    Ok(())
}

/// Builds every target; their paths, in the order of [`TARGETS`].
fn build() -> Result<Vec<PathBuf>> {
    let root = crate::root();
    let real_rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    step(
        "build the fuzz targets (our crates instrumented for coverage)",
        crate::cargo()
            .args(["build", "--bins", "--manifest-path"])
            .arg(root.join("fuzz/Cargo.toml"))
            .env("CARGO_TARGET_DIR", crate::target_dir())
            .env("RUSTC", root.join("fuzz/rustc-coverage"))
            .env("NANSEN_RUSTC", real_rustc),
    )?;
    Ok(TARGETS.iter().map(|target| crate::target_dir().join("debug").join(target)).collect())
}

/// Runs `binary` for `seconds` on the seed corpus and the corpus it grew before (kept in
/// the target directory); how many inputs it ran.
fn run_target(target: &str, binary: &Path, seconds: u64) -> Result<u64> {
    let work = crate::target_dir().join("fuzz");
    let corpus = work.join("corpus").join(target);
    let artifacts = work.join("artifacts").join(target);
    std::fs::create_dir_all(&corpus)?;
    std::fs::create_dir_all(&artifacts)?;
    println!("\n==> fuzz {target} for {seconds} s");
    let output = Command::new(binary)
        .arg(format!("-max_total_time={seconds}"))
        // An input that takes this long is a hang, and a finding.
        .arg("-timeout=30")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        // New inputs go to the first directory; the seeds in the repository stay as they are.
        .arg(&corpus)
        .arg(crate::root().join("fuzz/corpus").join(target))
        .output()
        .with_context(|| format!("could not run {}", binary.display()))?;
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        eprintln!("{log}");
        bail!(
            "fuzz target {target} found a crash ({}); the input is in {}: reproduce it with `{} <file>`, \
             and turn it into a regression test where the bug lives",
            output.status,
            artifacts.display(),
            binary.display()
        );
    }
    let executions = log
        .lines()
        .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|count| count.trim().parse().ok())
        .context("libFuzzer did not say how many inputs it ran")?;
    let last = log.lines().rfind(|line| line.starts_with('#')).unwrap_or_default();
    println!("    {last}");
    Ok(executions)
}
