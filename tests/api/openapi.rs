//! The OpenAPI document at `/api/v1/openapi.json`: it names every route the server
//! registers and nothing else, it is valid OpenAPI 3.1 whose examples match their
//! schemas, and real replies match what it says of them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::files::python;
use crate::helpers::{Rng, TestServer, fresh_key, valid_answers};

const METHODS: [&str; 4] = ["get", "put", "post", "delete"];

/// The document, as the server sends it.
pub(crate) fn fetch_document(server: &TestServer) -> Value {
    let reply = server.get(nansen_server::OPENAPI_PATH);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("cache-control").is_some_and(|c| c.starts_with("public")));
    reply.json()
}

/// `(path, method)` of every documented operation.
fn documented(document: &Value) -> BTreeSet<(String, String)> {
    let paths = document["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|key| METHODS.contains(&key.as_str()) || *key == "head" || *key == "patch")
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect()
}

/// `(path, method)` of every route the server registers, from its route table.
fn registered() -> BTreeSet<(String, String)> {
    let api = nansen_server::API_ROUTES.iter().flat_map(|(path, methods)| {
        methods
            .iter()
            .map(move |method| (format!("{}{path}", nansen_server::API_PREFIX), (*method).to_owned()))
    });
    api.chain([("/healthz".to_owned(), "get".to_owned())]).collect()
}

#[test]
fn every_registered_route_is_documented_and_every_documented_one_is_served() {
    let server = TestServer::start();
    let document = fetch_document(&server);
    assert_eq!(document["openapi"], "3.1.0");
    let documented = documented(&document);
    let registered = registered();
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unregistered: Vec<_> = documented.difference(&registered).collect();
    assert!(undocumented.is_empty(), "registered but not documented: {undocumented:?}");
    assert!(unregistered.is_empty(), "documented but not registered: {unregistered:?}");
    assert!(registered.len() >= 35, "{registered:?}");

    // And the live server takes each documented method at each documented path: no 405,
    // and not the catch-all's "no API endpoint". (Nothing is changed: no session.)
    for (path, method) in &documented {
        let concrete =
            path.replace("{slug}", "no-such-survey").replace("{version}", "1").replace("{name}", "nobody");
        let concrete = concrete.replace("{id}", "999999");
        let reply = server.send(&method.to_ascii_uppercase(), &concrete, None, &[]);
        assert_ne!(reply.status, 405, "{method} {concrete}: {}", reply.body);
        assert!(!reply.body.contains("no API endpoint"), "{method} {concrete}: {}", reply.body);
    }
}

#[test]
fn every_operation_documents_its_problems_and_security() {
    let server = TestServer::start();
    let document = fetch_document(&server);
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["token"]["scheme"], "bearer");
    for (path, method) in documented(&document) {
        let operation = &document["paths"][&path][&method];
        let responses = operation["responses"].as_object().expect("responses");
        let problem = &responses["500"]["content"]["application/problem+json"]["schema"]["$ref"];
        assert_eq!(problem, "#/components/schemas/Problem", "{method} {path}");
        if path.starts_with("/api/v1/admin/") {
            assert_eq!(operation["security"], json!([{"session": []}]), "{method} {path}");
            assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
        }
        if operation.get("requestBody").is_some() {
            assert!(responses.contains_key("400") && responses.contains_key("413"), "{method} {path}");
        }
        assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path}");
    }
}

/// Runs tests/api/openapi_check.py: `args` after the mode; its report.
fn check(mode: &str, args: &[&Path]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/api/openapi_check.py");
    let output = Command::new(python()).arg(script).arg(mode).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "openapi_check.py {mode} failed:\n{stdout}\n{stderr}");
    eprintln!("openapi_check.py {mode}: {}", stdout.trim());
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn write_json(dir: &Path, name: &str, value: &Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

#[test]
fn the_document_is_valid_openapi_and_every_example_matches_its_schema() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let document = write_json(dir.path(), "openapi.json", &fetch_document(&server));
    let report = check("document", &[&document]);
    // Each problem response carries one; so do the ids, times and the health check.
    assert!(report["checked"].as_u64().unwrap() > 50, "{report}");
}

/// A reply, as openapi_check.py reads it.
fn reply(method: &str, path: &str, reply: &crate::helpers::Reply) -> Value {
    json!({
        "method": method,
        "path": path,
        "status": reply.status,
        "content_type": reply.header("content-type"),
        "body": reply.body,
    })
}

#[test]
fn real_replies_match_their_documented_schemas() {
    let server = TestServer::start();
    let admin = server.login_admin();
    let cookie = [("cookie", admin.as_str())];
    let mut replies = Vec::new();
    let mut get = |path: &str, headers: &[(&str, &str)]| {
        let got = server.get_with(path, headers);
        replies.push(reply("GET", path, &got));
        got
    };
    for path in [
        "/healthz",
        "/api/v1/surveys",
        "/api/v1/surveys/diaspora",
        "/api/v1/surveys/diaspora?lang=ru",
        "/api/v1/surveys/diaspora/messages?lang=uk",
        "/api/v1/messages?lang=be",
        "/api/v1/messages/staff?lang=ru",
        "/api/v1/surveys/no-such-survey",
        "/api/v1/surveys/diaspora/results",
    ] {
        get(path, &[]);
    }
    for path in [
        "/api/v1/session",
        "/api/v1/admin/surveys",
        "/api/v1/admin/surveys/diaspora",
        "/api/v1/admin/users",
        "/api/v1/admin/tokens",
        "/api/v1/admin/audit?limit=5",
        "/api/v1/research/surveys",
        "/api/v1/research/surveys/diaspora/versions/1",
        "/api/v1/surveys/diaspora/releases",
    ] {
        get(path, &cookie);
    }

    // Answers counted, then released: the results documents.
    let survey = server.survey("diaspora");
    let version = survey.version.unwrap();
    let mut rng = Rng::new(16);
    for _ in 0..3 {
        let answers = valid_answers(&survey, &mut rng);
        let counted = server.submit("diaspora", version, &answers, &fresh_key());
        replies.push(reply("POST", "/api/v1/surveys/diaspora/responses", &counted));
    }
    let released = server.send("POST", "/api/v1/admin/surveys/diaspora/releases", None, &cookie);
    replies.push(reply("POST", "/api/v1/admin/surveys/diaspora/releases", &released));
    for path in ["/api/v1/surveys/diaspora/results", "/api/v1/surveys/diaspora/releases"] {
        let got = server.get_with(path, &cookie);
        replies.push(reply("GET", path, &got));
    }
    let token = server.send(
        "POST",
        "/api/v1/admin/tokens",
        Some(&json!({"username": "admin", "label": "schema"})),
        &cookie,
    );
    replies.push(reply("POST", "/api/v1/admin/tokens", &token));
    let user = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": "vera", "role": "researcher"})),
        &cookie,
    );
    replies.push(reply("POST", "/api/v1/admin/users", &user));
    let reset = server.send("POST", "/api/v1/admin/users/vera/password", None, &cookie);
    replies.push(reply("POST", "/api/v1/admin/users/vera/password", &reset));
    let bad =
        server.send("PUT", "/api/v1/admin/surveys/diaspora/schedule", Some(&json!({"opens_at": 1})), &cookie);
    replies.push(reply("PUT", "/api/v1/admin/surveys/diaspora/schedule", &bad));

    let statuses: BTreeSet<u16> = replies.iter().map(|r| r["status"].as_u64().unwrap() as u16).collect();
    assert!(statuses.is_superset(&[200, 201, 400, 404].into()), "{statuses:?}");
    let dir = tempfile::tempdir().unwrap();
    let document = write_json(dir.path(), "openapi.json", &fetch_document(&server));
    let replies_file = write_json(dir.path(), "replies.json", &Value::Array(replies));
    let report = check("responses", &[&document, &replies_file]);
    assert!(report["checked"].as_u64().unwrap() >= 25, "{report}");
}
