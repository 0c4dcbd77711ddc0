//! The files researchers download, read back as a spreadsheet or a statistics package
//! would: a byte order mark for Excel, every row labelled the same way the dashboard
//! labels it, and a cross-tabulation's two questions in columns of their own.

use serde_json::json;

use crate::helpers::{TestServer, fresh_key};

/// An exact release of the default survey with a few known answers.
fn released() -> (TestServer, u32) {
    let server = TestServer::start();
    let version = server.publish_exact("diaspora", 5);
    for _ in 0..6 {
        let answers = json!({"citizenship": ["russia"], "country": "GE", "left_when": "from_2023",
                             "reasons": ["economy"], "return_intention": "no", "welcome": 4, "age": 30});
        let body = json!({"version": version, "answers": answers, "key": fresh_key()});
        assert_eq!(server.post_json("/api/v1/surveys/diaspora/responses", &body).status, 200);
    }
    server.release("diaspora");
    (server, version)
}

/// The CSV's rows as maps from column name to field.
fn rows(csv: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers.iter().zip(record.iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect()
        })
        .collect()
}

#[test]
fn excel_gets_a_byte_order_mark_and_everything_else_the_same_file() {
    let (server, _) = released();
    let cookie = server.login_admin();
    let get = |format: &str| {
        server.get_with(&format!("/api/v1/surveys/diaspora/results?format={format}"), &[("cookie", &cookie)])
    };
    let plain = get("csv");
    let excel = get("csv-excel");
    assert_eq!(excel.status, 200, "{}", excel.body);
    assert!(!plain.body.starts_with('\u{feff}'), "R and pandas read it without a BOM");
    assert_eq!(excel.body.strip_prefix('\u{feff}'), Some(plain.body.as_str()), "the same file after the BOM");
    assert!(excel.header("content-disposition").unwrap().contains("diaspora-release-1-excel.csv"));
    assert!(excel.body.contains("Грузия") || excel.body.contains("Georgia"), "names, not only codes");
    // Invite codes for a mail merge in Excel too.
    let mut invite = crate::accounts::small_survey("members");
    invite["settings"] = json!({"access": "invite"});
    server.send("POST", "/api/v1/admin/surveys", Some(&invite), &[("cookie", &cookie)]);
    server.send("POST", "/api/v1/admin/surveys/members/publish", None, &[("cookie", &cookie)]);
    let codes = server.send(
        "POST",
        "/api/v1/admin/surveys/members/invites?format=csv-excel",
        Some(&json!({"count": 2})),
        &[("cookie", &cookie)],
    );
    assert_eq!(codes.status, 201, "{}", codes.body);
    assert!(codes.body.starts_with("\u{feff}code\n"), "{}", codes.body);
}

#[test]
fn every_row_has_its_label_and_a_cross_tabulation_its_two_questions() {
    let (server, version) = released();
    let cookie = server.login_admin();
    let get = |format: &str| {
        server
            .get_with(&format!("/api/v1/surveys/diaspora/results?format={format}"), &[("cookie", &cookie)])
            .body
    };
    let csv = get("csv");
    let rows = rows(&csv);
    let find = |question: &str, option: &str| {
        rows.iter()
            .find(|r| r["question"] == question && r["option"] == option)
            .unwrap_or_else(|| panic!("no row {question}={option}"))
    };
    // Every kind of question is labelled, scales and countries included, with the same
    // words the dashboard uses (Question::answer_label).
    assert_eq!(find("left_when", "from_2023")["label"], "In 2023 or later");
    assert_eq!(find("welcome", "4")["label"], "4");
    assert_eq!(find("welcome", "5")["label"], "5 — Very welcome");
    assert_eq!(find("country", "GE")["label"], "Georgia");
    let age = find("age", "25_34");
    assert_eq!(age["label"], "25–34", "a bin without a label reads as its range, as everywhere");
    let from_2023 = find("left_when", "from_2023");
    assert_eq!((from_2023["statistic"].as_str(), from_2023["count"].as_str()), ("share", "6"));
    assert_eq!((from_2023["version"].clone(), from_2023["release"].as_str()), (version.to_string(), "1"));
    assert_eq!(from_2023["mechanism"], "none");
    // A true zero is published as 0, never withheld: a researcher reads a blank as
    // "withheld", and a withheld count is never zero.
    let counted = server.counts("diaspora");
    for row in rows.iter().filter(|r| r["statistic"] == "share") {
        let (question, option) = (row["question"].as_str(), row["option"].as_str());
        if counted.chose(question, option) == 0 {
            assert_eq!(row["count"], "0", "{question}={option}");
        }
    }
    assert!(rows.len() > 300, "every country is listed: {}", rows.len());
    // A cross-tabulation cell: both questions, each in its own columns, in a file of
    // its own.
    let cells = self::rows(&get("crosstabs-csv"));
    let cell = cells
        .iter()
        .find(|r| r["rows"] == "left_when" && r["row"] == "from_2023" && r["column"] == "no")
        .expect("a crosstab row");
    assert_eq!(cell["columns"], "return_intention");
    assert_eq!(cell["row_label"], "In 2023 or later");
    assert_eq!(cell["column_label"], "No, I don’t plan to return");
    assert_eq!(cell["count"], "6");
}
