//! A survey definition as the designer and the API send it: parsed, written back, put
//! through the publish checks; one that passes is exported as an XLSForm and imported.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_fuzz::{assert_xlsform_round_trip, json_round_trip};
use nansen_shared::{Answers, Survey, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(survey) = serde_json::from_slice::<Survey>(data) else { return };
    assert_eq!(json_round_trip(&survey), survey);
    if survey.check().is_err() {
        return;
    }
    // No answers at all: valid exactly when nothing is required.
    let required = survey.questions.iter().any(|q| q.required && q.show_if.is_none());
    assert_eq!(validate(&survey, &Answers::new()).is_ok(), !required);
    for lang in &survey.languages {
        let _ = survey.in_language(lang);
    }
    assert_xlsform_round_trip(&survey);
});
