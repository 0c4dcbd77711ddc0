//! A survey's life: draft (invisible), publish (checked, immutable version 1), edit
//! (a new draft), publish again (version 2, counted apart), close (410, results stay).

use serde_json::json;

use crate::accounts::small_survey;
use crate::helpers::{TestServer, fresh_key};

/// `small_survey` with exact releases allowed after five respondents.
fn exact(slug: &str) -> serde_json::Value {
    let mut survey = small_survey(slug);
    survey["settings"] = json!({"privacy": {"noise": false}, "releases": {"min_new": 5}});
    survey
}

#[test]
fn draft_publish_edit_republish_close() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let admin = |method: &str, path: &str, body: Option<&serde_json::Value>| {
        server.send(method, &format!("/api/v1/admin/surveys{path}"), body, &[("cookie", &cookie)])
    };
    let submit = |version: u32, mood: &str| {
        server.post_json(
            "/api/v1/surveys/exit-poll/responses",
            &json!({"version": version, "answers": {"mood": mood}, "key": fresh_key()}),
        )
    };

    // A draft with a problem: it is saved, shown with its problems, and invisible.
    let mut draft = small_survey("exit-poll");
    draft["questions"][0]["prompt"].as_object_mut().unwrap().remove("ru");
    let created = admin("POST", "", Some(&draft));
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["is_draft"], true);
    assert_eq!(created["current_version"], json!(null));
    assert_eq!(created["problems"][0]["code"], "missing_translation");
    server.get("/api/v1/surveys/exit-poll").problem(404, "not-found");
    submit(1, "good").problem(404, "not-found");
    assert_eq!(server.get("/s/exit-poll").status, 404);
    assert!(!server.get("/api/v1/surveys").body.contains("exit-poll"));
    admin("POST", "", Some(&small_survey("exit-poll"))).problem(409, "conflict");

    // Publishing checks the definition and says exactly what to fix.
    let refused = admin("POST", "/exit-poll/publish", None).problem(422, "invalid-definition");
    assert_eq!(refused["errors"][0]["pointer"], "#/questions/0/prompt/ru");
    let fixed = admin("PUT", "/exit-poll", Some(&exact("exit-poll")));
    assert_eq!(fixed.status, 200, "{}", fixed.body);
    assert_eq!(fixed.json()["problems"], json!([]));
    let published = admin("POST", "/exit-poll/publish", None).json();
    assert_eq!(
        (published["status"].clone(), published["current_version"].clone()),
        (json!("open"), json!(1))
    );
    assert_eq!(published["is_draft"], false);
    assert_eq!(server.get("/api/v1/surveys/exit-poll").json()["version"], 1);
    for _ in 0..5 {
        assert_eq!(submit(1, "good").status, 200);
    }
    assert_eq!(server.release("exit-poll")["release"]["number"], 1);

    // Editing a published survey makes a draft; respondents still see version 1.
    let mut edited = exact("exit-poll");
    edited["questions"][0]["options"][1]["label"]["en"] = json!("Not good");
    let draft = admin("PUT", "/exit-poll", Some(&edited)).json();
    assert_eq!((draft["is_draft"].clone(), draft["current_version"].clone()), (json!(true), json!(1)));
    assert_eq!(
        server.get("/api/v1/surveys/exit-poll").json()["questions"][0]["options"][1]["label"]["en"],
        "Bad"
    );
    admin("PUT", "/exit-poll", Some(&exact("other-slug"))).problem(409, "conflict");

    // Version 2: counted apart from version 1, which takes no more answers.
    assert_eq!(admin("POST", "/exit-poll/publish", None).json()["current_version"], 2);
    admin("POST", "/exit-poll/publish", None).problem(409, "conflict");
    submit(1, "good").problem(409, "version-mismatch");
    for _ in 0..6 {
        assert_eq!(submit(2, "bad").status, 200);
    }
    assert_eq!(server.release("exit-poll")["release"]["number"], 2);
    let results = |query: &str| {
        server.get_with(&format!("/api/v1/surveys/exit-poll/results{query}"), &[("cookie", &cookie)])
    };
    let v2 = results("").json();
    assert_eq!((v2["version"].clone(), v2["respondents"].clone()), (json!(2), json!(6)));
    assert_eq!(option_counts(&v2), json!([["good", 0], ["bad", 6]]));
    let v1 = results("?version=1").json();
    assert_eq!((v1["version"].clone(), v1["respondents"].clone()), (json!(1), json!(5)));
    assert_eq!(option_counts(&v1), json!([["good", 5], ["bad", 0]]));
    results("?version=3").problem(404, "no-release");
    results("?release=3").problem(404, "not-found");
    let releases = server.get_with("/api/v1/surveys/exit-poll/releases", &[("cookie", &cookie)]).json();
    let listed: Vec<(u64, u64)> = releases
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["number"].as_u64().unwrap(), r["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(listed, [(1, 1), (2, 2)]);
    assert!(
        releases.as_array().unwrap().iter().all(|r| r["made_at"].as_i64().unwrap() % 3600 == 0),
        "to the hour"
    );

    // Closing stops answers; the results stay (no closing release: nobody new answered).
    let closed = admin("POST", "/exit-poll/close", None).json();
    assert_eq!(closed["status"], "closed");
    submit(2, "good").problem(410, "survey-closed");
    server.get("/api/v1/surveys/exit-poll").problem(410, "survey-closed");
    assert_eq!(results("").json()["respondents"], 6);
    let list = admin("GET", "", None).json();
    let entry = list.as_array().unwrap().iter().find(|s| s["slug"] == "exit-poll").unwrap().clone();
    assert_eq!(entry["status"], "closed");
    assert_eq!(entry["current_version"], 2);
    assert_eq!(entry["has_draft"], false);
}

#[test]
fn public_results_need_no_login_and_invite_surveys_refuse_plain_answers() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let mut survey = small_survey("open-data");
    survey["settings"] = json!({"public_results": true, "min_cell": 3, "privacy": {"noise": false}, "releases": {"min_new": 3}});
    server.send("POST", "/api/v1/admin/surveys", Some(&survey), &[("cookie", &cookie)]);
    server.send("POST", "/api/v1/admin/surveys/open-data/publish", None, &[("cookie", &cookie)]);
    // Anyone may read; there is nothing to read until a release.
    server.get("/api/v1/surveys/open-data/results").problem(404, "no-release");
    for _ in 0..3 {
        let body = json!({"version": 1, "answers": {"mood": "good"}, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/open-data/responses", &body).status, 200);
    }
    server.release("open-data");
    let results = server.get("/api/v1/surveys/open-data/results");
    assert_eq!(results.status, 200, "{}", results.body);
    assert_eq!(
        (results.json()["min_cell"].clone(), results.json()["respondents"].clone()),
        (json!(3), json!(3))
    );
    // Making results private applies to every version's releases, the earlier ones too.
    survey["settings"]["public_results"] = json!(false);
    server.send("PUT", "/api/v1/admin/surveys/open-data", Some(&survey), &[("cookie", &cookie)]);
    server.send("POST", "/api/v1/admin/surveys/open-data/publish", None, &[("cookie", &cookie)]);
    for query in ["", "?version=1", "?release=1"] {
        server.get(&format!("/api/v1/surveys/open-data/results{query}")).problem(401, "unauthenticated");
    }
    server.get("/api/v1/surveys/open-data/releases").problem(401, "unauthenticated");

    let mut invite = small_survey("by-invite");
    invite["settings"] = json!({"access": "invite"});
    server.send("POST", "/api/v1/admin/surveys", Some(&invite), &[("cookie", &cookie)]);
    server.send("POST", "/api/v1/admin/surveys/by-invite/publish", None, &[("cookie", &cookie)]);
    server
        .post_json(
            "/api/v1/surveys/by-invite/responses",
            &json!({"version": 1, "answers": {"mood": "good"}, "key": fresh_key()}),
        )
        .problem(403, "forbidden");

    let mut too_small = small_survey("tiny-k");
    too_small["settings"] = json!({"min_cell": 2});
    server.send("POST", "/api/v1/admin/surveys", Some(&too_small), &[("cookie", &cookie)]);
    let refused = server
        .send("POST", "/api/v1/admin/surveys/tiny-k/publish", None, &[("cookie", &cookie)])
        .problem(422, "invalid-definition");
    assert_eq!(refused["errors"][0]["code"], "min_cell_too_small");
}

/// The first question's (option, count) pairs, without their shares.
fn option_counts(results: &serde_json::Value) -> serde_json::Value {
    let counts = results["questions"][0]["counts"].as_array().unwrap();
    counts.iter().map(|c| json!([c["option"], c["count"]])).collect()
}
