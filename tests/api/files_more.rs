//! The Excel workbook, the data package and the DDI codebook, read back by the programs
//! researchers open them with: openpyxl, `frictionless validate`, and Python's XML
//! parser. Every count they read must be the release's own. They run in the Python that
//! `cargo xtask test` names in `NANSEN_PYTHON` (a venv with tests/python-requirements.txt).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::files::python;
use crate::helpers::{TestServer, fresh_key};

/// A title with everything XML and Excel must escape.
const TITLE: &str = "Life <after> leaving & \"beyond\" 'abroad'";

/// Runs `script` in `python` with `args`, in `dir`; its standard output as JSON.
fn run_python(python: &Path, dir: &Path, script: &str, args: &[&str]) -> Value {
    let output = Command::new(python).arg("-c").arg(script).args(args).current_dir(dir).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "python failed:\n{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"))
}

/// A release (k = 5) of the default survey, published under CC0 and retitled with
/// characters to escape: six
/// respondents who left in 2023 and will not return, five before 2022 who will return
/// soon; all but one welcomed (4), that one less so (3: withheld, and so its
/// complement); aged 30 to 40. Exact unless `noise`. Returns the server, an admin's
/// cookie and the release as JSON.
fn released(noise: bool) -> (TestServer, String, Value) {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let admin = "/api/v1/admin/surveys/diaspora";
    let mut definition = server.get_with(admin, &[("cookie", &cookie)]).json()["definition"].clone();
    definition["title"]["en"] = json!(TITLE);
    definition["settings"]["releases"] = json!({"min_new": 5});
    definition["settings"]["licence"] = json!("CC0-1.0");
    assert_eq!(server.send("PUT", admin, Some(&definition), &[("cookie", &cookie)]).status, 200);
    let version = match noise {
        false => server.publish_exact("diaspora", 5),
        true => {
            let published = server.send("POST", &format!("{admin}/publish"), None, &[("cookie", &cookie)]);
            assert_eq!(published.status, 200, "{}", published.body);
            published.json()["current_version"].as_u64().unwrap() as u32
        }
    };
    for i in 0..11 {
        let (left, back) = if i < 6 { ("from_2023", "no") } else { ("before_2022", "soon") };
        let welcome = if i < 10 { 4 } else { 3 };
        let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": left,
                             "reasons": ["economy"], "return_intention": back, "welcome": welcome,
                             "age": 30 + i});
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
    }
    let release = server.release("diaspora");
    assert_eq!(release["release"]["noise"].is_object(), noise, "{}", release["release"]);
    (server, cookie, release)
}

/// The consumers, reading files of one server's latest release in a directory of their
/// own.
struct Consumers<'a> {
    python: PathBuf,
    dir: tempfile::TempDir,
    server: &'a TestServer,
    cookie: &'a str,
}

impl<'a> Consumers<'a> {
    fn new(python: PathBuf, server: &'a TestServer, cookie: &'a str) -> Self {
        Self { python, dir: tempfile::tempdir().unwrap(), server, cookie }
    }

    /// Downloads `path` into `file`; its headers.
    fn fetch(&self, path: &str, file: &str) -> ureq::http::HeaderMap {
        let (bytes, headers) = download(self.server, path, self.cookie);
        std::fs::write(self.dir.path().join(file), &bytes).unwrap();
        headers
    }

    /// The workbook `?format=xlsx{query}`, as openpyxl reads it.
    fn workbook(&self, query: &str, file: &str) -> Value {
        let headers = self.fetch(&format!("/api/v1/surveys/diaspora/results?format=xlsx{query}"), file);
        assert!(headers["content-disposition"].to_str().unwrap().contains("diaspora-release-1.xlsx"));
        run_python(&self.python, self.dir.path(), READ_WORKBOOK, &[file])
    }

    /// The data package, unzipped into `package/`, validated and read by frictionless.
    fn package(&self) -> Value {
        let headers = self.fetch("/api/v1/surveys/diaspora/results?format=datapackage", "package.zip");
        assert_eq!(headers["content-type"], "application/zip");
        assert!(
            headers["content-disposition"].to_str().unwrap().contains("diaspora-release-1-datapackage.zip")
        );
        let read = run_python(&self.python, self.dir.path(), READ_PACKAGE, &["package.zip", "package"]);
        assert_eq!(read["valid"], true, "{}", read["report"].as_str().unwrap());
        read
    }

    /// The DDI codebook `codebook.xml{query}`, as Python's XML parser reads it.
    fn codebook(&self, query: &str, file: &str) -> Value {
        let headers = self.fetch(&format!("/api/v1/surveys/diaspora/codebook.xml{query}"), file);
        assert_eq!(headers["content-type"], "application/xml; charset=utf-8");
        run_python(&self.python, self.dir.path(), READ_DDI, &[file])
    }
}

/// Every option count of a workbook's question sheets.
fn workbook_counts(book: &Value) -> Counts {
    let mut out = BTreeMap::new();
    for (id, question) in book["questions"].as_object().unwrap() {
        for (option, row) in question["table"].as_object().unwrap() {
            out.insert((id.clone(), option.clone()), row["count"].as_f64().map(|n| n as u64));
        }
    }
    out
}

/// Every option count of a data package's results, as frictionless reads them.
fn package_counts(read: &Value) -> Counts {
    let rows = read["rows"].as_array().unwrap().iter().filter(|r| r["statistic"] == "share");
    rows.map(|row| {
        let key = (row["question"].as_str().unwrap().to_owned(), row["option"].as_str().unwrap().to_owned());
        (key, row["count"].as_u64())
    })
    .collect()
}

/// Every category's frequency in a DDI codebook; `None` where it has none.
fn codebook_counts(read: &Value) -> Counts {
    let mut out = BTreeMap::new();
    for (id, var) in read["variables"].as_object().unwrap() {
        for (code, category) in var["categories"].as_object().unwrap() {
            let freq = category["freq"].as_array().unwrap();
            assert!(freq.len() <= 1, "one frequency at most: {id}={code}");
            out.insert((id.clone(), code.clone()), freq.first().and_then(Value::as_u64));
        }
    }
    out
}

/// `path`'s body as bytes (the helpers read bodies as text), and its headers.
fn download(server: &TestServer, path: &str, cookie: &str) -> (Vec<u8>, ureq::http::HeaderMap) {
    let mut response = ureq::get(server.url(path)).header("cookie", cookie).call().unwrap();
    let bytes = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    (bytes, response.headers().clone())
}

/// (question, option) → count, `None` when withheld.
type Counts = BTreeMap<(String, String), Option<u64>>;

/// Every option count of the release.
fn counts(release: &Value) -> Counts {
    let mut out = BTreeMap::new();
    for question in release["questions"].as_array().unwrap() {
        for count in question["counts"].as_array().unwrap() {
            let key =
                (question["id"].as_str().unwrap().to_owned(), count["option"].as_str().unwrap().to_owned());
            out.insert(key, count["count"].as_u64());
        }
    }
    out
}

fn question_ids(release: &Value) -> Vec<String> {
    release["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap().to_owned()).collect()
}

const READ_WORKBOOK: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "questions": {}, "codebook": [], "crosstabs": [], "weighted": []}
about = wb["About"]
out["title"], out["provenance"] = about["A1"].value, about["A2"].value
for ws in wb.worksheets:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if ws.title == "Codebook":
        out["codebook"] = [[c for c in r[:7]] for r in rows]
        continue
    if ws.title == "Crosstabs":
        out["crosstabs"] = [[c for c in r] for r in rows]
        continue
    if ws.title == "Weighted":
        out["weighted"] = [[c for c in r] for r in rows]
        continue
    if ws.title == "About":
        continue
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Answer")
    table = {}
    for r in rows[header + 1:]:
        if r[0] is None:
            break
        table[r[0]] = {"label": r[1], "count": r[2], "share": r[3], "low": r[4], "high": r[5]}
    stats = {r[0]: r[1] for r in rows if r and r[0] in ("Mean", "SD", "n")}
    charts = []
    for chart in ws._charts:
        bars = []
        for s in chart.series:
            e = s.errBars
            if e is not None:
                bars.append({"type": e.errValType, "direction": e.errDir,
                             "plus": e.plus.numRef.f, "minus": e.minus.numRef.f})
        charts.append({"kind": chart.tagname, "series": len(chart.series), "error_bars": bars})
    out["questions"][ws["B2"].value] = {"sheet": ws.title, "header": rows[header][:8], "table": table,
                                        "stats": stats, "charts": charts}
print(json.dumps(out, default=str))
"#;

#[test]
fn the_workbook_opens_in_openpyxl_with_the_releases_counts_a_chart_and_a_codebook() {
    let python = python();
    let (server, cookie, release) = released(false);
    let consumers = Consumers::new(python, &server, &cookie);
    let book = consumers.workbook("", "en.xlsx");

    let sheets: Vec<&str> = book["sheets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(sheets.first(), Some(&"About"));
    assert!(sheets.contains(&"Crosstabs") && sheets.contains(&"Codebook"), "{sheets:?}");
    assert!(!sheets.contains(&"Weighted"), "no weights were asked for");
    assert!(sheets.iter().all(|s| s.chars().count() <= 31), "{sheets:?}");
    let unique: BTreeSet<&&str> = sheets.iter().collect();
    assert_eq!(unique.len(), sheets.len(), "{sheets:?}");
    assert_eq!(book["title"], TITLE);
    let provenance = book["provenance"].as_str().unwrap();
    assert!(provenance.starts_with("Release 1 of") && provenance.contains("k = 5"), "{provenance}");

    // Every count of every question sheet is the release's; a withheld one is blank.
    let expected = counts(&release);
    assert_eq!(workbook_counts(&book), expected);
    assert!(expected.values().any(Option::is_none), "some counts are withheld");
    for (id, question) in book["questions"].as_object().unwrap() {
        assert_eq!(
            question["header"].as_array().unwrap()[..3],
            json!(["Answer", "Label", "Count"]).as_array().unwrap()[..]
        );
        // One bar chart of the shares, with custom error bars from the intervals.
        let charts = question["charts"].as_array().unwrap();
        assert_eq!(charts.len(), 1, "{id}: {charts:?}");
        assert_eq!(charts[0]["kind"], "barChart");
        let bars = &charts[0]["error_bars"][0];
        assert_eq!(bars["type"], "cust", "{id}: {bars}");
        assert!(
            bars["plus"].as_str().unwrap().contains("$G$") && bars["minus"].as_str().unwrap().contains("$H$")
        );
    }
    let left = &book["questions"]["left_when"]["table"];
    assert_eq!(left["from_2023"]["label"], "In 2023 or later");
    assert_eq!(left["from_2023"]["count"], 6);
    assert_eq!(left["after_mobilisation"]["count"], 0, "a true zero is 0, never blank");
    assert!((left["from_2023"]["share"].as_f64().unwrap() - 6.0 / 11.0).abs() < 1e-9);
    assert_eq!(
        book["questions"]["welcome"]["table"]["3"]["count"],
        Value::Null,
        "1 is withheld: a blank cell"
    );
    let age = &book["questions"]["age"]["stats"];
    assert!((age["Mean"].as_f64().unwrap() - 35.0).abs() < 1e-9, "{age}");

    // The codebook lists every question and each of its answers.
    let codebook = book["codebook"].as_array().unwrap();
    assert_eq!(
        codebook[0].as_array().unwrap()[..6],
        json!(["Question", "Sheet", "Text", "Kind", "Code", "Label"]).as_array().unwrap()[..]
    );
    let listed: BTreeSet<(String, String)> = codebook[1..]
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_owned(), r[4].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, expected.keys().cloned().collect());
    for id in question_ids(&release) {
        assert!(codebook.iter().any(|r| r[0] == id.as_str()), "{id} in the codebook");
    }
    // A cross-tabulation as a matrix: row labels down, column labels across.
    let crosstabs = book["crosstabs"].as_array().unwrap();
    let title = crosstabs.iter().position(|r| r[0].as_str().is_some_and(|t| t.contains("(left_when, rows)")));
    let table = &crosstabs[title.expect("the table's title")..];
    let column = table[1].as_array().unwrap().iter().position(|c| c == "no").expect("column codes");
    assert_eq!(table[2][column], "No, I don’t plan to return", "column labels under their codes");
    let row = table.iter().find(|r| r[0] == "from_2023").unwrap();
    assert_eq!(row[1], "In 2023 or later");
    assert_eq!(row[column], 6);

    // Russian labels, and a weighted sheet when weights are asked for.
    let ru =
        consumers.workbook("&lang=ru&weight_by=left_when&weights=from_2023:0.25,before_2022:0.75", "ru.xlsx");
    assert_eq!(ru["questions"]["left_when"]["table"]["from_2023"]["label"], "В 2023 году или позже");
    assert_eq!(ru["questions"]["country"]["table"]["GE"]["label"], "Грузия");
    assert!(ru["sheets"].as_array().unwrap().contains(&json!("Weighted")));
    assert!(ru["weighted"].to_string().contains("return_intention"), "{}", ru["weighted"]);
}

const READ_PACKAGE: &str = r#"
import json, os, subprocess, sys, zipfile
archive, into = sys.argv[1], sys.argv[2]
zipfile.ZipFile(archive).extractall(into)
check = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                       cwd=into, capture_output=True, text=True)
from frictionless import Package
package = Package(os.path.join(into, "datapackage.json"))
rows = [{k: row[k] for k in ("question", "option", "statistic", "count", "mechanism")}
        for row in package.get_resource("results").read_rows()]
cells = [{k: row[k] for k in ("rows", "row", "columns", "column", "count")}
         for row in package.get_resource("crosstabs").read_rows()]
print(json.dumps({"valid": check.returncode == 0, "report": check.stdout[-4000:] + check.stderr[-2000:],
                  "names": sorted(zipfile.ZipFile(archive).namelist()),
                  "descriptor": json.load(open(os.path.join(into, "datapackage.json"))),
                  "rows": rows, "cells": cells}, default=str))
"#;

#[test]
fn the_data_package_passes_frictionless_validate_with_the_releases_counts() {
    let python = python();
    let (server, cookie, release) = released(false);
    let consumers = Consumers::new(python, &server, &cookie);
    let read = consumers.package();
    assert_eq!(
        read["names"],
        json!(["crosstabs.csv", "datapackage.json", "questionnaire.json", "results.csv"])
    );

    // The CSVs are exactly the ones downloaded on their own.
    let package = consumers.dir.path().join("package");
    let csv = server.get_with("/api/v1/surveys/diaspora/results?format=csv", &[("cookie", &cookie)]).body;
    assert_eq!(std::fs::read_to_string(package.join("results.csv")).unwrap(), csv);
    let crosstabs =
        server.get_with("/api/v1/surveys/diaspora/results?format=crosstabs-csv", &[("cookie", &cookie)]).body;
    assert_eq!(std::fs::read_to_string(package.join("crosstabs.csv")).unwrap(), crosstabs);
    let questionnaire: Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("questionnaire.json")).unwrap()).unwrap();
    assert_eq!(questionnaire["title"]["en"], TITLE);

    // The descriptor: v2, the release as its version, a licence, the threshold, blanks
    // as missing values, and value labels on the coded fields.
    let descriptor = &read["descriptor"];
    assert_eq!(descriptor["$schema"], "https://datapackage.org/profiles/2.0/datapackage.json");
    assert_eq!(descriptor["name"], "diaspora-release-1");
    assert_eq!(descriptor["version"], "release-1");
    assert_eq!(descriptor["threshold"], 5);
    assert_eq!(descriptor["licenses"][0]["name"], "CC0-1.0", "the licence the admin chose");
    assert_eq!(descriptor["title"], format!("{TITLE} — release 1"));
    assert!(descriptor["description"].as_str().unwrap().starts_with("Release 1 of"));
    let resources = descriptor["resources"].as_array().unwrap();
    let names: Vec<&str> = resources.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["results", "crosstabs", "questionnaire"]);
    let schema = &resources[0]["schema"];
    assert_eq!(schema["missingValues"][0]["value"], "");
    let fields = schema["fields"].as_array().unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(fields.iter().map(|f| f["name"].as_str().unwrap()).collect::<Vec<_>>(), header);
    assert!(
        fields
            .iter()
            .all(|f| f["type"].is_string() && f["description"].as_str().is_some_and(|d| d.len() > 5))
    );
    let field = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap();
    assert_eq!(field("count")["type"], "integer");
    let questions = field("question")["categories"].as_array().unwrap();
    assert!(
        questions.contains(&json!({"value": "left_when", "label": "When did you leave Russia or Belarus?"}))
    );
    let options = field("option")["categories"].as_array().unwrap();
    assert!(options.contains(&json!({"value": "from_2023", "label": "In 2023 or later"})));
    assert!(options.contains(&json!({"value": "GE", "label": "Georgia"})));

    // Every count frictionless reads is the release's; a withheld one is missing.
    assert_eq!(package_counts(&read), counts(&release));
    let respondents =
        read["rows"].as_array().unwrap().iter().find(|r| r["statistic"] == "respondents").unwrap();
    assert_eq!(respondents["count"], release["respondents"]);
    let cell = read["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rows"] == "left_when" && c["row"] == "from_2023" && c["column"] == "no")
        .unwrap();
    assert_eq!(cell["count"], 6);
}

const READ_DDI: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
D = "{ddi:codebook:2_5}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
root = ET.parse(sys.argv[1]).getroot()
def text(el, path):
    found = el.find(path)
    return None if found is None else found.text
variables = {}
for var in root.iter(D + "var"):
    categories = {}
    for cat in var.findall(D + "catgry"):
        freqs = [s.text for s in cat.findall(D + "catStat") if s.get("type") == "freq"]
        categories[text(cat, D + "catValu")] = {"label": text(cat, D + "labl"),
                                               "freq": [int(f) for f in freqs]}
    variables[var.get("name")] = {"label": text(var, D + "labl"), "question": text(var, D + "qstn/" + D + "qstnLit"),
                                  "categories": categories,
                                  "stats": {s.get("type"): s.text for s in var.findall(D + "sumStat")}}
titl = root.find(f"{D}stdyDscr/{D}citation/{D}titlStmt/{D}titl")
print(json.dumps({"tag": root.tag, "version": root.get("version"), "lang": root.get(LANG),
                  "title": titl.text, "title_lang": titl.get(LANG),
                  "restriction": text(root, f"{D}stdyDscr/{D}dataAccs/{D}useStmt/{D}restrctn"),
                  "conditions": text(root, f"{D}stdyDscr/{D}dataAccs/{D}useStmt/{D}conditions"),
                  "release": text(root, f"{D}stdyDscr/{D}citation/{D}verStmt/{D}version"),
                  "variables": variables}))
"#;

#[test]
fn the_ddi_codebook_parses_with_the_releases_frequencies_in_each_language() {
    let python = python();
    let (server, cookie, release) = released(false);
    let consumers = Consumers::new(python, &server, &cookie);
    let en = consumers.codebook("", "en.xml");
    assert_eq!(en["tag"], "{ddi:codebook:2_5}codeBook");
    assert_eq!(en["version"], "2.5");
    assert_eq!((en["lang"].as_str(), en["title_lang"].as_str()), (Some("en"), Some("en")));
    assert_eq!(en["title"], TITLE, "escaped and read back whole");
    assert!(en["release"].as_str().unwrap().starts_with("Release 1 of survey version"));
    assert!(
        en["restriction"].as_str().unwrap().contains("Counts from 1 to 4 are withheld"),
        "{}",
        en["restriction"]
    );
    let conditions = en["conditions"].as_str().unwrap();
    assert!(conditions.contains("No noise") && conditions.contains("(CC0-1.0,"), "{conditions}");

    // One variable per question; every frequency is the release's, none where withheld.
    let variables = en["variables"].as_object().unwrap();
    assert_eq!(
        variables.keys().cloned().collect::<BTreeSet<_>>(),
        question_ids(&release).into_iter().collect()
    );
    assert_eq!(codebook_counts(&en), counts(&release));
    let left = &variables["left_when"];
    assert_eq!(left["question"], "When did you leave Russia or Belarus?");
    assert_eq!(left["categories"]["from_2023"], json!({"label": "In 2023 or later", "freq": [6]}));
    assert_eq!(left["stats"]["vald"], "11");
    assert_eq!(variables["welcome"]["categories"]["3"]["freq"], json!([]), "withheld: no frequency");
    assert!(
        (variables["age"]["stats"]["mean"].as_str().unwrap().parse::<f64>().unwrap() - 35.0).abs() < 1e-9
    );

    // In Russian.
    let ru = consumers.codebook("?lang=ru&release=1", "ru.xml");
    assert_eq!((ru["lang"].as_str(), ru["title_lang"].as_str()), (Some("ru"), Some("ru")));
    assert_eq!(ru["title"], "Жизнь после отъезда");
    let left = &ru["variables"]["left_when"];
    assert_eq!(left["label"], "Когда вы уехали из России или Беларуси?");
    assert_eq!(left["categories"]["from_2023"]["label"], "В 2023 году или позже");
    assert_eq!(ru["variables"]["country"]["categories"]["GE"]["label"], "Грузия");

    // The same readers as the results: not anyone while they are for staff only.
    server.get("/api/v1/surveys/diaspora/codebook.xml").problem(401, "unauthenticated");
    server
        .get_with("/api/v1/surveys/diaspora/codebook.xml?release=9", &[("cookie", &cookie)])
        .problem(404, "not-found");
}

#[test]
fn a_noisy_release_says_so_in_every_file_and_every_consumer_reads_its_counts() {
    let python = python();
    let (server, cookie, release) = released(true);
    let consumers = Consumers::new(python, &server, &cookie);
    let expected = counts(&release);

    let book = consumers.workbook("", "noisy.xlsx");
    assert_eq!(workbook_counts(&book), expected);
    assert!(
        book["provenance"].as_str().unwrap().contains("discrete Gaussian noise"),
        "{}",
        book["provenance"]
    );

    let package = consumers.package();
    assert_eq!(package_counts(&package), expected);
    assert_eq!(package["descriptor"]["release"]["noise"]["mechanism"], "discrete_gaussian");
    let rows = package["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["mechanism"] == "discrete_gaussian"), "every row says its noise");

    let codebook = consumers.codebook("", "noisy.xml");
    assert_eq!(codebook_counts(&codebook), expected);
    assert!(
        codebook["conditions"].as_str().unwrap().contains("discrete Gaussian noise"),
        "{}",
        codebook["conditions"]
    );
}
