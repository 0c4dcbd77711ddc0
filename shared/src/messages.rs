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
}
