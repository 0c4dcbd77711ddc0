//! axe-core on every page a person uses, as it stands: the respondent's questionnaire
//! (the client and the plain form, in Russian on a phone), the designer (editing and
//! previewing) and the researcher's dashboard. Any serious or critical violation fails.

use crate::axe::assert_accessible;
use crate::driver::{LIVE_FORM, Setup, wait, with_browser};
use crate::helpers::TestServer;

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
