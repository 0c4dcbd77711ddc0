//! One question on the form: a `fieldset` with its `legend`, and inputs by kind. The
//! rules of a multiple choice are kept as the person answers (no more boxes than
//! allowed, an option that goes alone clears the others), and said in words, politely,
//! when they change what is ticked.

use std::collections::BTreeMap;

use nansen_shared::{Answer, Choice, Item, LanguageTag, Localized, Question, QuestionKind};
use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::SurveyRef;
use crate::countries;
use crate::i18n::Texts;

#[derive(Debug, Properties, PartialEq, Clone)]
pub struct QuestionProps {
    pub survey: SurveyRef,
    pub index: usize,
    /// Its place among the questions shown now, and how many those are.
    pub number: usize,
    pub total: usize,
    pub lang: LanguageTag,
    pub i18n: Texts,
    pub answer: Option<Answer>,
    pub error: Option<AttrValue>,
    /// `(question id, new answer)`; `None` clears the answer.
    pub on_change: Callback<(String, Option<Answer>)>,
}

impl QuestionProps {
    fn question(&self) -> &Question {
        &self.survey.0.questions[self.index]
    }

    fn text(&self, localized: &Localized) -> String {
        let fallback = self.survey.0.default_language().unwrap_or(&self.lang);
        localized.get(&self.lang, fallback).to_owned()
    }

    fn emit(&self, answer: Option<Answer>) {
        self.on_change.emit((self.question().id.to_string(), answer));
    }

    /// How each field of the question is marked: `aria-invalid`, and described by the
    /// error (and, for a number, by its range).
    fn field(&self, also: Option<&str>) -> Field {
        // Plain pushes, not iterator adapters: each adapter is more code to download.
        let mut described = also.unwrap_or_default().to_owned();
        if self.error.is_some() {
            if !described.is_empty() {
                described.push(' ');
            }
            described.push_str(&format!("q-{}-error", self.question().id));
        }
        Field {
            invalid: self.error.is_some().then_some("true"),
            described: (!described.is_empty()).then(|| AttrValue::from(described)),
        }
    }
}

/// The attributes every field of a question carries.
struct Field {
    invalid: Option<&'static str>,
    described: Option<AttrValue>,
}

#[function_component(QuestionView)]
pub fn question_view(props: &QuestionProps) -> Html {
    let question = props.question();
    let id = question.id.as_str();
    let i18n = &props.i18n;
    // What the question last said about a change it made to the answer (polite).
    let said = use_state(|| None::<String>);
    let mut hints: Vec<(String, String)> = Vec::new();
    if let QuestionKind::Multi { options, max_choices } = &question.kind {
        if let Some(max) = max_choices {
            hints.push((format!("q-{id}-limit"), i18n.count("max-choices", *max as usize)));
        }
        let alone: Vec<String> = options
            .iter()
            .filter(|o| o.exclusive)
            .map(|o| i18n.fill("exclusive-rule", &[("option", &props.text(&o.label))]))
            .collect();
        if !alone.is_empty() {
            hints.push((format!("q-{id}-alone"), alone.join(" ")));
        }
    }
    let help_id = format!("q-{id}-help");
    // The group is described by its help and its rules; each field by the error.
    let mut described_by = if question.help.is_empty() { String::new() } else { help_id.clone() };
    for (hint, _) in &hints {
        if !described_by.is_empty() {
            described_by.push(' ');
        }
        described_by.push_str(hint);
    }
    let input = match &question.kind {
        QuestionKind::Single { options } => single_choice(props, options),
        QuestionKind::Multi { options, max_choices } => multi_choice(props, options, *max_choices, &said),
        QuestionKind::Scale { .. } => scale_choice(props),
        QuestionKind::Number { .. } => number_input(props),
        QuestionKind::Country { .. } => html! { <CountrySelect props={props.clone()} /> },
        QuestionKind::Grid { rows, options } => grid(props, rows, options),
        QuestionKind::Ranking { items, .. } => ranking(props, items),
    };

    html! {
        <fieldset
            id={format!("q-{id}")}
            class={classes!("question", props.error.is_some().then_some("invalid"))}
            aria-describedby={(!described_by.is_empty()).then_some(described_by)}
        >
            <legend id={format!("q-{id}-legend")}>
                <span class="number">
                    { i18n.fill("question-number", &[("number", &props.number.to_string()), ("total", &props.total.to_string())]) }
                </span>
                { " " }
                { props.text(&question.prompt) }
                if question.required {
                    <span class="required">{ format!(" ({})", i18n.t("required")) }</span>
                }
            </legend>
            if !question.help.is_empty() {
                <p class="help" id={help_id}>{ props.text(&question.help) }</p>
            }
            { for hints.into_iter().map(|(id, hint)| html! { <p class="help" {id}>{ hint }</p> }) }
            { input }
            if let Some(error) = &props.error {
                <p class="error" id={format!("q-{id}-error")}>{ error.clone() }</p>
            }
        </fieldset>
    }
}

// The inputs of each kind are plain view functions rather than components: they hold
// no state of their own, and every component costs download size.

fn single_choice(props: &QuestionProps, options: &[Choice]) -> Html {
    let chosen = match &props.answer {
        Some(Answer::Code(code)) => Some(code.as_str()),
        _ => None,
    };
    let field = props.field(None);
    html! {
        <div class="choices">
            { for options.iter().map(|option| {
                let code = option.code.to_string();
                let onchange = {
                    let props = props.clone();
                    let code = code.clone();
                    Callback::from(move |_: Event| props.emit(Some(Answer::Code(code.clone()))))
                };
                html! {
                    <label class="choice">
                        <input type="radio" name={props.question().id.to_string()} value={code.clone()}
                            checked={chosen == Some(code.as_str())} {onchange}
                            aria-invalid={field.invalid} aria-describedby={field.described.clone()} />
                        <span>{ props.text(&option.label) }</span>
                    </label>
                }
            }) }
        </div>
    }
}

/// Checkboxes that keep the question's rules as they are ticked: once as many are
/// ticked as allowed, the others are unavailable, and a line under them says why; an
/// option that goes alone unticks the others when ticked, and is unticked when another
/// is; each change is said in that line, which a screen reader reads out politely.
fn multi_choice(
    props: &QuestionProps,
    options: &[Choice],
    max_choices: Option<u32>,
    said: &UseStateHandle<Option<String>>,
) -> Html {
    let chosen: Vec<String> = match &props.answer {
        Some(Answer::Codes(codes)) => codes.clone(),
        _ => Vec::new(),
    };
    let full = max_choices.is_some_and(|max| chosen.len() >= max as usize);
    let field = props.field(None);
    let has_rules = max_choices.is_some() || options.iter().any(|o| o.exclusive);
    let status = (**said).clone().or_else(|| full.then(|| props.i18n.t("choices-full")));
    html! {
        <>
        <div class="choices">
            { for options.iter().map(|option| {
                let code = option.code.to_string();
                let checked = chosen.contains(&code);
                // At the limit, only what is ticked can change (and an option that goes
                // alone, which would replace the others).
                let disabled = full && !checked && !option.exclusive;
                let onchange = {
                    let props = props.clone();
                    let (chosen, code, said) = (chosen.clone(), code.clone(), said.clone());
                    Callback::from(move |event: Event| {
                        let Some(next) = tick(&props, &chosen, &code, !checked, &said) else {
                            // Refused: the box the browser ticked is unticked again.
                            event.target_unchecked_into::<HtmlInputElement>().set_checked(false);
                            return;
                        };
                        props.emit((!next.is_empty()).then_some(Answer::Codes(next)));
                    })
                };
                html! {
                    <label class={classes!("choice", disabled.then_some("unavailable"))}>
                        <input type="checkbox" name={props.question().id.to_string()} value={code.clone()}
                            {checked} {disabled} {onchange}
                            aria-invalid={field.invalid} aria-describedby={field.described.clone()} />
                        <span>{ props.text(&option.label) }</span>
                    </label>
                }
            }) }
        </div>
        if has_rules {
            <p class="status" id={format!("q-{}-status", props.question().id)} aria-live="polite">
                { status.unwrap_or_default() }
            </p>
        }
        </>
    }
}

/// The codes chosen once `code` is ticked (`on`) or unticked, keeping the question's
/// rules, and what to say about it; `None` if the tick is refused (one more than
/// allowed).
fn tick(
    props: &QuestionProps,
    chosen: &[String],
    code: &str,
    on: bool,
    said: &UseStateHandle<Option<String>>,
) -> Option<Vec<String>> {
    let QuestionKind::Multi { options, max_choices } = &props.question().kind else {
        return None;
    };
    let option = |code: &str| options.iter().find(|o| o.code.as_str() == code);
    let label = |code: &str| option(code).map_or_else(|| code.to_owned(), |o| props.text(&o.label));
    let alone = |code: &str| option(code).is_some_and(|o| o.exclusive);
    let mut next: Vec<String> = chosen.iter().filter(|c| *c != code).cloned().collect();
    let mut words = None;
    if on && alone(code) {
        if !next.is_empty() {
            words = Some(props.i18n.fill("exclusive-cleared", &[("option", &label(code))]));
        }
        next.clear();
    } else if on {
        if let Some(other) = next.iter().find(|c| alone(c)).cloned() {
            words = Some(props.i18n.fill("exclusive-unticked", &[("option", &label(&other))]));
            next.retain(|c| !alone(c));
        }
        if max_choices.is_some_and(|max| next.len() >= max as usize) {
            said.set(Some(props.i18n.t("choices-full")));
            return None;
        }
    }
    if on {
        next.push(code.to_owned());
    }
    said.set(words);
    Some(next)
}

fn scale_choice(props: &QuestionProps) -> Html {
    let QuestionKind::Scale { min, max, min_label, max_label } = &props.question().kind else {
        return html! {};
    };
    let chosen = match &props.answer {
        Some(Answer::Number(n)) => Some(*n),
        _ => None,
    };
    let field = props.field(None);
    html! {
        <div class="scale">
            if !min_label.is_empty() {
                <span class="scale-end">
                    { props.i18n.fill("scale-end", &[("value", &min.to_string()), ("label", &props.text(min_label))]) }
                </span>
            }
            <div class="scale-points">
                { for (*min..=*max).map(|value| {
                    let onchange = {
                        let props = props.clone();
                        Callback::from(move |_: Event| props.emit(Some(Answer::Number(value))))
                    };
                    html! {
                        <label class="point">
                            <input type="radio" name={props.question().id.to_string()} value={value.to_string()}
                                checked={chosen == Some(value)} {onchange}
                                aria-invalid={field.invalid} aria-describedby={field.described.clone()} />
                            <span>{ value }</span>
                        </label>
                    }
                }) }
            </div>
            if !max_label.is_empty() {
                <span class="scale-end">
                    { props.i18n.fill("scale-end", &[("value", &max.to_string()), ("label", &props.text(max_label))]) }
                </span>
            }
        </div>
    }
}

/// A number is typed: the number itself is sent (the server counts its bin). Named by
/// the question, described by its range and unit ("From 16 to 100 years."), which is
/// said above it; the unit stands beside it. What is not a whole number is kept as
/// typed, so that the shared validation says what is wrong.
fn number_input(props: &QuestionProps) -> Html {
    let question = props.question();
    let QuestionKind::Number { min, max, unit, .. } = &question.kind else {
        return html! {};
    };
    let id = question.id.as_str();
    let unit = props.text(unit);
    let (low, high) = (min.to_string(), max.to_string());
    let range = if unit.is_empty() {
        props.i18n.fill("number-range", &[("min", &low), ("max", &high)])
    } else {
        props.i18n.fill("number-range-unit", &[("min", &low), ("max", &high), ("label", &unit)])
    };
    let range_id = format!("q-{id}-range");
    let field = props.field(Some(&range_id));
    let value = match &props.answer {
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::Other(serde_json::Value::String(typed))) => typed.clone(),
        _ => String::new(),
    };
    let onchange = {
        let props = props.clone();
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let typed = input.value().trim().to_owned();
            let typed_wrong = || Some(Answer::Other(serde_json::Value::String(typed.clone())));
            let answer = match typed.parse::<i64>() {
                Ok(n) => Some(Answer::Number(n)),
                // The browser shows what it cannot read as a number, but gives it as "".
                Err(_) if typed.is_empty() && !bad_input(&input) => None,
                Err(_) => typed_wrong(),
            };
            props.emit(answer);
        })
    };
    html! {
        <>
        <p class="help" id={range_id}>{ range }</p>
        <div class="number-field">
            <input type="number" class="number" id={format!("q-{id}-input")} name={id.to_owned()}
                inputmode={(*min >= 0).then_some("numeric")} min={low} max={high} step="1"
                autocomplete="off" {value} {onchange}
                aria-labelledby={format!("q-{id}-legend")}
                aria-invalid={field.invalid} aria-describedby={field.described} />
            if !unit.is_empty() {
                <span class="unit" aria-hidden="true">{ unit }</span>
            }
        </div>
        </>
    }
}

/// A grid: a table of radio buttons, a row per row of the grid and a column per option,
/// with "no answer" last to take a row's answer back (unlike the plain form's, never
/// checked at first: the keyboard then enters a row at its first option). Each radio is named by its row's
/// and its column's headers, and the arrow keys move within a row, as in any radio
/// group.
fn grid(props: &QuestionProps, rows: &[Item], options: &[Choice]) -> Html {
    let id = props.question().id.to_string();
    let chosen: BTreeMap<String, String> = match &props.answer {
        Some(Answer::Rows(rows)) => rows.clone(),
        _ => BTreeMap::new(),
    };
    let field = props.field(None);
    // (header id, option code or "" for no answer, label)
    let mut columns: Vec<(String, String, String)> = options
        .iter()
        .map(|o| (format!("q-{id}-o-{}", o.code), o.code.to_string(), props.text(&o.label)))
        .collect();
    columns.push((format!("q-{id}-o-"), String::new(), props.i18n.t("no-answer")));
    html! {
        <div class="grid-scroll">
            <table class="grid">
                <thead>
                    <tr>
                        <td></td>
                        { for columns.iter().map(|(header, _, label)| html! {
                            <th scope="col" id={header.clone()}>{ label.clone() }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| {
                        let row_code = row.code.to_string();
                        let row_header = format!("q-{id}-r-{row_code}");
                        let current = chosen.get(&row_code).cloned().unwrap_or_default();
                        html! {
                            <tr>
                                <th scope="row" id={row_header.clone()}>{ props.text(&row.label) }</th>
                                { for columns.iter().map(|(header, code, _)| {
                                    let onchange = {
                                        let (props, chosen, row_code, code) =
                                            (props.clone(), chosen.clone(), row_code.clone(), code.clone());
                                        Callback::from(move |_: Event| {
                                            let mut next = chosen.clone();
                                            if code.is_empty() {
                                                next.remove(&row_code);
                                            } else {
                                                next.insert(row_code.clone(), code.clone());
                                            }
                                            props.emit((!next.is_empty()).then_some(Answer::Rows(next)));
                                        })
                                    };
                                    html! {
                                        <td>
                                            <input type="radio" name={format!("{id}.{row_code}")} value={code.clone()}
                                                checked={!code.is_empty() && current == *code} {onchange}
                                                aria-labelledby={format!("{row_header} {header}")}
                                                aria-invalid={field.invalid} aria-describedby={field.described.clone()} />
                                        </td>
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A ranking: a list per place, each offering every item. A place opens once the one
/// before it is filled, so there are no gaps; emptying a place moves the later ones up.
/// An item chosen at two places is kept as chosen, and the shared validation says so,
/// as the plain form does: someone stepping through a list with the arrow keys passes
/// over items already ranked, and nothing moves under them.
fn ranking(props: &QuestionProps, items: &[Item]) -> Html {
    let id = props.question().id.to_string();
    let ranked: Vec<String> = match &props.answer {
        Some(Answer::Codes(codes)) => codes.clone(),
        _ => Vec::new(),
    };
    let field = props.field(None);
    html! {
        <div class="ranking">
            { for (1..=props.question().places()).map(|place| {
                let name = format!("{id}.{place}");
                let current = ranked.get(place - 1).cloned().unwrap_or_default();
                let onchange = {
                    let (props, ranked) = (props.clone(), ranked.clone());
                    Callback::from(move |event: Event| {
                        let code = event.target_unchecked_into::<HtmlSelectElement>().value();
                        let mut next = ranked.clone();
                        match (code.is_empty(), place <= next.len()) {
                            (true, true) => drop(next.remove(place - 1)),
                            (false, true) => next[place - 1] = code,
                            (false, false) => next.push(code),
                            (true, false) => {}
                        }
                        props.emit((!next.is_empty()).then_some(Answer::Codes(next)));
                    })
                };
                html! {
                    <div class="rank-place">
                        <label for={name.clone()}>{ props.i18n.fill("rank-place", &[("place", &place.to_string())]) }</label>
                        <select id={name.clone()} name={name} {onchange} disabled={place > ranked.len() + 1}
                            aria-invalid={field.invalid} aria-describedby={field.described.clone()}>
                            <option value="" selected={current.is_empty()}>{ props.i18n.t("choose-item") }</option>
                            { for items.iter().map(|item| html! {
                                <option value={item.code.to_string()} selected={current == item.code.as_str()}>
                                    { props.text(&item.label) }
                                </option>
                            }) }
                        </select>
                    </div>
                }
            }) }
        </div>
    }
}

/// Whether the browser holds text in a number field that it cannot read as a number
/// (`validity.badInput`, read without another `web-sys` feature).
fn bad_input(input: &HtmlInputElement) -> bool {
    js_sys::Reflect::get(input, &JsValue::from_str("validity"))
        .and_then(|validity| js_sys::Reflect::get(&validity, &JsValue::from_str("badInput")))
        .is_ok_and(|bad| bad.as_bool() == Some(true))
}

#[derive(Properties, PartialEq)]
struct CountryProps {
    props: QuestionProps,
}

/// A component of its own, to remember the sorted country names between renders.
#[function_component(CountrySelect)]
fn country_select(CountryProps { props }: &CountryProps) -> Html {
    let QuestionKind::Country { allowed } = &props.question().kind else {
        return html! {};
    };
    let named = use_memo((props.i18n.clone(), allowed.clone()), |(texts, allowed)| {
        let codes: Option<Vec<&str>> = allowed.as_ref().map(|a| a.iter().map(|c| c.as_str()).collect());
        countries::named(codes.as_deref(), &texts.0.countries, texts.lang())
    });
    let chosen = match &props.answer {
        Some(Answer::Code(code)) => code.clone(),
        _ => String::new(),
    };
    let onchange = {
        let props = props.clone();
        Callback::from(move |event: Event| {
            let code = event.target_unchecked_into::<HtmlSelectElement>().value();
            props.emit((!code.is_empty()).then_some(Answer::Code(code)));
        })
    };
    let field = props.field(None);
    html! {
        <select class="country" name={props.question().id.to_string()} {onchange}
            aria-labelledby={format!("q-{}-legend", props.question().id)}
            aria-invalid={field.invalid} aria-describedby={field.described}>
            <option value="" selected={chosen.is_empty()}>{ props.i18n.t("choose-country") }</option>
            { for named.iter().map(|(code, name)| html! {
                <option value={code.clone()} selected={*code == chosen}>{ name.clone() }</option>
            }) }
        </select>
    }
}
