//! A throwaway PostgreSQL cluster for `cargo xtask test` and the benchmarks: Debian's
//! server programs, a fresh data directory in a temporary directory, a free port on
//! 127.0.0.1 and password-less ("trust") access for the superuser `postgres`. Dropping
//! the [`Cluster`] stops the server and deletes its files.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use crate::system::{apt_install, find, has_apt, is_root};

/// The server package's programs a cluster needs; they sit in one directory.
const PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Where Debian installs each major version: `/usr/lib/postgresql/<version>/bin`.
const DEBIAN_VERSIONS: &str = "/usr/lib/postgresql";

/// Tests throw the data away, so they need not wait for the disk; a crash could corrupt
/// the cluster, which only matters to data worth keeping.
const NOT_DURABLE: &str = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

/// Finds PostgreSQL's server programs, installing Debian's `postgresql` package when they
/// are missing and this runs as root; otherwise says what to install. Returns the
/// directory holding `initdb`, `pg_ctl` and `postgres`.
pub fn ensure_installed() -> Result<PathBuf> {
    if let Some(bin) = bin_dir() {
        return Ok(bin);
    }
    if !is_root() || !has_apt() {
        bail!(
            "PostgreSQL's server programs are missing: install Debian's `postgresql` package \
             (apt-get install postgresql), or run the xtask as root to have it installed"
        );
    }
    apt_install(&["postgresql"])?;
    bin_dir().context("PostgreSQL's server programs are still missing after installing `postgresql`")
}

/// The server links libpq (diesel's PostgreSQL backend), so building it needs Debian's
/// `libpq-dev`: installs it when missing and this runs as root, otherwise says so.
pub fn ensure_libpq() -> Result<()> {
    if has_libpq() {
        return Ok(());
    }
    if !is_root() || !has_apt() {
        bail!(
            "building the server needs libpq: install Debian's `libpq-dev` package \
             (apt-get install libpq-dev), or run the xtask as root to have it installed"
        );
    }
    apt_install(&["libpq-dev"])?;
    if !has_libpq() {
        bail!("libpq is still missing after installing `libpq-dev`");
    }
    Ok(())
}

fn has_libpq() -> bool {
    Path::new("/usr/include/postgresql/libpq-fe.h").exists()
        || Command::new("pkg-config").args(["--exists", "libpq"]).status().is_ok_and(|s| s.success())
}

/// The newest of Debian's versions, else the directory of the `initdb` on the `PATH`.
fn bin_dir() -> Option<PathBuf> {
    newest_debian_version().or_else(initdb_on_path)
}

/// Debian installs major versions side by side; the highest one is the one to test.
fn newest_debian_version() -> Option<PathBuf> {
    std::fs::read_dir(DEBIAN_VERSIONS)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| has_programs(bin))
        .max_by_key(|bin| version(bin))
}

/// The version a Debian bin directory belongs to, for ordering: `9.6` → `[9, 6]`.
fn version(bin: &Path) -> Vec<u32> {
    let name = bin.parent().and_then(Path::file_name).and_then(|name| name.to_str()).unwrap_or_default();
    name.split('.').map(|part| part.parse().unwrap_or(0)).collect()
}

/// `initdb` on the `PATH` is often a symbolic link (or Debian's wrapper); the programs
/// are next to the file it resolves to.
fn initdb_on_path() -> Option<PathBuf> {
    let initdb = find("initdb")?.canonicalize().ok()?;
    let bin = initdb.parent()?.to_path_buf();
    has_programs(&bin).then_some(bin)
}

fn has_programs(bin: &Path) -> bool {
    PROGRAMS.iter().all(|program| bin.join(program).is_file())
}

/// The server programs, run as the user allowed to run them.
#[derive(Debug)]
struct Programs {
    bin: PathBuf,
    /// PostgreSQL refuses to run as root: as root, the unprivileged user that runs it
    /// instead (`None` runs it as this process's user).
    user: Option<&'static str>,
}

impl Programs {
    fn new() -> Result<Self> {
        let bin = ensure_installed()?;
        let user = is_root().then(unprivileged_user);
        Ok(Self { bin, user })
    }

    /// `program` from the bin directory, as `user`, in `dir` (the unprivileged user may
    /// not be allowed into the current directory).
    fn command(&self, program: &str, dir: &Path) -> Command {
        let path = self.bin.join(program);
        let mut command = match self.user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        command.current_dir(dir);
        command
    }

    /// A temporary directory holding the socket directory, which the user running the
    /// server owns and everyone may enter.
    fn temp_dir(&self) -> Result<TempDir> {
        let dir = tempfile::Builder::new()
            .prefix("nansen-postgres-")
            .tempdir()
            .context("could not make a temporary directory for PostgreSQL")?;
        std::fs::create_dir(dir.path().join("socket"))?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
        if let Some(user) = self.user {
            run(Command::new("chown").args(["-R", user]).arg(dir.path()), "chown the cluster's directory")?;
        }
        Ok(dir)
    }

    /// `psql`: the server package's own, else Debian's wrapper or whichever is on the `PATH`.
    fn psql(&self) -> Result<PathBuf> {
        [self.bin.join("psql"), PathBuf::from("/usr/bin/psql")]
            .into_iter()
            .find(|path| path.is_file())
            .or_else(|| find("psql"))
            .context("psql is missing: install Debian's `postgresql-client` package")
    }
}

/// The Debian package's `postgres` system user, else `nobody`.
fn unprivileged_user() -> &'static str {
    let postgres_exists = Command::new("id")
        .args(["-u", "postgres"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if postgres_exists { "postgres" } else { "nobody" }
}

/// Runs `command` quietly; on failure, the error says `what` failed and shows its output.
fn run(command: &mut Command, what: &str) -> Result<String> {
    let output = command.output().with_context(|| format!("could not start {command:?}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("{what} failed ({}):\n{stdout}{stderr}", output.status);
    }
    Ok(stdout)
}

/// A port nobody listens on now. Another process could take it before PostgreSQL does,
/// but on a test machine that is rare, and the start would then fail loudly.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("could not find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Quotes `text` for the POSIX shell through which `pg_ctl` starts the server.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A PostgreSQL server on 127.0.0.1 with a fresh data directory, stopped and deleted
/// on drop.
#[derive(Debug)]
pub struct Cluster {
    programs: Programs,
    port: u16,
    data: PathBuf,
    /// Holds the data directory, the socket directory and the log; deleted on drop.
    dir: TempDir,
}

impl Cluster {
    /// Makes and starts a cluster. `durable: false` (tests) turns off waiting for the disk;
    /// `true` (benchmarks) keeps PostgreSQL's defaults, so the numbers mean something.
    pub fn start(durable: bool) -> Result<Self> {
        let programs = Programs::new()?;
        println!("\n==> start a throwaway PostgreSQL ({})", programs.bin.display());
        let began = Instant::now();
        let dir = programs.temp_dir()?;
        let data = dir.path().join("data");
        run(
            programs.command("initdb", dir.path()).arg("-D").arg(&data).args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]),
            "initdb",
        )?;
        // From here on, dropping the cluster stops whatever started.
        let cluster = Self { programs, port: free_port()?, data, dir };
        cluster.run_server(durable)?;
        println!("    ready in {:.1} s", began.elapsed().as_secs_f64());
        Ok(cluster)
    }

    /// `pg_ctl start`, waiting until the server accepts connections.
    fn run_server(&self, durable: bool) -> Result<()> {
        let socket = self.dir.path().join("socket");
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=300 -c shared_buffers=128MB",
            self.port,
            shell_quote(&socket.to_string_lossy())
        );
        if !durable {
            options = format!("{options} {NOT_DURABLE}");
        }
        let mut start = self.pg_ctl();
        start.arg("-l").arg(self.log()).args(["-w", "-t", "60", "start", "-o", &options]);
        if let Err(error) = run(&mut start, "starting PostgreSQL") {
            bail!("{error}\nthe end of {}:\n{}", self.log().display(), self.log_tail());
        }
        Ok(())
    }

    fn pg_ctl(&self) -> Command {
        let mut command = self.programs.command("pg_ctl", self.dir.path());
        command.arg("-D").arg(&self.data);
        command
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("postgres.log")
    }

    /// The last 30 lines of the server's log, which say why it did not start.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// The superuser's URL for the `postgres` database, from which others are made.
    pub fn admin_url(&self) -> String {
        self.url("postgres")
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// Makes an empty database `name` (letters, digits and `_` only).
    pub fn create_database(&self, name: &str) -> Result<()> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("{name:?} is not a plain database name");
        }
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\"")).map(drop)
    }

    /// Runs pgbench's `script` on `database` from `clients` connections for `seconds`;
    /// returns the transactions per second it reports.
    pub fn pgbench(&self, database: &str, script: &Path, clients: usize, seconds: u64) -> Result<f64> {
        let (port, clients, seconds) = (self.port.to_string(), clients.to_string(), seconds.to_string());
        let mut command = Command::new(self.programs.bin.join("pgbench"));
        command
            .args(["-n", "-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-c", &clients, "-j", &clients])
            .args(["-T", &seconds, "-f"])
            .arg(script)
            .arg(database);
        let report = run(&mut command, "pgbench")?;
        report
            .lines()
            .find_map(|line| line.strip_prefix("tps = ")?.split_whitespace().next()?.parse().ok())
            .with_context(|| format!("no tps in pgbench's report:\n{report}"))
    }

    /// Runs `sql` in `database` as the superuser; returns the rows, unaligned, one a line.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String> {
        let port = self.port.to_string();
        let mut command = Command::new(self.programs.psql()?);
        command
            .args(["-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", database])
            .args(["-v", "ON_ERROR_STOP=1", "-c", sql]);
        run(&mut command, &format!("psql -c {sql:?}"))
    }
}

impl Drop for Cluster {
    /// Stops the server without a checkpoint (the files are about to go), and waits for it.
    fn drop(&mut self) {
        let _ = self.pg_ctl().args(["-m", "immediate", "stop"]).output();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether process `pid` has gone (an unreaped zombie counts as gone: it holds
    /// neither files nor the port).
    fn gone(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z')),
        }
    }

    #[test]
    #[ignore = "starts PostgreSQL servers; run with `cargo test -p xtask -- --ignored`"]
    fn clusters_answer_honour_durability_and_vanish_on_drop() -> Result<()> {
        for (durable, fsync) in [(false, "off"), (true, "on")] {
            let cluster = Cluster::start(durable)?;
            assert_eq!(cluster.psql("postgres", "SELECT 1")?.trim(), "1");
            assert_eq!(cluster.psql("postgres", "SHOW fsync")?.trim(), fsync);
            cluster.create_database("nansen_check")?;
            assert_eq!(cluster.psql("nansen_check", "SELECT current_database()")?.trim(), "nansen_check");
            assert!(cluster.create_database("bad name").is_err());

            let data = cluster.data_dir().to_path_buf();
            let pid_file = std::fs::read_to_string(data.join("postmaster.pid"))?;
            let pid = pid_file.lines().next().unwrap_or_default().to_owned();
            assert!(!gone(&pid), "the server {pid} should run");
            drop(cluster);
            assert!(gone(&pid), "the server {pid} is still running");
            assert!(!data.exists(), "{} is left behind", data.display());
        }
        Ok(())
    }
}
