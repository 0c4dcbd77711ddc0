//! What must never be kept or sent: keys in the database files, cookies to respondents,
//! addresses, User-Agents, query strings or bodies in the logs.

use nansen_shared::Answers;
use serde_json::json;

use crate::helpers::{Rng, TestServer, find_any, fresh_key, is_write_ahead_log, stored_files, valid_answers};

#[test]
fn neither_the_database_files_nor_the_log_hold_any_key() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(5);
    let keys: Vec<String> = (0..60).map(|_| fresh_key()).collect();
    for key in &keys {
        let answers = valid_answers(&survey, &mut rng);
        assert_eq!(server.submit("diaspora", 1, &answers, key).status, 200);
    }
    let dir = server.dir();
    let log = server.output();
    // Killed, not stopped: the write-ahead log stays as it was under load.
    server.kill();
    let files = stored_files(dir.path());
    assert!(files.iter().any(|f| is_write_ahead_log(f)), "{files:?}");
    // Each key, and its first half, in case something truncated or re-encoded it.
    let needles: Vec<Vec<u8>> =
        keys.iter().flat_map(|k| [k.as_bytes().to_vec(), k.as_bytes()[..16].to_vec()]).collect();
    let contents = files.iter().map(|f| (f.display().to_string(), std::fs::read(f).unwrap()));
    for (file, bytes) in contents.chain([("the log".to_owned(), log.into_bytes())]) {
        let found = find_any(&bytes, &needles).map(String::from_utf8_lossy);
        assert!(found.is_none(), "{found:?} is in {file}");
    }
}

#[test]
fn respondents_never_get_a_cookie() {
    let server = TestServer::start();
    let answers: Answers = serde_json::from_value(json!({
        "citizenship": ["belarus"], "country": "LT", "left_when": "before_2022",
        "reasons": ["safety"], "return_intention": "dont_know"
    }))
    .unwrap();
    let replies = [
        server.get("/"),
        server.get("/s/diaspora"),
        server.get("/s/diaspora?lang=ru"),
        server.get("/api/v1/surveys"),
        server.get("/api/v1/surveys/diaspora"),
        server.submit("diaspora", 1, &answers, &fresh_key()),
        server.submit("diaspora", 1, &answers, "bad"),
        server.get("/api/v1/surveys/nope"),
        server.get("/assets/nansen.css"),
        server.get("/healthz"),
    ];
    for reply in replies {
        assert_eq!(reply.header("set-cookie"), None, "{reply:?}");
    }
}

#[test]
fn logs_hold_no_address_agent_query_or_body_even_at_trace_level() {
    // The most verbose level, behind a proxy (where the server reads X-Forwarded-For to
    // throttle): every other level logs a subset of this.
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::start_with(dir, &[("NANSEN_LOG", "trace"), ("NANSEN_BEHIND_PROXY", "true")]);
    let key = fresh_key();
    let headers = [
        ("user-agent", "UniqueAgent/7.7 (Marker)"),
        ("x-forwarded-for", "203.0.113.77"),
        ("x-real-ip", "198.51.100.23"),
        ("forwarded", "for=192.0.2.60"),
        ("referer", "http://REFERERMARKER.example/"),
    ];
    server.get_with("/s/diaspora?lang=ru&marker=QUERYMARKER", &headers);
    server.get_with("/api/v1/surveys/diaspora?marker=QUERYMARKER", &headers);
    let body = json!({"version": 1, "answers": {"country": "ZW", "left_when": "BODYMARKER"}, "key": key})
        .to_string();
    server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", &body, &headers);
    server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", "{BODYMARKER", &headers);
    let counted = json!({"version": 1, "key": key, "answers": {
        "citizenship": ["russia"], "country": "GE", "left_when": "from_2023", "reasons": ["safety"],
        "return_intention": "dont_know", "age": 77}});
    let reply = server.post_raw(
        "/api/v1/surveys/diaspora/responses",
        "application/json",
        &counted.to_string(),
        &headers,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let form = format!("version=1&key={}&citizenship=belarus&country=LT&left_when=FORMMARKER", fresh_key());
    server.post_raw("/s/diaspora", "application/x-www-form-urlencoded", &form, &headers);
    let login = json!({"username": "admin", "password": "PASSWORDMARKER"}).to_string();
    server.post_raw("/api/v1/session", "application/json", &login, &headers);
    server.get_with("/no/such/page/PATHMARKER", &headers);
    // A staff request last: once its line is in, so is every line before it.
    server.get_with("/api/v1/admin/users", &headers);
    let last = r#"route="/api/v1/admin/users" status=401"#;
    let output = server.output_once(|output| output.contains(last));
    assert!(output.contains(last), "{output}");
    let own_address = server.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    // The access log ran (so this test looks at real log lines)...
    assert!(output.contains(r#"route="/api/v1/surveys/{slug}/responses" status=422"#), "{output}");
    assert!(output.contains(r#"route="/api/v1/surveys/{slug}/responses" status=200"#), "{output}");
    // ...and recorded none of these.
    for secret in [
        "UniqueAgent",
        "203.0.113.77",
        "198.51.100.23",
        "192.0.2.60",
        "127.0.0.1:",
        "REFERERMARKER",
        "QUERYMARKER",
        "BODYMARKER",
        "FORMMARKER",
        "PASSWORDMARKER",
        "PATHMARKER",
        &key,
    ] {
        // The server's own address may be named; a client's never.
        let found = output.lines().find(|line| line.replace(&own_address, "").contains(secret));
        assert!(found.is_none(), "{secret} leaked into the log: {found:?}");
    }
    // Nor did the addresses the throttles keyed on reach the database or its journal.
    let dir = server.dir();
    server.kill();
    let addresses: Vec<Vec<u8>> = ["203.0.113.77", "198.51.100.23", "192.0.2.60", "127.0.0.1"]
        .iter()
        .map(|a| a.as_bytes().to_vec())
        .collect();
    for file in stored_files(dir.path()) {
        let found = find_any(&std::fs::read(&file).unwrap(), &addresses).map(String::from_utf8_lossy);
        assert!(found.is_none(), "{found:?} is in {}", file.display());
    }
}

#[test]
fn no_asset_names_another_host() {
    let Some(dir) = crate::helpers::assets_dir() else {
        eprintln!("the browser client is not built (cargo xtask build-client): nothing to check");
        return;
    };
    let server = TestServer::start();
    // XML namespace names, which the client passes to createElementNS: identifiers that
    // are never fetched.
    const NAMESPACES: [&str; 3] =
        ["http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/1999/xhtml"];
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let reply = server.get(&format!("/assets/{name}"));
        assert_eq!(reply.status, 200, "{name}");
        let bytes = std::fs::read(crate::helpers::assets_dir().unwrap().join(&name)).unwrap();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        for namespace in NAMESPACES {
            text = text.replace(namespace, "");
        }
        for scheme in ["http://", "https://", "//cdn", "wss://", "ws://"] {
            let at = text.find(scheme).map(|i| text[i..].chars().take(80).collect::<String>());
            assert!(at.is_none(), "{name} names another host: {at:?}");
        }
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} assets");
}

#[test]
fn pages_carry_a_strict_policy_and_load_nothing_from_elsewhere() {
    let server = TestServer::start();
    for path in ["/", "/s/diaspora", "/s/unknown"] {
        let reply = server.get(path);
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert!(reply.header("permissions-policy").is_some_and(|p| p.contains("geolocation=()")));
        assert!(
            !reply.body.contains("http://")
                && !reply.body.contains("https://")
                && !reply.body.contains("//cdn"),
            "{path} links elsewhere: {}",
            reply.body
        );
    }
}

mod schema_check {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    use nansen_server::storage::Conn;

    #[derive(QueryableByName)]
    pub struct Name {
        #[diesel(sql_type = Text)]
        pub name: String,
    }

    #[derive(QueryableByName)]
    pub struct Rows {
        #[diesel(sql_type = BigInt)]
        pub rows: i64,
    }

    pub fn open(url: &str) -> Conn {
        if url.starts_with("postgres") {
            Conn::Pg(PgConnection::establish(url).unwrap())
        } else {
            Conn::Sqlite(SqliteConnection::establish(url).unwrap())
        }
    }

    fn names(conn: &mut Conn, sqlite: &str, postgres: &str) -> Vec<String> {
        let query = if matches!(conn, Conn::Sqlite(_)) { sqlite } else { postgres };
        let names: Vec<Name> = diesel::sql_query(query).load(conn).unwrap();
        names.into_iter().map(|n| n.name).collect()
    }

    /// Every table's name and row count.
    pub fn row_counts(conn: &mut Conn) -> Vec<(String, i64)> {
        let tables = names(
            conn,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        );
        tables
            .into_iter()
            .map(|table| {
                let count: Rows = diesel::sql_query(format!("SELECT COUNT(*) AS rows FROM \"{table}\""))
                    .get_result(conn)
                    .unwrap();
                (table, count.rows)
            })
            .collect()
    }

    #[derive(QueryableByName)]
    pub struct Run {
        #[diesel(sql_type = diesel::sql_types::Binary)]
        pub hashes: Vec<u8>,
    }

    /// Every stored nullifier, by the run it is in.
    pub fn nullifiers(conn: &mut Conn) -> Vec<Vec<[u8; 16]>> {
        let runs: Vec<Run> = diesel::sql_query("SELECT hashes FROM nullifier_runs").load(conn).unwrap();
        runs.iter().map(|run| run.hashes.chunks(16).map(|h| h.try_into().unwrap()).collect()).collect()
    }

    pub fn columns(conn: &mut Conn, table: &str) -> Vec<String> {
        names(
            conn,
            &format!("SELECT name FROM pragma_table_info('{table}')"),
            &format!(
                "SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}' \
                 ORDER BY ordinal_position"
            ),
        )
    }
}

#[test]
fn only_nullifiers_grow_with_each_submission_and_they_say_nothing_else() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    // Every answer pattern this test will use, once, so that the counters it touches
    // exist before the count starts.
    let mut rng = Rng::new(11);
    let patterns: Vec<Answers> = (0..5).map(|_| valid_answers(&survey, &mut rng)).collect();
    for answers in &patterns {
        assert_eq!(server.submit("diaspora", 1, answers, &fresh_key()).status, 200);
    }
    let mut conn = schema_check::open(&server.database_url());
    let before = schema_check::row_counts(&mut conn);
    const MORE: i64 = 40;
    for i in 0..MORE {
        let answers = &patterns[usize::try_from(i).unwrap() % patterns.len()];
        assert_eq!(server.submit("diaspora", 1, answers, &fresh_key()).status, 200);
    }
    let after = schema_check::row_counts(&mut conn);
    let changed: Vec<&str> =
        before.iter().zip(&after).filter(|(b, a)| a.1 != b.1).map(|(b, _)| b.0.as_str()).collect();
    assert!(
        changed.iter().all(|table| *table == "nullifier_runs"),
        "tables whose rows changed with {MORE} submissions: {changed:?}"
    );
    let runs = schema_check::nullifiers(&mut conn);
    let stored: usize = runs.iter().map(Vec::len).sum();
    assert_eq!(stored, 5 + MORE as usize, "one nullifier per submission");
    // A nullifier is a keyed hash, kept with its survey: no time, no address, no answer;
    // a batch's are one run, in ascending order rather than as they came.
    assert_eq!(schema_check::columns(&mut conn, "nullifier_runs"), ["id", "survey_id", "hashes"]);
    for run in &runs {
        assert!(run.windows(2).all(|w| w[0] < w[1]), "a run is sorted");
    }
    if crate::helpers::postgres_admin().is_none() {
        // Each submission above was its own batch; SQLite's write-ahead log does not
        // keep the counters' page versions batch after batch (which would let a copy of
        // it be differenced): it is emptied after each.
        let wal = std::fs::metadata(server.dir().path().join("nansen.db-wal")).map(|m| m.len()).unwrap_or(0);
        assert!(wal < 32 * 1024, "the write-ahead log holds {wal} bytes after {MORE} batches");
    }
}

#[test]
fn at_the_default_level_no_respondent_request_is_logged_at_all() {
    // Each is a trace of one person's visit, and their times side by side could link an
    // invite code's exchange to the answers.
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::start_with(dir, &[("NANSEN_LOG", "info")]);
    // Everything a respondent's browser asks for, found or not...
    for path in [
        "/",
        "/s/diaspora",
        "/s/diaspora?lang=ru",
        "/s/nope",
        "/api/v1/surveys",
        "/api/v1/surveys/diaspora",
        "/api/v1/surveys/diaspora/messages?lang=ru",
        "/api/v1/messages",
        "/api/v1/surveys/nope",
        "/assets/nansen.css",
        "/assets/nope.js",
        "/no/such/page",
        "/healthz",
    ] {
        server.get(path);
    }
    // ...and everything it sends.
    let survey = server.survey("diaspora");
    let answers = valid_answers(&survey, &mut Rng::new(3));
    assert_eq!(server.submit("diaspora", 1, &answers, &fresh_key()).status, 200);
    server.submit("diaspora", 1, &answers, "not a key");
    server.post_raw("/s/diaspora", "application/x-www-form-urlencoded", "version=1", &[]);
    server.post_json(
        "/api/v1/surveys/diaspora/invites/redeem",
        &json!({"code": "ABCDE-FGHJK", "blinded": "AA"}),
    );
    // Staff requests are logged...
    let cookie = server.login_admin();
    server.get("/admin");
    server.get_with("/api/v1/admin/surveys", &[("cookie", &cookie)]);
    let staff =
        [r#"route="/api/v1/session" status=200"#, r#"route="/admin""#, r#"route="/api/v1/admin/surveys""#];
    let output = server.output_once(|output| staff.iter().all(|route| output.contains(route)));
    let access: Vec<&str> = output.lines().filter(|line| line.contains("nansen::access")).collect();
    for route in staff {
        assert!(access.iter().any(|line| line.contains(route)), "{route} is not in the log:\n{output}");
    }
    // ...and nothing else: no respondent's GET or POST.
    assert_eq!(access.len(), 3, "{output}");
    for route in [
        "/responses",
        "/invites/redeem",
        "/messages",
        "{slug}\"",
        r#"route="/""#,
        "/assets/",
        "/healthz",
        "(unmatched)",
    ] {
        assert!(!output.contains(route), "{route} is in the log:\n{output}");
    }
}
