//! Examples of each rule, then properties over generated surveys: every valid answer set
//! is accepted and tallied exactly, every mutated one is refused with the right error.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::ids::{CountryCode, LanguageTag, OptionCode, QuestionId, Slug};
use crate::survey::{Bin, Choice, Item, Settings, ShowIf};
use crate::text::Localized;

fn survey() -> Survey {
    serde_json::from_value(json!({
        "slug": "t", "languages": ["en"], "title": {"en": "T"},
        "questions": [
            {"id": "ret", "kind": "single", "required": true, "prompt": {"en": "Return?"},
             "options": [{"code": "soon", "label": {"en": "Soon"}},
                         {"code": "conditional", "label": {"en": "If"}},
                         {"code": "no", "label": {"en": "No"}}]},
            {"id": "conds", "kind": "multi", "required": true, "max_choices": 2, "prompt": {"en": "Which?"},
             "show_if": {"question": "ret", "any_of": ["conditional"]},
             "options": [{"code": "peace", "label": {"en": "Peace"}},
                         {"code": "amnesty", "label": {"en": "Amnesty"}},
                         {"code": "jobs", "label": {"en": "Jobs"}},
                         {"code": "none", "label": {"en": "None"}, "exclusive": true}]},
            {"id": "welcome", "kind": "scale", "min": 1, "max": 5, "prompt": {"en": "Welcome?"}},
            {"id": "age", "kind": "number", "min": 16, "max": 100, "prompt": {"en": "Age"},
             "bins": [{"code": "16_29", "min": 16, "max": 29}, {"code": "30_100", "min": 30, "max": 100}]},
            {"id": "country", "kind": "country", "prompt": {"en": "Where?"}, "allowed": ["GE", "AM"]}
        ]
    }))
    .unwrap()
}

fn answers(value: serde_json::Value) -> Answers {
    serde_json::from_value(value).unwrap()
}

fn problems(value: serde_json::Value) -> Vec<(String, &'static str)> {
    match validate(&survey(), &answers(value)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| (e.question.clone(), e.problem.code())).collect(),
    }
}

fn one(question: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(question.to_owned(), code)]
}

#[test]
fn tallies_cells_in_canonical_order() {
    let tally = validate(
        &survey(),
        &answers(json!({"ret": "conditional", "conds": ["jobs", "peace"], "welcome": 4, "age": 29, "country": "GE"})),
    )
    .unwrap();
    let cells: Vec<(u16, u16)> = tally.cells().iter().map(|c| (c.question, c.option)).collect();
    let ge = crate::countries::index_of("GE").unwrap() as u16;
    assert_eq!(cells, [(0, 1), (1, 0), (1, 2), (2, 3), (3, 0), (4, ge)]);
    assert_eq!(tally.answered().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
}

#[test]
fn numbers_are_reduced_to_their_bin() {
    let tally = validate(&survey(), &answers(json!({"ret": "no", "age": 30}))).unwrap();
    assert_eq!(tally.cells()[1], Cell { question: 3, option: 1 });
    // The number itself goes with the tally only for the sums (a mean, never alone).
    assert_eq!(tally.numbers(), [(3, 30)]);
}

#[test]
fn a_range_chosen_instead_of_a_number_counts_in_its_bin_and_in_no_sum() {
    let tally = validate(&survey(), &answers(json!({"ret": "no", "age": "30_100"}))).unwrap();
    assert_eq!(tally.cells()[1], Cell { question: 3, option: 1 });
    assert!(tally.numbers().is_empty());
    assert_eq!(problems(json!({"ret": "no", "age": "90_100"})), one("age", "wrong_type"));
}

#[test]
fn each_rule() {
    assert_eq!(problems(json!({})), one("ret", "required"));
    assert_eq!(problems(json!({"ret": "maybe"})), one("ret", "not_offered"));
    assert_eq!(problems(json!({"ret": ["no"]})), one("ret", "wrong_type"));
    assert_eq!(problems(json!({"ret": "conditional"})), one("conds", "required"));
    assert_eq!(problems(json!({"ret": "no", "conds": ["peace"]})), one("conds", "hidden"));
    assert_eq!(
        problems(json!({"ret": "conditional", "conds": ["peace", "peace"]})),
        one("conds", "duplicate_choice")
    );
    assert_eq!(
        problems(json!({"ret": "conditional", "conds": ["peace", "amnesty", "jobs"]})),
        one("conds", "too_many_choices")
    );
    assert_eq!(
        problems(json!({"ret": "conditional", "conds": ["none", "jobs"]})),
        one("conds", "exclusive_combined")
    );
    assert_eq!(problems(json!({"ret": "no", "welcome": 6})), one("welcome", "out_of_range"));
    assert_eq!(problems(json!({"ret": "no", "welcome": 2.5})), one("welcome", "wrong_type"));
    assert_eq!(problems(json!({"ret": "no", "age": 15})), one("age", "out_of_range"));
    assert_eq!(problems(json!({"ret": "no", "age": "30"})), one("age", "wrong_type"));
    assert_eq!(problems(json!({"ret": "no", "country": "DE"})), one("country", "not_offered"));
    assert_eq!(problems(json!({"ret": "no", "country": "ge"})), one("country", "not_offered"));
    assert_eq!(problems(json!({"ret": "no", "shoe_size": 44})), one("shoe_size", "unknown_question"));
    assert_eq!(problems(json!({"ret": "no", "welcome": null})), one("welcome", "wrong_type"));
}

#[test]
fn reports_every_problem_at_once() {
    let found = problems(json!({"conds": ["x"], "welcome": 0, "zzz": 1}));
    assert_eq!(
        found,
        [
            ("ret".to_owned(), "required"),
            ("conds".to_owned(), "hidden"),
            ("welcome".to_owned(), "out_of_range"),
            ("zzz".to_owned(), "unknown_question")
        ]
    );
}

#[test]
fn an_empty_list_is_no_answer() {
    assert_eq!(problems(json!({"ret": "no", "conds": []})), []);
    assert_eq!(problems(json!({"ret": "conditional", "conds": []})), one("conds", "required"));
}

#[test]
fn an_invalid_parent_hides_no_child() {
    // The person must be able to see the follow-up while they fix the earlier answer,
    // and must not be told twice about one mistake.
    assert_eq!(problems(json!({"ret": "maybe", "conds": ["peace"]})), one("ret", "not_offered"));
    assert_eq!(problems(json!({"ret": "maybe"})), one("ret", "not_offered"));
    assert!(visible(&survey(), &answers(json!({"ret": "maybe"})))[1]);
    assert!(!visible(&survey(), &answers(json!({"ret": "no"})))[1]);
    assert!(visible(&survey(), &answers(json!({"ret": "conditional"})))[1]);
}

#[test]
fn field_errors_point_into_the_answers() {
    let errors = validate(&survey(), &answers(json!({"ret": "no", "age": 7}))).unwrap_err();
    let field = FieldError::from(&errors[0]);
    assert_eq!(field.pointer, "#/answers/age");
    assert_eq!(field.code, "out_of_range");
    assert_eq!(field.detail, "Enter a whole number from 16 to 100.");
}

// ---- generated surveys -------------------------------------------------------------

const SAMPLE_COUNTRIES: [&str; 4] = ["AM", "DE", "GE", "RS"];

/// Seeds for one question; the question is derived from them, so shrinking stays simple.
type QuestionSeed = (u8, bool, u8, bool, u8, i8, u8, [u8; 3], Option<(u8, u8)>);

fn text(s: &str) -> Localized {
    Localized::from([("en", s)])
}

fn code(s: &str) -> OptionCode {
    OptionCode::parse(s).unwrap()
}

fn build_question(index: usize, seed: &QuestionSeed, earlier: &[Question]) -> Question {
    let (kind, required, options, exclusive, max_choices, low, span, widths, show_if) = *seed;
    let n = 2 + usize::from(options % 4);
    let choices = |exclusive_last: bool| -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                code: code(&format!("o{i}")),
                label: text(&format!("Option {i}")),
                exclusive: exclusive_last && i == n - 1,
            })
            .collect()
    };
    let items = |prefix: &str, count: usize| -> Vec<Item> {
        (0..count)
            .map(|i| Item { code: code(&format!("{prefix}{i}")), label: text(&format!("Item {i}")) })
            .collect()
    };
    let kind = match kind % 7 {
        0 => QuestionKind::Single { options: choices(false) },
        1 => QuestionKind::Multi {
            options: choices(exclusive),
            max_choices: (max_choices % 3 != 0).then(|| 1 + u32::from(max_choices) % n as u32),
        },
        2 => {
            let min = i64::from(low % 3);
            QuestionKind::Scale {
                min,
                max: min + 1 + i64::from(span % 6),
                min_label: text("low"),
                max_label: text("high"),
            }
        }
        3 => {
            let min = i64::from(low);
            let mut next = min;
            let bins = widths[..1 + usize::from(span % 3)]
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let bin = Bin {
                        code: code(&format!("b{i}")),
                        min: next,
                        max: next + i64::from(w % 20),
                        label: Localized::default(),
                    };
                    next = bin.max + 1;
                    bin
                })
                .collect::<Vec<_>>();
            QuestionKind::Number { min, max: next - 1, bins, unit: Localized::default() }
        }
        5 => QuestionKind::Grid { rows: items("r", 1 + usize::from(span % 3)), options: choices(false) },
        6 => QuestionKind::Ranking {
            items: items("i", n),
            max_ranked: (max_choices % 3 != 0).then(|| 1 + u32::from(max_choices) % n as u32),
        },
        _ => QuestionKind::Country {
            allowed: (options % 2 == 1).then(|| {
                SAMPLE_COUNTRIES[..2 + usize::from(options % 3)]
                    .iter()
                    .map(|c| CountryCode::parse(*c).unwrap())
                    .collect()
            }),
        },
    };
    let show_if = show_if.filter(|_| index > 0).map(|(parent, pick)| {
        let parent = &earlier[usize::from(parent) % index];
        let (row, codes) = match &parent.kind {
            QuestionKind::Grid { rows, options } => (
                Some(rows[usize::from(pick) % rows.len()].code.clone()),
                options.iter().map(|o| o.code.to_string()).collect(),
            ),
            QuestionKind::Ranking { items, .. } => (None, items.iter().map(|i| i.code.to_string()).collect()),
            _ => (None, offered_codes(parent)),
        };
        let first = usize::from(pick) % codes.len();
        let mut any_of = vec![codes[first].clone()];
        if pick % 2 == 0 && codes.len() > 1 {
            any_of.push(codes[(first + 1) % codes.len()].clone());
        }
        ShowIf { question: parent.id.clone(), row, any_of }
    });
    Question {
        id: QuestionId::parse(format!("q{index}")).unwrap(),
        kind,
        required,
        prompt: text(&format!("Question {index}")),
        help: Localized::default(),
        show_if,
    }
}

fn build_survey(seeds: Vec<QuestionSeed>) -> Survey {
    let mut questions = Vec::new();
    for (index, seed) in seeds.iter().enumerate() {
        let question = build_question(index, seed, &questions);
        questions.push(question);
    }
    Survey {
        slug: Slug::parse("generated").unwrap(),
        version: Some(1),
        languages: vec![LanguageTag::parse("en").unwrap()],
        title: text("Generated"),
        intro: Localized::default(),
        questions,
        crosstabs: Vec::new(),
        settings: Settings::default(),
        invite_key: None,
    }
}

/// The codes a question accepts (a sample of them for unrestricted countries).
fn offered_codes(question: &Question) -> Vec<String> {
    match &question.kind {
        QuestionKind::Country { allowed: None } => SAMPLE_COUNTRIES.iter().map(|c| (*c).to_owned()).collect(),
        QuestionKind::Country { allowed: Some(allowed) } => allowed.iter().map(|c| c.to_string()).collect(),
        _ => {
            (0..question.cell_count()).filter_map(|i| question.cell_code(i)).map(|c| c.into_owned()).collect()
        }
    }
}

/// A valid answer to `question`, chosen by `pick`.
fn valid_answer(question: &Question, pick: u32) -> Answer {
    let p = pick as usize;
    match &question.kind {
        QuestionKind::Single { options } => Answer::Code(options[p % options.len()].code.to_string()),
        QuestionKind::Country { .. } => {
            let codes = offered_codes(question);
            Answer::Code(codes[p % codes.len()].clone())
        }
        QuestionKind::Multi { options, max_choices } => {
            if options.last().is_some_and(|o| o.exclusive) && p.is_multiple_of(4) {
                return Answer::Codes(vec![options[options.len() - 1].code.to_string()]);
            }
            let plain: Vec<&Choice> = options.iter().filter(|o| !o.exclusive).collect();
            let limit = max_choices.map_or(plain.len(), |m| (m as usize).min(plain.len()));
            let count = 1 + p % limit;
            let mut codes: Vec<String> =
                (0..count).map(|i| plain[(p / 7 + i) % plain.len()].code.to_string()).collect();
            if p % 2 == 1 {
                codes.reverse(); // order must not matter
            }
            Answer::Codes(codes)
        }
        QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => {
            Answer::Number(min + (i64::from(pick) % (max - min + 1)))
        }
        QuestionKind::Grid { rows, options } => {
            // Every row when required, else a non-empty selection of them.
            let answered = |i: usize| question.required || i == p % rows.len() || (p >> i) % 2 == 1;
            Answer::Rows(
                rows.iter()
                    .enumerate()
                    .filter(|(i, _)| answered(*i))
                    .map(|(i, r)| (r.code.to_string(), options[(p / 3 + i) % options.len()].code.to_string()))
                    .collect(),
            )
        }
        QuestionKind::Ranking { items, .. } => {
            let count = 1 + p % question.places();
            Answer::Codes((0..count).map(|i| items[(p / 5 + i) % items.len()].code.to_string()).collect())
        }
    }
}

/// A valid answer set: every applicable required question answered, some optional ones.
fn build_valid(survey: &Survey, picks: &[u32]) -> Answers {
    let mut answers = Answers::new();
    for (i, question) in survey.questions.iter().enumerate() {
        let pick = picks[i % picks.len()];
        let applies = visible(survey, &answers)[i];
        if applies && (question.required || !pick.is_multiple_of(3)) {
            answers.insert(question.id.to_string(), valid_answer(question, pick));
        }
    }
    answers
}

fn arb_case() -> impl Strategy<Value = (Survey, Vec<u32>)> {
    (prop::collection::vec(any::<QuestionSeed>(), 1..8), prop::collection::vec(any::<u32>(), 1..8))
        .prop_map(|(seeds, picks)| (build_survey(seeds), picks))
}

/// Changes `answers` so that exactly one thing is wrong with question `target` (a
/// question nothing depends on, so no other answer is affected), and says what the
/// validator must report. `None` when this mutation does not fit that question.
fn mutate(survey: &Survey, answers: &mut Answers, target: usize, how: u8) -> Option<(String, &'static str)> {
    let question = &survey.questions[target];
    let id = question.id.to_string();
    let applies = visible(survey, answers)[target];
    let answered = answers.contains_key(&id);
    let expect = |code| Some((id.clone(), code));
    match (how % 8, &question.kind) {
        (0, _) if applies && question.required && answered => {
            answers.remove(&id);
            expect("required")
        }
        (1, _) if !applies => {
            answers.insert(id.clone(), valid_answer(question, 1));
            expect("hidden")
        }
        (2, QuestionKind::Single { .. } | QuestionKind::Country { .. }) if applies => {
            let bad = match &question.kind {
                QuestionKind::Country { allowed: Some(_) } => "FR", // assigned, but not allowed
                QuestionKind::Country { allowed: None } => "XX",    // not an assigned code
                _ => "zz",
            };
            answers.insert(id.clone(), Answer::Code(bad.into()));
            expect("not_offered")
        }
        (2, QuestionKind::Grid { rows, .. }) if applies => {
            answers.insert(id.clone(), Answer::Rows([(rows[0].code.to_string(), "zz".to_owned())].into()));
            expect("not_offered")
        }
        (2, QuestionKind::Multi { .. } | QuestionKind::Ranking { .. }) if applies => {
            answers.insert(id.clone(), Answer::Codes(vec!["zz".into()]));
            expect("not_offered")
        }
        (3, kind) if applies => {
            let wrong = match kind {
                QuestionKind::Multi { .. } => Answer::Code("o0".into()),
                QuestionKind::Scale { .. } | QuestionKind::Number { .. } => Answer::Code("1".into()),
                _ => Answer::Number(1),
            };
            answers.insert(id.clone(), wrong);
            expect("wrong_type")
        }
        (4, QuestionKind::Scale { max, .. } | QuestionKind::Number { max, .. }) if applies => {
            answers.insert(id.clone(), Answer::Number(max + 1));
            expect("out_of_range")
        }
        (5, QuestionKind::Multi { .. }) if applies => {
            answers.insert(id.clone(), Answer::Codes(vec!["o0".into(), "o0".into()]));
            expect("duplicate_choice")
        }
        (6, QuestionKind::Multi { options, max_choices: Some(max) }) if applies => {
            let plain: Vec<String> =
                options.iter().filter(|o| !o.exclusive).map(|o| o.code.to_string()).collect();
            let too_many = *max as usize + 1;
            (plain.len() >= too_many).then(|| {
                answers.insert(id.clone(), Answer::Codes(plain[..too_many].to_vec()));
                (id.clone(), "too_many_choices")
            })
        }
        (5, QuestionKind::Ranking { .. }) if applies && question.places() >= 2 => {
            answers.insert(id.clone(), Answer::Codes(vec!["i0".into(), "i0".into()]));
            expect("ranked_twice")
        }
        (6, QuestionKind::Ranking { items, .. }) if applies && items.len() > question.places() => {
            let too_many = items.iter().take(question.places() + 1).map(|i| i.code.to_string()).collect();
            answers.insert(id.clone(), Answer::Codes(too_many));
            expect("too_many_choices")
        }
        (7, QuestionKind::Grid { rows, options }) if applies && question.required && rows.len() >= 2 => {
            let first = (rows[0].code.to_string(), options[0].code.to_string());
            answers.insert(id.clone(), Answer::Rows([first].into()));
            expect("missing_rows")
        }
        (7, QuestionKind::Grid { .. }) if applies => {
            answers.insert(id.clone(), Answer::Rows([("zz".to_owned(), "o0".to_owned())].into()));
            expect("unknown_row")
        }
        (7, QuestionKind::Multi { options, max_choices })
            if applies && max_choices.is_none_or(|m| m >= 2) =>
        {
            let last = options.last().filter(|o| o.exclusive)?;
            answers.insert(id.clone(), Answer::Codes(vec!["o0".into(), last.code.to_string()]));
            expect("exclusive_combined")
        }
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_definitions_pass_their_checks((survey, _) in arb_case()) {
        prop_assert_eq!(survey.check(), Ok(()));
    }

    #[test]
    fn valid_answer_sets_are_accepted_and_tallied((survey, picks) in arb_case()) {
        let answers = build_valid(&survey, &picks);
        let tally = validate(&survey, &answers);
        prop_assert!(tally.is_ok(), "{:?} refused: {:?}", answers, tally);
        let tally = tally.unwrap_or_default();
        let expected_cells: usize = answers.values().map(|a| match a {
            Answer::Codes(codes) => codes.len(),
            Answer::Rows(rows) => rows.len(),
            _ => 1,
        }).sum();
        prop_assert_eq!(tally.cells().len(), expected_cells);
        prop_assert_eq!(tally.answered().count(), answers.len());
        let mut sorted = tally.cells().to_vec();
        sorted.sort_unstable();
        prop_assert_eq!(sorted.as_slice(), tally.cells());
    }

    #[test]
    fn mutated_answer_sets_are_refused_with_the_right_error(
        (survey, picks) in arb_case(),
        target in any::<prop::sample::Index>(),
        how in any::<u8>(),
    ) {
        let mut answers = build_valid(&survey, &picks);
        let leaves: Vec<usize> = (0..survey.questions.len())
            .filter(|&i| !survey.questions.iter().any(|q| {
                q.show_if.as_ref().is_some_and(|s| s.question == survey.questions[i].id)
            }))
            .collect();
        let target = leaves[target.index(leaves.len())];
        // Try the chosen mutation first, then the others; an unknown question always fits.
        let expected = (0..8u8)
            .find_map(|step| mutate(&survey, &mut answers, target, how.wrapping_add(step)))
            .unwrap_or_else(|| {
                answers.insert("zz_unknown".into(), Answer::Code("x".into()));
                ("zz_unknown".into(), "unknown_question")
            });
        let found: Vec<(String, &str)> = match validate(&survey, &answers) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(|e| (e.question.clone(), e.problem.code())).collect(),
        };
        prop_assert_eq!(found, vec![expected]);
    }
}

// ---- grids and rankings ------------------------------------------------------------

fn kinds_survey() -> Survey {
    serde_json::from_value(json!({
        "slug": "k", "languages": ["en"], "title": {"en": "K"},
        "questions": [
            {"id": "conditions", "kind": "grid", "required": true, "prompt": {"en": "How likely?"},
             "rows": [{"code": "safety", "label": {"en": "Safety"}}, {"code": "jobs", "label": {"en": "Jobs"}}],
             "options": [{"code": "likely", "label": {"en": "Likely"}}, {"code": "unlikely", "label": {"en": "Unlikely"}}]},
            {"id": "priorities", "kind": "ranking", "max_ranked": 2, "prompt": {"en": "Rank"},
             "items": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}},
                       {"code": "c", "label": {"en": "C"}}]},
            {"id": "why_safe", "kind": "single", "prompt": {"en": "Why?"},
             "show_if": {"question": "conditions", "row": "safety", "any_of": ["likely"]},
             "options": [{"code": "x", "label": {"en": "X"}}, {"code": "y", "label": {"en": "Y"}}]},
            {"id": "why_c", "kind": "single", "prompt": {"en": "Why C?"},
             "show_if": {"question": "priorities", "any_of": ["c"]},
             "options": [{"code": "x", "label": {"en": "X"}}, {"code": "y", "label": {"en": "Y"}}]}
        ]
    }))
    .unwrap()
}

fn kinds_problems(value: serde_json::Value) -> Vec<FieldError> {
    match validate(&kinds_survey(), &answers(value)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(FieldError::from).collect(),
    }
}

#[test]
fn a_grid_counts_one_cell_per_row_and_a_ranking_one_per_place() {
    let survey = kinds_survey();
    assert_eq!(survey.check(), Ok(()));
    let tally = validate(
        &survey,
        &answers(json!({"conditions": {"jobs": "unlikely", "safety": "likely"}, "priorities": ["c", "a"],
                        "why_safe": "x", "why_c": "y"})),
    )
    .unwrap();
    let cells: Vec<(u16, u16)> = tally.cells().iter().map(|c| (c.question, c.option)).collect();
    // Grid: row × 2 options + option; ranking: item × 2 places + place.
    assert_eq!(cells, [(0, 0), (0, 3), (1, 1), (1, 4), (2, 0), (3, 1)]);
    let grid = &survey.questions[0];
    assert_eq!(grid.cell_code(3).as_deref(), Some("jobs.unlikely"));
    assert_eq!(grid.cell_index("jobs.unlikely"), Some(3));
    let ranking = &survey.questions[1];
    assert_eq!(ranking.cell_count(), 6, "three items, two places");
    assert_eq!(ranking.cell_code(4).as_deref(), Some("c.1"));
    assert_eq!(ranking.cell_index("c.1"), Some(4));
    for bad in ["c.0", "c.3", "c.01", "d.1", "c", "safety.likely"] {
        assert_eq!(ranking.cell_index(bad), None, "{bad}");
    }
}

#[test]
fn grid_and_ranking_errors_name_the_row_or_item() {
    let problems = kinds_problems(json!({"conditions": {"safety": "likely", "jobs": "never"}}));
    assert_eq!(problems[0].pointer, "#/answers/conditions/jobs");
    assert_eq!(problems[0].code, "not_offered");
    let problems = kinds_problems(json!({"conditions": {"safety": "likely", "health": "likely"}}));
    assert_eq!(
        (problems[0].pointer.as_str(), problems[0].code.as_str()),
        ("#/answers/conditions/health", "unknown_row")
    );
    let problems = kinds_problems(json!({"conditions": {"jobs": "likely"}}));
    assert_eq!(problems[0].code, "missing_rows");
    assert!(problems[0].detail.contains("\"safety\""), "{}", problems[0].detail);
    let problems = kinds_problems(
        json!({"conditions": {"safety": "likely", "jobs": "likely"}, "priorities": ["a", "a"]}),
    );
    assert_eq!(problems[0].code, "ranked_twice");
    assert_eq!(problems[0].detail, "\"a\" is ranked twice; give each place a different item.");
    let problems = kinds_problems(
        json!({"conditions": {"safety": "likely", "jobs": "likely"}, "priorities": ["a", "b", "c"]}),
    );
    assert_eq!(problems[0].code, "too_many_choices");
    let problems = kinds_problems(json!({"conditions": ["safety"]}));
    assert_eq!(problems[0].code, "wrong_type");
    assert_eq!(
        kinds_problems(json!({"conditions": {}})),
        kinds_problems(json!({})),
        "an empty grid is no answer"
    );
}

#[test]
fn conditions_read_a_grid_row_or_whether_an_item_was_ranked() {
    let survey = kinds_survey();
    let shown = |value| visible(&survey, &answers(value));
    let grid = json!({"safety": "likely", "jobs": "unlikely"});
    assert_eq!(shown(json!({"conditions": grid, "priorities": ["b", "c"]}))[2..], [true, true]);
    let other = json!({"safety": "unlikely", "jobs": "likely"});
    assert_eq!(shown(json!({"conditions": other, "priorities": ["a"]}))[2..], [false, false]);
}

#[test]
fn a_condition_on_a_grid_must_name_an_existing_row() {
    let mut survey = kinds_survey();
    survey.questions[2].show_if.as_mut().unwrap().row = None;
    survey.questions[3].show_if.as_mut().unwrap().row = Some(OptionCode::parse("safety").unwrap());
    let errors = survey.check().unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/questions/2/show_if/row", "#/questions/3/show_if/row"]);
}
