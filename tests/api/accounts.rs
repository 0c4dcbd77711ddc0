//! Staff accounts: the authorization matrix, password rules, throttling, same-origin
//! checks, what the database keeps, and the command line.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestServer, database_url, fresh_key, stored_files};

pub const RESEARCHER_PASSWORD: &str = "researcher reads tables 7";

/// A small, valid survey definition.
pub fn small_survey(slug: &str) -> Value {
    json!({
        "slug": slug, "languages": ["en", "ru"], "title": {"en": "Exit poll", "ru": "Экзит-пол"},
        "questions": [{
            "id": "mood", "kind": "single", "required": true,
            "prompt": {"en": "How do you feel?", "ru": "Как вы себя чувствуете?"},
            "options": [{"code": "good", "label": {"en": "Good", "ru": "Хорошо"}},
                        {"code": "bad", "label": {"en": "Bad", "ru": "Плохо"}}]
        }]
    })
}

/// Credentials of each kind of caller.
struct Callers {
    researcher_cookie: String,
    researcher_token: String,
    admin_cookie: String,
}

fn callers(server: &TestServer) -> Callers {
    let admin_cookie = server.login_admin();
    let created = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": "rita", "password": RESEARCHER_PASSWORD, "role": "researcher"})),
        &[("cookie", &admin_cookie)],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    // A password sent is not sent back; nobody has logged in yet.
    assert_eq!(
        created.json(),
        json!({"username": "rita", "role": "researcher", "created_at": created.json()["created_at"],
               "last_login_at": null})
    );
    let token = server.send(
        "POST",
        "/api/v1/admin/tokens",
        Some(&json!({"username": "rita"})),
        &[("cookie", &admin_cookie)],
    );
    assert_eq!(token.status, 201, "{}", token.body);
    Callers {
        researcher_cookie: server.login("rita", RESEARCHER_PASSWORD),
        researcher_token: format!("Bearer {}", token.json()["token"].as_str().unwrap()),
        admin_cookie,
    }
}

#[test]
fn authorization_matrix() {
    let server = TestServer::start();
    let who = callers(&server);
    // A published survey to publish again, close and read, and a draft per column.
    server.send(
        "POST",
        "/api/v1/admin/surveys",
        Some(&small_survey("closable")),
        &[("cookie", &who.admin_cookie)],
    );
    server.send("POST", "/api/v1/admin/surveys/closable/publish", None, &[("cookie", &who.admin_cookie)]);
    let mut members = small_survey("members");
    members["settings"] = json!({"access": "invite"});
    server.send("POST", "/api/v1/admin/surveys", Some(&members), &[("cookie", &who.admin_cookie)]);
    let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": "from_2023",
                         "reasons": ["economy"], "return_intention": "no"});

    type Row = (&'static str, fn(usize) -> String, Option<Value>, [u16; 4]);
    // Columns: anonymous, researcher session, researcher token, admin session.
    let rows: Vec<Row> = vec![
        ("GET", |_| "/api/v1/surveys".into(), None, [200, 200, 200, 200]),
        ("GET", |_| "/api/v1/surveys/diaspora".into(), None, [200, 200, 200, 200]),
        (
            "POST",
            |_| "/api/v1/surveys/diaspora/responses".into(),
            Some(json!({"version": 1, "answers": answers})),
            [200, 200, 200, 200],
        ),
        // Nothing is released yet: staff are let in, and told so.
        ("GET", |_| "/api/v1/surveys/diaspora/results".into(), None, [401, 404, 404, 404]),
        ("GET", |_| "/api/v1/surveys/diaspora/results?format=csv".into(), None, [401, 404, 404, 404]),
        ("GET", |_| "/api/v1/surveys/diaspora/releases".into(), None, [401, 200, 200, 200]),
        ("GET", |_| "/api/v1/surveys/diaspora/messages?lang=ru".into(), None, [200, 200, 200, 200]),
        ("GET", |_| "/api/v1/session".into(), None, [401, 200, 401, 200]),
        ("GET", |_| "/api/v1/research/surveys".into(), None, [401, 200, 200, 200]),
        ("GET", |_| "/api/v1/research/surveys/diaspora/versions/1".into(), None, [401, 200, 200, 200]),
        ("GET", |_| "/api/v1/admin/surveys".into(), None, [401, 403, 403, 200]),
        ("POST", |i| format!("/api/v1/admin/surveys#draft-{i}"), None, [401, 403, 403, 201]),
        ("GET", |_| "/api/v1/admin/surveys/diaspora".into(), None, [401, 403, 403, 200]),
        (
            "PUT",
            |_| "/api/v1/admin/surveys/closable".into(),
            Some(small_survey("closable")),
            [401, 403, 403, 200],
        ),
        ("POST", |_| "/api/v1/admin/surveys/closable/publish".into(), None, [401, 403, 403, 200]),
        ("POST", |_| "/api/v1/admin/surveys/closable/close".into(), None, [401, 403, 403, 200]),
        // Four answers are too few for a release: the admin is let in, and refused.
        ("POST", |_| "/api/v1/admin/surveys/diaspora/releases".into(), None, [401, 403, 403, 409]),
        (
            "POST",
            |_| "/api/v1/admin/surveys/members/invites".into(),
            Some(json!({"count": 2})),
            [401, 403, 403, 201],
        ),
        ("GET", |_| "/api/v1/admin/users".into(), None, [401, 403, 403, 200]),
        ("POST", |i| format!("/api/v1/admin/users#user{i}"), None, [401, 403, 403, 201]),
        ("DELETE", |_| "/api/v1/admin/users/user3".into(), None, [401, 403, 403, 204]),
        ("GET", |_| "/api/v1/admin/tokens".into(), None, [401, 403, 403, 200]),
        ("POST", |_| "/api/v1/admin/tokens".into(), Some(json!({"username": "rita"})), [401, 403, 403, 201]),
        ("DELETE", |_| "/api/v1/admin/tokens/2".into(), None, [401, 403, 403, 204]),
        ("GET", |_| "/api/v1/admin/audit".into(), None, [401, 403, 403, 200]),
        // Last: it ends rita's sessions.
        ("POST", |_| "/api/v1/admin/users/rita/password".into(), None, [401, 403, 403, 200]),
    ];
    for (method, path_of, body, expected) in rows {
        for (column, expected) in expected.iter().enumerate() {
            let headers: Vec<(&str, &str)> = match column {
                0 => vec![],
                1 => vec![("cookie", who.researcher_cookie.as_str())],
                2 => vec![("authorization", who.researcher_token.as_str())],
                _ => vec![("cookie", who.admin_cookie.as_str())],
            };
            // Paths with a `#name` make a fresh thing per column.
            let path = path_of(column);
            let (path, body) = match path.split_once('#') {
                Some((path, name)) if path.ends_with("/surveys") => {
                    (path.to_owned(), Some(small_survey(name)))
                }
                Some((path, name)) => (
                    path.to_owned(),
                    Some(
                        json!({"username": name, "password": "a fine long password 9", "role": "researcher"}),
                    ),
                ),
                None => (path, body.clone()),
            };
            let body = body.map(|mut b| {
                if path.ends_with("/responses") {
                    b["key"] = json!(fresh_key());
                }
                b
            });
            let reply = server.send(method, &path, body.as_ref(), &headers);
            assert_eq!(reply.status, *expected, "{method} {path} as caller {column}: {}", reply.body);
            if reply.status >= 400 {
                assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{method} {path}");
            }
        }
    }
}

#[test]
fn weak_passwords_and_bad_usernames_are_refused() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let create = |name: &str, password: &str| {
        server.send(
            "POST",
            "/api/v1/admin/users",
            Some(&json!({"username": name, "password": password, "role": "researcher"})),
            &[("cookie", &cookie)],
        )
    };
    create("bob", "short").problem(422, "weak-password");
    let common = create("bob", "password1234").problem(422, "weak-password");
    assert!(common["detail"].as_str().unwrap().contains("too easy to guess"), "{common}");
    create("Bob Smith", "a fine long password 9").problem(422, "invalid-username");
    assert_eq!(create("bob", "a fine long password 9").status, 201);
    create("bob", "another fine password 8").problem(409, "conflict");
    // An admin cannot remove their own account (nor, so, the last admin), and nobody can
    // log in with a removed account.
    server.send("DELETE", "/api/v1/admin/users/admin", None, &[("cookie", &cookie)]).problem(409, "conflict");
    assert_eq!(server.send("DELETE", "/api/v1/admin/users/bob", None, &[("cookie", &cookie)]).status, 204);
    server
        .post_json("/api/v1/session", &json!({"username": "bob", "password": "a fine long password 9"}))
        .problem(401, "invalid-credentials");
}

#[test]
fn repeated_failures_are_throttled_with_retry_after() {
    let server = TestServer::start();
    let attempt = |user: &str, password: &str| {
        server.post_json("/api/v1/session", &json!({"username": user, "password": password}))
    };
    for _ in 0..5 {
        attempt("admin", "not the password!").problem(401, "invalid-credentials");
    }
    // Five failures from this client use up its free attempts for this user: the next
    // attempt is refused before its password is checked, even the right password.
    let blocked = attempt("admin", ADMIN_PASSWORD);
    blocked.problem(429, "too-many-requests");
    let retry_after: u64 = blocked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    std::thread::sleep(std::time::Duration::from_millis(1100 * retry_after));
    assert_eq!(attempt("admin", ADMIN_PASSWORD).status, 200, "after the wait the right password works");
}

#[test]
fn one_client_guessing_many_accounts_is_throttled() {
    let server = TestServer::start();
    for i in 0..20 {
        server
            .post_json("/api/v1/session", &json!({"username": format!("guess{i}"), "password": "x"}))
            .problem(401, "invalid-credentials");
    }
    // Twenty failures use up this client's free attempts, whichever accounts it tries;
    // the admin has never logged in from it, so the right password waits too.
    server
        .post_json("/api/v1/session", &json!({"username": "guess20", "password": "x"}))
        .problem(429, "too-many-requests");
    server
        .post_json("/api/v1/session", &json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .problem(429, "too-many-requests");
}

#[test]
fn changes_from_other_sites_are_refused() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let create = |slug: &str, extra: &[(&str, &str)]| {
        let mut headers = vec![("cookie", cookie.as_str())];
        headers.extend_from_slice(extra);
        server.send("POST", "/api/v1/admin/surveys", Some(&small_survey(slug)), &headers)
    };
    create("a", &[("origin", "https://evil.example")]).problem(403, "forbidden");
    create("b", &[("sec-fetch-site", "cross-site")]).problem(403, "forbidden");
    let own = server.url("");
    assert_eq!(create("c", &[("origin", own.as_str()), ("sec-fetch-site", "same-origin")]).status, 201);
    // Logging in from another site's page is refused too.
    server
        .post_raw(
            "/api/v1/session",
            "application/json",
            &json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string(),
            &[("origin", "https://evil.example")],
        )
        .problem(403, "forbidden");
}

#[test]
fn the_database_keeps_only_hashes_of_passwords_sessions_and_tokens() {
    let server = TestServer::start();
    let who = callers(&server);
    let token = who.researcher_token.trim_start_matches("Bearer ").to_owned();
    let sessions = [who.admin_cookie.clone(), who.researcher_cookie.clone()];
    let dir = server.dir();
    server.kill();
    let mut argon2_hashes = 0;
    for file in stored_files(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [ADMIN_PASSWORD, RESEARCHER_PASSWORD, &token, &token[7..30]] {
            assert!(!text.contains(secret), "{secret} is in {}", file.display());
        }
        for cookie in &sessions {
            let id = cookie.split_once('=').unwrap().1;
            assert!(!text.contains(id) && !text.contains(&id[..20]), "a session id is in {}", file.display());
        }
        argon2_hashes += text.matches("$argon2id$v=19$m=65536,t=3,p=1$").count();
    }
    assert!(argon2_hashes >= 2, "both accounts' hashes are argon2id with the chosen parameters");
}

#[test]
fn the_audit_log_records_staff_actions() {
    let server = TestServer::start();
    let who = callers(&server);
    let version = server.publish_exact("diaspora", 5);
    let survey = server.survey("diaspora");
    let mut rng = crate::helpers::Rng::new(5);
    for _ in 0..5 {
        let answers = crate::helpers::valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", version, &answers, &crate::helpers::fresh_key()).status, 200);
    }
    server.release("diaspora");
    server.post_json("/api/v1/session", &json!({"username": "rita", "password": "wrong password!!"}));
    let export =
        server.get_with("/api/v1/surveys/diaspora/results?format=csv", &[("cookie", &who.researcher_cookie)]);
    assert_eq!(export.status, 200, "{}", export.body);
    let codebook =
        server.get_with("/api/v1/surveys/diaspora/codebook.xml", &[("cookie", &who.researcher_cookie)]);
    assert_eq!(codebook.status, 200, "{}", codebook.body);
    // Reading the results as JSON is what the dashboard does: not a download, not audited.
    let read = server.get_with("/api/v1/surveys/diaspora/results", &[("cookie", &who.researcher_cookie)]);
    assert_eq!(read.status, 200, "{}", read.body);
    let log = server.get_with("/api/v1/admin/audit", &[("cookie", &who.admin_cookie)]).json();
    let entries: Vec<(String, String, String)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["at"].as_i64().unwrap() > 1_700_000_000);
            (
                e["actor"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
                e["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    let has = |actor: &str, action: &str, target: &str| {
        entries.iter().any(|(a, b, c)| a == actor && b == action && c.contains(target))
    };
    assert!(has("admin", "login", ""), "{entries:?}");
    assert!(has("admin", "user_create", "rita (researcher)"), "{entries:?}");
    assert!(has("admin", "token_create", "for rita"), "{entries:?}");
    assert!(has("rita", "login", ""), "{entries:?}");
    assert!(has("rita", "login_failed", ""), "{entries:?}");
    assert!(has("admin", "survey_publish", "diaspora v2, noise off"), "{entries:?}");
    assert!(has("admin", "release", "diaspora: release 1"), "{entries:?}");
    assert!(has("rita", "results_export", "diaspora release 1 csv"), "{entries:?}");
    assert!(has("rita", "results_export", "diaspora release 1 ddi-codebook"), "{entries:?}");
    let exports = entries.iter().filter(|(_, action, _)| action == "results_export").count();
    assert_eq!(exports, 2, "the JSON read was audited as a download: {entries:?}");
    // Newest first.
    assert_eq!(entries[0].1, "results_export");
}

/// Runs `nansen` with a command line against the database in `dir`.
fn cli(dir: &tempfile::TempDir, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nansen"))
        .args(args)
        .env_clear()
        .env("DATABASE_URL", database_url(dir.path()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn the_command_line_manages_accounts_and_tokens() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let (ok, out) =
        cli(&dir, &["user", "add", "--role", "researcher", "vera"], "vera's long secret phrase\n");
    assert!(ok, "{out}");
    let (ok, out) = cli(&dir, &["user", "add", "--role", "researcher", "weak"], "password1234\n");
    assert!(!ok && out.contains("too easy to guess"), "{out}");
    let (ok, out) = cli(&dir, &["user", "add", "--role", "boss", "x"], "");
    assert!(!ok && out.contains("[possible values: admin, researcher]"), "{out}");
    let (ok, out) = cli(&dir, &["token", "create", "vera"], "");
    assert!(ok, "{out}");
    let token = out.split_whitespace().find(|w| w.starts_with("nansen_")).unwrap().to_owned();

    let server = TestServer::start_with(dir.clone(), &[]);
    server.login("vera", "vera's long secret phrase");
    let bearer = format!("Bearer {token}");
    assert_eq!(
        server.get_with("/api/v1/surveys/diaspora/releases", &[("authorization", &bearer)]).status,
        200
    );
    let (ok, out) = cli(&dir, &["user", "list"], "");
    assert!(ok && out.contains("vera") && out.contains("researcher") && out.contains("admin"), "{out}");
    let (ok, out) = cli(&dir, &["token", "list"], "");
    assert!(ok && out.contains("#1") && !out.contains(&token), "{out}");
    let (ok, out) = cli(&dir, &["token", "revoke", "1"], "");
    assert!(ok, "{out}");
    server
        .get_with("/api/v1/surveys/diaspora/releases", &[("authorization", &bearer)])
        .problem(401, "unauthenticated");
    let (ok, out) = cli(&dir, &["user", "passwd", "vera"], "a brand new passphrase 2\n");
    assert!(ok, "{out}");
    server.login("vera", "a brand new passphrase 2");
}

#[test]
fn a_generated_first_password_goes_to_a_private_file_never_to_the_output() {
    use std::os::unix::fs::PermissionsExt as _;
    // No NANSEN_ADMIN_PASSWORD: the server makes one. Its standard output is a pipe, as
    // under a service manager that keeps it in a journal; the log is at debug.
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::try_start(dir.clone(), |command| {
        command.env_remove("NANSEN_ADMIN_PASSWORD");
    })
    .unwrap_or_else(|output| panic!("{output}"));
    let file = server.beside_database("admin-password");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let password = std::fs::read_to_string(&file).unwrap().trim().to_owned();
    assert!(password.len() >= 24, "{password:?}");
    // The output names the file, and holds neither the password nor any part of it.
    let output = server.output();
    assert!(output.contains("nansen") && output.contains(".admin-password"), "{output}");
    let parts = password.split('-').filter(|part| part.len() >= 4);
    for part in std::iter::once(password.as_str()).chain(parts) {
        assert!(!output.contains(part), "{part:?} is in the output:\n{output}");
    }
    let login = server.post_json("/api/v1/session", &json!({"username": "admin", "password": password}));
    assert_eq!(login.status, 200, "{}", login.body);
    // Nor is it in the log of a later start, when the admin exists.
    server.kill();
    let again = TestServer::try_start(dir, |command| {
        command.env_remove("NANSEN_ADMIN_PASSWORD");
    })
    .unwrap_or_else(|output| panic!("{output}"));
    assert!(!again.output().contains("First start"), "{}", again.output());
}
