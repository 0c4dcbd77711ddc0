//! A respondent in a real browser: answering the default survey in Russian on a phone-
//! sized screen, being stopped by a required question, switching language, and getting
//! an honest answer when the network fails.

use std::sync::Arc;

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{TestServer, fresh_key};

/// Five earlier respondents, so that the counts are large enough to be shown.
fn earlier_respondents(server: &TestServer) {
    for _ in 0..5 {
        let answers = json!({
            "citizenship": ["russia"], "country": "GE", "left_when": "feb_sep_2022",
            "reasons": ["war_opposition"], "return_intention": "if_war_ends", "return_conditions": ["war_end"]
        });
        let reply = server.post_json(
            "/api/v1/surveys/diaspora/responses",
            &json!({"version": 1, "answers": answers, "key": fresh_key()}),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

/// Answers every required question of the default survey with valid answers, except
/// those named in `skip`.
async fn answer_required(client: &Client, skip: &[&str]) {
    if !skip.contains(&"citizenship") {
        click(client, "input[name=citizenship][value=russia]").await;
    }
    if !skip.contains(&"country") {
        wait(client, "select[name=country]").await.select_by_value("AM").await.unwrap();
    }
    if !skip.contains(&"left_when") {
        click(client, "input[name=left_when][value=feb_sep_2022]").await;
    }
    if !skip.contains(&"reasons") {
        click(client, "input[name=reasons][value=war_opposition]").await;
    }
    if !skip.contains(&"return_intention") {
        click(client, "input[name=return_intention][value=no]").await;
    }
}

#[tokio::test]
async fn a_respondent_completes_the_default_survey_in_russian_on_a_phone() {
    let server = TestServer::start();
    earlier_respondents(&server);
    let server = &server;
    with_browser("respondent_russian_phone", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        assert_eq!(eval(&client, "document.documentElement.lang").await, "ru");
        assert_eq!(text(&client, "form.questionnaire h1").await, "Жизнь после отъезда");
        assert!(text(&client, "#q-citizenship legend").await.starts_with("Вопрос 1 из 10"));
        // A 360-pixel screen, and nothing overflows it.
        assert_eq!(eval(&client, "window.innerWidth").await, 360);
        assert_eq!(eval(&client, "document.documentElement.scrollWidth <= window.innerWidth").await, true);

        click(&client, "input[name=citizenship][value=russia]").await;
        wait(&client, "select[name=country]").await.select_by_value("GE").await.unwrap();
        click(&client, "input[name=left_when][value=feb_sep_2022]").await;
        click(&client, "input[name=reasons][value=mobilisation]").await;
        click(&client, "input[name=reasons][value=safety]").await;
        click(&client, "input[name=occupation][value=it]").await;
        click(&client, "input[name=welcome][value='4']").await;
        // The conditional question appears only for a conditional answer...
        assert!(client.find(Locator::Css("#q-return_conditions")).await.is_err());
        click(&client, "input[name=return_intention][value=if_war_ends]").await;
        wait(&client, "#q-return_conditions").await;
        assert!(text(&client, "#q-return_conditions legend").await.starts_with("Вопрос 10 из 11"));
        click(&client, "input[name=return_conditions][value=war_end]").await;
        // An age is chosen as its range: only the range is counted.
        wait(&client, "select[name=age]").await.select_by_value("25_34..").await.unwrap();
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 9 из 11");

        click(&client, "button.send").await;
        let notice = text(&client, ".notice.success").await;
        assert!(notice.starts_with("Ваши ответы учтены"), "{notice}");
        assert_eq!(eval(&client, "document.cookie").await, "", "a respondent gets no cookie");
    })
    .await;

    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 6, "exactly one more respondent");
    assert_eq!(counted.chose("return_conditions", "war_end"), 6);
    assert_eq!(counted.chose("left_when", "feb_sep_2022"), 6);
    assert_eq!(counted.chose("country", "GE"), 6);
    assert_eq!(counted.chose("age", "25_34"), 1, "the range chosen");
}

#[tokio::test]
async fn a_required_question_left_empty_blocks_sending_with_a_visible_error() {
    let server = TestServer::start();
    let server = &server;
    with_browser("respondent_required", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_required(&client, &["left_when"]).await;
        click(&client, "button.send").await;

        let error = text(&client, "#q-left_when.invalid .error").await;
        assert_eq!(error, "Please answer this question.");
        assert!(text(&client, ".notice.error").await.starts_with("One answer needs attention"));
        // Focus went to the question that needs an answer, for keyboard and screen
        // reader users alike.
        assert_eq!(eval(&client, "document.activeElement.closest('fieldset').id").await, "q-left_when");
        assert!(client.find(Locator::Css(".notice.success")).await.is_err());

        // Answering clears the error.
        click(&client, "input[name=left_when][value=from_2023]").await;
        wait_until(&client, "the error is gone", "return !document.querySelector('fieldset.invalid')").await;
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 0, "nothing was counted");
}

#[tokio::test]
async fn switching_language_keeps_the_answers_and_nothing_loads_from_elsewhere() {
    let server = TestServer::start();
    let server = &server;
    with_browser("respondent_language", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        click(&client, "input[name=citizenship][value=belarus]").await;
        // The language button sends the form back; the page returns in Belarusian with
        // the answer ticked, and the client takes over again.
        click(&client, "nav.languages button[value=be]").await;
        wait_until(
            &client,
            "the page is in Belarusian",
            "return document.querySelector('h1').textContent === 'Жыццё пасля ад’езду'",
        )
        .await;
        wait(&client, LIVE_FORM).await;
        assert_eq!(eval(&client, "document.documentElement.lang").await, "be");
        assert_eq!(eval(&client, "location.search").await, "?lang=be");
        assert!(wait(&client, "input[name=citizenship][value=belarus]").await.is_selected().await.unwrap());
        assert!(text(&client, "button.send").await.contains("Адправіць"));

        let origin = server.url("");
        let loaded = eval(&client, "performance.getEntriesByType('resource').map(e => e.name)").await;
        let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
        assert!(!loaded.is_empty());
        for url in loaded {
            assert!(url.starts_with(&origin), "{url} is not from {origin}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_lost_connection_is_reported_and_the_retry_counts_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = format!("127.0.0.1:{port}");
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::start_with(dir.clone(), &[("NANSEN_BIND", &bind)]);
    earlier_respondents(&server);
    let page = server.url("/s/diaspora?lang=en");
    let mut running = Some(server);
    let server = &mut running;
    with_browser("respondent_retry", Setup::DESKTOP, |client| async move {
        client.goto(&page).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_required(&client, &[]).await;

        // The server goes away before the answers are sent.
        server.take().unwrap().kill();
        click(&client, "button.send").await;
        let notice = text(&client, ".notice.error").await;
        assert!(
            notice.starts_with("Your answers have not been sent, so they are not counted yet"),
            "{notice}"
        );
        assert_eq!(text(&client, "button.send").await, "Try again");

        // It comes back; the same answers, with the same key, are counted once.
        *server = Some(TestServer::start_with(dir.clone(), &[("NANSEN_BIND", &bind)]));
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
    })
    .await;
    assert_eq!(running.as_ref().unwrap().counts("diaspora").respondents(), 6);
}
