//! Methods as HTTP says, over the wire: `HEAD` answers as `GET` does without the body
//! (pages, assets, API reads), and a method a route does not take answers 405 with
//! `Allow` (a problem document under /api, a page elsewhere). Raw HTTP/1.1, so that
//! what is (not) sent after the headers is seen.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use crate::helpers::TestServer;

/// A response as it came over the connection.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Sends `method path` on a fresh connection that the server closes after answering,
/// and reads everything it sends.
fn raw(server: &TestServer, method: &str, path: &str, extra: &str) -> Raw {
    let url = server.url("/");
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority).unwrap();
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n{extra}\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("the end of the headers");
    let head = String::from_utf8(bytes[..end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Raw { status, headers, body: bytes[end + 4..].to_vec() }
}

fn with_assets() -> (TestServer, tempfile::TempDir) {
    let assets = tempfile::tempdir().unwrap();
    std::fs::write(assets.path().join("style.css"), "body { color: black; }\n").unwrap();
    let server = TestServer::start_with(
        Arc::new(tempfile::tempdir().unwrap()),
        &[("NANSEN_ASSETS", assets.path().to_str().unwrap())],
    );
    (server, assets)
}

#[test]
fn head_answers_as_get_without_the_body() {
    let (server, _assets) = with_assets();
    for path in [
        "/",
        "/s/diaspora",
        "/admin",
        "/research/results",
        "/assets/style.css",
        "/healthz",
        "/api/v1/surveys",
        "/api/v1/surveys/diaspora",
        "/api/v1/openapi.json",
    ] {
        let get = raw(&server, "GET", path, "");
        let head = raw(&server, "HEAD", path, "");
        assert_eq!(get.status, 200, "GET {path}");
        assert_eq!(head.status, 200, "HEAD {path}");
        assert!(!get.body.is_empty(), "GET {path}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body: {}", String::from_utf8_lossy(&head.body));
        assert_eq!(head.header("content-type"), get.header("content-type"), "HEAD {path}");
        // The length a GET would send (as sent here, neither compressed nor chunked).
        if let Some(length) = get.header("content-length") {
            assert_eq!(head.header("content-length"), Some(length), "HEAD {path}");
        }
    }
    // And HEAD of what is not there is a 404 like GET's, still without a body.
    for path in ["/nothing-here", "/api/v1/surveys/no-such-survey", "/assets/missing.js"] {
        let head = raw(&server, "HEAD", path, "");
        assert_eq!(head.status, 404, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path}");
    }
}

#[test]
fn a_wrong_method_answers_405_with_allow() {
    let (server, _assets) = with_assets();
    // Under /api: a problem document.
    for (method, path, allow) in [
        ("PATCH", "/api/v1/surveys", "GET, HEAD"),
        ("DELETE", "/api/v1/surveys/diaspora", "GET, HEAD"),
        ("PUT", "/api/v1/surveys/diaspora/responses", "POST"),
        ("GET", "/api/v1/surveys/diaspora/responses", "POST"),
        ("PATCH", "/api/v1/session", "GET, HEAD, POST, DELETE"),
        ("POST", "/api/v1/openapi.json", "GET, HEAD"),
        ("DELETE", "/api/v1/admin/surveys", "GET, HEAD, POST"),
        ("PUT", "/api/v1/admin/tokens/3", "DELETE"),
        ("POST", "/healthz", "GET, HEAD"),
    ] {
        let reply = raw(&server, method, path, "Content-Length: 0\r\n");
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
        assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{method} {path}");
        let problem: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(problem["type"], "/problems/method-not-allowed");
        assert_eq!(problem["status"], 405);
    }
    // Pages and assets: a page.
    for (method, path, allow) in [
        ("DELETE", "/s/diaspora", "GET, HEAD, POST"),
        ("POST", "/", "GET, HEAD"),
        ("PUT", "/admin/surveys", "GET, HEAD"),
        ("POST", "/research", "GET, HEAD"),
        ("POST", "/assets/style.css", "GET, HEAD"),
        ("PATCH", "/s/diaspora/done", "GET, HEAD"),
    ] {
        let reply = raw(&server, method, path, "Content-Length: 0\r\n");
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
        assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{method} {path}");
        assert!(String::from_utf8_lossy(&reply.body).contains("Method not allowed"), "{method} {path}");
    }
    // A path nobody serves is still a 404 whatever the method.
    assert_eq!(raw(&server, "DELETE", "/nothing-here", "").status, 404);
    assert_eq!(raw(&server, "PATCH", "/api/v1/nothing-here", "").status, 404);
}
