//! What stops the definition from being published: the shared crate's check, run in
//! the browser on every change, and what the server said with its last reply. Each
//! problem leads to its field.

use nansen_shared::FieldError;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::fields::field_id;

/// `server` is the server's check of the saved draft; it is shown when it is about the
/// definition on screen (nothing unsaved), and said to agree when it does.
pub fn problems(live: &[FieldError], server: &[FieldError], unsaved: bool) -> Html {
    html! {
        <aside class="problems" aria-labelledby="problems-heading">
            <h2 id="problems-heading">
                { if live.is_empty() { "No problems".to_owned() } else { format!("Problems ({})", live.len()) } }
            </h2>
            if live.is_empty() {
                <p id="problems-none" class="notice success">{ "The definition can be published." }</p>
            } else {
                <p class="hint">{ "Fix these before publishing. Saving a draft is possible at any time." }</p>
                { list("problems-list", live) }
            }
            if unsaved {
                <p class="hint" id="server-check">{ "Save to have the server check the changes too." }</p>
            } else if server == live {
                <p class="hint" id="server-check">{ "The server's check of the saved definition agrees." }</p>
            } else {
                <h3>{ "The server's check of the saved definition" }</h3>
                { list("server-problems", server) }
            }
        </aside>
    }
}

fn list(id: &str, errors: &[FieldError]) -> Html {
    html! {
        <ul class="problem-list" id={id.to_owned()}>
            { for errors.iter().map(|error| {
                let pointer = error.pointer.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    focus_field(&pointer);
                });
                html! {
                    <li data-code={error.code.clone()}>
                        <a class="pointer" href={format!("#{}", field_id(&error.pointer))} {onclick}>
                            <code>{ &error.pointer }</code>
                        </a>
                        { " " }{ &error.detail }
                    </li>
                }
            }) }
        </ul>
    }
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
