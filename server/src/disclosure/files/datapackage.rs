//! A release as a Frictionless Data Package (v2) in a zip: `datapackage.json`, the
//! results and cross-tabulations CSVs exactly as `export.rs` writes them, each with a
//! Table Schema whose coded fields carry their value labels (`categories`), and the
//! questionnaire, the survey's definition as published. `frictionless validate`, R's
//! `frictionless` and pandas read it; the sizes and SHA-256 hashes let a reader check
//! that nothing was changed.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use nansen_shared::{Question, Survey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::disclosure::export;
use crate::disclosure::tables::{Tables, hour};

const PACKAGE_PROFILE: &str = "https://datapackage.org/profiles/2.0/datapackage.json";
const RESOURCE_PROFILE: &str = "https://datapackage.org/profiles/2.0/dataresource.json";
const SCHEMA_PROFILE: &str = "https://datapackage.org/profiles/2.0/tableschema.json";

/// The package's files, in the zip's order.
pub const DESCRIPTOR: &str = "datapackage.json";
pub const RESULTS: &str = "results.csv";
pub const CROSSTABS: &str = "crosstabs.csv";
pub const QUESTIONNAIRE: &str = "questionnaire.json";

/// `tables` as a zipped data package.
pub fn package(tables: &Tables<'_>) -> anyhow::Result<Vec<u8>> {
    let results = export::csv(tables)?;
    let crosstabs = export::crosstabs_csv(tables)?;
    let questionnaire = serde_json::to_vec_pretty(tables.survey)?;
    let descriptor = serde_json::to_vec_pretty(&descriptor(tables, &results, &crosstabs, &questionnaire))?;

    let time = tables.results.release.as_ref().and_then(|r| zip_time(r.made_at)).unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in [
        (DESCRIPTOR, descriptor.as_slice()),
        (RESULTS, results.as_bytes()),
        (CROSSTABS, crosstabs.as_bytes()),
        (QUESTIONNAIRE, questionnaire.as_slice()),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The licence the admin chose for the survey's results.
fn licenses(survey: &Survey) -> Value {
    let licence = survey.settings.licence;
    json!([{ "name": licence.spdx(), "path": licence.url(), "title": licence.title() }])
}

/// `datapackage.json`.
fn descriptor(tables: &Tables<'_>, results: &str, crosstabs: &str, questionnaire: &[u8]) -> Value {
    let release = tables.results.release.as_ref();
    let name = format!("{}-release-{}", tables.results.slug, tables.release());
    let mut package = json!({
        "$schema": PACKAGE_PROFILE,
        "name": name,
        "title": format!("{} — release {}", tables.title(), tables.release()),
        "description": tables.provenance(),
        "version": format!("release-{}", tables.release()),
        "licenses": licenses(tables.survey),
        "keywords": ["survey", "aggregate counts"],
        "threshold": tables.results.min_cell,
        "release": release,
        "surveyVersion": tables.results.version,
        "language": tables.lang.as_str(),
        "resources": [
            results_resource(tables, results),
            crosstabs_resource(tables, crosstabs),
            file_resource(
                "questionnaire",
                QUESTIONNAIRE,
                "json",
                "application/json",
                "The questionnaire",
                &format!(
                    "The survey's definition, version {}, as published: its questions, answers and their \
                     labels in every language, and its settings.",
                    tables.results.version
                ),
                questionnaire,
            ),
        ],
    });
    if let Some(release) = release {
        package["created"] = json!(format!("{}:00Z", hour(release.made_at).replace(' ', "T")));
    }
    if let Some(weighted) = tables.weighted() {
        package["weighted"] = json!({"by": weighted.by, "shares": weighted.shares});
    }
    package
}

/// A resource's common properties, with its size and hash.
fn file_resource(
    name: &str,
    path: &str,
    format: &str,
    mediatype: &str,
    title: &str,
    description: &str,
    bytes: &[u8],
) -> Value {
    json!({
        "$schema": RESOURCE_PROFILE,
        "name": name,
        "path": path,
        "format": format,
        "mediatype": mediatype,
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "bytes": bytes.len(),
        "hash": format!("sha256:{}", hex(&Sha256::digest(bytes))),
    })
}

/// What an empty field means: the same in both tables.
fn missing_values(tables: &Tables<'_>) -> Value {
    json!([{
        "value": "",
        "label": format!(
            "withheld (a count from 1 to {}, or one that would reveal such a count), or not applicable to \
             the row's statistic",
            tables.results.min_cell.saturating_sub(1)
        ),
    }])
}

/// `results.csv` and its Table Schema: a field per `export::COLUMNS`.
fn results_resource(tables: &Tables<'_>, csv: &str) -> Value {
    let results = tables.results;
    let mut questions = vec![category("_respondents", "All respondents")];
    questions.extend(tables.questions().map(|(_, q, _)| category(q.id.as_str(), &tables.question_text(q))));
    let options = option_categories(tables);
    let field = |name: &str| -> Field {
        match name {
            "survey" => string(name, "The survey's slug.")
                .with("categories", json!([category(results.slug.as_str(), &tables.title())]))
                .required(),
            "version" => integer(name, "The survey's version the release counts answers to.").required(),
            "release" => integer(name, "The release's number.").required(),
            "question" => string(name, "The question's id (`_respondents` for the respondents' total).")
                .with("categories", Value::Array(questions.clone()))
                .required(),
            "option" => string(
                name,
                "The answer's code; `_answered` (the question's count of answers), `_mean` or `_sd` (a \
                 number question's numbers); empty on the respondents' row. A code's meaning depends on \
                 the question: see `label`.",
            )
            .with("categories", Value::Array(options.clone())),
            "label" => string(name, "What the answer means, in the package's language."),
            "statistic" => string(name, "Which figure the row holds.")
                .with("categories", json!(STATISTICS.map(|(value, label)| category(value, label))))
                .required(),
            "count" => integer(
                name,
                "How many respondents, as released (the answer's count, the question's answers, or the \
                 numbers a mean is of); empty when withheld.",
            )
            .with("constraints", json!({"minimum": 0})),
            "estimate" => number(name, "The share (0 to 1), the mean or the standard deviation."),
            "ci_low" => number(name, "The lower end of the estimate's 95 % interval."),
            "ci_high" => number(name, "The upper end of the estimate's 95 % interval."),
            "error95" => integer(name, "95 % of counts are within this of the true count (0: exact).")
                .with("constraints", json!({"minimum": 0})),
            "mechanism" => string(name, "How the counts were protected.")
                .with("categories", json!(MECHANISMS.map(|(value, label)| category(value, label)))),
            "rho_spent" => number(name, "The privacy budget (ρ, zCDP) all releases so far have spent."),
            "rho_budget" => number(name, "The survey's whole privacy budget (ρ, zCDP)."),
            "weights" => string(name, "On weighted shares: the question weighted by and the shares used."),
            _ => string(name, "See the package's description."),
        }
    };
    let fields: Vec<Value> = export::COLUMNS.iter().map(|name| field(name).0).collect();
    let mut resource = file_resource(
        "results",
        RESULTS,
        "csv",
        "text/csv",
        "One-way results",
        "One row per figure: the respondents, each question's answers, each answer's count and share of those \
         who answered with its 95 % interval, number questions' means, and weighted shares when weights were \
         asked for.",
        csv.as_bytes(),
    );
    resource["type"] = json!("table");
    resource["schema"] = json!({
        "$schema": SCHEMA_PROFILE,
        "fields": fields,
        "missingValues": missing_values(tables),
    });
    resource
}

/// `crosstabs.csv` and its Table Schema.
fn crosstabs_resource(tables: &Tables<'_>, csv: &str) -> Value {
    let results = tables.results;
    let mut row_questions = Vec::new();
    let mut column_questions = Vec::new();
    for table in &results.crosstabs {
        for (id, list) in [(&table.rows, &mut row_questions), (&table.columns, &mut column_questions)] {
            if let Some((_, q)) = tables.survey.question(id.as_str())
                && !list.iter().any(|known: &&Question| known.id == q.id)
            {
                list.push(q);
            }
        }
    }
    let question_categories = |list: &[&Question]| -> Value {
        list.iter().map(|q| category(q.id.as_str(), &tables.question_text(q))).collect()
    };
    let code_categories = |list: &[&Question]| -> Value { Value::Array(codes(tables, list)) };
    let fields = vec![
        string("survey", "The survey's slug.")
            .with("categories", json!([category(results.slug.as_str(), &tables.title())]))
            .required(),
        integer("version", "The survey's version the release counts answers to.").required(),
        integer("release", "The release's number.").required(),
        string("rows", "The question whose answers label the rows.")
            .with("categories", question_categories(&row_questions))
            .required(),
        string("row", "The row question's answer code.")
            .with("categories", code_categories(&row_questions))
            .required(),
        string("row_label", "What the row's answer means."),
        string("columns", "The question whose answers label the columns.")
            .with("categories", question_categories(&column_questions))
            .required(),
        string("column", "The column question's answer code.")
            .with("categories", code_categories(&column_questions))
            .required(),
        string("column_label", "What the column's answer means."),
        integer("count", "How many respondents gave both answers, as released; empty when withheld.")
            .with("constraints", json!({"minimum": 0})),
        integer("error95", "95 % of counts are within this of the true count (0: exact).")
            .with("constraints", json!({"minimum": 0})),
        string("mechanism", "How the counts were protected.")
            .with("categories", json!(MECHANISMS.map(|(value, label)| category(value, label)))),
    ];
    let mut resource = file_resource(
        "crosstabs",
        CROSSTABS,
        "csv",
        "text/csv",
        "Cross-tabulations",
        "The declared cross-tabulations, one row per cell: how many respondents gave the row question's \
         answer and the column question's.",
        csv.as_bytes(),
    );
    resource["type"] = json!("table");
    resource["schema"] = json!({
        "$schema": SCHEMA_PROFILE,
        "fields": fields.into_iter().map(|f| f.0).collect::<Vec<_>>(),
        "missingValues": missing_values(tables),
        "primaryKey": ["rows", "row", "columns", "column"],
    });
    resource
}

/// The `statistic` column's values.
const STATISTICS: [(&str, &str); 6] = [
    ("respondents", "Respondents in the release"),
    ("answered", "Respondents who answered the question"),
    ("share", "An answer's count and its share of those who answered"),
    ("mean", "The mean of the numbers given, with its 95 % interval"),
    ("sd", "The standard deviation of the numbers given"),
    ("weighted_share", "A post-stratified share"),
];

/// The `mechanism` column's values.
const MECHANISMS: [(&str, &str); 2] = [
    ("discrete_gaussian", "Discrete Gaussian noise (zero-concentrated differential privacy)"),
    ("none", "No noise: exact counts, small ones withheld"),
];

/// The `option` column's values: the rows without an answer, then every answer code of
/// every question.
fn option_categories(tables: &Tables<'_>) -> Vec<Value> {
    let mut out = vec![
        category("_answered", "Respondents who answered the question"),
        category("_mean", "The mean of the numbers given"),
        category("_sd", "The standard deviation of the numbers given"),
    ];
    let questions: Vec<&Question> = tables.questions().map(|(_, q, _)| q).collect();
    out.extend(codes(tables, &questions));
    out
}

/// Every answer code of `questions` (as released), each once, labelled. A code that two
/// questions share with different meanings (`other`) is labelled with each question's.
fn codes(tables: &Tables<'_>, questions: &[&Question]) -> Vec<Value> {
    let mut labels: BTreeMap<&str, Vec<(&str, String)>> = BTreeMap::new();
    let mut order = Vec::new();
    for question in questions {
        let Some(published) = tables.results.question(question.id.as_str()) else { continue };
        for count in &published.counts {
            let code = count.option.as_str();
            let entry = labels.entry(code).or_insert_with(|| {
                order.push(code);
                Vec::new()
            });
            entry.push((question.id.as_str(), tables.answer_label(question, code)));
        }
    }
    order
        .into_iter()
        .map(|code| {
            let meanings = &labels[code];
            let first = &meanings[0].1;
            let label = if meanings.iter().all(|(_, label)| label == first) {
                first.clone()
            } else {
                let each: Vec<String> = meanings.iter().map(|(q, label)| format!("{q}: {label}")).collect();
                each.join("; ")
            };
            category(code, &label)
        })
        .collect()
}

fn category(value: &str, label: &str) -> Value {
    json!({"value": value, "label": label})
}

/// A Table Schema field being built.
struct Field(Value);

impl Field {
    fn with(mut self, key: &str, value: Value) -> Self {
        self.0[key] = value;
        self
    }

    fn required(self) -> Self {
        self.with("constraints", json!({"required": true}))
    }
}

fn field(name: &str, kind: &str, description: &str) -> Field {
    Field(json!({"name": name, "type": kind, "description": description}))
}

fn string(name: &str, description: &str) -> Field {
    field(name, "string", description)
}

fn integer(name: &str, description: &str) -> Field {
    field(name, "integer", description)
}

fn number(name: &str, description: &str) -> Field {
    field(name, "number", description)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A release's hour as a zip entry's time (which starts in 1980).
fn zip_time(seconds: i64) -> Option<DateTime> {
    let text = hour(seconds);
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u16>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hours, minutes) = (number(11..13)?, number(14..16)?);
    DateTime::from_date_and_time(year, month as u8, day as u8, hours as u8, minutes as u8, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_hour_is_the_entries_time() {
        let time = zip_time(1_796_220_000).unwrap();
        assert_eq!((time.year(), time.month(), time.day(), time.hour(), time.minute()), (2026, 12, 2, 14, 0));
        assert!(zip_time(0).is_none(), "zip times start in 1980");
    }

    #[test]
    fn fields_build_up() {
        let field = integer("count", "How many.").with("constraints", json!({"minimum": 0})).0;
        assert_eq!(
            field,
            json!({"name": "count", "type": "integer", "description": "How many.",
                                 "constraints": {"minimum": 0}})
        );
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
