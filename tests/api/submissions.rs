//! The submission pipeline end to end: exact counts, one count per key, nothing counted
//! for invalid answers, durability across a crash.

use std::collections::BTreeMap;
use std::sync::Arc;

use nansen_shared::{Answer, Answers, QuestionKind, Survey};
use serde_json::{Value, json};

use crate::helpers::{Rng, TestServer, fresh_key, valid_answers};

/// Checks a published count against the true count `n` at threshold 5: a count from 1
/// to 4 is always suppressed; any other is shown exactly, or suppressed as a complement.
#[track_caller]
fn check(published: &Value, n: u64, what: &str) {
    match published {
        Value::Null => assert!(n > 0, "{what}: a zero count is never suppressed"),
        shown => {
            assert!(n == 0 || n >= 5, "{what}: {n} is shown");
            assert_eq!(shown, &json!(n), "{what}");
        }
    }
}

/// The codes an answer is counted under, worked out from the definition directly.
fn codes(survey: &Survey, question: &str, answer: &Answer) -> Vec<String> {
    let kind = &survey.question(question).unwrap().1.kind;
    match (kind, answer) {
        (_, Answer::Code(code)) => vec![code.clone()],
        // A ranking's item at its place, from 1.
        (QuestionKind::Ranking { .. }, Answer::Codes(items)) => {
            items.iter().enumerate().map(|(place, item)| format!("{item}.{}", place + 1)).collect()
        }
        (_, Answer::Codes(codes)) => codes.clone(),
        (_, Answer::Rows(rows)) => rows.iter().map(|(row, option)| format!("{row}.{option}")).collect(),
        (QuestionKind::Number { bins, .. }, Answer::Number(n)) => {
            vec![bins.iter().find(|b| b.min <= *n && *n <= b.max).unwrap().code.to_string()]
        }
        (_, Answer::Number(n)) => vec![n.to_string()],
        (_, Answer::Other(_)) => unreachable!(),
    }
}

fn expected_counts(survey: &Survey, sets: &[Answers]) -> BTreeMap<(String, String), u64> {
    let mut expected = BTreeMap::new();
    for answers in sets {
        *expected.entry((String::new(), String::new())).or_default() += 1;
        for (question, answer) in answers {
            *expected.entry((question.clone(), String::new())).or_default() += 1;
            for code in codes(survey, question, answer) {
                *expected.entry((question.clone(), code)).or_default() += 1;
            }
        }
    }
    expected
}

#[test]
fn concurrent_valid_submissions_give_exact_counts() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(2026);
    let sets: Vec<Answers> = (0..160).map(|_| valid_answers(&survey, &mut rng)).collect();
    std::thread::scope(|scope| {
        for chunk in sets.chunks(20) {
            let server = &server;
            scope.spawn(move || {
                for answers in chunk {
                    let reply = server.submit("diaspora", version, answers, &fresh_key());
                    assert_eq!(reply.status, 200, "{}", reply.body);
                    assert_eq!(reply.json(), json!({"status": "counted"}));
                }
            });
        }
    });

    let expected = expected_counts(&survey, &sets);
    let get = |q: &str, o: &str| expected.get(&(q.to_owned(), o.to_owned())).copied().unwrap_or(0);
    // What was counted is exactly what was sent...
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 160);
    for question in &survey.questions {
        let id = question.id.as_str();
        assert_eq!(counted.answered(id), get(id, ""), "answered {id}");
        for cell in 0..question.cell_count() {
            let code = question.cell_code(cell).unwrap();
            assert_eq!(counted.chose(id, &code), get(id, &code), "{id}={code}");
        }
    }
    // ...and an exact release publishes it, small counts and their complements withheld.
    let results = server.release("diaspora");
    assert_eq!(results["respondents"], json!(160));
    assert_eq!(results["min_cell"], json!(5));
    assert_eq!(results["version"], json!(version));
    assert_eq!(results["release"]["number"], json!(1));
    assert_eq!(results["release"]["noise"], Value::Null, "noise off: exact counts, and said so");
    let mut seen_cells = 0;
    for question in results["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        check(&question["answered"], get(id, ""), &format!("answered {id}"));
        for count in question["counts"].as_array().unwrap() {
            let option = count["option"].as_str().unwrap();
            check(&count["count"], get(id, option), &format!("{id}={option}"));
            seen_cells += usize::from(get(id, option) > 0);
        }
    }
    // Every cell anyone chose is reported (the countries included).
    let chosen_cells = expected.keys().filter(|(q, o)| !q.is_empty() && !o.is_empty()).count();
    assert_eq!(seen_cells, chosen_cells);
}

fn base_answers() -> Value {
    json!({"citizenship": ["russia"], "country": "GE", "left_when": "feb_sep_2022",
           "reasons": ["war_opposition"], "return_intention": "no"})
}

#[test]
fn a_repeated_key_is_refused_and_counted_once() {
    let server = TestServer::start();
    let answers: Answers = serde_json::from_value(base_answers()).unwrap();
    let keys: Vec<String> = (0..5).map(|_| fresh_key()).collect();
    for key in &keys {
        assert_eq!(server.submit("diaspora", 1, &answers, key).status, 200);
    }
    // A retry of the same submission, and a different one reusing the key.
    let repeat = server.submit("diaspora", 1, &answers, &keys[0]);
    let problem = repeat.problem(409, "already-counted");
    assert!(problem["detail"].as_str().unwrap().contains("already counted"), "{problem}");
    let mut other: Answers = answers.clone();
    other.insert("return_intention".into(), Answer::Code("soon".into()));
    server.submit("diaspora", 1, &other, &keys[1]).problem(409, "already-counted");

    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 5);
    assert_eq!(counted.chose("return_intention", "soon"), 0);
    assert_eq!(counted.chose("return_intention", "no"), 5);
}

#[test]
fn each_kind_of_invalid_answer_is_refused_and_counts_nothing() {
    let server = TestServer::start();
    let with = |changes: Value| {
        let mut answers = base_answers();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                answers.as_object_mut().unwrap().remove(k);
            } else {
                answers[k] = v.clone();
            }
        }
        answers
    };
    let cases = [
        (with(json!({"shoe_size": 44})), "shoe_size", "unknown_question"),
        (with(json!({"left_when": "yesterday"})), "left_when", "not_offered"),
        (with(json!({"country": "XX"})), "country", "not_offered"),
        (with(json!({"reasons": ["family", "family"]})), "reasons", "duplicate_choice"),
        (with(json!({"reasons": ["family", "economy", "safety", "other"]})), "reasons", "too_many_choices"),
        (with(json!({"activity": ["none", "protests"]})), "activity", "exclusive_combined"),
        (with(json!({"welcome": 9})), "welcome", "out_of_range"),
        (with(json!({"age": 12})), "age", "out_of_range"),
        (with(json!({"age": "thirty"})), "age", "wrong_type"),
        (with(json!({"left_when": null})), "left_when", "required"),
        (with(json!({"return_conditions": {"war_end": "likely"}})), "return_conditions", "hidden"),
        (
            with(json!({"return_intention": "if_war_ends", "return_conditions": ["war_end"]})),
            "return_conditions",
            "wrong_type",
        ),
        (with(json!({"citizenship": "russia"})), "citizenship", "wrong_type"),
    ];
    for (answers, question, code) in cases {
        let reply = server.post_json(
            "/api/v1/surveys/diaspora/responses",
            &json!({"version": 1, "answers": answers, "key": fresh_key()}),
        );
        let problem = reply.problem(422, "invalid-answers");
        let errors = problem["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{problem}");
        assert_eq!(errors[0]["pointer"], format!("#/answers/{question}"), "{problem}");
        assert_eq!(errors[0]["code"], code, "{problem}");
        assert!(errors[0]["detail"].as_str().unwrap().len() > 10);
    }
    // A bad key and a stale version are refused before anything else.
    let answers = base_answers();
    server
        .post_json(
            "/api/v1/surveys/diaspora/responses",
            &json!({"version": 1, "answers": answers, "key": "short"}),
        )
        .problem(422, "invalid-key");
    let stale = server
        .post_json(
            "/api/v1/surveys/diaspora/responses",
            &json!({"version": 7, "answers": answers, "key": fresh_key()}),
        )
        .problem(409, "version-mismatch");
    assert!(stale["detail"].as_str().unwrap().contains("version 1"), "{stale}");

    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 0);
    for question in &server.survey("diaspora").questions {
        assert_eq!(counted.answered(question.id.as_str()), 0, "{}", question.id);
    }
}

#[test]
fn acknowledged_counts_survive_a_crash() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(9);
    for _ in 0..7 {
        let reply = server.submit("diaspora", 1, &valid_answers(&survey, &mut rng), &fresh_key());
        assert_eq!(reply.status, 200);
    }
    let dir: Arc<tempfile::TempDir> = server.dir();
    server.kill();
    let restarted = TestServer::start_with(dir, &[]);
    assert_eq!(restarted.counts("diaspora").respondents(), 7);
    // The survey was not seeded twice, and the admin kept the first password.
    let list = restarted.get("/api/v1/surveys").json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn declared_cross_tabulations_are_counted_and_protected() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    // left_when × return_intention: 6 × (from_2023, no), 5 × (before_2022, no),
    // 1 × (before_2022, soon).
    let plan = [("from_2023", "no", 6), ("before_2022", "no", 5), ("before_2022", "soon", 1)];
    for (left, intention, times) in plan {
        for _ in 0..times {
            let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": left,
                                 "reasons": ["economy"], "return_intention": intention});
            let body = json!({"version": version, "answers": answers, "key": fresh_key()});
            assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
        }
    }
    let counted = server.counts("diaspora");
    let both = |row, column| counted.both(("left_when", row), ("return_intention", column));
    assert_eq!((both("from_2023", "no"), both("before_2022", "no"), both("before_2022", "soon")), (6, 5, 1));
    assert_eq!(counted.both(("citizenship", "russia"), ("return_intention", "no")), 11);

    let results = server.release("diaspora");
    let table = results["crosstabs"].as_array().unwrap().iter().find(|t| t["rows"] == "left_when").unwrap();
    assert_eq!(table["columns"], "return_intention");
    let cell = |row: &str, column: &str| {
        table["cells"].as_array().unwrap().iter().find(|c| c["row"] == row && c["column"] == column).unwrap()
            ["count"]
            .clone()
    };
    // Whatever is shown is true; the lone (before_2022, soon) is suppressed, and with it
    // enough of its row that the row's sum does not give it away.
    for row in ["before_2022", "feb_sep_2022", "after_mobilisation", "from_2023"] {
        for column in ["soon", "if_war_ends", "after_change", "no", "dont_know"] {
            if let Some(n) = cell(row, column).as_u64() {
                assert_eq!(n, both(row, column), "{row} × {column}");
            }
        }
    }
    assert_eq!(cell("before_2022", "soon"), Value::Null);
    let row: Vec<Value> = ["soon", "if_war_ends", "after_change", "no", "dont_know"]
        .iter()
        .map(|column| cell("before_2022", column))
        .collect();
    assert!(row.iter().filter(|c| c.is_null()).count() >= 2, "its row has a complement: {row:?}");
    // The CSV says the same, with labels, and which release it is.
    let cookie = server.login_admin();
    let csv =
        server.get_with("/api/v1/surveys/diaspora/results?format=crosstabs-csv", &[("cookie", &cookie)]).body;
    let shown = cell("from_2023", "no").as_u64().map(|n| n.to_string()).unwrap_or_default();
    let line = format!(
        "diaspora,{version},1,left_when,from_2023,In 2023 or later,return_intention,no,\"No, I don’t plan to return\",{shown},0,none"
    );
    assert!(csv.contains(&line), "{csv}");
}

/// A burst of new connections (a survey link posted to a large channel) waits in the
/// kernel's queue until the server takes it, instead of having its handshakes dropped
/// and retried a second or more later. With the server stopped, nothing is taken, so
/// the queue alone must hold them all: with the standard library's backlog of 128,
/// the 130th connection would not complete.
#[test]
fn a_burst_of_new_connections_waits_for_the_server_instead_of_being_dropped() {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::process::Command;
    use std::time::Duration;

    const BURST: usize = 300;
    let server = TestServer::start();
    let address: SocketAddr =
        server.url("").trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let signal = |name: &str| {
        let sent = Command::new("kill").args([name, &server.pid().to_string()]).status().unwrap();
        assert!(sent.success(), "kill {name}");
    };

    signal("-STOP");
    // Stops at the first connection not held (a few seconds, not one timeout per connection).
    let connected: Result<Vec<TcpStream>, String> = (0..BURST)
        .map(|i| {
            TcpStream::connect_timeout(&address, Duration::from_secs(3))
                .map_err(|e| format!("connection {} of {BURST} was not held for the server: {e}", i + 1))
        })
        .collect();
    signal("-CONT");
    let connections = connected.unwrap();

    // Once running again, the server serves every one of them.
    for mut connection in connections {
        connection.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        connection.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        connection.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    }
}

/// The client pads its submissions with spaces to a size fixed by the survey version
/// (`nansen_shared::pad`); the server takes the padding, checks it is nothing else, and
/// ignores it. Without it a submission is counted as well (other programs need none).
#[test]
fn padding_is_taken_checked_and_ignored() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let answers: Answers = serde_json::from_value(base_answers()).unwrap();
    let submission = |pad: &str| json!({"version": 1, "answers": answers, "key": fresh_key(), "pad": pad});
    let padded = |pad: &str| server.post_json("/api/v1/surveys/diaspora/responses", &submission(pad));
    for pad in ["", " ", &" ".repeat(600), &" ".repeat(5000)] {
        assert_eq!(padded(pad).status, 200, "{} spaces", pad.len());
    }
    // The client's own padding, from the shared crate.
    let mut sent: nansen_shared::Submission = serde_json::from_value(submission("")).unwrap();
    sent.key = Some(fresh_key());
    let body = nansen_shared::pad::padded(&sent, &survey);
    assert_eq!(body.len(), nansen_shared::pad::submission_size(&survey));
    let reply = server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", &body, &[]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Anything else in it is refused, and counts nothing: it is not a place for data.
    for pad in ["x", "  \t ", " ru ", "\u{a0}"] {
        let problem = padded(pad).problem(400, "invalid-body");
        assert!(problem["detail"].as_str().unwrap().contains("`pad` may hold only spaces"), "{problem}");
    }
    let refused = server.post_json(
        "/api/v1/surveys/diaspora/responses",
        &json!({"version": 1, "answers": answers, "key": fresh_key(), "pad": 7}),
    );
    refused.problem(400, "invalid-body");
    assert_eq!(server.counts("diaspora").respondents(), 5);
}
