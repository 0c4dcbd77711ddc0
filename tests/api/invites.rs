//! Invite-only surveys: codes made by an admin, exchanged once for a blind signature
//! (RFC 9474), and answers counted with the unblinded token, which the server cannot
//! link to the code. The blinding here is the shared crate's, as in the browser.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use nansen_shared::invite::{Blinding, InviteKey, Signed, Token};
use serde_json::{Value, json};

use crate::accounts::small_survey;
use crate::helpers::{
    Reply, TestServer, find_any, fresh_key, is_write_ahead_log, postgres_admin, read_back, stored_files,
};

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
    assert_eq!(server.counts(SLUG).respondents(), 3);
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
    assert_eq!(server.counts(SLUG).respondents(), 3);
}

/// The survey's id, as a copy of the database gives it.
fn survey_id(url: &str) -> i64 {
    let surveys = &read_back(url)["surveys"];
    let (ids, slugs) = (surveys.column("id"), surveys.column("slug"));
    let row = slugs.iter().position(|s| s.as_deref() == Some(SLUG.as_bytes())).unwrap();
    String::from_utf8(ids[row].clone().unwrap()).unwrap().parse().unwrap()
}

/// HMAC-SHA-256 under `key` of `parts`, one after another.
fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// A code as the server hashes it: canonical, without the hyphen.
fn canonical(code: &str) -> String {
    code.replace('-', "")
}

/// The attack of someone with the printed codes and a copy of the database, but not the
/// key file: everything in the copy is tried as a key or a salt, with each code in each
/// form it is written in, as each hash the server ever used would take it; if any result
/// is in the copy, that value is tied to that code.
#[test]
fn a_copy_of_the_database_and_the_code_list_cannot_tell_which_codes_were_used() {
    use std::collections::HashSet;

    use sha2::Digest as _;
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let codes = make_codes(&server, &cookie, 20);
    let key = invite_key(&server);
    let url = server.database_url();
    let before = read_back(&url);

    // Five invitees answer: four through the browser's blind exchange, one with the plain
    // form; the other fifteen do not.
    let used: Vec<&String> = [3, 7, 11, 12, 18].iter().map(|&i| &codes[i]).collect();
    for code in &used[..4] {
        let (_, token) = exchange(&server, &key, code);
        assert_eq!(answer(&server, &token, "good").status, 200);
    }
    let form = [("version", "1"), ("key", &fresh_key()), ("invite", used[4]), ("mood", "bad")];
    assert_eq!(post_form(&server, &form).status, 200);
    assert_eq!(server.counts(SLUG).respondents(), 5);
    let after = read_back(&url);

    // Using a code changes nothing in its row: the codes' table is as it was, row for row,
    // and nothing else holds a value per code but the record of uses.
    assert_eq!(before["invites"], after["invites"]);
    assert_eq!(after["invites"].columns, ["survey_id", "code_hash"]);
    assert_eq!(after["invites_used"].columns, ["survey_id", "used_hash", "blinded_hash"]);
    assert_eq!(after["invite_keys"].columns, ["survey_id", "secret_key"], "no salt is kept");
    assert_eq!((after["invites"].rows.len(), after["invites_used"].rows.len()), (20, 5));
    let changed: Vec<&str> =
        after.keys().filter(|t| before.get(*t) != after.get(*t)).map(String::as_str).collect();
    // The counts (in whichever table holds them), the nullifiers, and the uses.
    let expected = |t: &str| t.starts_with("counter") || ["invites_used", "nullifier_runs"].contains(&t);
    assert!(changed.iter().all(|t| expected(t)), "tables changed by answering: {changed:?}");
    // The record of uses shares no value with the codes' rows.
    let windows = |values: &[Option<Vec<u8>>]| -> HashSet<Vec<u8>> {
        values.iter().flatten().flat_map(|v| v.windows(16).map(<[u8]>::to_vec).collect::<Vec<_>>()).collect()
    };
    let in_codes = windows(&after["invites"].column("code_hash"));
    assert!(in_codes.is_disjoint(&windows(&after["invites_used"].column("used_hash"))));
    assert!(in_codes.is_disjoint(&windows(&after["invites_used"].column("blinded_hash"))));

    // Everything in the copy: as haystack (every 16 bytes of every value), and as keys.
    let values: HashSet<Vec<u8>> =
        after.values().flat_map(|t| t.rows.iter().flatten().flatten().cloned()).collect();
    let haystack: HashSet<&[u8]> = values.iter().flat_map(|v| v.windows(16)).collect();
    let mut keys: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
    keys.push(b"");
    let id = survey_id(&url);
    let prefixes: [Vec<u8>; 4] =
        [Vec::new(), id.to_be_bytes().to_vec(), id.to_le_bytes().to_vec(), id.to_string().into_bytes()];
    let labels: [&[u8]; 3] = [b"", b"nansen invite code\0", b"nansen invite used\0"];
    let old_argon2 = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(1024, 2, 1, Some(32)).unwrap(),
    );
    let mut tried = 0usize;
    for code in &codes {
        for form in [code.clone(), canonical(code), code.to_lowercase()] {
            let mut found = |derived: &[u8], how: &str| {
                tried += 1;
                assert!(!haystack.contains(&derived[..16]), "{how} of {form} is in the copy");
            };
            for prefix in &prefixes {
                let message = [prefix.as_slice(), form.as_bytes()];
                found(&sha2::Sha256::digest(message.concat()), "SHA-256");
                for key in &keys {
                    for label in labels {
                        found(&hmac(key, &[label, prefix, form.as_bytes()]), "an HMAC under a stored value");
                    }
                }
            }
        }
        // The old scheme: argon2id under any stored value that could be a salt.
        for salt in keys.iter().filter(|k| (8..=64).contains(&k.len())) {
            let mut out = [0u8; 32];
            old_argon2.hash_password_into(canonical(code).as_bytes(), salt, &mut out).unwrap();
            tried += 1;
            assert!(!haystack.contains(&out[..16]), "argon2id of {code} is in the copy");
        }
    }
    assert!(keys.len() > 50 && tried > 40_000, "only {tried} tried, under {} keys", keys.len());

    // With the key file, and only with it, the same copy says which codes were used: the
    // attack above would have found them had the key been in the database.
    let key_file = std::fs::read(server.beside_database("key")).unwrap();
    let id_bytes = id.to_be_bytes();
    let code_hash =
        |code: &str| hmac(&key_file, &[b"nansen invite code\0", &id_bytes, canonical(code).as_bytes()]);
    let used_hash =
        |code: &str| hmac(&key_file, &[b"nansen invite used\0", &id_bytes, canonical(code).as_bytes()]);
    let stored_codes = after["invites"].column("code_hash");
    let stored_uses: Vec<Option<Vec<u8>>> = after["invites_used"].column("used_hash");
    let rows: Vec<usize> = codes
        .iter()
        .map(|code| stored_codes.iter().position(|h| h.as_deref() == Some(&code_hash(code)[..])).unwrap())
        .collect();
    let with_key: Vec<&String> = codes.iter().filter(|c| stored_uses.contains(&Some(used_hash(c)))).collect();
    assert_eq!(with_key, used);
    // Nor does the order of the rows follow the order of the list.
    assert_ne!(rows, (0..codes.len()).collect::<Vec<_>>(), "the rows are stored in the list's order");
}

#[test]
fn closing_a_survey_deletes_its_codes_what_was_used_and_its_signing_key() {
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let codes = make_codes(&server, &cookie, 4);
    let key = invite_key(&server);
    let (_, token) = exchange(&server, &key, &codes[0]);
    assert_eq!(answer(&server, &token, "good").status, 200);
    let url = server.database_url();
    let before = read_back(&url);
    let secret_key = before["invite_keys"].column("secret_key")[0].clone().unwrap();
    let mut traces: Vec<Vec<u8>> =
        vec![secret_key[..32].to_vec(), secret_key[secret_key.len() - 32..].to_vec()];
    for table in ["invites", "invites_used"] {
        traces.extend(before[table].rows.iter().flat_map(|row| row[1..].iter().flatten().cloned()));
    }
    assert_eq!(traces.len(), 2 + 4 + 2);

    let closed =
        server.send("POST", &format!("/api/v1/admin/surveys/{SLUG}/close"), None, &[("cookie", &cookie)]);
    assert_eq!(closed.status, 200, "{}", closed.body);
    let after = read_back(&url);
    for table in ["invites", "invites_used", "invite_keys"] {
        assert_eq!(after[table].rows, Vec::<Vec<Option<Vec<u8>>>>::new(), "{table} keeps rows");
    }
    // The answer stays counted; no code works, and none can be made.
    assert_eq!(server.counts(SLUG).respondents(), 1);
    assert_ne!(redeem(&server, &codes[1], &Blinding::new(&key).unwrap().blinded()).status, 200);
    server
        .send(
            "POST",
            &format!("/api/v1/admin/surveys/{SLUG}/invites"),
            Some(&json!({"count": 1})),
            &[("cookie", &cookie)],
        )
        .problem(409, "conflict");

    // On SQLite not even the files keep them: deleted content is zeroed, and the
    // write-ahead log emptied. (PostgreSQL keeps dead rows until vacuum: see the threat
    // model.)
    if postgres_admin().is_none() {
        let dir = server.dir();
        server.kill();
        for file in stored_files(dir.path()) {
            let found = find_any(&std::fs::read(&file).unwrap(), &traces).map(<[u8]>::to_vec);
            assert!(found.is_none(), "{found:?} is still in {}", file.display());
        }
    }
}

/// What a server on the database in `dir` printed as it refused to start.
fn refusal(
    dir: &std::sync::Arc<tempfile::TempDir>,
    configure: impl FnOnce(&mut std::process::Command),
) -> String {
    match TestServer::try_start(dir.clone(), configure) {
        Ok(_) => panic!("the server started"),
        Err(output) => output,
    }
}

#[test]
fn a_server_with_another_key_file_or_none_refuses_to_start_and_says_which() {
    use std::os::unix::fs::PermissionsExt as _;
    let server = TestServer::start();
    let cookie = invite_survey(&server);
    let code = make_codes(&server, &cookie, 1).remove(0);
    let key_file = server.beside_database("key");
    assert_eq!(std::fs::read(&key_file).unwrap().len(), 32);
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let dir = server.dir();
    server.kill();

    // An instance given another key file on the same database.
    let other = dir.path().join("other.key");
    std::fs::write(&other, [9u8; 32]).unwrap();
    let refused = refusal(&dir, |command| {
        command.env("NANSEN_KEY_FILE", &other);
    });
    assert!(refused.contains(&other.display().to_string()), "{refused}");
    assert!(
        refused.contains("not the one this database was set up with") && refused.contains("copy"),
        "{refused}"
    );
    // An instance without one: it makes none of its own.
    let moved = dir.path().join("moved.key");
    std::fs::rename(&key_file, &moved).unwrap();
    let refused = refusal(&dir, |_| {});
    assert!(
        refused.contains(&key_file.display().to_string()) && refused.contains("does not exist"),
        "{refused}"
    );
    assert!(!key_file.exists(), "a key file was made in place of the lost one");
    // A damaged one.
    std::fs::write(&key_file, b"0123456789").unwrap();
    let refused = refusal(&dir, |_| {});
    assert!(refused.contains(&key_file.display().to_string()) && refused.contains("10 bytes"), "{refused}");

    // With the right file back, the server starts and the code made before works.
    std::fs::rename(&moved, &key_file).unwrap();
    let server = TestServer::start_with(dir, &[]);
    let key = invite_key(&server);
    let (_, token) = exchange(&server, &key, &code);
    assert_eq!(answer(&server, &token, "bad").status, 200);
}
