//! A button whose action loses work (removing a language and its texts, a question, an
//! option, a cross-tabulation; closing the survey): it asks once more, in the page, saying
//! what will be lost. A browser dialog would take the focus somewhere the person did
//! not choose; here the keyboard goes to "Cancel", and back to the button after it.

use yew::prelude::*;

use crate::staff::i18n::{t, use_lang};
use crate::staff::notice;

#[derive(Debug, Properties, PartialEq)]
pub struct ConfirmProps {
    /// The button's id; the question's buttons are `{id}-confirm` and `{id}-cancel`.
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    /// What is asked, saying what will be lost ("Remove English and its 22 texts?").
    pub question: AttrValue,
    /// The confirming button's words ("Yes, remove").
    #[prop_or_default]
    pub confirm: Option<AttrValue>,
    #[prop_or_default]
    pub disabled: bool,
    /// Further classes of the button (it is always marked dangerous).
    #[prop_or_default]
    pub class: Classes,
    pub on_confirm: Callback<MouseEvent>,
}

#[function_component(ConfirmButton)]
pub fn confirm_button(props: &ConfirmProps) -> Html {
    use_lang();
    // Whether the question is showing; the counter moves the focus on each change.
    let asking = use_state(|| (false, 0_u32));
    {
        let id = props.id.clone();
        use_effect_with(*asking, move |(asking, n)| {
            if *n > 0 {
                notice::focus(&if *asking { format!("#{id}-cancel") } else { format!("#{id}") });
            }
        });
    }
    let set = |value: bool| {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set((value, asking.1 + 1)))
    };
    let id = &props.id;
    if !asking.0 {
        return html! {
            <button type="button" id={id.clone()} class={classes!("danger", props.class.clone())}
                disabled={props.disabled} aria-label={props.aria_label.clone()} onclick={set(true)}>
                { props.label.clone() }
            </button>
        };
    }
    let confirm = {
        let (asking, on_confirm) = (asking.clone(), props.on_confirm.clone());
        Callback::from(move |e: MouseEvent| {
            asking.set((false, 0));
            on_confirm.emit(e);
        })
    };
    let question_id = format!("{id}-question");
    html! {
        <span class="confirm" role="group" aria-labelledby={question_id.clone()}>
            <span id={question_id} class="confirm-question">{ props.question.clone() }</span>
            <button type="button" id={format!("{id}-confirm")} class="danger" onclick={confirm}>
                { props.confirm.clone().unwrap_or_else(|| t("ed-confirm-remove").into()) }
            </button>
            <button type="button" id={format!("{id}-cancel")} onclick={set(false)}>{ t("ed-confirm-cancel") }</button>
        </span>
    }
}
