//! Opening the database: SQLite (embedded, the default) or PostgreSQL (for several
//! server instances), chosen by `DATABASE_URL`; connection settings, the pool, the
//! embedded migrations, and the few places where the two backends differ.

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool as R2d2Pool};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub mod counters;
pub mod schema;
mod url;

pub use url::{DatabaseUrl, UnsupportedDatabase};

use crate::http::problem::{ApiError, blocking};

/// A connection to either backend. Queries are written once against it; the few
/// statements diesel cannot express for both at once (upserts) go through
/// [`per_backend!`](crate::per_backend), which compiles the same code for each.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pg(_) => "Conn::Pg",
            Self::Sqlite(_) => "Conn::Sqlite",
        })
    }
}

pub type Pool = R2d2Pool<ConnectionManager<Conn>>;

/// Runs `$body` with `$c` bound to the backend's own connection (inside any transaction
/// already open on the multi-backend one): the same text, compiled for each backend.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::storage::Conn::Pg($c) => $body,
            $crate::storage::Conn::Sqlite($c) => $body,
        }
    };
}

/// Rows per multi-row statement: well under the bound-parameter limits of SQLite
/// (32766) and PostgreSQL (65535) at four parameters a row.
pub const ROWS_PER_STATEMENT: usize = 4096;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Settings every SQLite connection needs. `synchronous = FULL` makes each commit reach
/// the disk before it returns, so an acknowledged submission survives a power cut;
/// `secure_delete` overwrites freed content instead of leaving it in the file.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
    PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON;
    PRAGMA secure_delete = ON;";

/// Any numbers, the same in every instance: whoever holds one is migrating, doing
/// first-start setup, or recording nullifiers (see `ledger`).
const MIGRATION_LOCK: i64 = 0x6e61_6e73_656e; // "nansen"
const SETUP_LOCK: i64 = MIGRATION_LOCK + 1;
pub const LEDGER_LOCK: i64 = MIGRATION_LOCK + 2;

#[derive(Debug)]
struct Settings;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for Settings {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        match conn {
            Conn::Sqlite(c) => c.batch_execute(SQLITE_PRAGMAS).map_err(diesel::r2d2::Error::QueryError),
            Conn::Pg(_) => Ok(()),
        }
    }
}

/// Opens the database, creating it if needed (SQLite), and brings its schema up to
/// date; `size` is the most pooled connections.
pub fn open(url: &DatabaseUrl, size: u32) -> anyhow::Result<Pool> {
    migrate(url)?;
    let pool = R2d2Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(Settings))
        .build(ConnectionManager::<Conn>::new(url.as_str()))?;
    Ok(pool)
}

/// Runs the pending migrations, one instance at a time (several may start together on
/// one database): under a lock on SQLite's file, or PostgreSQL's advisory lock.
pub fn migrate(url: &DatabaseUrl) -> anyhow::Result<()> {
    let failed = |e| anyhow::anyhow!("could not migrate the database: {e}");
    match url {
        DatabaseUrl::Sqlite(path) => {
            // A lock on the file (flock; SQLite's own locks are fcntl locks, which it does
            // not disturb): a second process starting on the same file waits, then finds
            // everything done. The file is created if need be: SQLite takes it as new.
            let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
            file.lock()?;
            let Conn::Sqlite(mut conn) = connect(url)? else { unreachable!("a SQLite URL") };
            // WAL lets readers work while the writer commits; it is a property of the file.
            conn.batch_execute("PRAGMA journal_mode = WAL;")?;
            conn.run_pending_migrations(SQLITE_MIGRATIONS).map_err(failed)?;
        }
        DatabaseUrl::Postgres(_) => {
            let Conn::Pg(mut conn) = connect(url)? else { unreachable!("a PostgreSQL URL") };
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(&mut conn)?;
            let migrated = conn.run_pending_migrations(PG_MIGRATIONS).map(drop).map_err(failed);
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(&mut conn)?;
            migrated?;
        }
    }
    Ok(())
}

/// Empties SQLite's write-ahead log into the database file. Until SQLite's own
/// checkpoint, the log keeps every committed version of a page side by side, and the
/// difference between two versions of the counters is one batch: emptied after each
/// batch, a copy of the log holds at most the batch being written. Best effort: a long
/// reader can keep the log from emptying, and the next batch tries again. (PostgreSQL
/// recycles its WAL itself; see docs/THREAT_MODEL.md.)
pub fn empty_wal(conn: &mut Conn) {
    if let Conn::Sqlite(conn) = conn
        && let Err(error) = conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
    {
        tracing::warn!("could not empty the write-ahead log: {error}");
    }
}

/// Runs `work` in a transaction that writes. On SQLite it takes the write lock at the
/// start (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could
/// otherwise find the database changed under it and fail instead of waiting.
pub fn write<T, E>(conn: &mut Conn, work: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    // Inside another write (first-start setup publishing the default survey), a
    // savepoint: the lock is already held.
    if <Conn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some()
    {
        return conn.transaction(work);
    }
    match conn {
        Conn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        Conn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match work(conn) {
        Ok(value) => {
            <Conn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            <Conn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// Runs `work` for one instance at a time: first-start setup (the admin account, the
/// default survey, the server's secrets), which several instances starting together on
/// one database would each find missing and each create; and removing an account, which
/// two admins removing each other at once would each find allowed (two admins left) and
/// together leave none.
pub fn exclusively<T, E>(conn: &mut Conn, work: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    write(conn, |conn| {
        // SQLite's BEGIN IMMEDIATE already admits one writer; PostgreSQL needs a lock.
        if let Conn::Pg(c) = conn {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({SETUP_LOCK})")).execute(c)?;
        }
        work(conn)
    })
}

/// A connection of its own, for the one thread that writes submissions.
pub fn connect_writer(url: &DatabaseUrl) -> anyhow::Result<Conn> {
    // `connect` has applied the settings every SQLite connection gets.
    let mut conn = connect(url)?;
    if let Conn::Sqlite(c) = &mut conn {
        // The writer empties the log after every batch itself (`empty_wal`), so an
        // automatic checkpoint on commit would be waste.
        c.batch_execute("PRAGMA wal_autocheckpoint = 0;")?;
    }
    Ok(conn)
}

fn connect(url: &DatabaseUrl) -> anyhow::Result<Conn> {
    let failed = |e| anyhow::anyhow!("could not open the database {url}: {e}");
    Ok(match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path_str(path)?).map_err(failed)?;
            conn.batch_execute(SQLITE_PRAGMAS)?;
            Conn::Sqlite(conn)
        }
        DatabaseUrl::Postgres(url) => Conn::Pg(PgConnection::establish(url).map_err(failed)?),
    })
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.to_str().ok_or_else(|| anyhow::anyhow!("the database path {} is not valid UTF-8", path.display()))
}

/// Runs `work` on a pooled connection, off the async workers (diesel is synchronous).
pub async fn run<T, E, F>(pool: &Pool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    ApiError: From<E>,
{
    let pool = pool.clone();
    blocking(move || {
        let mut conn = pool.get()?;
        Ok(work(&mut conn)?)
    })
    .await
}

/// Whether the database answers.
pub fn ping(conn: &mut Conn) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// Seconds since the Unix epoch, for staff-side records (never for respondents).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A migrated database in a temporary directory, for unit tests.
#[cfg(test)]
pub fn scratch() -> (tempfile::TempDir, Conn) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
    migrate(&url).expect("a database");
    let conn = connect_writer(&url).expect("a connection");
    (dir, conn)
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use diesel_migrations::MigrationHarness;

    use super::*;

    #[derive(QueryableByName, PartialEq, Debug)]
    struct SchemaLine {
        #[diesel(sql_type = Text)]
        sql: String,
    }

    fn schema(conn: &mut Conn) -> Vec<SchemaLine> {
        diesel::sql_query(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE '__diesel%' ORDER BY name",
        )
        .load(conn)
        .unwrap()
    }

    #[test]
    fn every_migration_reverts_cleanly() {
        let (_dir, mut conn) = scratch();
        let migrated = schema(&mut conn);
        assert!(migrated.iter().any(|l| l.sql.contains("CREATE TABLE nullifiers")));
        conn.revert_all_migrations(SQLITE_MIGRATIONS).unwrap();
        assert_eq!(schema(&mut conn), Vec::new(), "down.sql leaves nothing behind");
        conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        assert_eq!(schema(&mut conn), migrated, "up again gives the same schema");
    }
}
