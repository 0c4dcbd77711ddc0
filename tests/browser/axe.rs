//! Accessibility checks with axe-core, the engine behind most accessibility audits, run
//! in the page as it stands. (axe-core needs JavaScript's timers, which a page with
//! JavaScript turned off does not run: the plain form is checked in a browser without
//! WebAssembly, where the client cannot take it over.) `cargo xtask test` installs axe-core from npm and names its
//! script in `NANSEN_AXE`; a test that calls [`assert_accessible`] fails on any serious
//! or critical violation, listing each rule, why it matters and where.

use std::sync::OnceLock;

use fantoccini::Client;
use serde_json::Value;

/// The axe-core script, read once.
fn script() -> &'static str {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let path = std::env::var("NANSEN_AXE").unwrap_or_else(|_| {
            let default =
                concat!(env!("CARGO_MANIFEST_DIR"), "/../target/axe/node_modules/axe-core/axe.min.js");
            default.to_owned()
        });
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core is not at {path} ({e}): run the tests with `cargo xtask test`, which installs it"
            )
        })
    })
}

/// Runs axe-core on the page (WCAG 2.1 A and AA rules) and returns the serious and
/// critical violations, one line each.
pub async fn violations(client: &Client) -> Vec<String> {
    // Injected through WebDriver, which the page's Content-Security-Policy does not govern.
    client.execute(&format!("{}\nreturn true;", script()), vec![]).await.expect("axe-core loads");
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
            .then(results => done(results.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)))
            .catch(error => done([`axe-core failed: ${error}`]));
    "#;
    let found = client.execute_async(run, vec![]).await.expect("axe-core runs");
    match found {
        Value::Array(lines) => lines.into_iter().map(|l| l.as_str().unwrap_or_default().to_owned()).collect(),
        other => vec![format!("axe-core answered {other}")],
    }
}

/// Fails the test if the page, as it stands, has serious or critical violations.
pub async fn assert_accessible(client: &Client, page: &str) {
    let found = violations(client).await;
    assert!(found.is_empty(), "axe-core on {page}:\n{}", found.join("\n"));
}
