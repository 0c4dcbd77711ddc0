//! `DATABASE_URL`: which backend, and where. A file path or `sqlite://path` is SQLite
//! (the default); a `postgres://` or `postgresql://` URL is PostgreSQL, handed to libpq
//! as given.

use std::path::PathBuf;

use url::Url;

#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL, as libpq takes it.
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
#[error("DATABASE_URL {0:?} is not supported: give a file path, sqlite://path or postgres://…")]
pub struct UnsupportedDatabase(String);

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, UnsupportedDatabase> {
        if let Some(path) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        // Anything else without a scheme is a path, even one with a colon in a name.
        if !raw.contains("://") {
            return Ok(Self::Sqlite(PathBuf::from(raw)));
        }
        match Url::parse(raw) {
            Ok(url) if matches!(url.scheme(), "postgres" | "postgresql") => {
                Ok(Self::Postgres(raw.to_owned()))
            }
            _ => Err(UnsupportedDatabase(raw.to_owned())),
        }
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
            Self::Postgres(raw) => match Url::parse(raw) {
                Ok(mut url) => {
                    // Fails only for URLs that cannot have a password, which have none.
                    let _ = url.set_password(None);
                    f.write_str(url.as_str())
                }
                Err(_) => f.write_str("postgres://…"),
            },
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
        let options = DatabaseUrl::parse("postgres://u:p%40ss@h/db?sslmode=require").unwrap();
        assert_eq!(options.to_string(), "postgres://u@h/db?sslmode=require");
    }
}
