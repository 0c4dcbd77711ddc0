//! Tor Browser's "Safest" level (no JavaScript) and "Safer" level (no WebAssembly):
//! the server's own form must carry the person from the first question to "counted".

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::driver::{Setup, click, text, wait, with_browser};
use crate::helpers::{TestServer, fresh_key};

async fn answer_and_send(client: &Client) {
    click(client, "input[name=citizenship][value=belarus]").await;
    wait(client, "select[name=country]").await.select_by_value("LT").await.unwrap();
    click(client, "input[name=left_when][value=before_2022]").await;
    click(client, "input[name=reasons][value=safety]").await;
    click(client, "input[name=return_intention][value=after_change]").await;
    click(client, "input[name=return_conditions][value=leadership_change]").await;
    wait(client, "input[name=age]").await.send_keys("41").await.unwrap();
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
        click(&client, "input[name=citizenship][value=belarus]").await;
        click(&client, "button.send").await;
        assert!(text(&client, "#q-reasons.invalid .error").await.starts_with("Калі ласка, адкажыце"));
        assert!(wait(&client, "input[name=citizenship][value=belarus]").await.is_selected().await.unwrap());
        // Then the whole form (the ticked box stays ticked; ticking again would untick).
        click(&client, "input[name=citizenship][value=belarus]").await;
        answer_and_send(&client).await;
        assert!(text(&client, ".notice.success").await.starts_with("Вашы адказы ўлічаны"));
        assert!(client.find(Locator::Css("form[data-live]")).await.is_err(), "the client never ran");
    })
    .await;
    let results = server.results("diaspora");
    assert_eq!(results["respondents"], 6);
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
        answer_and_send(&client).await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
    })
    .await;
    assert_eq!(server.results("diaspora")["respondents"], 6);
}
