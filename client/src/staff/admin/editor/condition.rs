//! When a question is asked: always, or only when an earlier answer includes one of
//! the ticked codes (for a grid, in the chosen row; for a ranking, items ranked at all).

use std::rc::Rc;

use nansen_shared::{OptionCode, Question, QuestionId, QuestionKind, ShowIf, Survey};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::choices::parse_countries;
use super::fields::{Field, Form, field_id};
use super::model::Action;
use crate::staff::i18n::{t, tf};

pub fn condition(form: &Form, index: usize, question: &Question) -> Html {
    let at = format!("#/questions/{index}/show_if");
    let earlier = form.survey().questions.get(..index).unwrap_or_default();
    if earlier.is_empty() && question.show_if.is_none() {
        return html! { <p class="hint">{ t("cond-first") }</p> };
    }
    let source = question.show_if.as_ref().and_then(|c| earlier.iter().find(|q| q.id == c.question));
    html! {
        <fieldset class="condition" id={field_id(&at)}>
            <legend>{ t("cond-legend") }</legend>
            { source_select(form, index, earlier, question.show_if.as_ref()) }
            if let (Some(show_if), Some(source)) = (&question.show_if, source) {
                if let QuestionKind::Grid { .. } = source.kind {
                    { row_select(form, index, source, show_if.row.as_ref()) }
                }
                { answers(form, index, source, &show_if.any_of) }
            } else if let Some(show_if) = &question.show_if {
                <p class="error">{ tf("cond-not-earlier", &[("id", show_if.question.as_str())]) }</p>
            }
        </fieldset>
    }
}

fn first_text(survey: &Survey, question: &Question) -> String {
    let text = survey.languages.first().map_or("", |l| question.prompt.get(l, l));
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

fn source_select(form: &Form, index: usize, earlier: &[Question], current: Option<&ShowIf>) -> Html {
    let at = format!("#/questions/{index}/show_if/question");
    let id = field_id(&at);
    let dispatch = form.dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let chosen = QuestionId::parse(e.target_unchecked_into::<HtmlSelectElement>().value()).ok();
        let change = Rc::new(move |s: &mut Survey| {
            // A condition on a grid reads a row: the first, until another is chosen.
            let first_row = chosen.as_ref().and_then(|id| match &s.question(id.as_str())?.1.kind {
                QuestionKind::Grid { rows, .. } => rows.first().map(|r| r.code.clone()),
                _ => None,
            });
            if let Some(q) = s.questions.get_mut(index) {
                q.show_if = chosen.clone().map(|question| ShowIf {
                    question,
                    row: first_row.clone(),
                    any_of: Vec::new(),
                });
            }
        });
        // The answer boxes change with the question they belong to.
        dispatch.dispatch(Action::Restructure { change, focus: None });
    });
    let chosen = current.map(|c| c.question.as_str());
    html! {
        <div class="field">
            <label for={id.clone()}>{ t("cond-ask") }</label>
            <select {id} name={at.trim_start_matches('#').to_owned()} {onchange}>
                <option value="" selected={chosen.is_none()}>{ t("cond-always") }</option>
                { for earlier.iter().map(|q| html! {
                    <option value={q.id.to_string()} selected={chosen == Some(q.id.as_str())}>
                        { tf("cond-after", &[("id", q.id.as_str()), ("text", &first_text(form.survey(), q))]) }
                    </option>
                }) }
            </select>
        </div>
    }
}

/// Which row of grid `source` the condition of question `index` reads.
fn row_select(form: &Form, index: usize, source: &Question, current: Option<&OptionCode>) -> Html {
    let QuestionKind::Grid { rows, .. } = &source.kind else { return html! {} };
    let at = format!("#/questions/{index}/show_if/row");
    let id = field_id(&at);
    let dispatch = form.dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let row = OptionCode::parse(e.target_unchecked_into::<HtmlSelectElement>().value()).ok();
        let change = Rc::new(move |s: &mut Survey| {
            if let Some(show_if) = s.questions.get_mut(index).and_then(|q| q.show_if.as_mut()) {
                show_if.row = row.clone();
            }
        });
        dispatch.dispatch(Action::Restructure { change, focus: None });
    });
    let lang = form.survey().languages.first().cloned();
    html! {
        <div class="field">
            <label for={id.clone()}>{ tf("cond-row", &[("id", source.id.as_str())]) }</label>
            <select {id} {onchange}>
                { for rows.iter().map(|row| {
                    let label = lang.as_ref().map_or("", |l| row.label.get(l, l));
                    html! {
                        <option value={row.code.to_string()} selected={current == Some(&row.code)}>
                            { if label.is_empty() { row.code.to_string() } else { format!("{label} ({})", row.code) } }
                        </option>
                    }
                }) }
            </select>
        </div>
    }
}

/// The codes of `source` that can be ticked, with what a person reads for each: a
/// grid's options (in the chosen row), a ranking's items, any other kind's cells.
fn cells(survey: &Survey, source: &Question) -> Option<Vec<(String, String)>> {
    let lang = survey.languages.first()?;
    // A country list is too long to tick through: its codes are typed instead.
    if matches!(source.kind, QuestionKind::Country { .. }) {
        return None;
    }
    match &source.kind {
        QuestionKind::Grid { options, .. } => {
            return Some(
                options.iter().map(|o| (o.code.to_string(), o.label.get(lang, lang).to_owned())).collect(),
            );
        }
        QuestionKind::Ranking { items, .. } => {
            return Some(
                items.iter().map(|i| (i.code.to_string(), i.label.get(lang, lang).to_owned())).collect(),
            );
        }
        _ => {}
    }
    let cells = (0..source.cell_count()).filter_map(|i| source.cell_code(i));
    Some(
        cells
            .map(|code| (code.to_string(), source.answer_label(&code, lang, lang).unwrap_or_default()))
            .collect(),
    )
}

fn answers(form: &Form, index: usize, source: &Question, any_of: &[String]) -> Html {
    let at = format!("#/questions/{index}/show_if/any_of");
    let Some(cells) = cells(form.survey(), source).filter(|c| c.len() <= 100) else {
        return country_answers(form, index, any_of);
    };
    let args = [("id", source.id.as_str())];
    let legend = match source.kind {
        QuestionKind::Ranking { .. } => tf("cond-ranked", &args),
        _ => tf("cond-includes", &args),
    };
    html! {
        <fieldset class="choice-group" id={field_id(&at)}>
            <legend>{ legend }</legend>
            if cells.is_empty() {
                <p class="hint">{ t("cond-nothing") }</p>
            }
            { for cells.into_iter().map(|(code, label)| {
                let checked = any_of.contains(&code);
                let text = if label.is_empty() || label == code { code.clone() } else { format!("{label} ({code})") };
                let field_at = format!("{at}/{code}");
                form.checkbox(field_at, &text, checked, move |s, on| {
                    if let Some(show_if) = s.questions.get_mut(index).and_then(|q| q.show_if.as_mut()) {
                        show_if.any_of.retain(|c| *c != code);
                        if on {
                            show_if.any_of.push(code.clone());
                        }
                    }
                })
            }) }
        </fieldset>
    }
}

fn country_answers(form: &Form, index: usize, any_of: &[String]) -> Html {
    let field = Field::new(format!("#/questions/{index}/show_if/any_of"), t("cond-countries"))
        .hint(t("cond-countries-hint"));
    let parse = |text: &str| {
        parse_countries(text).map(|codes| codes.unwrap_or_default().iter().map(ToString::to_string).collect())
    };
    form.input(field, any_of.join(", "), parse, move |s, codes: Vec<String>| {
        if let Some(show_if) = s.questions.get_mut(index).and_then(|q| q.show_if.as_mut()) {
            show_if.any_of = codes;
        }
    })
}
