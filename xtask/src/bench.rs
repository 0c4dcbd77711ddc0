//! Benchmarks: commands that measure and print, never tests that assert times.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nansen_harness::{Browser, BrowserSetup, Server};
use serde_json::{Value, json};

use crate::load;
use crate::{cargo, step, target_dir};

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("login") => login(),
        Some("page") => page(),
        Some("submissions") if cfg!(debug_assertions) => optimized(args),
        Some("submissions") => {
            let number = |i: usize, default: u64| args.get(i).map_or(Ok(default), |a| a.parse::<u64>());
            let connections = number(1, 2048).context("connections must be a number")?;
            let seconds = number(2, 10).context("seconds must be a number")?;
            let backend = args.get(3).map(String::as_str);
            if !matches!(backend, None | Some("sqlite" | "postgres")) {
                bail!("the backend must be sqlite or postgres (or left out for both)");
            }
            // `slow`: only the default mode with and without slow connections open.
            let only_slow = match args.get(4).map(String::as_str) {
                None => false,
                Some("slow") => true,
                Some(_) => bail!("the fifth argument may only be `slow`"),
            };
            submissions(connections as usize, Duration::from_secs(seconds), backend, only_slow)
        }
        Some("invites") => invites(),
        Some("counters") => counters(),
        Some("releases") if cfg!(debug_assertions) => optimized(args),
        Some("releases") => releases(),
        _ => bail!("usage: cargo xtask bench login|page|submissions|releases|invites|counters"),
    }
}

/// Runs this benchmark again from an optimized build of xtask: the load generator shares
/// the CPU with the server, and an unoptimized one would take the server's share.
fn optimized(args: &[String]) -> Result<()> {
    step(
        "run the benchmark from a release build of xtask",
        cargo().args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench"]).args(args),
    )
}

/// A release server on a free port with a fresh SQLite database in its own directory
/// (unless `env` names another `DATABASE_URL`), killed on drop.
fn start_server(env: &[(&str, &str)]) -> Result<Server> {
    build_server()?;
    let program = target_dir().join("release").join("nansen");
    Server::start(|dir| {
        let mut command = Command::new(program);
        // In its own directory: on PostgreSQL the key file is made in the working one.
        command
            .current_dir(dir)
            .env("DATABASE_URL", dir.join("bench.db"))
            .env("NANSEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("NANSEN_LOG", "info")
            .envs(env.iter().copied());
        command
    })
}

/// Builds the release server, once per benchmark run.
fn build_server() -> Result<()> {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    if BUILT.get().is_none() {
        crate::postgres::ensure_libpq()?;
        step(
            "build the server (release)",
            cargo().args(["build", "--release", "-p", "nansen-server", "--bin", "nansen"]),
        )?;
        let _ = BUILT.set(());
    }
    Ok(())
}

const ADMIN_PASSWORD: &str = "benchmark admin password 1";

/// A process's peak resident memory, in KiB.
pub fn peak_rss_kib(pid: u32) -> Result<u64> {
    memory_kib(pid, "VmHWM")
}

/// A memory figure of `/proc/PID/status`, such as `VmRSS` (resident now), in KiB.
fn memory_kib(pid: u32, field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/PID/status"))
}

/// Runs `work`, sampling the resident memory of `pids` meanwhile; returns its result
/// and the most any one of them held, in KiB. (The lifetime peak would be the first
/// start's password hash, not the load.)
fn most_resident<T>(pids: &[u32], work: impl FnOnce() -> T) -> (T, u64) {
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut most = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                for pid in pids {
                    most = most.max(memory_kib(*pid, "VmRSS").unwrap_or(0));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            most
        });
        let result = work();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (result, sampler.join().unwrap_or(0))
    })
}

/// CPU time the processes `pids` have used so far, all their threads (kernel time on
/// their behalf included).
fn cpu_time(pids: &[u32]) -> Result<Duration> {
    pids.iter().map(|pid| threads_cpu_time(&pid.to_string(), None)).sum()
}

/// CPU time the threads of process `pid` (or only those called `named`) have used so
/// far.
fn threads_cpu_time(pid: &str, named: Option<&str>) -> Result<Duration> {
    let mut total = Duration::ZERO;
    for task in std::fs::read_dir(Path::new("/proc").join(pid).join("task"))? {
        let task = task?.path();
        if named
            .is_some_and(|name| std::fs::read_to_string(task.join("comm")).is_ok_and(|c| c.trim() != name))
        {
            continue;
        }
        total += on_cpu(&task)?;
    }
    Ok(total)
}

/// CPU time one thread (`/proc/PID/task/TID`, or `/proc/thread-self`) has used so far.
fn on_cpu(task: &Path) -> Result<Duration> {
    let schedstat = std::fs::read_to_string(task.join("schedstat"))?;
    let nanos = schedstat.split(' ').next().and_then(|n| n.parse().ok());
    Ok(Duration::from_nanos(nanos.context("an unreadable /proc/…/schedstat")?))
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
    let server = start_server(&[])?;
    let agent = agent();
    let base = server.base().to_owned();
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
    let server = start_server(&[("NANSEN_ASSETS", site.to_str().context("site path")?)])?;
    crate::browser::ensure_installed()?;
    let url = server.url("/s/diaspora?lang=ru");
    println!("\nRespondent page {url} (360 px wide, empty cache, median of 3)");
    let runtime = browser_runtime()?;
    for (name, throttle) in [("loopback", None), ("slow 3G (2 s RTT, 50 kB/s)", Some(SLOW_3G))] {
        let mut times = Vec::new();
        let mut paints = Vec::new();
        let mut bytes = 0;
        for _ in 0..3 {
            // A new browser each time: an empty profile, so nothing is cached.
            let (first, paint, entries) = runtime.block_on(async {
                let browser = Browser::start(BrowserSetup::PHONE).await?;
                if let Some((latency, rate)) = throttle {
                    browser.throttle(latency, rate).await?;
                }
                let client = browser.client();
                client.goto(&url).await?;
                let first = wait_for(
                    &browser,
                    "const m = performance.getEntriesByName('nansen:first-question')[0]; return m ? m.startTime : null;",
                    Duration::from_secs(120),
                )
                .await?;
                // The server's form shows the first question before the client runs.
                let paint = client
                    .execute(
                        "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : 0;",
                        vec![],
                    )
                    .await?;
                let entries = client
                    .execute(
                        "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
                         .map(e => [e.name.split('/').pop(), e.transferSize, e.encodedBodySize, e.decodedBodySize]);",
                        vec![],
                    )
                    .await?;
                browser.close().await;
                anyhow::Ok((first, paint, entries))
            })?;
            times.push(Duration::from_secs_f64(first.as_f64().unwrap_or(0.0) / 1000.0));
            paints.push(Duration::from_secs_f64(paint.as_f64().unwrap_or(0.0) / 1000.0));
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

/// The runtime the browser is driven from (fantoccini is async): this thread only.
fn browser_runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// Polls `script` (a function body) in `browser` until it returns something other
/// than `null`, and returns that.
async fn wait_for(browser: &Browser, script: &str, timeout: Duration) -> Result<Value> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        let value = browser.client().execute(script, vec![]).await?;
        if !value.is_null() {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("gave up waiting for {script}")
}

/// Logs in as the admin and returns the session cookie.
fn admin_cookie(agent: &ureq::Agent, base: &str) -> Result<String> {
    let response = agent
        .post(format!("{base}/api/v1/session"))
        .send_json(json!({"username": "admin", "password": ADMIN_PASSWORD}))?;
    let cookie =
        response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).context("no session cookie")?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}

/// Publishes the next version of the default survey with exact releases (noise off, a
/// release after five new respondents), so that what was counted can be read from a
/// release and checked against what was acknowledged; returns the version.
fn exact_version(agent: &ureq::Agent, base: &str, cookie: &str) -> Result<u32> {
    republish(agent, base, cookie, json!({"noise": false}))
}

/// Publishes the next version of the default survey with `privacy` settings and a
/// release allowed after five new respondents; returns the version.
fn republish(agent: &ureq::Agent, base: &str, cookie: &str, privacy: serde_json::Value) -> Result<u32> {
    let admin = format!("{base}/api/v1/admin/surveys/diaspora");
    let mut current: serde_json::Value =
        agent.get(&admin).header("cookie", cookie).call()?.body_mut().read_json()?;
    let mut definition = current["definition"].take();
    definition["settings"]["privacy"] = privacy;
    definition["settings"]["releases"] = json!({"min_new": 5});
    agent.put(&admin).header("cookie", cookie).send_json(&definition)?;
    let published = post(agent, &format!("{admin}/publish"), cookie, &json!({}))?;
    published["current_version"].as_u64().map(|v| v as u32).context("no version published")
}

/// Makes a release of the default survey now: the respondents it counted (exact, with
/// noise off), and how long making it took.
fn release(agent: &ureq::Agent, base: &str, cookie: &str) -> Result<(u64, Duration)> {
    let start = Instant::now();
    let results =
        post(agent, &format!("{base}/api/v1/admin/surveys/diaspora/releases"), cookie, &json!(null))?;
    let took = start.elapsed();
    Ok((results["respondents"].as_u64().unwrap_or(0), took))
}

/// How long `GET …/results` (the latest release) takes.
fn read_results(agent: &ureq::Agent, base: &str, cookie: &str) -> Result<Duration> {
    let start = Instant::now();
    let mut response =
        agent.get(format!("{base}/api/v1/surveys/diaspora/results")).header("cookie", cookie).call()?;
    let _: serde_json::Value = response.body_mut().read_json()?;
    Ok(start.elapsed())
}

/// A way of running the server for the submissions benchmark.
struct Mode {
    name: &'static str,
    /// PostgreSQL (a durable throwaway cluster) rather than SQLite.
    postgres: bool,
    instances: usize,
    env: &'static [(&'static str, &'static str)],
    /// Slow connections kept open during the load (see `load::run_beside_slow`).
    slow: usize,
}

/// The slow connections an attacker holds open in the flood mode.
const SLOW: usize = 2000;

const NAIVE: &[(&str, &str)] = &[("NANSEN_BATCH_MAX", "1"), ("NANSEN_BATCH_WINDOW_MS", "0")];

const MODES: [Mode; 5] = [
    Mode { name: "SQLite, naive (batch 1, no window)", postgres: false, instances: 1, env: NAIVE, slow: 0 },
    Mode { name: "SQLite, default (1024, 200 ms)", postgres: false, instances: 1, env: &[], slow: 0 },
    Mode { name: "SQLite, default, 2,000 slow open", postgres: false, instances: 1, env: &[], slow: SLOW },
    Mode { name: "PostgreSQL ×2, naive", postgres: true, instances: 2, env: NAIVE, slow: 0 },
    Mode { name: "PostgreSQL ×2, default", postgres: true, instances: 2, env: &[], slow: 0 },
];
/// The indices in [`MODES`] of the default SQLite mode and the same under slow clients.
const SQLITE_DEFAULT: usize = 1;
const SQLITE_SLOW: usize = 2;

/// The servers of one mode, on a database of their own.
fn start_mode(mode: &Mode, cluster: Option<&crate::postgres::Cluster>, index: usize) -> Result<Vec<Server>> {
    let mut env: Vec<(&str, String)> = mode.env.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    if let Some(cluster) = cluster {
        let database = format!("bench_{index}");
        cluster.create_database(&database)?;
        env.push(("DATABASE_URL", cluster.url(&database)));
    }
    let first = start_server(&env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())?;
    // Every instance on one database needs the key file the first made (in its own
    // directory, where it runs).
    env.push(("NANSEN_KEY_FILE", first.dir().join("nansen.key").display().to_string()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut servers = vec![first];
    for _ in 1..mode.instances {
        // The same SQLite file is not shared (each Server has its own directory); the
        // same PostgreSQL database is.
        servers.push(start_server(&env)?);
    }
    Ok(servers)
}

/// Submissions: one at a time on an idle server (the latency batching adds), then
/// under load from many connections (throughput, latency, memory), naive (one
/// transaction per submission) and default, on SQLite and on PostgreSQL with two
/// instances; the default on SQLite again with 2,000 slow connections held open (what
/// honest clients still get); a check that every acknowledged submission was counted;
/// and the results endpoint's latency at a million respondents (not with `only_slow`,
/// which runs only the two SQLite default modes).
fn submissions(connections: usize, load: Duration, backend: Option<&str>, only_slow: bool) -> Result<()> {
    const IDLE: Duration = Duration::from_secs(4);
    let cluster = if backend == Some("sqlite") {
        None
    } else {
        crate::postgres::ensure_installed()?;
        Some(crate::postgres::Cluster::start(true)?)
    };
    println!(
        "\nSubmissions to the default survey: release build, loopback, {connections} keep-alive connections \
         for {} s per mode, the load generator sharing the 2 cores; SQLite synchronous=FULL, \
         PostgreSQL fsync=on synchronous_commit=on; CPU µs: the Nansen processes' CPU time (user and \
         kernel, PostgreSQL's own not included) per acknowledged submission",
        load.as_secs()
    );
    println!(
        "    {:<36} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}   {:>8} {:>8}   counted",
        "mode", "acked/s", "p50 ms", "p99 ms", "max ms", "CPU µs", "RSS MiB", "idle p50", "idle p99"
    );
    let ceiling = loopback_ceiling(connections, load)?;
    let mut rates = [None; MODES.len()];
    for (index, mode) in MODES.iter().enumerate() {
        if backend.is_some_and(|b| (b == "postgres") != mode.postgres)
            || (only_slow && ![SQLITE_DEFAULT, SQLITE_SLOW].contains(&index))
        {
            continue;
        }
        let servers = start_mode(mode, cluster.as_ref().filter(|_| mode.postgres), index)?;
        let bases: Vec<&str> = servers.iter().map(Server::base).collect();
        let salt = index as u64 * 2;
        let agent = agent();
        let cookie = admin_cookie(&agent, bases[0])?;
        let version = exact_version(&agent, bases[0], &cookie)?;
        let idle = load::run(&bases[..1], version, 1, IDLE, salt)?;
        let pids: Vec<u32> = servers.iter().map(Server::pid).collect();
        let cpu_before = cpu_time(&pids)?;
        let (loaded, rss) = most_resident(&pids, || {
            load::run_beside_slow(&bases, version, connections, load, salt + 1, mode.slow)
        });
        let (loaded, slow_closed) = loaded?;
        let cpu = cpu_time(&pids)?.saturating_sub(cpu_before);
        let (counted, _) = release(&agent, bases[0], &cookie)?;
        let acknowledged = idle.acknowledged + loaded.acknowledged;
        // A broken connection may have taken a counted submission's answer with it.
        let unanswered = counted.checked_sub(acknowledged).filter(|extra| *extra <= loaded.broken);
        let check = match unanswered {
            Some(0) => "= acked".to_owned(),
            Some(extra) => format!("= acked + {extra}"),
            None => format!("{counted} ≠ {acknowledged}!"),
        };
        println!(
            "    {:<36} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1}   {:>8.1} {:>8.1}   {check}",
            mode.name,
            loaded.per_second(),
            ms(percentile(&loaded.latencies, 0.5)),
            ms(percentile(&loaded.latencies, 0.99)),
            ms(loaded.latencies.last().copied().unwrap_or_default()),
            cpu.as_secs_f64() * 1e6 / loaded.acknowledged.max(1) as f64,
            rss as f64 / 1024.0,
            ms(percentile(&idle.latencies, 0.5)),
            ms(percentile(&idle.latencies, 0.99)),
        );
        if loaded.refused > 0 {
            println!("        ({} submissions refused under load)", loaded.refused);
        }
        if mode.slow > 0 {
            println!(
                "        ({} slow connections held open beside the load; the server closed {slow_closed} \
                 of them (each opened again at once))",
                mode.slow
            );
        }
        if let Some(error) = &loaded.first_break {
            println!(
                "        ({} connections broken and reopened, the first by: {error}; each may have \
                 taken a counted submission's answer with it)",
                loaded.broken
            );
        }
        rates[index] = Some(loaded.per_second());
        if unanswered.is_none() {
            bail!("{}: {counted} counted, but {acknowledged} acknowledged", mode.name);
        }
        if index == SQLITE_DEFAULT && !only_slow {
            results_at_a_million(&agent, &bases, &cookie, version, connections, counted)?;
        }
    }
    if let (Some(default), Some(slowed)) = (rates[SQLITE_DEFAULT], rates[SQLITE_SLOW]) {
        println!(
            "    SQLite with {SLOW} slow connections open: {:.0} % of the default's throughput, {:.0} % of \
             the loopback ceiling",
            100.0 * slowed / default.max(1e-9),
            100.0 * slowed / ceiling.max(1e-9)
        );
    }
    for (backend, naive, default) in [("SQLite", 0, SQLITE_DEFAULT), ("PostgreSQL", 3, 4)] {
        if let (Some(naive), Some(default)) = (rates[naive], rates[default]) {
            println!(
                "    {backend}: default / naive {:.1}×; default / loopback ceiling {:.0} %",
                default / naive.max(1e-9),
                100.0 * default / ceiling.max(1e-9)
            );
        }
    }
    Ok(())
}

/// The same load against a responder that only sends Nansen's reply back: the most
/// submissions per second any server could acknowledge on this machine, over loopback
/// TCP with the generator sharing the cores.
fn loopback_ceiling(connections: usize, load: Duration) -> Result<f64> {
    let base = crate::loopback::start()?;
    let responder = || threads_cpu_time("self", Some(crate::loopback::THREAD));
    // The generator runs on this thread.
    let generator = || on_cpu(Path::new("/proc/thread-self"));
    let (responder_before, generator_before) = (responder()?, generator()?);
    let outcome = load::run(&[&base], 1, connections, load, u64::MAX)?;
    let per_request = |cpu: Duration| cpu.as_secs_f64() * 1e6 / outcome.acknowledged.max(1) as f64;
    let cpu = per_request(responder()?.saturating_sub(responder_before));
    let generator_cpu = per_request(generator()?.saturating_sub(generator_before));
    println!(
        "    {:<36} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        "loopback ceiling (reply, no work)",
        outcome.per_second(),
        ms(percentile(&outcome.latencies, 0.5)),
        ms(percentile(&outcome.latencies, 0.99)),
        ms(outcome.latencies.last().copied().unwrap_or_default()),
        cpu,
    );
    println!("        (the load generator: {generator_cpu:.1} µs of CPU per request)");
    Ok(outcome.per_second())
}

/// Fills the survey up to a million respondents, then times making a release (exact:
/// suppression, the costlier kind) and reading it: neither may depend on how many
/// answered.
fn results_at_a_million(
    agent: &ureq::Agent,
    bases: &[&str],
    cookie: &str,
    version: u32,
    connections: usize,
    mut counted: u64,
) -> Result<()> {
    const MILLION: u64 = 1_000_000;
    time_releases(agent, bases, cookie, version, counted, 1_000_000)?;
    let start = Instant::now();
    let mut round = 100;
    while counted < MILLION && start.elapsed() < Duration::from_secs(600) {
        let outcome = load::run(bases, version, connections, Duration::from_secs(10), round)?;
        if outcome.acknowledged < 5 {
            bail!(
                "the load was not counted: {} acknowledged, {} refused, {} connections broken ({:?})",
                outcome.acknowledged,
                outcome.refused,
                outcome.broken,
                outcome.first_break
            );
        }
        round += 1;
        counted = release(agent, bases[0], cookie)?.0;
    }
    time_releases(agent, bases, cookie, version, counted, 2_000_000)
}

/// Releases: what making one costs, with noise (the default: calibrate, sample every
/// counter) and without (suppression checked by linear programs), and reading one.
fn releases() -> Result<()> {
    let server = start_server(&[])?;
    let bases = [server.base()];
    let agent = agent();
    let cookie = admin_cookie(&agent, bases[0])?;
    println!(
        "\nReleases of the default survey (release build, SQLite, 20 releases each, five new respondents before each):"
    );
    for (salt, (name, privacy)) in [
        ("noise (discrete Gaussian)", json!({"noise": true, "rho": 1.0, "releases": 1000})),
        ("exact (suppression)", json!({"noise": false})),
    ]
    .into_iter()
    .enumerate()
    {
        let salt = 3_000_000 + 1_000 * salt as u64;
        let version = republish(&agent, bases[0], &cookie, privacy)?;
        load::run(&bases, version, 64, Duration::from_secs(3), salt)?;
        let (respondents, _) = release(&agent, bases[0], &cookie)?;
        println!("    {name}:");
        time_releases(&agent, &bases, &cookie, version, respondents, salt + 1)?;
    }
    Ok(())
}

/// Times 20 releases (five new answers before each) and 200 reads of the latest.
/// Times downloading the latest release in every file format (and its DDI codebook), 10
/// times each: they read a stored release, so their cost is the questions', not the
/// respondents'.
fn time_exports(agent: &ureq::Agent, base: &str, cookie: &str, counted: u64) -> Result<()> {
    let formats = ["json", "csv", "csv-excel", "crosstabs-csv", "dta", "sav", "xlsx", "datapackage"];
    let paths = formats
        .iter()
        .map(|f| (f.to_string(), format!("/api/v1/surveys/diaspora/results?format={f}")))
        .chain([("codebook.xml".to_owned(), "/api/v1/surveys/diaspora/codebook.xml".to_owned())]);
    for (name, path) in paths {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..10 {
            let start = Instant::now();
            let mut response = agent.get(format!("{base}{path}")).header("cookie", cookie).call()?;
            if response.status().as_u16() != 200 {
                println!("        {name}: answered {}", response.status());
                break;
            }
            bytes = response.body_mut().read_to_vec()?.len();
            times.push(start.elapsed());
        }
        if !times.is_empty() {
            println!(
                "        export {name:<13} at {counted} respondents ({bytes} bytes): {}",
                summary(times)
            );
        }
    }
    Ok(())
}

/// `salt` makes the submission keys of one call unique.
fn time_releases(
    agent: &ureq::Agent,
    bases: &[&str],
    cookie: &str,
    version: u32,
    counted: u64,
    salt: u64,
) -> Result<()> {
    let mut made = Vec::new();
    for round in 0..20 {
        load::run(&bases[..1], version, 5, Duration::from_millis(300), salt + round)?;
        made.push(release(agent, bases[0], cookie)?.1);
    }
    let reads = (0..200).map(|_| read_results(agent, bases[0], cookie)).collect::<Result<Vec<_>>>()?;
    println!("        POST a release at {counted} respondents: {}", summary(made));
    println!("        GET results (the latest release) at {counted} respondents: {}", summary(reads));
    time_exports(agent, bases[0], cookie, counted)?;
    Ok(())
}

fn post(agent: &ureq::Agent, url: &str, cookie: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
    let mut response = agent.post(url).header("cookie", cookie).send_json(body)?;
    let status = response.status().as_u16();
    let reply: serde_json::Value = response.body_mut().read_json().unwrap_or_default();
    if status >= 300 {
        bail!("POST {url} answered {status}: {reply}");
    }
    Ok(reply)
}

/// Invitations: the server's cost of making a code, exchanging one (argon2id check, RSA
/// blind signature, one transaction) and counting a token-carrying submission (RSA
/// verification); the client's cost of blinding and unblinding, natively and in the
/// browser's WebAssembly.
fn invites() -> Result<()> {
    use nansen_shared::invite::{Blinding, InviteKey, Signed};
    const EXCHANGES: usize = 40;
    crate::client::build()?;
    let site = crate::site_dir();
    // No batch window: the submission's latency is then the work, not the wait.
    let server = start_server(&[
        ("NANSEN_ASSETS", site.to_str().context("site path")?),
        ("NANSEN_BATCH_WINDOW_MS", "0"),
    ])?;
    let (agent, base) = (agent(), server.base().to_owned());
    let cookie = admin_cookie(&agent, &base)?;
    let survey = json!({
        "slug": "members", "languages": ["en"], "title": {"en": "Members"},
        "settings": {"access": "invite"},
        "questions": [{"id": "mood", "kind": "single", "required": true, "prompt": {"en": "Mood?"},
            "options": [{"code": "good", "label": {"en": "Good"}}, {"code": "bad", "label": {"en": "Bad"}}]}]
    });
    post(&agent, &format!("{base}/api/v1/admin/surveys"), &cookie, &survey)?;
    let start = Instant::now();
    post(&agent, &format!("{base}/api/v1/admin/surveys/members/publish"), &cookie, &json!({}))?;
    let publish = start.elapsed();
    let start = Instant::now();
    let made = post(
        &agent,
        &format!("{base}/api/v1/admin/surveys/members/invites"),
        &cookie,
        &json!({"count": 1000}),
    )?;
    let making = start.elapsed();
    let codes: Vec<String> = serde_json::from_value(made["codes"].clone())?;
    let definition: serde_json::Value =
        agent.get(format!("{base}/api/v1/surveys/members")).call()?.body_mut().read_json()?;
    let key: InviteKey = serde_json::from_value(definition["invite_key"].clone())?;

    let (mut blind, mut redeem, mut unblind, mut submit) = (vec![], vec![], vec![], vec![]);
    for code in &codes[..EXCHANGES] {
        let start = Instant::now();
        let blinding = Blinding::new(&key).map_err(|e| anyhow::anyhow!("{e}"))?;
        blind.push(start.elapsed());
        let start = Instant::now();
        let signed = post(
            &agent,
            &format!("{base}/api/v1/surveys/members/invites/redeem"),
            "",
            &json!({"code": code, "blinded": blinding.blinded()}),
        )?;
        redeem.push(start.elapsed());
        let signed: Signed = serde_json::from_value(signed)?;
        let start = Instant::now();
        let token = blinding.finalize(&key, &signed).map_err(|e| anyhow::anyhow!("{e}"))?;
        unblind.push(start.elapsed());
        let start = Instant::now();
        post(
            &agent,
            &format!("{base}/api/v1/surveys/members/responses"),
            "",
            &json!({"version": 1, "answers": {"mood": "good"}, "token": token}),
        )?;
        submit.push(start.elapsed());
    }
    let mut plain = Vec::new();
    for i in 0..EXCHANGES {
        let start = Instant::now();
        post(
            &agent,
            &format!("{base}/api/v1/surveys/diaspora/responses"),
            "",
            &json!({"version": 1, "key": format!("benchplainkey{i:030}"), "answers": {"citizenship": ["russia"],
                "country": "GE", "left_when": "from_2023", "reasons": ["safety"], "return_intention": "no"}}),
        )?;
        plain.push(start.elapsed());
    }
    let sorted = |mut v: Vec<Duration>| {
        v.sort();
        summary(v)
    };
    println!(
        "\nInvitations (RSA-2048, RSABSSA-SHA384-PSS-Randomized; release server over loopback, no batch window)"
    );
    println!("    publishing (makes the survey's RSA key)  {:>8.1} ms", ms(publish));
    println!(
        "    making 1000 codes (argon2id 1 MiB, t=2)   {:>8.1} ms  ({:.2} ms per code)",
        ms(making),
        ms(making) / 1000.0
    );
    println!("    server: exchange a code (request)        {}", sorted(redeem));
    println!("    server: answers with a token (request)   {}", sorted(submit));
    println!("    server: answers with a key, for scale    {}", sorted(plain));
    println!("    client, native: blind                    {}", sorted(blind));
    println!("    client, native: unblind and check        {}", sorted(unblind));

    crate::browser::ensure_installed()?;
    let runtime = browser_runtime()?;
    let (mut wasm_blind, mut wasm_round_trip, mut wasm_unblind) = (vec![], vec![], vec![]);
    for code in &codes[EXCHANGES..EXCHANGES + 5] {
        let marks = runtime.block_on(async {
            let browser = Browser::start(BrowserSetup::PHONE).await?;
            let client = browser.client();
            client.goto(&format!("{base}/s/members")).await?;
            wait_for(
                &browser,
                "return document.querySelector('form[data-live]') ? true : null;",
                Duration::from_secs(60),
            )
            .await?;
            client
                .execute(
                    &format!(
                        "const input = document.getElementById('invite'); input.value = '{code}'; \
                         input.dispatchEvent(new Event('change', {{bubbles: true}}));"
                    ),
                    vec![],
                )
                .await?;
            let marks = wait_for(
                &browser,
                "const at = n => performance.getEntriesByName('nansen:' + n)[0]?.startTime; \
                 return at('token') === undefined ? null : [at('blind'), at('blinded'), at('signed'), at('token')];",
                Duration::from_secs(60),
            )
            .await?;
            browser.close().await;
            anyhow::Ok(marks)
        })?;
        let marks: Vec<f64> = serde_json::from_value(marks)?;
        let between = |a: usize, b: usize| Duration::from_secs_f64((marks[b] - marks[a]).max(0.0) / 1000.0);
        wasm_blind.push(between(0, 1));
        wasm_round_trip.push(between(1, 2));
        wasm_unblind.push(between(2, 3));
    }
    println!("    browser (Chromium, WebAssembly): blind   {}", sorted(wasm_blind));
    println!("    browser: the exchange request            {}", sorted(wasm_round_trip));
    println!("    browser: unblind and check               {}", sorted(wasm_unblind));
    Ok(())
}

/// Counter rows one batch of the default survey updates, about: totals, answered
/// questions, chosen options, cross-tabulation cells.
const CELLS_PER_BATCH: usize = 150;

/// Slots a counter would be spread over, in the alternative to one row per counter.
const SLOTS: u32 = 8;

/// The question for PostgreSQL with several instances: is it faster to update
/// each counter's one row once per batch (rows in a fixed order, so writers queue and
/// never deadlock: what the server does), or to spread each counter over a few slots,
/// one picked at random per batch, and sum them on read? Measured at the database with
/// pgbench: each transaction is one batch's multi-row upsert and its durable commit, run
/// from 2 and 4 concurrent writers (server instances).
fn counters() -> Result<()> {
    const SECONDS: u64 = 10;
    crate::postgres::ensure_installed()?;
    let cluster = crate::postgres::Cluster::start(true)?;
    cluster.create_database("counters")?;
    cluster.psql(
        "counters",
        "CREATE TABLE counters (version_id BIGINT NOT NULL, question TEXT NOT NULL, \
         option TEXT NOT NULL, slot SMALLINT NOT NULL, n BIGINT NOT NULL, \
         PRIMARY KEY (version_id, question, option, slot))",
    )?;
    let dir = tempfile::tempdir()?;
    let upsert = |slot: &str| {
        let rows: Vec<String> = (0..CELLS_PER_BATCH)
            .map(|cell| format!("(1, 'q{:02}', 'o{cell:03}', {slot}, 3)", cell / 10))
            .collect();
        format!(
            "INSERT INTO counters VALUES {} ON CONFLICT (version_id, question, option, slot) \
             DO UPDATE SET n = counters.n + excluded.n;\n",
            rows.join(", ")
        )
    };
    let one_row = dir.path().join("one-row.sql");
    std::fs::write(&one_row, upsert("0"))?;
    let slotted = dir.path().join("slotted.sql");
    std::fs::write(&slotted, format!("\\set slot random(0, {})\n{}", SLOTS - 1, upsert(":slot")))?;

    println!(
        "\nCounter updates on PostgreSQL (fsync on): one transaction = one batch's upsert of \
         {CELLS_PER_BATCH} counters and its commit; {SECONDS} s each"
    );
    println!("    {:<44} {:>8} {:>14}", "layout", "writers", "batches/s");
    for writers in [2, 4] {
        for (name, script) in [
            ("one row per counter, sorted (the server)", &one_row),
            ("8 slots, one at random per batch", &slotted),
        ] {
            let tps = cluster.pgbench("counters", script, writers, SECONDS)?;
            println!("    {name:<44} {writers:>8} {tps:>14.0}");
        }
    }
    Ok(())
}
