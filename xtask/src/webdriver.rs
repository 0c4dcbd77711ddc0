//! Just enough of the WebDriver protocol (JSON over HTTP) to drive Chromium from a
//! benchmark: a session, network throttling, navigation, and scripts.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::system::find;

pub struct Driver {
    process: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub fn start() -> Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let program =
            find("chromedriver").context("chromedriver is missing (Debian package chromium-driver)")?;
        let process = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..300 {
            if agent.get(format!("{base}/status")).call().is_ok() {
                return Ok(Self { process, base, agent });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("chromedriver did not start")
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let mut response = match method {
            "POST" => self.agent.post(&url).send_json(body)?,
            _ => self.agent.delete(&url).call()?,
        };
        let reply: Value = response.body_mut().read_json()?;
        if !response.status().is_success() {
            bail!("WebDriver {method} {path}: {reply}");
        }
        Ok(reply["value"].clone())
    }

    /// A new browser with an empty profile (so nothing is cached), `width` pixels wide.
    pub fn session(&self, width: u32) -> Result<Session<'_>> {
        let profile = tempfile::tempdir()?;
        let chromium = find("chromium").context("chromium is missing (Debian package chromium)")?;
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--disable-quic",
                format!("--window-size={width},900"), format!("--user-data-dir={}", profile.path().display()),
            ]}
        }}});
        let mut capabilities = capabilities;
        if width < 500 {
            // A desktop window cannot be narrower than 500 px; a phone is emulated.
            capabilities["capabilities"]["alwaysMatch"]["goog:chromeOptions"]["mobileEmulation"] =
                json!({"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 2}});
        }
        let created = self.call("POST", "/session", capabilities)?;
        let id = created["sessionId"].as_str().context("no session id")?.to_owned();
        Ok(Session { driver: self, id, _profile: profile })
    }
}

impl Session<'_> {
    fn call(&self, path: &str, body: Value) -> Result<Value> {
        self.driver.call("POST", &format!("/session/{}{path}", self.id), body)
    }

    /// Throttles the network: `latency` per round trip, `bytes_per_second` each way.
    pub fn throttle(&self, latency: Duration, bytes_per_second: u64) -> Result<()> {
        self.call(
            "/chromium/network_conditions",
            json!({"network_conditions": {
                "offline": false,
                "latency": latency.as_millis() as u64,
                "download_throughput": bytes_per_second,
                "upload_throughput": bytes_per_second,
            }}),
        )?;
        Ok(())
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.call("/url", json!({"url": url}))?;
        Ok(())
    }

    /// Runs `script` (a function body) and returns its value.
    pub fn execute(&self, script: &str) -> Result<Value> {
        self.call("/execute/sync", json!({"script": script, "args": []}))
    }

    /// Polls `script` until it returns something other than `null`.
    pub fn wait_for(&self, script: &str, timeout: Duration) -> Result<Value> {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            let value = self.execute(script)?;
            if !value.is_null() {
                return Ok(value);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("gave up waiting for {script}")
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.call("DELETE", &format!("/session/{}", self.id), Value::Null);
    }
}
