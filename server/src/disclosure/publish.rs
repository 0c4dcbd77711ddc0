//! Results from noisy counts: every offered option listed (every allowed country too,
//! zero or not, so that the list itself says nothing), and any noisy count from 1 to
//! k − 1 withheld as `null`. Noise is what protects these counts; the threshold only
//! keeps the smallest, least reliable figures out of print.

use nansen_shared::{Cell, CrossCell, CrosstabResults, OptionCount, QuestionResults, Survey, SurveyResults};

use crate::storage::counters::{Counter, Counts, crosstab_dims};

/// The results of `survey` from `counts` (already noisy), counts below `min_cell`
/// withheld.
pub fn thresholded(survey: &Survey, counts: &Counts) -> SurveyResults {
    let k = u64::from(survey.settings.min_cell);
    let shown = |counter: Counter| Some(counts.get(counter)).filter(|n| *n == 0 || *n >= k);
    let code = |question: u16, option: u16| {
        survey
            .questions
            .get(usize::from(question))
            .and_then(|q| q.cell_code(usize::from(option)))
            .map(|c| c.into_owned())
    };
    let offered = |question: u16| {
        let q = &survey.questions[usize::from(question)];
        (0..q.cell_count()).filter(|&cell| q.offers_cell(cell)).map(|cell| cell as u16).collect::<Vec<_>>()
    };
    let questions = survey
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let index = index as u16;
            QuestionResults {
                id: question.id.clone(),
                answered: shown(Counter::Answered(index)),
                counts: offered(index)
                    .into_iter()
                    .map(|option| OptionCount {
                        option: code(index, option).unwrap_or_default(),
                        count: shown(Counter::Cell(Cell { question: index, option })),
                        share: None,
                    })
                    .collect(),
                mean: None,
                parts: Vec::new(),
            }
        })
        .collect();
    let crosstabs = survey
        .crosstabs
        .iter()
        .zip(crosstab_dims(survey))
        .enumerate()
        .map(|(table, (crosstab, (rows, columns)))| CrosstabResults {
            rows: crosstab.rows.clone(),
            columns: crosstab.columns.clone(),
            rows_item: crosstab.rows_item.as_ref().map(|i| i.to_string()),
            columns_item: crosstab.columns_item.as_ref().map(|i| i.to_string()),
            cells: rows
                .offered(survey)
                .into_iter()
                .flat_map(|row| columns.offered(survey).into_iter().map(move |column| (row, column)))
                .map(|(row, column)| CrossCell {
                    row: rows.code(survey, row),
                    column: columns.code(survey, column),
                    count: shown(Counter::Cross { table: table as u16, row, column }),
                })
                .collect(),
        })
        .collect();
    SurveyResults {
        slug: survey.slug.clone(),
        version: survey.version.unwrap_or(0),
        respondents: shown(Counter::Respondents),
        min_cell: survey.settings.min_cell,
        questions,
        crosstabs,
        release: None,
        weighted: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_withheld_and_every_offered_option_is_listed() {
        let mut survey = crate::surveys::seed::default_survey().unwrap();
        survey.settings.min_cell = 5;
        let mut counts = Counts::default();
        counts.add(Counter::Respondents, 40);
        let (left, _) = survey.question("left_when").unwrap();
        counts.add(Counter::Cell(Cell { question: left as u16, option: 0 }), 3);
        counts.add(Counter::Cell(Cell { question: left as u16, option: 1 }), 5);
        let results = thresholded(&survey, &counts);
        assert_eq!(results.respondents, Some(40));
        let left = results.question("left_when").unwrap();
        let shown: Vec<Option<u64>> = left.counts.iter().map(|c| c.count).collect();
        assert_eq!(shown, [None, Some(5), Some(0), Some(0)]);
        let country = results.question("country").unwrap();
        assert_eq!(
            country.counts.len(),
            nansen_shared::countries::CODES.len(),
            "every country, chosen or not"
        );
    }
}
