//! Tor Browser's "Safest" level (no JavaScript) and "Safer" level (no WebAssembly):
//! the server's own form must carry the person from the first question to "counted".

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::driver::{Setup, click, text, wait, with_browser};
use crate::helpers::{TestServer, fresh_key};
use crate::respondent::screenshot;

/// Answers as someone without JavaScript clicks: "yes" beside each choice of a multiple
/// choice, one radio button of a single choice (its value filled to a fixed width), an
/// age from the list.
async fn answer_and_send(client: &Client) {
    click(client, "input[name='citizenship.belarus'][value='1']").await;
    wait(client, "select[name=country]").await.select_by_value("LT").await.unwrap();
    click(client, "input[name=left_when][value^=before_2022]").await;
    click(client, "input[name='reasons.safety'][value='1']").await;
    click(client, "input[name=return_intention][value^=after_change]").await;
    // A grid's row: the radio button under its answer.
    click(client, "input[name='return_conditions.leadership_change'][value^=likely]").await;
    // A number from the list of every allowed one, each of one width.
    wait(client, "select[name=age]").await.select_by_value("040").await.unwrap();
    click(client, "button.send").await;
}

fn earlier_respondents(server: &TestServer) {
    for _ in 0..5 {
        let answers = json!({"citizenship": ["belarus"], "country": "LT", "left_when": "before_2022",
            "reasons": ["safety"], "return_intention": "after_change", "return_conditions": {"leadership_change": "likely"}});
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
    assert_eq!(
        (counted.chose("citizenship", "belarus"), counted.chose("age", "35_44")),
        (6, 1),
        "40, in its range"
    );
    assert_eq!(counted.chose("return_conditions", "leadership_change.likely"), 6);
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

/// Without JavaScript a refused form comes back scrolled to the top: there, the summary
/// of what needs attention has the focus as the page loads, each problem a link that
/// jumps to its question; every field of a flagged question is marked invalid and
/// described by its message; the line by the button says nothing is "below".
#[tokio::test]
async fn without_javascript_a_refused_form_opens_on_a_focused_summary_that_leads_to_each_question() {
    let server = TestServer::start();
    let server = &server;
    let setup = Setup { javascript: false, ..Setup::DESKTOP };
    with_browser("nojs_summary", setup, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        // The rules of a multiple choice, in words beside it.
        assert_eq!(text(&client, "#q-reasons-limit").await, "Можно выбрать не больше 3 вариантов.");
        assert!(
            text(&client, "#q-activity-alone")
                .await
                .starts_with("«Нет, ничего из этого» выбирается отдельно")
        );
        assert_eq!(text(&client, "#q-age-range").await, "От 16 до 100 лет.");
        // Two mistakes: when they left is not said, and four reasons where three are allowed.
        click(&client, "input[name='citizenship.russia'][value='1']").await;
        wait(&client, "select[name=country]").await.select_by_value("GE").await.unwrap();
        for reason in ["war_opposition", "mobilisation", "safety", "family"] {
            click(&client, &format!("input[name='reasons.{reason}'][value='1']")).await;
        }
        click(&client, "input[name=return_intention][value^=no]").await;
        wait(&client, "select[name=age]").await.select_by_value("034").await.unwrap();
        click(&client, "button.send").await;

        let summary = wait(&client, "#nansen-errors.error-summary").await;
        let focused = client.active_element().await.unwrap();
        assert_eq!(
            focused.attr("id").await.unwrap().as_deref(),
            Some("nansen-errors"),
            "focused as it loads"
        );
        assert_eq!(text(&client, "#nansen-errors h2").await, "2 ответа требуют внимания");
        let mut links = Vec::new();
        for link in summary.find_all(Locator::Css("a")).await.unwrap() {
            links.push((link.attr("href").await.unwrap().unwrap(), link.text().await.unwrap()));
        }
        assert_eq!(
            links,
            [
                ("#q-left_when".to_owned(), "Вопрос 3: Когда вы уехали из России или Беларуси?".to_owned()),
                ("#q-reasons".to_owned(), "Вопрос 4: Почему вы уехали?".to_owned()),
            ]
        );
        assert!(text(&client, "#nansen-errors").await.contains("Выберите не больше 3 вариантов."));
        // The fields of both questions are marked invalid and described by their message.
        for (css, error) in [
            ("input[name=left_when][value^=before_2022]", "q-left_when-error"),
            ("input[name='reasons.family'][value='1']", "q-reasons-error"),
        ] {
            let field = wait(&client, css).await;
            assert_eq!(field.attr("aria-invalid").await.unwrap().as_deref(), Some("true"), "{css}");
            assert_eq!(field.attr("aria-describedby").await.unwrap().as_deref(), Some(error), "{css}");
        }
        assert_eq!(text(&client, "#q-left_when-error").await, "Пожалуйста, ответьте на этот вопрос.");
        let country = wait(&client, "select[name=country]").await;
        assert_eq!(country.attr("aria-invalid").await.unwrap(), None, "an accepted answer is not marked");
        let bottom = text(&client, "form > .notice.error").await;
        assert_eq!(bottom, "2 ответа требуют внимания. Список — в начале формы.");
        screenshot(&client, "nojs_refused_summary").await;

        // A link jumps to its question.
        click(&client, "#nansen-errors a[href='#q-reasons']").await;
        assert!(client.current_url().await.unwrap().as_str().ends_with("#q-reasons"));
        screenshot(&client, "nojs_refused_jumped").await;
        // Fixed, the form is counted.
        click(&client, "input[name='reasons.family'][value='0']").await;
        click(&client, "input[name=left_when][value^=from_2023]").await;
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Ваши ответы учтены"));
        assert!(text(&client, ".counted-next").await.starts_with("Они добавлены к общим итогам"));
    })
    .await;
    let counted = server.counts("diaspora");
    assert_eq!(
        (counted.respondents(), counted.chose("age", "25_34"), counted.chose("reasons", "family")),
        (1, 1, 0)
    );
}
