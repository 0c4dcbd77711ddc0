//! Starting the server binary and talking to it: shared by the API and browser tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use nansen_harness::Server;
use nansen_server::storage::counters::Counter;
use nansen_shared::{Answer, Answers, QuestionKind, SubmissionKey, Survey};
use serde_json::{Value, json};

#[path = "database.rs"]
mod database;
#[allow(unused_imports, reason = "each test crate uses a part")]
pub use database::{
    connect, database_url, empty_postgres_database, find_any, integrity_problems, is_write_ahead_log,
    postgres_admin, read_back, stored_files,
};

pub const ADMIN_PASSWORD: &str = "test admin password 1";

/// A running server with its own database directory. Killed on drop.
pub struct TestServer {
    server: Server,
    dir: Arc<tempfile::TempDir>,
    agent: ureq::Agent,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem document of the given status and `type` name, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, name: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{}", self.body);
        let problem = self.json();
        assert_eq!(problem["type"], format!("/problems/{name}"), "{problem}");
        assert_eq!(problem["status"], status);
        assert!(problem["detail"].as_str().is_some_and(|d| d.len() > 10), "{problem}");
        problem
    }
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(Arc::new(tempfile::tempdir().unwrap()), &[])
    }

    /// Starts a server on the database in `dir`, with extra environment variables
    /// (which may name a `NANSEN_BIND` of their own).
    pub fn start_with(dir: Arc<tempfile::TempDir>, env: &[(&str, &str)]) -> Self {
        Self::try_start(dir, |command| {
            command.envs(env.iter().copied());
        })
        .unwrap_or_else(|error| panic!("{error}"))
    }

    /// Starts a server as [`Self::start_with`] does, its command changed last by
    /// `configure` (to remove a variable, say); if it exits before it is ready, what it
    /// printed. It runs in `dir`, where a server on PostgreSQL keeps its key file.
    pub fn try_start(
        dir: Arc<tempfile::TempDir>,
        configure: impl FnOnce(&mut Command),
    ) -> Result<Self, String> {
        Self::try_start_under(dir, &[], configure)
    }

    /// Starts a server as [`Self::try_start`] does, run by the command line `wrapper`
    /// (which execs the server, such as `prlimit --nofile=1024:1024 --`).
    pub fn try_start_under(
        dir: Arc<tempfile::TempDir>,
        wrapper: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> Result<Self, String> {
        let server = Server::start(|_| {
            let mut command = match wrapper.split_first() {
                Some((program, args)) => {
                    let mut command = Command::new(program);
                    command.args(args).arg(env!("CARGO_BIN_EXE_nansen"));
                    command
                }
                None => Command::new(env!("CARGO_BIN_EXE_nansen")),
            };
            command
                .current_dir(dir.path())
                .env_clear()
                .env("DATABASE_URL", database_url(dir.path()))
                .env("NANSEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .env("NANSEN_LOG", "debug");
            // The built browser client, when there is one.
            if let Some(assets) = assets_dir() {
                command.env("NANSEN_ASSETS", assets);
            }
            configure(&mut command);
            command
        })
        .map_err(|error| format!("{error:#}"))?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            // The server closes a connection idle for 5 s; reusing one just then fails
            // with "peer disconnected" (seen once in CI, after a long browser step).
            .max_idle_age(Duration::from_secs(2))
            .build()
            .into();
        Ok(Self { server, dir, agent })
    }

    /// The server's file `<database>.<suffix>` (`key`, `admin-password`) where it keeps
    /// it by default: beside its SQLite database, or in its directory on PostgreSQL.
    pub fn beside_database(&self, suffix: &str) -> PathBuf {
        beside_database(self.dir.path(), suffix)
    }

    pub fn dir(&self) -> Arc<tempfile::TempDir> {
        self.dir.clone()
    }

    /// The server's `DATABASE_URL` (a SQLite path, or a PostgreSQL URL).
    pub fn database_url(&self) -> String {
        database_url(self.dir.path())
    }

    /// Everything the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.server.output()
    }

    /// The server's output once `done` holds of it, or as it is after 10 s: a line the
    /// server logs as a reply goes out may reach this process a moment after the reply.
    pub fn output_once(&self, done: impl Fn(&str) -> bool) -> String {
        let give_up = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let output = self.output();
            if done(&output) || std::time::Instant::now() > give_up {
                return output;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.call())
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post_raw(path, "application/json", &body.to_string(), &[])
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.post(self.url(path)).header("content-type", content_type);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.send(body))
    }

    /// A POST of `body` as it is (a file upload), with `headers`.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn post_bytes(&self, path: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.post(self.url(path)).header("content-type", content_type);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.send(body))
    }

    /// A GET whose body is a file: its status, headers and bytes.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn get_bytes(&self, path: &str, headers: &[(&str, &str)]) -> (u16, ureq::http::HeaderMap, Vec<u8>) {
        let mut request = self.agent.get(self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let mut response = request.call().expect("HTTP request");
        let bytes = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap_or_default();
        (response.status().as_u16(), response.headers().clone(), bytes)
    }

    pub fn delete_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.delete(self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.call())
    }

    pub fn put_json(&self, path: &str, body: &Value) -> Reply {
        read(self.agent.put(self.url(path)).header("content-type", "application/json").send(body.to_string()))
    }

    /// Any request: `body` is sent as JSON when given.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Reply {
        let url = self.url(path);
        let with_headers = |mut request: ureq::RequestBuilder<ureq::typestate::WithBody>| {
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request
        };
        match (method, body) {
            ("GET", _) | ("DELETE", None) => {
                let mut request =
                    if method == "GET" { self.agent.get(&url) } else { self.agent.delete(&url) };
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                read(request.call())
            }
            (_, body) => {
                let request = match method {
                    "POST" => self.agent.post(&url),
                    "PUT" => self.agent.put(&url),
                    other => panic!("unsupported method {other}"),
                };
                let body = body.map(Value::to_string).unwrap_or_default();
                read(with_headers(request).header("content-type", "application/json").send(body))
            }
        }
    }

    /// Logs in and returns the `Cookie` header value.
    pub fn login(&self, username: &str, password: &str) -> String {
        let reply = self.post_json("/api/v1/session", &json!({"username": username, "password": password}));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.header("set-cookie").expect("a session cookie").split(';').next().unwrap().to_owned()
    }

    /// Logs in as the bootstrap admin and returns the `Cookie` header value.
    pub fn login_admin(&self) -> String {
        let reply =
            self.post_json("/api/v1/session", &json!({"username": "admin", "password": ADMIN_PASSWORD}));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let set_cookie = reply.header("set-cookie").expect("a session cookie");
        set_cookie.split(';').next().unwrap().to_owned()
    }

    pub fn survey(&self, slug: &str) -> Survey {
        let reply = self.get(&format!("/api/v1/surveys/{slug}"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    pub fn submit(&self, slug: &str, version: u32, answers: &Answers, key: &str) -> Reply {
        self.post_json(
            &format!("/api/v1/surveys/{slug}/responses"),
            &json!({"version": version, "answers": answers, "key": key}),
        )
    }

    /// The live counters of `slug`'s current version, read from the database through the
    /// server's own `storage::counters` (no release, no noise, no suppression): what
    /// the tests compare the published figures and the answers sent with.
    pub fn counts(&self, slug: &str) -> Counted {
        use diesel::prelude::*;
        use diesel::sql_types::{BigInt, Text};
        #[derive(QueryableByName)]
        struct Current {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Text)]
            definition: String,
        }
        let mut conn = database::connect(&self.database_url());
        let current: Current = diesel::sql_query(
            "SELECT v.id, v.definition FROM surveys s JOIN survey_versions v ON v.id = s.current_version_id \
             WHERE s.slug = $1",
        )
        .bind::<Text, _>(slug)
        .get_result(&mut conn)
        .unwrap_or_else(|e| panic!("no published survey {slug}: {e}"));
        let survey: Survey = serde_json::from_str(&current.definition).unwrap();
        let counts = nansen_server::storage::counters::load(&mut conn, current.id, &survey).unwrap();
        Counted { survey, counts }
    }

    /// Publishes the next version of `slug` with exact releases: noise off, a release
    /// allowed after `min_new` new respondents. For tests of what suppression and the
    /// exports publish, which need exact figures. Returns the new version's number.
    pub fn publish_exact(&self, slug: &str, min_new: u32) -> u32 {
        let cookie = self.login_admin();
        let admin = format!("/api/v1/admin/surveys/{slug}");
        let current = self.get_with(&admin, &[("cookie", &cookie)]);
        assert_eq!(current.status, 200, "{}", current.body);
        let mut definition = current.json()["definition"].clone();
        definition["settings"]["privacy"] = json!({"noise": false});
        definition["settings"]["releases"] = json!({"min_new": min_new});
        let saved = self.send("PUT", &admin, Some(&definition), &[("cookie", &cookie)]);
        assert_eq!(saved.status, 200, "{}", saved.body);
        let published = self.send("POST", &format!("{admin}/publish"), None, &[("cookie", &cookie)]);
        assert_eq!(published.status, 200, "{}", published.body);
        published.json()["current_version"].as_u64().unwrap() as u32
    }

    /// Makes a release of `slug` now, as an admin, and returns its results.
    pub fn release(&self, slug: &str) -> Value {
        let cookie = self.login_admin();
        let path = format!("/api/v1/admin/surveys/{slug}/releases");
        let reply = self.send("POST", &path, None, &[("cookie", &cookie)]);
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()
    }

    /// The latest release's results, as the admin sees them.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn results(&self, slug: &str) -> Value {
        let cookie = self.login_admin();
        let reply = self.get_with(&format!("/api/v1/surveys/{slug}/results"), &[("cookie", &cookie)]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    /// The server process's id, to send it signals.
    pub fn pid(&self) -> u32 {
        self.server.pid()
    }

    /// Kills the process at once (SIGKILL): nothing gets a chance to flush.
    pub fn kill(mut self) {
        self.server.kill();
    }

    /// Kills the process at once (SIGKILL) while other threads may still be talking to
    /// it; dropping the handle later reaps it.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn kill_now(&self) {
        let sent = Command::new("kill").args(["-KILL", &self.pid().to_string()]).status().unwrap();
        assert!(sent.success(), "kill -KILL {}", self.pid());
    }

    /// A submission as [`Self::submit`] sends it, or why no reply came (the server died,
    /// say): a reply lost on the way is what a crash looks like to a client.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn try_submit(
        &self,
        slug: &str,
        version: u32,
        answers: &Answers,
        key: &str,
    ) -> Result<Reply, String> {
        let body = json!({"version": version, "answers": answers, "key": key}).to_string();
        let path = format!("/api/v1/surveys/{slug}/responses");
        try_read(self.agent.post(self.url(&path)).header("content-type", "application/json").send(body))
    }

    /// A POST with `headers` and no body, or why no reply came.
    #[allow(dead_code, reason = "each test crate uses a part")]
    pub fn try_post_empty(&self, path: &str, headers: &[(&str, &str)]) -> Result<Reply, String> {
        let mut request = self.agent.post(self.url(path)).header("content-type", "application/json");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        try_read(request.send(""))
    }
}

/// A response read whole, or why none came (the connection was refused or cut).
fn try_read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Reply, String> {
    let mut response = result.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body_mut().read_to_string().map_err(|e| e.to_string())?;
    Ok(Reply { status, headers, body })
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("HTTP request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Reply { status, headers, body }
}

/// The file `<database>.<suffix>` of the server in `dir` (see [`TestServer::beside_database`]).
pub fn beside_database(dir: &Path, suffix: &str) -> PathBuf {
    match postgres_admin() {
        Some(_) => dir.join(format!("nansen.{suffix}")),
        None => dir.join(format!("nansen.db.{suffix}")),
    }
}

/// The built browser client: `NANSEN_ASSETS`, else `target/site` if it was built there
/// (`cargo xtask build-client`).
pub fn assets_dir() -> Option<PathBuf> {
    std::env::var_os("NANSEN_ASSETS").map(PathBuf::from).or_else(|| {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
        site.join("respondent-boot.js").is_file().then_some(site)
    })
}

/// A survey version's live counters, asked for by question id and option code.
pub struct Counted {
    survey: Survey,
    counts: nansen_server::storage::counters::Counts,
}

#[allow(dead_code, reason = "each test crate uses a part")]
impl Counted {
    fn question(&self, id: &str) -> (u16, &nansen_shared::Question) {
        let (index, question) = self.survey.question(id).unwrap_or_else(|| panic!("no question {id}"));
        (index as u16, question)
    }

    fn cell(&self, question: &str, code: &str) -> nansen_shared::Cell {
        let (index, q) = self.question(question);
        let option = q.cell_index(code).unwrap_or_else(|| panic!("{question} has no option {code}"));
        nansen_shared::Cell { question: index, option: option as u16 }
    }

    pub fn respondents(&self) -> u64 {
        self.counts.get(Counter::Respondents)
    }

    /// How many answered `question`.
    pub fn answered(&self, question: &str) -> u64 {
        self.counts.get(Counter::Answered(self.question(question).0))
    }

    /// How many chose `code` for `question`.
    pub fn chose(&self, question: &str, code: &str) -> u64 {
        self.counts.get(Counter::Cell(self.cell(question, code)))
    }

    /// How many answered `row` to the rows question and `column` to the columns
    /// question of the declared cross-tabulation `rows` × `columns`.
    pub fn both(&self, (rows, row): (&str, &str), (columns, column): (&str, &str)) -> u64 {
        let table = self
            .survey
            .crosstabs
            .iter()
            .position(|t| t.rows.as_str() == rows && t.columns.as_str() == columns)
            .unwrap_or_else(|| panic!("no cross-tabulation {rows} × {columns}"));
        let (row, column) = (self.cell(rows, row).option, self.cell(columns, column).option);
        self.counts.get(Counter::Cross { table: table as u16, row, column })
    }
}

/// A fresh random key, as a browser makes one.
pub fn fresh_key() -> String {
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rand_u64().to_le_bytes());
    }
    SubmissionKey::from_random_bytes(bytes).as_str().to_owned()
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// A small deterministic generator, so a failing case can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
    }

    pub fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(2685821657736338717) >> 33) as usize % n.max(1)
    }
}

/// A valid answer set for `survey`, chosen by `rng`, built without the validator: each
/// applicable required question is answered, optional ones about two times in three.
pub fn valid_answers(survey: &Survey, rng: &mut Rng) -> Answers {
    let mut answers = Answers::new();
    for question in &survey.questions {
        let applies = question.show_if.as_ref().is_none_or(|condition| {
            match answers.get(condition.question.as_str()) {
                Some(Answer::Code(code)) => condition.any_of.contains(code),
                Some(Answer::Codes(codes)) => codes.iter().any(|c| condition.any_of.contains(c)),
                Some(Answer::Rows(rows)) => condition
                    .row
                    .as_ref()
                    .and_then(|row| rows.get(row.as_str()))
                    .is_some_and(|c| condition.any_of.contains(c)),
                _ => false,
            }
        });
        if !applies || (!question.required && rng.below(3) == 0) {
            continue;
        }
        let answer = match &question.kind {
            QuestionKind::Single { options } => {
                Answer::Code(options[rng.below(options.len())].code.to_string())
            }
            QuestionKind::Multi { options, max_choices } => {
                let first = rng.below(options.len());
                if options[first].exclusive {
                    Answer::Codes(vec![options[first].code.to_string()])
                } else {
                    let plain: Vec<_> = options.iter().filter(|o| !o.exclusive).collect();
                    let max = max_choices.map_or(plain.len(), |m| m as usize).min(plain.len());
                    let count = 1 + rng.below(max);
                    let start = rng.below(plain.len());
                    Answer::Codes(
                        (0..count).map(|i| plain[(start + i) % plain.len()].code.to_string()).collect(),
                    )
                }
            }
            QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => {
                Answer::Number(min + rng.below((max - min + 1) as usize) as i64)
            }
            QuestionKind::Country { .. } => {
                Answer::Code(["GE", "AM", "DE", "RS", "TR", "IL"][rng.below(6)].to_owned())
            }
            // Every row when required, else each row two times in three (at least one).
            QuestionKind::Grid { rows, options } => {
                let first = rng.below(rows.len());
                let mut chosen = std::collections::BTreeMap::new();
                for (i, row) in rows.iter().enumerate() {
                    if question.required || i == first || rng.below(3) != 0 {
                        chosen
                            .insert(row.code.to_string(), options[rng.below(options.len())].code.to_string());
                    }
                }
                Answer::Rows(chosen)
            }
            QuestionKind::Ranking { items, .. } => {
                let count = 1 + rng.below(question.places());
                let start = rng.below(items.len());
                Answer::Codes((0..count).map(|i| items[(start + i) % items.len()].code.to_string()).collect())
            }
        };
        answers.insert(question.id.to_string(), answer);
    }
    answers
}
