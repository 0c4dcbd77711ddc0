//! The designer's XLSForm import: a form Nansen cannot carry is refused with every cell
//! named, in a notice that passes axe-core; a good one opens in the editor, whose
//! "Export as XLSForm" link downloads it with the admin's session.

use serde_json::{Value, json};

use crate::axe::assert_accessible;
use crate::driver::{Setup, click, eval, text, wait, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer};
use crate::staff::log_in;
use crate::workbook::workbook;

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
