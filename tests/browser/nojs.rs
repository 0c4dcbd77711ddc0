//! Tor Browser's "Safest" level (no JavaScript) and "Safer" level (no WebAssembly):
//! the server's own form must carry the person from the first question to "counted".

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::driver::{Setup, click, text, wait, with_browser};
use crate::helpers::{TestServer, fresh_key};

/// Answers as someone without JavaScript clicks: "yes" beside each choice of a multiple
/// choice, one radio button of a single choice (its value filled to a fixed width), an
/// age range.
async fn answer_and_send(client: &Client) {
    click(client, "input[name='citizenship.belarus'][value='1']").await;
    wait(client, "select[name=country]").await.select_by_value("LT").await.unwrap();
    click(client, "input[name=left_when][value^=before_2022]").await;
    click(client, "input[name='reasons.safety'][value='1']").await;
    click(client, "input[name=return_intention][value^=after_change]").await;
    click(client, "input[name='return_conditions.leadership_change'][value='1']").await;
    wait(client, "select[name=age]").await.select_by_value("35_44..").await.unwrap();
    click(client, "button.send").await;
}

fn earlier_respondents(server: &TestServer) {
    for _ in 0..5 {
        let answers = json!({"citizenship": ["belarus"], "country": "LT", "left_when": "before_2022",
            "reasons": ["safety"], "return_intention": "after_change", "return_conditions": ["leadership_change"]});
        let body = json!({"version": 1, "answers": answers, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
    }
}

#[tokio::test]
async fn without_javascript_the_plain_form_is_answered_and_counted() {
    let server = TestServer::start();
    earlier_respondents(&server);
    let server = &server;
    // At desktop size: chromedriver's phone emulation never answers a command once
    // JavaScript is blocked (Chromium 156); the phone layout is tested with the client.
    let setup = Setup { javascript: false, ..Setup::DESKTOP };
    with_browser("nojs_safest", setup, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=be")).await.unwrap();
        // The conditional question is there from the start, its condition in words.
        assert!(
            text(&client, "#q-return_conditions .condition").await.starts_with("Адказвайце, толькі калі")
        );
        // First a mistake: the required reasons are missing.
        click(&client, "input[name='citizenship.belarus'][value='1']").await;
        click(&client, "button.send").await;
        assert!(text(&client, "#q-reasons.invalid .error").await.starts_with("Калі ласка, адкажыце"));
        let belarus = wait(&client, "input[name='citizenship.belarus'][value='1']").await;
        assert!(belarus.is_selected().await.unwrap(), "the answer is kept");
        // Then the whole form.
        answer_and_send(&client).await;
        assert!(text(&client, ".notice.success").await.starts_with("Вашы адказы ўлічаны"));
        assert!(client.find(Locator::Css("form[data-live]")).await.is_err(), "the client never ran");
    })
    .await;
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 6);
    assert_eq!((counted.chose("citizenship", "belarus"), counted.chose("age", "35_44")), (6, 1));
}

#[tokio::test]
async fn without_webassembly_the_plain_form_stays_usable() {
    let server = TestServer::start();
    earlier_respondents(&server);
    let server = &server;
    let setup = Setup { webassembly: false, ..Setup::DESKTOP };
    with_browser("nojs_safer", setup, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, "form.questionnaire").await;
        // Otherwise the client takes the form over, and this tests nothing of the plain one.
        let wasm = client.execute("return typeof WebAssembly;", vec![]).await.unwrap();
        assert_eq!(wasm, "undefined", "the browser was started with WebAssembly (harness/src/browser.rs)");
        answer_and_send(&client).await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 6);
}
