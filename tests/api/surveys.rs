//! The default survey is published on first start and served in the reader's language.

use serde_json::json;

use crate::helpers::TestServer;

#[test]
fn the_default_survey_is_open() {
    let server = TestServer::start();
    let list = server.get("/api/v1/surveys").json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["slug"], "diaspora");
    assert_eq!(list[0]["version"], 1);
    assert_eq!(list[0]["languages"][0], "en");
    assert_eq!(list[0]["languages"][1], "ru");

    let survey = server.get("/api/v1/surveys/diaspora").json();
    assert_eq!(survey["version"], 1);
    let ids: Vec<&str> =
        survey["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    for id in [
        "citizenship",
        "country",
        "left_when",
        "reasons",
        "occupation",
        "activity",
        "ties",
        "welcome",
        "return_intention",
        "return_conditions",
        "age",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let conditions =
        survey["questions"].as_array().unwrap().iter().find(|q| q["id"] == "return_conditions").unwrap();
    assert_eq!(conditions["show_if"]["question"], "return_intention");
    let age = survey["questions"].as_array().unwrap().iter().find(|q| q["id"] == "age").unwrap();
    assert_eq!(age["kind"], "number");
    assert!(age["bins"].as_array().unwrap().len() >= 4);
}

#[test]
fn the_page_speaks_the_language_asked_for() {
    let server = TestServer::start();
    let english = server.get("/s/diaspora");
    assert_eq!(english.status, 200);
    assert!(english.body.contains("<html lang=\"en\""), "{}", english.body);
    assert!(english.body.contains("Life after leaving"));

    let russian = server.get("/s/diaspora?lang=ru");
    assert!(russian.body.contains("<html lang=\"ru\""));
    assert!(russian.body.contains("Жизнь после отъезда"));

    let browser = server.get_with("/s/diaspora", &[("accept-language", "de-DE, uk;q=0.9, en;q=0.5")]);
    assert!(browser.body.contains("<html lang=\"uk\""), "{}", browser.body);

    // An explicit choice beats the browser's; an unknown one falls back to the default.
    let explicit = server.get_with("/s/diaspora?lang=ru", &[("accept-language", "uk")]);
    assert!(explicit.body.contains("<html lang=\"ru\""));
    let unknown = server.get("/s/diaspora?lang=xx");
    assert!(unknown.body.contains("<html lang=\"en\""));
}

#[test]
fn health_reports_the_database() {
    let server = TestServer::start();
    let reply = server.get("/healthz");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"status": "ok"}));
}
