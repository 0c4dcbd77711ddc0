//! Text a person reads, in each of a survey's languages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::LanguageTag;

/// One text in several languages: `{"en": "Age", "ru": "Возраст"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<LanguageTag, String>);

impl Localized {
    /// The text in `lang`, else in `fallback` (a survey's first language), else any
    /// text at all, else the empty string. A missing translation must never leave a
    /// respondent with a blank question.
    pub fn get<'a>(&'a self, lang: &LanguageTag, fallback: &LanguageTag) -> &'a str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// The text in `lang` only (falling back as [`get`](Self::get) does), for sending a
    /// survey in one language.
    pub fn only(&self, lang: &LanguageTag, fallback: &LanguageTag) -> Localized {
        if self.is_empty() {
            return Localized::default();
        }
        Localized([(lang.clone(), self.get(lang, fallback).to_owned())].into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|text| text.trim().is_empty())
    }

    /// Whether there is non-blank text in `lang`.
    pub fn has(&self, lang: &LanguageTag) -> bool {
        self.0.get(lang).is_some_and(|text| !text.trim().is_empty())
    }
}

impl<const N: usize> From<[(&str, &str); N]> for Localized {
    /// For tests and built-in texts; panics on an invalid language tag, which is a
    /// programming error there.
    #[allow(clippy::expect_used)]
    fn from(pairs: [(&str, &str); N]) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(lang, text)| (LanguageTag::parse(lang).expect("valid language tag"), text.to_owned()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LanguageTag {
        LanguageTag::parse(s).unwrap()
    }

    #[test]
    fn falls_back_to_the_survey_language_then_anything() {
        let text = Localized::from([("en", "Age"), ("ru", "Возраст")]);
        assert_eq!(text.get(&tag("ru"), &tag("en")), "Возраст");
        assert_eq!(text.get(&tag("uk"), &tag("en")), "Age");
        assert_eq!(text.get(&tag("uk"), &tag("de")), "Age");
        assert_eq!(Localized::default().get(&tag("en"), &tag("en")), "");
    }

    #[test]
    fn blank_text_is_missing() {
        let text = Localized::from([("en", "  ")]);
        assert!(text.is_empty());
        assert!(!text.has(&tag("en")));
    }
}
