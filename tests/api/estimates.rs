//! Estimates a researcher can publish, worked out from a release's counts: shares with
//! 95 % intervals, means of numbers from their sums, and post-stratified shares.

use serde_json::{Value, json};

use crate::helpers::{TestServer, fresh_key};

/// Ten respondents: five left in 2023 and will not return, five before 2022 and will
/// return soon; ages 20, 30, 40, 20, 30, … and `numbers` of them give one.
fn ten(server: &TestServer, version: u32, numbers: usize) {
    for i in 0..10 {
        let (left, back) = if i < 5 { ("from_2023", "no") } else { ("before_2022", "soon") };
        let mut answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": left,
                                 "reasons": ["economy"], "return_intention": back});
        if i < numbers {
            answers["age"] = json!(20 + 10 * (i % 3));
        }
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
    }
}

fn question<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap()
}

fn option<'a>(question: &'a Value, code: &str) -> &'a Value {
    question["counts"].as_array().unwrap().iter().find(|c| c["option"] == code).unwrap()
}

#[test]
fn shares_carry_wilson_intervals_and_numbers_a_mean_from_their_sums() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    ten(&server, version, 9);
    let results = server.release("diaspora");
    let share = &option(question(&results, "left_when"), "from_2023")["share"];
    assert_eq!(share["value"].as_f64(), Some(0.5));
    // Wilson's interval for 5 of 10: 0.2366 to 0.7634.
    let (low, high) = (share["ci95"]["low"].as_f64().unwrap(), share["ci95"]["high"].as_f64().unwrap());
    assert!((low - 0.2366).abs() < 1e-3 && (high - 0.7634).abs() < 1e-3, "{share}");
    // Ages 20, 30, 40, 20, 30, 40, 20, 30, 40: mean 30, sd √75 ≈ 8.66; never a min or max.
    let mean = &question(&results, "age")["mean"];
    assert_eq!(mean["n"], 9);
    assert!((mean["value"].as_f64().unwrap() - 30.0).abs() < 1e-9, "{mean}");
    assert!((mean["sd"].as_f64().unwrap() - 75f64.sqrt()).abs() < 1e-9, "{mean}");
    assert!(mean["ci95"]["low"].as_f64().unwrap() < 30.0 && mean["ci95"]["high"].as_f64().unwrap() > 30.0);
    let text = results.to_string();
    assert!(!text.contains("\"min\"") && !text.contains("\"max\""), "no extreme is published");
}

#[test]
fn a_mean_of_fewer_numbers_than_the_threshold_is_withheld() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    ten(&server, version, 4);
    let results = server.release("diaspora");
    assert_eq!(question(&results, "age")["mean"], Value::Null, "four numbers give no mean");
}

#[test]
fn weights_reach_the_questions_tabulated_against_the_one_weighted_and_nothing_else() {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    ten(&server, version, 0);
    server.release("diaspora");
    let cookie = server.login_admin();
    let get = |query: &str| {
        server.get_with(&format!("/api/v1/surveys/diaspora/results?{query}"), &[("cookie", &cookie)])
    };
    // The population: a quarter left in 2023, three quarters before 2022.
    let weighted = get("weight_by=left_when&weights=from_2023:0.25,before_2022:0.75").json();
    let by = &weighted["weighted"];
    assert_eq!(by["by"], "left_when");
    let intention =
        by["questions"].as_array().unwrap().iter().find(|q| q["id"] == "return_intention").unwrap();
    let no = intention["options"].as_array().unwrap().iter().find(|o| o[0] == "no").unwrap();
    assert!((no[1]["value"].as_f64().unwrap() - 0.25).abs() < 1e-9, "{no}");
    // The files say which weights were used.
    let csv = get("weight_by=left_when&weights=from_2023:0.25,before_2022:0.75&format=csv").body;
    assert!(
        csv.contains("weighted_share") && csv.contains("left_when: from_2023=0.25;before_2022=0.75"),
        "{csv}"
    );
    // Nothing else can be weighted: there is nothing per respondent to weight.
    let refused = get("weight_by=return_intention&weights=no:1").problem(400, "invalid-query");
    assert!(refused["detail"].as_str().unwrap().contains("no answers per respondent"), "{refused}");
    get("weight_by=left_when&weights=from_2023:0.5").problem(400, "invalid-query");
    get("weight_by=left_when&weights=from_2023:lots").problem(400, "invalid-query");
}

#[test]
fn noise_widens_the_intervals_it_is_accounted_in() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let mut rng = crate::helpers::Rng::new(21);
    for _ in 0..50 {
        let answers = crate::helpers::valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", 1, &answers, &fresh_key()).status, 200);
    }
    let results = server.release("diaspora");
    let answered = question(&results, "left_when")["answered"].as_u64();
    for count in question(&results, "left_when")["counts"].as_array().unwrap() {
        let (Some(n), Some(total)) = (count["count"].as_u64(), answered) else { continue };
        let share = &count["share"];
        let width = share["ci95"]["high"].as_f64().unwrap() - share["ci95"]["low"].as_f64().unwrap();
        // Noise of ±29 on counts near 50 makes any interval wide; sampling alone for
        // n of total would be narrower.
        let p = (n as f64 / total as f64).min(1.0);
        let sampling = 2.0 * 1.96 * (p * (1.0 - p) / total as f64).sqrt();
        assert!(width >= sampling, "{share}: {width} < {sampling}");
    }
}
