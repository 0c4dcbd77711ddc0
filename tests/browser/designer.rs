//! The questionnaire designer keeps an admin's work (issue 14): a question's new id
//! reaches the conditions and cross-tabulations that name it only once committed;
//! leaving with unsaved changes asks; removals ask, saying what goes; Undo brings back;
//! the new-survey form picks languages and wants a title; a published survey shows its
//! live link and QR code; bins and units have labels; and the staff screens speak
//! Russian.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::driver::{Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer};
use crate::staff::{log_in, type_into};

/// WebDriver's Tab key: leaves a field (committing what was typed).
const TAB: &str = "\u{E004}";

/// The admin's view of `slug` (draft and all).
fn admin_survey(server: &TestServer, slug: &str) -> Value {
    let cookie = server.login_admin();
    let reply = server.get_with(&format!("/api/v1/admin/surveys/{slug}"), &[("cookie", &cookie)]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

/// Saves `definition` as the draft of its survey.
fn save_draft(server: &TestServer, definition: &Value) {
    let cookie = server.login_admin();
    let path = format!("/api/v1/admin/surveys/{}", definition["slug"].as_str().unwrap());
    let reply = server.send("PUT", &path, Some(definition), &[("cookie", &cookie)]);
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn value(client: &Client, css: &str) -> String {
    wait(client, css).await;
    let found = eval(client, &format!("document.querySelector({}).value", json!(css))).await;
    found.as_str().unwrap_or_default().to_owned()
}

/// The designer of `slug`, logged in as the admin.
/// A picture of the page as it is, when asked for (`NANSEN_SCREENSHOTS`), to review the
/// layout: `target/browser-screenshots/{name}.png`, scrolled to `css`.
async fn picture(client: &Client, name: &str, css: &str) {
    if std::env::var_os("NANSEN_SCREENSHOTS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    client.execute("document.querySelector(arguments[0])?.scrollIntoView()", vec![json!(css)]).await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), client.screenshot().await.unwrap()).unwrap();
}

async fn open_designer(client: &Client, server: &TestServer, slug: &str) {
    client.goto(&server.url(&format!("/admin/surveys/{slug}"))).await.unwrap();
    log_in(client, "admin", ADMIN_PASSWORD).await;
    wait(client, "#editor-form").await;
}

#[tokio::test]
async fn a_renamed_question_takes_its_references_along_only_when_the_id_is_committed() {
    let server = TestServer::start();
    // The default survey, with a condition on `left_when` too: `left_when` is then named
    // by a condition (of `reasons`) and a cross-tabulation (left_when × return_intention).
    let mut definition = admin_survey(&server, "diaspora")["definition"].clone();
    definition.as_object_mut().unwrap().remove("version");
    definition["questions"][3]["show_if"] = json!({"question": "left_when", "any_of": ["from_2023"]});
    save_draft(&server, &definition);
    let server = &server;
    with_browser("designer_rename", Setup::DESKTOP, |client| async move {
        open_designer(&client, server, "diaspora").await;
        let references = || async {
            (
                value(&client, "#f-questions-3-show_if-question").await,
                value(&client, "#f-crosstabs-0-rows").await,
                value(&client, "#f-crosstabs-0-columns").await,
                value(&client, "#f-crosstabs-1-columns").await,
                value(&client, "#f-questions-9-show_if-question").await,
            )
        };
        let before = references().await;
        assert_eq!(
            before,
            (
                "left_when".into(),
                "left_when".into(),
                "return_intention".into(),
                "return_intention".into(),
                "return_intention".into()
            )
        );

        // Letter by letter, through "return_intention", another question's id that
        // conditions and cross-tabulations name: nothing follows the keystrokes.
        let field = wait(&client, "#f-questions-2-id").await;
        field.clear().await.unwrap();
        for letter in "return_intention2".chars() {
            field.send_keys(&letter.to_string()).await.unwrap();
        }
        assert_eq!(value(&client, "#f-questions-2-id").await, "return_intention2");
        let typed = references().await;
        assert_eq!(typed, before, "references moved while the id was being typed");

        // Committed (the field is left): the references to this question follow it, and
        // only those.
        field.send_keys(TAB).await.unwrap();
        wait(&client, "fieldset[data-question=return_intention2]").await;
        assert_eq!(
            references().await,
            (
                "return_intention2".into(),
                "return_intention2".into(),
                "return_intention".into(),
                "return_intention".into(),
                "return_intention".into()
            )
        );

        // Another question's id is refused when committed, saying why, and nothing moves.
        type_into(&client, "#f-questions-2-id", "reasons").await;
        wait(&client, "#f-questions-2-id").await.send_keys("\u{E007}").await.unwrap();
        let refused = text(&client, "#f-questions-2-id-error").await;
        assert!(refused.contains("Question 4") && refused.contains("reasons"), "{refused}");
        assert_eq!(value(&client, "#f-crosstabs-0-rows").await, "return_intention2");
        wait(&client, "fieldset[data-question=return_intention2]").await;

        type_into(&client, "#f-questions-2-id", "return_intention2").await;
        wait(&client, "#f-questions-2-id").await.send_keys(TAB).await.unwrap();
        click(&client, "#save").await;
        wait(&client, "#status[data-unsaved=false]").await;
    })
    .await;
    let saved = &admin_survey(server, "diaspora")["definition"];
    assert_eq!(saved["questions"][2]["id"], "return_intention2");
    assert_eq!(saved["questions"][3]["show_if"]["question"], "return_intention2");
    assert_eq!(saved["questions"][9]["show_if"]["question"], "return_intention");
    assert_eq!(saved["crosstabs"][0], json!({"rows": "return_intention2", "columns": "return_intention"}));
    assert_eq!(saved["crosstabs"][1], json!({"rows": "citizenship", "columns": "return_intention"}));
}

/// How many texts of `definition` are written in `lang` (every `"lang": text` of a
/// localized text).
fn texts_in(definition: &Value, lang: &str) -> usize {
    match definition {
        Value::Object(map) => {
            usize::from(map.get(lang).is_some_and(|t| t.as_str().is_some_and(|t| !t.is_empty())))
                + map.values().map(|v| texts_in(v, lang)).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(|v| texts_in(v, lang)).sum(),
        _ => 0,
    }
}

#[tokio::test]
async fn unsaved_work_is_guarded_removals_ask_and_undo_brings_back() {
    let server = TestServer::start();
    let english = texts_in(&admin_survey(&server, "diaspora")["definition"], "en");
    assert!(english > 20, "{english}");
    let server = &server;
    with_browser("designer_keeps_work", Setup::DESKTOP, |client| async move {
        open_designer(&client, server, "diaspora").await;
        type_into(&client, "#f-title-en", "Diaspora survey, edited").await;
        wait(&client, "#status[data-unsaved=true]").await;

        // Leaving through the app asks; staying keeps the change.
        click(&client, "#nav-research").await;
        wait(&client, "#leave-dialog").await;
        wait_until(&client, "Stay has the focus", "return document.activeElement?.id === 'leave-cancel'")
            .await;
        click(&client, "#leave-cancel").await;
        assert_eq!(value(&client, "#f-title-en").await, "Diaspora survey, edited");
        assert_eq!(eval(&client, "location.pathname").await, "/admin/surveys/diaspora");
        // Closing or reloading the tab: the page asks the browser to ask.
        let asked = eval(
            &client,
            "(() => { const e = new Event('beforeunload', {cancelable: true}); \
             window.dispatchEvent(e); return e.defaultPrevented; })()",
        )
        .await;
        assert_eq!(asked, true);

        // Removing a language asks first, saying how many texts go with it.
        click(&client, "#language-en-remove").await;
        let asked = text(&client, "#language-en-remove-question").await;
        assert_eq!(asked, format!("Remove English and its {english} texts?"));
        click(&client, "#language-en-remove-cancel").await;
        wait(&client, "li[data-language=en] #language-en-remove").await;
        assert_eq!(value(&client, "#f-title-en").await, "Diaspora survey, edited");

        click(&client, "#language-en-remove").await;
        click(&client, "#language-en-remove-confirm").await;
        wait_until(&client, "English is gone", "return !document.querySelector('li[data-language=en]')")
            .await;
        assert_eq!(eval(&client, "!!document.querySelector('#f-title-en')").await, false);

        // Undo brings it back with every text.
        click(&client, "#undo").await;
        wait(&client, "li[data-language=en]").await;
        assert_eq!(value(&client, "#f-title-en").await, "Diaspora survey, edited");
        assert!(!value(&client, "#f-questions-0-prompt-en").await.is_empty());

        // A question too asks before it goes; Ctrl+Z outside a text field undoes.
        click(&client, "#f-questions-1-remove").await;
        assert!(
            text(&client, "#f-questions-1-remove-question").await.starts_with("Remove question 2 “country”")
        );
        click(&client, "#f-questions-1-remove-confirm").await;
        wait(&client, "fieldset[data-question=left_when]#f-questions-1").await;
        client
            .execute(
                "document.activeElement?.blur(); document.body.dispatchEvent(new KeyboardEvent('keydown', \
                 {key: 'z', ctrlKey: true, bubbles: true, cancelable: true}));",
                vec![],
            )
            .await
            .unwrap();
        wait(&client, "fieldset[data-question=country]#f-questions-1").await;

        // Logging out would lose them too: it asks the same way.
        click(&client, "#logout").await;
        wait(&client, "#leave-dialog").await;
        click(&client, "#leave-cancel").await;
        wait(&client, "#whoami").await;
        assert_eq!(eval(&client, "!!document.querySelector('#leave-dialog')").await, false);

        // Leaving for good, when confirmed.
        click(&client, "#nav-research").await;
        picture(&client, "designer_leave", "h1").await;
        click(&client, "#leave-confirm").await;
        wait(&client, "section.research-list").await;
        assert_eq!(eval(&client, "location.pathname").await, "/research");
    })
    .await;
    // Nothing was saved.
    assert_ne!(admin_survey(server, "diaspora")["definition"]["title"]["en"], "Diaspora survey, edited");
}

#[tokio::test]
async fn a_new_survey_picks_its_languages_and_needs_a_title_in_the_default_one() {
    let server = TestServer::start();
    let server = &server;
    with_browser("designer_new_survey", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin/new")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, "#new-lang-en").await;
        // Nothing is ticked for the admin; the four interface languages are offered.
        let ticked =
            eval(&client, "[...document.querySelectorAll('#new-languages input:checked')].length").await;
        assert_eq!(ticked, 0);
        for lang in ["en", "ru", "uk", "be"] {
            wait(&client, &format!("#new-lang-{lang}")).await;
        }
        type_into(&client, "#new-slug", "exit-poll").await;
        click(&client, "#new-lang-ru").await;
        click(&client, "#new-lang-en").await;
        // The first ticked is the default, and the page says so; both titles are there.
        assert!(text(&client, "#new-default-note").await.starts_with("Russian is the default"));
        assert!(text(&client, "label[for=new-title-ru]").await.contains("required"));
        wait(&client, "#new-title-en").await;

        // No title in the default language: refused, next to the field.
        click(&client, "#new-submit").await;
        let error = text(&client, "#new-title-error").await;
        assert!(error.contains("Russian"), "{error}");
        wait_until(
            &client,
            "the title has the focus",
            "return document.activeElement?.id === 'new-title-ru'",
        )
        .await;
        assert_eq!(server.get("/api/v1/surveys/exit-poll").status, 404);

        // English made the default; another language added by its tag, with Enter.
        click(&client, "#new-default-en").await;
        assert!(text(&client, "#new-default-note").await.starts_with("English is the default"));
        type_into(&client, "#new-lang-other", "pt-BR").await;
        wait(&client, "#new-lang-other").await.send_keys("\u{E007}").await.unwrap();
        wait(&client, "#new-lang-pt-br:checked").await;
        // Every field stayed in view throughout.
        wait(&client, "#new-slug").await;
        let order = eval(&client, "[...document.querySelectorAll('#new-titles input')].map(i => i.id)").await;
        assert_eq!(order, json!(["new-title-en", "new-title-ru", "new-title-pt-br"]));

        picture(&client, "designer_new_survey", "h1").await;
        type_into(&client, "#new-title-en", "Exit poll").await;
        click(&client, "#new-submit").await;
        wait(&client, "#editor-form").await;
        assert_eq!(eval(&client, "location.pathname").await, "/admin/surveys/exit-poll");
    })
    .await;
    let created = &admin_survey(server, "exit-poll")["definition"];
    assert_eq!(created["languages"], json!(["en", "ru", "pt-br"]));
    assert_eq!(created["title"], json!({"en": "Exit poll"}));
}

#[tokio::test]
async fn bins_and_units_are_labelled_in_every_language() {
    let server = TestServer::start();
    let server = &server;
    with_browser("designer_bins", Setup::DESKTOP, |client| async move {
        open_designer(&client, server, "diaspora").await;
        // The age question (the 11th): its unit, and each bin's label, per language.
        assert_eq!(value(&client, "#f-questions-10-bins-5-label-en").await, "65+");
        type_into(&client, "#f-questions-10-unit-en", "years").await;
        type_into(&client, "#f-questions-10-unit-ru", "лет").await;
        // A text in some languages only is a problem, named in words and leading there.
        type_into(&client, "#f-questions-10-unit-uk", "").await;
        let problem = "#problems-list li[data-pointer='#/questions/10/unit/uk'] a";
        assert_eq!(text(&client, problem).await, "Question 11 (age), Ukrainian unit");
        click(&client, problem).await;
        wait_until(
            &client,
            "the unit field has the focus",
            "return document.activeElement?.id === 'f-questions-10-unit-uk'",
        )
        .await;
        type_into(&client, "#f-questions-10-unit-uk", "років").await;
        type_into(&client, "#f-questions-10-unit-be", "гадоў").await;
        type_into(&client, "#f-questions-10-bins-0-label-en", "under 25").await;
        type_into(&client, "#f-questions-10-bins-0-label-be", "да 25").await;
        type_into(&client, "#f-questions-10-bins-0-label-ru", "").await;
        let bin = "#problems-list li[data-pointer='#/questions/10/bins/0/label/ru'] a";
        assert_eq!(text(&client, bin).await, "Question 11 (age), bin 1 (16_24), Russian label");
        type_into(&client, "#f-questions-10-bins-0-label-ru", "до 25").await;
        type_into(&client, "#f-questions-10-bins-0-label-uk", "до 25").await;
        wait(&client, "#problems-none").await;
        click(&client, "#save").await;
        wait(&client, "#status[data-unsaved=false]").await;
    })
    .await;
    let age = &admin_survey(server, "diaspora")["definition"]["questions"][10];
    assert_eq!(age["unit"], json!({"en": "years", "ru": "лет", "uk": "років", "be": "гадоў"}));
    assert_eq!(
        age["bins"][0]["label"],
        json!({"en": "under 25", "ru": "до 25", "uk": "до 25", "be": "да 25"})
    );
}

#[tokio::test]
async fn publishing_shows_the_live_link_and_its_qr_code_and_the_status_follows() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let definition = json!({
        "slug": "exit-poll",
        "languages": ["en"],
        "title": {"en": "Exit poll"},
        "questions": [{"id": "mood", "kind": "single", "prompt": {"en": "How are you?"},
            "options": [{"code": "good", "label": {"en": "Good"}}, {"code": "bad", "label": {"en": "Bad"}}]}]
    });
    let created = server.send("POST", "/api/v1/admin/surveys", Some(&definition), &[("cookie", &cookie)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let server = &server;
    with_browser("designer_publish", Setup::DESKTOP, |client| async move {
        open_designer(&client, server, "exit-poll").await;
        assert!(text(&client, "#status").await.starts_with("Draft, never published: ready to publish"));
        assert_eq!(text(&client, "#problems-none").await, "The definition can be published.");
        assert_eq!(eval(&client, "!!document.querySelector('#share')").await, false);

        click(&client, "#publish").await;
        wait(&client, "#status[data-status=open]").await;
        assert_eq!(value(&client, "#live-link").await, server.url("/s/exit-poll"));
        let path = wait(&client, "svg#qr-code path").await.attr("d").await.unwrap().unwrap_or_default();
        assert!(path.matches('M').count() > 100, "{path}");
        let title = eval(&client, "document.querySelector('#qr-title').textContent").await;
        assert!(title.as_str().unwrap().ends_with("/s/exit-poll"), "{title}");
        assert!(text(&client, "#status").await.starts_with("Open, version 1, no unpublished changes"));
        picture(&client, "designer_published", "h1").await;
        assert_eq!(text(&client, "#problems-none").await, "Published as version 1; nothing new to publish.");

        // A change: the status and the panel say it is not published yet.
        type_into(&client, "#f-title-en", "Exit poll 2").await;
        assert!(text(&client, "#status").await.starts_with("Open, version 1, with unpublished changes"));
        assert_eq!(text(&client, "#problems-none").await, "The changes can be published, as version 2.");
        type_into(&client, "#f-title-en", "Exit poll").await;
        wait(&client, "#status[data-unsaved=false]").await;

        // Closing asks, then the survey is closed everywhere on the page.
        click(&client, "#close-survey").await;
        click(&client, "#close-survey-confirm").await;
        wait(&client, "#status[data-status=closed]").await;
        assert!(text(&client, "#status").await.starts_with("Closed (version 1)"));
        assert!(text(&client, "#problems-none").await.starts_with("The survey is closed (version 1)"));
        assert_eq!(eval(&client, "!!document.querySelector('#share')").await, false);
    })
    .await;
}

#[tokio::test]
async fn the_designer_speaks_russian_and_remembers_it() {
    let server = TestServer::start();
    let server = &server;
    with_browser("designer_russian", Setup::DESKTOP, |client| async move {
        open_designer(&client, server, "diaspora").await;
        type_into(&client, "#f-title-en", "Diaspora, edited before switching").await;
        wait(&client, "#staff-language").await.select_by_value("ru").await.unwrap();
        wait_until(&client, "the page is in Russian", "return document.documentElement.lang === 'ru'").await;
        assert_eq!(text(&client, "#save").await, "Сохранить черновик");
        assert_eq!(text(&client, "#tab-preview").await, "Просмотр");
        assert_eq!(text(&client, "#nav-admin").await, "Опросы");
        assert_eq!(text(&client, "#general-heading").await, "Опрос");
        assert!(text(&client, "#status").await.contains("есть несохранённые изменения"));
        // What was being edited stays.
        assert_eq!(value(&client, "#f-title-en").await, "Diaspora, edited before switching");
        // Problems are named in Russian, language names included; counts agree in number.
        type_into(&client, "#f-title-ru", "").await;
        let problem = text(&client, "#problems-list li[data-pointer='#/title/ru'] a").await;
        assert_eq!(problem, "Название, русский");
        assert_eq!(text(&client, "#problems-heading").await, "Проблемы (1)");
        click(&client, "#language-uk-remove").await;
        let asked = text(&client, "#language-uk-remove-question").await;
        assert!(asked.starts_with("Удалить язык (украинский) и "), "{asked}");
        assert!(asked.ends_with(" на нём?"), "{asked}");
        picture(&client, "designer_russian", "#general-heading").await;
        click(&client, "#language-uk-remove-cancel").await;

        // Remembered in this browser: a new page starts in Russian.
        click(&client, "#undo").await;
        click(&client, "#save").await;
        wait(&client, "#status[data-unsaved=false]").await;
        client.goto(&server.url("/research")).await.unwrap();
        wait_until(
            &client,
            "the results list is in Russian",
            "return document.querySelector('h1')?.textContent === 'Результаты'",
        )
        .await;
        assert_eq!(eval(&client, "localStorage.getItem('nansen-staff-language')").await, "ru");
    })
    .await;
}
