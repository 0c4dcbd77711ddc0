//! Invite-only surveys: codes made by an admin, exchanged once for a blind signature
//! (RFC 9474), and answers counted with the unblinded token, which the server cannot
//! link to the code. The blinding here is the shared crate's, as in the browser.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use nansen_shared::invite::{Blinding, InviteKey, Signed, Token};
use serde_json::{Value, json};

use crate::accounts::small_survey;
use crate::helpers::{Reply, TestServer, find_any, fresh_key, is_write_ahead_log, stored_files};

const SLUG: &str = "by-invite";

/// Publishes an invite-only survey and returns the admin's cookie.
fn invite_survey(server: &TestServer) -> String {
    let cookie = server.login_admin();
    let mut survey = small_survey(SLUG);
    // The smallest threshold allowed, so that a few answers show in the results.
    survey["settings"] = json!({"access": "invite", "min_cell": 3});
    assert_eq!(
        server.send("POST", "/api/v1/admin/surveys", Some(&survey), &[("cookie", &cookie)]).status,
        201
    );
    let published =
        server.send("POST", &format!("/api/v1/admin/surveys/{SLUG}/publish"), None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
    cookie
}

fn make_codes(server: &TestServer, cookie: &str, count: usize) -> Vec<String> {
    let reply = server.send(
        "POST",
        &format!("/api/v1/admin/surveys/{SLUG}/invites"),
        Some(&json!({"count": count})),
        &[("cookie", cookie)],
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    serde_json::from_value(reply.json()["codes"].clone()).unwrap()
}

fn invite_key(server: &TestServer) -> InviteKey {
    server.survey(SLUG).invite_key.expect("an invite-only survey publishes its key")
}

fn redeem(server: &TestServer, code: &str, blinded: &str) -> Reply {
    server.post_json(
        &format!("/api/v1/surveys/{SLUG}/invites/redeem"),
        &json!({"code": code, "blinded": blinded}),
    )
}

/// The browser's side of an exchange: blind, ask, unblind.
fn exchange(server: &TestServer, key: &InviteKey, code: &str) -> (String, Token) {
    let blinding = Blinding::new(key).unwrap();
    let reply = redeem(server, code, &blinding.blinded());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let signed: Signed = serde_json::from_str(&reply.body).unwrap();
    (blinding.blinded(), blinding.finalize(key, &signed).unwrap())
}

fn answer(server: &TestServer, token: &Token, mood: &str) -> Reply {
    server.post_json(
        &format!("/api/v1/surveys/{SLUG}/responses"),
        &json!({"version": 1, "answers": {"mood": mood}, "token": token}),
    )
}

#[test]
fn a_code_buys_one_counted_answer_and_nothing_else_does() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let codes = make_codes(&server, &cookie, 3);
    assert_eq!(codes.len(), 3);
    // Short enough to read over the phone: two groups of five unambiguous characters.
    for code in &codes {
        assert!(code.len() == 11 && code.as_bytes()[5] == b'-', "{code}");
        assert!(code.chars().all(|c| c == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)), "{code}");
    }
    let key = invite_key(&server);
    assert!(key.fingerprint.starts_with("sha256:"), "{key:?}");
    // Every respondent is shown the same key: in the API and in the page.
    assert_eq!(invite_key(&server), key);
    assert!(server.get(&format!("/s/{SLUG}")).body.contains(&key.fingerprint));

    // Typed loosely, as people do.
    let (_, token) = exchange(&server, &key, &codes[0].to_lowercase().replace('-', " "));
    assert_eq!(answer(&server, &token, "good").status, 200);
    // The same token again is the same answer: counted once, and the client told so.
    answer(&server, &token, "bad").problem(409, "already-counted");
    // The code is used up.
    let blinding = Blinding::new(&key).unwrap();
    redeem(&server, &codes[0], &blinding.blinded()).problem(409, "invite-used");
    redeem(&server, "ZZZZZ-ZZZZZ", &blinding.blinded()).problem(403, "invalid-invite");
    redeem(&server, &codes[1], "not base64!").problem(400, "invalid-body");

    // A token whose signature is not the survey's is refused, and nothing is counted.
    let mut forged = token.clone();
    forged.message = URL_SAFE_NO_PAD.encode([7u8; 32]);
    answer(&server, &forged, "bad").problem(422, "invalid-token");
    // A random key is not an invitation; a token is not a key for an open survey.
    server
        .post_json(
            &format!("/api/v1/surveys/{SLUG}/responses"),
            &json!({"version": 1, "answers": {"mood": "bad"}, "key": fresh_key()}),
        )
        .problem(403, "forbidden");
    server
        .post_json(
            "/api/v1/surveys/diaspora/responses",
            &json!({"version": 1, "answers": {}, "token": token}),
        )
        .problem(422, "invalid-key");

    for code in &codes[1..] {
        let (_, token) = exchange(&server, &key, code);
        assert_eq!(answer(&server, &token, "bad").status, 200);
    }
    // Three codes, three answers: the refused ones counted nothing.
    let results = server.results(SLUG);
    assert_eq!(results["respondents"], 3, "{results}");
}

#[test]
fn a_lost_reply_can_be_asked_for_again_but_a_code_signs_only_one_message() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let code = make_codes(&server, &cookie, 1).remove(0);
    let key = invite_key(&server);
    let blinding = Blinding::new(&key).unwrap();
    let first = redeem(&server, &code, &blinding.blinded());
    assert_eq!(first.status, 200, "{}", first.body);
    // The reply was lost; the browser asks again for the same blinded message.
    let again = redeem(&server, &code, &blinding.blinded());
    assert_eq!(again.json(), first.json());
    // A second message under the same code would be a second vote.
    let other = Blinding::new(&key).unwrap();
    redeem(&server, &code, &other.blinded()).problem(409, "invite-used");
    let token = blinding.finalize(&key, &serde_json::from_str(&again.body).unwrap()).unwrap();
    assert_eq!(answer(&server, &token, "good").status, 200);
}

#[test]
fn codes_come_as_csv_for_printing_and_only_for_invite_surveys() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let path = format!("/api/v1/admin/surveys/{SLUG}/invites?format=csv");
    let reply = server.send("POST", &path, Some(&json!({"count": 4})), &[("cookie", &cookie)]);
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = reply.body.lines().collect();
    assert_eq!(lines[0], "code");
    assert_eq!(lines.len(), 5);
    assert!(lines[1..].iter().all(|l| l.len() == 11), "{lines:?}");

    let invites = |slug: &str, body: Value, cookie: &str| {
        server.send(
            "POST",
            &format!("/api/v1/admin/surveys/{slug}/invites"),
            Some(&body),
            &[("cookie", cookie)],
        )
    };
    invites("diaspora", json!({"count": 1}), &cookie).problem(409, "conflict");
    invites(SLUG, json!({"count": 0}), &cookie).problem(400, "invalid-body");
    invites(SLUG, json!({"count": 10001}), &cookie).problem(400, "invalid-body");
    invites(SLUG, json!({"count": 1}), "").problem(401, "unauthenticated");
    // The making of codes is audited (how many, never which).
    let audit = server.get_with("/api/v1/admin/audit", &[("cookie", &cookie)]);
    assert!(audit.body.contains("invites_create") && audit.body.contains("4 codes"), "{}", audit.body);
    for code in &lines[1..] {
        assert!(!audit.body.contains(code));
    }
}

#[test]
fn guessing_codes_is_throttled() {
    let server = TestServer::start();
    invite_survey(&server);
    let key = invite_key(&server);
    let blinded = Blinding::new(&key).unwrap().blinded();
    let mut statuses = Vec::new();
    // More wrong codes than a client gets free (a mistyped code or two costs nothing).
    for _ in 0..25 {
        statuses.push(redeem(&server, "ZZZZZ-ZZZZZ", &blinded).status);
    }
    assert_eq!(statuses[0], 403);
    let limited = redeem(&server, "ZZZZZ-ZZZZZ", &blinded);
    limited.problem(429, "too-many-requests");
    assert!(limited.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 1));
}

#[test]
fn no_stored_byte_holds_a_code_a_token_or_what_was_signed() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let codes = make_codes(&server, &cookie, 8);
    let key = invite_key(&server);
    let mut secrets: Vec<Vec<u8>> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let (blinded, token) = exchange(&server, &key, code);
        assert_eq!(answer(&server, &token, if i % 3 == 0 { "good" } else { "bad" }).status, 200);
        // What the server saw at each step, as text and as bytes.
        for text in [&blinded, &token.message, &token.signature, &token.randomizer] {
            secrets.push(text.as_bytes()[..24].to_vec());
            secrets.push(URL_SAFE_NO_PAD.decode(text).unwrap()[..16].to_vec());
        }
        secrets.push(code.as_bytes().to_vec());
        secrets.push(code.replace('-', "").into_bytes());
    }
    let output = server.output();
    let dir = server.dir();
    server.kill();
    let files = stored_files(dir.path());
    assert!(files.iter().any(|f| is_write_ahead_log(f)), "{files:?}");
    let contents = files.iter().map(|f| (f.display().to_string(), std::fs::read(f).unwrap()));
    for (name, bytes) in contents.chain([("the log".to_owned(), output.into_bytes())]) {
        let found = find_any(&bytes, &secrets);
        assert!(found.is_none(), "{found:?} is in {name}");
    }
}

/// The plain form's POST for the invite-only survey.
fn post_form(server: &TestServer, fields: &[(&str, &str)]) -> Reply {
    let body =
        fields.iter().map(|(k, v)| format!("{k}={}", v.replace(' ', "+"))).collect::<Vec<_>>().join("&");
    server.post_raw(&format!("/s/{SLUG}?lang=en"), "application/x-www-form-urlencoded", &body, &[])
}

#[test]
fn without_javascript_the_form_takes_the_code_itself() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let codes = make_codes(&server, &cookie, 3);
    let page = server.get(&format!("/s/{SLUG}?lang=en")).body;
    assert!(page.contains(r#"name="invite""#) && page.contains("Invite code"), "{page}");

    let form = |key: &str, code: &str| {
        post_form(&server, &[("version", "1"), ("key", key), ("invite", code), ("mood", "good")])
    };
    let missing = form(&fresh_key(), "");
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("Enter the invite code you were given."), "{}", missing.body);
    // The answers stay in the form that comes back.
    assert!(missing.body.contains(r#"value="good" checked"#), "{}", missing.body);
    let wrong = form(&fresh_key(), "ZZZZZ-ZZZZZ");
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("This invite code is not valid for this survey."), "{}", wrong.body);

    assert_eq!(form(&fresh_key(), &codes[0].to_lowercase()).status, 200);
    let reused = form(&fresh_key(), &codes[0]);
    assert_eq!(reused.status, 422);
    assert!(reused.body.contains("This invite code was already used"), "{}", reused.body);
    // Invalid answers use up nothing: the code still works once they are fixed.
    let invalid = post_form(&server, &[("version", "1"), ("key", &fresh_key()), ("invite", &codes[1])]);
    assert_eq!(invalid.status, 422);
    assert_eq!(form(&fresh_key(), &codes[1]).status, 200);
    assert_eq!(form(&fresh_key(), &codes[2]).status, 200);
    assert_eq!(server.results(SLUG)["respondents"], 3);
}
