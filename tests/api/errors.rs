//! Client mistakes get a problem document with a status that says what went wrong;
//! never a 500, never a panic.

use serde_json::json;

use crate::helpers::{TestServer, fresh_key};

const RESPONSES: &str = "/api/v1/surveys/diaspora/responses";

#[test]
fn malformed_and_misshapen_bodies() {
    let server = TestServer::start();
    server.post_raw(RESPONSES, "application/json", "{\"version\": 1, ", &[]).problem(400, "malformed-json");
    server.post_raw(RESPONSES, "application/json", "", &[]).problem(400, "malformed-json");
    let missing =
        server.post_json(RESPONSES, &json!({"answers": {}, "key": fresh_key()})).problem(400, "invalid-body");
    assert!(missing["detail"].as_str().unwrap().contains("version"), "{missing}");
    server
        .post_json(RESPONSES, &json!({"version": "one", "answers": {}, "key": fresh_key()}))
        .problem(400, "invalid-body");
    server.post_json(RESPONSES, &json!([1, 2])).problem(400, "invalid-body");
    server.post_raw(RESPONSES, "text/plain", "{}", &[]).problem(415, "unsupported-media-type");
}

#[test]
fn bodies_over_64_kib_are_refused() {
    let server = TestServer::start();
    let padding = "x".repeat(65 * 1024);
    let body = json!({"version": 1, "answers": {"padding": padding}, "key": fresh_key()});
    server.post_json(RESPONSES, &body).problem(413, "payload-too-large");
    // Just under the limit is read (and refused on its merits).
    let padding = "x".repeat(60 * 1024);
    let body = json!({"version": 1, "answers": {"padding": padding}, "key": fresh_key()});
    server.post_json(RESPONSES, &body).problem(422, "invalid-answers");
}

#[test]
fn unknown_things_are_not_found() {
    let server = TestServer::start();
    server.get("/api/v1/surveys/no-such-survey").problem(404, "not-found");
    server.get("/api/v1/surveys/NOT%20A%20SLUG").problem(404, "not-found");
    server
        .post_json(
            "/api/v1/surveys/no-such-survey/responses",
            &json!({"version": 1, "answers": {}, "key": fresh_key()}),
        )
        .problem(404, "not-found");
    server.get("/api/v1/nothing-here").problem(404, "not-found");
    let page = server.get("/s/no-such-survey");
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
}

#[test]
fn wrong_methods_are_refused_with_a_problem() {
    let server = TestServer::start();
    server.put_json("/api/v1/surveys", &json!({})).problem(405, "method-not-allowed");
    server.get(RESPONSES).problem(405, "method-not-allowed");
}

#[test]
fn bad_query_strings_are_client_errors() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    server
        .get_with("/api/v1/surveys/diaspora/results?format=pdf", &[("cookie", &cookie)])
        .problem(400, "invalid-query");
}
