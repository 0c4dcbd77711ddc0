//! `POST /api/v1/admin/surveys/xlsform` and `nansen survey import`: an uploaded
//! spreadsheet read as an XLSForm; what is read and passes the publish checks exports
//! and imports again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_fuzz::assert_xlsform_round_trip;

fuzz_target!(|data: &[u8]| {
    let Ok(survey) = nansen_server::fuzzing::read_xlsform(data) else { return };
    if survey.check().is_ok() {
        assert_xlsform_round_trip(&survey);
    }
});
