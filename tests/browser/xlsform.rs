//! The designer's XLSForm import: a form Nansen cannot carry is refused with every cell
//! named, in a notice that passes axe-core; a good one opens in the editor, whose
//! "Export as XLSForm" link downloads it with the admin's session. And the realistic
//! Russian and English form, imported and published, answered in Chromium by the client
//! and without JavaScript, its grid and ranking included.

use serde_json::{Value, json};

use crate::axe::assert_accessible;
use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer};
use crate::respondent::type_number;
use crate::staff::log_in;
use crate::workbook::{relocation_form, workbook};

/// A small form in English and Russian; with `free_text`, also a question Nansen refuses.
fn form(free_text: bool) -> Vec<u8> {
    let mut survey = vec![
        vec!["type", "name", "label::English (en)", "label::Русский (ru)", "relevant"],
        vec!["select_one yn", "moved", "Have you moved?", "Вы переехали?"],
        vec!["select_multiple why", "why", "Why?", "Почему?", "${moved} = 'yes'"],
    ];
    if free_text {
        survey.insert(1, vec!["text", "name", "Your name?", "Ваше имя?"]);
    }
    let choices = vec![
        vec!["list_name", "name", "label::English (en)", "label::Русский (ru)"],
        vec!["yn", "yes", "Yes", "Да"],
        vec!["yn", "no", "No", "Нет"],
        vec!["why", "war", "The war", "Война"],
        vec!["why", "work", "Work", "Работа"],
    ];
    let settings =
        vec![vec!["form_id", "form_title", "form_title::Русский (ru)"], vec!["moving", "Moving", "Переезд"]];
    workbook(&[("survey", survey), ("choices", choices), ("settings", settings)])
}

/// Chooses `path` in the file field and sends the form.
async fn upload(client: &fantoccini::Client, path: &std::path::Path) {
    let field = wait(client, "#xlsform-file").await;
    // A file field keeps what was chosen before; a chosen file is replaced, not added to.
    let _ = field.clear().await;
    field.send_keys(&path.display().to_string()).await.unwrap();
    click(client, "#xlsform-submit").await;
}

#[tokio::test]
async fn the_designer_imports_an_xlsform_and_names_the_cells_it_refuses() {
    let server = TestServer::start();
    let server = &server;
    let dir = tempfile::tempdir().unwrap();
    let (bad, good) = (dir.path().join("refused.xlsx"), dir.path().join("moving.xlsx"));
    std::fs::write(&bad, form(true)).unwrap();
    std::fs::write(&good, form(false)).unwrap();
    with_browser("xlsform_import", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        click(&client, "#import-xlsform summary").await;
        // Nothing chosen yet: said, not sent.
        click(&client, "#xlsform-submit").await;
        assert!(text(&client, "#xlsform-error").await.contains(".xlsx"));

        upload(&client, &bad).await;
        wait(&client, "#xlsform-error .field-errors").await;
        let error = text(&client, "#xlsform-error").await;
        assert!(error.contains("#/survey/2/type"), "{error}");
        assert!(
            error.contains("Sheet \"survey\", row 2, column \"type\" (A): Nansen does not collect free text"),
            "{error}"
        );
        assert_accessible(&client, "the survey list, an XLSForm refused").await;

        upload(&client, &good).await;
        wait(&client, "#editor-form").await;
        assert!(client.current_url().await.unwrap().path().ends_with("/admin/surveys/moving"));
        let href = eval(&client, "document.querySelector('#export-xlsform').getAttribute('href')").await;
        assert_eq!(href, json!("/api/v1/admin/surveys/moving/xlsform"));
        // The link's download, with the session the page has.
        let script = "const done = arguments[arguments.length - 1];
            fetch(document.querySelector('#export-xlsform').href)
                .then(r => done([r.status, r.headers.get('content-disposition')]));";
        let reply = client.execute_async(script, vec![]).await.unwrap();
        assert_eq!(reply, json!([200, "attachment; filename=\"moving.xlsx\""]));
        assert_accessible(&client, "the designer of an imported XLSForm").await;
    })
    .await;
    let cookie = server.login_admin();
    let draft: Value = server.get_with("/api/v1/admin/surveys/moving", &[("cookie", &cookie)]).json();
    assert_eq!(
        draft["definition"]["questions"][1]["show_if"],
        json!({"question": "moved", "any_of": ["yes"]})
    );
    assert_eq!(draft["definition"]["languages"], json!(["en", "ru"]));
}

#[tokio::test]
async fn an_imported_xlsform_is_answered_in_the_browser_with_and_without_javascript() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let imported =
        server.post_bytes("/api/v1/admin/surveys/import", xlsx, &relocation_form(), &[("cookie", &cookie)]);
    assert_eq!(imported.status, 201, "{}", imported.body);
    let published =
        server.send("POST", "/api/v1/admin/surveys/relocation-2025/publish", None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
    let server = &server;

    // With the client, in Russian, on a phone.
    with_browser("xlsform_client", Setup::PHONE, |client| async move {
        client.goto(&server.url("/s/relocation-2025?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        assert_eq!(text(&client, "form.questionnaire h1").await, "Жизнь после переезда");
        wait(&client, "select[name=country]").await.select_by_value("GE").await.unwrap();
        // The group asked of those who left in 2022 or later opens with that answer.
        assert!(client.find(fantoccini::Locator::Css("#q-welcome")).await.is_err());
        click(&client, "input[name=left_when][value=y2022]").await;
        click(&client, "input[name=welcome][value='4']").await;
        type_number(&client, "age", "33").await;
        click(&client, "input[name=reasons][value=war]").await;
        click(&client, "input[name=reasons][value=work]").await;
        click(&client, "input[name=return][value=no]").await;
        // The table-list group, a grid of two rows; a low trust in the police opens the
        // question that depends on that row.
        click(&client, "input[name='trust.police'][value=low]").await;
        click(&client, "input[name='trust.courts'][value=high]").await;
        click(&client, "input[name=police_contact][value=yes]").await;
        // The rank question: two places.
        wait(&client, "select[name='needs.1']").await.select_by_value("papers").await.unwrap();
        wait(&client, "select[name='needs.2']").await.select_by_value("housing").await.unwrap();
        assert_accessible(&client, "an imported XLSForm (client, Russian, phone)").await;
        click(&client, "button.send").await;
        let notice = text(&client, ".notice.success").await;
        assert!(notice.starts_with("Ваши ответы учтены"), "{notice}");
    })
    .await;

    // Without JavaScript, in English: every question is on the page, its condition said.
    let setup = Setup { javascript: false, ..Setup::DESKTOP };
    with_browser("xlsform_nojs", setup, |client| async move {
        client.goto(&server.url("/s/relocation-2025?lang=en")).await.unwrap();
        wait(&client, "select[name=country]").await.select_by_value("AM").await.unwrap();
        click(&client, "input[name=left_when][value^=y2023]").await;
        click(&client, "input[name='reasons.war'][value='1']").await;
        click(&client, "input[name='reasons.mobilisation'][value='1']").await;
        click(&client, "input[name=welcome][value^='5']").await;
        click(&client, "input[name=return][value^=yes]").await;
        click(&client, "input[name='trust.police'][value^=high]").await;
        click(&client, "select[name='needs.1'] option[value^=language]").await;
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
        assert!(client.find(fantoccini::Locator::Css(LIVE_FORM)).await.is_err(), "the client never ran");
    })
    .await;

    let counted = server.counts("relocation-2025");
    assert_eq!(counted.respondents(), 2);
    assert_eq!((counted.chose("left_when", "y2022"), counted.chose("left_when", "y2023")), (1, 1));
    assert_eq!((counted.chose("reasons", "war"), counted.chose("reasons", "work")), (2, 1));
    assert_eq!((counted.chose("welcome", "4"), counted.chose("welcome", "5")), (1, 1));
    assert_eq!(counted.chose("age", "30_44"), 1);
    assert_eq!((counted.chose("trust", "police.low"), counted.chose("trust", "police.high")), (1, 1));
    assert_eq!(counted.chose("trust", "courts.high"), 1);
    assert_eq!(counted.chose("police_contact", "yes"), 1);
    assert_eq!(counted.answered("police_contact"), 1, "asked only after a low trust in the police");
    assert_eq!((counted.chose("needs", "papers.1"), counted.chose("needs", "housing.2")), (1, 1));
    assert_eq!(counted.chose("needs", "language.1"), 1);
}
