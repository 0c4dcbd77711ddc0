//! Staff in a real browser: an admin designs a small survey and publishes it; a
//! researcher reads a release's counts, sees suppression, and downloads the CSV.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::driver::{Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer, fresh_key};

pub(crate) async fn log_in(client: &Client, username: &str, password: &str) {
    wait(client, "#login-username").await.send_keys(username).await.unwrap();
    wait(client, "#login-password").await.send_keys(password).await.unwrap();
    click(client, "#login-submit").await;
    wait_until(
        client,
        "logged in",
        &format!(
            "return (document.querySelector('#whoami') || {{}}).textContent?.includes('{username}') === true"
        ),
    )
    .await;
}

/// Types into an editor field (replacing what is there).
pub(crate) async fn type_into(client: &Client, css: &str, value: &str) {
    let field = wait(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

#[tokio::test]
async fn an_admin_builds_a_small_survey_and_publishes_it() {
    let server = TestServer::start();
    let server = &server;
    with_browser("staff_admin_builds", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, "#survey-table tr[data-slug=diaspora]").await;

        click(&client, "#new-survey").await;
        type_into(&client, "#new-slug", "exit-poll").await;
        click(&client, "#new-lang-en").await;
        click(&client, "#new-lang-ru").await;
        type_into(&client, "#new-title-en", "Exit poll").await;
        type_into(&client, "#new-title-ru", "Экзит-пол").await;
        click(&client, "#new-submit").await;

        // The starter question: a single choice with two options, texts to be written.
        type_into(&client, "#f-questions-0-id", "mood").await;
        type_into(&client, "#f-questions-0-prompt-en", "How do you feel?").await;
        type_into(&client, "#f-questions-0-prompt-ru", "Как вы себя чувствуете?").await;
        for (j, (en, ru)) in [("Good", "Хорошо"), ("Bad", "Плохо")].into_iter().enumerate() {
            type_into(&client, &format!("#f-questions-0-options-{j}-label-en"), en).await;
            type_into(&client, &format!("#f-questions-0-options-{j}-label-ru"), ru).await;
        }
        click(&client, "#f-questions-0-required").await;
        // A third option, added and labelled.
        click(&client, "#f-questions-0-add-option").await;
        type_into(&client, "#f-questions-0-options-2-code", "mixed").await;
        type_into(&client, "#f-questions-0-options-2-label-en", "Mixed").await;
        type_into(&client, "#f-questions-0-options-2-label-ru", "Смешанно").await;
        wait(&client, "#problems-none").await;

        click(&client, "#save").await;
        wait(&client, "#status[data-unsaved=false]").await;
        click(&client, "#publish").await;
        wait(&client, "#status[data-status=open]").await;
        assert!(text(&client, "#outcome").await.to_lowercase().contains("publish"));
    })
    .await;

    let published = server.get("/api/v1/surveys/exit-poll").json();
    assert_eq!(published["version"], 1);
    let question = &published["questions"][0];
    assert_eq!(question["id"], "mood");
    assert_eq!(question["required"], true);
    assert_eq!(question["prompt"]["ru"], "Как вы себя чувствуете?");
    let codes: Vec<&str> =
        question["options"].as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 3);
    assert_eq!(codes[2], "mixed");
    // And respondents can answer it at once.
    let answers = json!({"mood": "mixed"});
    let reply = server.post_json(
        "/api/v1/surveys/exit-poll/responses",
        &json!({"version": 1, "answers": answers, "key": fresh_key()}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn a_researcher_sees_the_counts_with_suppression_and_downloads_the_csv() {
    let server = crate::releases::without_schedule();
    // Exact releases (noise off), so that suppression alone is what is seen.
    let version = server.publish_exact("diaspora", 5);
    let admin = server.login_admin();
    let created = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": "rita", "password": "researcher reads tables 7", "role": "researcher"})),
        &[("cookie", &admin)],
    );
    assert_eq!(created.status, 201);
    // Seven respondents: six left in 2023 or later, one before 2022.
    for left in ["from_2023", "from_2023", "from_2023", "from_2023", "from_2023", "from_2023", "before_2022"]
    {
        let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": left,
                             "reasons": ["economy"], "return_intention": "no"});
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
    }
    server.release("diaspora");
    let server = &server;
    with_browser("staff_researcher_reads", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/research")).await.unwrap();
        log_in(&client, "rita", "researcher reads tables 7").await;
        click(&client, "a.survey-link[data-slug=diaspora]").await;
        assert_eq!(wait(&client, "#respondents[data-count]").await.attr("data-count").await.unwrap().as_deref(), Some("7"));
        // A chart per question; the lone "before 2022" is suppressed, and so is its
        // complement, so that 7 - 6 cannot give it away: never drawn as zero.
        let chart = "svg.chart[data-question=left_when]";
        wait(&client, chart).await;
        let bars = eval(&client, &format!(
            "[...document.querySelectorAll('{chart} g.bar-row')].map(b => [b.dataset.option, b.dataset.count])"
        ))
        .await;
        let bars: Vec<(String, String)> = serde_json::from_value(bars).unwrap();
        assert!(bars.contains(&("before_2022".into(), "suppressed".into())), "{bars:?}");
        assert!(bars.contains(&("from_2023".into(), "suppressed".into())), "{bars:?}");
        assert!(bars.contains(&("feb_sep_2022".into(), "0".into())), "{bars:?}");
        wait(&client, "svg.chart[data-question=return_intention] g.bar-row[data-option=no][data-count='7']").await;
        assert!(text(&client, "#suppression-legend").await.contains('5'));
        assert!(text(&client, "#release-protection").await.starts_with("These are exact counts"));

        // The CSV download works with the researcher's session.
        let href = wait(&client, "a.download[data-format=csv]").await.attr("href").await.unwrap().unwrap();
        assert!(href.ends_with("release=1"), "{href}");
        let csv = client
            .execute_async(
                "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
                vec![Value::String(href)],
            )
            .await
            .unwrap();
        let csv = csv.as_str().unwrap();
        assert!(
            csv.starts_with(
                "survey,version,release,question,option,label,statistic,count,estimate,ci_low,ci_high,error95,mechanism,rho_spent,rho_budget,weights\n"
            ),
            "{csv}"
        );
        assert!(csv.contains(&format!("diaspora,{version},1,_respondents,,,respondents,7,,,,0,none,,,\n")), "{csv}");
        assert!(
            csv.contains(&format!("diaspora,{version},1,left_when,before_2022,Before February 2022,share,,,,,0,none,,,\n")),
            "{csv}"
        );
    })
    .await;
}
