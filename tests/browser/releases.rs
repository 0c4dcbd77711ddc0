//! Releases in a real browser: an admin asks for one in the designer (refused while too
//! few have answered, made once enough have), a researcher picks between releases and
//! reads, in plain words, how their counts are protected — exact counts when an admin
//! turned noise off, a ± bound when there is noise — and each share with its 95 % interval.

use std::sync::Arc;

use fantoccini::Client;
use serde_json::{Value, json};

use crate::driver::{Setup, click, eval, same_number, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, Rng, TestServer, fresh_key, valid_answers};
use crate::staff::{log_in, type_into};

/// A server whose release schedule looks only once an hour, so that every release in a
/// test is the one the test asks for.
pub(crate) fn without_schedule() -> TestServer {
    TestServer::start_with(
        Arc::new(tempfile::tempdir().unwrap()),
        &[("NANSEN_RELEASE_CHECK_SECONDS", "3600")],
    )
}

/// `n` valid answer sets to `slug`'s current version, ten at a time.
pub(crate) fn answer(server: &TestServer, slug: &str, n: usize, seed: u64) {
    let survey = server.survey(slug);
    let version = survey.version.unwrap();
    std::thread::scope(|scope| {
        for worker in 0..10 {
            let survey = &survey;
            scope.spawn(move || {
                let mut rng = Rng::new(seed * 100 + worker as u64);
                for _ in (worker..n).step_by(10) {
                    let answers = valid_answers(survey, &mut rng);
                    let reply = server.submit(slug, version, &answers, &fresh_key());
                    assert_eq!(reply.status, 200, "{}", reply.body);
                }
            });
        }
    });
}

/// `n` respondents who all answer the default survey alike, so that no count of theirs
/// is small enough to be suppressed.
fn answer_alike(server: &TestServer, version: u32, n: usize) {
    for _ in 0..n {
        let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": "from_2023",
                             "reasons": ["economy"], "return_intention": "no"});
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        let reply = server.post_json("/api/v1/surveys/diaspora/responses", &body);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

async fn attr(client: &Client, css: &str, name: &str) -> String {
    wait(client, css).await.attr(name).await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn an_admin_releases_exact_counts_and_a_researcher_picks_a_release() {
    let server = without_schedule();
    let version = server.publish_exact("diaspora", 5);
    let admin = server.login_admin();
    let created = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": "rita", "password": "researcher reads tables 7", "role": "researcher"})),
        &[("cookie", &admin)],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let server = &server;
    with_browser("releases_exact", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin/surveys/diaspora")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;

        // The designer shows the settings publish_exact chose, and what noise off means.
        wait(&client, "#release-status[data-made='0'][data-noise=false]").await;
        assert_eq!(eval(&client, "document.querySelector('#f-settings-releases-min_new').value").await, "5");
        assert_eq!(eval(&client, "document.querySelector('#f-settings-privacy-noise').checked").await, false);
        assert!(text(&client, "#noise-off-warning").await.contains("audit log"));
        assert!(text(&client, "#releases-new").await.starts_with("Fewer than 5 answers so far"));
        assert!(text(&client, "#releases-budget").await.starts_with("Noise is off"));

        // Too few answers: the server refuses, and its words are shown as they are.
        click(&client, "#release-now").await;
        let refused = text(&client, "#release-outcome.error").await;
        assert!(refused.contains("Fewer than 5 people have answered"), "{refused}");

        // A release setting the shared check refuses lands on its field, like any other.
        type_into(&client, "#f-settings-releases-min_new", "3").await;
        let problem = "#problems-list li a[href='#f-settings-releases-min_new']";
        click(&client, problem).await;
        wait_until(
            &client,
            "the min_new field has the focus",
            "return document.activeElement?.id === 'f-settings-releases-min_new'",
        )
        .await;
        type_into(&client, "#f-settings-releases-min_new", "5").await;
        wait(&client, "#problems-none").await;

        // Five answers: enough. The status says so after a reload; the button makes it.
        answer_alike(server, version, 5);
        client.refresh().await.unwrap();
        wait(&client, "#release-status[data-enough-new=true]").await;
        assert!(text(&client, "#releases-new").await.starts_with("At least 5 answers so far"));
        click(&client, "#release-now").await;
        wait(&client, "#release-outcome[data-release='1']").await;
        assert!(text(&client, "#release-outcome").await.starts_with("Release 1 made ("));
        wait(&client, "#release-status[data-made='1'][data-enough-new=false]").await;
        assert!(text(&client, "#releases-made").await.starts_with("1 release made; the last on "));
        // Pictures of the designer's release parts, when asked for (to review the layout).
        if std::env::var_os("NANSEN_SCREENSHOTS").is_some() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            client
                .execute("document.querySelector('#release-status').scrollIntoView()", vec![])
                .await
                .unwrap();
            std::fs::write(dir.join("releases_designer.png"), client.screenshot().await.unwrap()).unwrap();
            client
                .execute("document.querySelector('#f-settings-releases').scrollIntoView()", vec![])
                .await
                .unwrap();
            std::fs::write(dir.join("releases_settings.png"), client.screenshot().await.unwrap()).unwrap();
        }

        // Five more, and a second release (through the API), for the researcher to pick from.
        answer_alike(server, version, 5);
        assert_eq!(server.release("diaspora")["release"]["number"], 2);

        click(&client, "#logout").await;
        log_in(&client, "rita", "researcher reads tables 7").await;
        client.goto(&server.url("/research/diaspora")).await.unwrap();

        // The latest release by default, exact, and said to be.
        wait(&client, ".results[data-release='2']").await;
        assert_eq!(attr(&client, "#respondents", "data-count").await, "10");
        assert_eq!(attr(&client, "#release-info", "data-noise").await, "false");
        let protection = text(&client, "#release-protection").await;
        assert!(protection.starts_with("These are exact counts"), "{protection}");
        assert!(protection.contains("an admin turned noise off"), "{protection}");
        assert!(text(&client, "#release-made").await.contains(&format!("version {version}")));
        // No noise, but the shares still have their intervals (sampling alone): an error
        // bar on every bar with a share.
        let (bars, shares) = (
            eval(&client, "document.querySelectorAll('svg.chart g.error-bar').length").await,
            eval(&client, "document.querySelectorAll('svg.chart g.bar-row[data-share]').length").await,
        );
        assert!(bars.as_u64().unwrap() > 0 && bars == shares, "{bars} error bars, {shares} shares");
        let options: Vec<String> = serde_json::from_value(
            eval(&client, "[...document.querySelectorAll('#release option')].map(o => o.textContent)").await,
        )
        .unwrap();
        assert_eq!(options.len(), 2, "{options:?}");
        assert!(options[0].starts_with("Release 2 — "), "{options:?}");
        assert!(
            options[1].starts_with("Release 1 — ")
                && options[1].ends_with(&format!("UTC (version {version})"))
        );

        // Picking release 1 shows it, and its downloads name it.
        wait(&client, "#release").await.select_by_value("1").await.unwrap();
        wait(&client, ".results[data-release='1']").await;
        assert_eq!(attr(&client, "#respondents", "data-count").await, "5");
        let href = attr(&client, "a.download[data-format=csv]", "href").await;
        assert!(href.ends_with("release=1"), "{href}");
        let csv = client
            .execute_async(
                "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
                vec![Value::String(href)],
            )
            .await
            .unwrap();
        assert!(
            csv.as_str()
                .unwrap()
                .contains(&format!("diaspora,{version},1,_respondents,,,respondents,5,,,,0,none,,,"))
        );
    })
    .await;
}

#[tokio::test]
async fn a_noisy_release_states_its_bound_and_draws_error_bars() {
    let server = without_schedule();
    let server = &server;
    with_browser("releases_noisy", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/research/diaspora")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        // Before the first release: the server's words, as a notice, not an error.
        let notice = text(&client, "#no-release").await;
        assert!(notice.starts_with("No results have been released yet"), "{notice}");
        assert!(notice.contains("50"), "{notice}");

        // The default survey, noise on: fifty answers, then its first release.
        answer(server, "diaspora", 50, 3);
        let released = server.release("diaspora");
        let error95 = released["release"]["noise"]["error95"].as_u64().unwrap();
        assert!(error95 > 0);
        client.refresh().await.unwrap();

        wait(&client, ".results[data-release='1']").await;
        assert_eq!(attr(&client, "#release-info", "data-noise").await, "true");
        let protection = text(&client, "#release-protection").await;
        assert!(
            protection.contains(&format!("95 % of counts are within ±{error95} of the true count")),
            "{protection}"
        );
        assert!(protection.contains("Privacy budget used: 0.1 of 1."), "{protection}");
        let mechanism = text(&client, "#release-mechanism").await;
        assert!(mechanism.contains("discrete Gaussian noise"), "{mechanism}");
        assert!(mechanism.contains("zero-concentrated differential privacy"), "{mechanism}");

        // Every shown count's bar is its share, with the share's 95 % interval (widened
        // for the noise) as its error bar; suppressed ones have neither.
        let chart = "svg.chart[data-question=return_intention]";
        assert_eq!(attr(&client, chart, "data-error95").await, error95.to_string());
        let rows: Vec<(String, String, Option<f64>, Option<f64>)> = serde_json::from_value(
            eval(
                &client,
                &format!(
                    "[...document.querySelectorAll('{chart} g.bar-row')].map(r => {{
                        const bar = r.querySelector('g.error-bar');
                        return [r.dataset.option, r.dataset.count, bar ? +bar.dataset.low : null,
                                bar ? +bar.dataset.high : null];
                    }})"
                ),
            )
            .await,
        )
        .unwrap();
        assert!(!rows.is_empty());
        let question =
            released["questions"].as_array().unwrap().iter().find(|q| q["id"] == "return_intention");
        for (option, count, low, high) in &rows {
            let released =
                question.unwrap()["counts"].as_array().unwrap().iter().find(|c| c["option"] == *option);
            let share = &released.unwrap()["share"];
            match count.parse::<u64>() {
                Ok(_) => {
                    assert!(same_number(*low, share["ci95"]["low"].as_f64()), "{rows:?}");
                    assert!(same_number(*high, share["ci95"]["high"].as_f64()), "{rows:?}");
                }
                Err(_) => assert_eq!((*low, *high), (None, None), "{rows:?}"),
            }
        }
        // The chart's text alternative and the legend say what the error bars are.
        let title = text(&client, &format!("{chart} title")).await;
        assert!(title.contains("the share’s 95 % interval"), "{title}");
        let legend = text(&client, "#error-bar-legend").await;
        assert!(legend.contains(&format!("±{error95} for 95 % of counts")), "{legend}");

        // A picture of the page, for whoever reviews the dashboard.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        std::fs::write(dir.join("releases_noisy_dashboard.png"), client.screenshot().await.unwrap()).unwrap();
        client
            .execute("document.querySelector(arguments[0]).scrollIntoView()", vec![json!(chart)])
            .await
            .unwrap();
        std::fs::write(dir.join("releases_noisy_chart.png"), client.screenshot().await.unwrap()).unwrap();
    })
    .await;
}
