//! Tests of definitions: parsing, checks, cells and languages.
use super::*;

pub(crate) fn sample() -> Survey {
    serde_json::from_value(serde_json::json!({
        "slug": "sample",
        "languages": ["en", "ru"],
        "title": {"en": "Sample", "ru": "Пример"},
        "questions": [
            {"id": "left_when", "kind": "single", "required": true,
             "prompt": {"en": "When?", "ru": "Когда?"},
             "options": [
                {"code": "before_2022", "label": {"en": "Before", "ru": "До"}},
                {"code": "after", "label": {"en": "After", "ru": "После"}}]},
            {"id": "age", "kind": "number", "min": 16, "max": 100,
             "prompt": {"en": "Age", "ru": "Возраст"},
             "bins": [{"code": "16_39", "min": 16, "max": 39}, {"code": "40_100", "min": 40, "max": 100}]},
            {"id": "why", "kind": "multi", "max_choices": 2,
             "prompt": {"en": "Why?", "ru": "Почему?"},
             "show_if": {"question": "left_when", "any_of": ["after"]},
             "options": [
                {"code": "war", "label": {"en": "War", "ru": "Война"}},
                {"code": "work", "label": {"en": "Work", "ru": "Работа"}},
                {"code": "none", "label": {"en": "None", "ru": "Нет"}, "exclusive": true}]}
        ]
    }))
    .unwrap()
}

fn codes(survey: &Survey) -> Vec<String> {
    survey.check().err().unwrap_or_default().into_iter().map(|e| e.code).collect()
}

#[test]
fn a_good_definition_passes() {
    assert_eq!(sample().check(), Ok(()));
}

#[test]
fn defaults_are_applied() {
    let survey = sample();
    assert_eq!(survey.settings.min_cell, 5);
    assert!(!survey.settings.public_results);
    assert!(!survey.questions[1].required);
}

#[test]
fn round_trips_through_json() {
    let survey = sample();
    let json = serde_json::to_string(&survey).unwrap();
    assert_eq!(serde_json::from_str::<Survey>(&json).unwrap(), survey);
}

#[test]
fn finds_duplicates_and_missing_translations() {
    let mut survey = sample();
    survey.questions[1].id = survey.questions[0].id.clone();
    survey.questions[0].prompt.0.remove(&LanguageTag::parse("ru").unwrap());
    let found = codes(&survey);
    assert!(found.contains(&"duplicate_question".to_owned()), "{found:?}");
    assert!(found.contains(&"missing_translation".to_owned()), "{found:?}");
}

#[test]
fn bins_must_cover_the_range_exactly() {
    let mut survey = sample();
    if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
        bins[1].min = 41;
    }
    assert_eq!(codes(&survey), ["bins_gap"]);
    if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
        bins[1].min = 39;
    }
    assert_eq!(codes(&survey), ["bins_overlap"]);
    if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
        bins[1].min = 40;
        bins[1].max = 99;
    }
    assert_eq!(codes(&survey), ["bins_cover"]);
}

#[test]
fn conditions_look_back_at_offered_answers() {
    let mut survey = sample();
    survey.questions[2].show_if =
        Some(ShowIf { question: survey.questions[2].id.clone(), row: None, any_of: vec!["war".into()] });
    assert_eq!(codes(&survey), ["bad_show_if"]);
    survey.questions[2].show_if =
        Some(ShowIf { question: survey.questions[0].id.clone(), row: None, any_of: vec!["later".into()] });
    assert_eq!(codes(&survey), ["bad_show_if"]);
}

#[test]
fn misplaced_and_misspelt_fields_are_refused() {
    let parse =
        |q: serde_json::Value| serde_json::from_value::<Question>(q).map(|_| ()).unwrap_err().to_string();
    let base = |extra: serde_json::Value| {
        let mut q = serde_json::json!({"id": "q", "kind": "single", "prompt": {"en": "?"},
            "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]});
        for (k, v) in extra.as_object().unwrap() {
            q[k] = v.clone();
        }
        q
    };
    assert!(parse(base(serde_json::json!({"requried": true}))).contains("unknown field `requried`"));
    assert!(
        parse(base(serde_json::json!({"bins": []}))).contains("`bins` does not apply to a single question")
    );
    assert!(parse(base(serde_json::json!({"kind": "number"}))).contains("`options` does not apply"));
    assert!(
        parse(serde_json::json!({"id": "q", "kind": "scale", "prompt": {"en": "?"}, "min": 1}))
            .contains("a scale question needs `max`")
    );
    assert!(parse(base(serde_json::json!({"kind": "essay"}))).contains("unknown variant `essay`"));
}

#[test]
fn small_thresholds_are_refused() {
    let mut survey = sample();
    survey.settings.min_cell = 2;
    assert_eq!(codes(&survey), ["min_cell_too_small"]);
}

#[test]
fn extreme_ranges_are_refused_not_overflowed() {
    let question: Question = serde_json::from_value(serde_json::json!({
        "id": "q", "kind": "scale", "min": -1, "max": i64::MAX, "prompt": {"en": "?"}
    }))
    .unwrap();
    assert_eq!(question.cell_count(), 0);
    let mut survey = sample();
    survey.questions.push(question);
    assert!(codes(&survey).contains(&"bad_scale".to_owned()));
    let mut survey = sample();
    if let QuestionKind::Number { min, max, .. } = &mut survey.questions[1].kind {
        *min = i64::MIN;
        *max = i64::MAX;
    }
    assert!(survey.check().is_err());
}

#[test]
fn scale_cells_use_canonical_codes() {
    let question: Question = serde_json::from_value(serde_json::json!({
        "id": "welcome", "kind": "scale", "min": 1, "max": 5, "prompt": {"en": "?"}
    }))
    .unwrap();
    assert_eq!(question.cell_count(), 5);
    assert_eq!(question.cell_index("4"), Some(3));
    assert_eq!(question.cell_index("04"), None);
    assert_eq!(question.cell_index("6"), None);
    assert_eq!(question.cell_code(4).as_deref(), Some("5"));
    assert_eq!(question.cell_code(5), None);
}

#[test]
fn a_survey_in_one_language_keeps_everything_but_the_others() {
    let ru = LanguageTag::parse("ru").unwrap();
    let mut survey = sample();
    survey.questions[0].prompt.0.remove(&ru);
    let one = survey.in_language(&ru);
    assert_eq!(one.title, Localized::from([("ru", "Пример")]));
    assert_eq!(one.questions[0].prompt, Localized::from([("ru", "When?")]), "the default fills a gap");
    assert_eq!(one.questions.len(), survey.questions.len());
    assert_eq!(one.languages, survey.languages, "the switch still offers every language");
    assert!(one.intro.is_empty());
}

#[test]
fn picks_the_closest_language() {
    let survey = sample();
    let pick = |wanted: &[&str]| survey.pick_language(wanted).map(|l| l.to_string());
    assert_eq!(pick(&["ru-RU", "en"]), Some("ru".into()));
    assert_eq!(pick(&["de", "RU"]), Some("ru".into()));
    assert_eq!(pick(&["de"]), Some("en".into()));
}
