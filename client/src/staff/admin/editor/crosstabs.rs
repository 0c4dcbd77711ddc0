//! The declared cross-tabulations: pairs of questions whose joint answers are counted.
//! Only these exist; researchers cannot ask for others later, so nothing can be found
//! by differencing two tables.

use std::rc::Rc;

use nansen_shared::{Crosstab, OptionCode, QuestionId, Survey};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::confirm::ConfirmButton;
use super::fields::{Form, field_id};
use super::model::Action;
use crate::staff::i18n::{t, tf};

pub fn crosstabs(form: &Form) -> Html {
    let survey = form.survey();
    let add = form.restructure(Some("add-crosstab".into()), |s| {
        let sides: Vec<(QuestionId, Option<OptionCode>)> = sides(s).into_iter().take(2).collect();
        if let [(rows, rows_item), (columns, columns_item)] = sides.as_slice() {
            s.crosstabs.push(Crosstab {
                rows: rows.clone(),
                columns: columns.clone(),
                rows_item: rows_item.clone(),
                columns_item: columns_item.clone(),
            });
        }
    });
    html! {
        <section class="crosstabs" aria-labelledby="crosstabs-heading" id={field_id("#/crosstabs")}>
            <h2 id="crosstabs-heading">{ t("xt-heading") }</h2>
            <p class="hint">{ t("xt-hint") }</p>
            <ul class="crosstab-list">
                { for survey.crosstabs.iter().enumerate().map(|(index, crosstab)| {
                    let remove = form.restructure(Some("add-crosstab".into()), move |s| {
                        if index < s.crosstabs.len() {
                            s.crosstabs.remove(index);
                        }
                    });
                    let number = (index + 1).to_string();
                    let args = [("number", number.as_str()), ("rows", crosstab.rows.as_str()),
                        ("columns", crosstab.columns.as_str())];
                    html! {
                        <li>
                            { side(form, survey, index, "rows", (&crosstab.rows, crosstab.rows_item.as_ref())) }
                            { " " }{ t("xt-by") }{ " " }
                            { side(form, survey, index, "columns", (&crosstab.columns, crosstab.columns_item.as_ref())) }
                            <ConfirmButton id={format!("crosstab-{index}-remove")} label={t("xt-remove")}
                                aria_label={tf("xt-remove-label", &args)} question={tf("xt-remove-question", &args)}
                                on_confirm={remove} />
                        </li>
                    }
                }) }
            </ul>
            if survey.questions.len() >= 2 {
                <button type="button" id="add-crosstab" onclick={add}>{ t("xt-add") }</button>
            }
        </section>
    }
}

/// What can be a side of a table: each question, but each row of a grid and each item
/// of a ranking instead of the whole.
fn sides(survey: &Survey) -> Vec<(QuestionId, Option<OptionCode>)> {
    let mut sides = Vec::new();
    for question in &survey.questions {
        match question.parts() {
            Some((parts, _)) => {
                sides.extend(parts.iter().map(|p| (question.id.clone(), Some(p.code.clone()))));
            }
            None => sides.push((question.id.clone(), None)),
        }
    }
    sides
}

/// How a side is written in the select: `id`, or `id.row` for a grid's row.
fn side_value(id: &QuestionId, item: Option<&OptionCode>) -> String {
    match item {
        Some(item) => format!("{id}.{item}"),
        None => id.to_string(),
    }
}

/// A select of the sides, for the rows or the columns of cross-tabulation `index`.
fn side(
    form: &Form,
    survey: &Survey,
    index: usize,
    which: &'static str,
    (chosen, chosen_item): (&QuestionId, Option<&OptionCode>),
) -> Html {
    let at = format!("#/crosstabs/{index}/{which}");
    let id = field_id(&at);
    let dispatch = form.dispatch.clone();
    let number = [("number", (index + 1).to_string())];
    let number: Vec<(&str, &str)> = number.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let onchange = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let (question, item) = match value.split_once('.') {
            Some((question, item)) => (question.to_owned(), OptionCode::parse(item).ok()),
            None => (value, None),
        };
        let Ok(picked) = QuestionId::parse(question) else {
            return;
        };
        let change = Rc::new(move |s: &mut Survey| {
            if let Some(crosstab) = s.crosstabs.get_mut(index) {
                if which == "rows" {
                    crosstab.rows = picked.clone();
                    crosstab.rows_item = item.clone();
                } else {
                    crosstab.columns = picked.clone();
                    crosstab.columns_item = item.clone();
                }
            }
        });
        dispatch.dispatch(Action::Restructure { change, focus: None });
    });
    let current = side_value(chosen, chosen_item);
    html! {
        <>
            <label class="visually-hidden" for={id.clone()}>
                { if which == "rows" { tf("xt-rows", &number) } else { tf("xt-columns", &number) } }
            </label>
            <select {id} {onchange}>
                { for sides(survey).into_iter().map(|(question, item)| {
                    let value = side_value(&question, item.as_ref());
                    let text = match &item {
                        Some(item) => tf("xt-part", &[("id", question.as_str()), ("part", item.as_str())]),
                        None => question.to_string(),
                    };
                    let selected = value == current;
                    html! { <option {selected} {value}>{ text }</option> }
                }) }
            </select>
        </>
    }
}
