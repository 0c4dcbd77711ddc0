//! The test suites, built once and then run on SQLite and on PostgreSQL at the same time.
//! Most of a suite's time is spent waiting (for batch windows, releases, the browser), not
//! computing: on two cores the two backends side by side take little longer than one.
//! Each suite's output goes to its own log, printed whole when it ends, so the two never
//! interleave.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{cargo, postgres, python, site_dir, step, target_dir};

/// Builds every test binary, then runs every test on SQLite beside the integration tests
/// on a throwaway PostgreSQL cluster (`NANSEN_TEST_POSTGRES`), since production may run
/// on either.
pub fn run(axe: &Path, tools: &python::Tools) -> Result<()> {
    step("build the tests", with_tools(cargo().args(["test", "--workspace", "--no-run"]), axe, tools))?;
    postgres::ensure_installed()?;
    let cluster = postgres::Cluster::start(false)?;
    println!(
        "    the PostgreSQL suites use {} (data in {})",
        cluster.admin_url(),
        cluster.data_dir().display()
    );
    let logs = target_dir().join("test-logs");
    std::fs::create_dir_all(&logs).with_context(|| format!("could not create {}", logs.display()))?;

    let sqlite = Suite::start(
        "every test, on SQLite",
        with_tools(cargo().args(["test", "--workspace"]), axe, tools),
        logs.join("sqlite.log"),
    )?;
    let on_postgres = Suite::start(
        "the integration tests, on PostgreSQL",
        with_tools(
            cargo().args(["test", "-p", "nansen-server", "--test", "api", "--test", "browser"]),
            axe,
            tools,
        )
        .env("NANSEN_TEST_POSTGRES", cluster.admin_url())
        .env("NANSEN_TEST_POSTGRES_DATA", cluster.data_dir()),
        logs.join("postgres.log"),
    )?;
    // Both are waited for and reported before either failure is returned.
    let outcomes = [sqlite.finish(), on_postgres.finish()];
    outcomes.into_iter().collect()
}

/// What every test run reads: the built client, axe-core and the results-file readers.
fn with_tools<'a>(command: &'a mut Command, axe: &Path, tools: &python::Tools) -> &'a mut Command {
    command
        .env("NANSEN_ASSETS", site_dir())
        .env("NANSEN_AXE", axe)
        .env("NANSEN_PYTHON", &tools.python)
        .env("NANSEN_PSPP", &tools.pspp)
}

/// A suite running in the background with its output in a log file.
struct Suite {
    what: &'static str,
    child: Child,
    log: PathBuf,
    began: Instant,
}

impl Suite {
    fn start(what: &'static str, command: &mut Command, log: PathBuf) -> Result<Self> {
        let file = File::create(&log).with_context(|| format!("could not create {}", log.display()))?;
        let child = command
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("could not start {command:?}"))?;
        println!("\n==> {what} (started; its output follows when it ends, and stays in {})", log.display());
        Ok(Self { what, child, log, began: Instant::now() })
    }

    /// Waits for the suite, prints its log and says whether it passed.
    fn finish(mut self) -> Result<()> {
        let status = self.child.wait().with_context(|| format!("could not wait for {}", self.what))?;
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        println!("\n==> {} ({:.0} s)\n{output}", self.what, self.began.elapsed().as_secs_f64());
        if !status.success() {
            bail!("{} failed ({status}); the output is above and in {}", self.what, self.log.display());
        }
        Ok(())
    }
}
