//! A load generator for `cargo xtask bench submissions`: many keep-alive connections,
//! each a thread that sends one submission and reads the reply before sending the next,
//! so the server's throughput, not the generator's, sets the pace. Raw HTTP/1.1 over
//! `TcpStream`: a client library would spend the shared CPU the server needs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Answer sets for the default survey, varied the way real ones are: several
/// countries, reasons, branches taken and not.
const PATTERNS: [&str; 8] = [
    r#"{"citizenship":["russia"],"country":"GE","left_when":"feb_sep_2022","reasons":["war_opposition","safety"],"occupation":"it","return_intention":"if_war_ends","return_conditions":["war_end"],"age":34}"#,
    r#"{"citizenship":["russia"],"country":"AM","left_when":"after_mobilisation","reasons":["mobilisation"],"return_intention":"no"}"#,
    r#"{"citizenship":["belarus"],"country":"LT","left_when":"before_2022","reasons":["safety"],"activity":["donating","protests"],"return_intention":"after_change","return_conditions":["leadership_change"],"welcome":4}"#,
    r#"{"citizenship":["belarus"],"country":"PL","left_when":"before_2022","reasons":["economy","family"],"occupation":"arts","return_intention":"dont_know","age":52}"#,
    r#"{"citizenship":["russia","other"],"country":"DE","left_when":"from_2023","reasons":["alienation"],"occupation":"academia","return_intention":"no","welcome":3}"#,
    r#"{"citizenship":["russia"],"country":"KZ","left_when":"after_mobilisation","reasons":["mobilisation","work_relocated"],"occupation":"it","return_intention":"soon"}"#,
    r#"{"citizenship":["russia"],"country":"RS","left_when":"feb_sep_2022","reasons":["war_opposition"],"activity":["media_projects","volunteering"],"occupation":"media","return_intention":"after_change","return_conditions":["war_end","no_prosecution"]}"#,
    r#"{"citizenship":["russia","belarus"],"country":"GE","left_when":"from_2023","reasons":["other"],"return_intention":"dont_know","age":23}"#,
];

/// What a run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    pub acknowledged: u64,
    pub refused: u64,
    pub elapsed: Duration,
    /// Latencies of acknowledged submissions, sorted.
    pub latencies: Vec<Duration>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A unique, well-formed submission key (43 base64url characters): unique is all a
/// benchmark needs; the browser's are random.
fn key(counter: u64, salt: u64) -> String {
    format!("bench{salt:016x}{counter:022}")
}

fn request(host: &str, counter: u64, salt: u64) -> Vec<u8> {
    let answers = PATTERNS[(counter % PATTERNS.len() as u64) as usize];
    let body = format!(r#"{{"version":1,"key":"{}","answers":{answers}}}"#, key(counter, salt));
    format!(
        "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response; returns its status.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).context("no status line")?;
    let mut length = 0usize;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
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
    reader.read_exact(&mut body)?;
    Ok(status)
}

/// Sends submissions over `connections` connections to `base` (`http://host:port`) for
/// `duration`.
pub fn run(base: &str, connections: usize, duration: Duration, salt: u64) -> Result<Outcome> {
    let host = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let counter = AtomicU64::new(0);
    let start = Instant::now();
    let deadline = start + duration;
    let results: Vec<Result<(u64, u64, Vec<Duration>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let (host, counter) = (&host, &counter);
                std::thread::Builder::new()
                    .stack_size(128 * 1024)
                    .spawn_scoped(scope, move || -> Result<(u64, u64, Vec<Duration>)> {
                        let stream = TcpStream::connect(host)?;
                        stream.set_nodelay(true)?;
                        let mut writer = stream.try_clone()?;
                        let mut reader = BufReader::new(stream);
                        let (mut acknowledged, mut refused, mut latencies) = (0, 0, Vec::new());
                        while Instant::now() < deadline {
                            let request = request(host, counter.fetch_add(1, Ordering::Relaxed), salt);
                            let sent = Instant::now();
                            writer.write_all(&request)?;
                            match read_response(&mut reader)? {
                                200 => {
                                    acknowledged += 1;
                                    latencies.push(sent.elapsed());
                                }
                                _ => refused += 1,
                            }
                        }
                        Ok((acknowledged, refused, latencies))
                    })
                    .map_err(anyhow::Error::from)
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.and_then(|w| w.join().map_err(|_| anyhow::anyhow!("a load thread panicked"))?))
            .collect()
    });
    let elapsed = start.elapsed();
    let mut outcome = Outcome { elapsed, ..Outcome::default() };
    for result in results {
        let (acknowledged, refused, latencies) = result?;
        outcome.acknowledged += acknowledged;
        outcome.refused += refused;
        outcome.latencies.extend(latencies);
    }
    outcome.latencies.sort();
    Ok(outcome)
}
