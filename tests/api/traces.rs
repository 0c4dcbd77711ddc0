//! What an attacker learns from what the server publishes and from what its storage
//! keeps: polling the results while adding answers of their own, and reading the
//! database's own metadata (PostgreSQL's row versions, SQLite's file) after batches of
//! distinct answers.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Text};
use nansen_shared::Answers;
use serde_json::json;

use crate::accounts::small_survey;
use crate::helpers::{Rng, TestServer, connect, fresh_key, postgres_admin, valid_answers};

/// The attack: add answers of one's own, poll the results, and read a person's answers
/// off the difference. Results are releases, made only after enough new respondents:
/// polling shows nothing new, and no release can be asked for with fewer.
#[test]
fn polling_the_results_while_adding_answers_shows_nothing_until_enough_are_new() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(4);
    let mut send = |n: usize| {
        for _ in 0..n {
            let answers = valid_answers(&survey, &mut rng);
            assert_eq!(server.submit("diaspora", version, &answers, &fresh_key()).status, 200);
        }
    };
    send(5);
    let first = server.release("diaspora");
    let cookie = server.login_admin();
    let poll = || server.get_with("/api/v1/surveys/diaspora/results", &[("cookie", &cookie)]).json();
    let releases = "/api/v1/admin/surveys/diaspora/releases";
    for _ in 0..4 {
        // One more respondent (the person watched for), then a poll, then an attempt
        // to release their answers.
        send(1);
        assert_eq!(poll(), first, "the results did not move");
        let refused =
            server.send("POST", releases, None, &[("cookie", &cookie)]).problem(409, "release-not-allowed");
        assert!(refused["detail"].as_str().unwrap().contains("Fewer than 5"), "{refused}");
    }
    // The admin sees only that it is not enough yet, never how many came.
    let status =
        server.get_with("/api/v1/admin/surveys/diaspora", &[("cookie", &cookie)]).json()["releases"].clone();
    assert_eq!(
        (status["enough_new"].clone(), status["min_new"].clone()),
        (json!(false), json!(5)),
        "{status}"
    );
    assert!(!status.to_string().contains("\"respondents\""), "{status}");
    send(1);
    let second = server.release("diaspora");
    assert_eq!(second["release"]["number"], json!(2));
    assert_eq!(poll(), second);
}

#[derive(QueryableByName, Debug, PartialEq, Eq, Clone)]
struct Block {
    #[diesel(sql_type = BigInt)]
    version_id: i64,
    #[diesel(sql_type = Binary)]
    counts: Vec<u8>,
}

#[derive(QueryableByName, Debug)]
struct Stamp {
    #[diesel(sql_type = Text)]
    xmin: String,
}

/// The attack on a copy of the database: group the stored counts by the transaction
/// that last wrote them (PostgreSQL's `xmin`), or find earlier versions of them in the
/// file (SQLite), and read one batch's answers off the groups or the differences.
#[test]
fn a_copy_of_the_database_does_not_group_the_counts_one_batch_changed() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    // A second open survey that nobody answers during the test.
    server.send("POST", "/api/v1/admin/surveys", Some(&small_survey("quiet")), &[("cookie", &cookie)]);
    let published = server.send("POST", "/api/v1/admin/surveys/quiet/publish", None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(99);
    let url = server.database_url();
    let mut conn = connect(&url);
    let blocks = |conn: &mut nansen_server::storage::Conn| -> Vec<Block> {
        diesel::sql_query("SELECT version_id, counts FROM counter_blocks ORDER BY version_id")
            .load(conn)
            .unwrap()
    };
    let initial = blocks(&mut conn);
    assert_eq!(initial.len(), 2, "one block per published version, from its publication");
    let mut earlier: Vec<Vec<u8>> = Vec::new();
    for batch in 0..5 {
        // Each submission is a batch of its own: the server answers after the commit.
        let answers: Answers = valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", 1, &answers, &fresh_key()).status, 200);
        let now = blocks(&mut conn);
        assert_eq!(now.len(), 2);
        for (block, first) in now.iter().zip(&initial) {
            assert_eq!(block.counts.len(), first.counts.len(), "a block never changes size");
        }
        assert_eq!(now[1], initial[1], "the quiet survey's counts did not change");
        if postgres_admin().is_some() {
            // Every open survey's block was rewritten by the batch: the same transaction
            // id on all of them, so it singles out no survey and no counter.
            let stamps: Vec<Stamp> =
                diesel::sql_query("SELECT xmin::text AS xmin FROM counter_blocks").load(&mut conn).unwrap();
            assert!(stamps.windows(2).all(|w| w[0].xmin == w[1].xmin), "batch {batch}: {stamps:?}");
        }
        earlier.extend(now.into_iter().filter(|b| b.version_id == initial[0].version_id).map(|b| b.counts));
    }
    let legacy: i64 = {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM counters").get_result::<Count>(&mut conn).unwrap().n
    };
    assert_eq!(legacy, 0, "no counter is kept as a row of its own");
    if postgres_admin().is_none() {
        // SQLite overwrites what it frees (secure_delete) and the write-ahead log is
        // emptied after each batch: an earlier version of the counts is nowhere in the
        // files, so two batches' counts cannot be subtracted from one copy.
        drop(conn);
        let dir = server.dir();
        let files: Vec<Vec<u8>> = ["nansen.db", "nansen.db-wal"]
            .iter()
            .filter_map(|name| std::fs::read(dir.path().join(name)).ok())
            .collect();
        let (last, before) = earlier.split_last().unwrap();
        let found = |needle: &[u8]| files.iter().any(|file| file.windows(needle.len()).any(|w| w == needle));
        assert!(found(last), "the current counts are in the file");
        for (batch, old) in before.iter().enumerate() {
            assert!(!found(old), "the counts after batch {batch} are still in the files");
        }
    }
}

/// Releases are kept across restarts, and so is what they spent: the budget allows no
/// more releases than were planned, keeps the last for when the survey closes, and a
/// restart does not refill it.
#[test]
fn releases_and_the_budget_they_spent_survive_a_restart() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let admin = "/api/v1/admin/surveys/diaspora";
    let mut definition = server.get_with(admin, &[("cookie", &cookie)]).json()["definition"].clone();
    // Two planned releases: one on the way, one kept for closing.
    definition["settings"]["privacy"] = json!({"rho": 1.0, "releases": 2});
    definition["settings"]["releases"] = json!({"min_new": 5});
    assert_eq!(server.send("PUT", admin, Some(&definition), &[("cookie", &cookie)]).status, 200);
    let version = server.send("POST", &format!("{admin}/publish"), None, &[("cookie", &cookie)]).json()
        ["current_version"]
        .as_u64()
        .unwrap() as u32;
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(17);
    let send = |server: &TestServer, rng: &mut Rng| {
        for _ in 0..5 {
            let answers = valid_answers(&survey, rng);
            assert_eq!(server.submit("diaspora", version, &answers, &fresh_key()).status, 200);
        }
    };
    send(&server, &mut rng);
    let first = server.release("diaspora");
    let noise = &first["release"]["noise"];
    assert_eq!((noise["rho"].as_f64(), noise["rho_spent"].as_f64()), (Some(0.5), Some(0.5)), "{first}");
    send(&server, &mut rng);
    let releases = format!("{admin}/releases");
    let spent =
        server.send("POST", &releases, None, &[("cookie", &cookie)]).problem(409, "release-not-allowed");
    assert!(spent["detail"].as_str().unwrap().contains("budget is spent"), "{spent}");

    let dir = server.dir();
    server.kill();
    let server = TestServer::start_with(dir, &[]);
    let cookie = server.login_admin();
    assert_eq!(server.results("diaspora"), first, "the release is as it was");
    server.send("POST", &releases, None, &[("cookie", &cookie)]).problem(409, "release-not-allowed");
    // Closing makes the last release, with the share kept for it; then there is none.
    let closed = server.send("POST", &format!("{admin}/close"), None, &[("cookie", &cookie)]).json();
    assert_eq!(closed["releases"]["made"], 2, "{closed}");
    assert_eq!(closed["releases"]["releases_left"], 0, "{closed}");
    let last = server.results("diaspora");
    assert_eq!(
        (last["release"]["number"].clone(), last["release"]["closing"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(last["release"]["noise"]["rho_spent"].as_f64(), Some(1.0));
    server.send("POST", &releases, None, &[("cookie", &cookie)]).problem(409, "release-not-allowed");
}
