//! Configuration from the environment: defaults first, each overridable by a variable.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use crate::http::throttle::Allowance;
use crate::storage::DatabaseUrl;
use crate::submission::Batching;

/// Everything the server needs to know to start.
#[derive(Debug)]
pub struct Config {
    /// `NANSEN_BIND`: the address to listen on.
    pub bind: String,
    /// `DATABASE_URL`: where the data lives.
    pub database: DatabaseUrl,
    /// `NANSEN_KEY_FILE`: the server's secret for invite codes, kept outside the
    /// database (see `surveys::invites::CodeKey`); by default beside the database.
    pub key_file: PathBuf,
    /// `NANSEN_ADMIN_PASSWORD`: the first admin's password, used only when no user exists.
    pub admin_password: Option<SecretString>,
    /// `NANSEN_ASSETS`: the directory of the built browser client.
    pub assets: Option<PathBuf>,
    /// `NANSEN_PUBLIC_URL`: the origin people reach the server at, such as
    /// `https://survey.example.org`; makes cookies `Secure` when https.
    pub public_origin: Option<String>,
    /// `NANSEN_BEHIND_PROXY`: a reverse proxy's `X-Forwarded-For` names the client.
    pub behind_proxy: bool,
    /// `NANSEN_BATCH_MAX`, `NANSEN_BATCH_WINDOW_MS`: how submissions are batched.
    pub batching: Batching,
    /// `NANSEN_DB_POOL`: the most database connections for requests (the submission
    /// writer has one more of its own).
    pub pool_size: u32,
    /// `NANSEN_READY_FILE`: a file the server writes its address to (`http://host:port`
    /// and a newline) once it accepts connections, for supervisors and test harnesses
    /// that start it on port 0.
    pub ready_file: Option<PathBuf>,
    /// `NANSEN_RELEASE_CHECK_SECONDS`: how often the release schedule looks for
    /// releases that are due.
    pub release_check: Duration,
    /// Limits against floods and slow clients.
    pub limits: Limits,
}

/// How much the server takes from slow clients and floods before it refuses (each is a
/// line of the README's configuration table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `NANSEN_HEADER_TIMEOUT_SECONDS`: a request's headers must arrive within this.
    pub header_timeout: Duration,
    /// `NANSEN_BODY_TIMEOUT_SECONDS`: a request's body must arrive within this.
    pub body_timeout: Duration,
    /// `NANSEN_KEEP_ALIVE_SECONDS`: an idle connection is closed after this.
    pub keep_alive: Duration,
    /// `NANSEN_MAX_CONNECTIONS`: connections open at once; more wait in the backlog.
    pub max_connections: usize,
    /// `NANSEN_MIXER_QUEUE`: submissions waiting for their batch; beyond, 503.
    pub mixer_queue: usize,
    /// `NANSEN_LOGIN_QUEUE`: logins waiting for a password check; beyond, 503.
    pub login_queue: usize,
    /// `NANSEN_INVITE_QUEUE`: invite exchanges waiting for a signature; beyond, 503.
    pub invite_queue: usize,
    /// `NANSEN_LOGIN_FAILURES`, `NANSEN_SUBMISSIONS_PER_MINUTE`, `NANSEN_INVITES_PER_MINUTE`.
    pub allowance: Allowance,
}

impl Default for Limits {
    /// Headers in 10 s and a body (at most 64 KiB) in 20 s are generous for a slow 3G
    /// phone; 4,096 connections fit the open files a service usually may raise itself
    /// to. 16,384 waiting submissions are a few MiB.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(20),
            keep_alive: Duration::from_secs(5),
            max_connections: 4096,
            mixer_queue: 16 * 1024,
            login_queue: 16,
            invite_queue: 64,
            allowance: Allowance::default(),
        }
    }
}

/// Connections per instance by default: enough for the two request workers and
/// staff screens, few enough that several instances fit PostgreSQL's default 100.
pub const DEFAULT_POOL: u32 = 8;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Database(#[from] crate::storage::UnsupportedDatabase),
    #[error("{0} is set but empty")]
    Empty(&'static str),
    #[error(
        "NANSEN_PUBLIC_URL {0:?} must be an http:// or https:// address, such as https://survey.example.org"
    )]
    PublicUrl(String),
    #[error("{0} must be true or false, not {1:?}")]
    NotABool(&'static str, String),
    #[error("{0} must be a whole number {1}, not {2:?}")]
    NotANumber(&'static str, &'static str, String),
}

/// How often the release schedule looks by default: a minute, against intervals of
/// hours.
pub const DEFAULT_RELEASE_CHECK: Duration = Duration::from_secs(60);

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "nansen.db";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &'static str| match lookup(name) {
            Some(value) if value.trim().is_empty() => Err(ConfigError::Empty(name)),
            other => Ok(other),
        };
        let database =
            DatabaseUrl::parse(&non_empty("DATABASE_URL")?.unwrap_or_else(|| DEFAULT_DATABASE.to_owned()))?;
        Ok(Self {
            bind: non_empty("NANSEN_BIND")?.unwrap_or_else(|| DEFAULT_BIND.to_owned()),
            key_file: non_empty("NANSEN_KEY_FILE")?
                .map_or_else(|| beside_database(&database, "key"), PathBuf::from),
            database,
            admin_password: non_empty("NANSEN_ADMIN_PASSWORD")?.map(SecretString::from),
            assets: non_empty("NANSEN_ASSETS")?.map(PathBuf::from),
            public_origin: non_empty("NANSEN_PUBLIC_URL")?.map(|url| origin_of(&url)).transpose()?,
            behind_proxy: match non_empty("NANSEN_BEHIND_PROXY")?.as_deref() {
                None | Some("false" | "0" | "no") => false,
                Some("true" | "1" | "yes") => true,
                Some(other) => return Err(ConfigError::NotABool("NANSEN_BEHIND_PROXY", other.to_owned())),
            },
            batching: Batching {
                max: number(&non_empty, "NANSEN_BATCH_MAX", "from 1 to 65536", 1..=65536)?
                    .unwrap_or(Batching::default().max),
                window: number(&non_empty, "NANSEN_BATCH_WINDOW_MS", "from 0 to 10000", 0..=10_000)?
                    .map_or(Batching::default().window, |ms| Duration::from_millis(ms as u64)),
            },
            pool_size: number(&non_empty, "NANSEN_DB_POOL", "from 1 to 256", 1..=256)?
                .map_or(DEFAULT_POOL, |n| n as u32),
            ready_file: non_empty("NANSEN_READY_FILE")?.map(PathBuf::from),
            release_check: number(&non_empty, "NANSEN_RELEASE_CHECK_SECONDS", "from 1 to 3600", 1..=3600)?
                .map_or(DEFAULT_RELEASE_CHECK, |s| Duration::from_secs(s as u64)),
            limits: limits(&non_empty)?,
        })
    }
}

fn limits(
    read: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Limits, ConfigError> {
    let d = Limits::default();
    let seconds = |name, default: Duration| -> Result<Duration, ConfigError> {
        Ok(number(read, name, "from 1 to 3600", 1..=3600)?.map_or(default, |s| Duration::from_secs(s as u64)))
    };
    let count = |name, default: usize, rule, range| -> Result<usize, ConfigError> {
        Ok(number(read, name, rule, range)?.unwrap_or(default))
    };
    let rate = |name, default: u32| -> Result<u32, ConfigError> {
        Ok(number(read, name, "from 0 (no limit) to 1000000", 0..=1_000_000)?.map_or(default, |n| n as u32))
    };
    Ok(Limits {
        header_timeout: seconds("NANSEN_HEADER_TIMEOUT_SECONDS", d.header_timeout)?,
        body_timeout: seconds("NANSEN_BODY_TIMEOUT_SECONDS", d.body_timeout)?,
        keep_alive: seconds("NANSEN_KEEP_ALIVE_SECONDS", d.keep_alive)?,
        max_connections: count(
            "NANSEN_MAX_CONNECTIONS",
            d.max_connections,
            "from 16 to 1000000",
            16..=1_000_000,
        )?,
        mixer_queue: count("NANSEN_MIXER_QUEUE", d.mixer_queue, "from 1 to 1000000", 1..=1_000_000)?,
        login_queue: count("NANSEN_LOGIN_QUEUE", d.login_queue, "from 0 to 10000", 0..=10_000)?,
        invite_queue: count("NANSEN_INVITE_QUEUE", d.invite_queue, "from 0 to 100000", 0..=100_000)?,
        allowance: Allowance {
            login_failures: rate("NANSEN_LOGIN_FAILURES", d.allowance.login_failures)?,
            submissions_per_minute: rate(
                "NANSEN_SUBMISSIONS_PER_MINUTE",
                d.allowance.submissions_per_minute,
            )?,
            invites_per_minute: rate("NANSEN_INVITES_PER_MINUTE", d.allowance.invites_per_minute)?,
        },
    })
}

/// A file of the server's own that belongs with the database: `<database file>.<suffix>`
/// beside a SQLite database (`nansen.db.key`), `nansen.<suffix>` in the working
/// directory for PostgreSQL.
pub fn beside_database(database: &DatabaseUrl, suffix: &str) -> PathBuf {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{suffix}"));
            PathBuf::from(name)
        }
        DatabaseUrl::Postgres(_) => PathBuf::from(format!("nansen.{suffix}")),
    }
}

/// A whole-number setting within `range`, if set.
fn number(
    read: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    name: &'static str,
    rule: &'static str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<Option<usize>, ConfigError> {
    match read(name)? {
        None => Ok(None),
        Some(raw) => match raw.trim().parse::<usize>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(ConfigError::NotANumber(name, rule, raw)),
        },
    }
}

/// `scheme://host[:port]` of an address, which is what browsers send as `Origin` (the
/// default port left out, the host in lower case).
fn origin_of(raw: &str) -> Result<String, ConfigError> {
    let invalid = || ConfigError::PublicUrl(raw.to_owned());
    let url = url::Url::parse(raw).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid());
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn defaults() {
        let config = config(&[]).unwrap();
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.database, DatabaseUrl::Sqlite("nansen.db".into()));
        assert!(config.admin_password.is_none());
    }

    #[test]
    fn the_key_file_sits_beside_the_database() {
        assert_eq!(config(&[]).unwrap().key_file, PathBuf::from("nansen.db.key"));
        let sqlite = config(&[("DATABASE_URL", "sqlite:///var/lib/nansen/survey.db")]).unwrap();
        assert_eq!(sqlite.key_file, PathBuf::from("/var/lib/nansen/survey.db.key"));
        let postgres = config(&[("DATABASE_URL", "postgres://nansen@db/nansen")]).unwrap();
        assert_eq!(postgres.key_file, PathBuf::from("nansen.key"));
        let set = config(&[("NANSEN_KEY_FILE", "/etc/nansen/key")]).unwrap();
        assert_eq!(set.key_file, PathBuf::from("/etc/nansen/key"));
        assert!(config(&[("NANSEN_KEY_FILE", "")]).is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        let config = config(&[("NANSEN_ADMIN_PASSWORD", "correct horse battery")]).unwrap();
        assert!(!format!("{config:?}").contains("horse"));
    }

    #[test]
    fn public_urls_become_origins() {
        let public = config(&[("NANSEN_PUBLIC_URL", "https://Survey.example.org/some/path")]).unwrap();
        assert_eq!(public.public_origin.as_deref(), Some("https://survey.example.org"));
        assert!(config(&[("NANSEN_PUBLIC_URL", "survey.example.org")]).is_err());
        assert!(config(&[("NANSEN_BEHIND_PROXY", "maybe")]).is_err());
        assert!(config(&[("NANSEN_BEHIND_PROXY", "true")]).unwrap().behind_proxy);
    }

    #[test]
    fn batching_settings() {
        assert_eq!(config(&[]).unwrap().batching, Batching::default());
        let set = config(&[("NANSEN_BATCH_MAX", "1"), ("NANSEN_BATCH_WINDOW_MS", "0")]).unwrap();
        assert_eq!(set.batching, Batching { max: 1, window: Duration::ZERO });
        assert!(config(&[("NANSEN_BATCH_MAX", "0")]).is_err());
        assert!(config(&[("NANSEN_BATCH_WINDOW_MS", "soon")]).is_err());
        assert_eq!(config(&[]).unwrap().pool_size, DEFAULT_POOL);
        assert_eq!(config(&[("NANSEN_DB_POOL", "20")]).unwrap().pool_size, 20);
        assert!(config(&[("NANSEN_DB_POOL", "0")]).is_err());
    }

    #[test]
    fn limits() {
        assert_eq!(config(&[]).unwrap().limits, Limits::default());
        let set =
            config(&[("NANSEN_BODY_TIMEOUT_SECONDS", "3"), ("NANSEN_SUBMISSIONS_PER_MINUTE", "0")]).unwrap();
        assert_eq!(set.limits.body_timeout, Duration::from_secs(3));
        assert_eq!(set.limits.allowance.submissions_per_minute, 0);
        assert!(config(&[("NANSEN_MAX_CONNECTIONS", "3")]).is_err());
        assert!(config(&[("NANSEN_HEADER_TIMEOUT_SECONDS", "0")]).is_err());
    }

    #[test]
    fn empty_values_are_mistakes() {
        assert!(matches!(config(&[("NANSEN_BIND", " ")]), Err(ConfigError::Empty("NANSEN_BIND"))));
    }
}
