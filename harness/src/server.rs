//! The `nansen` server binary, started on a free loopback port.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How long a server may take to start (a loaded CI machine, a first migration).
const READY_WITHIN: Duration = Duration::from_secs(60);

/// How often the ready file is looked for.
const POLL: Duration = Duration::from_millis(10);

/// A running server. It is told to listen on `127.0.0.1:0` (unless the command names
/// another `NANSEN_BIND`) and to write its address to `NANSEN_READY_FILE` once it
/// accepts connections; everything it prints is kept. Killed on drop.
#[derive(Debug)]
pub struct Server {
    child: Child,
    base: String,
    output: Arc<Mutex<String>>,
    /// The server's own directory, holding the ready file; removed after the server
    /// is killed (fields drop in order).
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts the server `command` describes and waits until it accepts connections.
    /// `command` is given the server's fresh directory (for a database, say, which then
    /// lasts as long as the server) and returns the command to run: the program, its
    /// environment (whether cleared is the caller's choice) and arguments. The harness
    /// adds `NANSEN_READY_FILE`, `NANSEN_BIND=127.0.0.1:0` if the command sets no
    /// `NANSEN_BIND`, and pipes for stdout and stderr.
    ///
    /// Fails if the server exits before it is ready, or is not ready within 60 s (it is
    /// then killed); the error carries what it printed.
    pub fn start(command: impl FnOnce(&Path) -> Command) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("nansen-server-").tempdir()?;
        let ready = dir.path().join("ready");
        let mut command = command(dir.path());
        if !command.get_envs().any(|(name, value)| name == "NANSEN_BIND" && value.is_some()) {
            command.env("NANSEN_BIND", "127.0.0.1:0");
        }
        command.env("NANSEN_READY_FILE", &ready).stdout(Stdio::piped()).stderr(Stdio::piped());
        let program = command.get_program().to_string_lossy().into_owned();
        let mut child = command.spawn().with_context(|| format!("could not start {program}"))?;
        let output = Arc::new(Mutex::new(String::new()));
        let readers = [
            child.stdout.take().map(|stream| collect(stream, output.clone())),
            child.stderr.take().map(|stream| collect(stream, output.clone())),
        ];
        let mut server = Self { child, base: String::new(), output, dir };
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            // Written whole (a temporary file, then renamed): if it is there, it is complete.
            if let Ok(text) = std::fs::read_to_string(&ready) {
                server.base = text.trim().to_owned();
                if !server.base.starts_with("http://") {
                    server.kill();
                    bail!("the server wrote {text:?} to its ready file, not an address");
                }
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(server.exited(status, readers));
            }
            if Instant::now() >= deadline {
                server.kill();
                bail!(
                    "the server was not ready within {} s; its output:\n{}",
                    READY_WITHIN.as_secs(),
                    server.output()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// The error for a server that exited before it was ready, once its output has been
    /// read to the end (briefly waited for: a child of its own could hold the pipes).
    fn exited(&self, status: ExitStatus, readers: [Option<JoinHandle<()>>; 2]) -> anyhow::Error {
        let deadline = Instant::now() + Duration::from_secs(2);
        for reader in readers.into_iter().flatten() {
            while !reader.is_finished() && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
        }
        anyhow::anyhow!("the server exited ({status}) before it was ready; its output:\n{}", self.output())
    }

    /// The base URL, `http://host:port`, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `path` (starting with `/`, or empty) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Everything the server printed so far, stdout and stderr, line by line as they
    /// came.
    pub fn output(&self) -> String {
        self.output.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The server's own directory (its ready file is there): removed on drop.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server process's id, to send it signals or read `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process at once (SIGKILL: nothing gets a chance to flush) and waits
    /// for it. Its output stays readable.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Copies a stream of the server's output into `output`, line by line (so lines of
/// stdout and stderr do not interleave mid-line), until it ends.
fn collect(stream: impl Read + Send + 'static, output: Arc<Mutex<String>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut stream = BufReader::new(stream);
        let mut line = Vec::new();
        while stream.read_until(b'\n', &mut line).is_ok_and(|read| read > 0) {
            let mut output = output.lock().unwrap_or_else(PoisonError::into_inner);
            output.push_str(&String::from_utf8_lossy(&line));
            if !line.ends_with(b"\n") {
                output.push('\n');
            }
            line.clear();
        }
    })
}
