//! The browser the end-to-end tests drive: Debian's `chromium` and `chromium-driver`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::step;
use crate::system::{find, has_apt, is_root};

const PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];
const PROGRAMS: [&str; 2] = ["chromium", "chromedriver"];

/// Installs Chromium and ChromeDriver from Debian's packages when they are missing and
/// this runs as root; otherwise says exactly what to install.
pub fn ensure_installed() -> Result<()> {
    let missing: Vec<&str> = PROGRAMS.iter().copied().filter(|p| find(p).is_none()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() || !has_apt() {
        bail!(
            "the browser tests need {missing:?}: install Debian's packages {PACKAGES:?} \
             (apt-get install {}), or run `cargo xtask test` as root to have them installed",
            PACKAGES.join(" ")
        );
    }
    step("refresh the package lists", Command::new("apt-get").args(["update", "-qq"]))?;
    step(
        "install chromium and chromium-driver",
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if let Some(still) = PROGRAMS.iter().find(|p| find(p).is_none()) {
        bail!("{still} is still missing after installing {PACKAGES:?}");
    }
    Ok(())
}

/// The axe-core release the accessibility checks run (from the npm registry).
const AXE: &str = "axe-core@4.10.3";

/// axe-core, the accessibility engine the browser tests run on every page: installed
/// with npm into the target directory when it is missing. Returns its script.
pub fn ensure_axe() -> Result<PathBuf> {
    let dir = crate::target_dir().join("axe");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if script.is_file() {
        return Ok(script);
    }
    if find("npm").is_none() {
        bail!(
            "the browser tests run axe-core, installed with npm: install Node.js and npm \
             (Debian: apt-get install npm)"
        );
    }
    std::fs::create_dir_all(&dir)?;
    step(
        "install axe-core for the accessibility checks",
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--no-save", "--silent", "--prefix"])
            .arg(&dir)
            .arg(AXE),
    )?;
    if !script.is_file() {
        bail!("npm installed {AXE} but {} is missing", script.display());
    }
    Ok(script)
}
