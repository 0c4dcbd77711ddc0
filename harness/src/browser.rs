//! A headless Chromium with a fresh profile, driven through chromedriver (Debian's
//! `chromium` and `chromium-driver` packages) with fantoccini.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// How long chromedriver may take to listen.
const DRIVER_WITHIN: Duration = Duration::from_secs(30);

/// The browser to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrowserSetup {
    /// The window's width in CSS pixels; below 500 a phone is emulated.
    pub width: u32,
    /// Off: Tor Browser's "Safest" level.
    pub javascript: bool,
    /// Off: Tor Browser's "Safer" level (JavaScript on, WebAssembly off).
    pub webassembly: bool,
}

impl BrowserSetup {
    pub const PHONE: BrowserSetup = BrowserSetup { width: 360, javascript: true, webassembly: true };
    pub const DESKTOP: BrowserSetup = BrowserSetup { width: 1024, javascript: true, webassembly: true };
}

/// A chromedriver on a free loopback port and one Chromium session of it, with an empty
/// profile of its own (nothing cached). On drop the session is ended (Chromium quits)
/// and chromedriver killed; [`Browser::close`] does the same from async code.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    port: u16,
    /// The WebDriver session, until it is ended.
    session: Option<String>,
    /// Killed after the session is ended (fields drop in order, after `drop`).
    _driver: Driver,
    /// Removed once chromedriver and Chromium are gone.
    _profile: tempfile::TempDir,
}

/// The chromedriver process: killed on drop.
#[derive(Debug)]
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a Chromium session set up as asked. Needs a Tokio
    /// runtime with time and I/O enabled.
    pub async fn start(setup: BrowserSetup) -> Result<Self> {
        let (chromedriver, chromium) = (executable("chromedriver")?, executable("chromium")?);
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start chromedriver")?;
        let mut driver = Driver(process);
        listening(&mut driver.0, port).await?;
        let profile = tempfile::Builder::new().prefix("nansen-chromium-").tempdir()?;
        let client = connect(port, setup, &profile, &chromium).await?;
        let mut browser = Self { client, port, session: None, _driver: driver, _profile: profile };
        // From here on, dropping `browser` ends the session.
        browser.session = browser.client.session_id().await?;
        Ok(browser)
    }

    /// The WebDriver client (clone it to keep one).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Throttles the network as Chrome DevTools does: `latency` added to each round
    /// trip, `bytes_per_second` each way.
    pub async fn throttle(&self, latency: Duration, bytes_per_second: u64) -> Result<()> {
        let latency = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.client.issue_cmd(NetworkConditions { latency, bytes_per_second }).await?;
        Ok(())
    }

    /// Ends the session (Chromium quits) and kills chromedriver.
    pub async fn close(mut self) {
        if self.session.take().is_some() {
            let _ = self.client.clone().close().await;
        }
        // Dropping `self` kills chromedriver.
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Killing chromedriver would leave Chromium running: the session is ended first,
        // by hand, as no async runtime can be counted on here.
        if let Some(session) = self.session.take() {
            end_session(self.port, &session);
        }
    }
}

/// Waits until chromedriver accepts connections on `port`.
async fn listening(driver: &mut Child, port: u16) -> Result<()> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + DRIVER_WITHIN;
    loop {
        if TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok() {
            return Ok(());
        }
        if let Some(status) = driver.try_wait()? {
            bail!("chromedriver exited ({status}) before it listened on port {port}");
        }
        if Instant::now() >= deadline {
            bail!("chromedriver did not listen on port {port} within {} s", DRIVER_WITHIN.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A new Chromium session of the chromedriver on `port`, with the flags the tests and
/// benchmarks need: headless, nothing running in the background, nothing fetched from
/// elsewhere, a profile of its own.
async fn connect(
    port: u16,
    setup: BrowserSetup,
    profile: &tempfile::TempDir,
    chromium: &std::path::Path,
) -> Result<Client> {
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
        format!("--user-data-dir={}", profile.path().display()),
    ];
    if !setup.webassembly {
        // Without the JIT, V8 offers no WebAssembly at all (`--noexpose_wasm` no longer
        // removes it in Chromium 156).
        args.push("--js-flags=--jitless".into());
    }
    // 2 blocks JavaScript for every site.
    let javascript = if setup.javascript { 1 } else { 2 };
    let mut options = json!({
        "binary": chromium,
        "args": args,
        "prefs": {"profile.managed_default_content_settings.javascript": javascript},
    });
    if setup.width < 500 {
        // A desktop window cannot be narrower than 500 px; a phone is emulated.
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": setup.width, "height": 800, "pixelRatio": 2}});
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "chrome".into());
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("could not start a Chromium session")
}

/// Ends a WebDriver session with a plain blocking HTTP request.
fn end_session(port: u16, session: &str) {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else { return };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        // The answer comes once Chromium has quit.
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

/// Chromium's own WebDriver command for network throttling.
#[derive(Debug)]
struct NetworkConditions {
    /// Milliseconds.
    latency: u64,
    bytes_per_second: u64,
}

impl WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"network_conditions": {
            "offline": false,
            "latency": self.latency,
            "download_throughput": self.bytes_per_second,
            "upload_throughput": self.bytes_per_second,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Where `program` is: on the `PATH`, else in `/usr/bin` (where Debian puts it).
fn executable(program: &str) -> Result<PathBuf> {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&paths)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(program))
        .find(|path| path.is_file());
    found.with_context(|| {
        format!(
            "`{program}` is not installed: a browser needs Debian's `chromium` and `chromium-driver` \
             packages (apt-get install chromium chromium-driver; `cargo xtask test` installs them \
             when run as root)"
        )
    })
}
