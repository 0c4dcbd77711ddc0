//! Identifiers that can only hold valid values: parsed once where they enter, trusted
//! everywhere after. They also end up in URLs, CSV headers and Stata variable names, so
//! the alphabets are deliberately narrow.

use std::fmt;

/// Why a string was refused as an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a valid {what}: {rule}")]
pub struct InvalidId {
    pub what: &'static str,
    pub value: String,
    pub rule: &'static str,
}

/// Defines a string newtype with a fallible parser, serde support through that parser,
/// and cheap access to the inner `str`.
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $what:literal, $rule:literal, $example:literal, $pattern:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: impl Into<String>) -> Result<Self, InvalidId> {
                let value = value.into();
                let check: fn(&str) -> bool = $check;
                if check(&value) {
                    Ok(Self(value))
                } else {
                    Err(InvalidId { what: $what, value, rule: $rule })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::id(concat!("A ", $what, ": ", $rule, "."), $example, $pattern)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, InvalidId> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

string_id!(
    /// A survey's name in URLs: `/s/{slug}`.
    Slug,
    "survey slug",
    "use 1 to 64 lowercase letters, digits and single hyphens, not at either end",
    "diaspora",
    r"^(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*$",
    |s| {
        (1..=64).contains(&s.len())
            && s.chars().all(|c| lower_alnum(c) || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
    }
);

string_id!(
    /// A question's identifier; also a column name in exports, so it must be a valid
    /// variable name in R, Stata and pandas.
    QuestionId,
    "question id",
    "use 1 to 32 lowercase letters, digits and underscores, starting with a letter",
    "left_when",
    r"^[a-z][a-z0-9_]{0,31}$",
    |s| {
        (1..=32).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| lower_alnum(c) || c == '_')
    }
);

string_id!(
    /// The code of a choice, a number bin or a scale point: what is counted.
    OptionCode,
    "option code",
    "use 1 to 32 lowercase letters, digits and underscores",
    "yes",
    r"^[a-z0-9_]{1,32}$",
    |s| (1..=32).contains(&s.len()) && s.chars().all(|c| lower_alnum(c) || c == '_')
);

string_id!(
    /// A language, as a lowercase BCP 47 primary subtag with an optional region
    /// (`en`, `ru`, `pt-br`).
    LanguageTag,
    "language tag",
    "use a two- or three-letter language code such as en or ru, optionally with a region such as pt-br",
    "ru",
    r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$",
    |s| {
        let mut parts = s.split('-');
        let primary_ok = parts
            .next()
            .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()));
        let rest: Vec<&str> = parts.collect();
        primary_ok
            && rest.len() <= 1
            && rest
                .iter()
                .all(|p| (2..=8).contains(&p.len()) && p.chars().all(lower_alnum))
    }
);

string_id!(
    /// An ISO 3166-1 alpha-2 country code that is currently assigned (`DE`, `GE`).
    CountryCode,
    "country code",
    "use an assigned ISO 3166-1 alpha-2 code in capitals, such as DE or GE",
    "GE",
    r"^[A-Z]{2}$",
    |s| crate::countries::index_of(s).is_some()
);

impl LanguageTag {
    /// The primary language subtag: `pt` for `pt-br`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["diaspora", "a", "exit-2024", "x1"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "Diaspora", "a b", "ü", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn question_ids_are_variable_names() {
        assert!(QuestionId::parse("left_when").is_ok());
        for bad in ["1st", "_x", "Left", "a-b", ""] {
            assert!(QuestionId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "ru", "be", "pt-br", "zh-hant"] {
            assert!(LanguageTag::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "e", "EN", "en_US", "en-", "english", "en-us-x"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(LanguageTag::parse("pt-br").map(|t| t.primary().to_owned()), Ok("pt".into()));
    }

    #[test]
    fn country_codes_must_be_assigned() {
        assert!(CountryCode::parse("GE").is_ok());
        for bad in ["ge", "XX", "SU", "GEO", ""] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_goes_through_the_parser() {
        assert!(serde_json::from_str::<Slug>("\"ok-slug\"").is_ok());
        let err = serde_json::from_str::<Slug>("\"Not OK\"").map(|_| ()).unwrap_err();
        assert!(err.to_string().contains("not a valid survey slug"), "{err}");
    }
}
