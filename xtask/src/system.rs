//! The host: programs on the `PATH`, whether this runs as root, and Debian's packages,
//! which the xtask installs itself when it may.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::step;

/// Where `program` is on the `PATH`, if anywhere.
pub fn find(program: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// Whether this process runs as root (effective uid 0, the second number of the `Uid:`
/// line of `/proc/self/status`), and so may install packages and must not run
/// PostgreSQL itself.
pub fn is_root() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return false };
    let effective =
        status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|ids| ids.split_whitespace().nth(1));
    effective == Some("0")
}

/// Whether Debian's package manager is here to install what is missing.
pub fn has_apt() -> bool {
    Path::new("/usr/bin/apt-get").exists()
}

/// `apt-get` that never stops to ask a question.
fn apt_get() -> Command {
    let mut command = Command::new("apt-get");
    command.env("DEBIAN_FRONTEND", "noninteractive");
    command
}

/// Installs Debian's `packages` without their recommendations. The package lists are
/// refreshed only if that fails: `apt-get update` is slow and usually unnecessary.
pub fn apt_install(packages: &[&str]) -> Result<()> {
    let install = || {
        let mut command = apt_get();
        command.args(["install", "-y", "-qq", "--no-install-recommends"]).args(packages);
        command
    };
    println!("\n==> install {}", packages.join(" "));
    if install().status().is_ok_and(|status| status.success()) {
        return Ok(());
    }
    step("refresh the package lists", apt_get().args(["update", "-qq"]))?;
    step(&format!("install {} again", packages.join(" ")), &mut install())
}
