//! One question on the form: a `fieldset` with its `legend`, and inputs by kind.

use nansen_shared::answer::form_value;
use nansen_shared::{Answer, Choice, LanguageTag, Localized, Question, QuestionKind};
use web_sys::HtmlSelectElement;
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
            <legend id={format!("q-{id}-legend")}>
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

/// A number is answered by choosing its range (its bin), as in the server's plain form:
/// only the bin is ever counted, so the exact number never leaves the device. The
/// answer is the bin's lowest number, which counts the same as any other in it.
fn number_input(props: &QuestionProps) -> Html {
    let question = props.question();
    let QuestionKind::Number { bins, .. } = &question.kind else {
        return html! {};
    };
    let chosen = match &props.answer {
        Some(Answer::Number(n)) => bins.iter().position(|b| (b.min..=b.max).contains(n)),
        _ => None,
    };
    let onchange = {
        let props = props.clone();
        let lows: Vec<i64> = bins.iter().map(|b| b.min).collect();
        Callback::from(move |event: Event| {
            let index = event.target_unchecked_into::<HtmlSelectElement>().selected_index();
            // The first entry is "no answer".
            let bin = usize::try_from(index - 1).ok().and_then(|i| lows.get(i));
            props.emit(bin.map(|low| Answer::Number(*low)))
        })
    };
    let fallback = props.survey.0.default_language().unwrap_or(&props.lang);
    html! {
        <select class="range" name={question.id.to_string()} {onchange}
            aria-labelledby={format!("q-{}-legend", question.id)}
            aria-invalid={props.error.is_some().then_some("true")}>
            <option value={form_value(question, "")} selected={chosen.is_none()}>{ props.i18n.t("choose-range") }</option>
            { for bins.iter().enumerate().map(|(i, bin)| html! {
                <option value={form_value(question, bin.code.as_str())} selected={chosen == Some(i)}>
                    { question.answer_label(bin.code.as_str(), &props.lang, fallback).unwrap_or_default() }
                </option>
            }) }
        </select>
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
            aria-labelledby={format!("q-{}-legend", props.question().id)}
            aria-invalid={props.error.is_some().then_some("true")}>
            <option value="" selected={chosen.is_empty()}>{ props.i18n.t("choose-country") }</option>
            { for named.iter().map(|(code, name)| html! {
                <option value={code.clone()} selected={*code == chosen}>{ name.clone() }</option>
            }) }
        </select>
    }
}
