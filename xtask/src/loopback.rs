//! The loopback ceiling for `cargo xtask bench submissions`: a responder that reads each
//! request and sends back the bytes Nansen sends for a counted submission, and does
//! nothing else (no routing, no JSON, no validation, no database). The load generator
//! against it measures what the kernel's loopback TCP, the generator and the least
//! possible HTTP handling cost on this machine, so the benchmark can print how far the
//! server is from the most any server could do here.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::thread;

use anyhow::{Context, Result};
use socket2::{Domain, Socket, Type};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Nansen's reply to a counted submission, byte for byte but for the date.
const REPLY: &[u8] = b"HTTP/1.1 200 OK\r\n\
content-length: 20\r\n\
x-content-type-options: nosniff\r\n\
cross-origin-opener-policy: same-origin\r\n\
content-type: application/json\r\n\
cache-control: no-store\r\n\
permissions-policy: accelerometer=(), ambient-light-sensor=(), camera=(), geolocation=(), gyroscope=(), \
magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()\r\n\
x-frame-options: DENY\r\n\
content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'\r\n\
referrer-policy: no-referrer\r\n\
date: Fri, 27 Nov 2026 10:34:06 GMT\r\n\
\r\n\
{\"status\":\"counted\"}";

/// The responder's threads' name, by which the benchmark finds their CPU time.
pub const THREAD: &str = "loopback-reply";

/// Starts the responder on a free loopback port with one thread per core (as the
/// server has one worker per core); returns its base URL. It serves until the
/// process exits.
pub fn start() -> Result<String> {
    // The server's backlog, so that both take the 2048 connections at once.
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(2048)?;
    let listener = StdListener::from(socket);
    listener.set_nonblocking(true)?;
    let base = format!("http://{}", listener.local_addr()?);
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    for _ in 0..workers {
        let listener = listener.try_clone()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        thread::Builder::new()
            .name(THREAD.into())
            .spawn(move || runtime.block_on(accept(listener)))
            .context("could not start a responder thread")?;
    }
    Ok(base)
}

async fn accept(listener: StdListener) -> Result<()> {
    let listener = TcpListener::from_std(listener)?;
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        tokio::spawn(answer(stream));
    }
}

/// Answers every request on one connection until the client closes it.
async fn answer(stream: TcpStream) -> Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse()?;
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body).await?;
        reader.get_mut().write_all(REPLY).await?;
    }
}
