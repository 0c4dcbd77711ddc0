//! A real Chromium for each test, through chromedriver. Tests run one at a time (two
//! cores do not run two browsers well), and a failing test leaves a screenshot in
//! `target/browser-screenshots/`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{Value, json};

/// Tests run one at a time (each has its own runtime; this lock works across them).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The questionnaire once the WebAssembly client has taken over the server's form.
pub const LIVE_FORM: &str = "form.questionnaire[data-live]";

/// How long to wait for something to appear: generous, for a loaded CI machine.
const PATIENCE: Duration = Duration::from_secs(30);

fn executable(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "`{name}` is not installed. The browser tests need Debian's `chromium` and `chromium-driver` \
             packages (apt-get install chromium chromium-driver); `cargo xtask test` installs them when run as root."
        )
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Driver {
    process: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// The browser a test gets.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub width: u32,
    /// Off: Tor Browser's "Safest" level.
    pub javascript: bool,
    /// Off: Tor Browser's "Safer" level (JavaScript on, WebAssembly off).
    pub webassembly: bool,
}

impl Setup {
    pub const PHONE: Setup = Setup { width: 360, javascript: true, webassembly: true };
    pub const DESKTOP: Setup = Setup { width: 1024, javascript: true, webassembly: true };
}

async fn start(setup: Setup) -> (Driver, Client) {
    let port = free_port();
    let process = Command::new(executable("chromedriver"))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver { process, _profile: profile };
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if ureq::get(format!("{url}/status")).call().is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--disable-extensions".into(),
        "--disable-quic".into(),
        format!("--window-size={},900", setup.width),
        format!("--user-data-dir={}", driver._profile.path().display()),
    ];
    if !setup.webassembly {
        args.push("--js-flags=--noexpose_wasm".into());
    }
    // 2 blocks JavaScript for every site.
    let javascript = if setup.javascript { 1 } else { 2 };
    let mut options = json!({
        "binary": executable("chromium"),
        "args": args,
        "prefs": {"profile.managed_default_content_settings.javascript": javascript},
    });
    if setup.width < 500 {
        // A desktop window cannot be narrower than 500 px; a phone is emulated.
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": setup.width, "height": 800, "pixelRatio": 2}});
    }
    let capabilities = json!({"browserName": "chrome", "goog:chromeOptions": options});
    let Value::Object(capabilities) = capabilities else { unreachable!() };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&url)
        .await
        .expect("a Chromium session");
    (driver, client)
}

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
    let (driver, client) = start(setup).await;
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
    let _ = client.close().await;
    drop(driver);
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
