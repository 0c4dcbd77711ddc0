//! Showing what went wrong: the server's `detail` for a person, and for a refused
//! definition the list of places (`pointer`) and what to change there.

use nansen_shared::FieldError;
use yew::prelude::*;

use crate::api::ApiError;
use crate::staff::i18n::{t, tf};

/// An error as it is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub detail: String,
    pub errors: Vec<FieldError>,
}

impl Failure {
    pub fn new(detail: impl Into<String>) -> Self {
        Self { detail: detail.into(), errors: Vec::new() }
    }
}

impl From<&ApiError> for Failure {
    fn from(error: &ApiError) -> Self {
        match error {
            ApiError::Problem(problem) => {
                Self { detail: problem.detail.clone(), errors: problem.errors.clone() }
            }
            ApiError::Network => Self::new(t("notice-network")),
            ApiError::Unexpected(status) => {
                Self::new(tf("notice-unexpected", &[("status", &status.to_string())]))
            }
        }
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct FailureProps {
    pub failure: Failure,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// An error notice, announced as it appears.
#[function_component(FailureView)]
pub fn failure_view(props: &FailureProps) -> Html {
    let failure = &props.failure;
    html! {
        <div class="notice error" role="alert" id={props.id.clone()}>
            <p>{ &failure.detail }</p>
            if !failure.errors.is_empty() {
                <ul class="field-errors">
                    { for failure.errors.iter().map(|e| html! {
                        <li><code class="pointer">{ &e.pointer }</code>{ " " }{ &e.detail }</li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// Moves keyboard focus to the first element matching `selector`, if there is one.
pub fn focus(selector: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(element)) = document.query_selector(selector)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    }
}

/// Moves keyboard focus to the screen's heading (which takes focus only when told so).
pub fn focus_heading() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(heading)) = document.query_selector("#app h1") {
        let _ = heading.set_attribute("tabindex", "-1");
    }
    focus("#app h1");
}

/// Sets the browser tab's title, so that history entries and tabs tell pages apart.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{title} — Nansen"));
    }
}

/// Data a screen fetches: on its way, refused, or there.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(Failure),
    Ready(T),
}

impl<T> Load<T> {
    /// The loading text or the error, for anything but `Ready`.
    pub fn placeholder(&self) -> Option<Html> {
        match self {
            Load::Loading => Some(html! { <p class="loading" role="status">{ t("app-loading") }</p> }),
            Load::Failed(failure) => Some(html! { <FailureView failure={failure.clone()} /> }),
            Load::Ready(_) => None,
        }
    }
}
