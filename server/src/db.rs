//! Opening the database: connection settings, the pool, and the embedded migrations.

use std::path::Path;
use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool as R2d2Pool};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::DatabaseUrl;
use crate::problem::{ApiError, blocking};

pub type Conn = SqliteConnection;
pub type Pool = R2d2Pool<ConnectionManager<Conn>>;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Settings every SQLite connection needs. `synchronous = FULL` makes each commit reach
/// the disk before it returns, so an acknowledged submission survives a power cut;
/// `secure_delete` overwrites freed content instead of leaving it in the file.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
    PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON;
    PRAGMA secure_delete = ON;";

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(SQLITE_PRAGMAS).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens the database, creating it if needed, and brings its schema up to date.
pub fn open(url: &DatabaseUrl, readers: u32) -> anyhow::Result<Pool> {
    let DatabaseUrl::Sqlite(path) = url;
    let mut conn = connect(path)?;
    // WAL lets readers work while the writer commits; it is a property of the file.
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("could not migrate the database: {e}"))?;
    let manager = ConnectionManager::<Conn>::new(path_str(path)?);
    let pool = R2d2Pool::builder()
        .max_size(readers)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(Pragmas))
        .build(manager)?;
    Ok(pool)
}

/// Empties the write-ahead log into the database file. Until SQLite's own checkpoint,
/// the log keeps every committed version of a page side by side, and the difference
/// between two versions of the counters is one batch: emptied after each batch, a copy
/// of the log holds at most the batch being written. Best effort: a long reader can
/// keep the log from emptying, and the next batch tries again.
pub fn empty_wal(conn: &mut Conn) {
    if let Err(error) = conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);") {
        tracing::warn!("could not empty the write-ahead log: {error}");
    }
}

/// A connection of its own, for the one thread that writes submissions.
pub fn connect_writer(url: &DatabaseUrl) -> anyhow::Result<Conn> {
    let DatabaseUrl::Sqlite(path) = url;
    connect(path)
}

fn connect(path: &Path) -> anyhow::Result<Conn> {
    let mut conn = SqliteConnection::establish(path_str(path)?)
        .map_err(|e| anyhow::anyhow!("could not open the database {}: {e}", path.display()))?;
    conn.batch_execute(SQLITE_PRAGMAS)?;
    Ok(conn)
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
    drop(open(&url, 1).expect("a database"));
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
        conn.revert_all_migrations(MIGRATIONS).unwrap();
        assert_eq!(schema(&mut conn), Vec::new(), "down.sql leaves nothing behind");
        conn.run_pending_migrations(MIGRATIONS).unwrap();
        assert_eq!(schema(&mut conn), migrated, "up again gives the same schema");
    }
}
