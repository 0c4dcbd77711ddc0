//! axe-core on every page a person uses, as it stands: the respondent's questionnaire
//! (the client and the plain form, in Russian on a phone, fresh and after a refused
//! send) and the confirmation, the designer (editing and previewing) and the
//! researcher's dashboard. Any serious or critical violation fails.

use crate::axe::assert_accessible;
use crate::driver::{LIVE_FORM, Setup, click, wait, with_browser};
use crate::helpers::TestServer;
use crate::respondent::{screenshot, type_number};

#[tokio::test]
async fn the_respondent_pages_have_no_serious_accessibility_violations() {
    let server = TestServer::start();
    let server = &server;
    with_browser("axe_respondent_client", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        assert_accessible(&client, "the questionnaire (client, Russian, phone)").await;
    })
    .await;
    let plain = Setup { webassembly: false, ..Setup::PHONE };
    with_browser("axe_respondent_plain", plain, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, "form.questionnaire").await;
        assert_accessible(&client, "the questionnaire (plain form, Russian, phone)").await;
    })
    .await;
}

/// The check itself can fail: a page with an unlabelled field does.
#[tokio::test]
async fn an_unlabelled_field_is_a_violation() {
    with_browser("axe_control", Setup::DESKTOP, |client| async move {
        client
            .goto("data:text/html,<html lang=en><title>t</title><main><input type=text></main></html>")
            .await
            .unwrap();
        let found = crate::axe::violations(&client).await;
        assert!(found.iter().any(|v| v.contains("critical label")), "{found:?}");
    })
    .await;
}

/// The client's questionnaire in Russian on a phone after a refused send: the summary
/// at the top, fields marked invalid and described by their messages, and a multiple
/// choice at its limit (its other boxes unavailable).
#[tokio::test]
async fn the_client_questionnaire_with_its_errors_shown_has_no_serious_violations() {
    let server = TestServer::start();
    let server = &server;
    with_browser("axe_client_refused", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        for reason in ["war_opposition", "mobilisation", "safety"] {
            click(&client, &format!("input[name=reasons][value={reason}]")).await;
        }
        click(&client, "input[name=activity][value=donating]").await;
        click(&client, "input[name=activity][value=none]").await;
        type_number(&client, "age", "150").await;
        click(&client, "button.send").await;
        wait(&client, "#nansen-errors").await;
        assert_accessible(&client, "the questionnaire after a refused send (client, Russian, phone)").await;
    })
    .await;
}

/// The plain form in Russian, as it comes and after a refused send (in a browser
/// without WebAssembly, where the client cannot take it over and axe-core can run).
#[tokio::test]
async fn the_plain_form_fresh_and_refused_has_no_serious_violations() {
    let server = TestServer::start();
    let server = &server;
    let plain = Setup { webassembly: false, ..Setup::PHONE };
    with_browser("axe_plain_refused", plain, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, "form.questionnaire").await;
        assert_accessible(&client, "the questionnaire (plain form, Russian, phone)").await;
        for reason in ["war_opposition", "mobilisation", "safety", "family"] {
            click(&client, &format!("input[name='reasons.{reason}'][value='1']")).await;
        }
        wait(&client, "select[name=age]").await.select_by_value("034").await.unwrap();
        click(&client, "button.send").await;
        wait(&client, "#nansen-errors").await;
        assert!(client.find(fantoccini::Locator::Css("form[data-live]")).await.is_err(), "the plain form");
        screenshot(&client, "plain_refused_phone").await;
        assert_accessible(&client, "the questionnaire after a refused send (plain form, Russian, phone)")
            .await;
    })
    .await;
}

/// The confirmation page, where the client goes once the answers are counted.
#[tokio::test]
async fn the_confirmation_has_no_serious_violations() {
    let server = TestServer::start();
    let server = &server;
    with_browser("axe_confirmation", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        click(&client, "input[name=citizenship][value=russia]").await;
        wait(&client, "select[name=country]").await.select_by_value("GE").await.unwrap();
        click(&client, "input[name=left_when][value=from_2023]").await;
        click(&client, "input[name=reasons][value=safety]").await;
        click(&client, "input[name=return_intention][value=no]").await;
        click(&client, "button.send").await;
        wait(&client, ".counted-next").await;
        assert_accessible(&client, "the confirmation (Russian, phone)").await;
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 1);
}

/// The staff screens an admin and a researcher use: the survey list, the designer (the
/// form, and the preview with the respondent's components), the new-survey form, and the
/// researcher's dashboard showing a release.
#[tokio::test]
async fn the_staff_screens_have_no_serious_accessibility_violations() {
    use serde_json::json;

    use crate::helpers::{ADMIN_PASSWORD, fresh_key};
    use crate::staff::log_in;

    let server = crate::releases::without_schedule();
    let version = server.publish_exact("diaspora", 5);
    for _ in 0..6 {
        let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": "from_2023",
                             "reasons": ["economy"], "return_intention": "no", "age": 30});
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        let reply = server.post_json("/api/v1/surveys/diaspora/responses", &body);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    server.release("diaspora");
    let server = &server;
    with_browser("axe_staff", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin")).await.unwrap();
        wait(&client, "#login-form").await;
        assert_accessible(&client, "the staff login").await;
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, "#survey-table tr[data-slug=diaspora]").await;
        assert_accessible(&client, "the survey list").await;

        crate::driver::click(&client, "a.edit-link[data-slug=diaspora]").await;
        wait(&client, "#editor-form").await;
        wait(&client, "#share svg#qr-code").await;
        assert_accessible(&client, "the designer, editing the default survey").await;
        // A removal's question, as it is asked.
        crate::driver::click(&client, "#language-be-remove").await;
        wait(&client, "#language-be-remove-question").await;
        assert_accessible(&client, "the designer, asking before a removal").await;
        crate::driver::click(&client, "#language-be-remove-cancel").await;

        crate::driver::click(&client, "#tab-preview").await;
        wait(&client, "#preview form.questionnaire").await;
        wait(&client, "#preview select.country").await;
        assert_accessible(&client, "the designer's preview").await;

        client.goto(&server.url("/admin/new")).await.unwrap();
        wait(&client, "#new-survey-form").await;
        crate::driver::click(&client, "#new-lang-en").await;
        crate::driver::click(&client, "#new-lang-ru").await;
        crate::driver::click(&client, "#new-submit").await;
        wait(&client, "#new-title-error").await;
        assert_accessible(&client, "the new-survey form, with an error").await;

        client.goto(&server.url("/research/diaspora")).await.unwrap();
        wait(&client, ".results[data-release='1']").await;
        assert_accessible(&client, "the researcher's dashboard with a release").await;
    })
    .await;
}
