//! What the admin's staff screens rely on: accounts made with a generated password,
//! password resets (the old password and sessions end, the reset is audited, the same
//! reset on the command line), refusals that keep an admin in charge, labelled API tokens
//! with their last use, and the audit log read a page at a time.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use serde_json::{Value, json};

use crate::helpers::{TestServer, database_url, stored_files};

/// Creates `name` with `role` and no password; returns the password the server made.
fn add(server: &TestServer, cookie: &str, name: &str, role: &str) -> String {
    let created = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": name, "role": role})),
        &[("cookie", cookie)],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let body = created.json();
    assert_eq!(
        (&body["username"], &body["role"], &body["last_login_at"]),
        (&json!(name), &json!(role), &Value::Null)
    );
    body["password"].as_str().expect("a generated password").to_owned()
}

fn reset(server: &TestServer, cookie: &str, name: &str) -> crate::helpers::Reply {
    server.send("POST", &format!("/api/v1/admin/users/{name}/password"), None, &[("cookie", cookie)])
}

/// The audit log's entries as (actor, action, target), newest first.
fn audit(server: &TestServer, cookie: &str, query: &str) -> (Vec<(String, String, String)>, Value) {
    let page = server.get_with(&format!("/api/v1/admin/audit{query}"), &[("cookie", cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let page = page.json();
    let entries = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = |name: &str| e[name].as_str().unwrap().to_owned();
            (field("actor"), field("action"), field("target"))
        })
        .collect();
    (entries, page["next_before"].clone())
}

#[test]
fn a_reset_password_replaces_the_old_one_ends_the_sessions_and_is_audited() {
    let server = TestServer::start();
    let admin = server.login_admin();
    let first = add(&server, &admin, "vera", "researcher");
    let vera = server.login("vera", &first);
    let token = server.send(
        "POST",
        "/api/v1/admin/tokens",
        Some(&json!({"username": "vera"})),
        &[("cookie", &admin)],
    );
    let bearer = format!("Bearer {}", token.json()["token"].as_str().unwrap());

    let reply = reset(&server, &admin, "vera");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let second = reply.json()["password"].as_str().unwrap().to_owned();
    assert_eq!(reply.json()["username"], "vera");
    assert!(second.len() >= 24 && second != first, "{second}");

    // The old password and the session opened with it are over; the new one works.
    server
        .post_json("/api/v1/session", &json!({"username": "vera", "password": first}))
        .problem(401, "invalid-credentials");
    server.get_with("/api/v1/session", &[("cookie", &vera)]).problem(401, "unauthenticated");
    let again = server.login("vera", &second);
    assert_eq!(server.get_with("/api/v1/session", &[("cookie", &again)]).json()["username"], "vera");
    // Her API token is a credential of its own, revoked on its own.
    assert_eq!(server.get_with("/api/v1/research/surveys", &[("authorization", &bearer)]).status, 200);
    // The admin's own session goes on.
    assert_eq!(server.get_with("/api/v1/session", &[("cookie", &admin)]).status, 200);

    let (entries, _) = audit(&server, &admin, "?action=user_password_reset");
    assert_eq!(entries, [("admin".to_owned(), "user_password_reset".to_owned(), "vera".to_owned())]);
    let users = server.get_with("/api/v1/admin/users", &[("cookie", &admin)]).json();
    let listed = users.as_array().unwrap().iter().find(|u| u["username"] == "vera").unwrap().clone();
    assert!(listed["last_login_at"].as_i64().unwrap() > 1_700_000_000, "{listed}");
    assert!(listed.get("password").is_none(), "{listed}");

    // Neither password is kept in clear, nor logged.
    let log = server.output();
    let dir = server.dir();
    server.kill();
    for password in [&first, &second] {
        assert!(!log.contains(password.as_str()), "a password is in the log");
        for file in stored_files(dir.path()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains(password.as_str()), "{}", file.display());
        }
    }
}

#[test]
fn resets_and_removals_that_make_no_sense_are_refused_with_reasons() {
    let server = TestServer::start();
    let admin = server.login_admin();
    add(&server, &admin, "bea", "admin");
    let rita_password = add(&server, &admin, "rita", "researcher");
    let rita = server.login("rita", &rita_password);

    // Nobody else's password, nor an unknown account's.
    let own = reset(&server, &admin, "admin").problem(409, "conflict");
    assert!(own["detail"].as_str().unwrap().contains("your own account"), "{own}");
    assert_eq!(server.get_with("/api/v1/session", &[("cookie", &admin)]).status, 200, "still logged in");
    reset(&server, &admin, "nobody").problem(404, "not-found");
    // A researcher may do none of it (nor an API token: see the authorization matrix).
    reset(&server, &rita, "bea").problem(403, "forbidden");
    server.send("DELETE", "/api/v1/admin/users/bea", None, &[("cookie", &rita)]).problem(403, "forbidden");
    server.send("POST", "/api/v1/admin/users/bea/password", None, &[]).problem(401, "unauthenticated");

    // An admin cannot remove their own account...
    let own = server
        .send("DELETE", "/api/v1/admin/users/admin", None, &[("cookie", &admin)])
        .problem(409, "conflict");
    assert!(own["detail"].as_str().unwrap().contains("your own account"), "{own}");
    // ...and two admins removing each other at the same moment leave one of them.
    let bea = server.login("bea", reset(&server, &admin, "bea").json()["password"].as_str().unwrap());
    let start = Arc::new(Barrier::new(2));
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let remove = |cookie: String, other: &'static str| {
            let (start, server) = (start.clone(), &server);
            scope.spawn(move || {
                start.wait();
                server
                    .send("DELETE", &format!("/api/v1/admin/users/{other}"), None, &[("cookie", &cookie)])
                    .status
            })
        };
        let handles = [remove(admin.clone(), "bea"), remove(bea.clone(), "admin")];
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // The one removed second finds itself the last admin (409), or its session gone (401).
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert!(sorted == [204, 401] || sorted == [204, 409], "{statuses:?}");
    let survivor = if statuses[0] == 204 { &admin } else { &bea };
    let users = server.get_with("/api/v1/admin/users", &[("cookie", survivor)]).json();
    let admins = users.as_array().unwrap().iter().filter(|u| u["role"] == "admin").count();
    assert_eq!(admins, 1, "{users}");
}

#[test]
fn tokens_carry_a_label_and_their_last_use_never_the_token() {
    let server = TestServer::start();
    let admin = server.login_admin();
    add(&server, &admin, "vera", "researcher");
    let create =
        |body: Value| server.send("POST", "/api/v1/admin/tokens", Some(&body), &[("cookie", &admin)]);
    let created = create(json!({"username": "vera", "label": "  R scripts, lab laptop "}));
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let created = created.json();
    let token = created["token"].as_str().unwrap().to_owned();
    assert_eq!(created["label"], "R scripts, lab laptop");
    assert_eq!(created["last_used_at"], Value::Null);

    let problem = create(json!({"username": "vera", "label": "x".repeat(81)})).problem(400, "invalid-body");
    assert!(problem["detail"].as_str().unwrap().contains("80 characters"), "{problem}");
    create(json!({"username": "vera", "label": "two\nlines"})).problem(400, "invalid-body");
    create(json!({"username": "nobody", "label": "x"})).problem(404, "not-found");

    let bearer = format!("Bearer {token}");
    assert_eq!(server.get_with("/api/v1/research/surveys", &[("authorization", &bearer)]).status, 200);
    let list = server.get_with("/api/v1/admin/tokens", &[("cookie", &admin)]);
    assert!(!list.body.contains(&token[7..]), "{}", list.body);
    let listed = &list.json()[0];
    assert_eq!((&listed["username"], &listed["label"]), (&json!("vera"), &json!("R scripts, lab laptop")));
    let used = listed["last_used_at"].as_i64().expect("its use is noted");
    assert_eq!(used % 3600, 0, "to the hour");

    let id = listed["id"].as_i64().unwrap();
    let revoke = server.send("DELETE", &format!("/api/v1/admin/tokens/{id}"), None, &[("cookie", &admin)]);
    assert_eq!(revoke.status, 204);
    server
        .get_with("/api/v1/research/surveys", &[("authorization", &bearer)])
        .problem(401, "unauthenticated");
    let (entries, _) = audit(&server, &admin, "?actor=admin&limit=2");
    let target = format!("#{id} for vera (R scripts, lab laptop)");
    assert_eq!(entries[0], ("admin".to_owned(), "token_revoke".to_owned(), target.clone()));
    assert_eq!(entries[1], ("admin".to_owned(), "token_create".to_owned(), target));
}

#[test]
fn the_audit_log_is_read_a_page_at_a_time_by_actor_or_action() {
    let server = TestServer::start();
    let admin = server.login_admin();
    for name in ["ann", "ben", "cid", "dan", "eve"] {
        add(&server, &admin, name, "researcher");
    }
    let (first, next) = audit(&server, &admin, "?action=user_create&limit=2");
    assert_eq!(
        first.iter().map(|e| e.2.as_str()).collect::<Vec<_>>(),
        ["eve (researcher)", "dan (researcher)"]
    );
    let mut seen: Vec<String> = first.into_iter().map(|e| e.2).collect();
    let mut next = next;
    while let Some(before) = next.as_i64() {
        // New entries while paging do not shift the pages.
        server.login_admin();
        let (page, after) = audit(&server, &admin, &format!("?action=user_create&limit=2&before={before}"));
        seen.extend(page.into_iter().map(|e| e.2));
        next = after;
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("ann (researcher)"));

    let (logins, _) = audit(&server, &admin, "?actor=admin&action=login");
    assert!(logins.len() >= 3 && logins.iter().all(|e| e.0 == "admin" && e.1 == "login"), "{logins:?}");
    let (none, next) = audit(&server, &admin, "?actor=nobody");
    assert!(none.is_empty() && next.is_null());
    let bad = server.get_with("/api/v1/admin/audit?before=yesterday", &[("cookie", &admin)]);
    bad.problem(400, "invalid-query");
}

#[test]
fn the_command_line_resets_a_password_the_same_way() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::start_with(dir.clone(), &[]);
    let admin = server.login_admin();
    let old = add(&server, &admin, "vera", "researcher");
    let vera = server.login("vera", &old);

    let mut child = Command::new(env!("CARGO_BIN_EXE_nansen"))
        .args(["user", "reset", "vera"])
        .env_clear()
        .env("DATABASE_URL", database_url(dir.path()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"").unwrap();
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("shown only this once"), "{said}");
    let new = said.split_whitespace().find(|w| w.len() == 27).expect("the new password").to_owned();

    server.get_with("/api/v1/session", &[("cookie", &vera)]).problem(401, "unauthenticated");
    server
        .post_json("/api/v1/session", &json!({"username": "vera", "password": old}))
        .problem(401, "invalid-credentials");
    server.login("vera", &new);
    let (entries, _) = audit(&server, &admin, "?action=user_password_reset");
    assert_eq!(entries, [("(command line)".to_owned(), "user_password_reset".to_owned(), "vera".to_owned())]);
}
