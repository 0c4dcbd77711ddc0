//! Configuration from the environment: defaults first, each overridable by a variable.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use crate::mix::Batching;

/// Everything the server needs to know to start.
#[derive(Debug)]
pub struct Config {
    /// `NANSEN_BIND`: the address to listen on.
    pub bind: String,
    /// `DATABASE_URL`: where the data lives.
    pub database: DatabaseUrl,
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
}

/// Connections per instance by default: enough for the two request workers and
/// staff screens, few enough that several instances fit PostgreSQL's default 100.
pub const DEFAULT_POOL: u32 = 8;

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL, as libpq takes it.
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL {0:?} is not supported: give a file path, sqlite://path or postgres://…")]
    UnsupportedDatabase(String),
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
        Ok(Self {
            bind: non_empty("NANSEN_BIND")?.unwrap_or_else(|| DEFAULT_BIND.to_owned()),
            database: DatabaseUrl::parse(
                &non_empty("DATABASE_URL")?.unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
            )?,
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
        })
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

/// `scheme://host[:port]` of an address, which is what browsers send as `Origin`.
fn origin_of(url: &str) -> Result<String, ConfigError> {
    let invalid = || ConfigError::PublicUrl(url.to_owned());
    let (scheme, rest) = url.split_once("://").ok_or_else(invalid)?;
    let host = rest.split('/').next().filter(|h| !h.is_empty()).ok_or_else(invalid)?;
    if scheme != "http" && scheme != "https" {
        return Err(invalid());
    }
    Ok(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.contains("://") {
            return Err(ConfigError::UnsupportedDatabase(url.to_owned()));
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
    }

    /// What the connection is opened with (which may hold a password: never log it).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(path) => path.to_str().unwrap_or_default(),
            Self::Postgres(url) => url,
        }
    }
}

/// For messages and logs: a PostgreSQL URL's password is left out.
impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => {
                let Some((scheme, rest)) = url.split_once("://") else {
                    return f.write_str("postgres://…");
                };
                match rest.split_once('@') {
                    Some((user, host)) => {
                        let user = user.split(':').next().unwrap_or_default();
                        write!(f, "{scheme}://{user}@{host}")
                    }
                    None => write!(f, "{scheme}://{rest}"),
                }
            }
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
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
    fn database_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/n.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/n.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/n.db").unwrap(),
            DatabaseUrl::Sqlite("data/n.db".into())
        );
        assert_eq!(DatabaseUrl::parse("/tmp/x.db").unwrap(), DatabaseUrl::Sqlite("/tmp/x.db".into()));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        let pg = DatabaseUrl::parse("postgres://nansen:s3cret@db.internal:5432/nansen").unwrap();
        assert_eq!(pg, DatabaseUrl::Postgres("postgres://nansen:s3cret@db.internal:5432/nansen".into()));
        assert_eq!(pg.to_string(), "postgres://nansen@db.internal:5432/nansen", "no password in messages");
        assert!(!format!("{pg:?}").contains("s3cret"));
        assert!(matches!(DatabaseUrl::parse("postgresql://h/db").unwrap(), DatabaseUrl::Postgres(_)));
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
    fn empty_values_are_mistakes() {
        assert!(matches!(config(&[("NANSEN_BIND", " ")]), Err(ConfigError::Empty("NANSEN_BIND"))));
    }
}
