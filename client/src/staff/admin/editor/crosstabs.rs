//! The declared cross-tabulations: pairs of questions whose joint answers are counted.
//! Only these exist; researchers cannot ask for others later, so nothing can be found
//! by differencing two tables.

use std::rc::Rc;

use nansen_shared::{Crosstab, QuestionId, Survey};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::confirm::ConfirmButton;
use super::fields::{Form, field_id};
use super::model::Action;
use crate::staff::i18n::{t, tf};

pub fn crosstabs(form: &Form) -> Html {
    let survey = form.survey();
    let add = form.restructure(Some("add-crosstab".into()), |s| {
        let ids: Vec<QuestionId> = s.questions.iter().take(2).map(|q| q.id.clone()).collect();
        if let [rows, columns] = ids.as_slice() {
            s.crosstabs.push(Crosstab { rows: rows.clone(), columns: columns.clone() });
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
                            { side(form, survey, index, "rows", &crosstab.rows) }
                            { " " }{ t("xt-by") }{ " " }
                            { side(form, survey, index, "columns", &crosstab.columns) }
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

/// A select of the questions, for the rows or the columns of cross-tabulation `index`.
fn side(form: &Form, survey: &Survey, index: usize, which: &'static str, chosen: &QuestionId) -> Html {
    let at = format!("#/crosstabs/{index}/{which}");
    let id = field_id(&at);
    let dispatch = form.dispatch.clone();
    let number = [("number", (index + 1).to_string())];
    let number: Vec<(&str, &str)> = number.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let onchange = Callback::from(move |e: Event| {
        let Ok(picked) = QuestionId::parse(e.target_unchecked_into::<HtmlSelectElement>().value()) else {
            return;
        };
        let change = Rc::new(move |s: &mut Survey| {
            if let Some(crosstab) = s.crosstabs.get_mut(index) {
                if which == "rows" {
                    crosstab.rows = picked.clone()
                } else {
                    crosstab.columns = picked.clone()
                }
            }
        });
        dispatch.dispatch(Action::Restructure { change, focus: None });
    });
    html! {
        <>
            <label class="visually-hidden" for={id.clone()}>
                { if which == "rows" { tf("xt-rows", &number) } else { tf("xt-columns", &number) } }
            </label>
            <select {id} {onchange}>
                { for survey.questions.iter().map(|q| html! {
                    <option value={q.id.to_string()} selected={q.id == *chosen}>{ q.id.to_string() }</option>
                }) }
            </select>
        </>
    }
}
