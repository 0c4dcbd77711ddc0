//! What the fuzz targets share: the default survey, which submissions and plain forms
//! are judged against, and the round trips they assert.

use std::sync::OnceLock;

use nansen_shared::answer::{form_numbers, from_form, to_form};
use nansen_shared::{Answer, Answers, QuestionKind, Survey, Tally, validate};

/// The survey a fresh server starts with (surveys/diaspora.json): every kind of answer
/// the default questionnaire asks for, a condition and a grid.
pub fn default_survey() -> &'static Survey {
    static SURVEY: OnceLock<Survey> = OnceLock::new();
    SURVEY.get_or_init(|| {
        serde_json::from_str(include_str!("../../surveys/diaspora.json")).expect("the default survey parses")
    })
}

/// `value` written as JSON and read back: what the server reads, it writes back the same.
pub fn json_round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = serde_json::to_vec(value).expect("what was read is written");
    serde_json::from_slice(&json).expect("what was written is read back")
}

/// A definition as a draft: what an import of its export must give back.
pub fn as_draft(survey: &Survey) -> Survey {
    Survey { version: None, invite_key: None, ..survey.clone() }
}

/// A definition that passes the publish checks survives an XLSForm export and import.
pub fn assert_xlsform_round_trip(survey: &Survey) {
    let bytes = nansen_server::fuzzing::write_xlsform(survey).expect("a checked definition exports");
    match nansen_server::fuzzing::read_xlsform(&bytes) {
        Ok(read) => {
            assert_eq!(read, as_draft(survey), "the export of a checked definition reads back the same")
        }
        Err(error) => panic!("the export of a checked definition is refused: {error:?}"),
    }
}

/// Valid answers survive the plain form (shown again after a language switch, say): the
/// answers it shows are valid and count the same. A number's range (bin) chosen where
/// the form now lists each number cannot be shown; only an old page or a hand-made
/// body sends one, and the answer shown again without it still counts the rest.
pub fn assert_form_round_trip(survey: &Survey, answers: &Answers, tally: &Tally) {
    let again = from_form(survey, &to_form(survey, answers));
    let counted = validate(survey, &again).expect("valid answers stay valid through the plain form");
    if shown_as_given(survey, answers) {
        assert_eq!(counted.cells(), tally.cells());
        assert_eq!(counted.numbers(), tally.numbers());
    } else {
        assert!(counted.cells().iter().all(|cell| tally.cells().contains(cell)));
    }
}

/// Whether the plain form can show every answer in `answers` as it is.
fn shown_as_given(survey: &Survey, answers: &Answers) -> bool {
    survey.questions.iter().all(|question| {
        let bin_for_listed = matches!(question.kind, QuestionKind::Number { .. })
            && form_numbers(question).is_some()
            && matches!(answers.get(question.id.as_str()), Some(Answer::Code(_)));
        !bin_for_listed
    })
}
