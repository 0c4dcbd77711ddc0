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
        Some("page") => page(),
        _ => bail!("usage: cargo xtask bench login|page"),
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

/// Chrome DevTools' "Slow 3G" profile: 2 s round trips, 50 kB/s each way.
const SLOW_3G: (Duration, u64) = (Duration::from_millis(2000), 50_000);

/// The respondent's page on a phone-sized screen: what it downloads, and how long until
/// the first question shows, on an unthrottled loopback and on slow 3G.
fn page() -> Result<()> {
    crate::client::build()?;
    let site = crate::site_dir();
    let server = Server::start(&[("NANSEN_ASSETS", site.to_str().context("site path")?)])?;
    crate::browser::ensure_installed()?;
    let driver = crate::webdriver::Driver::start()?;
    let url = format!("{}/s/diaspora?lang=ru", server.base);
    println!("\nRespondent page {url} (360 px wide, empty cache, median of 3)");
    for (name, throttle) in [("loopback", None), ("slow 3G (2 s RTT, 50 kB/s)", Some(SLOW_3G))] {
        let mut times = Vec::new();
        let mut paints = Vec::new();
        let mut bytes = 0;
        for _ in 0..3 {
            let session = driver.session(360)?;
            if let Some((latency, rate)) = throttle {
                session.throttle(latency, rate)?;
            }
            session.goto(&url)?;
            let first = session.wait_for(
                "const m = performance.getEntriesByName('nansen:first-question')[0]; return m ? m.startTime : null;",
                Duration::from_secs(120),
            )?;
            times.push(Duration::from_secs_f64(first.as_f64().unwrap_or(0.0) / 1000.0));
            // The server's form shows the first question before the client runs.
            let paint = session.execute(
                "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : 0;",
            )?;
            paints.push(Duration::from_secs_f64(paint.as_f64().unwrap_or(0.0) / 1000.0));
            let entries = session.execute(
                "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
                 .map(e => [e.name.split('/').pop(), e.transferSize, e.encodedBodySize, e.decodedBodySize]);",
            )?;
            let entries: Vec<(String, u64, u64, u64)> = serde_json::from_value(entries).unwrap_or_default();
            bytes = entries.iter().map(|e| e.1).sum();
            if throttle.is_none() && times.len() == 1 {
                println!("    {:<34} {:>10} {:>10} {:>10}", "downloaded", "on the wire", "body", "unpacked");
                for (name, wire, body, unpacked) in &entries {
                    println!("    {name:<34} {wire:>10} {body:>10} {unpacked:>10}");
                }
            }
        }
        times.sort();
        paints.sort();
        let runs =
            |list: &[Duration]| list.iter().map(|t| format!("{:.0}", ms(*t))).collect::<Vec<_>>().join(", ");
        println!("    {name}: transferred {:.1} kB", bytes as f64 / 1000.0);
        println!(
            "        first question on screen (server's form) {:>7.0} ms   (runs: {})",
            ms(percentile(&paints, 0.5)),
            runs(&paints)
        );
        println!(
            "        client running (form live)               {:>7.0} ms   (runs: {})",
            ms(percentile(&times, 0.5)),
            runs(&times)
        );
    }
    Ok(())
}
