//! Benchmarks: commands that measure and print, never tests that assert times.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::{cargo, step, target_dir};

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("login") => login(),
        _ => bail!("usage: cargo xtask bench login"),
    }
}

/// A release server on a free port with a fresh database, killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn start(env: &[(&str, &str)]) -> Result<Self> {
        step(
            "build the server (release)",
            cargo().args(["build", "--release", "-p", "nansen-server", "--bin", "nansen"]),
        )?;
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(target_dir().join("release").join("nansen"))
            .env("NANSEN_BIND", "127.0.0.1:0")
            .env("DATABASE_URL", dir.path().join("bench.db"))
            .env("NANSEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("NANSEN_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start the server")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let Some(line) = lines.next() else { bail!("the server exited before listening") };
            if let Some(at) = line?.split("listening on ").nth(1) {
                break at.trim().to_owned();
            }
        };
        // Keep draining the output so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Self { child, base, _dir: dir })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const ADMIN_PASSWORD: &str = "benchmark admin password 1";

/// A process's peak resident memory, in KiB (`VmHWM` in `/proc/PID/status`).
pub fn peak_rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/PID/status")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn login_once(agent: &ureq::Agent, base: &str, username: &str, password: &str) -> Result<(u16, Duration)> {
    let start = Instant::now();
    let response = agent
        .post(format!("{base}/api/v1/session"))
        .send_json(json!({"username": username, "password": password}))?;
    Ok((response.status().as_u16(), start.elapsed()))
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!(
        "p50 {:>6.1} ms   p90 {:>6.1} ms   max {:>6.1} ms   (n = {})",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.9)),
        ms(samples.last().copied().unwrap_or_default()),
        samples.len()
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Staff login: latency of a good login, an unknown user and a wrong password (they
/// must cost the same), and the memory one concurrent login adds.
fn login() -> Result<()> {
    let server = Server::start(&[])?;
    let agent = agent();
    let base = server.base.clone();
    login_once(&agent, &base, "admin", ADMIN_PASSWORD)?;
    let mut good = Vec::new();
    for _ in 0..30 {
        let (status, took) = login_once(&agent, &base, "admin", ADMIN_PASSWORD)?;
        if status != 200 {
            bail!("a good login answered {status}");
        }
        good.push(took);
    }
    // Within the throttle's free allowance: 4 wrong passwords, 10 unknown users.
    let wrong: Vec<Duration> = (0..4)
        .map(|_| login_once(&agent, &base, "admin", "wrong password").map(|r| r.1))
        .collect::<Result<_>>()?;
    let unknown: Vec<Duration> = (0..10)
        .map(|i| login_once(&agent, &base, &format!("nobody{i}"), "wrong password").map(|r| r.1))
        .collect::<Result<_>>()?;

    let before = peak_rss_kib(server.pid())?;
    let mut peaks = Vec::new();
    for concurrent in [2usize, 4] {
        std::thread::scope(|scope| {
            for _ in 0..concurrent {
                scope.spawn(|| login_once(&agent, &base, "admin", ADMIN_PASSWORD));
            }
        });
        peaks.push((concurrent, peak_rss_kib(server.pid())?));
    }

    println!("\nStaff login (argon2id m=64 MiB, t=3, p=1; release build; over loopback HTTP)");
    println!("    good password   {}", summary(good));
    println!("    wrong password  {}", summary(wrong));
    println!("    unknown user    {}", summary(unknown));
    println!("    server peak RSS after sequential logins: {:>7.1} MiB", before as f64 / 1024.0);
    let mut last = (1, before);
    for (concurrent, peak) in peaks {
        // The peak already held one login's memory; each extra concurrent one adds.
        let per_login = peak.saturating_sub(last.1) as f64 / 1024.0 / (concurrent - last.0) as f64;
        println!(
            "    after {concurrent} concurrent logins: {:>7.1} MiB  ({per_login:.1} MiB per additional concurrent login)",
            peak as f64 / 1024.0
        );
        last = (concurrent, peak);
    }
    Ok(())
}
