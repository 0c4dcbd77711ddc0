//! One question of the definition: its id, kind and texts, what it offers (by kind),
//! and when it is asked.

use nansen_shared::{KindName, Question, QuestionId};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::choices;
use super::condition::condition;
use super::confirm::ConfirmButton;
use super::fields::{Field, Form, field_id};
use super::model::{
    Action, commit_id, convert_kind, kind_label, move_item, new_question, rename_question, texts_of,
};
use crate::staff::i18n::{t, tf, tn, use_lang};

pub fn questions(form: &Form) -> Html {
    let survey = form.survey();
    html! {
        <section class="questions" id={field_id("#/questions")} aria-labelledby="questions-heading">
            <h2 id="questions-heading">{ tn("q-heading", survey.questions.len(), &[]) }</h2>
            { for survey.questions.iter().enumerate().map(|(index, question)| question_editor(form, index, question)) }
            <AddQuestion dispatch={form.dispatch.clone()} next={survey.questions.len()} />
        </section>
    }
}

fn question_editor(form: &Form, index: usize, question: &Question) -> Html {
    let at = format!("#/questions/{index}");
    let id_field = Field::new(format!("{at}/id"), t("q-id")).hint(t("q-id-hint"));
    // Other questions refer to this one by its id: it changes only when committed.
    let ids: Vec<QuestionId> = form.survey().questions.iter().map(|q| q.id.clone()).collect();
    let commit = move |raw: &str| match commit_id(&ids, index, raw) {
        Ok(Some(id)) => Ok(Some(std::rc::Rc::new(move |s: &mut nansen_shared::Survey| {
            rename_question(s, index, id.clone())
        }) as super::model::Change)),
        Ok(None) => Ok(None),
        Err(why) => Err(why.text()),
    };
    html! {
        <fieldset class="question-editor" id={field_id(&at)} data-question={question.id.to_string()}>
            <legend>{ tf("q-legend", &[("number", &(index + 1).to_string())]) }{ " " }<code>{ question.id.as_str() }</code></legend>
            { reorder_buttons(form, index, question) }
            <div class="row wrap">
                { form.committed(id_field, question.id.to_string(), commit) }
                { kind_select(form, index, question) }
            </div>
            { form.checkbox(format!("{at}/required"), &t("q-required"), question.required,
                move |s, on| if let Some(q) = s.questions.get_mut(index) { q.required = on }) }
            { form.localized(&format!("{at}/prompt"), &t("q-prompt"), &question.prompt, false,
                move |s| s.questions.get_mut(index).map(|q| &mut q.prompt)) }
            { form.localized(&format!("{at}/help"), &t("q-help"), &question.help, true,
                move |s| s.questions.get_mut(index).map(|q| &mut q.help)) }
            { choices::kind_fields(form, index, &question.kind) }
            { condition(form, index, question) }
        </fieldset>
    }
}

/// Move up, move down, remove: each keeps the keyboard on the question it moved.
fn reorder_buttons(form: &Form, index: usize, question: &Question) -> Html {
    let count = form.survey().questions.len();
    let base = field_id(&format!("#/questions/{index}"));
    let target = |to: usize, up: bool| {
        // A question moved to an end has no button in that direction any more.
        let up = if to == 0 {
            false
        } else if to + 1 == count {
            true
        } else {
            up
        };
        Some(format!("{}-{}", field_id(&format!("#/questions/{to}")), if up { "up" } else { "down" }))
    };
    let up = form.restructure(target(index.saturating_sub(1), true), move |s| {
        move_item(&mut s.questions, index, true);
    });
    let down = form.restructure(target(index + 1, false), move |s| {
        move_item(&mut s.questions, index, false);
    });
    let remove = form.restructure(Some("new-question-kind".into()), move |s| {
        if index < s.questions.len() {
            s.questions.remove(index);
        }
    });
    let number = (index + 1).to_string();
    let args = [("number", number.as_str()), ("id", question.id.as_str())];
    let texts = texts_of(question);
    let references = references_to(form.survey(), &question.id);
    let mut asked = tn("q-remove-question", texts, &args);
    if references > 0 {
        asked = format!("{asked} {}", tn("q-remove-references", references, &[]));
    }
    html! {
        <div class="item-actions">
            <button type="button" id={format!("{base}-up")} disabled={index == 0} onclick={up}
                aria-label={tf("q-move-up", &args)}>{ t("q-up") }</button>
            <button type="button" id={format!("{base}-down")} disabled={index + 1 == count} onclick={down}
                aria-label={tf("q-move-down", &args)}>{ t("q-down") }</button>
            <ConfirmButton id={format!("{base}-remove")} label={t("q-remove")} aria_label={tf("q-remove-label", &args)}
                question={asked} on_confirm={remove} />
        </div>
    }
}

/// How many conditions and cross-tabulations name question `id`.
fn references_to(survey: &nansen_shared::Survey, id: &QuestionId) -> usize {
    let conditions =
        survey.questions.iter().filter(|q| q.show_if.as_ref().is_some_and(|c| c.question == *id));
    let crosstabs = survey.crosstabs.iter().filter(|c| c.rows == *id || c.columns == *id);
    conditions.count() + crosstabs.count()
}

fn kind_select(form: &Form, index: usize, question: &Question) -> Html {
    let at = format!("#/questions/{index}/kind");
    let id = field_id(&at);
    let current = question.kind.name();
    let dispatch = form.dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let Some(name) = KindName::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) else {
            return;
        };
        let change = std::rc::Rc::new(move |s: &mut nansen_shared::Survey| {
            if let Some(q) = s.questions.get_mut(index) {
                q.kind = convert_kind(&q.kind, name);
            }
        });
        // Kind fields appear and go: positions inside the question change.
        dispatch.dispatch(Action::Restructure { change, focus: None });
    });
    html! {
        <div class="field">
            <label for={id.clone()}>{ t("q-kind") }</label>
            <select id={id} name={at.trim_start_matches('#').to_owned()} {onchange}>
                { for KindName::ALL.into_iter().map(|kind| html! {
                    <option value={kind.as_str()} selected={kind == current}>{ kind_label(kind) }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AddQuestionProps {
    dispatch: UseReducerDispatcher<super::model::EditorState>,
    /// The index the new question will have.
    next: usize,
}

/// The kind of the next question, and the button that adds it.
#[function_component(AddQuestion)]
fn add_question(props: &AddQuestionProps) -> Html {
    use_lang();
    let kind = use_state(|| KindName::Single);
    let onchange = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            if let Some(name) = KindName::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                kind.set(name);
            }
        })
    };
    let onclick = {
        let (dispatch, name, next) = (props.dispatch.clone(), *kind, props.next);
        Callback::from(move |_: MouseEvent| {
            let change = std::rc::Rc::new(move |s: &mut nansen_shared::Survey| {
                if let Some(question) = new_question(s, name) {
                    s.questions.push(question);
                }
            });
            let focus = Some(field_id(&format!("#/questions/{next}/id")));
            dispatch.dispatch(Action::Restructure { change, focus });
        })
    };
    html! {
        <div class="add-question row wrap">
            <div class="field">
                <label for="new-question-kind">{ t("q-new-kind") }</label>
                <select id="new-question-kind" name="new-question-kind" {onchange}>
                    { for KindName::ALL.into_iter().map(|name| html! {
                        <option value={name.as_str()} selected={name == *kind}>{ kind_label(name) }</option>
                    }) }
                </select>
            </div>
            <button type="button" id="add-question" class="primary" {onclick}>{ t("q-add") }</button>
        </div>
    }
}
