//! Questionnaires as XLSForms: a realistic Russian and English form, written here as
//! ODK designers write them (groups, a condition on a group, conditions joined by `or`),
//! imported, published and answered over the JSON API and the plain form; exported,
//! converted by pyxform (ODK's reference converter) and imported again into the same
//! definition; refused, with every problem at its sheet, row and column; and the same
//! through the command line.

use std::path::Path;
use std::process::Command;

use nansen_shared::{Answers, Survey};
use serde_json::{Value, json};

use crate::cli::nansen;
use crate::files::python;
use crate::form::PlainForm;
use crate::helpers::{TestServer, fresh_key};
use crate::workbook::{relocation_form, workbook};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn import(server: &TestServer, cookie: &str, bytes: &[u8]) -> crate::helpers::Reply {
    server.post_bytes("/api/v1/admin/surveys/import", XLSX, bytes, &[("cookie", cookie)])
}

/// The survey's definition as the admin API shows it, without its version number.
fn definition(server: &TestServer, cookie: &str, slug: &str) -> Value {
    let reply = server.get_with(&format!("/api/v1/admin/surveys/{slug}"), &[("cookie", cookie)]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut definition = reply.json()["definition"].clone();
    definition.as_object_mut().unwrap().remove("version");
    definition
}

/// Exports `slug` as an XLSForm and checks the reply.
fn export(server: &TestServer, cookie: &str, slug: &str) -> Vec<u8> {
    let (status, headers, bytes) =
        server.get_bytes(&format!("/api/v1/admin/surveys/{slug}/xlsform"), &[("cookie", cookie)]);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-type"), XLSX);
    assert_eq!(header("content-disposition"), format!("attachment; filename=\"{slug}.xlsx\""));
    assert_eq!(header("cache-control"), "no-store");
    assert!(bytes.starts_with(b"PK\x03\x04"));
    bytes
}

/// What pyxform (`xls2xform --json`, without ODK Validate, which needs a download)
/// says of an XLSForm, and the XForm it made.
fn pyxform(xlsx: &[u8]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let (form, xml) = (dir.path().join("form.xlsx"), dir.path().join("form.xml"));
    std::fs::write(&form, xlsx).unwrap();
    let output = Command::new(python())
        .args(["-m", "pyxform.xls2xform", "--skip_validate", "--json"])
        .args([&form, &xml])
        .output()
        .unwrap();
    // The report goes to standard error (and logging's lines to standard output).
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    let report: Value = serde_json::from_str(said.trim())
        .unwrap_or_else(|e| panic!("pyxform said ({e}): {said}{}", String::from_utf8_lossy(&output.stdout)));
    (report, std::fs::read_to_string(&xml).unwrap_or_default())
}

fn answers(value: Value) -> Answers {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_russian_and_english_xlsform_is_imported_published_and_answered() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let reply = import(&server, &cookie, &relocation_form());
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("location"), Some("/api/v1/admin/surveys/relocation-2025"));
    let created = reply.json();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["problems"], json!([]), "{created}");
    let imported: Survey = serde_json::from_value(created["definition"].clone()).unwrap();
    assert_eq!(imported.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>(), ["ru", "en"]);
    assert_eq!(
        imported.title.0.values().cloned().collect::<Vec<_>>(),
        ["Life after moving", "Жизнь после переезда"]
    );
    assert!(imported.intro.0.values().all(|text| text.contains("anonymous") || text.contains("анонимный")));
    let ids: Vec<&str> = imported.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["country", "left_when", "reasons", "welcome", "age", "return", "trust", "police_contact", "needs"]
    );
    let question = |id: &str| serde_json::to_value(imported.question(id).unwrap().1).unwrap();
    assert_eq!(question("country")["allowed"], json!(["GE", "AM", "RS", "DE", "TR"]));
    assert_eq!(question("reasons")["max_choices"], 2);
    assert_eq!(question("reasons")["options"][3]["exclusive"], true);
    assert_eq!(
        question("welcome")["show_if"],
        json!({"question": "left_when", "any_of": ["y2022", "y2023"]})
    );
    assert_eq!(question("welcome")["min_label"], json!({"ru": "Совсем нет", "en": "Not at all"}));
    assert_eq!(question("age")["show_if"], question("welcome")["show_if"], "the group's condition");
    assert_eq!(
        question("age")["bins"][1],
        json!({"code": "30_44", "min": 30, "max": 44, "label": {"en": "30–44", "ru": "30–44"}})
    );
    assert_eq!(question("age")["unit"], json!({"ru": "лет", "en": "years"}));
    assert_eq!(
        question("return")["show_if"],
        json!({"question": "reasons", "any_of": ["war", "mobilisation"]})
    );
    assert_eq!(question("trust")["kind"], "grid");
    assert_eq!(
        question("trust")["rows"],
        json!([
            {"code": "police", "label": {"ru": "полиции", "en": "the police"}},
            {"code": "courts", "label": {"ru": "судам", "en": "the courts"}}
        ])
    );
    assert_eq!(question("trust")["options"][1]["code"], "high");
    assert_eq!(question("trust")["prompt"]["en"], "How much do you trust…");
    assert_eq!(question("trust")["show_if"], json!({"question": "reasons", "any_of": ["war"]}));
    assert_eq!(
        question("police_contact")["show_if"],
        json!({"question": "trust", "row": "police", "any_of": ["low"]})
    );
    assert_eq!(question("needs")["kind"], "ranking");
    assert_eq!(question("needs")["max_ranked"], 2);
    assert_eq!(question("needs")["items"][2]["code"], "language");

    let published =
        server.send("POST", "/api/v1/admin/surveys/relocation-2025/publish", None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
    let survey = server.survey("relocation-2025");
    assert_eq!(survey.version, Some(1));

    // Over the JSON API: one who left in 2022 over the war.
    let recent = answers(
        json!({"country": "GE", "left_when": "y2022", "reasons": ["war", "work"], "welcome": 4, "age": 33, "return": "no"}),
    );
    assert_eq!(server.submit("relocation-2025", 1, &recent, &fresh_key()).status, 200);
    // The group's condition holds only for 2022 and later.
    let hidden =
        answers(json!({"country": "GE", "left_when": "before_2022", "reasons": ["work"], "welcome": 4}));
    let refused = server.submit("relocation-2025", 1, &hidden, &fresh_key());
    let problem = refused.problem(422, "invalid-answers");
    assert_eq!(problem["errors"][0]["pointer"], "#/answers/welcome", "{problem}");
    let too_many = answers(
        json!({"country": "AM", "left_when": "before_2022", "reasons": ["war", "work", "mobilisation"], "return": "yes"}),
    );
    assert_eq!(server.submit("relocation-2025", 1, &too_many, &fresh_key()).status, 422);

    // The plain form, in Russian, without JavaScript.
    let page = server.get("/s/relocation-2025?lang=ru");
    assert!(page.body.contains("Где вы живёте?") && page.body.contains("Опрос анонимный"), "{}", page.body);
    let mut form = PlainForm::parse(&page.body);
    form.answer(&survey, &answers(json!({"country": "AM", "left_when": "before_2022", "reasons": ["none"]})));
    let sent = form.post(&server, &[]);
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("Ваши ответы учтены"), "{}", sent.body);

    let counted = server.counts("relocation-2025");
    assert_eq!(counted.respondents(), 2);
    let chose = |q: &str, code: &str| counted.chose(q, code);
    assert_eq!((chose("left_when", "y2022"), chose("left_when", "before_2022")), (1, 1));
    assert_eq!((chose("country", "GE"), chose("country", "AM")), (1, 1));
    assert_eq!((chose("reasons", "war"), chose("reasons", "none")), (1, 1));
    assert_eq!((chose("age", "30_44"), chose("welcome", "4"), chose("return", "no")), (1, 1, 1));
}

#[test]
fn an_export_converts_with_pyxform_and_imports_back_to_the_same_definition() {
    let first = TestServer::start();
    let cookie = first.login_admin();
    assert_eq!(import(&first, &cookie, &relocation_form()).status, 201);
    let published =
        first.send("POST", "/api/v1/admin/surveys/relocation-2025/publish", None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
    let exported = export(&first, &cookie, "relocation-2025");

    let (report, xform) = pyxform(&exported);
    assert_eq!(report["code"], 100, "{report}");
    assert_eq!(report["warnings"], json!([]), "{report}");
    assert!(xform.contains("<h:title>Жизнь после переезда</h:title>"), "{xform}");
    assert!(xform.contains(r#"<translation lang="Russian (ru)" default="true()">"#), "{xform}");
    assert!(xform.contains(r#"<translation lang="English (en)">"#), "{xform}");
    assert!(
        xform.contains("relevant=\" /data/left_when  = 'y2022' or  /data/left_when  = 'y2023'\""),
        "{xform}"
    );
    assert!(xform.contains(r#"constraint="count-selected(.) &lt;= 2""#), "{xform}");
    assert!(xform.contains(r#"<range ref="/data/welcome" start="1" end="5" step="1">"#), "{xform}");

    // Into another server, where the slug is free: the same definition.
    let second = TestServer::start();
    let cookie2 = second.login_admin();
    let reply = import(&second, &cookie2, &exported);
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        definition(&second, &cookie2, "relocation-2025"),
        definition(&first, &cookie, "relocation-2025")
    );

    // The default survey too, with its four languages and 249 countries.
    let diaspora = export(&first, &cookie, "diaspora");
    let (report, xform) = pyxform(&diaspora);
    assert_eq!((report["code"].clone(), report["warnings"].clone()), (json!(100), json!([])), "{report}");
    for language in ["English (en)", "Russian (ru)", "Ukrainian (uk)", "Belarusian (be)"] {
        assert!(xform.contains(&format!("<translation lang=\"{language}\"")), "{language}");
    }
    assert!(xform.contains("<value>Грузия</value>"), "the country list is named in Russian");
    // Here the slug is taken: a conflict, not a second survey.
    let again = import(&first, &cookie, &diaspora).problem(409, "conflict");
    assert!(again["detail"].as_str().unwrap().contains("\"diaspora\" already exists"), "{again}");
}

#[test]
fn what_an_xlsform_cannot_carry_is_refused_at_its_sheet_row_and_column() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let survey = vec![
        vec!["type", "name", "label::English (en)", "relevant", "calculation", "image::English (en)"],
        vec!["select_one yn", "consent", "Do you agree?"],
        vec!["text", "name", "Your name?"],
        vec!["select_one yn", "agree", "Really?", "${consent} != 'no'"],
        vec!["date", "arrived", "When did you arrive?"],
        vec!["calculate", "score", "", "", "${consent} + 1"],
        vec!["select_one yn", "photo_q", "Look", "", "", "flag.png"],
        vec!["begin_repeat", "children", "Children"],
        vec!["end_repeat"],
        vec!["select_one yn", "later", "Later?", "${nothing} = 'yes'"],
    ];
    let choices = vec![
        vec!["list_name", "name", "label::English (en)"],
        vec!["yn", "yes", "Yes"],
        vec!["yn", "no", "No"],
    ];
    let settings = vec![vec!["form_id", "form_title"], vec!["refused", "Refused"]];
    let bytes = workbook(&[("survey", survey), ("choices", choices), ("settings", settings)]);
    let problem = import(&server, &cookie, &bytes).problem(422, "invalid-definition");
    let errors = problem["errors"].as_array().unwrap();
    let found: Vec<(&str, &str)> =
        errors.iter().map(|e| (e["pointer"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
    assert_eq!(
        found,
        [
            ("#/survey/3/type", "unsupported_type"),
            ("#/survey/4/relevant", "unsupported_expression"),
            ("#/survey/5/type", "unsupported_type"),
            ("#/survey/6/calculation", "unsupported_column"),
            ("#/survey/6/type", "unsupported_type"),
            ("#/survey/7/image::English (en)", "unsupported_column"),
            ("#/survey/8/type", "unsupported_type"),
            ("#/survey/10/relevant", "bad_relevant"),
        ],
        "{problem}"
    );
    assert!(problem["detail"].as_str().unwrap().contains("8 problems to fix"), "{problem}");
    let detail = |i: usize| errors[i]["detail"].as_str().unwrap();
    assert!(
        detail(0).starts_with(
            "Sheet \"survey\", row 3, column \"type\" (A): Nansen does not collect free text, by design: written answers can identify the person who wrote them"
        ),
        "{}",
        detail(0)
    );
    assert!(detail(1).starts_with("Sheet \"survey\", row 4, column \"relevant\" (D): \"${consent} != 'no'\" is not a condition Nansen can carry"), "{}", detail(1));
    assert!(detail(2).contains("dates or times"), "{}", detail(2));
    assert!(detail(6).contains("no repeated groups"), "{}", detail(6));
    assert!(detail(7).contains("${nothing}, which is not an earlier question"), "{}", detail(7));
    // Nothing was made.
    server.get_with("/api/v1/admin/surveys/refused", &[("cookie", &cookie)]).problem(404, "not-found");
}

#[test]
fn bodies_that_are_not_xlsforms_get_problems_not_server_errors() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let post = |content_type: &str, body: &[u8]| {
        server.post_bytes("/api/v1/admin/surveys/import", content_type, body, &[("cookie", &cookie)])
    };
    let form = relocation_form();
    let detail = |reply: &crate::helpers::Reply, status, name| {
        reply.problem(status, name)["detail"].as_str().unwrap().to_owned()
    };
    assert!(
        detail(&post("application/json", b"{}"), 415, "unsupported-media-type")
            .contains("POST /api/v1/admin/surveys")
    );
    assert!(detail(&post("text/csv", b"type,name\n"), 415, "unsupported-media-type").contains(".xlsx"));
    assert!(detail(&post(XLSX, b""), 415, "unsupported-media-type").contains("empty"));
    assert!(
        detail(&post(XLSX, b"type,name\ntext,q\n"), 415, "unsupported-media-type").contains("not an .xlsx")
    );
    assert!(
        detail(&post(XLSX, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1old"), 415, "unsupported-media-type")
            .contains(".xls")
    );
    post(XLSX, &form[..form.len() / 2]).problem(400, "invalid-body");
    assert!(detail(&post(XLSX, &vec![b'P'; 3 << 20]), 413, "payload-too-large").contains("2 MiB"));
    // A zip bomb: 40 KiB that unpack to 40 MiB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
    for _ in 0..40 {
        std::io::Write::write_all(&mut zip, &[b' '; 1 << 20]).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(detail(&post(XLSX, &bomb), 413, "payload-too-large").contains("unpacks to more than"));
    // An upload from a browser that does not know the type, and no type at all.
    assert_eq!(post("application/octet-stream", &form).status, 201);
    // Only admins; and the address is free for a survey called "import".
    server.post_bytes("/api/v1/admin/surveys/import", XLSX, &form, &[]).problem(401, "unauthenticated");
    let mut named_import = definition(&server, &cookie, "relocation-2025");
    named_import["slug"] = json!("import");
    assert_eq!(
        server.send("POST", "/api/v1/admin/surveys", Some(&named_import), &[("cookie", &cookie)]).status,
        201
    );
    assert_eq!(
        server.get_with("/api/v1/admin/surveys/import", &[("cookie", &cookie)]).json()["definition"]["slug"],
        "import"
    );
    server
        .get_with("/api/v1/admin/surveys/nothing/xlsform", &[("cookie", &cookie)])
        .problem(404, "not-found");
}

#[test]
fn the_command_line_imports_and_exports_xlsforms() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let database = crate::helpers::database_url(dir.path());
    let file = dir.path().join("relocation.xlsx");
    std::fs::write(&file, relocation_form()).unwrap();
    let path = |p: &Path| p.display().to_string();
    let output = nansen(&["survey", "import", &path(&file)], &database, "");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("Imported \"relocation-2025\" as a draft with 9 questions in ru, en."), "{said}");
    // Twice is an error, and so is a form with problems: each on a line with its place.
    assert_eq!(nansen(&["survey", "import", &path(&file)], &database, "").status.code(), Some(1));
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(
        &bad,
        workbook(&[
            (
                "survey",
                vec![
                    vec!["type", "name", "label::English (en)"],
                    vec!["text", "name", "Name?"],
                    vec!["geopoint", "where", "Where?"],
                ],
            ),
            ("settings", vec![vec!["form_id"], vec!["bad"]]),
        ]),
    )
    .unwrap();
    let output = nansen(&["survey", "import", &path(&bad)], &database, "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("\n  Sheet \"survey\", row 2, column \"type\" (A): Nansen does not collect free text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  Sheet \"survey\", row 3, column \"type\" (A): Nansen records no locations"),
        "{stderr}"
    );

    let out = dir.path().join("exported.xlsx");
    let output = nansen(&["survey", "export", "relocation-2025", "--out", &path(&out)], &database, "");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = nansen(&["survey", "export", "nothing"], &database, "");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no survey called \"nothing\""));

    // What the command line imported is what the API makes of its export elsewhere.
    let server = TestServer::start_with(dir, &[]);
    let cookie = server.login_admin();
    let other = TestServer::start();
    let cookie2 = other.login_admin();
    assert_eq!(import(&other, &cookie2, &std::fs::read(&out).unwrap()).status, 201);
    assert_eq!(
        definition(&other, &cookie2, "relocation-2025"),
        definition(&server, &cookie, "relocation-2025")
    );
    assert!(
        server
            .get_with("/api/v1/admin/audit", &[("cookie", &cookie)])
            .body
            .contains("relocation-2025 (XLSForm)")
    );
}
