//! A real Chromium for each test (started by `nansen_harness::Browser`), and what the
//! tests do with it: click, wait, read. Tests run one at a time (two cores do not run
//! two browsers well), and a failing test leaves a screenshot in
//! `target/browser-screenshots/`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use futures_util::FutureExt;
use nansen_harness::Browser;
pub use nansen_harness::BrowserSetup as Setup;
use serde_json::Value;

/// Tests run one at a time (each has its own runtime; this lock works across them).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The questionnaire once the WebAssembly client has taken over the server's form.
pub const LIVE_FORM: &str = "form.questionnaire[data-live]";

/// How long to wait for something to appear: generous, for a loaded CI machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// Runs `test` with a fresh browser set up as asked. On failure, a screenshot of the
/// page is saved under the test's name before the failure is reported.
pub async fn with_browser<F, Fut>(name: &str, setup: Setup, test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    let _turn = ONE_AT_A_TIME.lock().await;
    assert!(
        crate::helpers::assets_dir().is_some_and(|dir| dir.join("respondent-boot.js").is_file()),
        "the browser tests need the built client: run them with `cargo xtask test`, or run \
         `cargo xtask build-client` first (or set NANSEN_ASSETS)"
    );
    let browser = Browser::start(setup).await.unwrap_or_else(|error| panic!("{error:#}"));
    let client = browser.client().clone();
    let outcome = AssertUnwindSafe(test(client.clone())).catch_unwind().await;
    if outcome.is_err() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
        if let Ok(png) = client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}.png"));
            let _ = std::fs::write(&path, png);
            eprintln!("screenshot of the failure: {}", path.display());
        }
    }
    browser.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Waits until `css` matches an element, and returns it.
pub async fn wait(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Waits until `script` (a function body returning a boolean) returns true.
pub async fn wait_until(client: &Client, what: &str, script: &str) {
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::time::Instant::now() < deadline {
        if client.execute(script, vec![]).await.ok() == Some(Value::Bool(true)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("gave up waiting until {what}");
}

/// Clicks `css`, first scrolled to the middle of the window (so no sticky bar covers it).
pub async fn click(client: &Client, css: &str) {
    let element = wait(client, css).await;
    let reference = serde_json::to_value(&element).unwrap();
    client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![reference]).await.unwrap();
    element.click().await.unwrap_or_else(|e| panic!("could not click {css}: {e}"));
}

pub async fn text(client: &Client, css: &str) -> String {
    wait(client, css).await.text().await.unwrap()
}

/// The value of a JavaScript expression.
pub async fn eval(client: &Client, expression: &str) -> Value {
    client.execute(&format!("return {expression};"), vec![]).await.unwrap()
}

/// Whether a number the page holds is `expected`, to the last bit but one: the browser
/// reads JSON numbers with serde_json's fast parsing (its download matters more than a
/// number's last bit), the tests with the exact one.
pub fn same_number(shown: Option<f64>, expected: Option<f64>) -> bool {
    match (shown, expected) {
        (Some(shown), Some(expected)) => (shown - expected).abs() <= 1e-12 * expected.abs().max(1.0),
        (shown, expected) => shown.is_none() && expected.is_none(),
    }
}
