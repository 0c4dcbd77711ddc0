//! The database a test server uses, on either backend, and reading what it stored.
//!
//! By default each test server has a SQLite file in its own directory. When
//! `cargo xtask test` sets `NANSEN_TEST_POSTGRES` (the admin URL of a throwaway
//! cluster it started) each one instead gets a PostgreSQL database of its own, copied
//! from a template migrated once per test process. The database's URL is remembered in
//! the server's directory, so that a restarted server finds the same data.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// Where the URL of a directory's PostgreSQL database is written.
const MARKER: &str = "postgres-database";

/// The throwaway cluster's admin URL, when the tests run on PostgreSQL.
pub fn postgres_admin() -> Option<String> {
    std::env::var("NANSEN_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// The `DATABASE_URL` for a server whose directory is `dir`.
pub fn database_url(dir: &Path) -> String {
    let Some(admin) = postgres_admin() else {
        return dir.join("nansen.db").display().to_string();
    };
    let marker = dir.join(MARKER);
    if let Ok(url) = std::fs::read_to_string(&marker) {
        return url;
    }
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("nansen_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    // FILE_COPY: the copy is not written to the WAL, which the forensic tests read.
    let create = format!("CREATE DATABASE {name} TEMPLATE {} STRATEGY FILE_COPY", template(&admin));
    execute(&admin, &create);
    let url = with_database(&admin, &name);
    std::fs::write(&marker, &url).unwrap();
    url
}

/// An empty PostgreSQL database (not from the template), for tests of what a server
/// does on a database nobody has migrated yet; `None` on SQLite.
pub fn empty_postgres_database(dir: &Path) -> Option<String> {
    let admin = postgres_admin()?;
    let name = format!("nansen_empty_{}_{}", std::process::id(), dir.file_name()?.to_str()?.to_lowercase());
    let name: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    execute(&admin, &format!("CREATE DATABASE {name}"));
    let url = with_database(&admin, &name);
    std::fs::write(dir.join(MARKER), &url).unwrap();
    Some(url)
}

/// The template of this test process: created and migrated (`nansen migrate`) once.
fn template(admin: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("nansen_template_{}", std::process::id());
        execute(admin, &format!("CREATE DATABASE {name}"));
        let status = Command::new(env!("CARGO_BIN_EXE_nansen"))
            .arg("migrate")
            .env_clear()
            .env("DATABASE_URL", with_database(admin, &name))
            .status()
            .expect("run nansen migrate");
        assert!(status.success(), "nansen migrate failed on the template database");
        name
    })
}

/// Runs `sql` on the cluster's `postgres` database. Creating databases from one
/// template at once can collide (the template is briefly busy): that is retried.
fn execute(admin: &str, sql: &str) {
    let mut conn = PgConnection::establish(admin).expect("connect to the test cluster");
    for attempt in 0.. {
        match conn.batch_execute(sql) {
            Ok(()) => return,
            Err(error) if attempt < 100 && error.to_string().contains("being accessed by other users") => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(error) => panic!("{sql}: {error}"),
        }
    }
}

/// `admin` with its database name replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

/// The files holding what the server in `dir` stored: its SQLite database, WAL and
/// shared memory; or, on PostgreSQL, after a checkpoint has written everything out, its
/// database's files and the WAL segments written since it was made.
pub fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(url) = std::fs::read_to_string(dir.join(MARKER)) else {
        let files = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path());
        return files.filter(|p| p.is_file() && p.to_string_lossy().contains("nansen.db")).collect();
    };
    let admin = postgres_admin().expect("NANSEN_TEST_POSTGRES");
    execute(&admin, "CHECKPOINT");
    let data = PathBuf::from(std::env::var("NANSEN_TEST_POSTGRES_DATA").expect("NANSEN_TEST_POSTGRES_DATA"));
    let name = url.rsplit('/').next().unwrap_or_default();
    let oid = database_oid(&admin, name);
    let since = std::fs::metadata(dir.join(MARKER)).and_then(|m| m.modified()).unwrap();
    let mut files = files_in(&data.join("base").join(oid.to_string()));
    let recent = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).is_ok_and(|t| t >= since);
    files.extend(files_in(&data.join("pg_wal")).into_iter().filter(recent));
    files
}

fn database_oid(admin: &str, name: &str) -> u32 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Oid {
        #[diesel(sql_type = diesel::sql_types::Oid)]
        oid: u32,
    }
    let mut conn = PgConnection::establish(admin).unwrap();
    let row: Oid = diesel::sql_query(format!("SELECT oid FROM pg_database WHERE datname = '{name}'"))
        .get_result(&mut conn)
        .unwrap();
    row.oid
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect()
}

/// Whether `path` is a write-ahead log: SQLite's `-wal` file or a PostgreSQL segment.
pub fn is_write_ahead_log(path: &Path) -> bool {
    path.to_string_lossy().ends_with("-wal") || path.parent().is_some_and(|p| p.ends_with("pg_wal"))
}

/// The first of `needles` found in `haystack`, if any. One pass over the haystack
/// (databases and WAL segments are megabytes, and there are hundreds of needles):
/// positions whose first two bytes start no needle are skipped at once.
pub fn find_any<'a>(haystack: &[u8], needles: &'a [Vec<u8>]) -> Option<&'a [u8]> {
    let mut starts = vec![false; 1 << 16];
    for needle in needles {
        assert!(needle.len() >= 2, "needles of at least two bytes");
        starts[usize::from(needle[0]) << 8 | usize::from(needle[1])] = true;
    }
    for (i, pair) in haystack.windows(2).enumerate() {
        if starts[usize::from(pair[0]) << 8 | usize::from(pair[1])]
            && let Some(found) = needles.iter().find(|n| haystack[i..].starts_with(n))
        {
            return Some(found);
        }
    }
    None
}

/// A connection to the database at `url` (a SQLite path or a PostgreSQL URL), opened
/// beside the running server, as an operator with a copy of the database would.
pub fn connect(url: &str) -> nansen_server::storage::Conn {
    use diesel::SqliteConnection;
    use nansen_server::storage::Conn;
    if url.starts_with("postgres") {
        Conn::Pg(PgConnection::establish(url).unwrap())
    } else {
        Conn::Sqlite(SqliteConnection::establish(url).unwrap())
    }
}

/// A table as read back from a copy of the database: its columns, and its rows in the
/// order they are stored (no `ORDER BY`), each value as bytes (a blob's own bytes,
/// anything else as its text; `None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<Vec<u8>>>>,
}

impl Table {
    /// The values of `column`, row by row.
    pub fn column(&self, column: &str) -> Vec<Option<Vec<u8>>> {
        let index =
            self.columns.iter().position(|c| c == column).unwrap_or_else(|| panic!("no column {column}"));
        self.rows.iter().map(|row| row[index].clone()).collect()
    }
}

/// Every table of the database at `url`, every row and every value, read back as
/// someone holding a copy of it would.
pub fn read_back(url: &str) -> std::collections::BTreeMap<String, Table> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let mut conn = connect(url);
    let postgres = matches!(conn, nansen_server::storage::Conn::Pg(_));
    let lines = |conn: &mut nansen_server::storage::Conn, sql: &str| -> Vec<String> {
        let lines: Vec<Line> = diesel::sql_query(sql).load(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
        lines.into_iter().map(|l| l.line).collect()
    };
    let tables = if postgres {
        lines(
            &mut conn,
            "SELECT table_name::TEXT AS line FROM information_schema.tables WHERE table_schema = 'public'",
        )
    } else {
        lines(
            &mut conn,
            "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
    };
    let mut read = std::collections::BTreeMap::new();
    for table in tables {
        // Each column's name and whether it holds bytes (which are read as they are).
        let columns: Vec<(String, bool)> = if postgres {
            let sql = format!(
                "SELECT column_name || ' ' || data_type AS line FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
            );
            lines(&mut conn, &sql)
                .into_iter()
                .map(|l| {
                    let (name, kind) = l.split_once(' ').unwrap();
                    (name.to_owned(), kind == "bytea")
                })
                .collect()
        } else {
            let sql = format!("SELECT name AS line FROM pragma_table_info('{table}') ORDER BY cid");
            lines(&mut conn, &sql).into_iter().map(|name| (name, true)).collect()
        };
        // Per value: N for NULL, or V and its bytes in hex.
        let values: Vec<String> = columns
            .iter()
            .map(|(name, bytes)| {
                let hex = match (postgres, bytes) {
                    (true, true) => format!("encode(\"{name}\", 'hex')"),
                    (true, false) => format!("encode(convert_to(\"{name}\"::TEXT, 'UTF8'), 'hex')"),
                    (false, _) => format!("hex(\"{name}\")"),
                };
                format!("CASE WHEN \"{name}\" IS NULL THEN 'N' ELSE 'V' || {hex} END")
            })
            .collect();
        let sql = format!("SELECT {} AS line FROM \"{table}\"", values.join(" || ',' || "));
        let rows = lines(&mut conn, &sql)
            .into_iter()
            .map(|line| line.split(',').map(|value| value.strip_prefix('V').map(unhex)).collect())
            .collect();
        read.insert(table, Table { columns: columns.into_iter().map(|(name, _)| name).collect(), rows });
    }
    read
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// What is wrong with the database at `url`, as its own checker sees it (empty: nothing).
/// SQLite: `PRAGMA integrity_check` and `foreign_key_check`. PostgreSQL: amcheck's
/// `verify_heapam` on every table and `bt_index_check` (with the heap) on every index,
/// when the extension is there (Debian's server package ships it); foreign keys are
/// enforced there at every commit.
#[allow(dead_code, reason = "each test crate uses a part")]
pub fn integrity_problems(url: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let mut conn = connect(url);
    let mut lines = |sql: &str| -> Vec<String> {
        let lines: Result<Vec<Line>, _> = diesel::sql_query(sql).load(&mut conn);
        lines.map_or_else(|e| vec![format!("{sql}: {e}")], |l| l.into_iter().map(|l| l.line).collect())
    };
    if !url.starts_with("postgres") {
        let mut problems: Vec<String> = lines("SELECT integrity_check AS line FROM pragma_integrity_check")
            .into_iter()
            .filter(|l| l != "ok")
            .collect();
        problems.extend(lines(
            "SELECT 'foreign key: ' || \"table\" || ' row ' || COALESCE(rowid, '?') || ' -> ' || parent AS line \
             FROM pragma_foreign_key_check",
        ));
        return problems;
    }
    if let [problem] = &lines("CREATE EXTENSION IF NOT EXISTS amcheck")[..] {
        eprintln!("no amcheck on this PostgreSQL, its structures are not checked: {problem}");
        return Vec::new();
    }
    let relations = |kind: &str| {
        format!(
            "SELECT c.oid::regclass::TEXT AS line FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind = '{kind}' \
             AND c.relam IN (SELECT oid FROM pg_am WHERE amname IN ('heap', 'btree'))"
        )
    };
    let mut problems = Vec::new();
    for table in lines(&relations("r")) {
        let sql = format!(
            "SELECT '{table} block ' || blkno || ': ' || msg AS line FROM verify_heapam('{table}', check_toast => true)"
        );
        problems.extend(lines(&sql));
    }
    for index in lines(&relations("i")) {
        // An error is the finding; the function returns nothing otherwise.
        let sql = format!("SELECT '' AS line FROM (SELECT bt_index_check('{index}', true)) AS checked");
        problems.extend(lines(&sql).into_iter().filter(|l| !l.is_empty()));
    }
    problems
}
