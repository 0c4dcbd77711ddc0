//! What must never be kept or sent: keys in the database files, cookies to respondents,
//! addresses, User-Agents, query strings or bodies in the logs.

use nansen_shared::Answers;
use serde_json::json;

use crate::helpers::{Rng, TestServer, database_files, fresh_key, valid_answers};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_database_files_hold_none_of_the_keys() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(5);
    let keys: Vec<String> = (0..60).map(|_| fresh_key()).collect();
    for key in &keys {
        let answers = valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", 1, &answers, key).status, 200);
    }
    let dir = server.dir();
    // Killed, not stopped: the write-ahead log stays as it was under load.
    server.kill();
    let files = database_files(dir.path());
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for key in &keys {
            assert!(!contains(&bytes, key.as_bytes()), "a key is in {}", file.display());
            // Nor its first half, in case something truncated or re-encoded it.
            assert!(!contains(&bytes, &key.as_bytes()[..16]), "part of a key is in {}", file.display());
        }
    }
}

#[test]
fn respondents_never_get_a_cookie() {
    let server = TestServer::start();
    let answers: Answers = serde_json::from_value(json!({
        "citizenship": ["belarus"], "country": "LT", "left_when": "before_2022",
        "reasons": ["safety"], "return_intention": "dont_know"
    }))
    .unwrap();
    let replies = [
        server.get("/"),
        server.get("/s/diaspora"),
        server.get("/s/diaspora?lang=ru"),
        server.get("/api/v1/surveys"),
        server.get("/api/v1/surveys/diaspora"),
        server.submit("diaspora", 1, &answers, &fresh_key()),
        server.submit("diaspora", 1, &answers, "bad"),
        server.get("/api/v1/surveys/nope"),
        server.get("/assets/nansen.css"),
        server.get("/healthz"),
    ];
    for reply in replies {
        assert_eq!(reply.header("set-cookie"), None, "{reply:?}");
    }
}

#[test]
fn logs_hold_no_address_agent_query_or_body() {
    let server = TestServer::start();
    let key = fresh_key();
    let headers = [
        ("user-agent", "UniqueAgent/7.7 (Marker)"),
        ("x-forwarded-for", "203.0.113.77"),
        ("x-real-ip", "198.51.100.23"),
        ("forwarded", "for=192.0.2.60"),
    ];
    server.get_with("/s/diaspora?lang=ru&marker=QUERYMARKER", &headers);
    server.get_with("/api/v1/surveys/diaspora?marker=QUERYMARKER", &headers);
    let body = json!({"version": 1, "answers": {"country": "ZW", "left_when": "BODYMARKER"}, "key": key})
        .to_string();
    server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", &body, &headers);
    server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", "{BODYMARKER", &headers);
    server.get_with("/no/such/page/PATHMARKER", &headers);
    let output = server.output();
    // The access log ran (so this test looks at real log lines)...
    assert!(output.contains(r#"route="/api/v1/surveys/{slug}/responses" status=422"#), "{output}");
    // ...and recorded none of these.
    for secret in [
        "UniqueAgent",
        "203.0.113.77",
        "198.51.100.23",
        "192.0.2.60",
        "QUERYMARKER",
        "BODYMARKER",
        "PATHMARKER",
        &key,
    ] {
        assert!(!output.contains(secret), "{secret} leaked into the log:\n{output}");
    }
}

#[test]
fn pages_carry_a_strict_policy_and_load_nothing_from_elsewhere() {
    let server = TestServer::start();
    for path in ["/", "/s/diaspora", "/s/unknown"] {
        let reply = server.get(path);
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert!(reply.header("permissions-policy").is_some_and(|p| p.contains("geolocation=()")));
        assert!(
            !reply.body.contains("http://")
                && !reply.body.contains("https://")
                && !reply.body.contains("//cdn"),
            "{path} links elsewhere: {}",
            reply.body
        );
    }
}
