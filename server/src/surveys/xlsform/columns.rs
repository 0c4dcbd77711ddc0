//! Column headers, read and written in one place: a header is a name and, for text, a
//! language, as in `label::English (en)`; XLSForm names a language by a name and its
//! code in brackets, and Nansen goes by the code.

use nansen_shared::LanguageTag;

/// The sheets of an XLSForm.
pub const SURVEY: &str = "survey";
pub const CHOICES: &str = "choices";
pub const SETTINGS: &str = "settings";

/// The list whose select_one is a country question (besides any with the appearance
/// `country`).
pub const COUNTRY_LIST: &str = "countries";

/// A column header, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The column's name, in lower case with XLSForm's aliases resolved (`list name` is
    /// `list_name`).
    pub name: String,
    /// What follows `::`, as written (`English (en)`), for columns in one language.
    pub language: Option<String>,
}

impl Header {
    pub fn parse(text: &str) -> Self {
        let (name, language) = match text.split_once("::") {
            Some((name, language)) => (name, Some(language.trim().to_owned())),
            None => (text, None),
        };
        let name = name.trim().to_lowercase().replace(' ', "_");
        let name = match name.as_str() {
            "value" => "name".to_owned(),
            "caption" => "label".to_owned(),
            _ => name,
        };
        Self { name, language: language.filter(|l| !l.is_empty()) }
    }

    /// `name::Language (code)`, as exports write it.
    pub fn format(name: &str, language: &LanguageTag) -> String {
        format!("{name}::{}", language_label(language))
    }
}

/// The language code a header's language names: `ru` for `Russian (ru)` or `ru`.
pub fn language_code(written: &str) -> Option<LanguageTag> {
    let code = match written.trim().strip_suffix(')').and_then(|rest| rest.rsplit_once('(')) {
        Some((_, code)) => code,
        None => written,
    };
    LanguageTag::parse(code.trim().to_lowercase().replace('_', "-")).ok()
}

/// How exports name a language: `Russian (ru)`, as XLSForm asks (the name for people,
/// the code in brackets for programs), in English as pyxform's examples are.
pub fn language_label(language: &LanguageTag) -> String {
    const NAMES: [(&str, &str); 24] = [
        ("en", "English"),
        ("ru", "Russian"),
        ("uk", "Ukrainian"),
        ("be", "Belarusian"),
        ("kk", "Kazakh"),
        ("ka", "Georgian"),
        ("hy", "Armenian"),
        ("az", "Azerbaijani"),
        ("uz", "Uzbek"),
        ("ky", "Kyrgyz"),
        ("tg", "Tajik"),
        ("ro", "Romanian"),
        ("de", "German"),
        ("fr", "French"),
        ("es", "Spanish"),
        ("pt", "Portuguese"),
        ("it", "Italian"),
        ("pl", "Polish"),
        ("lt", "Lithuanian"),
        ("lv", "Latvian"),
        ("et", "Estonian"),
        ("fi", "Finnish"),
        ("tr", "Turkish"),
        ("he", "Hebrew"),
    ];
    let name =
        NAMES.iter().find(|(code, _)| *code == language.primary()).map_or(language.as_str(), |(_, n)| n);
    format!("{name} ({language})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_a_column_and_a_language() {
        assert_eq!(
            Header::parse("label::Русский (ru)"),
            Header { name: "label".into(), language: Some("Русский (ru)".into()) }
        );
        assert_eq!(Header::parse(" List Name "), Header { name: "list_name".into(), language: None });
        assert_eq!(Header::parse("hint::"), Header { name: "hint".into(), language: None });
        let tag = |s: &str| LanguageTag::parse(s).ok();
        assert_eq!(language_code("Russian (ru)"), tag("ru"));
        assert_eq!(language_code("Português (pt-BR)"), tag("pt-br"));
        assert_eq!(language_code("ru"), tag("ru"));
        assert_eq!(language_code("Russian"), None);
        let ru = LanguageTag::parse("ru").unwrap();
        assert_eq!(Header::format("label", &ru), "label::Russian (ru)");
        assert_eq!(language_code(&language_label(&LanguageTag::parse("pt-br").unwrap())), tag("pt-br"));
        assert_eq!(language_label(&LanguageTag::parse("cy").unwrap()), "cy (cy)");
    }
}
