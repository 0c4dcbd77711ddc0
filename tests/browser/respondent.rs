//! A respondent in a real browser: answering the default survey in Russian on a phone-
//! sized screen, being stopped by a required question, switching language, and getting
//! an honest answer when the network fails.

use std::path::Path;
use std::sync::Arc;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{TestServer, fresh_key};

/// Five earlier respondents, so that the counts are large enough to be shown.
fn earlier_respondents(server: &TestServer) {
    for _ in 0..5 {
        let answers = json!({
            "citizenship": ["russia"], "country": "GE", "left_when": "feb_sep_2022",
            "reasons": ["war_opposition"], "return_intention": "if_war_ends",
            "return_conditions": {"war_end": "likely"}
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
        // A grid: one radio button per row answered.
        click(&client, "input[name='return_conditions.war_end'][value=likely]").await;
        // The grid, wider than the phone, scrolls in its own box: the page does not.
        assert_eq!(eval(&client, "document.documentElement.scrollWidth <= window.innerWidth").await, true);
        // An age is typed (the server counts its range).
        type_number(&client, "age", "34").await;
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 9 из 11");

        click(&client, "button.send").await;
        let notice = text(&client, ".notice.success").await;
        assert!(notice.starts_with("Ваши ответы учтены"), "{notice}");
        assert_eq!(eval(&client, "document.cookie").await, "", "a respondent gets no cookie");
    })
    .await;

    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 6, "exactly one more respondent");
    assert_eq!(counted.chose("return_conditions", "war_end.likely"), 6);
    assert_eq!(counted.chose("left_when", "feb_sep_2022"), 6);
    assert_eq!(counted.chose("country", "GE"), 6);
    assert_eq!(counted.chose("age", "25_34"), 1, "the number typed, counted in its range");
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
        // Focus went to the summary at the top, for keyboard and screen reader users
        // alike; its link takes it on to the question that needs an answer.
        assert_eq!(eval(&client, "document.activeElement.id").await, "nansen-errors");
        click(&client, "#nansen-errors a[href='#q-left_when']").await;
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

/// Types `value` into the number field of question `id`, and leaves it (as a person
/// does, which is when the answer is taken).
pub async fn type_number(client: &Client, id: &str, value: &str) {
    let field = wait(client, &format!("input[type=number][name={id}]")).await;
    field.clear().await.unwrap();
    field.send_keys(&format!("{value}{}", char::from(Key::Tab))).await.unwrap();
}

/// Saves what the browser shows under `target/browser-screenshots/{name}.png`.
pub async fn screenshot(client: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, client.screenshot().await.unwrap()).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// The value of attribute `name` of the element `css`.
async fn attr(client: &Client, css: &str, name: &str) -> Option<String> {
    wait(client, css).await.attr(name).await.unwrap()
}

/// Whether the element `css` is within the window's height, top to bottom.
async fn in_view(client: &Client, css: &str) -> bool {
    let script = format!(
        "const r = document.querySelector({css:?}).getBoundingClientRect(); \
         return r.top >= 0 && r.bottom <= window.innerHeight;"
    );
    client.execute(&script, vec![]).await.unwrap() == Value::Bool(true)
}

/// In the client, in Russian on a phone: a send with two mistakes is refused, and the
/// top of the form says so (a summary, focused, whose links take the focus to each
/// question); the fields are marked invalid and described by their messages; the line
/// by the button says nothing is "below".
#[tokio::test]
async fn a_refused_send_opens_a_summary_at_the_top_that_leads_to_each_question() {
    let server = TestServer::start();
    let server = &server;
    with_browser("client_summary", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_required(&client, &["left_when", "country"]).await;
        type_number(&client, "age", "7").await;
        click(&client, "button.send").await;

        let summary = wait(&client, "#nansen-errors.error-summary").await;
        assert_eq!(
            eval(&client, "document.activeElement.id").await,
            "nansen-errors",
            "the summary has the focus"
        );
        assert!(in_view(&client, "#nansen-errors").await, "and is in view");
        // Above the intro and the questions: the first thing after the title.
        assert_eq!(
            eval(&client, "document.querySelector('h1').nextElementSibling.id").await,
            "nansen-errors"
        );
        assert_eq!(text(&client, "#nansen-errors h2").await, "3 ответа требуют внимания");
        let entries = summary.find_all(Locator::Css("li")).await.unwrap();
        let mut listed = Vec::new();
        for entry in entries {
            listed.push(entry.text().await.unwrap());
        }
        assert_eq!(
            listed,
            [
                "Вопрос 2: В какой стране вы сейчас живёте?\nПожалуйста, ответьте на этот вопрос.",
                "Вопрос 3: Когда вы уехали из России или Беларуси?\nПожалуйста, ответьте на этот вопрос.",
                "Вопрос 10: Сколько вам лет?\nВведите целое число от 16 до 100.",
            ]
        );
        // Every field of a flagged question is marked, and described by its message.
        for css in ["select[name=country]", "input[name=left_when][value=before_2022]", "input[name=age]"] {
            assert_eq!(attr(&client, css, "aria-invalid").await.as_deref(), Some("true"), "{css}");
        }
        assert_eq!(
            attr(&client, "select[name=country]", "aria-describedby").await.as_deref(),
            Some("q-country-error")
        );
        assert_eq!(
            attr(&client, "input[name=age]", "aria-describedby").await.as_deref(),
            Some("q-age-range q-age-error")
        );
        assert_eq!(attr(&client, "input[name=reasons][value=safety]", "aria-invalid").await, None);
        let bottom = text(&client, "form > .notice.error").await;
        assert_eq!(bottom, "3 ответа требуют внимания. Список — в начале формы.");
        assert!(!bottom.contains("ниже"));
        screenshot(&client, "client_refused_summary").await;

        // Each link takes the focus to its question's first field, in view.
        click(&client, "#nansen-errors a[href='#q-left_when']").await;
        assert_eq!(eval(&client, "document.activeElement.name").await, "left_when");
        assert!(in_view(&client, "#q-left_when legend").await);
        click(&client, "#nansen-errors a[href='#q-age']").await;
        assert_eq!(eval(&client, "document.activeElement.id").await, "q-age-input");
        // The line by the button leads back up.
        click(&client, "form > .notice.error a").await;
        assert_eq!(eval(&client, "document.activeElement.id").await, "nansen-errors");

        // Fixing an answer takes it off the list.
        click(&client, "input[name=left_when][value=from_2023]").await;
        wait_until(
            &client,
            "two are left",
            "return document.querySelectorAll('#nansen-errors li').length === 2",
        )
        .await;
        assert_eq!(text(&client, "#nansen-errors h2").await, "2 ответа требуют внимания");
        assert_eq!(attr(&client, "input[name=left_when][value=before_2022]", "aria-invalid").await, None);
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 0);
}

/// "Choose up to 3": once three are ticked the others are out of reach and the
/// question says why; "No, none of these" unticks the others, and is unticked by
/// another; each change is said politely.
#[tokio::test]
async fn a_fourth_choice_is_refused_and_an_option_that_goes_alone_clears_the_others() {
    let server = TestServer::start();
    let server = &server;
    with_browser("client_choices", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        assert_eq!(text(&client, "#q-reasons-limit").await, "Можно выбрать не больше 3 вариантов.");
        assert_eq!(text(&client, "#q-reasons-help").await, "Выберите главные причины.", "said once");
        assert_eq!(attr(&client, "#q-reasons-status", "aria-live").await.as_deref(), Some("polite"));
        for reason in ["war_opposition", "mobilisation", "safety"] {
            click(&client, &format!("input[name=reasons][value={reason}]")).await;
        }
        assert_eq!(
            text(&client, "#q-reasons-status").await,
            "Больше выбрать нельзя. Чтобы выбрать другой вариант, сначала снимите одну из отметок."
        );
        let fourth = wait(&client, "input[name=reasons][value=economy]").await;
        assert_eq!(fourth.attr("disabled").await.unwrap().as_deref(), Some("true"));
        // A click on it changes nothing.
        let _ = fourth.click().await;
        assert!(!fourth.is_selected().await.unwrap());
        assert_eq!(eval(&client, "document.querySelectorAll('input[name=reasons]:checked').length").await, 3);
        // Unticking one makes room again.
        click(&client, "input[name=reasons][value=safety]").await;
        wait_until(
            &client,
            "the others are back",
            "return !document.querySelector('input[name=reasons][value=economy]').disabled",
        )
        .await;
        assert_eq!(text(&client, "#q-reasons-status").await, "");
        click(&client, "input[name=reasons][value=economy]").await;
        assert_eq!(eval(&client, "document.querySelectorAll('input[name=reasons]:checked').length").await, 3);

        // "No, none of these" goes alone.
        assert!(text(&client, "#q-activity-alone").await.starts_with("«Нет, ничего из этого» выбирается отдельно"));
        click(&client, "input[name=activity][value=donating]").await;
        click(&client, "input[name=activity][value=protests]").await;
        click(&client, "input[name=activity][value=none]").await;
        wait_until(
            &client,
            "only “none” is ticked",
            "return [...document.querySelectorAll('input[name=activity]:checked')].map(i => i.value).join() === 'none'",
        )
        .await;
        assert_eq!(
            text(&client, "#q-activity-status").await,
            "«Нет, ничего из этого» выбирается отдельно, поэтому остальные отметки сняты."
        );
        click(&client, "input[name=activity][value=volunteering]").await;
        wait_until(
            &client,
            "only volunteering is ticked",
            "return [...document.querySelectorAll('input[name=activity]:checked')].map(i => i.value).join() === 'volunteering'",
        )
        .await;
        assert_eq!(
            text(&client, "#q-activity-status").await,
            "Отметка «Нет, ничего из этого» снята: этот вариант выбирается отдельно."
        );
        screenshot(&client, "client_choices").await;

        // Sent as ticked: three reasons, one activity.
        answer_required(&client, &["reasons"]).await;
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Ваши ответы учтены"));
    })
    .await;
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 1);
    let reasons: Vec<u64> = ["war_opposition", "mobilisation", "safety", "economy"]
        .iter()
        .map(|r| counted.chose("reasons", r))
        .collect();
    assert_eq!(reasons, [1, 1, 0, 1]);
    assert_eq!((counted.chose("activity", "volunteering"), counted.chose("activity", "none")), (1, 0));
}

/// The progress line counts only answers that would be accepted: an age out of range
/// is not one, until it is corrected.
#[tokio::test]
async fn the_progress_counts_only_answers_that_would_be_accepted() {
    let server = TestServer::start();
    let server = &server;
    with_browser("client_progress", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_required(&client, &[]).await;
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 5 из 10");
        type_number(&client, "age", "150").await;
        // Said at once beside the field, and not counted as answered.
        assert_eq!(text(&client, "#q-age-error").await, "Введите целое число от 16 до 100.");
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 5 из 10");
        assert_eq!(eval(&client, "document.querySelector('.progress progress').value").await, 5);
        type_number(&client, "age", "4.5").await;
        assert_eq!(text(&client, "#q-age-error").await, "Введите целое число.");
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 5 из 10");
        type_number(&client, "age", "45").await;
        wait_until(&client, "the error is gone", "return !document.querySelector('#q-age-error')").await;
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 6 из 10");
    })
    .await;
}

/// A number question says its range and unit beside the field; the number itself is
/// typed and sent, and counted in its range.
#[tokio::test]
async fn a_number_is_typed_with_its_range_and_unit_said_and_counted() {
    let server = TestServer::start();
    let server = &server;
    with_browser("client_number", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        let field = "#q-age-input";
        assert_eq!(attr(&client, field, "type").await.as_deref(), Some("number"));
        assert_eq!(attr(&client, field, "inputmode").await.as_deref(), Some("numeric"));
        assert_eq!(attr(&client, field, "min").await.as_deref(), Some("16"));
        assert_eq!(attr(&client, field, "max").await.as_deref(), Some("100"));
        assert_eq!(attr(&client, field, "aria-labelledby").await.as_deref(), Some("q-age-legend"));
        assert_eq!(attr(&client, field, "aria-describedby").await.as_deref(), Some("q-age-range"));
        assert_eq!(text(&client, "#q-age-range").await, "От 16 до 100 лет.");
        assert_eq!(text(&client, "#q-age .unit").await, "лет");
        // Its accessible name is the question, as a screen reader says it.
        let named = "(() => { const f = document.querySelector('#q-age-input'); \
            return f.labels.length === 0 && document.getElementById(f.getAttribute('aria-labelledby')).textContent; })()";
        assert!(eval(&client, named).await.as_str().unwrap().contains("Сколько вам лет?"));
        answer_required(&client, &[]).await;
        type_number(&client, "age", "100").await;
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Ваши ответы учтены"));
    })
    .await;
    let counted = server.counts("diaspora");
    assert_eq!((counted.answered("age"), counted.chose("age", "65_100")), (1, 1));
}

/// After counting, the client goes to the confirmation page: the survey's title, that
/// the answers were counted, and in a sentence what happens to them now.
#[tokio::test]
async fn the_confirmation_says_under_the_title_what_happens_to_the_answers() {
    let server = TestServer::start();
    let server = &server;
    with_browser("client_confirmation", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_required(&client, &[]).await;
        click(&client, "button.send").await;
        wait_until(&client, "the confirmation", "return location.pathname === '/s/diaspora/done'").await;
        assert_eq!(text(&client, "h1").await, "Life after leaving");
        assert_eq!(eval(&client, "document.title").await, "Answers counted — Life after leaving");
        assert_eq!(text(&client, ".notice.success").await, "Your answers were counted. Thank you!");
        assert_eq!(
            text(&client, ".counted-next").await,
            "They were added to the totals, and nothing that could identify you was kept. Results are \
             released only from time to time, once enough new people have answered, with random noise \
             that protects each person. You can close this page."
        );
        assert!(client.find(Locator::Css("form")).await.is_err(), "nothing of the form is left");
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 1);
}
