//! What a respondent sends: answers keyed by question id, and a random key that lets the
//! server recognise a retry without knowing who sent it.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// One answer, shaped by the kind of question: an option or country code, a list of
/// option codes (a ranking's items, first first), a whole number, or a grid's option
/// code by row code. Anything else is kept as it came so that validation can say which
/// question it belongs to, instead of refusing the whole submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Code(String),
    Codes(Vec<String>),
    Number(i64),
    Rows(BTreeMap<String, String>),
    Other(serde_json::Value),
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Answer {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::answer()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Answer {}

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
        f.write_str("a code, a list of codes, a whole number or codes by row")
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
        let rows: Option<BTreeMap<String, String>> = value
            .as_object()
            .and_then(|o| o.iter().map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect());
        Ok(rows.map_or(Answer::Other(value), Answer::Rows))
    }
}

/// Answers by question id. Ids are plain strings here: an unknown id is a per-question
/// error, not a malformed request.
pub type Answers = BTreeMap<String, Answer>;

/// What fills a plain form's value up to its question's width: a full stop, which a
/// browser sends as it is.
pub const FORM_FILL: char = '.';
/// The values of a multiple choice's yes/no pair, one pair per option.
pub const FORM_YES: &str = "1";
pub const FORM_NO: &str = "0";

/// The most whole numbers the plain form lists for a number question: a range of up to
/// this many values is answered by choosing the number itself from a list; a wider one
/// by choosing its bin, as before.
pub const FORM_LISTED_NUMBERS: i64 = 200;

/// The numbers the plain form lists for `question`: every whole number of a number
/// question's range, if there are at most [`FORM_LISTED_NUMBERS`] (`None` for other
/// kinds, and for a wider range, whose bins are listed instead).
pub fn form_numbers(question: &crate::Question) -> Option<std::ops::RangeInclusive<i64>> {
    let crate::QuestionKind::Number { min, max, .. } = &question.kind else {
        return None;
    };
    let count = max.checked_sub(*min)?.checked_add(1)?;
    (1..=FORM_LISTED_NUMBERS).contains(&count).then_some(*min..=*max)
}

/// How many characters each value of `question`'s field has in the plain form, so that
/// the body a browser builds is as long whatever was chosen: the longest code (a
/// multiple choice sends a yes or a no per option instead). A listed number (see
/// [`form_numbers`]) is written with leading zeros to the width of the range's longest
/// (`016`…`100`); a number's bin codes get one more, so that every value holds a
/// [`FORM_FILL`] and none reads as a number.
pub fn form_width(question: &crate::Question) -> usize {
    use crate::QuestionKind;
    let longest = |codes: &mut dyn Iterator<Item = &str>| codes.map(str::len).max().unwrap_or(0);
    let digits = |min: &i64, max: &i64| min.to_string().len().max(max.to_string().len());
    match &question.kind {
        QuestionKind::Single { options } => longest(&mut options.iter().map(|o| o.code.as_str())),
        QuestionKind::Multi { .. } => FORM_YES.len(),
        QuestionKind::Scale { min, max, .. } => digits(min, max),
        QuestionKind::Number { min, max, .. } if form_numbers(question).is_some() => digits(min, max),
        QuestionKind::Number { bins, .. } => longest(&mut bins.iter().map(|b| b.code.as_str())) + 1,
        QuestionKind::Country { .. } => 2,
        QuestionKind::Grid { options, .. } => longest(&mut options.iter().map(|o| o.code.as_str())),
        QuestionKind::Ranking { items, .. } => longest(&mut items.iter().map(|i| i.code.as_str())),
    }
}

/// Answer `code` to `question` as the plain form sends it, filled to the question's
/// width; `""` gives the value of "no answer", which is all fill.
pub fn form_value(question: &crate::Question, code: &str) -> String {
    let mut value = code.to_owned();
    let fill = form_width(question).saturating_sub(code.len());
    value.extend(std::iter::repeat_n(FORM_FILL, fill));
    value
}

/// Number `n` as the plain form lists it for `question`: with leading zeros to the
/// question's width (`016`, `-05`), so that every listed number is as long.
pub fn form_number(question: &crate::Question, n: i64) -> String {
    format!("{n:0width$}", width = form_width(question))
}

/// The field of option `code` of multiple choice `question`: `{question}.{code}`; also
/// the field of a grid's row `code`, and of a ranking's place (`{question}.1`).
pub fn form_option_field(question: &str, code: &str) -> String {
    format!("{question}.{code}")
}

/// The plain form's fields of a grid (a field per row, its value the option chosen) or
/// a ranking (a field per place, its value the item ranked there), each value filled
/// to the question's width; `None` for other kinds.
fn form_part_fields(question: &crate::Question, answer: Option<&Answer>) -> Option<Vec<(String, String)>> {
    use crate::QuestionKind;
    let id = question.id.as_str();
    let fields = match (&question.kind, answer) {
        (QuestionKind::Grid { rows, options }, answer) => rows
            .iter()
            .map(|row| {
                let chosen = match answer {
                    Some(Answer::Rows(chosen)) => chosen.get(row.code.as_str()),
                    _ => None,
                };
                let code = chosen.filter(|c| options.iter().any(|o| o.code.as_str() == c.as_str()));
                (form_option_field(id, row.code.as_str()), form_value(question, code.map_or("", |c| c)))
            })
            .collect(),
        (QuestionKind::Ranking { items, .. }, answer) => {
            let ranked: &[String] = match answer {
                Some(Answer::Codes(codes)) => codes,
                _ => &[],
            };
            (1..=question.places())
                .map(|place| {
                    let item =
                        ranked.get(place - 1).filter(|c| items.iter().any(|i| i.code.as_str() == c.as_str()));
                    (form_option_field(id, &place.to_string()), form_value(question, item.map_or("", |c| c)))
                })
                .collect()
        }
        _ => return None,
    };
    Some(fields)
}

/// A grid's or a ranking's answer from the plain form's fields (see
/// [`form_part_fields`]): rows left blank are unanswered; places left blank are
/// skipped, the items ranked keeping their order.
fn from_form_parts(question: &crate::Question, fields: &[(String, String)]) -> Option<Option<Answer>> {
    use crate::QuestionKind;
    let id = question.id.as_str();
    let value = |name: String| {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim().trim_end_matches(FORM_FILL).to_owned())
            .filter(|v| !v.is_empty())
    };
    let answer = match &question.kind {
        QuestionKind::Grid { rows, .. } => {
            let chosen: BTreeMap<String, String> = rows
                .iter()
                .filter_map(|row| {
                    Some((row.code.to_string(), value(form_option_field(id, row.code.as_str()))?))
                })
                .collect();
            (!chosen.is_empty()).then_some(Answer::Rows(chosen))
        }
        QuestionKind::Ranking { .. } => {
            let ranked: Vec<String> = (1..=question.places())
                .filter_map(|place| value(form_option_field(id, &place.to_string())))
                .collect();
            (!ranked.is_empty()).then_some(Answer::Codes(ranked))
        }
        _ => return None,
    };
    Some(answer)
}

/// The plain form's fields for `question` answered with `answer` (or not): one
/// `(name, value)` per field, every field always there, each value of fixed width.
/// The value of a single choice, a scale, a bin or a country is its code filled to
/// [`form_width`]; a listed number is the number itself with leading zeros
/// ([`form_number`]); each option of a multiple choice is a yes/no field. A number
/// outside its range, which the plain form cannot show, is sent as no answer.
pub fn form_fields(question: &crate::Question, answer: Option<&Answer>) -> Vec<(String, String)> {
    use crate::QuestionKind;
    let id = question.id.as_str();
    if let Some(fields) = form_part_fields(question, answer) {
        return fields;
    }
    if let QuestionKind::Multi { options, .. } = &question.kind {
        let chosen =
            |code: &str| matches!(answer, Some(Answer::Codes(codes)) if codes.iter().any(|c| c == code));
        return options
            .iter()
            .map(|o| {
                let value = if chosen(o.code.as_str()) { FORM_YES } else { FORM_NO };
                (form_option_field(id, o.code.as_str()), value.to_owned())
            })
            .collect();
    }
    let offered = |code: &str| question.cell_index(code).is_some_and(|cell| question.offers_cell(cell));
    let code = match (&question.kind, answer) {
        (QuestionKind::Single { .. } | QuestionKind::Country { .. }, Some(Answer::Code(code)))
            if offered(code) =>
        {
            code.clone()
        }
        (QuestionKind::Scale { .. }, Some(Answer::Number(n))) if offered(&n.to_string()) => n.to_string(),
        (QuestionKind::Number { bins, .. }, Some(Answer::Code(code)))
            if form_numbers(question).is_none() && bins.iter().any(|b| b.code.as_str() == code) =>
        {
            code.clone()
        }
        (QuestionKind::Number { bins, .. }, Some(Answer::Number(n))) => match form_numbers(question) {
            Some(listed) if listed.contains(n) => form_number(question, *n),
            Some(_) => String::new(),
            None => bins
                .iter()
                .find(|b| (b.min..=b.max).contains(n))
                .map(|b| b.code.to_string())
                .unwrap_or_default(),
        },
        _ => String::new(),
    };
    vec![(id.to_owned(), form_value(question, &code))]
}

/// The plain form's fields for `answers`, question by question, as a browser sends the
/// form: what the client posts when the person switches language, so the server shows
/// the form again with the answers kept.
pub fn to_form(survey: &crate::Survey, answers: &Answers) -> Vec<(String, String)> {
    survey.questions.iter().flat_map(|q| form_fields(q, answers.get(q.id.as_str()))).collect()
}

/// Answers from an HTML form's fields (`name=value` pairs), read by each question's
/// kind: the plain form's (see [`form_fields`]: values filled with [`FORM_FILL`], all
/// fill meaning no answer; a yes or no per option of a multiple choice; a listed
/// number with its leading zeros, or a number's bin) and, as before it, a multiple
/// choice's codes repeated under the question's name and a number as typed. A bin is
/// read as its lowest number, which counts the same. Empty fields are no answer; a
/// value that fits nothing is kept as it came, so validation can say so.
pub fn from_form(survey: &crate::Survey, fields: &[(String, String)]) -> Answers {
    use crate::QuestionKind;
    let mut answers = Answers::new();
    for question in &survey.questions {
        let id = question.id.as_str();
        let values = || fields.iter().filter(move |(name, _)| name == id).map(|(_, v)| v.trim());
        let unfilled = |v: &'_ str| -> String { v.trim_end_matches(FORM_FILL).to_owned() };
        if let Some(answer) = from_form_parts(question, fields) {
            if let Some(answer) = answer {
                answers.insert(id.to_owned(), answer);
            }
            continue;
        }
        let answer = match &question.kind {
            QuestionKind::Multi { options, .. } => {
                let yes = |code: &str| {
                    let name = form_option_field(id, code);
                    fields.iter().any(|(n, v)| *n == name && v.trim() == FORM_YES)
                };
                let mut codes: Vec<String> =
                    options.iter().map(|o| o.code.as_str()).filter(|c| yes(c)).map(str::to_owned).collect();
                codes.extend(values().filter(|v| !v.is_empty()).map(str::to_owned));
                (!codes.is_empty()).then_some(Answer::Codes(codes))
            }
            kind => values().find(|v| !unfilled(v).is_empty()).map(|raw| {
                let code = unfilled(raw);
                let other = || Answer::Other(serde_json::Value::String(raw.to_owned()));
                match kind {
                    QuestionKind::Scale { .. } => code.parse().map_or_else(|_| other(), Answer::Number),
                    QuestionKind::Number { bins, .. } => {
                        // A bin chosen says the range, not a number: it is counted in its
                        // bin and in no mean.
                        let bin = bins
                            .iter()
                            .find(|b| b.code.as_str() == code)
                            .map(|b| Answer::Code(b.code.to_string()));
                        let typed = || raw.parse().ok().map(Answer::Number);
                        // A bin's value always holds a fill; a number (listed or typed) never.
                        let read = if raw.contains(FORM_FILL) { bin } else { typed().or(bin) };
                        read.unwrap_or_else(other)
                    }
                    _ => Answer::Code(code),
                }
            }),
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submission {
    /// The survey version the answers were given to.
    pub version: u32,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::answers))]
    pub answers: Answers,
    /// See [`SubmissionKey`]; checked separately so a bad key gets its own clear error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<crate::invite::Token>,
    /// Spaces that fill the body to a size fixed by the survey version, so that its
    /// length says nothing of the answers (see [`crate::pad`]). Ignored, once checked to
    /// be nothing else.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pad: String,
}

/// The reply to a counted submission: `{"status": "counted"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub status: ReceiptStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// Found by the `submission` fuzz target (fuzz/corpus/submission/long-number.json):
    /// a number of 57 digits was read one bit away from the nearest double, so the
    /// submission written back was not the one sent.
    #[test]
    fn a_long_number_is_written_back_as_it_was_read() {
        let sent =
            r#"{"version": 2, "answers": {"x": 977777777777777777777777777777777777777777777777777777777}}"#;
        let read: Submission = serde_json::from_str(sent).unwrap();
        let again: Submission = serde_json::from_str(&serde_json::to_string(&read).unwrap()).unwrap();
        assert_eq!(read, again);
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

    fn form_survey() -> crate::Survey {
        serde_json::from_value(serde_json::json!({
            "slug": "f", "languages": ["en"], "title": {"en": "F"},
            "questions": [
                {"id": "one", "kind": "single", "prompt": {"en": "?"},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "bbb", "label": {"en": "B"}}]},
                {"id": "many", "kind": "multi", "prompt": {"en": "?"},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
                {"id": "mood", "kind": "scale", "min": -2, "max": 10, "prompt": {"en": "?"}},
                {"id": "age", "kind": "number", "min": 0, "max": 99, "prompt": {"en": "?"},
                 "bins": [{"code": "1", "min": 0, "max": 9}, {"code": "older", "min": 10, "max": 99}]},
                {"id": "skip", "kind": "country", "prompt": {"en": "?"}},
                {"id": "income", "kind": "number", "min": 0, "max": 1000, "prompt": {"en": "?"},
                 "bins": [{"code": "low", "min": 0, "max": 99}, {"code": "high", "min": 100, "max": 1000}]},
                {"id": "temp", "kind": "number", "min": -40, "max": 50, "prompt": {"en": "?"},
                 "bins": [{"code": "cold", "min": -40, "max": 0}, {"code": "warm", "min": 1, "max": 50}]}
            ]
        }))
        .unwrap()
    }

    fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn length(fields: &[(String, String)]) -> usize {
        fields.iter().map(|(k, v)| k.len() + v.len() + 2).sum()
    }

    #[test]
    fn the_plain_forms_fields_have_one_length_whatever_the_answers() {
        let survey = form_survey();
        let none = to_form(&survey, &Answers::new());
        assert_eq!(
            none,
            owned(&[
                ("one", "..."),
                ("many.a", "0"),
                ("many.b", "0"),
                ("mood", ".."),
                ("age", ".."),
                ("skip", ".."),
                ("income", "....."),
                ("temp", "..."),
            ])
        );
        let answers: Answers = serde_json::from_value(serde_json::json!(
            {"one": "a", "many": ["b", "a"], "mood": -2, "age": 7, "skip": "GE", "income": 150, "temp": -5}
        ))
        .unwrap();
        let sent = to_form(&survey, &answers);
        assert_eq!(
            sent,
            owned(&[
                ("one", "a.."),
                ("many.a", "1"),
                ("many.b", "1"),
                ("mood", "-2"),
                ("age", "07"),
                ("skip", "GE"),
                ("income", "high."),
                ("temp", "-05"),
            ])
        );
        assert_eq!(length(&none), length(&sent));
        // Read back: a listed number comes back as itself; a wide range's number as its
        // bin's code, which counts in the same bin and in no mean.
        let read = from_form(&survey, &sent);
        assert_eq!(read["one"], Answer::Code("a".into()));
        assert_eq!(read["many"], Answer::Codes(vec!["a".into(), "b".into()]));
        assert_eq!(read["mood"], Answer::Number(-2));
        assert_eq!(read["age"], Answer::Number(7));
        assert_eq!(read["skip"], Answer::Code("GE".into()));
        assert_eq!(read["income"], Answer::Code("high".into()));
        assert_eq!(read["temp"], Answer::Number(-5));
        assert!(from_form(&survey, &none).is_empty(), "all fill is no answer");
        let older = from_form(&survey, &owned(&[("age", "older."), ("income", "low..")]));
        assert_eq!(older["age"], Answer::Code("older".into()), "a bin sent by a page from before the list");
        assert_eq!(older["income"], Answer::Code("low".into()));
        // Every number of a listed range, and none outside it, which the form cannot show.
        let (age, temp) = (&survey.questions[3], &survey.questions[6]);
        assert_eq!(form_numbers(age), Some(0..=99));
        assert_eq!(form_numbers(&survey.questions[5]), None, "1001 numbers are too many to list");
        for (question, n) in (0..=99).map(|n| (age, n)).chain((-40..=50).map(|n| (temp, n))) {
            let fields = form_fields(question, Some(&Answer::Number(n)));
            assert_eq!(fields[0].1.len(), form_width(question), "{n}");
            assert!(!fields[0].1.contains(FORM_FILL));
            let back = from_form(&survey, &fields);
            assert_eq!(back[question.id.as_str()], Answer::Number(n));
        }
        for outside in [-1, 100, 1000] {
            assert_eq!(form_fields(age, Some(&Answer::Number(outside)))[0].1, "..", "{outside}");
        }
    }

    #[test]
    fn every_answer_to_the_default_survey_round_trips_through_the_plain_form() {
        let survey: crate::Survey =
            serde_json::from_str(include_str!("../../surveys/diaspora.json")).unwrap();
        let base: Answers = serde_json::from_value(serde_json::json!({
            "citizenship": ["russia"], "country": "GE", "left_when": "from_2023", "reasons": ["safety"],
            "return_intention": "if_war_ends"
        }))
        .unwrap();
        let mut lengths = std::collections::BTreeSet::new();
        for question in &survey.questions {
            let id = question.id.to_string();
            let mut answers: Vec<Answer> = match &question.kind {
                // Every number of the range.
                crate::QuestionKind::Number { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
                _ => (0..question.cell_count())
                    .filter(|&cell| question.offers_cell(cell))
                    .filter_map(|cell| question.cell_code(cell))
                    .map(|code| match &question.kind {
                        crate::QuestionKind::Multi { .. } => Answer::Codes(vec![code.into_owned()]),
                        crate::QuestionKind::Scale { .. } => Answer::Number(code.parse().unwrap()),
                        crate::QuestionKind::Grid { .. } => {
                            let (row, option) = code.split_once('.').unwrap();
                            Answer::Rows([(row.to_owned(), option.to_owned())].into())
                        }
                        crate::QuestionKind::Ranking { .. } => {
                            let (item, _) = code.split_once('.').unwrap();
                            Answer::Codes(vec![item.to_owned()])
                        }
                        _ => Answer::Code(code.into_owned()),
                    })
                    .collect(),
            };
            if let crate::QuestionKind::Multi { options, .. } = &question.kind {
                answers.push(Answer::Codes(options.iter().map(|o| o.code.to_string()).collect()));
            }
            if let crate::QuestionKind::Grid { rows, options } = &question.kind {
                let last = options.last().unwrap().code.to_string();
                answers.push(Answer::Rows(rows.iter().map(|r| (r.code.to_string(), last.clone())).collect()));
            }
            for answer in answers {
                let mut set = base.clone();
                set.insert(id.clone(), answer);
                let fields = to_form(&survey, &set);
                lengths.insert(length(&fields));
                let back = from_form(&survey, &fields);
                assert_eq!(to_form(&survey, &back), fields, "{id}");
                // The same cells are counted (or the same problems found: all choices at once).
                assert_eq!(crate::validate(&survey, &back), crate::validate(&survey, &set), "{id}");
                if matches!(question.kind, crate::QuestionKind::Number { .. }) {
                    assert_eq!(back.get(id.as_str()), set.get(id.as_str()), "the number itself comes back");
                }
            }
        }
        assert_eq!(lengths.len(), 1, "{lengths:?}");
    }

    #[test]
    fn fields_as_sent_before_the_fixed_widths_are_still_read() {
        let survey = form_survey();
        let fields = owned(&[
            ("one", "bbb"),
            ("many", "a"),
            ("many", "b"),
            ("mood", "4"),
            ("age", " 7 "),
            ("skip", ""),
            ("x", "y"),
        ]);
        let answers = from_form(&survey, &fields);
        assert_eq!(answers["one"], Answer::Code("bbb".into()));
        assert_eq!(answers["many"], Answer::Codes(vec!["a".into(), "b".into()]));
        assert_eq!(answers["mood"], Answer::Number(4));
        assert_eq!(answers["age"], Answer::Number(7));
        assert!(!answers.contains_key("skip") && !answers.contains_key("x"));
        let typo = from_form(&survey, &owned(&[("age", "seven"), ("one", "zz"), ("mood", "x.")]));
        assert_eq!(typo["age"], Answer::Other(serde_json::Value::String("seven".into())));
        assert_eq!(typo["one"], Answer::Code("zz".into()), "validation says it is not offered");
        assert_eq!(typo["mood"], Answer::Other(serde_json::Value::String("x.".into())));
        let unknown_bin = from_form(&survey, &owned(&[("income", "zz...")]));
        assert!(matches!(unknown_bin["income"], Answer::Other(_)));
        let decimal = from_form(&survey, &owned(&[("age", "34.5")]));
        assert!(matches!(decimal["age"], Answer::Other(_)), "not a whole number");
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
