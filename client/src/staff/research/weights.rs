//! Weighting a release to a target population (post-stratification). The researcher
//! picks a question that labels the rows of a declared cross-tabulation, enters the
//! population's share of each of its answers (percentages adding up to 100), and the
//! server works out the shares of every question tabulated against it
//! (`?weight_by=…&weights=…`, with the same `nansen_shared::estimates` the files use);
//! they are shown beside the unweighted ones, with the weights used, and the downloads
//! carry the same weights.
//!
//! Nothing else can be weighted: Nansen keeps no answers per respondent, only the tables
//! declared before answers arrived, so weights reach a question only through a declared
//! cross-tabulation. The panel says so.

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{QuestionResults, SurveyResults, Weighted, WeightedQuestion};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::figures::{parse_percent, points, share_text, target_percent};
use super::labels::Labels;
use crate::staff::i18n::{Msg, t, tf};

/// How far from 100 the percentages may add up to (rounding in what was typed); they
/// are then scaled to add up to exactly 100.
const TOLERANCE: f64 = 0.05;

/// Weights asked for, as they stand.
#[derive(Debug, Clone, PartialEq)]
pub enum Weighting {
    Off,
    Applying,
    /// The server's post-stratified shares for release `release`, with the weights used.
    Applied {
        release: u32,
        weighted: Rc<Weighted>,
    },
    /// The server refused, and said why.
    Failed(String),
}

impl Weighting {
    /// The weights in force for release `release`, if any.
    pub fn of(&self, release: Option<u32>) -> Option<&Weighted> {
        match self {
            Self::Applied { release: applied, weighted } if Some(*applied) == release => Some(weighted),
            _ => None,
        }
    }
}

/// The questions that can be weighted by: those labelling the rows of a declared
/// cross-tabulation, in the order they are declared.
pub fn candidates(results: &SurveyResults) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for table in &results.crosstabs {
        if !found.contains(&table.rows.as_str()) {
            found.push(table.rows.as_str());
        }
    }
    found
}

/// The answers of `by`, in the release's order (or, failing that, its tables').
fn answers<'a>(results: &'a SurveyResults, by: &str) -> Vec<&'a str> {
    if let Some(question) = results.question(by) {
        return question.counts.iter().map(|c| c.option.as_str()).collect();
    }
    let mut found: Vec<&str> = Vec::new();
    for cell in results.crosstabs.iter().filter(|t| t.rows.as_str() == by).flat_map(|t| &t.cells) {
        if !found.contains(&cell.row.as_str()) {
            found.push(cell.row.as_str());
        }
    }
    found
}

/// What the form holds, checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Ready to send: each answer given weight, with its share (from 0 to 1; together 1).
    Ready(Vec<(String, f64)>),
    /// Nothing entered.
    Empty,
    /// `text`, entered for `code`, is not a number.
    Unreadable { code: String, text: String },
    /// The percentage for `code` is below 0 or above 100.
    OutOfRange { code: String },
    /// The percentages add up to `total`, not 100.
    Off { total: f64 },
}

/// Checks the percentages entered, `(code, text)` for each answer. Empty fields and
/// zeros give no weight.
pub fn check(entries: &[(String, String)]) -> Check {
    let mut given = Vec::new();
    for (code, text) in entries {
        match parse_percent(text) {
            None => return Check::Unreadable { code: code.clone(), text: text.trim().to_owned() },
            Some(None) => {}
            Some(Some(value)) if !(0.0..=100.0).contains(&value) => {
                return Check::OutOfRange { code: code.clone() };
            }
            Some(Some(value)) => given.push((code.clone(), value)),
        }
    }
    let total: f64 = given.iter().map(|(_, v)| v).sum();
    if given.iter().all(|(_, v)| *v == 0.0) {
        return Check::Empty;
    }
    if (total - 100.0).abs() > TOLERANCE {
        return Check::Off { total };
    }
    Check::Ready(given.into_iter().filter(|(_, v)| *v > 0.0).map(|(code, v)| (code, v / total)).collect())
}

/// The running total under the fields: how far off 100 the readable entries are.
pub fn total_msg(entries: &[(String, String)]) -> Msg {
    let total: f64 = entries.iter().filter_map(|(_, text)| parse_percent(text).flatten()).sum();
    let off = (total - 100.0).abs();
    if off <= TOLERANCE {
        Msg::new("wt-total-ok")
    } else if total < 100.0 {
        Msg::new("wt-total-short").arg("total", points(total)).arg("off", points(off))
    } else {
        Msg::new("wt-total-over").arg("total", points(total)).arg("off", points(off))
    }
}

/// Why the form cannot be applied, in words (`label`: what an answer code means).
pub fn problem_msg(check: &Check, label: impl Fn(&str) -> String) -> Option<Msg> {
    match check {
        Check::Ready(_) => None,
        Check::Empty => Some(Msg::new("wt-empty")),
        Check::Unreadable { code, text } => {
            Some(Msg::new("wt-bad-number").arg("answer", label(code)).arg("text", text))
        }
        Check::OutOfRange { code } => Some(Msg::new("wt-out-of-range").arg("answer", label(code))),
        Check::Off { total } => Some(
            Msg::new("wt-must-add-up").arg("total", points(*total)).arg("off", points((total - 100.0).abs())),
        ),
    }
}

/// The weights used, as a reader checks them: "From 2023 25 %, Before February 2022 75 %".
pub fn shares_text(weighted: &Weighted, labels: &Labels) -> String {
    weighted
        .shares
        .iter()
        .map(|(code, share)| {
            format!("{} {}", labels.option(weighted.by.as_str(), code), target_percent(*share))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Properties, PartialEq)]
pub struct WeightPanelProps {
    pub results: Rc<SurveyResults>,
    pub labels: Labels,
    pub weighting: Weighting,
    /// Asks for weights: the question weighted by, and each answer's share (0 to 1).
    pub on_apply: Callback<(String, Vec<(String, f64)>)>,
    pub on_clear: Callback<()>,
}

/// The "Weight by" panel: why only some questions can be weighted, the form, and the
/// weights in force.
#[function_component(WeightPanel)]
pub fn weight_panel(props: &WeightPanelProps) -> Html {
    let chosen = use_state(|| None::<String>);
    // What was typed, by (question, answer), kept when another question is picked.
    let entries = use_state(BTreeMap::<(String, String), String>::new);
    let problem = use_state(|| None::<Msg>);
    let results = &props.results;
    let release = results.release.as_ref().map(|r| r.number);
    let applied = props.weighting.of(release);
    let candidates = candidates(results);
    let by = (*chosen)
        .clone()
        .filter(|c| candidates.contains(&c.as_str()))
        .or_else(|| applied.map(|w| w.by.to_string()))
        .or_else(|| candidates.first().map(|c| (*c).to_owned()));
    let labels = &props.labels;
    let why = html! { <p class="hint" id="weights-why">{ t("wt-why") }</p> };
    let Some(by) = by else {
        return html! {
            <section id="weights" class="weights" aria-labelledby="weights-heading">
                <h2 id="weights-heading">{ t("wt-heading") }</h2>
                { why }
                <p id="weights-none">{ t("wt-none") }</p>
            </section>
        };
    };
    let codes: Vec<String> = answers(results, &by).into_iter().map(str::to_owned).collect();
    let typed: Vec<(String, String)> = codes
        .iter()
        .map(|code| (code.clone(), entries.get(&(by.clone(), code.clone())).cloned().unwrap_or_default()))
        .collect();
    let total = total_msg(&typed);
    let on_choose = {
        let (chosen, problem) = (chosen.clone(), problem.clone());
        Callback::from(move |e: Event| {
            chosen.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value()));
            problem.set(None);
        })
    };
    let onsubmit = {
        let (problem, on_apply, by, typed) =
            (problem.clone(), props.on_apply.clone(), by.clone(), typed.clone());
        let labels = labels.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let checked = check(&typed);
            match problem_msg(&checked, |code| labels.option(&by, code)) {
                Some(message) => problem.set(Some(message)),
                None => {
                    problem.set(None);
                    if let Check::Ready(shares) = checked {
                        on_apply.emit((by.clone(), shares));
                    }
                }
            }
        })
    };
    let on_clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(()))
    };
    let sample = |code: &str| -> String {
        let count = results.question(&by).and_then(|q| q.counts.iter().find(|c| c.option == code));
        match count.and_then(|c| c.share) {
            Some(share) => tf("wt-sample", &[("share", &share_text(&share))]),
            None => t("wt-sample-withheld"),
        }
    };
    let applying = props.weighting == Weighting::Applying;
    let prompt = labels.question(&by);
    html! {
        <section id="weights" class="weights" aria-labelledby="weights-heading" data-by={by.clone()}>
            <h2 id="weights-heading">{ t("wt-heading") }</h2>
            { why }
            <form id="weights-form" novalidate=true {onsubmit}>
                if candidates.len() > 1 {
                    <div class="field">
                        <label for="weight-by">{ t("wt-by") }</label>
                        <select id="weight-by" name="weight-by" onchange={on_choose}>
                            { for candidates.iter().map(|c| html! {
                                <option value={(*c).to_owned()} selected={*c == by}>{ labels.question(c) }</option>
                            }) }
                        </select>
                    </div>
                }
                <fieldset class="weight-targets" aria-describedby="weights-total">
                    <legend>{ tf("wt-targets", &[("question", &prompt)]) }</legend>
                    <p class="hint">{ t("wt-targets-hint") }</p>
                    if labels.is_multi(&by) {
                        <p class="hint" id="weights-overlap">{ t("wt-overlap") }</p>
                    }
                    { for codes.iter().map(|code| {
                        let id = format!("weight-{by}-{code}");
                        let hint = format!("{id}-sample");
                        let key = (by.clone(), code.clone());
                        let value = entries.get(&key).cloned().unwrap_or_default();
                        let oninput = {
                            let entries = entries.clone();
                            Callback::from(move |e: InputEvent| {
                                let mut next = (*entries).clone();
                                next.insert(key.clone(), e.target_unchecked_into::<HtmlInputElement>().value());
                                entries.set(next);
                            })
                        };
                        html! {
                            <div class="weight-row" data-option={code.clone()}>
                                <label for={id.clone()}>{ labels.option(&by, code) }</label>
                                <span class="percent-input">
                                    <input type="text" inputmode="decimal" class="short" id={id.clone()}
                                        name={id.clone()} {value} {oninput} aria-describedby={hint.clone()} />
                                    <span aria-hidden="true">{ "%" }</span>
                                </span>
                                <span class="hint" id={hint}>{ sample(code) }</span>
                            </div>
                        }
                    }) }
                </fieldset>
                <p id="weights-total" class={classes!("weights-total", (total.id == "wt-total-ok").then_some("ok"))}
                    aria-live="polite">{ total.text() }</p>
                if let Some(message) = &*problem {
                    <p class="notice error" id="weights-problem" role="alert">{ message.text() }</p>
                }
                if let Weighting::Failed(detail) = &props.weighting {
                    <p class="notice error" id="weights-failed" role="alert">{ tf("wt-failed", &[("detail", detail)]) }</p>
                }
                <div class="row wrap">
                    <button type="submit" class="primary" id="weights-apply" disabled={applying}>
                        { if applying { t("wt-applying") } else { t("wt-apply") } }
                    </button>
                    if applied.is_some() {
                        <button type="button" id="weights-clear" onclick={on_clear}>{ t("wt-clear") }</button>
                    }
                </div>
            </form>
            if let Some(weighted) = applied {
                { applied_note(weighted, labels) }
            }
        </section>
    }
}

/// What is in force: the weights used, where their shares are shown, and that the
/// downloads carry them.
fn applied_note(weighted: &Weighted, labels: &Labels) -> Html {
    let by = labels.question(weighted.by.as_str());
    html! {
        <div class="weights-applied" id="weights-applied" role="status" data-by={weighted.by.to_string()}>
            <p>{ tf("wt-applied", &[("question", &by), ("shares", &shares_text(weighted, labels))]) }</p>
            <p>
                { t("wt-applied-where") }{ " " }
                { for weighted.questions.iter().enumerate().map(|(i, q)| html! {
                    <>
                        if i > 0 { { ", " } }
                        <a href={format!("#weighted-{}", q.id)}>{ labels.question(q.id.as_str()) }</a>
                    </>
                }) }
            </p>
            <p>{ t("wt-applied-downloads") }</p>
        </div>
    }
}

/// A question's post-stratified shares beside its unweighted ones, with the weights
/// used in the caption.
pub fn weighted_table(
    question: &QuestionResults,
    weighted_question: &WeightedQuestion,
    weighted: &Weighted,
    labels: &Labels,
) -> Html {
    let id = question.id.as_str();
    let caption = tf(
        "wt-caption",
        &[("question", &labels.question(weighted.by.as_str())), ("shares", &shares_text(weighted, labels))],
    );
    let unweighted = |code: &str| {
        question.counts.iter().find(|c| c.option == code).and_then(|c| c.share).as_ref().map(share_text)
    };
    let missing = weighted_question.options.iter().any(|(_, share)| share.is_none());
    html! {
        <div class="weighted" id={format!("weighted-{id}")} data-by={weighted.by.to_string()}>
            <div class="table-scroll" tabindex="0" role="region" aria-label={caption.clone()}>
                <table class="weighted-shares" data-question={id.to_owned()}>
                    <caption>{ caption }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t("res-answer") }</th>
                            <th scope="col" class="count">{ t("wt-unweighted") }</th>
                            <th scope="col" class="count">{ t("wt-weighted") }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for weighted_question.options.iter().map(|(code, share)| html! {
                            <tr data-option={code.clone()}>
                                <th scope="row">{ labels.option(id, code) }</th>
                                <td class="count unweighted">{ unweighted(code).unwrap_or_else(|| "—".to_owned()) }</td>
                                <td class={classes!("count", "weighted-share", share.is_none().then_some("suppressed"))}
                                    data-share={share.map(|s| s.value.to_string())}>
                                    { share.as_ref().map_or_else(|| t("wt-not-estimable"), share_text) }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if missing {
                <p class="hint">{ t("wt-not-estimable-hint") }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(c, t)| ((*c).to_owned(), (*t).to_owned())).collect()
    }

    #[test]
    fn percentages_adding_up_to_100_become_shares() {
        let ready = check(&entries(&[("from_2023", "25"), ("before_2022", "75"), ("feb_sep_2022", "")]));
        assert_eq!(ready, Check::Ready(vec![("from_2023".into(), 0.25), ("before_2022".into(), 0.75)]));
        // Thirds as typed, with a decimal comma, come to 100 within rounding: scaled to 1.
        let Check::Ready(thirds) = check(&entries(&[("a", "33,33"), ("b", "33.33"), ("c", "33.33 %")]))
        else {
            panic!("thirds are fine")
        };
        assert!((thirds.iter().map(|(_, s)| s).sum::<f64>() - 1.0).abs() < 1e-12);
        // A zero gives no weight, and is left out.
        assert_eq!(check(&entries(&[("a", "0"), ("b", "100")])), Check::Ready(vec![("b".into(), 1.0)]));
    }

    #[test]
    fn the_form_says_what_is_wrong() {
        assert_eq!(check(&entries(&[("a", ""), ("b", " ")])), Check::Empty);
        assert_eq!(check(&entries(&[("a", "0")])), Check::Empty);
        assert_eq!(
            check(&entries(&[("a", "half"), ("b", "50")])),
            Check::Unreadable { code: "a".into(), text: "half".into() }
        );
        assert_eq!(check(&entries(&[("a", "120"), ("b", "-20")])), Check::OutOfRange { code: "a".into() });
        assert_eq!(check(&entries(&[("a", "25"), ("b", "70")])), Check::Off { total: 95.0 });
        let label = |code: &str| code.to_uppercase();
        assert_eq!(
            problem_msg(&Check::Off { total: 95.0 }, label),
            Some(Msg::new("wt-must-add-up").arg("total", "95").arg("off", "5"))
        );
        assert_eq!(
            problem_msg(&Check::Unreadable { code: "a".into(), text: "half".into() }, label),
            Some(Msg::new("wt-bad-number").arg("answer", "A").arg("text", "half"))
        );
        assert_eq!(problem_msg(&Check::Ready(Vec::new()), label), None);
    }

    #[test]
    fn the_running_total_says_how_far_off_it_is() {
        assert_eq!(total_msg(&entries(&[("a", "25"), ("b", "75")])), Msg::new("wt-total-ok"));
        assert_eq!(
            total_msg(&entries(&[("a", "25"), ("b", "67.5")])),
            Msg::new("wt-total-short").arg("total", "92.5").arg("off", "7.5")
        );
        assert_eq!(
            total_msg(&entries(&[("a", "60"), ("b", "60"), ("c", "what")])),
            Msg::new("wt-total-over").arg("total", "120").arg("off", "20")
        );
        assert_eq!(total_msg(&[]), Msg::new("wt-total-short").arg("total", "0").arg("off", "100"));
    }

    #[test]
    fn only_the_rows_of_declared_tables_can_be_weighted_by() {
        let results: SurveyResults = serde_json::from_value(serde_json::json!({
            "slug": "w", "version": 1, "respondents": 10, "min_cell": 5,
            "questions": [{"id": "where", "answered": 10, "counts": [{"option": "a", "count": 5}, {"option": "b", "count": 5}]}],
            "crosstabs": [
                {"rows": "where", "columns": "back", "cells": [{"row": "b", "column": "yes", "count": 5}]},
                {"rows": "where", "columns": "age", "cells": []},
                {"rows": "born", "columns": "back", "cells": [{"row": "x", "column": "yes", "count": 5}]}]
        }))
        .unwrap();
        assert_eq!(candidates(&results), ["where", "born"]);
        assert_eq!(answers(&results, "where"), ["a", "b"], "the release's order");
        assert_eq!(answers(&results, "born"), ["x"], "else the tables'");
        let weighting = Weighting::Applied {
            release: 2,
            weighted: Rc::new(Weighted {
                by: nansen_shared::QuestionId::parse("where").unwrap(),
                shares: Vec::new(),
                questions: Vec::new(),
            }),
        };
        assert!(weighting.of(Some(2)).is_some());
        assert!(weighting.of(Some(1)).is_none(), "weights belong to the release they were applied to");
    }
}
