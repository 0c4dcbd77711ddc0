//! `POST /api/v1/surveys/{slug}/responses`: the body read as a submission, its answers
//! validated against the default survey.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_fuzz::{assert_form_round_trip, default_survey, json_round_trip};
use nansen_shared::{Submission, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(submission) = serde_json::from_slice::<Submission>(data) else { return };
    assert_eq!(json_round_trip(&submission), submission);
    let survey = default_survey();
    let Ok(tally) = validate(survey, &submission.answers) else { return };
    for cell in tally.cells() {
        let question = &survey.questions[usize::from(cell.question)];
        assert!(usize::from(cell.option) < question.cell_count(), "a counted cell exists");
    }
    assert_form_round_trip(survey, &submission.answers, &tally);
});
