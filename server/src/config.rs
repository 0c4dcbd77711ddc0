//! Configuration from the environment: defaults first, each overridable by a variable.

use std::path::PathBuf;

use secrecy::SecretString;

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
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL {0:?} is not supported: give a file path or sqlite://path")]
    UnsupportedDatabase(String),
    #[error("{0} is set but empty")]
    Empty(&'static str),
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
        })
    }
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.contains("://") {
            return Err(ConfigError::UnsupportedDatabase(url.to_owned()));
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
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
    }

    #[test]
    fn secrets_do_not_print() {
        let config = config(&[("NANSEN_ADMIN_PASSWORD", "correct horse battery")]).unwrap();
        assert!(!format!("{config:?}").contains("horse"));
    }

    #[test]
    fn empty_values_are_mistakes() {
        assert!(matches!(config(&[("NANSEN_BIND", " ")]), Err(ConfigError::Empty("NANSEN_BIND"))));
    }
}
