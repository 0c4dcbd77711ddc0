//! Results as files that R, pandas, Stata and Excel open without fuss.

use actix_web::HttpResponse;
use nansen_shared::{ExportFormat, Question, QuestionKind, Survey, SurveyResults};

use crate::web::countries;

/// The byte order mark Excel needs to read UTF-8.
const BOM: &str = "\u{feff}";

/// Long-format CSV, one row per count:
/// `survey,version,release,question,option,label,by_question,by_option,by_label,count,error95,mechanism,rho_spent,rho_budget`.
///
/// A suppressed count is an empty field, which every statistics package reads as
/// missing. The respondent total has question `_respondents`; each question's answered
/// count has option `_answered`. A cross-tabulation cell has its row question's id,
/// answer and label in `question`, `option` and `label`, and its column question's in
/// `by_question`, `by_option` and `by_label` (empty for the one-way counts), so that no
/// separator inside a label can make a pair ambiguous. Every label comes from one place:
/// [`Question::answer_label`], and the interface's country names in the survey's first
/// language. Every row says which release it comes from and how it was protected: the
/// noise's 95 % error bound, the mechanism (`discrete_gaussian`, or `none` when an
/// admin turned noise off) and the privacy budget spent of the whole.
pub fn csv(survey: &Survey, results: &SurveyResults) -> Result<String, csv::Error> {
    let label = |question: &str, option: &str| -> String {
        survey.question(question).map(|(_, q)| answer_words(survey, q, option)).unwrap_or_default()
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
        "by_question",
        "by_option",
        "by_label",
        "count",
        "error95",
        "mechanism",
        "rho_spent",
        "rho_budget",
    ])?;
    let mut row = |one: [&str; 3], by: [&str; 3], n: Option<u64>| {
        let [number, error95, mechanism, spent, budget] = &provenance;
        let [question, option, label] = one;
        let [by_question, by_option, by_label] = by;
        out.write_record([
            slug,
            &version,
            number,
            question,
            option,
            label,
            by_question,
            by_option,
            by_label,
            &count(n),
            error95,
            mechanism,
            spent,
            budget,
        ])
    };
    const NONE: [&str; 3] = ["", "", ""];
    row(["_respondents", "", ""], NONE, results.respondents)?;
    for question in &results.questions {
        let id = question.id.as_str();
        row([id, "_answered", ""], NONE, question.answered)?;
        for option in &question.counts {
            row([id, &option.option, &label(id, &option.option)], NONE, option.count)?;
        }
    }
    for table in &results.crosstabs {
        let (rows, columns) = (table.rows.as_str(), table.columns.as_str());
        for cell in &table.cells {
            let one = [rows, cell.row.as_str(), &label(rows, &cell.row)];
            let by = [columns, cell.column.as_str(), &label(columns, &cell.column)];
            row(one, by, cell.count)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What answer `code` of `question` means, in the survey's first language: the
/// definition's words, or for a country its name in that language.
fn answer_words(survey: &Survey, question: &Question, code: &str) -> String {
    let Some(lang) = survey.default_language() else { return String::new() };
    if matches!(question.kind, QuestionKind::Country { .. }) {
        let names = countries::names(lang.as_str());
        return names.iter().find(|(c, _)| c == code).map(|(_, name)| name.clone()).unwrap_or_default();
    }
    question.answer_label(code, lang, lang).unwrap_or_default()
}

/// A CSV download named `name` (without extension): UTF-8 for `Csv`, with the byte
/// order mark Excel needs for `CsvExcel`.
pub fn csv_response(name: &str, format: ExportFormat, body: String) -> HttpResponse {
    let (body, file) = match format {
        ExportFormat::CsvExcel => (format!("{BOM}{body}"), format!("{name}-excel.csv")),
        _ => (body, format!("{name}.csv")),
    };
    HttpResponse::Ok()
        .insert_header(("Content-Type", "text/csv; charset=utf-8"))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file}\"")))
        .body(body)
}
