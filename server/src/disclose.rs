//! Disclosure control: turning raw counters into results a researcher may see.
//! A count from 1 to k-1 could single someone out, so it is shown as suppressed
//! (`null`), never as zero.

use std::collections::HashMap;

use nansen_shared::{OptionCount, QuestionKind, QuestionResults, Survey, SurveyResults};

/// Raw counters of one survey version, keyed as stored: `("", "")` is the respondent
/// total, `(question, "")` how many answered it, `(question, option)` a cell.
pub type RawCounts = HashMap<(String, String), u64>;

/// The results of `survey` (a published version) that may be shown.
pub fn disclose(survey: &Survey, raw: &RawCounts) -> SurveyResults {
    let k = u64::from(survey.settings.min_cell);
    let get = |question: &str, option: &str| {
        raw.get(&(question.to_owned(), option.to_owned())).copied().unwrap_or(0)
    };
    let show = |n: u64| (n == 0 || n >= k).then_some(n);
    let questions = survey
        .questions
        .iter()
        .map(|question| {
            let id = question.id.as_str();
            let counts = (0..question.cell_count())
                .filter_map(|cell| question.cell_code(cell))
                .map(|code| (get(id, &code), code))
                // Every offered option is listed, zero or not; of all the world's
                // countries, only those someone chose.
                .filter(|(n, _)| *n > 0 || !matches!(question.kind, QuestionKind::Country { .. }))
                .map(|(n, code)| OptionCount { option: code.into_owned(), count: show(n) })
                .collect();
            QuestionResults { id: question.id.clone(), answered: show(get(id, "")), counts }
        })
        .collect();
    SurveyResults {
        slug: survey.slug.clone(),
        version: survey.version.unwrap_or(0),
        respondents: show(get("", "")),
        min_cell: survey.settings.min_cell,
        questions,
        crosstabs: Vec::new(),
    }
}
