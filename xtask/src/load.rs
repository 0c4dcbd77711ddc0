//! A load generator for `cargo xtask bench submissions`: many keep-alive connections on
//! one thread (tokio, current-thread), each sending one submission and reading the reply
//! before sending the next, so the server's throughput, not the generator's, sets the
//! pace. Raw HTTP/1.1: a client library would spend the CPU the server shares.
//!
//! Beside the load, slow connections may be kept open (as an attacker would): a third
//! trickle their headers, a third their body, a third send nothing; each one the server
//! closes is opened again at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Answer sets for the default survey, varied the way real ones are: several
/// countries, reasons, branches taken and not.
const PATTERNS: [&str; 8] = [
    r#"{"citizenship":["russia"],"country":"GE","left_when":"feb_sep_2022","reasons":["war_opposition","safety"],"occupation":"it","return_intention":"if_war_ends","return_conditions":{"war_end":"likely"},"age":34}"#,
    r#"{"citizenship":["russia"],"country":"AM","left_when":"after_mobilisation","reasons":["mobilisation"],"return_intention":"no"}"#,
    r#"{"citizenship":["belarus"],"country":"LT","left_when":"before_2022","reasons":["safety"],"activity":["donating","protests"],"return_intention":"after_change","return_conditions":{"leadership_change":"maybe","economy":"unlikely"},"welcome":4}"#,
    r#"{"citizenship":["belarus"],"country":"PL","left_when":"before_2022","reasons":["economy","family"],"occupation":"arts","return_intention":"dont_know","age":52}"#,
    r#"{"citizenship":["russia","other"],"country":"DE","left_when":"from_2023","reasons":["alienation"],"occupation":"academia","return_intention":"no","welcome":3}"#,
    r#"{"citizenship":["russia"],"country":"KZ","left_when":"after_mobilisation","reasons":["mobilisation","work_relocated"],"occupation":"it","return_intention":"soon"}"#,
    r#"{"citizenship":["russia"],"country":"RS","left_when":"feb_sep_2022","reasons":["war_opposition"],"activity":["media_projects","volunteering"],"occupation":"media","return_intention":"after_change","return_conditions":{"war_end":"likely","no_prosecution":"likely"}}"#,
    r#"{"citizenship":["russia","belarus"],"country":"GE","left_when":"from_2023","reasons":["other"],"return_intention":"dont_know","age":23}"#,
];

/// What a run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every acknowledged submission, those answered after the run's end included: the
    /// number the server's count must match.
    pub acknowledged: u64,
    pub refused: u64,
    /// Connections the server closed or reset; each may have had a submission in
    /// flight, counted but never acknowledged.
    pub broken: u64,
    pub first_break: Option<String>,
    pub duration: Duration,
    /// Latencies of the submissions acknowledged within the run's duration, sorted.
    /// Those still waiting at its end are left out, as `wrk` and `oha` leave them out:
    /// once the connections stop sending, the last batches are partly empty and wait
    /// out the window, which is the latency of a quiet server, not of one under load.
    pub latencies: Vec<Duration>,
}

impl Outcome {
    /// Submissions acknowledged per second while the load lasted.
    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.duration.as_secs_f64().max(1e-9)
    }
}

/// A unique, well-formed submission key (43 base64url characters): unique is all a
/// benchmark needs; the browser's are random.
fn key(counter: u64, salt: u64) -> String {
    format!("bench{salt:016x}{counter:022}")
}

fn request(host: &str, version: u32, counter: u64, salt: u64) -> Vec<u8> {
    let answers = PATTERNS[(counter % PATTERNS.len() as u64) as usize];
    let body = format!(r#"{{"version":{version},"key":"{}","answers":{answers}}}"#, key(counter, salt));
    format!(
        "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response; returns its status.
async fn read_response(reader: &mut BufReader<TcpStream>, line: &mut String) -> Result<u16> {
    line.clear();
    reader.read_line(line).await?;
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).context("no status line")?;
    let mut length = 0usize;
    loop {
        line.clear();
        if reader.read_line(line).await? == 0 {
            bail!("the connection closed mid-response");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(status)
}

/// One connection's share: submissions until `deadline`. A connection the server
/// closes or resets is counted, and opened again.
async fn connection(
    host: String,
    version: u32,
    counter: Arc<AtomicU64>,
    deadline: Instant,
    salt: u64,
) -> Outcome {
    let mut outcome = Outcome::default();
    while Instant::now() < deadline {
        if let Err(error) = session(&host, version, &counter, deadline, salt, &mut outcome).await {
            outcome.broken += 1;
            outcome.first_break.get_or_insert_with(|| error.to_string());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    outcome
}

/// Submissions over one TCP connection until `deadline` or an error.
async fn session(
    host: &str,
    version: u32,
    counter: &AtomicU64,
    deadline: Instant,
    salt: u64,
    outcome: &mut Outcome,
) -> Result<()> {
    let stream = TcpStream::connect(host).await?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while Instant::now() < deadline {
        let request = request(host, version, counter.fetch_add(1, Ordering::Relaxed), salt);
        let sent = Instant::now();
        reader.get_mut().write_all(&request).await?;
        match read_response(&mut reader, &mut line).await? {
            200 => {
                outcome.acknowledged += 1;
                if Instant::now() < deadline {
                    outcome.latencies.push(sent.elapsed());
                }
            }
            _ => outcome.refused += 1,
        }
    }
    Ok(())
}

/// One slow connection kept open until `deadline`: opened again each time the server
/// closes it (counted in `closed`).
async fn slow_connection(host: String, kind: usize, deadline: Instant, closed: Arc<AtomicU64>) {
    let start = match kind % 3 {
        0 => "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: x\r\n".to_owned(),
        1 => "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 4000\r\n\r\n{"
            .to_owned(),
        _ => String::new(),
    };
    let mut buffer = [0u8; 1024];
    while Instant::now() < deadline {
        let Ok(mut stream) = TcpStream::connect(&host).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if stream.write_all(start.as_bytes()).await.is_err() {
            closed.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        while Instant::now() < deadline {
            match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer)).await {
                Ok(Ok(0) | Err(_)) => break,
                Ok(Ok(_)) => {}
                // A byte a second, of the headers or the body (the idle ones stay silent).
                Err(_) if kind % 3 == 2 => {}
                Err(_) => {
                    if stream.write_all(b" ").await.is_err() {
                        break;
                    }
                }
            }
        }
        if Instant::now() < deadline {
            closed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Sends submissions to version `version` of the default survey over `connections`
/// connections, spread over `bases` (`http://host:port`, one per server instance), for
/// `duration`.
pub fn run(
    bases: &[&str],
    version: u32,
    connections: usize,
    duration: Duration,
    salt: u64,
) -> Result<Outcome> {
    Ok(run_beside_slow(bases, version, connections, duration, salt, 0)?.0)
}

/// As [`run`], with `slow` slow connections kept open from a second before the load
/// until its end; also returns how many times the server closed one of them.
pub fn run_beside_slow(
    bases: &[&str],
    version: u32,
    connections: usize,
    duration: Duration,
    salt: u64,
    slow: usize,
) -> Result<(Outcome, u64)> {
    let hosts: Vec<String> =
        bases.iter().map(|b| b.trim_start_matches("http://").trim_end_matches('/').to_owned()).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let counter = Arc::new(AtomicU64::new(0));
    let closed = Arc::new(AtomicU64::new(0));
    let lead = if slow > 0 { Duration::from_secs(1) } else { Duration::ZERO };
    let start = Instant::now() + lead;
    let deadline = start + duration;
    let results = runtime.block_on(async {
        let slow_tasks: Vec<_> = (0..slow)
            .map(|i| {
                tokio::spawn(slow_connection(hosts[i % hosts.len()].clone(), i, deadline, closed.clone()))
            })
            .collect();
        tokio::time::sleep(lead).await;
        let tasks: Vec<_> = (0..connections)
            .map(|i| {
                tokio::spawn(connection(
                    hosts[i % hosts.len()].clone(),
                    version,
                    counter.clone(),
                    deadline,
                    salt,
                ))
            })
            .collect();
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(task.await.map_err(|e| anyhow::anyhow!("a connection task failed: {e}"))?);
        }
        for task in slow_tasks {
            task.await.map_err(|e| anyhow::anyhow!("a slow connection task failed: {e}"))?;
        }
        anyhow::Ok(results)
    })?;
    let mut total = Outcome { duration, ..Outcome::default() };
    for outcome in results {
        total.acknowledged += outcome.acknowledged;
        total.refused += outcome.refused;
        total.broken += outcome.broken;
        total.first_break = total.first_break.or(outcome.first_break);
        total.latencies.extend(outcome.latencies);
    }
    total.latencies.sort();
    Ok((total, closed.load(Ordering::Relaxed)))
}
