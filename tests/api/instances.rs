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

    for server in instances {
        let totals = server.results("diaspora");
        assert_eq!(totals["respondents"], counted.len(), "{totals}");
        for ((question, option), n) in expected_counts(&counted) {
            let q = totals["questions"].as_array().unwrap().iter().find(|q| q["id"] == question).unwrap();
            let cell = q["counts"].as_array().unwrap().iter().find(|c| c["option"] == option);
            // Cells under the threshold are suppressed (null); the rest must be exact.
            let shown = cell.map(|c| c["count"].clone()).unwrap_or_default();
            assert!(shown.is_null() || shown == n, "{question}={option}: {shown} shown, {n} counted");
        }
    }
    // The first start's setup happened once: one admin account.
    let cookie = first.login_admin();
    let users = first.get_with("/api/v1/admin/users", &[("cookie", &cookie)]).json();
    assert_eq!(users.as_array().unwrap().iter().filter(|u| u["username"] == "admin").count(), 1, "{users}");
}
