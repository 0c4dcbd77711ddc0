//! `POST /s/{slug}`: the plain form's body, read as actix-web reads it
//! (`application/x-www-form-urlencoded` into name and value pairs), then into answers to
//! the default survey and validated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_fuzz::{assert_form_round_trip, default_survey};
use nansen_shared::answer::from_form;
use nansen_shared::validate;

fuzz_target!(|data: &[u8]| {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else { return };
    let survey = default_survey();
    let answers = from_form(survey, &fields);
    let Ok(tally) = validate(survey, &answers) else { return };
    assert_form_round_trip(survey, &answers, &tally);
});
