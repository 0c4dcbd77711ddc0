//! The questionnaire without JavaScript: a complete HTML form, one POST, the same
//! validation, errors shown in the form with the person's answers kept.

use serde_json::json;

use crate::helpers::{TestServer, fresh_key};

fn post(server: &TestServer, lang: &str, fields: &[(&str, &str)]) -> crate::helpers::Reply {
    let body =
        fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
    server.post_raw(&format!("/s/diaspora?lang={lang}"), "application/x-www-form-urlencoded", &body, &[])
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A complete answer set, as a browser without JavaScript sends it.
fn complete(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("version", "1".into()),
        ("key", key.into()),
        ("citizenship", "russia".into()),
        ("citizenship", "belarus".into()),
        ("country", "GE".into()),
        ("left_when", "from_2023".into()),
        ("reasons", "war_opposition".into()),
        ("reasons", "safety".into()),
        ("welcome", "".into()),
        ("return_intention", "if_war_ends".into()),
        ("return_conditions", "war_end".into()),
        ("age", "34".into()),
    ]
}

fn fields<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn the_page_is_a_complete_form_without_javascript() {
    let server = TestServer::start();
    let page = server.get("/s/diaspora?lang=ru").body;
    assert!(page.contains(r#"method="post" action="/s/diaspora?lang=ru""#), "{page}");
    assert!(page.contains(r#"<input type="hidden" name="version" value="1">"#));
    let key = page.split(r#"name="key" value=""#).nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(key.len(), 43, "a fresh 256-bit key per page: {key}");
    assert_ne!(server.get("/s/diaspora").body.split(r#"name="key" value=""#).nth(1).unwrap()[..43], *key);
    for id in [
        "citizenship",
        "country",
        "left_when",
        "reasons",
        "welcome",
        "return_intention",
        "return_conditions",
        "age",
    ] {
        assert!(page.contains(&format!(r#"name="{id}""#)), "{id} is missing");
    }
    // Without JavaScript the conditional question is always there, its condition in words.
    assert!(page.contains("Отвечайте, только если на вопрос 9 вы ответили: Если закончится война / После политических перемен в стране."), "{page}");
    assert_eq!(page.matches("<option value=\"").count(), 249 + 1, "every country, named");
    assert!(page.contains(r#"<option value="GE">Грузия</option>"#));
}

#[test]
fn a_language_button_shows_the_form_again_in_that_language_with_the_answers() {
    let server = TestServer::start();
    let mut sent = complete(&fresh_key());
    sent.push(("lang", "be".into()));
    let reply = post(&server, "ru", &fields(&sent));
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#"<html lang="be""#), "{}", reply.body);
    assert!(reply.body.contains(r#"value="belarus" checked"#), "answers are kept");
    assert!(reply.body.contains(r#"<option value="GE" selected>Грузія</option>"#));
    assert!(!reply.body.contains("class=\"error\""), "nothing was judged");
    let results = server.results("diaspora");
    assert_eq!(results["respondents"], 0, "nothing was counted");
}

#[test]
fn one_post_of_a_complete_answer_set_is_counted_once() {
    let server = TestServer::start();
    for _ in 0..5 {
        let reply = post(&server, "ru", &fields(&complete(&fresh_key())));
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.body.contains("Ваши ответы учтены"), "{}", reply.body);
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("set-cookie"), None);
    }
    // Sending the same form again (a reload, a double click) counts nothing more.
    let key = fresh_key();
    for _ in 0..2 {
        assert_eq!(post(&server, "en", &fields(&complete(&key))).status, 200);
    }
    let results = server.results("diaspora");
    assert_eq!(results["respondents"], 6);
    let reasons = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "reasons").unwrap();
    assert_eq!(
        reasons["counts"].as_array().unwrap().iter().find(|c| c["option"] == "safety").unwrap()["count"],
        6
    );
}

#[test]
fn mistakes_come_back_in_the_form_with_the_answers_kept() {
    let server = TestServer::start();
    let mut sent = complete(&fresh_key());
    sent.retain(|(k, _)| *k != "left_when");
    sent.push(("age", "12".into()));
    sent.retain(|(k, v)| !(*k == "age" && v == "34"));
    let reply = post(&server, "uk", &fields(&sent));
    assert_eq!(reply.status, 422);
    assert!(reply.header("content-type").unwrap().starts_with("text/html"));
    let page = &reply.body;
    assert!(page.contains(r#"<fieldset id="q-left_when" class="question invalid">"#), "{page}");
    assert!(page.contains("Будь ласка, дайте відповідь на це запитання."), "{page}");
    assert!(page.contains("Введіть ціле число від 16 до 100."), "{page}");
    assert!(page.contains("2 відповіді потребують уваги"), "{page}");
    assert!(page.contains(r#"value="belarus" checked"#), "answers are kept");
    assert!(page.contains(r#"name="age" min="16" max="100" step="1" value="12""#), "{page}");
    assert_eq!(server.results("diaspora")["respondents"], 0);
}

#[test]
fn answers_to_questions_that_do_not_apply_are_dropped_not_refused() {
    let server = TestServer::start();
    for _ in 0..5 {
        let mut sent = complete(&fresh_key());
        for (k, v) in &mut sent {
            if *k == "return_intention" {
                *v = "no".into(); // so return_conditions does not apply...
            }
        }
        // ...and its answer, which a radio button cannot take back, is ignored.
        let reply = post(&server, "en", &fields(&sent));
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let results = server.results("diaspora");
    let conditions =
        results["questions"].as_array().unwrap().iter().find(|q| q["id"] == "return_conditions").unwrap();
    assert_eq!(conditions["answered"], json!(0));
}

#[test]
fn a_stale_or_missing_version_asks_to_check_and_send_again() {
    let server = TestServer::start();
    let mut sent = complete(&fresh_key());
    sent[0].1 = "7".into();
    let reply = post(&server, "en", &fields(&sent));
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("This survey was updated while you were answering."));
    assert_eq!(server.results("diaspora")["respondents"], 0);
}
