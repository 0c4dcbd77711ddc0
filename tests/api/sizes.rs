//! What a network observer learns from sizes. TLS hides the bytes, not their number:
//! these tests are the observer, and find one size for every submission and one for
//! every reply, whatever was answered and in whichever language.

use std::collections::{BTreeMap, BTreeSet};

use nansen_shared::answer::{ReceiptStatus, Submission};
use nansen_shared::{Answer, Answers, QuestionKind, Survey, pad};
use serde_json::json;

use crate::form::{PlainForm, plain_form};
use crate::helpers::{Reply, Rng, TestServer, fresh_key, valid_answers};

const LANGUAGES: [&str; 4] = ["en", "ru", "uk", "be"];

/// A server that commits each submission at once, so that hundreds go quickly.
fn server() -> TestServer {
    TestServer::start_with(
        std::sync::Arc::new(tempfile::tempdir().unwrap()),
        &[("NANSEN_BATCH_WINDOW_MS", "0")],
    )
}

/// A valid answer set to build on: every required question answered.
fn base() -> Answers {
    serde_json::from_value(json!({"citizenship": ["russia"], "country": "GE", "left_when": "feb_sep_2022",
        "reasons": ["war_opposition"], "return_intention": "no"}))
    .unwrap()
}

/// [`base`] with `answer` to `question`, and the earlier answer its condition asks for.
fn with(survey: &Survey, question: &nansen_shared::Question, answer: Answer) -> Answers {
    let mut set = base();
    if let Some(condition) = &question.show_if {
        let parent = &survey.question(condition.question.as_str()).unwrap().1;
        let code = condition.any_of[0].clone();
        let parents = if matches!(parent.kind, QuestionKind::Multi { .. }) {
            Answer::Codes(vec![code])
        } else {
            Answer::Code(code)
        };
        set.insert(parent.id.to_string(), parents);
    }
    set.insert(question.id.to_string(), answer);
    // A question this answer makes apply, and requires, answered too.
    for (shown, later) in nansen_shared::validate::visible(survey, &set).into_iter().zip(&survey.questions) {
        if shown && later.required && !set.contains_key(later.id.as_str()) {
            set.insert(later.id.to_string(), every_answer(later).remove(0));
        }
    }
    set
}

/// Every answer `question` takes: each option, point, number and country, and every
/// set of choices a multiple choice allows.
fn every_answer(question: &nansen_shared::Question) -> Vec<Answer> {
    match &question.kind {
        QuestionKind::Multi { options, max_choices } => {
            let max = max_choices.map_or(options.len(), |m| m as usize);
            let exclusive =
                options.iter().enumerate().filter(|(_, o)| o.exclusive).fold(0u32, |m, (i, _)| m | 1 << i);
            (1u32..1 << options.len())
                .filter(|set| set.count_ones() as usize <= max)
                .filter(|set| set.count_ones() == 1 || set & exclusive == 0)
                .map(|set| {
                    let chosen = options.iter().enumerate().filter(|(i, _)| set & (1 << i) != 0);
                    Answer::Codes(chosen.map(|(_, o)| o.code.to_string()).collect())
                })
                .collect()
        }
        QuestionKind::Scale { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
        // The number itself is sent: every one of the range.
        QuestionKind::Number { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
        // Each row with each option alone, and every row with each option at once.
        QuestionKind::Grid { rows, options } => options
            .iter()
            .flat_map(|o| {
                let one = |r: &nansen_shared::Item| (r.code.to_string(), o.code.to_string());
                let all = Answer::Rows(rows.iter().map(one).collect());
                rows.iter().map(move |r| Answer::Rows([one(r)].into())).chain([all])
            })
            .collect(),
        // Each item first, and the longest run of items from each.
        QuestionKind::Ranking { items, .. } => (0..items.len())
            .flat_map(|start| {
                let run =
                    |n: usize| (0..n).map(|i| items[(start + i) % items.len()].code.to_string()).collect();
                [Answer::Codes(run(1)), Answer::Codes(run(question.places()))]
            })
            .collect(),
        _ => (0..question.cell_count())
            .filter(|&cell| question.offers_cell(cell))
            .map(|cell| Answer::Code(question.cell_code(cell).unwrap().into_owned()))
            .collect(),
    }
}

/// Sends answers as the browser client does: padded by the shared crate's function.
fn send_padded(server: &TestServer, survey: &Survey, answers: &Answers) -> (usize, Reply) {
    let submission = Submission {
        version: survey.version.unwrap(),
        answers: answers.clone(),
        key: Some(fresh_key()),
        token: None,
        pad: String::new(),
    };
    let body = pad::padded(&submission, survey);
    let headers = [("accept-encoding", "gzip")];
    (body.len(), server.post_raw("/api/v1/surveys/diaspora/responses", "application/json", &body, &headers))
}

/// The length of a reply as it goes over the wire: status code, headers, body. (Not the
/// reason phrase, which HTTP/2 does not send; the `Date` header is always as long.)
fn wire_length(reply: &Reply) -> usize {
    let headers: usize =
        reply.headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    format!("HTTP/1.1 {}", reply.status).len() + headers + reply.body.len()
}

#[test]
fn every_answer_to_every_question_is_sent_and_answered_in_one_size() {
    let server = server();
    let survey = server.survey("diaspora");
    let size = pad::submission_size(&survey);
    assert_eq!(size, 1024);
    let (mut sent, mut replies) = (BTreeSet::new(), BTreeSet::new());
    let mut counted = 0;
    for question in &survey.questions {
        let answers: Vec<Answer> = every_answer(question);
        assert!(answers.len() >= 3, "{}", question.id);
        let sets: Vec<Answers> = answers.into_iter().map(|answer| with(&survey, question, answer)).collect();
        // Four at a time, as four people.
        let results: Vec<(usize, usize, u16)> = std::thread::scope(|scope| {
            let threads: Vec<_> = sets
                .chunks(sets.len().div_ceil(4))
                .map(|chunk| {
                    let (server, survey) = (&server, &survey);
                    scope.spawn(move || {
                        let send = |set| {
                            let (length, reply) = send_padded(server, survey, set);
                            (length, wire_length(&reply), reply.status)
                        };
                        chunk.iter().map(send).collect::<Vec<_>>()
                    })
                })
                .collect();
            threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
        });
        {
            for (length, reply, status) in results {
                assert_eq!(status, 200, "{}", question.id);
                sent.insert(length);
                replies.insert(reply);
                counted += 1;
            }
        }
    }
    assert_eq!(sent.into_iter().collect::<Vec<_>>(), [size], "one submission size");
    assert_eq!(replies.len(), 1, "one reply size: {replies:?}");
    assert!(counted > 500, "{counted}");
    assert_eq!(server.counts("diaspora").respondents(), counted);
}

#[test]
fn every_reply_to_a_submission_or_an_exchange_has_one_size() {
    let server = server();
    let survey = server.survey("diaspora");
    let answers = base();
    let key = fresh_key();
    let submit = |body: &str, content_type: &str| {
        server.post_raw(
            "/api/v1/surveys/diaspora/responses",
            content_type,
            body,
            &[("accept-encoding", "gzip")],
        )
    };
    let submission = |answers: &Answers, key: &str, version: u32| {
        let submission = Submission {
            version,
            answers: answers.clone(),
            key: Some(key.to_owned()),
            token: None,
            pad: String::new(),
        };
        pad::padded(&submission, &survey)
    };
    let mut invalid = answers.clone();
    invalid.insert("age".into(), Answer::Number(7));
    invalid.insert("reasons".into(), Answer::Codes(vec!["x".into(); 9]));
    invalid.remove("country");
    let counted = submit(&submission(&answers, &key, 1), "application/json");
    assert_eq!(counted.json(), json!({"status": ReceiptStatus::Counted}));
    let replies = [
        counted,
        submit(&submission(&answers, &key, 1), "application/json"),
        submit(&submission(&invalid, &fresh_key(), 1), "application/json"),
        submit(&submission(&answers, &fresh_key(), 2), "application/json"),
        submit(&submission(&answers, "short", 1), "application/json"),
        submit(&submission(&answers, &fresh_key(), 1).replace("   ", " x "), "application/json"),
        submit("{not json", "application/json"),
        submit(&submission(&answers, &fresh_key(), 1), "text/plain"),
        submit(&format!("{{\"pad\": \"{}\"}}", " ".repeat(70_000)), "application/json"),
        server.post_json(
            "/api/v1/surveys/diaspora/invites/redeem",
            &json!({"code": "ABCDE-FGHJK", "blinded": "AA"}),
        ),
        server.post_raw("/api/v1/surveys/diaspora/invites/redeem", "application/json", "[", &[]),
    ];
    let kinds: Vec<String> =
        replies[1..].iter().map(|r| r.json()["type"].as_str().unwrap().to_owned()).collect();
    assert_eq!(
        kinds,
        [
            "already-counted",
            "invalid-answers",
            "version-mismatch",
            "invalid-key",
            "invalid-body",
            "malformed-json",
            "unsupported-media-type",
            "payload-too-large",
            "conflict",
            "malformed-json"
        ]
        .map(|name| format!("/problems/{name}"))
    );
    assert!(replies[5].json()["detail"].as_str().unwrap().contains("`pad` may hold only spaces"));
    for reply in &replies {
        assert_eq!(reply.body.len(), pad::REPLY_SIZE, "{}", reply.body);
        assert_eq!(reply.header("content-length"), Some("2048"));
        assert_eq!(reply.header("content-encoding"), None, "never compressed");
        assert_eq!(reply.header("cache-control"), Some("no-store, no-transform"));
        // Still one JSON document, or a problem one.
        let _ = reply.json();
    }
    assert_eq!(server.counts("diaspora").respondents(), 1);
}

/// The plain form, answered with `answers` as a person clicks, sent; the body's length
/// and the reply.
fn send_form(server: &TestServer, form: &PlainForm, survey: &Survey, answers: &Answers) -> (usize, Reply) {
    let mut form = form.clone();
    form.answer(survey, answers);
    let body = form.body(&[]);
    (body.len(), form.post(server, &[]))
}

#[test]
fn random_answer_sets_in_every_language_give_one_size_each_way() {
    let server = server();
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(9);
    // Sizes seen, by what they are of.
    let mut sizes: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut counted = 0;
    for lang in LANGUAGES {
        for _ in 0..12 {
            // A page for each person: each has a key of its own.
            let form = plain_form(&server, lang);
            let answers = valid_answers(&survey, &mut rng);
            let (length, reply) = send_form(&server, &form, &survey, &answers);
            assert_eq!(reply.status, 200, "{}", reply.body);
            sizes.entry("form sent").or_default().insert(length);
            sizes.entry("form counted").or_default().insert(wire_length(&reply));
            let (length, reply) = send_padded(&server, &survey, &answers);
            assert_eq!(reply.status, 200, "{}", reply.body);
            sizes.entry("JSON sent").or_default().insert(length);
            sizes.entry("JSON counted").or_default().insert(wire_length(&reply));
            counted += 2;
            // The same answers with a mistake or several: the form comes back with a
            // summary of them at the top, as large as when a language button shows it.
            let mut wrong = answers.clone();
            wrong.remove(["citizenship", "country", "left_when"][rng.below(3)]);
            if rng.below(2) == 0 {
                wrong.insert(
                    "reasons".into(),
                    Answer::Codes(["safety", "economy", "family", "other"].map(String::from).to_vec()),
                );
            }
            if rng.below(3) == 0 {
                // Every required question left out, and a multiple choice combined with
                // its option that goes alone.
                for question in survey.questions.iter().filter(|q| q.required) {
                    wrong.remove(question.id.as_str());
                }
                wrong.insert("activity".into(), Answer::Codes(vec!["none".into(), "protests".into()]));
            }
            let (length, reply) = send_form(&server, &form, &survey, &wrong);
            assert_eq!(reply.status, 422);
            assert!(reply.body.contains(r#"class="error-summary""#), "{}", reply.body);
            sizes.entry("form sent").or_default().insert(length);
            sizes.entry(lang).or_default().insert(wire_length(&reply));
        }
        let switched = plain_form(&server, lang).post(&server, &[("lang", lang)]);
        assert_eq!(switched.status, 200);
        sizes.entry(lang).or_default().insert(wire_length(&switched));
    }
    for (what, seen) in &sizes {
        assert_eq!(seen.len(), 1, "{what}: {seen:?}");
    }
    assert_eq!(sizes["JSON sent"].first(), Some(&1024));
    assert_eq!(server.counts("diaspora").respondents(), counted);
}

#[test]
fn the_confirmation_has_one_size_in_every_language_whatever_protects_the_results() {
    let server = server();
    let mut sizes = BTreeSet::new();
    for exact in [false, true] {
        if exact {
            server.publish_exact("diaspora", 50);
        }
        let version = server.survey("diaspora").version.unwrap();
        for lang in LANGUAGES {
            let done = server.get(&format!("/s/diaspora/done?lang={lang}"));
            assert_eq!(done.status, 200);
            assert_eq!(done.header("content-encoding"), None);
            let said = if exact { "small" } else { "noise" };
            assert!(done.body.contains(r#"<p class="counted-next">"#), "{}", done.body);
            if lang == "en" {
                assert!(done.body.contains(said), "{}", done.body);
            }
            sizes.insert(wire_length(&done));
            // The plain form's own confirmation, too.
            let mut answers = base();
            answers.insert("age".into(), Answer::Number(100));
            let mut form = plain_form(&server, lang);
            assert!(form.body(&[]).contains(&format!("version={version}&")));
            form.answer(&server.survey("diaspora"), &answers);
            let counted = form.post(&server, &[]);
            assert_eq!(counted.status, 200, "{}", counted.body);
            sizes.insert(wire_length(&counted));
        }
    }
    assert_eq!(sizes.len(), 1, "{sizes:?}");
}

#[test]
fn what_was_counted_is_cleared_from_the_device_and_nothing_of_the_survey_is_kept() {
    let server = TestServer::start();
    let gzip = [("accept-encoding", "gzip")];
    for path in [
        "/s/diaspora",
        "/s/diaspora?lang=be",
        "/api/v1/surveys/diaspora",
        "/api/v1/surveys/diaspora?lang=ru",
        "/api/v1/surveys/diaspora/messages?lang=uk",
    ] {
        let reply = server.get_with(path, &gzip);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(reply.header("clear-site-data"), None, "{path}: nothing yet to clear");
    }
    let survey = server.survey("diaspora");
    let (_, counted) = send_padded(&server, &survey, &base());
    assert_eq!(counted.status, 200);
    assert_eq!(counted.header("clear-site-data"), Some(r#""cache", "storage""#));
    let (_, counted) = send_form(&server, &plain_form(&server, "ru"), &survey, &base());
    assert_eq!(counted.status, 200);
    assert_eq!(counted.header("clear-site-data"), Some(r#""cache", "storage""#));
    assert_eq!(counted.header("cache-control"), Some("no-store, no-transform"));
    // Not on a refusal: nothing was counted, the answers are still to be sent.
    let (_, refused) = send_padded(&server, &survey, &Answers::new());
    assert_eq!((refused.status, refused.header("clear-site-data")), (422, None));
}
