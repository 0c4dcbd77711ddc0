//! A recording TCP proxy between Chromium and the server: the network observer of the
//! tests. It passes bytes through unchanged and keeps a copy of each connection's two
//! directions, from which it reads the HTTP/1.1 requests and replies: what each
//! carried (its headers) and how many bytes each took on the wire.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// What went each way over one connection.
#[derive(Default)]
struct Recorded {
    sent: Vec<u8>,
    received: Vec<u8>,
}

/// A running proxy; stops accepting on drop.
pub struct Proxy {
    address: SocketAddr,
    connections: Arc<Mutex<Vec<Arc<Mutex<Recorded>>>>>,
    stop: Arc<AtomicBool>,
}

/// One HTTP message as it went over the wire.
#[derive(Debug, Clone)]
pub struct Message {
    /// The request line or the status line.
    pub start: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Bytes on the wire, head and body.
    pub length: usize,
}

impl Message {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The method and the path of a request.
    pub fn target(&self) -> (&str, &str) {
        let mut parts = self.start.split(' ');
        (parts.next().unwrap_or(""), parts.next().unwrap_or(""))
    }
}

/// A request and, once it came, its reply.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: Message,
    pub reply: Option<Message>,
}

impl Proxy {
    /// Listens on a free loopback port and passes every connection on to `upstream`.
    pub fn start(upstream: &str) -> Self {
        let upstream: SocketAddr =
            upstream.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let connections: Arc<Mutex<Vec<Arc<Mutex<Recorded>>>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (all, stopping) = (connections.clone(), stop.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                let recorded = Arc::new(Mutex::new(Recorded::default()));
                all.lock().unwrap().push(recorded.clone());
                let (client_in, server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let sent = recorded.clone();
                thread::spawn(move || {
                    pass(client_in, server_out, move |b| sent.lock().unwrap().sent.extend_from_slice(b))
                });
                thread::spawn(move || {
                    pass(server, client, move |b| recorded.lock().unwrap().received.extend_from_slice(b))
                });
            }
        });
        Self { address, connections, stop }
    }

    /// `path` on the proxy: what the browser is sent to.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Every exchange so far, connection by connection, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let connections = self.connections.lock().unwrap();
        let mut exchanges = Vec::new();
        for connection in connections.iter() {
            let recorded = connection.lock().unwrap();
            let requests = messages(&recorded.sent, true);
            let mut replies = messages(&recorded.received, false).into_iter();
            exchanges.extend(requests.into_iter().map(|request| Exchange { request, reply: replies.next() }));
        }
        exchanges
    }

    /// Forgets what was recorded (connections kept open are recorded from here on).
    pub fn clear(&self) {
        for connection in self.connections.lock().unwrap().iter() {
            *connection.lock().unwrap() = Recorded::default();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then stops.
        let _ = TcpStream::connect(self.address);
    }
}

/// Copies `from` to `to`, recording each chunk, until either side closes.
fn pass(mut from: TcpStream, mut to: TcpStream, record: impl Fn(&[u8])) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                record(&buffer[..n]);
                if to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// The complete HTTP/1.1 messages at the start of `bytes`.
fn messages(mut bytes: &[u8], requests: bool) -> Vec<Message> {
    let mut found = Vec::new();
    while let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let start = lines.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let status = start.split(' ').nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
        let rest = &bytes[end + 4..];
        let no_body = !requests && (status < 200 || status == 204 || status == 304);
        let (body, used) = if no_body {
            (Vec::new(), 0)
        } else if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            match chunked(rest) {
                Some(read) => read,
                None => break,
            }
        } else {
            let length: usize = header("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
            if rest.len() < length {
                break;
            }
            (rest[..length].to_vec(), length)
        };
        found.push(Message { start, headers, body, length: end + 4 + used });
        bytes = &rest[used..];
    }
    found
}

/// A chunked body at the start of `bytes`, and how many bytes it took; `None` if it is
/// not all there yet.
fn chunked(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let (mut body, mut at) = (Vec::new(), 0);
    loop {
        let line_end = at + bytes[at..].windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&bytes[at..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // No trailers are sent here: the final CRLF ends the body.
            return (bytes.len() >= at + 2).then_some((body, at + 2));
        }
        if bytes.len() < at + size + 2 {
            return None;
        }
        body.extend_from_slice(&bytes[at..at + size]);
        at += size + 2;
    }
}
