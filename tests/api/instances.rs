//! Several server instances on one database, as a PostgreSQL deployment runs them
//! behind a reverse proxy (SQLite allows it too, one writer at a time).

use std::collections::BTreeMap;
use std::sync::Arc;

use nansen_shared::{Answer, Answers};

use crate::helpers::{Rng, TestServer, empty_postgres_database, fresh_key, valid_answers};

/// Counts of `option` answers to each single-choice question, from answer sets.
fn expected_counts(counted: &[Answers]) -> BTreeMap<(String, String), u64> {
    let mut counts = BTreeMap::new();
    for answers in counted {
        for (question, answer) in answers {
            if let Answer::Code(code) = answer {
                *counts.entry((question.clone(), code.clone())).or_default() += 1;
            }
        }
    }
    counts
}

#[test]
fn two_instances_starting_together_count_exactly_under_concurrent_submissions() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    // A database nobody has migrated (on SQLite, a file nobody has made): both
    // instances migrate and set up the admin and the default survey at the same moment,
    // and must do each once.
    empty_postgres_database(dir.path());
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| TestServer::start_with(dir.clone(), &[]));
        let second = scope.spawn(|| TestServer::start_with(dir.clone(), &[]));
        (first.join().unwrap(), second.join().unwrap())
    });
    let instances = [&first, &second];
    let survey = first.survey("diaspora");
    assert_eq!(second.survey("diaspora"), survey, "one default survey, seen by both");

    // Eight clients, each alternating between the instances; every fifth key is also
    // sent to the other instance at once, as a confused retry would be.
    let counted: Vec<Answers> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8u64)
            .map(|client| {
                let survey = &survey;
                scope.spawn(move || {
                    let mut rng = Rng::new(100 + client);
                    let mut counted = Vec::new();
                    for i in 0..40usize {
                        let answers = valid_answers(survey, &mut rng);
                        let key = fresh_key();
                        let here = instances[i % 2];
                        if i % 5 == 0 {
                            let there = instances[(i + 1) % 2];
                            let (a, b) = std::thread::scope(|both| {
                                let a = both.spawn(|| here.submit("diaspora", 1, &answers, &key).status);
                                let b = both.spawn(|| there.submit("diaspora", 1, &answers, &key).status);
                                (a.join().unwrap(), b.join().unwrap())
                            });
                            let mut statuses = [a, b];
                            statuses.sort_unstable();
                            assert_eq!(statuses, [200, 409], "one of a repeated key's sends counts");
                        } else {
                            assert_eq!(here.submit("diaspora", 1, &answers, &key).status, 200);
                        }
                        counted.push(answers);
                    }
                    counted
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(counted.len(), 8 * 40);

    // The instances share one database: what they counted together is exact.
    let totals = first.counts("diaspora");
    assert_eq!(totals.respondents(), counted.len() as u64);
    for ((question, option), n) in expected_counts(&counted) {
        assert_eq!(totals.chose(&question, &option), n, "{question}={option}");
    }
    // The first start's setup happened once: one admin account.
    let cookie = first.login_admin();
    let users = first.get_with("/api/v1/admin/users", &[("cookie", &cookie)]).json();
    assert_eq!(users.as_array().unwrap().iter().filter(|u| u["username"] == "admin").count(), 1, "{users}");
}

/// Every instance looks at the release schedule; a release due now is made once, by
/// one of them, and an admin asking both at the same moment gets one release.
#[test]
fn a_due_release_is_made_exactly_once_by_several_instances() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let look_every_second = [("NANSEN_RELEASE_CHECK_SECONDS", "1")];
    let first = TestServer::start_with(dir.clone(), &look_every_second);
    let second = TestServer::start_with(dir.clone(), &look_every_second);
    let version = first.publish_exact("diaspora", 5);
    let survey = first.survey("diaspora");
    let mut rng = Rng::new(11);
    for i in 0..5 {
        let server = [&first, &second][i % 2];
        assert_eq!(
            server.submit("diaspora", version, &valid_answers(&survey, &mut rng), &fresh_key()).status,
            200
        );
    }
    let cookie = first.login_admin();
    let releases = || first.get_with("/api/v1/surveys/diaspora/releases", &[("cookie", &cookie)]).json();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while releases().as_array().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the schedule made no release");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // Both instances keep looking: nothing more is due.
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(releases().as_array().unwrap().len(), 1, "{}", releases());

    // Five more answers, and an admin asking both instances at once.
    for i in 0..5 {
        let server = [&first, &second][i % 2];
        assert_eq!(
            server.submit("diaspora", version, &valid_answers(&survey, &mut rng), &fresh_key()).status,
            200
        );
    }
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let asks: Vec<_> = [&first, &second]
            .map(|server| {
                scope.spawn(move || {
                    let cookie = server.login_admin();
                    server
                        .send("POST", "/api/v1/admin/surveys/diaspora/releases", None, &[("cookie", &cookie)])
                        .status
                })
            })
            .into_iter()
            .collect();
        asks.into_iter().map(|ask| ask.join().unwrap()).collect()
    });
    let mut statuses = statuses;
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "one release, one refusal");
    assert_eq!(releases().as_array().unwrap().len(), 2, "{}", releases());
}
