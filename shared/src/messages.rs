//! Interface strings of the questionnaire in one language, as the server renders them
//! from its Fluent resources (with CLDR plural rules) for one survey. The browser needs
//! no translation engine: it shows these texts, fills in `{name}` placeholders, and
//! picks the form already written out for a count.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::LanguageTag;
use crate::validate::{AnswerProblem, Expected};

/// The languages Nansen's own interface is written in, the fallback first. A survey may
/// be in others; its questionnaire's interface strings then fall back to English.
pub const INTERFACE_LANGUAGES: [&str; 4] = ["en", "ru", "uk", "be"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Messages {
    /// The interface language.
    pub lang: LanguageTag,
    /// Message id → text, possibly with `{name}` placeholders.
    pub text: BTreeMap<String, String>,
    /// Message id → its text for 0, 1, 2, …: messages whose wording depends on a number
    /// ("1 answer", "2 ответа", "5 ответов").
    pub counted: BTreeMap<String, Vec<String>>,
    /// Each interface language's name in itself ("ru" → "Русский"), for the switch.
    #[serde(default)]
    pub autonyms: BTreeMap<String, String>,
    /// Country names in the interface language, by ISO code (when the survey asks for
    /// a country).
    #[serde(default)]
    pub countries: BTreeMap<String, String>,
}

/// A message to show, not yet in words: its id, the number that selects its plural
/// form (if any), and the values of its placeholders. The browser renders it from a
/// [`Messages`] pack, the server from its Fluent resources, so both say the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    pub id: &'static str,
    pub count: Option<usize>,
    pub args: Vec<(&'static str, String)>,
}

impl MessageRef {
    /// What to tell a person about a problem with an answer; `label` names an option
    /// by its code, in the person's language.
    pub fn for_problem(problem: &AnswerProblem, label: impl Fn(&str) -> String) -> Self {
        let plain = |id| Self { id, count: None, args: Vec::new() };
        match problem {
            AnswerProblem::Required => plain("error-required"),
            AnswerProblem::TooManyChoices { max } => {
                Self { id: "error-too-many", count: Some(*max as usize), args: Vec::new() }
            }
            AnswerProblem::ExclusiveCombined { option } => {
                Self { id: "error-exclusive", count: None, args: vec![("option", label(option))] }
            }
            AnswerProblem::OutOfRange { min, max } => Self {
                id: "error-range",
                count: None,
                args: vec![("min", min.to_string()), ("max", max.to_string())],
            },
            AnswerProblem::WrongType { expected: Expected::WholeNumber } => plain("error-whole-number"),
            AnswerProblem::MissingRows { .. } => plain("error-missing-rows"),
            AnswerProblem::RankedTwice { item } => {
                Self { id: "error-ranked-twice", count: None, args: vec![("option", label(item))] }
            }
            _ => plain("error-other"),
        }
    }
}

impl Messages {
    /// A message in words.
    pub fn render(&self, message: &MessageRef) -> String {
        let text = match message.count {
            Some(n) => self.count(message.id, n),
            None => self.get(message.id),
        };
        message.args.iter().fold(text, |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }

    /// The text of `id` (the id itself if missing, so a gap is visible, not blank).
    pub fn get(&self, id: &str) -> String {
        self.text.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// The text of `id` with each `{name}` replaced by its value.
    pub fn fill(&self, id: &str, args: &[(&str, &str)]) -> String {
        args.iter().fold(self.get(id), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }

    /// The text of `id` for the number `n`.
    pub fn count(&self, id: &str, n: usize) -> String {
        match self.counted.get(id) {
            Some(forms) => forms.get(n).or(forms.last()).cloned().unwrap_or_else(|| id.to_owned()),
            None => id.to_owned(),
        }
    }
}

/// How many numbers a [`Plural`] spells out: 0 to 199. Beyond, the number `n` takes the
/// wording of `100 + n % 100`: in the CLDR plural rules of the interface languages the
/// category of a whole number from 100 on depends only on its last two digits (English:
/// "other"; Russian, Ukrainian, Belarusian: `n % 10` and `n % 100`).
pub const PLURAL_TABLE: u64 = 200;

/// A message whose wording depends on a number, for any number, as the server worked it
/// out with the language's CLDR rules: its distinct wordings, each with a `{count}`
/// placeholder, and which one each number takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plural {
    pub forms: Vec<String>,
    /// For each number from 0 to `PLURAL_TABLE - 1`, the index of its wording in `forms`,
    /// one character each (`'0'` is the first).
    pub pick: String,
}

impl Plural {
    /// The row of the table that stands for `n`.
    pub fn row(n: u64) -> usize {
        let row = if n < PLURAL_TABLE { n } else { 100 + n % 100 };
        usize::try_from(row).unwrap_or(0)
    }

    /// The wording for `n`, its `{count}` not yet filled in.
    pub fn form(&self, n: u64) -> &str {
        let index = self.pick.as_bytes().get(Self::row(n)).map_or(0, |c| usize::from(c.saturating_sub(b'0')));
        self.forms.get(index).or(self.forms.last()).map_or("", String::as_str)
    }
}

/// The staff screens' strings in one language (`GET /api/v1/messages/staff`), rendered
/// by the server from `locales/staff/*.ftl`: plain texts with `{name}` placeholders, and
/// plural messages for any number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMessages {
    /// The interface language (empty before any is loaded).
    pub lang: String,
    pub text: BTreeMap<String, String>,
    pub plurals: BTreeMap<String, Plural>,
    /// Each interface language's name in itself, for the language menu.
    #[serde(default)]
    pub autonyms: BTreeMap<String, String>,
}

impl StaffMessages {
    /// Whether message `id` exists, plain or plural.
    pub fn has(&self, id: &str) -> bool {
        self.text.contains_key(id) || self.plurals.contains_key(id)
    }

    /// The text of `id` with each `{name}` replaced by its value (the id itself if
    /// missing, so that a gap is visible, not blank).
    pub fn fill(&self, id: &str, args: &[(&str, &str)]) -> String {
        let text = self.text.get(id).cloned().unwrap_or_else(|| id.to_owned());
        fill(text, args)
    }

    /// The text of `id` for the number `n` (`{count}`), with the other placeholders filled.
    /// (A language may word a message alike for every number: then it is plain text.)
    pub fn plural(&self, id: &str, n: u64, args: &[(&str, &str)]) -> String {
        let text = match self.plurals.get(id) {
            Some(plural) => plural.form(n).to_owned(),
            None => self.text.get(id).cloned().unwrap_or_else(|| id.to_owned()),
        };
        fill(text.replace("{count}", &n.to_string()), args)
    }
}

fn fill(text: String, args: &[(&str, &str)]) -> String {
    args.iter().fold(text, |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_picks_counted_forms() {
        let messages = Messages {
            lang: LanguageTag::parse("ru").unwrap(),
            text: [("question-number".to_owned(), "Вопрос {number} из {total}".to_owned())].into(),
            counted: [(
                "fix-errors".to_owned(),
                vec!["0 ответов".into(), "1 ответ".into(), "2 ответа".into()],
            )]
            .into(),
            autonyms: BTreeMap::new(),
            countries: BTreeMap::new(),
        };
        assert_eq!(messages.fill("question-number", &[("number", "4"), ("total", "11")]), "Вопрос 4 из 11");
        assert_eq!(messages.count("fix-errors", 1), "1 ответ");
        assert_eq!(messages.count("fix-errors", 9), "2 ответа", "beyond the table: the last form");
        assert_eq!(messages.get("missing"), "missing");
    }

    #[test]
    fn staff_plurals_cover_every_number() {
        // Russian "файл": one (1, 21, 101), few (2–4, 22), many (0, 5–20, 111).
        let pick: String = (0..PLURAL_TABLE)
            .map(|n| match (n % 10, n % 100) {
                (1, h) if h != 11 => '0',
                (2..=4, h) if !(12..=14).contains(&h) => '1',
                _ => '2',
            })
            .collect();
        let forms = vec!["{count} файл".to_owned(), "{count} файла".to_owned(), "{count} файлов".to_owned()];
        let messages = StaffMessages {
            lang: "ru".into(),
            text: [("hello".to_owned(), "Привет, {name}".to_owned())].into(),
            plurals: [("files".to_owned(), Plural { forms, pick })].into(),
            autonyms: BTreeMap::new(),
        };
        for (n, expected) in [
            (0, "0 файлов"),
            (1, "1 файл"),
            (22, "22 файла"),
            (111, "111 файлов"),
            (1001, "1001 файл"),
            (1012, "1012 файлов"),
            (2024, "2024 файла"),
        ] {
            assert_eq!(messages.plural("files", n, &[]), expected);
        }
        assert_eq!(messages.fill("hello", &[("name", "Аня")]), "Привет, Аня");
        assert_eq!(messages.plural("hello", 3, &[("name", "Аня")]), "Привет, Аня");
        let mut plain = messages.clone();
        plain.text.insert("heading".into(), "Проблемы ({count})".into());
        assert_eq!(plain.plural("heading", 3, &[]), "Проблемы (3)");
        assert_eq!(messages.fill("missing", &[]), "missing");
        assert!(messages.has("files") && messages.has("hello") && !messages.has("missing"));
    }
}
