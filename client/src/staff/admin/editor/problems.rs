//! What stops the definition from being published: the shared crate's check, run in
//! the browser on every change, and what the server said with its last reply. Each
//! problem is named in words ("Question 1 (status), option 2 (no), English label"), not
//! by its JSON pointer, and leads to its field.

use nansen_shared::{FieldError, Survey, SurveyStatus};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::fields::field_id;
use crate::staff::i18n::{Msg, language_name, t, tn};

/// Where the survey stands, as far as the problems panel is concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub status: SurveyStatus,
    pub version: Option<u32>,
    /// Whether the page or the saved draft holds changes not yet published.
    pub changes: bool,
    pub unsaved: bool,
}

/// What the panel says when the check finds nothing: it depends on where the survey
/// stands, not only on the definition.
pub fn no_problems(standing: Standing) -> Msg {
    match (standing.status, standing.version) {
        (SurveyStatus::Draft, _) | (_, None) => Msg::new("prob-none-draft"),
        (SurveyStatus::Open | SurveyStatus::Scheduled, Some(v)) if standing.changes => {
            Msg::new("prob-none-changes").arg("next", v + 1)
        }
        (SurveyStatus::Scheduled, Some(v)) => Msg::new("prob-none-scheduled").arg("version", v),
        (SurveyStatus::Open, Some(v)) => Msg::new("prob-none-open").arg("version", v),
        (SurveyStatus::Closed, Some(v)) if standing.changes => {
            Msg::new("prob-none-closed-changes").arg("next", v + 1)
        }
        (SurveyStatus::Closed, Some(v)) => Msg::new("prob-none-closed").arg("version", v),
    }
}

/// `server` is the server's check of the saved draft; it is shown when it is about the
/// definition on screen (nothing unsaved), and said to agree when it does.
pub fn problems(survey: &Survey, live: &[FieldError], server: &[FieldError], standing: Standing) -> Html {
    html! {
        <aside class="problems" aria-labelledby="problems-heading">
            <h2 id="problems-heading">
                { if live.is_empty() { t("prob-heading-none") } else { tn("prob-heading", live.len(), &[]) } }
            </h2>
            if live.is_empty() {
                <p id="problems-none" class="notice success" data-status={standing.status.as_str()}>
                    { no_problems(standing).text() }
                </p>
            } else {
                <p class="hint">{ t("prob-hint") }</p>
                { list("problems-list", survey, live) }
            }
            if standing.unsaved {
                <p class="hint" id="server-check">{ t("prob-server-unsaved") }</p>
            } else if server == live {
                <p class="hint" id="server-check">{ t("prob-server-agrees") }</p>
            } else {
                <h3>{ t("prob-server-heading") }</h3>
                { list("server-problems", survey, server) }
            }
        </aside>
    }
}

fn list(id: &str, survey: &Survey, errors: &[FieldError]) -> Html {
    html! {
        <ul class="problem-list" id={id.to_owned()}>
            { for errors.iter().map(|error| {
                let pointer = error.pointer.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    focus_field(&pointer);
                });
                html! {
                    <li data-code={error.code.clone()} data-pointer={error.pointer.clone()}>
                        <a class="pointer" href={format!("#{}", field_id(&error.pointer))} {onclick}>
                            { place(&error.pointer, survey) }
                        </a>
                        { ": " }{ explain(error, survey).map_or_else(|| error.detail.clone(), |m| m.text()) }
                    </li>
                }
            }) }
        </ul>
    }
}

/// Where `pointer` is, in words.
pub fn place(pointer: &str, survey: &Survey) -> String {
    describe(pointer, survey).iter().map(Msg::text).collect::<Vec<_>>().join(", ")
}

/// Where `pointer` (as the shared check and the server report it) is in `survey`, part by
/// part: the question by number and id, an option or bin by number and code, a text by
/// its language's name. A pointer it does not know is given as it is.
pub fn describe(pointer: &str, survey: &Survey) -> Vec<Msg> {
    let path = pointer.trim_start_matches('#').trim_start_matches('/');
    let parts: Vec<&str> = if path.is_empty() { Vec::new() } else { path.split('/').collect() };
    let raw = || vec![Msg::new("prob-raw").arg("pointer", pointer)];
    let language = |lang: &str| language_name(lang);
    let described = match parts.as_slice() {
        [] => Some(vec![Msg::new("prob-definition")]),
        ["title", lang] => Some(vec![Msg::new("prob-title").arg("language", language(lang))]),
        ["title"] => Some(vec![Msg::new("prob-title-all")]),
        ["intro", lang] => Some(vec![Msg::new("prob-intro").arg("language", language(lang))]),
        ["languages", ..] => Some(vec![Msg::new("prob-languages")]),
        ["slug"] => Some(vec![Msg::new("prob-slug")]),
        ["settings", rest @ ..] => settings(rest).map(|m| vec![m]),
        ["questions"] => Some(vec![Msg::new("prob-questions")]),
        ["questions", index, rest @ ..] => question(survey, index, rest),
        ["crosstabs"] => Some(vec![Msg::new("prob-crosstabs")]),
        ["crosstabs", index, rest @ ..] => crosstab(survey, index, rest),
        _ => None,
    };
    described.unwrap_or_else(raw)
}

fn settings(rest: &[&str]) -> Option<Msg> {
    Some(match rest {
        ["min_cell"] => Msg::new("prob-min-cell"),
        ["public_results"] => Msg::new("prob-public-results"),
        ["access"] => Msg::new("prob-access"),
        ["releases", "every_hours"] => Msg::new("prob-every-hours"),
        ["releases", "min_new"] => Msg::new("prob-min-new"),
        ["releases", ..] => Msg::new("prob-releases"),
        ["privacy", "rho"] => Msg::new("prob-rho"),
        ["privacy", "releases"] => Msg::new("prob-planned"),
        ["privacy", ..] => Msg::new("prob-privacy"),
        _ => Msg::new("prob-settings"),
    })
}

fn crosstab(survey: &Survey, index: &str, rest: &[&str]) -> Option<Vec<Msg>> {
    let i: usize = index.parse().ok()?;
    let crosstab = survey.crosstabs.get(i)?;
    let mut parts = vec![
        Msg::new("prob-crosstab")
            .arg("number", i + 1)
            .arg("rows", crosstab.rows.as_str())
            .arg("columns", crosstab.columns.as_str()),
    ];
    match rest {
        [] => {}
        ["rows"] => parts.push(Msg::new("prob-rows")),
        ["columns"] => parts.push(Msg::new("prob-columns")),
        ["rows_item"] => parts.push(Msg::new("prob-rows-item")),
        ["columns_item"] => parts.push(Msg::new("prob-columns-item")),
        _ => return None,
    }
    Some(parts)
}

fn question(survey: &Survey, index: &str, rest: &[&str]) -> Option<Vec<Msg>> {
    use nansen_shared::QuestionKind;
    let i: usize = index.parse().ok()?;
    let question = survey.questions.get(i)?;
    let mut parts = vec![Msg::new("prob-question").arg("number", i + 1).arg("id", question.id.as_str())];
    let in_language = |message: Msg, lang: &str| message.arg("language", language_name(lang));
    let code_of = |list: &str, j: usize| -> Option<String> {
        match (&question.kind, list) {
            (
                QuestionKind::Single { options }
                | QuestionKind::Multi { options, .. }
                | QuestionKind::Grid { options, .. },
                "options",
            ) => options.get(j).map(|o| o.code.to_string()),
            (QuestionKind::Number { bins, .. }, "bins") => bins.get(j).map(|b| b.code.to_string()),
            (QuestionKind::Grid { rows: parts, .. }, "rows")
            | (QuestionKind::Ranking { items: parts, .. }, "items") => {
                parts.get(j).map(|p| p.code.to_string())
            }
            _ => None,
        }
    };
    match rest {
        [] => {}
        ["id"] => parts.push(Msg::new("prob-id")),
        ["kind"] => parts.push(Msg::new("prob-kind")),
        ["required"] => parts.push(Msg::new("prob-required")),
        ["prompt", lang] => parts.push(in_language(Msg::new("prob-prompt"), lang)),
        ["help", lang] => parts.push(in_language(Msg::new("prob-help"), lang)),
        ["min_label", lang] => parts.push(in_language(Msg::new("prob-min-label"), lang)),
        ["max_label", lang] => parts.push(in_language(Msg::new("prob-max-label"), lang)),
        ["unit", lang] => parts.push(in_language(Msg::new("prob-unit"), lang)),
        ["min"] => parts.push(Msg::new("prob-min")),
        ["max"] => parts.push(Msg::new("prob-max")),
        ["max_choices"] => parts.push(Msg::new("prob-max-choices")),
        ["allowed", ..] => parts.push(Msg::new("prob-allowed")),
        ["options"] => parts.push(Msg::new("prob-options")),
        ["bins"] => parts.push(Msg::new("prob-bins")),
        ["rows"] => parts.push(Msg::new("prob-grid-rows")),
        ["items"] => parts.push(Msg::new("prob-items")),
        ["max_ranked"] => parts.push(Msg::new("prob-max-ranked")),
        [list @ ("options" | "bins" | "rows" | "items"), j, field @ ..] => {
            let j: usize = j.parse().ok()?;
            let code = code_of(list, j)?;
            let item = match *list {
                "options" => Msg::new("prob-option"),
                "bins" => Msg::new("prob-bin"),
                "rows" => Msg::new("prob-grid-row"),
                _ => Msg::new("prob-item"),
            };
            parts.push(item.arg("number", j + 1).arg("code", code));
            match field {
                [] => {}
                ["code"] => parts.push(Msg::new("prob-code")),
                ["label", lang] => parts.push(in_language(Msg::new("prob-label"), lang)),
                ["min"] => parts.push(Msg::new("prob-from")),
                ["max"] => parts.push(Msg::new("prob-to")),
                ["exclusive"] => parts.push(Msg::new("prob-exclusive")),
                _ => return None,
            }
        }
        ["show_if"] => parts.push(Msg::new("prob-condition")),
        ["show_if", "question"] => parts.push(Msg::new("prob-condition-question")),
        ["show_if", "row"] => parts.push(Msg::new("prob-condition-row")),
        ["show_if", "any_of"] => parts.push(Msg::new("prob-condition-answers")),
        ["show_if", "any_of", k] => {
            let k: usize = k.parse().ok()?;
            let code = question.show_if.as_ref()?.any_of.get(k)?;
            parts.push(Msg::new("prob-condition-answer").arg("number", k + 1).arg("code", code));
        }
        _ => return None,
    }
    Some(parts)
}

/// What is wrong, in the staff language: the check's own `detail` is English, so each
/// kind of problem (its `code`) is put in words here, with what the definition and the
/// pointer tell. `None` for a problem this page does not know (the English detail shows).
pub fn explain(error: &FieldError, survey: &Survey) -> Option<Msg> {
    use nansen_shared::QuestionKind;
    use nansen_shared::survey::{
        LOWEST_MIN_CELL, MAX_CROSSTAB_CELLS, MAX_OPTIONS, MAX_PARTS, MAX_PLANNED_RELEASES, MAX_QUESTIONS,
        MAX_RELEASE_HOURS, MAX_RHO, MAX_SCALE_POINTS,
    };
    let path = error.pointer.trim_start_matches('#').trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.last().copied().unwrap_or_default();
    let index = |at: usize| parts.get(at).and_then(|p| p.parse::<usize>().ok());
    let question = || survey.questions.get(index(1)?).filter(|_| parts.first() == Some(&"questions"));
    let range = || match &question()?.kind {
        QuestionKind::Number { min, max, .. } | QuestionKind::Scale { min, max, .. } => Some((*min, *max)),
        _ => None,
    };
    let with_range = |message: Msg| range().map(|(min, max)| message.arg("min", min).arg("max", max));
    Some(match error.code.as_str() {
        "missing_translation" => Msg::new("prob-d-missing").arg("language", language_name(last)),
        "undeclared_language" => Msg::new("prob-d-undeclared").arg("language", language_name(last)),
        "min_cell_too_small" => Msg::new("prob-d-min-cell").arg("lowest", LOWEST_MIN_CELL),
        "no_questions" => Msg::new("prob-d-no-questions"),
        "too_many_questions" => Msg::new("prob-d-too-many-questions").arg("max", MAX_QUESTIONS),
        "reserved_id" => Msg::new("prob-d-reserved-id").arg("id", question()?.id.as_str()),
        "duplicate_question" => Msg::new("prob-d-duplicate-question").arg("id", question()?.id.as_str()),
        "no_languages" => Msg::new("prob-d-no-languages"),
        "duplicate_language" => Msg::new("prob-d-duplicate-language"),
        "bad_crosstab" => {
            let crosstab = survey.crosstabs.get(index(1)?)?;
            let item = |id: &nansen_shared::QuestionId, item: &Option<nansen_shared::OptionCode>| {
                let parted = survey.questions.iter().find(|q| &q.id == id)?.parts().is_some();
                Some(match (parted, item) {
                    (true, Some(item)) => {
                        Msg::new("prob-d-crosstab-no-item").arg("id", id.as_str()).arg("item", item.as_str())
                    }
                    (true, None) => Msg::new("prob-d-crosstab-need-item").arg("id", id.as_str()),
                    (false, _) => Msg::new("prob-d-crosstab-no-items").arg("id", id.as_str()),
                })
            };
            match last {
                "rows" => Msg::new("prob-d-crosstab-missing").arg("id", crosstab.rows.as_str()),
                "columns" => Msg::new("prob-d-crosstab-missing").arg("id", crosstab.columns.as_str()),
                "rows_item" => item(&crosstab.rows, &crosstab.rows_item)?,
                "columns_item" => item(&crosstab.columns, &crosstab.columns_item)?,
                _ if crosstab.rows == crosstab.columns => Msg::new("prob-d-crosstab-same"),
                _ => Msg::new("prob-d-crosstab-large").arg("max", MAX_CROSSTAB_CELLS),
            }
        }
        "bad_release_schedule" if last == "every_hours" => {
            Msg::new("prob-d-every-hours").arg("max", MAX_RELEASE_HOURS)
        }
        "bad_release_schedule" => Msg::new("prob-d-min-new").arg("k", survey.settings.min_cell),
        "bad_privacy_budget" if last == "rho" => {
            Msg::new("prob-d-rho").arg("max", crate::staff::format::rho(MAX_RHO))
        }
        "bad_privacy_budget" => Msg::new("prob-d-planned").arg("max", MAX_PLANNED_RELEASES),
        "bad_max_choices" => {
            let QuestionKind::Multi { options, max_choices } = &question()?.kind else { return None };
            Msg::new("prob-d-max-choices").n(options.len()).arg("max", max_choices.unwrap_or_default())
        }
        "bad_scale" => with_range(Msg::new("prob-d-scale").arg("points", MAX_SCALE_POINTS))?,
        "bad_range" => with_range(Msg::new("prob-d-range"))?,
        "option_count" if last == "bins" => Msg::new("prob-d-bin-count").arg("max", MAX_OPTIONS),
        "option_count" => Msg::new("prob-d-option-count").arg("max", MAX_OPTIONS),
        "bad_bin" => Msg::new("prob-d-bad-bin"),
        "bins_gap" => with_range(Msg::new("prob-d-bins-gap"))?,
        "bins_overlap" => with_range(Msg::new("prob-d-bins-overlap"))?,
        "bins_cover" => with_range(Msg::new("prob-d-bins-cover"))?,
        "duplicate_option" => {
            let j = index(3)?;
            let code = match (&question()?.kind, parts.get(2).copied()) {
                (
                    QuestionKind::Single { options }
                    | QuestionKind::Multi { options, .. }
                    | QuestionKind::Grid { options, .. },
                    Some("options"),
                ) => options.get(j)?.code.to_string(),
                (
                    QuestionKind::Grid { rows: parts, .. } | QuestionKind::Ranking { items: parts, .. },
                    Some("rows" | "items"),
                ) => parts.get(j)?.code.to_string(),
                (QuestionKind::Number { bins, .. }, Some("bins")) => bins.get(j)?.code.to_string(),
                _ => return None,
            };
            Msg::new("prob-d-duplicate-code").arg("code", code)
        }
        "bad_allowed_countries" => Msg::new("prob-d-allowed"),
        "part_count" if last == "rows" => Msg::new("prob-d-row-count").arg("max", MAX_PARTS),
        "part_count" => Msg::new("prob-d-item-count").arg("max", MAX_PARTS),
        "bad_option" => Msg::new("prob-d-grid-exclusive"),
        "bad_max_ranked" => {
            let QuestionKind::Ranking { items, .. } = &question()?.kind else { return None };
            Msg::new("prob-d-max-ranked").arg("count", items.len())
        }
        "bad_show_if" => {
            let show_if = question()?.show_if.as_ref()?;
            match last {
                "question" => Msg::new("prob-d-show-if-earlier").arg("id", show_if.question.as_str()),
                "row" => {
                    let earlier = survey.questions.iter().find(|q| q.id == show_if.question)?;
                    let id = show_if.question.as_str();
                    match (&earlier.kind, &show_if.row) {
                        (QuestionKind::Grid { .. }, None) => {
                            Msg::new("prob-d-show-if-need-row").arg("id", id)
                        }
                        (QuestionKind::Grid { .. }, Some(row)) => {
                            Msg::new("prob-d-show-if-no-row").arg("id", id).arg("row", row.as_str())
                        }
                        _ => Msg::new("prob-d-show-if-not-grid").arg("id", id),
                    }
                }
                "any_of" => Msg::new("prob-d-show-if-empty"),
                k => {
                    let code = show_if.any_of.get(k.parse::<usize>().ok()?)?;
                    Msg::new("prob-d-show-if-answer").arg("code", code).arg("id", show_if.question.as_str())
                }
            }
        }
        _ => return None,
    })
}

/// Focuses the field of `pointer`, or else the nearest enclosing part that has one
/// (`#/questions/2/options` has no input of its own, but its table does).
fn focus_field(pointer: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let mut at = pointer.to_owned();
    loop {
        if let Some(element) = document.get_element_by_id(&field_id(&at)) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                element.scroll_into_view();
                // A group (a table, a fieldset) can take focus only when told it may.
                if !is_control(&element) {
                    element.set_tab_index(-1);
                }
                let _ = element.focus();
            }
            return;
        }
        match at.rsplit_once('/') {
            Some((parent, _)) if parent != "#" => at = parent.to_owned(),
            _ => return,
        }
    }
}

fn is_control(element: &web_sys::HtmlElement) -> bool {
    matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")
}

#[cfg(test)]
mod tests {
    use nansen_shared::Survey;

    use super::*;

    fn survey() -> Survey {
        serde_json::from_value(serde_json::json!({
            "slug": "sample",
            "languages": ["en", "ru"],
            "title": {"en": "Sample"},
            "questions": [
                {"id": "status", "kind": "single", "prompt": {"en": "Status?"},
                 "options": [{"code": "yes", "label": {"en": "Yes"}}, {"code": "no", "label": {"en": "No"}}]},
                {"id": "age", "kind": "number", "min": 16, "max": 100, "prompt": {"en": "Age?"},
                 "unit": {"en": "years"}, "show_if": {"question": "status", "any_of": ["yes", "maybe"]},
                 "bins": [{"code": "young", "min": 16, "max": 24}, {"code": "old", "min": 30, "max": 100}]},
                {"id": "mood", "kind": "scale", "min": 1, "max": 5, "prompt": {"en": "Mood?"},
                 "min_label": {"en": "bad"}}
            ],
            "crosstabs": [{"rows": "status", "columns": "status"}],
            "settings": {"min_cell": 1, "releases": {"every_hours": 0, "min_new": 0},
                         "privacy": {"rho": 0.0, "releases": 0}}
        }))
        .unwrap()
    }

    /// The parts as `id(name=value,…)`, to compare briefly.
    fn parts(pointer: &str) -> Vec<String> {
        describe(pointer, &survey())
            .into_iter()
            .map(|m| {
                let args: Vec<String> = m.args.iter().map(|(n, v)| format!("{n}={v}")).collect();
                if args.is_empty() { m.id.to_owned() } else { format!("{}({})", m.id, args.join(",")) }
            })
            .collect()
    }

    #[test]
    fn an_option_label_is_named_by_question_option_and_language() {
        assert_eq!(
            parts("#/questions/0/options/1/label/ru"),
            ["prob-question(number=1,id=status)", "prob-option(number=2,code=no)", "prob-label(language=ru)"]
        );
        assert_eq!(
            parts("#/questions/1/bins/0/label/en"),
            ["prob-question(number=2,id=age)", "prob-bin(number=1,code=young)", "prob-label(language=en)"]
        );
        assert_eq!(
            parts("#/questions/1/show_if/any_of/1"),
            ["prob-question(number=2,id=age)", "prob-condition-answer(number=2,code=maybe)"]
        );
    }

    #[test]
    fn every_pointer_the_check_makes_is_put_in_words() {
        let survey = survey();
        let mut errors = survey.check().unwrap_err();
        // The pointers of the other checks, on surveys that fail them.
        let mut other: Survey = survey.clone();
        other.languages.clear();
        other.questions.clear();
        other.intro = nansen_shared::Localized::from([("de", "Hallo")]);
        errors.extend(other.check().unwrap_err());
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        for expected in [
            "#/settings/min_cell",
            "#/settings/releases/every_hours",
            "#/settings/releases/min_new",
            "#/settings/privacy/rho",
            "#/settings/privacy/releases",
            "#/crosstabs/0",
            "#/questions/1/bins",
            "#/questions/1/show_if/any_of/1",
            "#/questions/0/options/0/label/ru",
            "#/title/ru",
            "#/languages",
            "#/questions",
            "#/intro/de",
        ] {
            assert!(pointers.contains(&expected), "{expected} not made by the check: {pointers:?}");
        }
        for error in &errors {
            let parts = describe(&error.pointer, &survey);
            assert!(parts.iter().all(|m| m.id != "prob-raw"), "{} is not put in words", error.pointer);
        }
    }

    #[test]
    fn every_part_of_a_definition_has_words() {
        for pointer in [
            "#/title/en",
            "#/intro/ru",
            "#/settings/min_cell",
            "#/settings/privacy/releases",
            "#/crosstabs/0/rows",
            "#/crosstabs/0/columns",
            "#/questions/0/id",
            "#/questions/0/prompt/en",
            "#/questions/0/help/ru",
            "#/questions/0/options",
            "#/questions/0/options/1/code",
            "#/questions/1",
            "#/questions/1/unit/ru",
            "#/questions/1/bins/1/code",
            "#/questions/1/show_if/question",
            "#/questions/1/show_if/any_of",
            "#/questions/2/min_label/ru",
            "#/questions/2/max_label/en",
            "#/questions/2/max_choices",
            "#/questions/2/allowed",
        ] {
            assert!(
                !parts(pointer).iter().any(|p| p.starts_with("prob-raw")),
                "{pointer}: {:?}",
                parts(pointer)
            );
        }
        assert_eq!(parts("#/crosstabs/0"), ["prob-crosstab(number=1,rows=status,columns=status)"]);
        assert_eq!(
            parts("#/questions/2/min_label/ru"),
            ["prob-question(number=3,id=mood)", "prob-min-label(language=ru)"]
        );
    }

    /// A grid with no rows and an exclusive option, a ranking of one item asking for three
    /// places, and conditions and cross-tabulations that misname their rows.
    fn with_grid_and_ranking_problems() -> Survey {
        let mut survey = survey();
        let more: Vec<nansen_shared::Question> = serde_json::from_value(serde_json::json!([
            {"id": "ties", "kind": "grid", "prompt": {"en": "Ties?"}, "rows": [],
             "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}, "exclusive": true}]},
            {"id": "ties2", "kind": "grid", "prompt": {"en": "Ties?"},
             "rows": [{"code": "family", "label": {"en": "Family"}}],
             "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
            {"id": "order", "kind": "ranking", "prompt": {"en": "Order?"}, "max_ranked": 3,
             "items": [{"code": "x", "label": {"en": "X"}}]},
            {"id": "c1", "kind": "single", "prompt": {"en": "?"}, "show_if": {"question": "ties2", "any_of": ["a"]},
             "options": [{"code": "y", "label": {"en": "Y"}}, {"code": "n", "label": {"en": "N"}}]},
            {"id": "c2", "kind": "single", "prompt": {"en": "?"},
             "show_if": {"question": "ties2", "row": "work", "any_of": ["a"]},
             "options": [{"code": "y", "label": {"en": "Y"}}, {"code": "n", "label": {"en": "N"}}]},
            {"id": "c3", "kind": "single", "prompt": {"en": "?"},
             "show_if": {"question": "status", "row": "work", "any_of": ["yes"]},
             "options": [{"code": "y", "label": {"en": "Y"}}, {"code": "n", "label": {"en": "N"}}]}
        ]))
        .unwrap();
        survey.questions.extend(more);
        survey.crosstabs = serde_json::from_value(serde_json::json!([
            {"rows": "ties2", "columns": "status"},
            {"rows": "ties2", "rows_item": "work", "columns": "status"},
            {"rows": "status", "columns": "order", "columns_item": "x", "rows_item": "no"}
        ]))
        .unwrap();
        survey
    }

    #[test]
    fn grid_and_ranking_problems_are_put_in_words_of_their_own() {
        let survey = with_grid_and_ranking_problems();
        let errors = survey.check().unwrap_err();
        let explained: Vec<(String, &'static str)> = errors
            .iter()
            .filter(|e| {
                e.pointer.contains("/rows")
                    || e.pointer.contains("/items")
                    || e.pointer.contains("_item")
                    || e.pointer.contains("/row")
                    || e.pointer.contains("max_ranked")
                    || e.pointer.contains("exclusive")
            })
            .map(|e| (e.pointer.clone(), explain(e, &survey).map_or("none", |m| m.id)))
            .collect();
        for expected in [
            ("#/questions/3/rows", "prob-d-row-count"),
            ("#/questions/3/options/1/exclusive", "prob-d-grid-exclusive"),
            ("#/questions/5/items", "prob-d-item-count"),
            ("#/questions/5/max_ranked", "prob-d-max-ranked"),
            ("#/questions/6/show_if/row", "prob-d-show-if-need-row"),
            ("#/questions/7/show_if/row", "prob-d-show-if-no-row"),
            ("#/questions/8/show_if/row", "prob-d-show-if-not-grid"),
            ("#/crosstabs/0/rows_item", "prob-d-crosstab-need-item"),
            ("#/crosstabs/1/rows_item", "prob-d-crosstab-no-item"),
            ("#/crosstabs/2/rows_item", "prob-d-crosstab-no-items"),
        ] {
            assert!(
                explained.iter().any(|(p, id)| p == expected.0 && *id == expected.1),
                "{expected:?} not in {explained:?}"
            );
        }
        for error in &errors {
            let parts = describe(&error.pointer, &survey);
            assert!(parts.iter().all(|m| m.id != "prob-raw"), "{} is not put in words", error.pointer);
        }
    }

    #[test]
    fn every_problem_the_check_finds_is_explained_in_the_staff_language() {
        let survey = survey();
        let mut cases = vec![survey.clone()];
        let mut empty = survey.clone();
        empty.languages.clear();
        empty.questions.clear();
        empty.intro = nansen_shared::Localized::from([("de", "Hallo")]);
        cases.push(empty);
        let mut twice = survey.clone();
        twice.languages.push(twice.languages[0].clone());
        twice.questions[2].id = nansen_shared::QuestionId::parse("status").unwrap();
        twice.questions[2].kind = nansen_shared::QuestionKind::Scale {
            min: 5,
            max: 1,
            min_label: nansen_shared::Localized::default(),
            max_label: nansen_shared::Localized::default(),
        };
        cases.push(twice);
        cases.push(with_grid_and_ranking_problems());
        let mut seen = std::collections::BTreeSet::new();
        for case in &cases {
            for error in case.check().unwrap_err() {
                let explained = explain(&error, case);
                assert!(explained.is_some(), "{} ({}) is not explained", error.pointer, error.code);
                seen.insert(error.code);
            }
        }
        for code in [
            "missing_translation",
            "undeclared_language",
            "min_cell_too_small",
            "no_questions",
            "no_languages",
            "duplicate_language",
            "duplicate_question",
            "bad_crosstab",
            "bad_release_schedule",
            "bad_privacy_budget",
            "bins_gap",
            "bad_show_if",
            "bad_scale",
            "part_count",
            "bad_option",
            "bad_max_ranked",
        ] {
            assert!(seen.contains(code), "{code} not met: {seen:?}");
        }
        let gap = FieldError {
            pointer: "#/questions/1/bins".into(),
            code: "bins_gap".into(),
            detail: String::new(),
        };
        let gap = explain(&gap, &survey).unwrap();
        assert_eq!((gap.id, gap.get("min"), gap.get("max")), ("prob-d-bins-gap", Some("16"), Some("100")));
        let answer = FieldError {
            pointer: "#/questions/1/show_if/any_of/1".into(),
            code: "bad_show_if".into(),
            detail: String::new(),
        };
        let answer = explain(&answer, &survey).unwrap();
        assert_eq!((answer.get("code"), answer.get("id")), (Some("maybe"), Some("status")));
        let unknown =
            FieldError { pointer: "#/title".into(), code: "something_new".into(), detail: "x".into() };
        assert_eq!(explain(&unknown, &survey), None);
    }

    #[test]
    fn unknown_places_are_given_as_they_are() {
        for pointer in ["#/questions/9/id", "#/questions/0/options/7/label/en", "#/nonsense", "#/crosstabs/x"]
        {
            assert_eq!(parts(pointer), [format!("prob-raw(pointer={pointer})")]);
        }
    }

    #[test]
    fn the_panel_says_where_the_survey_stands_when_nothing_is_wrong() {
        let standing = |status, version, changes| Standing { status, version, changes, unsaved: false };
        assert_eq!(no_problems(standing(SurveyStatus::Draft, None, true)).id, "prob-none-draft");
        let open = no_problems(standing(SurveyStatus::Open, Some(2), false));
        assert_eq!((open.id, open.get("version")), ("prob-none-open", Some("2")));
        let changed = no_problems(standing(SurveyStatus::Open, Some(2), true));
        assert_eq!((changed.id, changed.get("next")), ("prob-none-changes", Some("3")));
        assert_eq!(no_problems(standing(SurveyStatus::Closed, Some(1), false)).id, "prob-none-closed");
        assert_eq!(no_problems(standing(SurveyStatus::Closed, Some(1), true)).id, "prob-none-closed-changes");
    }
}
