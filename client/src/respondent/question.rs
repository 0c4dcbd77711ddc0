//! One question on the form: a `fieldset` with its `legend`, and inputs by kind.

use nansen_shared::{Answer, Choice, LanguageTag, Localized, Question, QuestionKind};
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
}

#[function_component(QuestionView)]
pub fn question_view(props: &QuestionProps) -> Html {
    let question = props.question();
    let id = question.id.as_str();
    let error_id = format!("q-{id}-error");
    let help_id = format!("q-{id}-help");
    let hint = match &question.kind {
        QuestionKind::Multi { max_choices: Some(max), .. } => {
            Some(props.i18n.count("max-choices", *max as usize))
        }
        _ => None,
    };
    let hint_id = format!("q-{id}-hint");
    let described_by = [
        (!question.help.is_empty()).then(|| help_id.clone()),
        hint.is_some().then(|| hint_id.clone()),
        props.error.is_some().then(|| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let input = match &question.kind {
        QuestionKind::Single { options } => single_choice(props, options),
        QuestionKind::Multi { options, .. } => multi_choice(props, options),
        QuestionKind::Scale { .. } => scale_choice(props),
        QuestionKind::Number { .. } => number_input(props),
        QuestionKind::Country { .. } => html! { <CountrySelect props={props.clone()} /> },
    };

    html! {
        <fieldset
            id={format!("q-{id}")}
            class={classes!("question", props.error.is_some().then_some("invalid"))}
            aria-describedby={(!described_by.is_empty()).then_some(described_by)}
        >
            <legend>
                <span class="number">
                    { props.i18n.fill("question-number", &[("number", &props.number.to_string()), ("total", &props.total.to_string())]) }
                </span>
                { " " }
                { props.text(&question.prompt) }
                if question.required {
                    <span class="required">{ format!(" ({})", props.i18n.t("required")) }</span>
                }
            </legend>
            if !question.help.is_empty() {
                <p class="help" id={help_id}>{ props.text(&question.help) }</p>
            }
            if let Some(hint) = hint {
                <p class="help" id={hint_id}>{ hint }</p>
            }
            { input }
            if let Some(error) = &props.error {
                <p class="error" id={error_id}>{ error.clone() }</p>
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
                            checked={chosen == Some(code.as_str())} {onchange} />
                        <span>{ props.text(&option.label) }</span>
                    </label>
                }
            }) }
        </div>
    }
}

fn multi_choice(props: &QuestionProps, options: &[Choice]) -> Html {
    let chosen: Vec<String> = match &props.answer {
        Some(Answer::Codes(codes)) => codes.clone(),
        _ => Vec::new(),
    };
    html! {
        <div class="choices">
            { for options.iter().map(|option| {
                let code = option.code.to_string();
                let checked = chosen.contains(&code);
                let onchange = {
                    let props = props.clone();
                    let chosen = chosen.clone();
                    let code = code.clone();
                    Callback::from(move |_: Event| {
                        let mut next: Vec<String> = chosen.iter().filter(|c| **c != code).cloned().collect();
                        if !checked {
                            next.push(code.clone());
                        }
                        props.emit((!next.is_empty()).then_some(Answer::Codes(next)));
                    })
                };
                html! {
                    <label class="choice">
                        <input type="checkbox" name={props.question().id.to_string()} value={code.clone()}
                            {checked} {onchange} />
                        <span>{ props.text(&option.label) }</span>
                    </label>
                }
            }) }
        </div>
    }
}

fn scale_choice(props: &QuestionProps) -> Html {
    let QuestionKind::Scale { min, max, min_label, max_label } = &props.question().kind else {
        return html! {};
    };
    let chosen = match &props.answer {
        Some(Answer::Number(n)) => Some(*n),
        _ => None,
    };
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
                                checked={chosen == Some(value)} {onchange} />
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

fn number_input(props: &QuestionProps) -> Html {
    let QuestionKind::Number { min, max, .. } = &props.question().kind else {
        return html! {};
    };
    let value = match &props.answer {
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::Other(serde_json::Value::String(raw))) => raw.clone(),
        _ => String::new(),
    };
    let oninput = {
        let props = props.clone();
        Callback::from(move |event: InputEvent| {
            let raw = event.target_unchecked_into::<HtmlInputElement>().value();
            let raw = raw.trim();
            // Kept as typed when it is not a whole number, so validation can say so.
            props.emit(match raw.parse::<i64>() {
                _ if raw.is_empty() => None,
                Ok(n) => Some(Answer::Number(n)),
                Err(_) => Some(Answer::Other(serde_json::Value::String(raw.to_owned()))),
            })
        })
    };
    html! {
        <input type="number" inputmode="numeric" class="number" name={props.question().id.to_string()}
            min={min.to_string()} max={max.to_string()} step="1" {value} {oninput}
            aria-invalid={props.error.is_some().then_some("true")} />
    }
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
    html! {
        <select class="country" name={props.question().id.to_string()} {onchange}
            aria-invalid={props.error.is_some().then_some("true")}>
            <option value="" selected={chosen.is_empty()}>{ props.i18n.t("choose-country") }</option>
            { for named.iter().map(|(code, name)| html! {
                <option value={code.clone()} selected={*code == chosen}>{ name.clone() }</option>
            }) }
        </select>
    }
}
