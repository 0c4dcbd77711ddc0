//! A grid and a ranking in a real browser: answered with the keyboard alone by the
//! client, answered without JavaScript in the plain form, and checked with axe-core on
//! the questionnaire, the designer (and its preview) and the dashboard.

use fantoccini::Client;
use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::axe::assert_accessible;
use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer, fresh_key};

fn text_in(en: &str, ru: &str) -> Value {
    json!({"en": en, "ru": ru})
}

/// A grid of two rows (family, work) of three answers, and a ranking of two places of
/// four items, neither required; a table of the grid's first row by the first item.
fn definition() -> Value {
    let item = |code: &str, en: &str, ru: &str| json!({"code": code, "label": text_in(en, ru)});
    json!({
        "slug": "kinds", "languages": ["en", "ru"], "title": text_in("Kinds", "Виды"),
        "questions": [
            {"id": "ties", "kind": "grid", "prompt": text_in("How strong is each tie?", "Насколько сильна каждая связь?"),
             "rows": [item("family", "Family", "Семья"), item("work", "Work", "Работа")],
             "options": [item("strong", "Strong", "Сильная"), item("weak", "Weak", "Слабая"), item("none", "None", "Нет")]},
            {"id": "priorities", "kind": "ranking", "max_ranked": 2,
             "prompt": text_in("What matters most?", "Что важнее всего?"),
             "items": [item("jobs", "Jobs", "Работа"), item("safety", "Safety", "Безопасность"),
                       item("schools", "Schools", "Школы"), item("housing", "Housing", "Жильё")]}
        ],
        "crosstabs": [{"rows": "ties", "rows_item": "family", "columns": "priorities", "columns_item": "jobs"}],
        "settings": {"min_cell": 3, "privacy": {"noise": false}, "releases": {"min_new": 3}}
    })
}

fn publish(server: &TestServer) {
    let cookie = server.login_admin();
    let created = server.send("POST", "/api/v1/admin/surveys", Some(&definition()), &[("cookie", &cookie)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let published = server.send("POST", "/api/v1/admin/surveys/kinds/publish", None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
}

/// Presses `keys` where the keyboard is.
async fn press(client: &Client, keys: &str) {
    client.active_element().await.unwrap().send_keys(keys).await.unwrap();
}

/// Presses Tab until the keyboard is on `css` (at most 40 times).
async fn tab_to(client: &Client, css: &str) {
    let here = format!("document.activeElement && document.activeElement.matches({css:?})");
    for _ in 0..40 {
        if eval(client, &here).await == Value::Bool(true) {
            return;
        }
        press(client, &char::from(Key::Tab).to_string()).await;
    }
    panic!("Tab never reached {css}");
}

#[tokio::test]
async fn a_grid_and_a_ranking_are_answered_with_the_keyboard_alone() {
    let server = TestServer::start();
    publish(&server);
    let server = &server;
    with_browser("kinds_keyboard", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/kinds?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        // Each radio is named by its row and its column.
        let name = "document.querySelector(\"input[name='ties.family'][value=strong]\").getAttribute('aria-labelledby')";
        assert_eq!(eval(&client, name).await, "q-ties-r-family q-ties-o-strong");
        assert_eq!(text(&client, "#q-ties-r-family").await, "Семья");
        // The grid scrolls within itself; the page never scrolls sideways.
        assert_eq!(eval(&client, "document.documentElement.scrollWidth <= window.innerWidth").await, true);
        assert_accessible(&client, "a grid and a ranking (client, Russian, phone)").await;

        eval(&client, "document.activeElement.blur() || true").await;
        // Into the first row's group: Space picks "strong"; into the second's: the
        // arrow key moves to "weak" and picks it.
        tab_to(&client, "input[name='ties.family']").await;
        press(&client, " ").await;
        tab_to(&client, "input[name='ties.work']").await;
        press(&client, " ").await;
        press(&client, &char::from(Key::Right).to_string()).await;
        wait(&client, "input[name='ties.work'][value=weak]:checked").await;
        // The second place opens once the first is filled.
        assert_eq!(eval(&client, "document.getElementById('priorities.2').disabled").await, true);
        tab_to(&client, "select[name='priorities.1']").await;
        press(&client, "Без").await; // "Безопасность", typed ahead
        wait_until(&client, "place 2 opens", "return !document.getElementById('priorities.2').disabled").await;
        tab_to(&client, "select[name='priorities.2']").await;
        // Stepping down the list passes over the item ranked first: said, not moved.
        press(&client, &char::from(Key::Down).to_string()).await;
        press(&client, &char::from(Key::Down).to_string()).await;
        let error = text(&client, "#q-priorities-error").await;
        assert_eq!(error, "«Безопасность» выбрано дважды: для каждого места выберите другой вариант.");
        press(&client, &char::from(Key::Down).to_string()).await; // Школы
        wait_until(&client, "the repeat is gone", "return !document.getElementById('q-priorities-error')").await;
        assert_eq!(text(&client, ".progress span").await, "Отвечено: 2 из 2");
        tab_to(&client, "button.send").await;
        press(&client, &char::from(Key::Enter).to_string()).await;
        let notice = text(&client, ".notice.success").await;
        assert!(notice.starts_with("Ваши ответы учтены"), "{notice}");
    })
    .await;
    let counted = server.counts("kinds");
    assert_eq!((counted.chose("ties", "family.strong"), counted.chose("ties", "work.weak")), (1, 1));
    assert_eq!((counted.chose("priorities", "safety.1"), counted.chose("priorities", "schools.2")), (1, 1));
}

#[tokio::test]
async fn without_javascript_a_grid_and_a_ranking_are_answered_in_the_plain_form() {
    let server = TestServer::start();
    publish(&server);
    let server = &server;
    let setup = Setup { javascript: false, ..Setup::DESKTOP };
    with_browser("kinds_nojs", setup, |client| async move {
        client.goto(&server.url("/s/kinds?lang=en")).await.unwrap();
        click(&client, "input[name='ties.family'][value^=none]").await;
        wait(&client, "select[name='priorities.1']").await.select_by_value("housing").await.unwrap();
        wait(&client, "select[name='priorities.2']").await.select_by_value("housing").await.unwrap();
        click(&client, "button.send").await;
        // A repeat comes back said, the answers kept.
        let error = text(&client, "#q-priorities.invalid .error").await;
        assert_eq!(error, "“Housing” is ranked twice: choose a different item for each place.");
        assert!(wait(&client, "input[name='ties.family'][value^=none]").await.is_selected().await.unwrap());
        wait(&client, "select[name='priorities.2']").await.select_by_value("jobs...").await.unwrap();
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
    })
    .await;
    // The plain form's table and lists, checked by axe-core (which needs JavaScript:
    // here WebAssembly is off, so the client does not take the form over).
    let plain = Setup { webassembly: false, ..Setup::PHONE };
    with_browser("kinds_plain_axe", plain, |client| async move {
        client.goto(&server.url("/s/kinds?lang=ru")).await.unwrap();
        wait(&client, "form.questionnaire table.grid").await;
        assert_accessible(&client, "a grid and a ranking (plain form, Russian, phone)").await;
    })
    .await;
    let counted = server.counts("kinds");
    assert_eq!(counted.respondents(), 1);
    assert_eq!(counted.chose("ties", "family.none"), 1);
    assert_eq!(counted.answered("ties"), 1, "the row left at “no answer” is not counted");
    assert_eq!((counted.chose("priorities", "housing.1"), counted.chose("priorities", "jobs.2")), (1, 1));
}

#[tokio::test]
async fn the_designer_and_the_dashboard_of_a_grid_and_a_ranking_have_no_serious_violations() {
    let server = crate::releases::without_schedule();
    publish(&server);
    for (grid, ranked) in
        [("strong", ["jobs", "safety"]), ("weak", ["safety", "jobs"]), ("strong", ["jobs", "housing"])]
    {
        for _ in 0..3 {
            let answers = json!({"ties": {"family": grid}, "priorities": ranked});
            let body = json!({"version": 1, "answers": answers, "key": fresh_key()});
            assert_eq!(server.post_json("/api/v1/surveys/kinds/responses", &body).status, 200);
        }
    }
    server.release("kinds");
    let server = &server;
    with_browser("kinds_staff", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin")).await.unwrap();
        crate::staff::log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, "a.edit-link[data-slug=kinds]").await;
        click(&client, "a.edit-link[data-slug=kinds]").await;
        wait(&client, "#editor-form").await;
        // The rows, the answers and the items are tables of their own.
        let captions = "Array.from(document.querySelectorAll('table.options caption')).map(c => c.textContent).join('|')";
        assert_eq!(eval(&client, captions).await, "Rows|Answers (the same for every row)|Items to rank");
        assert_accessible(&client, "the designer, editing a grid and a ranking").await;
        click(&client, "#tab-preview").await;
        wait(&client, "#preview table.grid").await;
        wait(&client, "#preview select[name='priorities.1']").await;
        assert_accessible(&client, "the designer's preview of a grid and a ranking").await;

        client.goto(&server.url("/research/kinds")).await.unwrap();
        wait(&client, ".results[data-release='1']").await;
        // A part per row and per item, each with its chart; the mean place of jobs:
        // (6 × 1 + 3 × 2) / 9.
        wait(&client, "section.part-results[data-part=family] svg.chart").await;
        let mean = text(&client, "#mean-priorities-jobs").await;
        assert!(mean.starts_with("Mean place 1.3 (95 %: "), "{mean}");
        assert!(mean.ends_with("among the 9 who ranked it"), "{mean}");
        assert_accessible(&client, "the dashboard of a grid and a ranking").await;
    })
    .await;
}
