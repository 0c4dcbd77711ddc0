//! What the integration tests read results files back with, as researchers do: a Python
//! virtual environment in the target directory with `tests/python-requirements.txt` from
//! PyPI (pyreadstat, pyxform, …), and Debian's GNU PSPP. Installed when missing; quick when not.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::step;
use crate::system::{apt_install, find, has_apt, is_root};

/// The tools, handed to the tests as `NANSEN_PYTHON` and `NANSEN_PSPP`.
#[derive(Debug)]
pub struct Tools {
    pub python: PathBuf,
    pub pspp: PathBuf,
}

/// Sets up both.
pub fn ensure() -> Result<Tools> {
    Ok(Tools { python: ensure_python()?, pspp: ensure_pspp()? })
}

/// `target/pyenv`'s Python with the requirements installed.
fn ensure_python() -> Result<PathBuf> {
    venv(
        &crate::target_dir().join("pyenv"),
        &crate::root().join("tests/python-requirements.txt"),
        "install the Python packages the file and XLSForm tests use",
    )
}

/// The Python of virtual environment `venv`, with `requirements` installed from PyPI
/// (saying `what` it does). The requirements installed last are kept beside it, so that
/// nothing runs while they are unchanged.
pub fn venv(venv: &Path, requirements: &Path, what: &str) -> Result<PathBuf> {
    let python = venv.join("bin/python");
    let wanted = std::fs::read_to_string(requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let installed = venv.join("installed-requirements.txt");
    if python.is_file() && std::fs::read_to_string(&installed).is_ok_and(|done| done == wanted) {
        return Ok(python);
    }
    if !python.is_file() {
        make_venv(venv)?;
    }
    step(
        what,
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(requirements),
    )?;
    std::fs::write(&installed, wanted)?;
    Ok(python)
}

/// `python3 -m venv`, with Debian's `python3-venv` installed first if it must be.
fn make_venv(venv: &Path) -> Result<()> {
    let create = || -> Result<()> {
        let python3 = find("python3").ok_or_else(|| anyhow!("python3 is not on the PATH"))?;
        step(
            &format!("create a Python environment in {}", venv.display()),
            Command::new(python3).args(["-m", "venv"]).arg(venv),
        )
    };
    let Err(error) = create() else { return Ok(()) };
    // A half-made environment (Debian's python3 without venv's ensurepip) goes first.
    let _ = std::fs::remove_dir_all(venv);
    if !is_root() || !has_apt() {
        bail!(
            "the file tests need a Python virtual environment ({error:#}): install Debian's packages \
             python3 and python3-venv, or run `cargo xtask test` as root to have them installed"
        );
    }
    apt_install(&["python3", "python3-venv"])?;
    create()
}

/// GNU PSPP, from Debian's package `pspp` when it is missing and this runs as root.
fn ensure_pspp() -> Result<PathBuf> {
    if let Some(pspp) = find("pspp") {
        return Ok(pspp);
    }
    if !is_root() || !has_apt() {
        bail!(
            "the file tests read SPSS files back with GNU PSPP: install Debian's package pspp \
             (apt-get install pspp), or run `cargo xtask test` as root to have it installed"
        );
    }
    apt_install(&["pspp"])?;
    find("pspp").ok_or_else(|| anyhow!("pspp is still missing after installing Debian's package pspp"))
}
