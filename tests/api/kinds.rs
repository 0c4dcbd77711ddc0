//! Grid and ranking questions end to end: defined, answered over the JSON API and the
//! plain form, refused when malformed, released with their totals, shares and mean
//! ranks, and cross-tabulated by a grid row.

use serde_json::{Value, json};

use crate::form::PlainForm;
use crate::helpers::{TestServer, fresh_key};

fn text(en: &str, ru: &str) -> Value {
    json!({"en": en, "ru": ru})
}

/// A survey with a grid (`ties`: how strong each tie is), a ranking of priorities (two
/// places of four), a question shown after a grid row's answer and one shown to those
/// who ranked `jobs`, and a table of a grid row by the ranking's first item.
pub fn kinds_survey(slug: &str) -> Value {
    let item = |code: &str, en: &str, ru: &str| json!({"code": code, "label": text(en, ru)});
    json!({
        "slug": slug, "languages": ["en", "ru"], "title": text("Kinds", "Виды"),
        "questions": [
            {"id": "ties", "kind": "grid", "required": false,
             "prompt": text("How strong is each tie?", "Насколько сильна каждая связь?"),
             "rows": [item("family", "Family", "Семья"), item("work", "Work", "Работа")],
             "options": [item("strong", "Strong", "Сильная"), item("weak", "Weak", "Слабая"),
                         item("none", "None", "Нет")]},
            {"id": "priorities", "kind": "ranking", "required": true, "max_ranked": 2,
             "prompt": text("What matters most?", "Что важнее всего?"),
             "items": [item("jobs", "Jobs", "Работа"), item("safety", "Safety", "Безопасность"),
                       item("schools", "Schools", "Школы"), item("housing", "Housing", "Жильё")]},
            {"id": "visits", "kind": "single", "required": true,
             "prompt": text("Do you visit them?", "Вы их навещаете?"),
             "show_if": {"question": "ties", "row": "family", "any_of": ["strong"]},
             "options": [item("yes", "Yes", "Да"), item("no", "No", "Нет")]},
            {"id": "job_kind", "kind": "single",
             "prompt": text("Which work?", "Какая работа?"),
             "show_if": {"question": "priorities", "any_of": ["jobs"]},
             "options": [item("remote", "Remote", "Удалённая"), item("local", "Local", "Местная")]}
        ],
        "crosstabs": [{"rows": "ties", "rows_item": "family", "columns": "priorities", "columns_item": "jobs"}],
        "settings": {"min_cell": 3, "privacy": {"noise": false}, "releases": {"min_new": 3}}
    })
}

fn publish(server: &TestServer, slug: &str) {
    let cookie = server.login_admin();
    let created =
        server.send("POST", "/api/v1/admin/surveys", Some(&kinds_survey(slug)), &[("cookie", &cookie)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let path = format!("/api/v1/admin/surveys/{slug}/publish");
    let published = server.send("POST", &path, None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
}

fn send(server: &TestServer, slug: &str, answers: Value) -> crate::helpers::Reply {
    let body = json!({"version": 1, "answers": answers, "key": fresh_key()});
    server.post_json(&format!("/api/v1/surveys/{slug}/responses"), &body)
}

fn question<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap()
}

fn count(question: &Value, code: &str) -> Value {
    question["counts"].as_array().unwrap().iter().find(|c| c["option"] == code).unwrap()["count"].clone()
}

#[test]
fn grids_and_rankings_are_counted_per_row_and_place_and_released_with_their_totals() {
    let server = TestServer::start();
    publish(&server, "kinds");
    for _ in 0..4 {
        let answers = json!({"ties": {"family": "strong", "work": "weak"}, "priorities": ["jobs", "safety"],
                             "visits": "yes", "job_kind": "remote"});
        assert_eq!(send(&server, "kinds", answers).status, 200);
    }
    for _ in 0..3 {
        let answers =
            json!({"ties": {"family": "weak"}, "priorities": ["safety", "jobs"], "job_kind": "local"});
        assert_eq!(send(&server, "kinds", answers).status, 200);
    }
    for _ in 0..5 {
        assert_eq!(send(&server, "kinds", json!({"priorities": ["schools"]})).status, 200);
    }
    let results = server.release("kinds");
    let ties = question(&results, "ties");
    assert_eq!(ties["answered"], 7);
    // Every cell listed, coded row.option, zero or not.
    let codes: Vec<&str> =
        ties["counts"].as_array().unwrap().iter().map(|c| c["option"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["family.strong", "family.weak", "family.none", "work.strong", "work.weak", "work.none"]
    );
    assert_eq!(
        (count(ties, "family.strong"), count(ties, "family.weak"), count(ties, "work.weak")),
        (json!(4), json!(3), json!(4))
    );
    // Each row's total, and a grid cell's share is of its row: 4 of 7, 4 of 4.
    assert_eq!(ties["parts"], json!([{"code": "family", "answered": 7}, {"code": "work", "answered": 4}]));
    let share = |q: &Value, code: &str| {
        q["counts"].as_array().unwrap().iter().find(|c| c["option"] == code).unwrap()["share"]["value"]
            .as_f64()
    };
    assert_eq!(share(ties, "family.strong"), Some(4.0 / 7.0));
    assert_eq!(share(ties, "work.weak"), Some(1.0));
    // The ranking: how often each item was at each place; shares of all who ranked.
    let priorities = question(&results, "priorities");
    assert_eq!(priorities["answered"], 12);
    assert_eq!((count(priorities, "jobs.1"), count(priorities, "jobs.2")), (json!(4), json!(3)));
    assert_eq!((count(priorities, "schools.1"), count(priorities, "housing.1")), (json!(5), json!(0)));
    assert_eq!(share(priorities, "schools.1"), Some(5.0 / 12.0));
    // Mean place from the counts: jobs (4 × 1 + 3 × 2) / 7; housing, never ranked, none.
    let jobs = priorities["parts"].as_array().unwrap().iter().find(|p| p["code"] == "jobs").unwrap();
    assert_eq!(jobs["answered"], 7);
    let mean = jobs["mean_rank"]["value"].as_f64().unwrap();
    assert!((mean - 10.0 / 7.0).abs() < 1e-9, "{jobs}");
    let (low, high) = (
        jobs["mean_rank"]["ci95"]["low"].as_f64().unwrap(),
        jobs["mean_rank"]["ci95"]["high"].as_f64().unwrap(),
    );
    assert!(1.0 <= low && low < mean && mean < high && high <= 2.0, "{jobs}");
    let housing = priorities["parts"].as_array().unwrap().iter().find(|p| p["code"] == "housing").unwrap();
    assert_eq!(housing, &json!({"code": "housing", "answered": 0}));
    // Conditions on a grid row and on a ranked item were followed.
    assert_eq!(question(&results, "visits")["answered"], 4);
    assert_eq!(question(&results, "job_kind")["answered"], 7);
    // The table of row `family` by item `jobs`: family.strong × jobs.1 = 4, family.weak × jobs.2 = 3.
    let table = &results["crosstabs"][0];
    assert_eq!((table["rows_item"].as_str(), table["columns_item"].as_str()), (Some("family"), Some("jobs")));
    let cell = |row: &str, column: &str| {
        table["cells"].as_array().unwrap().iter().find(|c| c["row"] == row && c["column"] == column).unwrap()
            ["count"]
            .clone()
    };
    assert_eq!((cell("family.strong", "jobs.1"), cell("family.weak", "jobs.2")), (json!(4), json!(3)));
    assert_eq!(cell("family.none", "jobs.1"), json!(0));
    assert_eq!(table["cells"].as_array().unwrap().len(), 3 * 2);
    // The CSV: a row per cell with its label, each part's total, each item's mean place.
    let cookie = server.login_admin();
    let csv =
        server.get_with("/api/v1/surveys/kinds/results?format=csv&lang=ru", &[("cookie", &cookie)]).body;
    assert!(csv.contains(",ties,family.strong,Семья — Сильная,share,4,"), "{csv}");
    assert!(csv.contains(",priorities,jobs.2,Работа — 2,share,3,"), "{csv}");
    assert!(csv.contains(",ties,family,Семья,part_answered,7,"), "{csv}");
    let mean_row =
        csv.lines().find(|l| l.contains(",priorities,jobs,Работа,mean_rank,7,")).expect("the mean place");
    assert!(mean_row.contains(",1.428571,"), "{mean_row}");
    // The DDI codebook: each cell as a category labelled "Row — Option", each part's
    // total and each item's mean place as statistics of its variable.
    let ddi = server.get_with("/api/v1/surveys/kinds/codebook.xml", &[("cookie", &cookie)]).body;
    assert!(ddi.contains("<catValu>family.strong</catValu>\n        <labl>Family — Strong</labl>"), "{ddi}");
    assert!(ddi.contains(r#"<sumStat type="other" otherType="answered.family">7</sumStat>"#), "{ddi}");
    assert!(
        ddi.contains(r#"<sumStat type="other" otherType="mean_rank.jobs">1.4285714285714286</sumStat>"#),
        "{ddi}"
    );
}

#[test]
fn malformed_grids_and_rankings_are_refused_naming_the_question_and_row() {
    let server = TestServer::start();
    publish(&server, "kinds");
    let cases = [
        (
            json!({"ties": {"family": "always"}, "priorities": ["jobs"]}),
            "#/answers/ties/family",
            "not_offered",
        ),
        (json!({"ties": {"pets": "strong"}, "priorities": ["jobs"]}), "#/answers/ties/pets", "unknown_row"),
        (json!({"ties": ["family"], "priorities": ["jobs"]}), "#/answers/ties", "wrong_type"),
        (json!({"ties": {"family": 1}, "priorities": ["jobs"]}), "#/answers/ties", "wrong_type"),
        (json!({"priorities": ["jobs", "jobs"]}), "#/answers/priorities", "ranked_twice"),
        (json!({"priorities": ["jobs", "safety", "schools"]}), "#/answers/priorities", "too_many_choices"),
        (json!({"priorities": ["pets"]}), "#/answers/priorities", "not_offered"),
        (json!({"priorities": []}), "#/answers/priorities", "required"),
        (json!({"priorities": {"jobs": "1"}}), "#/answers/priorities", "wrong_type"),
        (
            json!({"priorities": ["jobs"], "ties": {"family": "weak"}, "visits": "yes"}),
            "#/answers/visits",
            "hidden",
        ),
        (json!({"priorities": ["safety"], "job_kind": "local"}), "#/answers/job_kind", "hidden"),
        (json!({"priorities": ["safety"], "ties": {"family": "strong"}}), "#/answers/visits", "required"),
    ];
    for (answers, pointer, code) in cases {
        let reply = send(&server, "kinds", answers.clone());
        let problem = reply.problem(422, "invalid-answers");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{answers}: {problem}");
        assert_eq!(
            (problem["errors"][0]["pointer"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some(pointer), Some(code)),
            "{answers}"
        );
    }
    let repeated = send(&server, "kinds", json!({"priorities": ["jobs", "jobs"]})).json();
    assert_eq!(
        repeated["errors"][0]["detail"],
        "\"jobs\" is ranked twice; give each place a different item."
    );
    assert_eq!(server.counts("kinds").respondents(), 0);
}

#[test]
fn a_definition_with_a_bad_grid_or_ranking_is_refused_with_pointers() {
    let server = TestServer::start();
    let cookie = server.login_admin();
    let mut bad = kinds_survey("bad-kinds");
    bad["questions"][0]["rows"][1]["code"] = json!("family");
    bad["questions"][1]["max_ranked"] = json!(9);
    bad["questions"][2]["show_if"] = json!({"question": "ties", "any_of": ["strong"]});
    bad["crosstabs"][0]["rows_item"] = json!("pets");
    server.send("POST", "/api/v1/admin/surveys", Some(&bad), &[("cookie", &cookie)]);
    let refused = server
        .send("POST", "/api/v1/admin/surveys/bad-kinds/publish", None, &[("cookie", &cookie)])
        .problem(422, "invalid-definition");
    let pointers: Vec<&str> =
        refused["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    for expected in [
        "#/questions/0/rows/1/code",
        "#/questions/1/max_ranked",
        "#/questions/2/show_if/row",
        "#/crosstabs/0/rows_item",
    ] {
        assert!(pointers.contains(&expected), "{expected} in {refused}");
    }
}

#[test]
fn the_plain_form_asks_a_grid_as_a_table_and_a_ranking_as_a_list_per_place() {
    let server = TestServer::start();
    publish(&server, "kinds");
    let page = server.get("/s/kinds?lang=ru").body;
    // A table: the options as column headers, each row's header, and each radio named
    // by both; "no answer" checked in every row until another is.
    assert!(page.contains(r#"<th scope="col" id="q-ties-o-strong">Сильная</th>"#), "{page}");
    assert!(page.contains(r#"<th scope="row" id="q-ties-r-family">Семья</th>"#), "{page}");
    assert!(page.contains(r#"<input type="radio" name="ties.family" value="strong" aria-labelledby="q-ties-r-family q-ties-o-strong">"#), "{page}");
    assert!(page.contains(r#"<input type="radio" name="ties.work" value="......" checked aria-labelledby="q-ties-r-work q-ties-o-">"#), "{page}");
    // A list per place, each labelled.
    assert!(page.contains(r#"<label for="priorities.1">Место 1</label><select id="priorities.1" name="priorities.1"><option value="......." selected>Выберите…</option><option value="jobs...">Работа</option>"#), "{page}");
    assert!(!page.contains("priorities.3"), "two places");
    // Conditions in words: a grid row's answer, an item ranked.
    assert!(page.contains("Семья — Сильная"), "{page}");
    let mut form = PlainForm::parse(&page);
    form.choose_code("ties.family", "strong");
    form.choose_code("priorities.1", "jobs");
    form.choose_code("priorities.2", "jobs");
    form.choose_code("visits", "yes");
    let reply = form.post(&server, &[]);
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("«Работа» выбрано дважды: для каждого места выберите другой вариант."),
        "{}",
        reply.body
    );
    // Fixed, it is counted: the grid's row and both places.
    let mut fixed = PlainForm::parse(&reply.body);
    fixed.choose_code("priorities.2", "housing");
    assert_eq!(fixed.value("ties.family"), "strong", "the answers were kept");
    assert_eq!(fixed.post(&server, &[]).status, 200);
    let counted = server.counts("kinds");
    assert_eq!(counted.chose("ties", "family.strong"), 1);
    assert_eq!((counted.chose("priorities", "jobs.1"), counted.chose("priorities", "housing.2")), (1, 1));
    assert_eq!(counted.answered("visits"), 1);
}
