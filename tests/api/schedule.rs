//! Surveys that open and close at set times: the schedule given when publishing (or
//! changed later) is checked, a survey refuses answers before its opening time and says
//! when it opens, in each of its languages, and at its closing time the server closes it
//! and makes its final release exactly once — with two instances on one database too,
//! and after a restart when the time passed while the server was down.
//!
//! Times are set a few seconds ahead; the tests wait for what follows, never assert a
//! time on the clock.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nansen_shared::Timestamp;
use serde_json::{Value, json};

use crate::helpers::{Reply, Rng, TestServer, fresh_key, valid_answers};

/// Seconds since the epoch now.
fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The moment `seconds` from now, in RFC 3339.
fn from_now(seconds: i64) -> String {
    Timestamp::from_unix(unix_now() + seconds).unwrap().to_string()
}

/// An admin's session on a server.
struct Admin<'a> {
    server: &'a TestServer,
    cookie: String,
}

impl<'a> Admin<'a> {
    fn of(server: &'a TestServer) -> Self {
        Self { server, cookie: server.login_admin() }
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let path = format!("/api/v1/admin/surveys{path}");
        self.server.send(method, &path, body, &[("cookie", &self.cookie)])
    }

    /// Creates `slug`: a copy of the default survey (four languages) with exact releases
    /// after `min_new` new respondents, as a draft.
    fn create_copy(&self, slug: &str, min_new: u32) {
        let mut definition = self.send("GET", "/diaspora", None).json()["definition"].clone();
        definition["slug"] = json!(slug);
        definition["settings"]["privacy"] = json!({"noise": false});
        definition["settings"]["releases"] = json!({"min_new": min_new});
        let created = self.send("POST", "", Some(&definition));
        assert_eq!(created.status, 201, "{}", created.body);
    }

    /// Publishes `slug` with the schedule `body`; the survey as the admin API shows it.
    fn publish(&self, slug: &str, body: &Value) -> Value {
        let published = self.send("POST", &format!("/{slug}/publish"), Some(body));
        assert_eq!(published.status, 200, "{}", published.body);
        published.json()
    }

    fn survey(&self, slug: &str) -> Value {
        self.send("GET", &format!("/{slug}"), None).json()
    }

    fn audit(&self) -> Vec<Value> {
        let log = self.server.get_with("/api/v1/admin/audit", &[("cookie", &self.cookie)]).json();
        log["entries"].as_array().unwrap().clone()
    }

    fn releases(&self, slug: &str) -> Vec<Value> {
        let path = format!("/api/v1/surveys/{slug}/releases");
        self.server.get_with(&path, &[("cookie", &self.cookie)]).json().as_array().unwrap().clone()
    }
}

/// Waits until the clock has closed `slug` (from its closing time the survey is shown
/// closed at once; the clock acts a moment later).
fn wait_for_the_clock(admin: &Admin, slug: &str, seconds: u64) {
    wait_until("the clock closes the survey", seconds, || {
        entries(&admin.audit(), "(schedule)", "survey_close", slug) > 0
    });
}

/// Waits until `done` holds, for at most `seconds`.
fn wait_until(what: &str, seconds: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `n` valid answer sets to `slug`, sent to the servers in turn; each must be counted.
fn answer(servers: &[&TestServer], slug: &str, n: usize, seed: u64) {
    let survey = servers[0].survey(slug);
    let version = survey.version.unwrap();
    let mut rng = Rng::new(seed);
    let sets: Vec<_> = (0..n).map(|_| valid_answers(&survey, &mut rng)).collect();
    std::thread::scope(|scope| {
        for (i, answers) in sets.iter().enumerate() {
            let server = servers[i % servers.len()];
            scope.spawn(move || {
                let reply = server.submit(slug, version, answers, &fresh_key());
                assert_eq!(reply.status, 200, "{}", reply.body);
            });
        }
    });
}

/// The audit log's entries by `actor` of `action` whose target starts with `target`.
fn entries(log: &[Value], actor: &str, action: &str, target: &str) -> usize {
    log.iter()
        .filter(|e| e["actor"] == actor && e["action"] == action)
        .filter(|e| e["target"].as_str().is_some_and(|t| t.starts_with(target)))
        .count()
}

/// The survey closed on time once, by the clock, with one final release made from the
/// `respondents` who answered.
fn closed_once_with_one_final_release(admin: &Admin, slug: &str, respondents: u64) {
    assert_eq!(admin.server.counts(slug).respondents(), respondents);
    let releases = admin.releases(slug);
    assert_eq!(releases.len(), 1, "{releases:?}");
    assert_eq!(releases[0]["closing"], true, "{releases:?}");
    let log = admin.audit();
    assert_eq!(entries(&log, "(schedule)", "survey_close", slug), 1, "{log:?}");
    assert_eq!(entries(&log, "(schedule)", "release", &format!("{slug}: closing release 1")), 1, "{log:?}");
    let survey = admin.survey(slug);
    assert_eq!(survey["status"], "closed");
    assert_eq!(survey.get("schedule"), None, "closing clears the schedule: {survey}");
}

#[test]
fn schedules_in_the_past_backwards_or_malformed_are_refused_and_change_nothing() {
    let server = TestServer::start();
    let admin = Admin::of(&server);
    admin.create_copy("later", 5);
    let publish = |body: Value| admin.send("POST", "/later/publish", Some(&body));

    let past = publish(json!({"opens_at": from_now(-60)})).problem(422, "invalid-schedule");
    assert_eq!(
        (past["errors"][0]["pointer"].clone(), past["errors"][0]["code"].clone()),
        (json!("#/opens_at"), json!("not_in_future"))
    );
    let backwards = publish(json!({"opens_at": from_now(7200), "closes_at": from_now(3600)}))
        .problem(422, "invalid-schedule");
    assert_eq!(backwards["errors"].as_array().unwrap().len(), 1, "{backwards}");
    assert_eq!(backwards["errors"][0]["pointer"], "#/closes_at");
    assert_eq!(backwards["errors"][0]["code"], "closes_before_opening");
    assert!(backwards["errors"][0]["detail"].as_str().unwrap().contains(" UTC"), "{backwards}");
    let closing_past = publish(json!({"closes_at": "2020-01-01T00:00:00Z"})).problem(422, "invalid-schedule");
    assert_eq!(closing_past["errors"][0]["pointer"], "#/closes_at");
    let words = publish(json!({"opens_at": "next Tuesday"})).problem(400, "invalid-body");
    assert!(words["detail"].as_str().unwrap().contains("RFC 3339"), "{words}");
    let typo = publish(json!({"open_at": from_now(3600)})).problem(400, "invalid-body");
    assert!(typo["detail"].as_str().unwrap().contains("unknown field `open_at`"), "{typo}");
    let draft = admin.survey("later");
    assert_eq!((draft["status"].clone(), draft["current_version"].clone()), (json!("draft"), json!(null)));
    server.get("/api/v1/surveys/later").problem(404, "not-found");

    // A draft has no schedule to change: it is given when publishing.
    admin
        .send("PUT", "/later/schedule", Some(&json!({"closes_at": from_now(3600)})))
        .problem(409, "conflict");
    // An open survey cannot be given an opening time; a closed one no schedule at all.
    let open = admin.send("PUT", "/diaspora/schedule", Some(&json!({"opens_at": from_now(3600)})));
    assert_eq!(open.problem(422, "invalid-schedule")["errors"][0]["code"], "already_open");
    assert_eq!(admin.survey("diaspora")["status"], "open");
    assert_eq!(admin.send("POST", "/diaspora/close", None).status, 200);
    admin
        .send("PUT", "/diaspora/schedule", Some(&json!({"closes_at": from_now(3600)})))
        .problem(409, "conflict");
}

#[test]
fn before_its_opening_time_a_survey_refuses_answers_says_when_it_opens_then_opens() {
    let server = TestServer::start();
    let admin = Admin::of(&server);
    admin.create_copy("soon", 5);
    let (opens, closes) = (from_now(3600), from_now(7200));
    let published = admin.publish("soon", &json!({"opens_at": opens, "closes_at": closes}));
    assert_eq!(published["status"], "scheduled");
    assert_eq!(published["schedule"], json!({"opens_at": opens, "closes_at": closes}));
    let listed = admin.send("GET", "", None).json();
    let listed = listed.as_array().unwrap().iter().find(|s| s["slug"] == "soon").unwrap().clone();
    assert_eq!(
        (listed["status"].clone(), listed["schedule"]["opens_at"].clone()),
        (json!("scheduled"), json!(opens))
    );

    // Respondents see it coming, and when, but cannot answer yet.
    let public = server.get("/api/v1/surveys").json();
    let public = public.as_array().unwrap().iter().find(|s| s["slug"] == "soon").unwrap().clone();
    assert_eq!(public["status"], "scheduled");
    assert_eq!(public["schedule"]["closes_at"], json!(closes));
    let opens_text = Timestamp::parse(&opens).unwrap().utc_text();
    let early = server.submit("soon", 1, &Default::default(), &fresh_key()).problem(409, "not-yet-open");
    assert!(early["detail"].as_str().unwrap().contains(&opens_text), "{early}");
    server.get("/api/v1/surveys/soon").problem(409, "not-yet-open");
    let form = server.post_raw(
        "/s/soon",
        "application/x-www-form-urlencoded",
        &format!("version=1&key={}", fresh_key()),
        &[],
    );
    assert_eq!(form.status, 409, "{}", form.body);
    assert!(
        form.body.contains("This survey is not open yet") && form.body.contains(&opens_text),
        "{}",
        form.body
    );
    assert_eq!(server.counts("soon").respondents(), 0);

    // Moved to two seconds from now: it opens then, with nobody acting.
    let moved =
        admin.send("PUT", "/soon/schedule", Some(&json!({"opens_at": from_now(2), "closes_at": closes})));
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["status"], "scheduled");
    assert_eq!(entries(&admin.audit(), "admin", "survey_schedule", "soon"), 1);
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(5);
    let answers = valid_answers(&survey, &mut rng);
    wait_until("the survey opens", 20, || {
        let reply = server.submit("soon", 1, &answers, &fresh_key());
        assert!(reply.status == 200 || reply.status == 409, "{}", reply.body);
        reply.status == 200
    });
    assert_eq!(admin.survey("soon")["status"], "open");
    // Open now: the form, and until when it takes answers.
    let page = server.get("/s/soon?lang=en");
    assert!(page.body.contains(r#"<form class="questionnaire""#), "{}", page.body);
    assert!(page.body.contains("Takes answers until"), "{}", page.body);
    assert!(page.body.contains(&Timestamp::parse(&closes).unwrap().utc_text()), "{}", page.body);

    // An open survey's closing time can move, or go: then it is closed by hand.
    let later = admin.send("PUT", "/soon/schedule", Some(&json!({"closes_at": from_now(9000)})));
    assert_eq!(later.json()["schedule"].get("opens_at"), None);
    let cleared = admin.send("PUT", "/soon/schedule", Some(&json!({}))).json();
    assert_eq!((cleared["status"].clone(), cleared.get("schedule")), (json!("open"), None));
    // (The messages the client is handed name "Takes answers until" too: look for the list.)
    assert!(!server.get("/s/soon").body.contains(r#"<dl class="schedule""#));
}

#[test]
fn the_page_before_opening_says_when_it_opens_in_each_language_without_javascript() {
    let server = TestServer::start();
    let admin = Admin::of(&server);
    admin.create_copy("autumn", 5);
    admin.publish(
        "autumn",
        &json!({"opens_at": "2099-03-01T12:00:00Z", "closes_at": "2099-04-01T15:30:00+03:00"}),
    );
    for (lang, not_yet, opens) in [
        ("en", "This survey is not open yet.", "Opens"),
        ("ru", "Этот опрос ещё не открыт.", "Открывается"),
        ("uk", "Це опитування ще не відкрите.", "Відкривається"),
        ("be", "Гэтае апытанне яшчэ не адкрытае.", "Адкрываецца"),
    ] {
        let page = server.get(&format!("/s/autumn?lang={lang}"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{lang}: {html}");
        assert!(html.contains(not_yet), "{lang}: {html}");
        assert!(html.contains(&format!("<dt>{opens}</dt>")), "{lang}: {html}");
        assert!(html.contains(r#"<time datetime="2099-03-01T12:00:00Z""#), "{lang}: {html}");
        assert!(html.contains(">2099-03-01 12:00 UTC</time>"), "{lang}: {html}");
        assert!(html.contains(">2099-04-01 12:30 UTC</time>"), "{lang}: {html}");
        // Nothing to answer yet, and the other languages a link away.
        assert!(!html.contains("<form"), "{lang}: {html}");
        for other in ["en", "ru", "uk", "be"] {
            assert!(html.contains(&format!(r#"href="/s/autumn?lang={other}""#)), "{lang}: {html}");
        }
    }
    // The browser's language chooses, as on every respondent page.
    let russian = server.get_with("/s/autumn", &[("accept-language", "ru-RU,ru;q=0.9")]);
    assert!(russian.body.contains("Этот опрос ещё не открыт."), "{}", russian.body);
}

#[test]
fn a_survey_closes_itself_at_its_closing_time_with_one_final_release() {
    // The release schedule looks once an hour: only the clock's wait for the closing
    // time, set when the survey was published, can close it in the test's time.
    let server = TestServer::start_with(
        Arc::new(tempfile::tempdir().unwrap()),
        &[("NANSEN_RELEASE_CHECK_SECONDS", "3600")],
    );
    let admin = Admin::of(&server);
    admin.create_copy("snap", 5);
    admin.publish("snap", &json!({"closes_at": from_now(3600)}));
    answer(&[&server], "snap", 6, 1);
    // Closing now a few seconds ahead: the clock is woken to wait for the new time.
    let moved = admin.send("PUT", "/snap/schedule", Some(&json!({"closes_at": from_now(3)})));
    assert_eq!(moved.status, 200, "{}", moved.body);
    wait_for_the_clock(&admin, "snap", 30);
    closed_once_with_one_final_release(&admin, "snap", 6);
    let survey = server.survey("diaspora");
    let late = server.submit("snap", 1, &valid_answers(&survey, &mut Rng::new(2)), &fresh_key());
    late.problem(410, "survey-closed");
    assert!(!server.get("/api/v1/surveys").body.contains("\"snap\""));
}

#[test]
fn two_instances_on_one_database_close_a_survey_once_with_one_final_release() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    // No scheduled release in the test's time (it would take the new answers the final
    // release is made from).
    let hourly = [("NANSEN_RELEASE_CHECK_SECONDS", "3600")];
    let first = TestServer::start_with(dir.clone(), &hourly);
    let admin = Admin::of(&first);
    admin.create_copy("pair", 5);
    admin.publish("pair", &json!({"closes_at": from_now(3600)}));
    let second = TestServer::start_with(dir.clone(), &hourly);
    answer(&[&first, &second], "pair", 8, 3);
    // Only now, however long the answers took, a closing time a few seconds ahead, set
    // through each instance so that both clocks are re-armed for it at once (another
    // instance would otherwise see it at its next look): both race to close the survey.
    let on_second = Admin::of(&second);
    let soon = json!({"closes_at": from_now(4)});
    for (instance, admin) in [("first", &admin), ("second", &on_second)] {
        let moved = admin.send("PUT", "/pair/schedule", Some(&soon));
        assert_eq!(moved.status, 200, "{instance}: {}", moved.body);
    }
    wait_for_the_clock(&on_second, "pair", 30);
    // Both keep looking: nothing more happens.
    std::thread::sleep(Duration::from_secs(2));
    closed_once_with_one_final_release(&admin, "pair", 8);
    closed_once_with_one_final_release(&on_second, "pair", 8);
}

#[test]
fn a_closing_time_that_passed_while_the_server_was_down_is_acted_on_as_it_starts() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let hourly = [("NANSEN_RELEASE_CHECK_SECONDS", "3600")];
    let server = TestServer::start_with(dir.clone(), &hourly);
    let admin = Admin::of(&server);
    admin.create_copy("night", 5);
    admin.publish("night", &json!({"closes_at": from_now(3600)}));
    answer(&[&server], "night", 5, 4);
    let deadline = unix_now() + 2;
    let moved = admin.send(
        "PUT",
        "/night/schedule",
        Some(&json!({"closes_at": Timestamp::from_unix(deadline).unwrap()})),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    drop(admin);
    server.kill();
    while unix_now() <= deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    let restarted = TestServer::start_with(dir, &hourly);
    let admin = Admin::of(&restarted);
    wait_for_the_clock(&admin, "night", 15);
    closed_once_with_one_final_release(&admin, "night", 5);
}
