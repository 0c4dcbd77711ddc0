//! What a respondent sends: answers keyed by question id, and a random key that lets the
//! server recognise a retry without knowing who sent it.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// One answer, shaped by the kind of question: an option or country code, a list of
/// option codes, or a whole number. Anything else is kept as it came so that validation
/// can say which question it belongs to, instead of refusing the whole submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Code(String),
    Codes(Vec<String>),
    Number(i64),
    Other(serde_json::Value),
}

/// Reads an answer by the shape of the JSON value itself, in one pass (serde's
/// `untagged` would buffer every value and try each variant in turn: slower on the
/// server's hot path, and more code in the browser).
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> serde::de::Visitor<'de> for AnswerVisitor {
    type Value = Answer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a code, a list of codes or a whole number")
    }

    fn visit_str<E>(self, v: &str) -> Result<Answer, E> {
        Ok(Answer::Code(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Answer, E> {
        Ok(Answer::Code(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Answer, E> {
        Ok(Answer::Number(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Answer, E> {
        Ok(i64::try_from(v).map_or(Answer::Other(v.into()), Answer::Number))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Answer, E> {
        Ok(Answer::Other(v.into()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Answer, E> {
        Ok(Answer::Other(v.into()))
    }

    fn visit_unit<E>(self) -> Result<Answer, E> {
        Ok(Answer::Other(serde_json::Value::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
        let mut items: Vec<serde_json::Value> = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        if items.iter().all(serde_json::Value::is_string) {
            Ok(Answer::Codes(items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()))
        } else {
            Ok(Answer::Other(serde_json::Value::Array(items)))
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Answer, A::Error> {
        let value = serde_json::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Answer::Other(value))
    }
}

/// Answers by question id. Ids are plain strings here: an unknown id is a per-question
/// error, not a malformed request.
pub type Answers = BTreeMap<String, Answer>;

/// Answers from an HTML form's fields (`name=value` pairs, a multiple choice repeated
/// once per choice), read by each question's kind. Empty fields are no answer; a number
/// that does not parse is kept as typed, so validation can say so.
pub fn from_form(survey: &crate::Survey, fields: &[(String, String)]) -> Answers {
    use crate::QuestionKind;
    let mut answers = Answers::new();
    for question in &survey.questions {
        let id = question.id.as_str();
        let mut values =
            fields.iter().filter(|(name, _)| name == id).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
        let answer = match &question.kind {
            QuestionKind::Multi { .. } => {
                let codes: Vec<String> = values.map(str::to_owned).collect();
                (!codes.is_empty()).then_some(Answer::Codes(codes))
            }
            QuestionKind::Scale { .. } | QuestionKind::Number { .. } => values.next().map(|v| {
                v.parse()
                    .map_or_else(|_| Answer::Other(serde_json::Value::String(v.to_owned())), Answer::Number)
            }),
            QuestionKind::Single { .. } | QuestionKind::Country { .. } => {
                values.next().map(|v| Answer::Code(v.to_owned()))
            }
        };
        if let Some(answer) = answer {
            answers.insert(id.to_owned(), answer);
        }
    }
    answers
}

/// `POST /api/v1/surveys/{slug}/responses`: the answers, and either a random key (open
/// surveys) or an invitation token (invite-only ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// The survey version the answers were given to.
    pub version: u32,
    pub answers: Answers,
    /// See [`SubmissionKey`]; checked separately so a bad key gets its own clear error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<crate::invite::Token>,
}

/// The reply to a counted submission: `{"status": "counted"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub status: ReceiptStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Counted,
}

/// A client-chosen random idempotency key: 22 to 64 characters of the base64url
/// alphabet, so at least 128 bits when drawn from a secure source. The server keeps only
/// a keyed hash of it.
#[derive(Clone, PartialEq, Eq)]
pub struct SubmissionKey(String);

impl SubmissionKey {
    pub const MIN_LEN: usize = 22;
    pub const MAX_LEN: usize = 64;

    pub fn parse(value: &str) -> Result<Self, InvalidKey> {
        let alphabet_ok = value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if (Self::MIN_LEN..=Self::MAX_LEN).contains(&value.len()) && alphabet_ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidKey)
        }
    }

    /// A key from 32 bytes of secure randomness (256 bits, 43 characters).
    pub fn from_random_bytes(bytes: [u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A fresh key for one set of answers, from the system's (or the browser's) secure
/// random source. Without one the key is empty, and the server refuses it with an
/// explanation rather than count answers sent with a guessable key.
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    match getrandom::fill(&mut bytes) {
        Ok(()) => SubmissionKey::from_random_bytes(bytes).0,
        Err(_) => String::new(),
    }
}

impl fmt::Debug for SubmissionKey {
    /// Keys never appear in logs or panics, even in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubmissionKey(..)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the key must be {min} to {max} characters of A-Z, a-z, 0-9, '-' and '_', drawn from a secure random source",
    min = SubmissionKey::MIN_LEN,
    max = SubmissionKey::MAX_LEN
)]
pub struct InvalidKey;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_keys_are_valid_and_differ() {
        let (a, b) = (new_key(), new_key());
        assert!(SubmissionKey::parse(&a).is_ok(), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn answers_keep_their_shape() {
        let answers: Answers = serde_json::from_str(
            r#"{"a": "ru", "b": ["x", "y"], "c": 4, "d": 4.5, "e": null, "f": {"x": 1}, "g": [1]}"#,
        )
        .unwrap();
        assert_eq!(answers["a"], Answer::Code("ru".into()));
        assert_eq!(answers["b"], Answer::Codes(vec!["x".into(), "y".into()]));
        assert_eq!(answers["c"], Answer::Number(4));
        for other in ["d", "e", "f", "g"] {
            assert!(matches!(answers[other], Answer::Other(_)), "{other}");
        }
    }

    #[test]
    fn form_fields_become_typed_answers() {
        let survey: crate::Survey = serde_json::from_value(serde_json::json!({
            "slug": "f", "languages": ["en"], "title": {"en": "F"},
            "questions": [
                {"id": "one", "kind": "single", "prompt": {"en": "?"},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
                {"id": "many", "kind": "multi", "prompt": {"en": "?"},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
                {"id": "age", "kind": "number", "min": 0, "max": 9, "prompt": {"en": "?"},
                 "bins": [{"code": "all", "min": 0, "max": 9}]},
                {"id": "skip", "kind": "country", "prompt": {"en": "?"}}
            ]
        }))
        .unwrap();
        let fields: Vec<(String, String)> =
            [("one", "b"), ("many", "a"), ("many", "b"), ("age", " 7 "), ("skip", ""), ("x", "y")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
        let answers = from_form(&survey, &fields);
        assert_eq!(answers["one"], Answer::Code("b".into()));
        assert_eq!(answers["many"], Answer::Codes(vec!["a".into(), "b".into()]));
        assert_eq!(answers["age"], Answer::Number(7));
        assert!(!answers.contains_key("skip") && !answers.contains_key("x"));
        let typo = from_form(&survey, &[("age".into(), "seven".into())]);
        assert_eq!(typo["age"], Answer::Other(serde_json::Value::String("seven".into())));
    }

    #[test]
    fn numbers_serialise_as_integers() {
        assert_eq!(serde_json::to_string(&Answer::Number(4)).unwrap(), "4");
    }

    #[test]
    fn keys() {
        let key = SubmissionKey::from_random_bytes([7; 32]);
        assert_eq!(key.as_str().len(), 43);
        assert!(SubmissionKey::parse(key.as_str()).is_ok());
        assert!(SubmissionKey::parse(&"a".repeat(21)).is_err());
        assert!(SubmissionKey::parse(&"a".repeat(65)).is_err());
        assert!(SubmissionKey::parse(&format!("{}+", "a".repeat(30))).is_err());
        assert_eq!(format!("{key:?}"), "SubmissionKey(..)");
    }
}
