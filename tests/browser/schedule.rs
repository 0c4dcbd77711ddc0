//! Scheduled opening and closing in a real browser: an admin gives a draft its opening
//! and closing times in the designer (a closing time before the opening is refused in
//! place), publishes it for later, moves its closing time, and sees it listed as
//! scheduled; a respondent's page then says when it opens (or, once open, until when
//! it takes answers), in UTC and in the reader's own time. axe-core checks the designer's panel and the respondent's page.

use fantoccini::Client;
use serde_json::json;

use crate::axe::assert_accessible;
use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer};
use crate::staff::log_in;

/// Sets a date and time input as a person picking from its calendar would, by its value
/// (the picker's keystrokes depend on the browser's locale), then tells the page.
async fn set_time(client: &Client, css: &str, value: &str) {
    let field = wait(client, css).await;
    let field = serde_json::to_value(&field).unwrap();
    let script = "arguments[0].value = arguments[1]; \
                  arguments[0].dispatchEvent(new Event('input', {bubbles: true}));";
    client.execute(script, vec![field, json!(value)]).await.unwrap();
}

#[tokio::test]
async fn an_admin_schedules_a_survey_and_its_page_says_when_it_opens() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let admin = |method: &str, path: &str, body: Option<&serde_json::Value>| {
        server.send(method, &format!("/api/v1/admin/surveys{path}"), body, &[("cookie", &cookie)])
    };
    let mut definition = admin("GET", "/diaspora", None).json()["definition"].clone();
    definition["slug"] = json!("spring");
    assert_eq!(admin("POST", "", Some(&definition)).status, 201);
    let server = &server;
    with_browser("schedule_designer", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin/surveys/spring")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, "#schedule[data-status=draft]").await;
        assert!(text(&client, "#schedule-now").await.starts_with("Not published yet."));

        // Closing before opening: said beside the field, and publishing waits for a fix.
        set_time(&client, "#schedule-opens", "2099-03-01T12:00").await;
        set_time(&client, "#schedule-closes", "2099-02-01T12:00").await;
        let error = text(&client, "#schedule-closes-error").await;
        assert!(error.contains("after the opening time"), "{error}");
        assert_eq!(
            eval(&client, "document.querySelector('#schedule-closes').getAttribute('aria-invalid')").await,
            "true"
        );
        click(&client, "#publish").await;
        assert!(text(&client, "#outcome.error").await.contains("need changes first"));
        wait_until(
            &client,
            "the closing time has the focus",
            "return document.activeElement?.id === 'schedule-closes'",
        )
        .await;
        set_time(&client, "#schedule-closes", "2099-04-01T12:00").await;
        wait_until(&client, "the error is gone", "return !document.querySelector('#schedule-closes-error')")
            .await;
        // The admin's own time beside the UTC one.
        assert!(text(&client, "#schedule-opens-hint").await.starts_with("Your time: "));
        assert_accessible(&client, "the designer's opening and closing times").await;

        // Published for later: scheduled, with its times.
        click(&client, "#publish").await;
        wait(&client, "#status[data-status=scheduled]").await;
        let outcome = text(&client, "#outcome").await;
        assert!(
            outcome.contains("Published version 1") && outcome.contains("1 March 2099, 12:00 UTC"),
            "{outcome}"
        );
        let standing = text(&client, "#schedule-now").await;
        assert!(standing.contains("opens 1 March 2099, 12:00 UTC"), "{standing}");
        assert!(standing.contains("closes 1 April 2099, 12:00 UTC"), "{standing}");
        let stored = admin("GET", "/spring", None).json();
        assert_eq!(stored["status"], "scheduled");
        assert_eq!(
            stored["schedule"],
            json!({"opens_at": "2099-03-01T12:00:00Z", "closes_at": "2099-04-01T12:00:00Z"})
        );

        // The closing time moves without a new version.
        set_time(&client, "#schedule-closes", "2099-05-01T12:00").await;
        click(&client, "#schedule-save").await;
        wait(&client, "#schedule[data-closes='2099-05-01T12:00:00Z']").await;
        assert_eq!(text(&client, "#outcome").await, "The times are saved.");
        assert_eq!(admin("GET", "/spring", None).json()["current_version"], 1);

        // The list says when it opens and closes.
        client.goto(&server.url("/admin")).await.unwrap();
        wait(&client, "#survey-table tr[data-slug=spring] td.status[data-status=scheduled]").await;
        let times = text(&client, "#survey-table tr[data-slug=spring] td.schedule").await;
        assert_eq!(times, "opens 1 March 2099, 12:00 UTC; closes 1 May 2099, 12:00 UTC");

        // A respondent: when it opens and closes, in UTC and in their own time.
        client.goto(&server.url("/s/spring?lang=ru")).await.unwrap();
        wait(&client, "main[data-status=scheduled]").await;
        assert!(text(&client, "#not-open-yet").await.starts_with("Этот опрос ещё не открыт."));
        let opens = text(&client, "dl.schedule div:first-child dd").await;
        assert!(opens.starts_with("2099-03-01 12:00 UTC (по вашему времени: "), "{opens}");
        assert!(opens.contains("2099"), "{opens}");
        assert!(!client.source().await.unwrap().contains("<form"));
        assert_accessible(&client, "the respondent's page before the opening time").await;

        // An open survey with a closing time: said above the questionnaire the client
        // takes over.
        let until = admin("PUT", "/diaspora/schedule", Some(&json!({"closes_at": "2099-06-01T09:30:00Z"})));
        assert_eq!(until.status, 200, "{}", until.body);
        client.goto(&server.url("/s/diaspora?lang=uk")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        let closes = text(&client, "header.survey-schedule").await;
        assert!(closes.starts_with("Приймає відповіді до"), "{closes}");
        assert!(closes.contains("2099-06-01 09:30 UTC (за вашим часом: "), "{closes}");
        assert_accessible(&client, "the questionnaire with its closing time").await;
    })
    .await;
}
