//! Building the browser client: compile to wasm32, generate the JavaScript bindings with
//! the wasm-bindgen library (version-locked to the client's wasm-bindgen, so nothing
//! needs installing), copy the static files, and report what a respondent downloads.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::{WASM_TARGET, cargo, root, site_dir, step, target_dir};

/// The client's bundles: one per kind of user, so no one downloads another's screens
/// (and respondents to open surveys not the RSA code invite-only ones need).
const BUNDLES: &[&str] = &["respondent", "invited", "staff"];
const PROFILE: &str = "wasm";

/// Installs the wasm32 target with rustup when it is missing.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let installed = match installed {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout).into_owned(),
        _ => {
            // Without rustup, trust that the toolchain has the target; the build says
            // clearly if it does not.
            return Ok(());
        }
    };
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    step(
        "install the wasm32 target",
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
    )
    .context("the wasm32-unknown-unknown target is missing; install it with `rustup target add wasm32-unknown-unknown`")
}

/// `--remap-path-prefix` flags that cut the registry and workspace directories off the
/// source paths compiled into the WebAssembly.
fn remap_paths() -> Vec<String> {
    let cargo_home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    let mut prefixes = vec![root().display().to_string()];
    if let Ok(entries) = std::fs::read_dir(cargo_home.join("registry").join("src")) {
        prefixes.extend(entries.filter_map(|e| e.ok()).map(|e| e.path().display().to_string()));
    }
    prefixes.into_iter().map(|p| format!("--remap-path-prefix={p}=")).collect()
}

/// Builds every bundle into `target/site` and prints the sizes.
pub fn build() -> Result<()> {
    ensure_wasm_target()?;
    let mut build = cargo();
    build.args(["build", "-p", "nansen-client", "--target", WASM_TARGET, "--profile", PROFILE]);
    // Panic locations name source files; shortening their paths trims the download.
    build.args(["--config", &format!("target.{WASM_TARGET}.rustflags = {:?}", remap_paths())]);
    for bundle in BUNDLES {
        build.args(["--bin", bundle]);
    }
    step("build the client for wasm32", &mut build)?;
    let site = site_dir();
    std::fs::create_dir_all(&site)?;
    let wasm_dir = target_dir().join(WASM_TARGET).join(PROFILE);
    for bundle in BUNDLES {
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(wasm_dir.join(format!("{bundle}.wasm")))
            .web(true)?
            // Lets `init()` find the .wasm next to the .js (the CLI's default too).
            .omit_default_module_path(false)
            .typescript(false)
            // Keep function names for size analysis (`twiggy top`) when asked.
            .remove_name_section(std::env::var_os("NANSEN_KEEP_NAMES").is_none())
            .remove_producers_section(true)
            .generate(&site)
            .with_context(|| format!("wasm-bindgen failed for {bundle}"))?;
        strip_comment_lines(&site.join(format!("{bundle}.js")))?;
    }
    let static_dir = root().join("client").join("static");
    for entry in
        std::fs::read_dir(&static_dir).with_context(|| format!("reading {}", static_dir.display()))?
    {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, site.join(name))?;
        }
    }
    report(&site)
}

/// Drops the generated JavaScript's whole-line comments: bytes nobody needs, and one of
/// them is a link to another site, which no asset may contain.
fn strip_comment_lines(path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let kept: Vec<&str> = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
    std::fs::write(path, kept.join("\n") + "\n")?;
    Ok(())
}

/// Prints each file's size, raw and gzipped (as the server sends it), and the total a
/// respondent downloads.
fn report(site: &Path) -> Result<()> {
    let mut files: Vec<_> = std::fs::read_dir(site)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    println!("\n    {:<28} {:>10} {:>10}", "client file", "bytes", "gzip");
    let (mut respondent_total, mut invited_total) = (0, 0);
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let bytes = std::fs::read(&path)?;
        let gzip = gzip_len(&bytes)?;
        println!("    {name:<28} {:>10} {:>10}", bytes.len(), gzip);
        if name.starts_with("respondent") || name == "nansen.css" {
            respondent_total += gzip;
        }
        if name.starts_with("invited") || name == "nansen.css" {
            invited_total += gzip;
        }
    }
    println!("    {:<28} {:>10} {:>10}", "respondent downloads", "", respondent_total);
    println!("    {:<28} {:>10} {:>10}", "invited respondent downloads", "", invited_total);
    if respondent_total == 0 {
        bail!("no respondent files were produced in {}", site.display());
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}
