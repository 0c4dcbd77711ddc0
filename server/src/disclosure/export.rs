//! Results as files that R, pandas, Stata and Excel open without fuss.

use nansen_shared::{Survey, SurveyResults};

/// Long-format CSV, one row per count:
/// `survey,version,release,question,option,label,count,error95,mechanism,rho_spent,rho_budget`.
/// A suppressed count is an empty field, which every statistics package reads as
/// missing. The respondent total has question `_respondents`; each question's answered
/// count has option `_answered`; a cross-tabulation cell has question `rows/columns` and
/// option `row/column`. Every row says which release it comes from and how it was
/// protected: the noise's 95 % error bound, the mechanism (`discrete_gaussian`, or
/// `none` when an admin turned noise off) and the privacy budget spent of the whole.
pub fn csv(survey: &Survey, results: &SurveyResults) -> Result<String, csv::Error> {
    let label_of = |question: &str, option: &str| -> String {
        let (Some(lang), Some((_, q))) = (survey.default_language(), survey.question(question)) else {
            return String::new();
        };
        q.answer_label(option, lang, lang).unwrap_or_default()
    };
    let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let release = results.release.as_ref();
    let noise = release.and_then(|r| r.noise.as_ref());
    let provenance = [
        release.map(|r| r.number.to_string()).unwrap_or_default(),
        noise.map(|n| n.error95.to_string()).unwrap_or_else(|| "0".to_owned()),
        noise.map_or_else(|| "none".to_owned(), |n| n.mechanism.clone()),
        noise.map(|n| n.rho_spent.to_string()).unwrap_or_default(),
        noise.map(|n| n.rho_budget.to_string()).unwrap_or_default(),
    ];
    let (slug, version) = (results.slug.as_str(), results.version.to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "survey",
        "version",
        "release",
        "question",
        "option",
        "label",
        "count",
        "error95",
        "mechanism",
        "rho_spent",
        "rho_budget",
    ])?;
    let mut row = |question: &str, option: &str, label: &str, n: Option<u64>| {
        let [number, error95, mechanism, spent, budget] = &provenance;
        out.write_record([
            slug,
            &version,
            number,
            question,
            option,
            label,
            &count(n),
            error95,
            mechanism,
            spent,
            budget,
        ])
    };
    row("_respondents", "", "", results.respondents)?;
    for question in &results.questions {
        let id = question.id.as_str();
        row(id, "_answered", "", question.answered)?;
        for option in &question.counts {
            row(id, &option.option, &label_of(id, &option.option), option.count)?;
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
            row(&question, &format!("{}/{}", cell.row, cell.column), &label, cell.count)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
