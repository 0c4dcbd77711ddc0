//! The Stata and SPSS files of a release, read back by the tools researchers open them
//! with: pyreadstat (ReadStat, which pandas and R's haven read these formats with) and GNU
//! PSPP, weighting by `count` as a researcher would. `cargo xtask test` sets up both and
//! names them in `NANSEN_PYTHON` and `NANSEN_PSPP`.

use std::path::{Path, PathBuf};
use std::process::Command;

use nansen_shared::{LanguageTag, Survey};
use serde_json::{Value, json};

use crate::helpers::{TestServer, fresh_key};

/// The Python with the consumers (tests/python-requirements.txt): `NANSEN_PYTHON`, else
/// the venv `cargo xtask test` makes.
pub(crate) fn python() -> PathBuf {
    let path = std::env::var_os("NANSEN_PYTHON").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/pyenv/bin/python")),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "no Python with the files' consumers at {}: run the tests with `cargo xtask test`, which sets it up",
        path.display()
    );
    path
}

/// GNU PSPP: `NANSEN_PSPP`, else `pspp` where Debian puts it.
fn pspp() -> PathBuf {
    let path = std::env::var_os("NANSEN_PSPP").map_or_else(|| PathBuf::from("/usr/bin/pspp"), PathBuf::from);
    assert!(
        path.is_file(),
        "no PSPP at {}: install Debian's package pspp, or run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// Reads a `.dta` or `.sav` file with pyreadstat and prints what it found as JSON.
const DUMP: &str = r#"
import json, math, sys
import pyreadstat

path = sys.argv[1]
read = pyreadstat.read_dta if path.endswith(".dta") else pyreadstat.read_sav
data, meta = read(path, output_format="dict")

def value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)

json.dump({
    "columns": list(meta.column_names),
    "labels": dict(zip(meta.column_names, meta.column_labels)),
    "value_labels": {name: {str(int(k)): v for k, v in labels.items()}
                     for name, labels in meta.variable_value_labels.items()},
    "file_label": meta.file_label,
    "notes": meta.notes,
    "types": meta.original_variable_types,
    "measures": meta.variable_measure,
    "encoding": meta.file_encoding,
    "rows": [[value(v) for v in row] for row in zip(*(data[name] for name in meta.column_names))],
}, sys.stdout, ensure_ascii=False)
"#;

/// A file as pyreadstat reads it.
struct Read {
    columns: Vec<String>,
    labels: Value,
    value_labels: Value,
    file_label: String,
    notes: Vec<String>,
    meta: Value,
    rows: Vec<Vec<Option<f64>>>,
}

impl Read {
    fn column(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.columns))
    }

    /// The rows of `table` whose variables `set` hold the values given, every other
    /// question's variable missing.
    fn rows_where(&self, table: u32, set: &[(&str, u32)]) -> Vec<&Vec<Option<f64>>> {
        let table_at = self.column("table");
        let count_at = self.column("count");
        let set: Vec<(usize, f64)> = set.iter().map(|(name, v)| (self.column(name), f64::from(*v))).collect();
        self.rows
            .iter()
            .filter(|row| row[table_at] == Some(f64::from(table)))
            .filter(|row| {
                (table_at + 1..count_at).all(|i| match set.iter().find(|(at, _)| *at == i) {
                    Some((_, v)) => row[i] == Some(*v),
                    None => row[i].is_none(),
                })
            })
            .collect()
    }

    /// The one row of `table` with `set`, and its count.
    fn count(&self, table: u32, set: &[(&str, u32)]) -> Option<u64> {
        let rows = self.rows_where(table, set);
        assert_eq!(rows.len(), 1, "one row of table {table} with {set:?}, not {}", rows.len());
        rows[0][self.column("count")].map(|c| {
            assert!(c >= 0.0 && c.fract() == 0.0, "a count is a whole number: {c}");
            c as u64
        })
    }

    fn value_label(&self, variable: &str, value: u32) -> Option<&str> {
        self.value_labels[variable][value.to_string()].as_str()
    }

    /// The notes as one text (SPSS documents come in lines of 80 bytes).
    fn notes_text(&self) -> String {
        self.notes.iter().map(|n| n.trim()).collect::<Vec<_>>().join(" ")
    }
}

/// Writes `bytes` to `dir/name` and reads the file back with pyreadstat.
fn read_back(dir: &Path, name: &str, bytes: &[u8]) -> Read {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    std::fs::create_dir_all("/tmp/nansen-files").unwrap();
    std::fs::write(Path::new("/tmp/nansen-files").join(name), bytes).unwrap(); // XXX
    let script = dir.join("dump.py");
    std::fs::write(&script, DUMP).unwrap();
    let output = Command::new(python()).arg(&script).arg(&path).output().unwrap();
    assert!(
        output.status.success(),
        "pyreadstat could not read {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dump: Value = serde_json::from_slice(&output.stdout).unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap_or_default().to_owned()).collect()
    };
    Read {
        columns: strings(&dump["columns"]),
        labels: dump["labels"].clone(),
        value_labels: dump["value_labels"].clone(),
        file_label: dump["file_label"].as_str().unwrap_or_default().to_owned(),
        notes: strings(&dump["notes"]),
        rows: dump["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map(Value::as_f64).collect())
            .collect(),
        meta: json!({"types": dump["types"], "measures": dump["measures"], "encoding": dump["encoding"]}),
    }
}

/// Downloads the latest release of the default survey as `format`, in `lang`.
fn download(server: &TestServer, cookie: &str, format: &str, lang: &str) -> Vec<u8> {
    download_from(server, cookie, "diaspora", format, lang)
}

/// Downloads the latest release of `slug` as `format`, in `lang`, and checks the reply.
fn download_from(server: &TestServer, cookie: &str, slug: &str, format: &str, lang: &str) -> Vec<u8> {
    let url = server.url(&format!("/api/v1/surveys/{slug}/results?format={format}&lang={lang}"));
    download_url(&url, cookie, format)
}

fn download_url(url: &str, cookie: &str, format: &str) -> Vec<u8> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut reply = agent.get(url).header("cookie", cookie).call().unwrap();
    let bytes = reply.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    assert_eq!(reply.status().as_u16(), 200, "{}", String::from_utf8_lossy(&bytes));
    let (content_type, ending) = match format {
        "dta" => ("application/x-stata-dta", ".dta"),
        _ => ("application/x-spss-sav", ".sav"),
    };
    let header = |name: &str| reply.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(header("content-type"), content_type);
    assert!(
        header("content-disposition").contains(&format!("-release-1{ending}\"")),
        "{}",
        header("content-disposition")
    );
    bytes
}

/// An exact release of the default survey with known answers: forty-five respondents
/// in four groups, the smallest (two) alone in its answers so that counts are withheld,
/// and options nobody chose (true zeros).
fn released() -> (TestServer, Value) {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    let send = |n: usize, answers: Value| {
        for _ in 0..n {
            let body = json!({"version": version, "answers": answers, "key": fresh_key()});
            assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
        }
    };
    send(
        20,
        json!({"citizenship": ["russia"], "country": "GE", "left_when": "from_2023", "reasons": ["economy"],
                    "return_intention": "no", "welcome": 4, "age": 30}),
    );
    send(
        15,
        json!({"citizenship": ["belarus"], "country": "AM", "left_when": "before_2022",
                    "reasons": ["safety", "economy"], "return_intention": "soon", "age": 40}),
    );
    send(
        8,
        json!({"citizenship": ["russia", "other"], "country": "RS", "left_when": "after_mobilisation",
                   "reasons": ["mobilisation"], "return_intention": "if_war_ends",
                   "return_conditions": {"war_end": "likely", "no_prosecution": "maybe"}, "welcome": 2}),
    );
    send(
        2,
        json!({"citizenship": ["russia"], "country": "DE", "left_when": "feb_sep_2022",
                   "reasons": ["economy", "family"], "return_intention": "dont_know"}),
    );
    let results = server.release("diaspora");
    (server, results)
}

/// The most a format holds of a value label and of a variable label: bytes for SPSS
/// (120, the most every version of SPSS reads; 255), characters for Stata (32,000 bytes;
/// 80 characters).
fn value_label_limit(format: &str) -> Limit {
    if format == "sav" { Limit::Bytes(120) } else { Limit::Bytes(32_000) }
}

fn variable_label_limit(format: &str) -> Limit {
    if format == "sav" { Limit::Bytes(255) } else { Limit::Chars(80) }
}

#[derive(Debug, Clone, Copy)]
enum Limit {
    Bytes(usize),
    Chars(usize),
}

/// A label read back is the definition's words whole when the format holds them, else
/// their start, ending in "…", with the whole words in the file's notes (`file`, when
/// given).
#[track_caller]
fn assert_label(file: Option<&Read>, format: &str, label: &str, words: &str, limit: Limit) {
    let fits = |text: &str| match limit {
        Limit::Bytes(n) => text.len() <= n,
        Limit::Chars(n) => text.chars().count() <= n,
    };
    if fits(words) {
        assert_eq!(label, words, "{format}");
        return;
    }
    let start = label.strip_suffix('…').unwrap_or_else(|| panic!("{format}: {label:?} is shortened with …"));
    // As much as fits: all but a few bytes (a character and the "…"), or every character.
    let full = match limit {
        Limit::Bytes(n) => label.len() + 6 > n,
        Limit::Chars(n) => label.chars().count() == n,
    };
    assert!(fits(label) && full && words.starts_with(start), "{format}: {label:?} of {words:?}");
    if let Some(file) = file {
        assert!(file.notes_text().contains(words), "{format}: the notes have {words:?} whole");
    }
}

/// Checks a file read back against the release: every count, every label in `lang`,
/// withheld counts missing in rows of their own, the cross-tabulations, the provenance.
/// `name` gives each question's variable (its id, unless the format cannot have it).
fn check(
    file: &Read,
    results: &Value,
    survey: &Survey,
    lang: &str,
    format: &str,
    name: &dyn Fn(&str) -> String,
) {
    let lang = LanguageTag::parse(lang).unwrap();
    let fallback = survey.default_language().unwrap().clone();
    // The variables: `table`, a question each in order, then the count and the share.
    let mut expected = vec!["table".to_owned()];
    expected.extend(survey.questions.iter().map(|q| name(q.id.as_str())));
    expected.extend(["count", "share", "ci_low", "ci_high"].map(str::to_owned));
    assert_eq!(file.columns, expected, "{format}");
    let (mut withheld, mut zeros, mut rows) = (0, 0, 0);
    for published in results["questions"].as_array().unwrap() {
        let (_, question) = survey.question(published["id"].as_str().unwrap()).unwrap();
        let id = &name(question.id.as_str());
        // The question's text is the variable's label, as the definition has it.
        let label = file.labels[id].as_str().unwrap_or_else(|| panic!("{format}: {id} has no label"));
        assert_label(
            Some(file),
            format,
            label,
            question.prompt.get(&lang, &fallback),
            variable_label_limit(format),
        );
        for (i, option) in published["counts"].as_array().unwrap().iter().enumerate() {
            let position = i as u32 + 1;
            let code = option["option"].as_str().unwrap();
            let label = file
                .value_label(id, position)
                .unwrap_or_else(|| panic!("{format}: {id} = {position} unlabelled"));
            if let Some(words) = question.answer_label(code, &lang, &fallback) {
                assert_label(Some(file), format, label, &words, value_label_limit(format));
            }
            let count = file.count(0, &[(id, position)]);
            assert_eq!(count, option["count"].as_u64(), "{format}: {id} = {code}");
            withheld += usize::from(count.is_none());
            zeros += usize::from(count == Some(0));
            rows += 1;
            let row = &file.rows_where(0, &[(id, position)])[0];
            match option["share"].as_object() {
                Some(share) => {
                    let close = |column: &str, expected: &Value| {
                        let got = row[file.column(column)].unwrap();
                        assert!(
                            (got - expected.as_f64().unwrap()).abs() < 1e-9,
                            "{format}: {id} = {code} {column}"
                        );
                    };
                    close("share", &share["value"]);
                    close("ci_low", &share["ci95"]["low"]);
                    close("ci_high", &share["ci95"]["high"]);
                }
                None => assert_eq!(row[file.column("share")], None, "{format}: {id} = {code}"),
            }
        }
    }
    assert!(
        withheld > 0 && zeros > 0,
        "{format}: the release has withheld counts ({withheld}) and zeros ({zeros})"
    );
    // The cross-tabulations, each a table of its own.
    assert_eq!(file.value_label("table", 0), Some("one-way counts"));
    for (n, table) in results["crosstabs"].as_array().unwrap().iter().enumerate() {
        let n = n as u32 + 1;
        let (rows_id, columns_id) = (table["rows"].as_str().unwrap(), table["columns"].as_str().unwrap());
        let (rows_name, columns_name) = (name(rows_id), name(columns_id));
        assert_eq!(file.value_label("table", n), Some(format!("{rows_name} × {columns_name}").as_str()));
        let position = |id: &str, code: &str| {
            let published = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap();
            published["counts"].as_array().unwrap().iter().position(|c| c["option"] == code).unwrap() as u32
                + 1
        };
        for cell in table["cells"].as_array().unwrap() {
            let set = [
                (rows_name.as_str(), position(rows_id, cell["row"].as_str().unwrap())),
                (columns_name.as_str(), position(columns_id, cell["column"].as_str().unwrap())),
            ];
            assert_eq!(file.count(n, &set), cell["count"].as_u64(), "{format}: table {n} {cell}");
            rows += 1;
        }
    }
    assert_eq!(file.rows.len(), rows, "{format}: a row per count and nothing else");
    // What the figures are: the file's label and notes.
    let title = survey.title.get(&lang, &fallback);
    let label = format!("{title} — release 1");
    let limit = if format == "sav" { Limit::Bytes(64) } else { Limit::Chars(80) };
    assert_label(None, format, &file.file_label, &label, limit);
    let notes = file.notes_text();
    let (version, k) = (results["version"].as_u64().unwrap(), results["min_cell"].as_u64().unwrap());
    for said in [
        format!("Release 1 of \"{title}\" ({}), survey version {version}", results["slug"].as_str().unwrap()),
        format!("Counts from 1 to {} are withheld (k = {k}).", k - 1),
        "No noise: an admin turned it off, and the counts are exact.".to_owned(),
        format!("Respondents: {}.", results["respondents"]),
        "[fw=count]".to_owned(),
        "WEIGHT BY count".to_owned(),
    ] {
        assert!(notes.contains(&said), "{format}: the notes say {said:?}: {notes}");
    }
}

#[test]
fn stata_and_spss_files_read_back_with_every_count_and_label() {
    let (server, results) = released();
    let survey = server.survey("diaspora");
    let cookie = server.login_admin();
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "ru"] {
        let dta = read_back(dir.path(), &format!("{lang}.dta"), &download(&server, &cookie, "dta", lang));
        check(&dta, &results, &survey, lang, "dta", &|id| id.to_owned());
        let sav = read_back(dir.path(), &format!("{lang}.sav"), &download(&server, &cookie, "sav", lang));
        check(&sav, &results, &survey, lang, "sav", &|id| id.to_owned());
        for file in [&dta, &sav] {
            assert!(file.notes_text().contains("Mean of age: 34.29 (95 % interval"), "{:?}", file.notes);
        }
        assert_eq!(sav.meta["encoding"], "UTF-8", "{}", sav.meta);
        for (name, measure) in [("left_when", "nominal"), ("welcome", "ordinal"), ("count", "scale")] {
            assert_eq!(sav.meta["measures"][name], measure, "{}", sav.meta);
        }
        // Both files hold the same rows.
        assert_eq!(dta.rows, sav.rows);
    }
    // Spot checks in Russian: Cyrillic survives both formats.
    let ru = read_back(dir.path(), "ru-again.sav", &download(&server, &cookie, "sav", "ru"));
    let country = ru.rows_where(0, &[]).len();
    assert_eq!(country, 0, "every one-way row sets its question");
    let georgia = (1..=300).find(|&p| ru.value_label("country", p) == Some("Грузия"));
    assert!(georgia.is_some(), "country names in Russian: {}", ru.value_labels["country"]);
    assert_eq!(ru.value_label("left_when", 4), Some("В 2023 году или позже"));
}

/// Runs PSPP on `syntax` in `dir` and returns its output's tables: each one's title
/// and rows of fields.
fn pspp_tables(dir: &Path, syntax: &str) -> Vec<(String, Vec<Vec<String>>)> {
    std::fs::write(dir.join("syntax.sps"), syntax).unwrap();
    let output =
        Command::new(pspp()).current_dir(dir).args(["-o", "out.csv", "syntax.sps"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("error"), "PSPP failed: {stderr}\n{syntax}");
    let csv = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    let mut tables: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for record in reader.records() {
        let record: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        match record[0].strip_prefix("Table: ") {
            Some(title) => tables.push((title.to_owned(), Vec::new())),
            None => {
                if let Some((_, rows)) = tables.last_mut() {
                    rows.push(record);
                }
            }
        }
    }
    tables
}

/// The table of PSPP's output titled `title`.
fn pspp_table<'a>(tables: &'a [(String, Vec<Vec<String>>)], title: &str) -> &'a [Vec<String>] {
    let found = tables.iter().find(|(t, _)| t == title);
    &found
        .unwrap_or_else(|| {
            panic!("PSPP made no table {title:?}: {:?}", tables.iter().map(|t| &t.0).collect::<Vec<_>>())
        })
        .1
}

fn number(field: &str) -> f64 {
    field.trim().parse().unwrap_or_else(|_| panic!("not a number: {field:?}"))
}

#[test]
fn pspp_weighted_by_count_reproduces_every_table() {
    let (server, results) = released();
    let cookie = server.login_admin();
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "ru"] {
        std::fs::write(dir.path().join(format!("{lang}.sav")), download(&server, &cookie, "sav", lang))
            .unwrap();
    }
    let questions = results["questions"].as_array().unwrap();
    let crosstabs = results["crosstabs"].as_array().unwrap();
    // As a researcher would: weight by the count, keep one table, tabulate. PSPP 1.6
    // miscounts CROSSTABS when rows of zero or missing weight are among those it reads,
    // so those are left out first (FREQUENCIES has no such trouble).
    let mut syntax = "SET TNUMBERS=VALUES TVARS=NAMES.\nGET FILE='en.sav'.\nWEIGHT BY count.\n".to_owned();
    for question in questions {
        syntax += &format!(
            "TEMPORARY.\nSELECT IF table = 0.\nFREQUENCIES VARIABLES={} /STATISTICS=NONE.\n",
            question["id"].as_str().unwrap()
        );
    }
    for (n, table) in crosstabs.iter().enumerate() {
        syntax += &format!(
            "TEMPORARY.\nSELECT IF table = {} AND count > 0.\nCROSSTABS /TABLES={} BY {} /CELLS=COUNT.\n",
            n + 1,
            table["rows"].as_str().unwrap(),
            table["columns"].as_str().unwrap()
        );
    }
    syntax += "SYSFILE INFO FILE='ru.sav'.\n";
    let tables = pspp_tables(dir.path(), &syntax);

    // Each question's frequencies: every option PSPP lists by its number, with the count
    // released (a withheld count weighs nothing).
    let mut counted = 0;
    for question in questions {
        let id = question["id"].as_str().unwrap();
        let rows = pspp_table(&tables, id);
        let frequency = |position: usize| {
            let row = rows.iter().find(|r| {
                (r[0] == "Valid" || r[0].is_empty()) && r.get(1).is_some_and(|v| v.parse() == Ok(position))
            });
            row.map_or(0.0, |r| number(&r[2]))
        };
        for (i, option) in question["counts"].as_array().unwrap().iter().enumerate() {
            let expected = option["count"].as_u64().unwrap_or(0) as f64;
            assert_eq!(frequency(i + 1), expected, "PSPP's frequency of {id} = {}", option["option"]);
            counted += usize::from(expected > 0.0);
        }
    }
    assert!(counted >= 10, "the release has counts to compare: {counted}");

    // Each cross-tabulation: PSPP's cells, by row and column number.
    let position = |id: &str, code: &str| {
        let published = questions.iter().find(|q| q["id"] == id).unwrap();
        published["counts"].as_array().unwrap().iter().position(|c| c["option"] == code).unwrap() + 1
    };
    for table in crosstabs {
        let (rows_id, columns_id) = (table["rows"].as_str().unwrap(), table["columns"].as_str().unwrap());
        let rows = pspp_table(&tables, &format!("{rows_id} × {columns_id}"));
        // The second row of headings numbers the columns; then a row per row value.
        let columns: Vec<Option<usize>> = rows[1].iter().skip(3).map(|c| c.parse().ok()).collect();
        let cell = |row: usize, column: usize| {
            let Some(at) = columns.iter().position(|c| *c == Some(column)) else { return 0.0 };
            rows.iter()
                .find(|r| {
                    r.get(1).is_some_and(|v| v.parse() == Ok(row)) && r.get(2).is_some_and(|c| c == "Count")
                })
                .map_or(0.0, |r| number(&r[3 + at]))
        };
        for published in table["cells"].as_array().unwrap() {
            let (row, column) = (published["row"].as_str().unwrap(), published["column"].as_str().unwrap());
            assert_eq!(
                cell(position(rows_id, row), position(columns_id, column)),
                published["count"].as_u64().unwrap_or(0) as f64,
                "PSPP's {rows_id} × {columns_id} cell {published}"
            );
        }
    }

    // The Russian file, as PSPP describes it: UTF-8, labelled, weighted, documented.
    let info = pspp_table(&tables, "File Information");
    let field = |name: &str| {
        info.iter()
            .find(|r| r[0] == name)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {name}: {info:?}"))
    };
    assert_eq!(field("Label"), "Жизнь после отъезда — release 1");
    assert_eq!(field("Encoding"), "UTF-8");
    assert_eq!(field("Weight"), "count", "the file opens weighted by count");
    assert!(field("Documents").contains("Release 1 of \"Жизнь после отъезда\" (diaspora)"), "{info:?}");
    let rows = questions.iter().map(|q| q["counts"].as_array().unwrap().len()).sum::<usize>()
        + crosstabs.iter().map(|t| t["cells"].as_array().unwrap().len()).sum::<usize>();
    assert_eq!(number(&field("Cases")), rows as f64);
}

/// A survey at the edges of both formats: question ids that one format or the other
/// reserves or that the file uses itself, texts longer than either's labels hold (in
/// Cyrillic, two bytes a letter), the most options a question may have, every country,
/// a 32-byte id and a long title.
fn edges() -> Value {
    let long_en = "How would you describe, in your own words and at whatever length you need, "
        .repeat(4)
        .trim_end()
        .to_owned();
    let long_ru = "Опишите своими словами, сколько понадобится, как вы живёте после отъезда; "
        .repeat(5)
        .trim_end()
        .to_owned();
    let option_en =
        "A very long answer that says a great deal more than any statistics package shows in a label "
            .repeat(2)
            .trim_end()
            .to_owned();
    let option_ru = "Очень длинный ответ, который говорит больше, чем покажет любая программа "
        .repeat(3)
        .trim_end()
        .to_owned();
    let many: Vec<Value> = (1..=100)
        .map(|i| json!({"code": format!("o{i}"), "label": {"en": format!("Option {i}"), "ru": format!("Вариант {i}")}}))
        .collect();
    let two = |a: &str, b: &str| json!([{"code": "a", "label": {"en": a, "ru": a}}, {"code": "b", "label": {"en": b, "ru": b}}]);
    json!({
        "slug": "edges", "languages": ["en", "ru"],
        "title": {"en": "A survey whose title runs on far past the eighty characters Stata gives a dataset label",
                  "ru": "Опрос, название которого длиннее шестидесяти четырёх байт заголовка файла SPSS"},
        "questions": [
            {"id": "count", "kind": "single", "required": true, "prompt": {"en": long_en, "ru": long_ru},
             "options": [{"code": "long", "label": {"en": option_en, "ru": option_ru}},
                         {"code": "short", "label": {"en": "Short", "ru": "Коротко"}}]},
            {"id": "to", "kind": "single", "required": true, "prompt": {"en": "Which?", "ru": "Какой?"},
             "options": many},
            {"id": "table", "kind": "multi", "required": true, "prompt": {"en": "Which ones?", "ru": "Какие?"},
             "options": two("X", "Y")},
            {"id": "int", "kind": "country", "required": true, "prompt": {"en": "Where?", "ru": "Где?"}},
            {"id": "with", "kind": "scale", "min": 1, "max": 5, "prompt": {"en": "How much?", "ru": "Насколько?"}},
            {"id": "a_question_id_of_thirty_two_byte", "kind": "single", "prompt": {"en": "Long id?", "ru": "Длинный?"},
             "options": two("A", "B")}
        ],
        "crosstabs": [{"rows": "count", "columns": "to"}, {"rows": "table", "columns": "int"}]
    })
}

#[test]
fn long_labels_many_options_and_awkward_ids_read_back_in_both_formats() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let created = server.send("POST", "/api/v1/admin/surveys", Some(&edges()), &[("cookie", &cookie)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let version = server.publish_exact("edges", 5);
    let send = |n: usize, answers: Value| {
        for _ in 0..n {
            let body = json!({"version": version, "answers": answers, "key": fresh_key()});
            let reply = server.post_json("/api/v1/surveys/edges/responses", &body);
            assert_eq!(reply.status, 200, "{}", reply.body);
        }
    };
    send(
        12,
        json!({"count": "long", "to": "o1", "table": ["a"], "int": "GE", "with": 3,
                    "a_question_id_of_thirty_two_byte": "a"}),
    );
    send(7, json!({"count": "short", "to": "o100", "table": ["a", "b"], "int": "AM", "with": 5}));
    send(2, json!({"count": "short", "to": "o50", "table": ["b"], "int": "DE"}));
    let results = server.release("edges");
    let survey = server.survey("edges");
    let dir = tempfile::tempdir().unwrap();
    // The names each format gives the questions: Stata reserves `int` and `with`, SPSS
    // `to` and `with`; `count` and `table` are the file's own.
    let names = |format: &str, id: &str| -> String {
        let renamed: &[&str] = if format == "dta" {
            &["count", "table", "int", "with"]
        } else {
            &["count", "table", "to", "with"]
        };
        if renamed.contains(&id) { format!("q_{id}") } else { id.to_owned() }
    };
    for lang in ["en", "ru"] {
        for format in ["dta", "sav"] {
            let bytes = download_from(&server, &cookie, "edges", format, lang);
            let file = read_back(dir.path(), &format!("edges-{lang}.{format}"), &bytes);
            check(&file, &results, &survey, lang, format, &|id| names(format, id));
            // The edges were reached: the long question's label is shortened (Stata holds 80
            // characters, SPSS 255 bytes), the long answer's only in SPSS (120 bytes).
            let count = names(format, "count");
            assert!(file.labels[&count].as_str().unwrap().ends_with('…'), "{format} {lang}");
            let long = file.value_label(&count, 1).unwrap();
            assert_eq!(long.ends_with('…'), format == "sav", "{format} {lang}: {long}");
            assert_eq!(
                file.value_label(&names(format, "to"), 100),
                Some(if lang == "en" { "Option 100" } else { "Вариант 100" })
            );
            assert_eq!(
                file.value_labels[names(format, "int")].as_object().unwrap().len(),
                249,
                "every country"
            );
        }
    }
}
