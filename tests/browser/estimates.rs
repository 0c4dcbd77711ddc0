//! The researcher's dashboard as a paper would print it, in a real browser: each answer's
//! share with its 95 % interval (in the table, and drawn as the bar and its error bar),
//! a number question's mean, shares weighted to a target population through a declared
//! cross-tabulation, and downloads in every format that name their release and carry
//! the weights.

use fantoccini::Client;
use nansen_shared::ExportFormat;
use serde_json::{Value, json};

use crate::axe::assert_accessible;
use crate::driver::{Setup, click, eval, same_number, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, fresh_key};
use crate::releases::{answer, without_schedule};
use crate::staff::{log_in, type_into};

/// Ten respondents: five left in 2023 and will not return, five before 2022 and will
/// return soon; nine give their age, 20, 30, 40, 20, 30, … (mean 30, SD √75).
fn ten(server: &crate::helpers::TestServer, version: u32) {
    for i in 0..10 {
        let (left, back) = if i < 5 { ("from_2023", "no") } else { ("before_2022", "soon") };
        let mut answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": left,
                                 "reasons": ["economy"], "return_intention": back});
        if i < 9 {
            answers["age"] = json!(20 + 10 * (i % 3));
        }
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        let reply = server.post_json("/api/v1/surveys/diaspora/responses", &body);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

/// The text of `css` as a reader reads it (no-break spaces as spaces), hidden or not.
async fn content(client: &Client, css: &str) -> String {
    wait(client, css).await;
    let text = client
        .execute(
            "return document.querySelector(arguments[0]).textContent.replace(/\\u00a0/g, ' ').trim();",
            vec![json!(css)],
        )
        .await
        .unwrap();
    text.as_str().unwrap_or_default().to_owned()
}

async fn attr(client: &Client, css: &str, name: &str) -> String {
    wait(client, css).await.attr(name).await.unwrap().unwrap_or_default()
}

/// The released share of `option` of `question`: (value, low, high).
fn released_share(results: &Value, question: &str, option: &str) -> (f64, f64, f64) {
    let question = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == question).unwrap();
    let count = question["counts"].as_array().unwrap().iter().find(|c| c["option"] == option).unwrap();
    let share = &count["share"];
    (
        share["value"].as_f64().unwrap(),
        share["ci95"]["low"].as_f64().unwrap(),
        share["ci95"]["high"].as_f64().unwrap(),
    )
}

/// Each bar of a chart: (option, count, share, error bar's low, high).
type Row = (String, String, Option<f64>, Option<f64>, Option<f64>);

async fn chart_rows(client: &Client, question: &str) -> Vec<Row> {
    let chart = format!("svg.chart[data-question={question}]");
    wait(client, &chart).await;
    let script = format!(
        "return [...document.querySelectorAll('{chart} g.bar-row')].map(r => {{
            const bar = r.querySelector('g.error-bar');
            return [r.dataset.option, r.dataset.count, r.dataset.share === undefined ? null : +r.dataset.share,
                    bar ? +bar.dataset.low : null, bar ? +bar.dataset.high : null];
        }});"
    );
    serde_json::from_value(client.execute(&script, vec![]).await.unwrap()).unwrap()
}

/// Fetches `href` with the page's session and returns the body.
async fn fetch(client: &Client, href: &str) -> String {
    let body = client
        .execute_async(
            "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
            vec![Value::String(href.to_owned())],
        )
        .await
        .unwrap();
    body.as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_researcher_reads_shares_a_mean_and_weighted_shares_and_downloads_them() {
    let server = without_schedule();
    let version = server.publish_exact("diaspora", 5);
    ten(&server, version);
    let released = server.release("diaspora");
    let (value, low, high) = released_share(&released, "left_when", "from_2023");
    assert!((value - 0.5).abs() < 1e-12 && (low - 0.2366).abs() < 1e-3 && (high - 0.7634).abs() < 1e-3);
    let server = &server;
    with_browser("estimates_exact", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/research/diaspora")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, ".results[data-release='1']").await;

        // A share and its interval (Wilson's, for 5 of 10), in the table and the chart.
        let cell = "table.counts[data-question=left_when] tr[data-option=from_2023] td.share";
        assert_eq!(content(&client, cell).await, "50 % (24–76 %)");
        let rows = chart_rows(&client, "left_when").await;
        let from_2023 = rows.iter().find(|r| r.0 == "from_2023").unwrap();
        assert_eq!(from_2023.1, "5");
        let shown = [(from_2023.2, value), (from_2023.3, low), (from_2023.4, high)];
        assert!(shown.iter().all(|&(s, r)| same_number(s, Some(r))), "{rows:?}");
        let bar = "svg.chart[data-question=left_when] g.bar-row[data-option=from_2023] text.bar-count";
        assert_eq!(content(&client, bar).await, "50 % (24–76 %)");
        // Nobody's zero has a share of zero with an interval still above it.
        let zero = rows.iter().find(|r| r.0 == "feb_sep_2022").unwrap();
        assert_eq!((zero.1.as_str(), zero.2, zero.3), ("0", Some(0.0), Some(0.0)), "{rows:?}");
        assert!(zero.4.unwrap() > 0.2, "{rows:?}");
        // A withheld count has no share and no error bar.
        let ages = chart_rows(&client, "age").await;
        assert!(ages.iter().any(|r| r.1 == "suppressed"), "{ages:?}");
        for row in ages.iter().filter(|r| r.1 == "suppressed") {
            assert_eq!((row.2, row.3, row.4), (None, None, None), "{ages:?}");
        }
        let legend = content(&client, "#error-bar-legend").await;
        assert!(legend.contains("95 % interval") && legend.contains("Wilson"), "{legend}");

        // The mean of the nine ages, from their sums: never a smallest or largest.
        assert_eq!(
            content(&client, "#mean-age").await,
            "Mean 30.0 (95 %: 24.3–35.7), SD 8.7, from 9 who gave a number"
        );

        // Downloads: every format and the codebook, each naming the release.
        let hrefs = |css: &'static str| {
            let client = client.clone();
            async move {
                let list = eval(&client, &format!("[...document.querySelectorAll('{css}')].map(a => a.getAttribute('href'))")).await;
                serde_json::from_value::<Vec<String>>(list).unwrap()
            }
        };
        let plain = hrefs("#downloads a.download").await;
        assert_eq!(plain.len(), ExportFormat::ALL.len() + 1, "{plain:?}");
        for (format, href) in ExportFormat::ALL.iter().zip(&plain) {
            assert!(href.contains(&format!("format={}&", format.name())), "{href}");
        }
        assert!(plain.iter().all(|h| h.contains("lang=en&release=1") && !h.contains("weight")), "{plain:?}");
        assert_eq!(plain.last().unwrap(), "/api/v1/surveys/diaspora/codebook.xml?lang=en&release=1");
        let named = attr(&client, "a.download[data-format=dta]", "aria-label").await;
        assert_eq!(named, "Stata (.dta), release 1");

        // Weighting: offered for the questions that label the rows of a declared table,
        // and the panel says why nothing else can be.
        let why = content(&client, "#weights-why").await;
        assert!(why.contains("Nansen keeps no answers per respondent"), "{why}");
        let offered: Vec<String> = serde_json::from_value(
            eval(&client, "[...document.querySelectorAll('#weight-by option')].map(o => o.value)").await,
        )
        .unwrap();
        assert_eq!(offered, ["left_when", "citizenship"]);
        type_into(&client, "#weight-left_when-from_2023", "25").await;
        type_into(&client, "#weight-left_when-before_2022", "70").await;
        assert_eq!(content(&client, "#weights-total").await, "Total: 95 %, 5 points short of 100.");
        click(&client, "#weights-apply").await;
        let problem = content(&client, "#weights-problem").await;
        assert!(problem.contains("add up to 95 %, 5 points off"), "{problem}");
        type_into(&client, "#weight-left_when-before_2022", "75").await;
        assert_eq!(content(&client, "#weights-total").await, "Total: 100 %.");
        click(&client, "#weights-apply").await;

        // A quarter left in 2023 (none of whom will return), three quarters before 2022:
        // 25 % will not return, beside the unweighted 50 %.
        wait(&client, ".results[data-weighted=left_when]").await;
        let no = "#weighted-return_intention tr[data-option=no]";
        assert_eq!(attr(&client, &format!("{no} td.weighted-share"), "data-share").await, "0.25");
        assert_eq!(content(&client, &format!("{no} td.weighted-share")).await, "25.0 % (25.0–25.0 %)");
        assert_eq!(content(&client, &format!("{no} td.unweighted")).await, "50 % (24–76 %)");
        let caption = content(&client, "#weighted-return_intention caption").await;
        assert!(caption.contains("Before February 2022 75 %, In 2023 or later 25 %"), "{caption}");
        let applied = content(&client, "#weights-applied").await;
        assert!(applied.contains("Weights applied, by “When did you leave Russia or Belarus?”"), "{applied}");

        // The downloads carry the weights; the codebook has none to carry.
        let weighted = hrefs("#downloads a.download").await;
        let weights = "&weight_by=left_when&weights=before_2022:0.75,from_2023:0.25";
        for href in &weighted[..ExportFormat::ALL.len()] {
            assert!(href.contains("release=1") && href.ends_with(weights), "{href}");
        }
        assert!(!weighted.last().unwrap().contains("weight"), "{weighted:?}");
        assert!(content(&client, "#downloads-weighted").await.contains("In 2023 or later 25 %"));
        let csv = fetch(&client, &attr(&client, "a.download[data-format=csv]", "href").await).await;
        assert!(csv.contains("weighted_share") && csv.contains("left_when: before_2022=0.75;from_2023=0.25"), "{csv}");

        assert_accessible(&client, "the researcher's dashboard with weights applied").await;

        // The files' labels in another of the survey's languages.
        wait(&client, "#download-lang").await.select_by_value("ru").await.unwrap();
        wait_until(
            &client,
            "the downloads are in Russian",
            "return document.querySelector('a.download[data-format=csv]').getAttribute('href').includes('lang=ru&release=1')",
        )
        .await;
        let csv = fetch(&client, &attr(&client, "a.download[data-format=csv]", "href").await).await;
        assert!(csv.contains("До февраля 2022 года"), "{csv}");

        // Weights let go of: the weighted table goes, and the downloads carry none.
        click(&client, "#weights-clear").await;
        wait(&client, ".results:not([data-weighted])").await;
        assert_eq!(eval(&client, "document.querySelectorAll('.weighted').length").await, 0);
        assert!(hrefs("#downloads a.download").await.iter().all(|h| !h.contains("weight")));
    })
    .await;
}

#[tokio::test]
async fn a_noisy_release_draws_each_share_with_its_interval() {
    let server = without_schedule();
    answer(&server, "diaspora", 50, 5);
    let released = server.release("diaspora");
    let error95 = released["release"]["noise"]["error95"].as_u64().unwrap();
    let server = &server;
    with_browser("estimates_noisy", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/research/diaspora")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        wait(&client, ".results[data-release='1']").await;

        // Each shown count's bar is its share, its error bar the share's interval, widened
        // for the noise, as released; a withheld count has neither.
        let rows = chart_rows(&client, "return_intention").await;
        assert!(rows.iter().any(|r| r.2.is_some()), "{rows:?}");
        for (option, count, share, low, high) in &rows {
            if count == "suppressed" {
                assert_eq!((share, low, high), (&None, &None, &None), "{rows:?}");
                continue;
            }
            let (value, l, h) = released_share(&released, "return_intention", option);
            let shown = [(*share, value), (*low, l), (*high, h)];
            assert!(
                shown.iter().all(|&(s, r)| same_number(s, Some(r))),
                "{rows:?}, released {:?}",
                (value, l, h)
            );
        }
        let legend = content(&client, "#error-bar-legend").await;
        assert!(legend.contains(&format!("±{error95} for 95 % of counts")), "{legend}");

        // Weights on when people left, for the picture: equal quarters.
        for code in ["before_2022", "feb_sep_2022", "after_mobilisation", "from_2023"] {
            type_into(&client, &format!("#weight-left_when-{code}"), "25").await;
        }
        click(&client, "#weights-apply").await;
        wait(&client, "#weighted-return_intention").await;
        assert_accessible(&client, "the dashboard of a noisy release with weights applied").await;

        // Pictures of the dashboard, for whoever reviews it.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        client.set_window_size(1024, 1400).await.unwrap();
        for (name, css) in [
            ("estimates_noisy_top.png", ".dashboard h1"),
            ("estimates_noisy_weights.png", "#weights"),
            ("estimates_noisy_chart.png", "section.question-results[data-question=return_intention]"),
            ("estimates_noisy_age.png", "section.question-results[data-question=age]"),
        ] {
            client
                .execute("document.querySelector(arguments[0]).scrollIntoView()", vec![json!(css)])
                .await
                .unwrap();
            std::fs::write(dir.join(name), client.screenshot().await.unwrap()).unwrap();
        }
    })
    .await;
}
