//! schemathesis (from PyPI, in the test environment) against a live server and its
//! OpenAPI document, anonymous and authenticated: no 5xx, every reply conforms to the
//! documented schema, status code and content type, schema-violating requests are
//! refused, wrong methods answer 405 with `Allow`. Bounded: a few examples a case, two
//! workers, a fixed seed (the same cases every run). The server is its own: what
//! schemathesis creates, changes or closes touches no other test.

use std::process::Command;
use std::time::Instant;

use serde_json::json;

use crate::files::python;
use crate::helpers::{Rng, TestServer, fresh_key, valid_answers};

#[test]
fn schemathesis_finds_nothing() {
    let server = TestServer::start();
    // What the paths name (tests/api/schemathesis.toml): the default survey, with a
    // release to read, and a researcher's account.
    let version = server.publish_exact("diaspora", 5);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(1);
    for _ in 0..5 {
        let answers = valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", version, &answers, &fresh_key()).status, 200);
    }
    server.release("diaspora");
    let cookie = server.login_admin();
    let vera = json!({"username": "vera", "role": "researcher"});
    let created = server.send("POST", "/api/v1/admin/users", Some(&vera), &[("cookie", &cookie)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let session = cookie.strip_prefix("nansen_session=").expect("the session cookie").to_owned();
    let token = server.send(
        "POST",
        "/api/v1/admin/tokens",
        Some(&json!({"username": "admin", "label": "schemathesis"})),
        &[("cookie", &cookie)],
    );
    assert_eq!(token.status, 201, "{}", token.body);
    let token = token.json()["token"].as_str().unwrap().to_owned();

    let schemathesis = python().with_file_name("schemathesis");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/api/schemathesis.toml");
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let reports = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = Command::new(&schemathesis)
        .arg("--config-file")
        .arg(config)
        .arg("run")
        .arg(format!("{base}{}", nansen_server::OPENAPI_PATH))
        .args(["--url", base, "--max-examples", "5", "--workers", "2", "--seed", "1", "--no-shrink"])
        // Stateful runs chain operations without bound; the other phases cover each.
        .args(["--phases", "examples,coverage,fuzzing"])
        // Ending the session would leave the rest of the run logged out; logging out is
        // tested in tests/api/sessions.rs.
        .args(["--exclude-name", "DELETE /api/v1/session"])
        // Its path is also `/admin/surveys/{slug}` for a survey called "import" (the
        // route lets GET and PUT through to it), so the `Allow` there truthfully names
        // more than the document's POST; and its body is an .xlsx file, which
        // schemathesis cannot make. Tested with real XLSForms in tests/api/xlsform.rs.
        .args(["--exclude-name", "POST /api/v1/admin/surveys/import"])
        .arg("--report-dir")
        .arg(reports.path())
        // Its example cache (.schemathesis/) goes there too, not into the source tree:
        // each run starts from the seed alone.
        .current_dir(reports.path())
        .env("NANSEN_SESSION", &session)
        .env("NANSEN_TOKEN", &token)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| {
            panic!("{}: {e} (is tests/python-requirements.txt installed?)", schemathesis.display())
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary =
        stdout.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    eprintln!("schemathesis took {:.1} s:\n{summary}", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "schemathesis found failures:\n{stdout}\n{stderr}");
    let generated = stdout
        .lines()
        .find_map(|line| line.trim().split_once(" generated").and_then(|(n, _)| n.trim().parse::<u64>().ok()))
        .unwrap_or(0);
    assert!(generated > 300, "too few cases to mean much: {generated}\n{stdout}");
}
