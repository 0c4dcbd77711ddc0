//! The questionnaire without JavaScript: a complete HTML form, one POST, the same
//! validation, errors shown in the form with the person's answers kept. The body a
//! browser builds from it has one length whatever the answers: every field is always
//! there, each value of a fixed width.

use nansen_shared::answer::form_fields;
use nansen_shared::{Answer, Answers, QuestionKind, Survey};
use serde_json::json;

use crate::helpers::{Reply, TestServer, fresh_key};

/// The plain form as a browser holds it: each control in document order with its
/// current value (what is checked or selected, as the page came) and, for a group of
/// radio buttons or a list, the values it may take. Built from the page's HTML alone,
/// so that the tests send what a browser would.
#[derive(Debug, Clone)]
pub struct PlainForm {
    pub action: String,
    controls: Vec<Control>,
}

#[derive(Debug, Clone)]
struct Control {
    name: String,
    value: String,
    /// Empty for a hidden or text field.
    choices: Vec<String>,
}

impl PlainForm {
    /// The questionnaire form of `page`.
    pub fn parse(page: &str) -> Self {
        let start = page.find(r#"<form class="questionnaire""#).unwrap_or_else(|| panic!("no form: {page}"));
        let form = &page[start..start + page[start..].find("</form>").unwrap()];
        let mut action = String::new();
        let mut controls: Vec<Control> = Vec::new();
        let mut list: Option<usize> = None;
        for tag in form.split('<').skip(1).map(|t| t.split('>').next().unwrap()) {
            let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            let attrs = attributes(attrs);
            let attr = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let has = |key: &str| attrs.iter().any(|(k, _)| k == key);
            match name {
                "form" => action = attr("action").unwrap(),
                "input" => {
                    let (Some(field), kind) = (attr("name"), attr("type").unwrap_or_default()) else {
                        continue;
                    };
                    let value = attr("value").unwrap_or_default();
                    match kind.as_str() {
                        "radio" => match controls.iter_mut().find(|c| c.name == field) {
                            Some(group) => {
                                group.choices.push(value.clone());
                                if has("checked") {
                                    group.value = value;
                                }
                            }
                            None => controls.push(Control {
                                name: field,
                                value: if has("checked") { value.clone() } else { String::new() },
                                choices: vec![value],
                            }),
                        },
                        "checkbox" => panic!("a checkbox is sent only when ticked: {tag}"),
                        _ => controls.push(Control { name: field, value, choices: Vec::new() }),
                    }
                }
                "select" => {
                    controls.push(Control {
                        name: attr("name").unwrap(),
                        value: String::new(),
                        choices: Vec::new(),
                    });
                    list = Some(controls.len() - 1);
                }
                "option" => {
                    let control = &mut controls[list.expect("an option outside a list")];
                    let value = attr("value").unwrap();
                    if has("selected") || control.choices.is_empty() {
                        control.value = value.clone();
                    }
                    control.choices.push(value);
                }
                "/select" => list = None,
                _ => {}
            }
        }
        for control in &controls {
            assert!(
                control.choices.is_empty() || control.choices.contains(&control.value),
                "nothing is chosen in {}: a browser would leave it out",
                control.name
            );
        }
        Self { action, controls }
    }

    /// Chooses `value` for `name`, as a click on that radio button or list entry.
    #[track_caller]
    pub fn choose(&mut self, name: &str, value: &str) {
        let control =
            self.controls.iter_mut().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name}"));
        assert!(
            control.choices.iter().any(|c| c == value),
            "{name} offers no {value}: {:?}",
            control.choices
        );
        control.value = value.to_owned();
    }

    /// Chooses the entry of `name` whose value is `code` (filled with full stops).
    #[track_caller]
    pub fn choose_code(&mut self, name: &str, code: &str) {
        let control = self.controls.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name}"));
        let value = control.choices.iter().find(|c| c.trim_end_matches('.') == code);
        let value = value.unwrap_or_else(|| panic!("{name} offers no {code}: {:?}", control.choices)).clone();
        self.choose(name, &value);
    }

    /// Answers as a person would by clicking: each answer's radio button or list entry,
    /// "yes" for each choice of a multiple choice, a number from the list of numbers
    /// (or, for a wide range, its range).
    pub fn answer(&mut self, survey: &Survey, answers: &Answers) {
        for (id, answer) in answers {
            let question = &survey.question(id).unwrap().1;
            match (&question.kind, answer) {
                (QuestionKind::Multi { .. }, Answer::Codes(codes)) => {
                    for code in codes {
                        self.choose(&format!("{id}.{code}"), "1");
                    }
                }
                (QuestionKind::Number { .. }, Answer::Number(_)) => {
                    let (_, value) = form_fields(question, Some(answer)).remove(0);
                    self.choose(id, &value);
                }
                // A grid row's radio button per row answered.
                (QuestionKind::Grid { .. }, Answer::Rows(rows)) => {
                    for (row, option) in rows {
                        self.choose_code(&format!("{id}.{row}"), option);
                    }
                }
                // An item from the list of each place, in order.
                (QuestionKind::Ranking { .. }, Answer::Codes(items)) => {
                    for (place, item) in items.iter().enumerate() {
                        self.choose_code(&format!("{id}.{}", place + 1), item);
                    }
                }
                (_, Answer::Number(n)) => self.choose_code(id, &n.to_string()),
                (_, Answer::Code(code)) => self.choose_code(id, code),
                (_, other) => panic!("{id}: a person cannot give {other:?}"),
            }
        }
    }

    /// The `application/x-www-form-urlencoded` body a browser sends: `first` (a language
    /// button, which comes first in the form), then every control in document order.
    pub fn body(&self, first: &[(&str, &str)]) -> String {
        let controls = self.controls.iter().map(|c| (c.name.as_str(), c.value.as_str()));
        first
            .iter()
            .copied()
            .chain(controls)
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn value(&self, name: &str) -> &str {
        &self.controls.iter().find(|c| c.name == name).unwrap().value
    }

    /// Sends the form (with `first` before its fields) as a browser would.
    pub fn post(&self, server: &TestServer, first: &[(&str, &str)]) -> Reply {
        let headers = [("accept-encoding", "gzip")];
        server.post_raw(
            &self.action.replace("&amp;", "&"),
            "application/x-www-form-urlencoded",
            &self.body(first),
            &headers,
        )
    }
}

/// `name="value"` pairs and bare attributes of a tag, values unescaped.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text.trim().trim_end_matches('/');
    while !rest.trim().is_empty() {
        rest = rest.trim_start();
        let end = rest.find(['=', ' ']).unwrap_or(rest.len());
        let key = rest[..end].to_owned();
        rest = &rest[end..];
        if let Some(quoted) = rest.strip_prefix("=\"") {
            let close = quoted.find('"').unwrap();
            let value = quoted[..close]
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            found.push((key, value));
            rest = &quoted[close + 1..];
        } else {
            found.push((key, String::new()));
        }
    }
    found
}

/// Form encoding, as a browser does it.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The form of the default survey in `lang`, as the page came.
pub fn plain_form(server: &TestServer, lang: &str) -> PlainForm {
    PlainForm::parse(&server.get(&format!("/s/diaspora?lang={lang}")).body)
}

/// A complete answer set.
fn complete() -> Answers {
    serde_json::from_value(json!({
        "citizenship": ["russia", "belarus"], "country": "GE", "left_when": "from_2023",
        "reasons": ["war_opposition", "safety"], "return_intention": "if_war_ends",
        "return_conditions": {"war_end": "likely", "economy": "unlikely"}, "age": 34
    }))
    .unwrap()
}

/// The plain form in `lang`, answered with `answers`.
fn answered(server: &TestServer, lang: &str, answers: &Answers) -> PlainForm {
    let mut form = plain_form(server, lang);
    form.answer(&server.survey("diaspora"), answers);
    form
}

#[test]
fn the_page_is_a_complete_form_without_javascript() {
    let server = TestServer::start();
    let page = server.get("/s/diaspora?lang=ru").body;
    assert!(page.contains(r#"method="post" action="/s/diaspora?lang=ru""#), "{page}");
    assert!(page.contains(r#"autocomplete="off""#), "the browser is not to keep the answers");
    assert!(page.contains(r#"<input type="hidden" name="version" value="1">"#));
    let key = page.split(r#"name="key" value=""#).nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(key.len(), 43, "a fresh 256-bit key per page: {key}");
    assert_ne!(server.get("/s/diaspora").body.split(r#"name="key" value=""#).nth(1).unwrap()[..43], *key);
    let survey = server.survey("diaspora");
    let form = PlainForm::parse(&page);
    for question in &survey.questions {
        let id = question.id.as_str();
        // Each question in its fieldset, its legend naming the group and its lists.
        let fieldset = page.split(&format!(r#"<fieldset id="q-{id}" class="question""#)).nth(1).unwrap();
        assert!(fieldset.split_once('>').unwrap().1.starts_with(&format!(r#"<legend id="q-{id}-legend">"#)));
        match &question.kind {
            QuestionKind::Multi { options, .. } => {
                for option in options {
                    assert_eq!(form.value(&format!("{id}.{}", option.code)), "0", "{id}: “no” is checked");
                }
            }
            QuestionKind::Grid { rows, .. } => {
                for row in rows {
                    let value = form.value(&format!("{id}.{}", row.code));
                    assert!(value.chars().all(|c| c == '.'), "{id}.{}: “no answer” is checked", row.code);
                }
            }
            // "No answer" is chosen until something else is: all fill, as wide as the codes.
            _ => assert!(form.value(id).chars().all(|c| c == '.'), "{id}: {}", form.value(id)),
        }
    }
    // Without JavaScript the conditional question is always there, its condition in words.
    assert!(page.contains("Отвечайте, только если на вопрос 9 вы ответили: Если закончится война / После политических перемен в стране."), "{page}");
    let countries = page
        .split(r#"<select class="country" name="country" aria-labelledby="q-country-legend">"#)
        .nth(1)
        .unwrap();
    let countries = countries.split("</select>").next().unwrap();
    assert_eq!(countries.matches("<option value=\"").count(), 249 + 1, "every country, named");
    assert!(countries.contains(r#"<option value="GE">Грузия</option>"#));
    assert!(countries.starts_with(r#"<option value=".." selected>Выберите страну…</option>"#));
    // Every option of a multiple choice is a yes/no pair in a group named by the option.
    assert!(page.contains(r#"<fieldset class="yes-no"><legend>Беларусь</legend><span class="pair"><label class="choice"><input type="radio" name="citizenship.belarus" value="1"><span>Да</span></label><label class="choice"><input type="radio" name="citizenship.belarus" value="0" checked><span>Нет</span></label>"#), "{page}");
    // Age as a number from a list of every allowed one, each of one width, its range
    // and unit said beside it (the server counts its range).
    assert!(page.contains(r#"<p class="help" id="q-age-range">От 16 до 100 лет.</p><div class="number-field"><select class="number" name="age" aria-labelledby="q-age-legend" aria-describedby="q-age-range"><option value="..." selected>Выберите число…</option><option value="016">16</option><option value="017">17</option>"#), "{page}");
    assert!(page.contains(r#"<option value="100">100</option></select><span class="unit" aria-hidden="true">лет</span></div>"#), "{page}");
    let ages = page.split(r#"name="age""#).nth(1).unwrap().split("</select>").next().unwrap();
    assert_eq!(ages.matches("<option value=\"").count(), 85 + 1, "16 to 100, and no answer");
    // A multiple choice's rules in words beside it, each said once: how many, and
    // which option goes alone.
    let form_html = page.split("</form>").next().unwrap();
    assert_eq!(form_html.matches("Можно выбрать не больше 3 вариантов.").count(), 1, "reasons");
    assert!(page.contains(r#"<p class="help" id="q-reasons-help">Выберите главные причины.</p><p class="help" id="q-reasons-limit">Можно выбрать не больше 3 вариантов.</p>"#), "{page}");
    assert!(page.contains(r#"<fieldset id="q-activity" class="question" aria-describedby="q-activity-help q-activity-alone">"#), "{page}");
    assert!(page.contains(r#"<p class="help" id="q-activity-alone">«Нет, ничего из этого» выбирается отдельно: отметьте этот вариант, только если ничего другого не подходит.</p>"#), "{page}");
    // Nothing needs attention yet: no summary, nothing marked invalid.
    assert!(!page.contains("nansen-errors") && !page.contains("aria-invalid") && !page.contains("autofocus"));
    assert!(page.contains(r#"<label class="choice no-answer"><input type="radio" name="welcome" value="." checked><span>Без ответа</span></label>"#), "{page}");
    // No field is a free-text one but the invite code (not on an open survey).
    assert!(!page.contains(r#"type="text""#) && !page.contains(r#"type="number""#));
}

#[test]
fn a_language_button_shows_the_form_again_in_that_language_with_the_answers() {
    let server = TestServer::start();
    let form = answered(&server, "ru", &complete());
    let reply = form.post(&server, &[("lang", "be")]);
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#"<html lang="be""#), "{}", reply.body);
    let again = PlainForm::parse(&reply.body);
    assert_eq!(
        again.body(&[]).split('&').filter(|f| !f.starts_with("key=")).collect::<Vec<_>>(),
        form.body(&[]).split('&').filter(|f| !f.starts_with("key=")).collect::<Vec<_>>(),
        "answers are kept"
    );
    assert!(reply.body.contains(r#"name="citizenship.belarus" value="1" checked"#));
    assert!(reply.body.contains(r#"<option value="GE" selected>Грузія</option>"#));
    assert!(reply.body.contains(r#"<option value="034" selected>34</option>"#));
    assert!(!reply.body.contains("class=\"error\""), "nothing was judged");
    assert!(!reply.body.contains("nansen-errors"), "nothing was judged");
    assert_eq!(server.counts("diaspora").respondents(), 0, "nothing was counted");
}

#[test]
fn one_post_of_a_complete_answer_set_is_counted_once() {
    let server = TestServer::start();
    for _ in 0..5 {
        let reply = answered(&server, "ru", &complete()).post(&server, &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.body.contains("Ваши ответы учтены"), "{}", reply.body);
        assert_eq!(reply.header("cache-control"), Some("no-store, no-transform"));
        assert_eq!(reply.header("clear-site-data"), Some(r#""cache", "storage""#));
        assert_eq!(reply.header("content-encoding"), None, "padded, never compressed");
        assert_eq!(reply.header("set-cookie"), None);
    }
    // Sending the same form again (a reload, a double click) counts nothing more.
    let form = answered(&server, "en", &complete());
    for _ in 0..2 {
        assert_eq!(form.post(&server, &[]).status, 200);
    }
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 6);
    assert_eq!(counted.chose("reasons", "safety"), 6);
    assert_eq!(counted.chose("citizenship", "belarus"), 6);
    assert_eq!(counted.chose("age", "25_34"), 6, "the number chosen, counted in its range");
    assert_eq!(counted.answered("welcome"), 0, "“no answer” is no answer");
    assert_eq!(counted.answered("occupation"), 0);
}

#[test]
fn mistakes_come_back_in_the_form_with_the_answers_kept() {
    let server = TestServer::start();
    let mut answers = complete();
    answers.remove("left_when");
    answers.insert(
        "reasons".into(),
        Answer::Codes(["war_opposition", "safety", "economy", "family"].map(String::from).to_vec()),
    );
    let reply = answered(&server, "uk", &answers).post(&server, &[]);
    assert_eq!(reply.status, 422);
    assert!(reply.header("content-type").unwrap().starts_with("text/html"));
    let page = &reply.body;
    assert!(page.contains(r#"<fieldset id="q-left_when" class="question invalid">"#), "{page}");
    // At the top, where the reloaded page opens, focused as it loads: how many, then
    // each problem as a link to its question, in the form's order.
    let summary = page.split(r#"</h1>"#).nth(1).unwrap();
    assert!(summary.starts_with(concat!(
        r#"<div id="nansen-errors" class="error-summary" role="region" tabindex="-1" autofocus aria-labelledby="nansen-errors-heading">"#,
        r#"<h2 id="nansen-errors-heading">2 відповіді потребують уваги</h2><ul>"#,
        r##"<li><a href="#q-left_when">Запитання 3: Коли ви виїхали з Росії чи Білорусі?</a> "##,
        r#"<span class="error-detail">Будь ласка, дайте відповідь на це запитання.</span></li>"#,
        r##"<li><a href="#q-reasons">Запитання 4: Чому ви виїхали?</a> "##,
        r#"<span class="error-detail">Оберіть не більше 3 варіантів.</span></li></ul></div>"#,
    )), "{summary}");
    // Each field of a flagged question is marked invalid and described by its message.
    assert!(
        page.contains(
            r#"<p class="error" id="q-left_when-error">Будь ласка, дайте відповідь на це запитання.</p>"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"name="left_when" value="before_2022......." aria-invalid="true" aria-describedby="q-left_when-error">"#), "{page}");
    assert!(page.contains(r#"name="reasons.family" value="1" checked aria-invalid="true" aria-describedby="q-reasons-error">"#), "{page}");
    assert!(!page.contains(r#"name="country" aria-labelledby="q-country-legend" aria-invalid"#), "{page}");
    // Beside the button, the count again and a link up to the list: nothing "below".
    assert!(page.contains(r##"<p class="notice error">2 відповіді потребують уваги. <a href="#nansen-errors">Список — на початку форми.</a></p>"##), "{page}");
    // (The messages the client script may show, such as "kept below" after a 503, are
    // data in <script> elements, not text of this page.)
    let shown: String = page
        .split("<script")
        .map(|part| part.split_once("</script>").map_or(part, |(_, after)| after))
        .collect();
    assert!(!shown.contains("нижче"), "{shown}");
    assert_eq!(page.matches("autofocus").count(), 1);
    assert!(page.contains(r#"name="citizenship.belarus" value="1" checked"#), "answers are kept");
    assert!(page.contains(r#"name="reasons.family" value="1" checked"#), "answers are kept");
    assert!(page.contains(r#"<option value="034" selected>34</option>"#), "{page}");
    assert_eq!(server.counts("diaspora").respondents(), 0);
}

#[test]
fn a_number_is_chosen_from_every_allowed_value_and_counted_in_its_range() {
    let server = TestServer::start();
    for (age, value) in [(16, "016"), (24, "024"), (65, "065"), (100, "100")] {
        let mut answers = complete();
        answers.insert("age".into(), Answer::Number(age));
        let form = answered(&server, "en", &answers);
        assert_eq!(form.value("age"), value);
        assert_eq!(form.post(&server, &[]).status, 200);
    }
    // No answer, and a number the list does not offer (sent by hand).
    let form = answered(&server, "en", &complete());
    let body = form.body(&[]).replace("age=034", "age=...");
    let reply = server.post_raw(&form.action, "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 200);
    let body = answered(&server, "en", &complete()).body(&[]).replace("age=034", "age=101");
    let reply = server.post_raw(&form.action, "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Enter a whole number from 16 to 100."), "{}", reply.body);
    assert!(reply.body.contains(r#"aria-describedby="q-age-range q-age-error""#), "{}", reply.body);
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 5);
    assert_eq!(counted.answered("age"), 4);
    let bins: Vec<u64> = ["16_24", "25_34", "35_44", "45_54", "55_64", "65_100"]
        .iter()
        .map(|b| counted.chose("age", b))
        .collect();
    assert_eq!(bins, [2, 0, 0, 0, 0, 2]);
}

#[test]
fn a_refusal_of_the_whole_form_is_said_at_the_top() {
    let server = TestServer::start();
    let form = answered(&server, "ru", &complete());
    let body = form.body(&[]).replace("version=1&", "version=7&");
    let reply = server.post_raw(&form.action, "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 422);
    let top = reply.body.split("</h1>").nth(1).unwrap();
    assert!(
        top.starts_with(r#"<p id="nansen-errors" class="notice error" tabindex="-1" autofocus>Пока вы отвечали, анкету обновили."#),
        "{top}"
    );
    let form_html = reply.body.split("</form>").next().unwrap();
    assert_eq!(form_html.matches("Пока вы отвечали").count(), 1, "said once");
}

#[test]
fn the_confirmation_says_what_happens_to_the_answers() {
    let server = TestServer::start();
    let reply = answered(&server, "ru", &complete()).post(&server, &[]);
    assert_eq!(reply.status, 200);
    let page = &reply.body;
    assert!(page.contains("<title>Ответы учтены — Жизнь после отъезда</title>"), "{page}");
    assert!(page.contains(concat!(
        r#"<h1>Жизнь после отъезда</h1><p class="notice success" role="status">Ваши ответы учтены. Спасибо!</p>"#,
        r#"<p class="counted-next">Они добавлены к общим итогам; ничего, что могло бы указать на вас, не сохранено. "#,
        "Итоги выходят только время от времени, когда ответит достаточно новых людей, и со случайным шумом, ",
        "который защищает каждого. Эту страницу можно закрыть.</p>"
    )), "{page}");
    // Where results carry no noise, it says what protects each person instead.
    server.publish_exact("diaspora", 50);
    let done = server.get("/s/diaspora/done?lang=en");
    assert_eq!(done.status, 200);
    assert!(done.body.contains("counts small enough to point to a person are withheld"), "{}", done.body);
    assert!(!done.body.contains("noise"), "{}", done.body);
}

#[test]
fn answers_to_questions_that_do_not_apply_are_dropped_not_refused() {
    let server = TestServer::start();
    for _ in 0..5 {
        // return_conditions does not apply after "no"...
        let mut form = answered(&server, "en", &complete());
        form.choose_code("return_intention", "no");
        // ...and its answer, which the form cannot hide, is ignored.
        assert_eq!(form.value("return_conditions.war_end"), "likely...");
        let reply = form.post(&server, &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let counted = server.counts("diaspora");
    assert_eq!(counted.respondents(), 5);
    assert_eq!(counted.answered("return_conditions"), 0);
}

#[test]
fn a_stale_or_missing_version_asks_to_check_and_send_again() {
    let server = TestServer::start();
    let form = answered(&server, "en", &complete());
    let body = form.body(&[]).replace("version=1&", "version=7&");
    let reply = server.post_raw(&form.action, "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("This survey was updated while you were answering."));
    assert_eq!(server.counts("diaspora").respondents(), 0);
}

#[test]
fn a_form_sent_the_old_way_is_still_read() {
    // A page loaded before the fixed-width fields, sent after: codes, a multiple
    // choice's codes repeated, a number as typed.
    let server = TestServer::start();
    let fields = [
        ("version", "1".to_owned()),
        ("key", fresh_key()),
        ("citizenship", "russia".into()),
        ("citizenship", "belarus".into()),
        ("country", "GE".into()),
        ("left_when", "from_2023".into()),
        ("reasons", "safety".into()),
        ("welcome", "".into()),
        ("return_intention", "no".into()),
        ("age", "34".into()),
    ];
    let body = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
    let reply = server.post_raw("/s/diaspora?lang=en", "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let counted = server.counts("diaspora");
    assert_eq!((counted.chose("citizenship", "belarus"), counted.chose("age", "25_34")), (1, 1));
}
