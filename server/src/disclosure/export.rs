//! Results as files that R, pandas, Stata and Excel open without fuss.

use nansen_shared::{Survey, SurveyResults};

/// Long-format CSV, one row per count: `survey,version,question,option,label,count`.
/// A suppressed count is an empty field, which every statistics package reads as
/// missing. The respondent total has question `_respondents`; each question's
/// answered count has option `_answered`; a cross-tabulation cell has question
/// `rows/columns` and option `row/column`.
pub fn csv(survey: &Survey, results: &SurveyResults) -> Result<String, csv::Error> {
    let label_of = |question: &str, option: &str| -> String {
        let (Some(lang), Some((_, q))) = (survey.default_language(), survey.question(question)) else {
            return String::new();
        };
        q.answer_label(option, lang, lang).unwrap_or_default()
    };
    let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["survey", "version", "question", "option", "label", "count"])?;
    let slug = results.slug.as_str();
    let version = results.version.to_string();
    out.write_record([slug, &version, "_respondents", "", "", &count(results.respondents)])?;
    for question in &results.questions {
        let id = question.id.as_str();
        out.write_record([slug, &version, id, "_answered", "", &count(question.answered)])?;
        for option in &question.counts {
            out.write_record([
                slug,
                &version,
                id,
                &option.option,
                &label_of(id, &option.option),
                &count(option.count),
            ])?;
        }
    }
    for table in &results.crosstabs {
        let question = format!("{}/{}", table.rows, table.columns);
        for cell in &table.cells {
            let label = format!(
                "{} / {}",
                label_of(table.rows.as_str(), &cell.row),
                label_of(table.columns.as_str(), &cell.column)
            );
            let option = format!("{}/{}", cell.row, cell.column);
            out.write_record([slug, &version, &question, &option, &label, &count(cell.count)])?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
