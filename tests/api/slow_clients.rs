//! Slow and idle clients: connections that trickle their headers or their body, or
//! send nothing, are closed by the server after its timeouts, and while they are open
//! respondents and health checks are still served; more of them than the server has
//! open files for do not stop it.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::{Rng, TestServer, fresh_key, valid_answers};

/// How a slow connection behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slow {
    /// Sends part of its headers, then a byte at a time.
    Headers,
    /// Sends whole headers of a POST, then its body a byte at a time.
    Body,
    /// Connects and sends nothing.
    Idle,
}

struct Connection {
    stream: TcpStream,
    kind: Slow,
    closed: bool,
}

impl Connection {
    fn open(address: &str, kind: Slow) -> Self {
        let mut stream = TcpStream::connect(address).unwrap();
        let start = match kind {
            Slow::Headers => "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: x\r\n".to_owned(),
            Slow::Body => "POST /api/v1/surveys/diaspora/responses HTTP/1.1\r\nHost: x\r\n\
                 Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"
                .to_owned(),
            Slow::Idle => String::new(),
        };
        stream.write_all(start.as_bytes()).unwrap();
        stream.set_nonblocking(true).unwrap();
        Self { stream, kind, closed: false }
    }

    /// Sends one more byte (unless idle) and notes whether the server has closed the
    /// connection: the end of the stream or a reset, after whatever it answered.
    fn trickle(&mut self) {
        if self.closed {
            return;
        }
        if self.kind != Slow::Idle {
            let _ = self.stream.write(if self.kind == Slow::Headers { b"X" } else { b" " });
        }
        let mut buffer = [0u8; 4096];
        loop {
            match self.stream.read(&mut buffer) {
                Ok(0) => break self.closed = true,
                Ok(_) => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => break self.closed = true,
            }
        }
    }
}

/// Keeps every connection trickling until the server has closed them all, or for a
/// minute (generous: that it happens is asserted by the caller, not when).
fn keep_trickling_until_closed(connections: &mut [Connection]) {
    let give_up = Instant::now() + Duration::from_secs(60);
    while connections.iter().any(|c| !c.closed) && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(250));
        connections.iter_mut().for_each(Connection::trickle);
    }
}

#[test]
fn slow_and_idle_connections_are_closed_and_do_not_starve_respondents() {
    let env = [("NANSEN_HEADER_TIMEOUT_SECONDS", "2"), ("NANSEN_BODY_TIMEOUT_SECONDS", "2")];
    let server = TestServer::start_with(Arc::new(tempfile::tempdir().unwrap()), &env);
    let address = server.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut slow: Vec<Connection> = [Slow::Headers, Slow::Body, Slow::Idle]
        .iter()
        .flat_map(|&kind| (0..100).map(move |_| kind))
        .map(|kind| Connection::open(&address, kind))
        .collect();
    for connection in &mut slow {
        connection.trickle();
    }

    // Meanwhile an honest respondent and the health check are served.
    let answers = valid_answers(&server.survey("diaspora"), &mut Rng::new(5));
    let reply = server.submit("diaspora", 1, &answers, &fresh_key());
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(server.get("/healthz").status, 200);

    // Each slow connection is closed by the server however it keeps trickling.
    keep_trickling_until_closed(&mut slow);
    for kind in [Slow::Headers, Slow::Body, Slow::Idle] {
        let open = slow.iter().filter(|c| c.kind == kind && !c.closed).count();
        assert_eq!(open, 0, "{kind:?} connections the server left open");
    }
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.counts("diaspora").respondents(), 1, "nothing trickled was counted");
    // It raised its open-file limit to what its connections need, and said so.
    assert!(server.output().contains("open-file limit"), "{}", server.output());
}

/// The attack the limits answer: under the open-file limit a service usually has
/// (1,024), 1,100 idle connections once made the health check time out ("Too many open
/// files"). Now the server holds only as many connections as its files allow, leaves
/// the rest in the kernel's backlog until the idle ones time out, and keeps serving.
#[test]
fn more_idle_connections_than_open_files_do_not_stop_the_server() {
    // This process holds the 1,100 connections itself.
    rlimit::increase_nofile_limit(4096).unwrap();
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::try_start_under(dir, &["prlimit", "--nofile=1024:1024", "--"], |command| {
        command.env("NANSEN_HEADER_TIMEOUT_SECONDS", "2");
    })
    .unwrap();
    let address = server.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut idle: Vec<Connection> = (0..1100).map(|_| Connection::open(&address, Slow::Idle)).collect();

    assert_eq!(server.get("/healthz").status, 200);
    let answers = valid_answers(&server.survey("diaspora"), &mut Rng::new(6));
    let reply = server.submit("diaspora", 1, &answers, &fresh_key());
    assert_eq!(reply.status, 200, "{}", reply.body);
    keep_trickling_until_closed(&mut idle);
    assert_eq!(idle.iter().filter(|c| !c.closed).count(), 0, "idle connections the server left open");
    let output = server.output();
    assert!(output.contains("open-file limit 1024 (its hard limit) is below"), "{output}");
    assert!(!output.contains("Too many open files"), "{output}");
    assert_eq!(server.counts("diaspora").respondents(), 1);
}
