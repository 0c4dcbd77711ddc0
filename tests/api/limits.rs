//! Limits against floods: staff logins throttled before their passwords are hashed,
//! bounded queues that answer 503 with `Retry-After`, and per-client limits on
//! submissions and invite exchanges (keyed on the forwarded address behind a proxy).

use std::sync::{Arc, Barrier};

use serde_json::json;

use crate::form::plain_form;
use crate::helpers::{ADMIN_PASSWORD, Reply, Rng, TestServer, fresh_key, valid_answers};

/// A server behind a (pretended) reverse proxy, with `env` besides.
fn behind_proxy(env: &[(&str, &str)]) -> TestServer {
    let mut all = vec![("NANSEN_BEHIND_PROXY", "true")];
    all.extend_from_slice(env);
    TestServer::start_with(Arc::new(tempfile::tempdir().unwrap()), &all)
}

/// A login for `admin` with `password`, as the proxy says `client` sent it.
fn login_from(server: &TestServer, client: &str, password: &str) -> Reply {
    let body = json!({"username": "admin", "password": password}).to_string();
    server.post_raw("/api/v1/session", "application/json", &body, &[("x-forwarded-for", client)])
}

/// Runs `n` requests at once (as near as threads get) and returns their replies.
fn at_once(n: usize, request: impl Fn(usize) -> Reply + Sync) -> Vec<Reply> {
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, request) = (&barrier, &request);
                scope.spawn(move || {
                    barrier.wait();
                    request(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn statuses(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status == status).count()
}

#[test]
fn concurrent_wrong_guesses_are_counted_before_any_is_hashed() {
    let server = TestServer::start();
    let replies = at_once(40, |_| {
        server.post_json("/api/v1/session", &json!({"username": "admin", "password": "a wrong guess"}))
    });
    // Five guesses are checked; the other 35 are refused before any argon2 work.
    assert_eq!(statuses(&replies, 401), 5, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(statuses(&replies, 429), 35);
    for reply in replies.iter().filter(|r| r.status == 429) {
        reply.problem(429, "too-many-requests");
        assert!(reply.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 1));
    }
}

#[test]
fn someone_elses_guesses_do_not_lock_the_admin_out() {
    let server = behind_proxy(&[("NANSEN_LOGIN_FAILURES", "6")]);
    let home = "198.51.100.7";
    assert_eq!(login_from(&server, home, ADMIN_PASSWORD).status, 200, "the admin's usual client");
    // One attacker guesses the admin's password six times: five are checked.
    let guesses: Vec<u16> = (0..6).map(|_| login_from(&server, "203.0.113.1", "guess").status).collect();
    assert_eq!(guesses, [401, 401, 401, 401, 401, 429]);
    // Others join from elsewhere, until the budget for all clients is spent.
    let replies = at_once(3, |i| login_from(&server, &format!("203.0.113.{}", 10 + i), "guess"));
    assert_eq!((statuses(&replies, 401), statuses(&replies, 429)), (1, 2));
    // Now a login from a new client waits, even with the right password...
    login_from(&server, "192.0.2.55", ADMIN_PASSWORD).problem(429, "too-many-requests");
    // ...but not the admin from their usual client.
    let admin = login_from(&server, home, ADMIN_PASSWORD);
    assert_eq!(admin.status, 200, "{}", admin.body);
}

#[test]
fn password_checks_beyond_the_queue_are_told_to_come_back() {
    let server = behind_proxy(&[("NANSEN_LOGIN_QUEUE", "0")]);
    let replies = at_once(12, |i| login_from(&server, &format!("203.0.113.{i}"), "guess"));
    let busy: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
    assert!(!busy.is_empty(), "four run at once and none may wait");
    assert_eq!(busy.len() + statuses(&replies, 401), 12, "nothing else");
    for reply in busy {
        reply.problem(503, "unavailable");
        assert!(reply.header("retry-after").is_some());
    }
    // Refused for want of room, not for guessing: the same clients are not made to wait.
    assert_eq!(login_from(&server, "203.0.113.0", ADMIN_PASSWORD).status, 200);
}

#[test]
fn submissions_beyond_the_mixer_queue_are_refused_and_not_counted() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let env = [("NANSEN_MIXER_QUEUE", "2"), ("NANSEN_BATCH_WINDOW_MS", "2000")];
    let server = TestServer::start_with(dir, &env);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(17);
    let answers: Vec<_> = (0..8).map(|_| valid_answers(&survey, &mut rng)).collect();
    let replies = at_once(8, |i| server.submit("diaspora", 1, &answers[i], &fresh_key()));
    let refused: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
    assert!(!refused.is_empty(), "two wait for the batch, the rest are turned away");
    assert_eq!(refused.len() + statuses(&replies, 200), 8);
    for reply in &refused {
        reply.problem(503, "unavailable");
        assert!(reply.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 2));
    }
    assert_eq!(server.counts("diaspora").respondents(), statuses(&replies, 200) as u64);
}

#[test]
fn one_client_may_send_only_so_many_answers_a_minute() {
    let server = behind_proxy(&[("NANSEN_SUBMISSIONS_PER_MINUTE", "2")]);
    let answers = valid_answers(&server.survey("diaspora"), &mut Rng::new(3));
    let body = |key: &str| json!({"version": 1, "answers": answers, "key": key}).to_string();
    let send = |client: &str, key: &str| {
        server.post_raw(
            "/api/v1/surveys/diaspora/responses",
            "application/json",
            &body(key),
            &[("x-forwarded-for", client)],
        )
    };
    assert_eq!(send("203.0.113.1", &fresh_key()).status, 200);
    assert_eq!(send("203.0.113.1", &fresh_key()).status, 200);
    let refused = send("203.0.113.1", &fresh_key());
    refused.problem(429, "too-many-requests");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(send("192.0.2.9", &fresh_key()).status, 200, "another client is not affected");
    assert_eq!(server.counts("diaspora").respondents(), 3);

    // The plain form says so in the respondent's language, keeping the answers.
    let form = plain_form(&server, "ru");
    let page = server.post_raw(
        &form.action.replace("&amp;", "&"),
        "application/x-www-form-urlencoded",
        &form.body(&[]),
        &[("x-forwarded-for", "203.0.113.1")],
    );
    assert_eq!(page.status, 429, "{}", page.body);
    assert!(page.header("retry-after").is_some());
    assert!(page.body.contains("подождите"), "{}", page.body);
}

#[test]
fn one_client_may_exchange_only_so_many_invite_codes_a_minute() {
    let server = behind_proxy(&[("NANSEN_INVITES_PER_MINUTE", "2")]);
    let redeem = |client: &str| {
        server.post_raw(
            "/api/v1/surveys/diaspora/invites/redeem",
            "application/json",
            &json!({"code": "ABCD-EFGH", "blinded": "AAAA"}).to_string(),
            &[("x-forwarded-for", client)],
        )
    };
    // The default survey is open to all: the exchanges are refused, and still counted.
    redeem("203.0.113.1").problem(409, "conflict");
    redeem("203.0.113.1").problem(409, "conflict");
    let refused = redeem("203.0.113.1");
    refused.problem(429, "too-many-requests");
    assert!(refused.header("retry-after").is_some());
    redeem("192.0.2.9").problem(409, "conflict");
}
