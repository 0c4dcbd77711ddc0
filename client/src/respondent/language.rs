//! The language switch: the survey's languages, each named in itself. Each is a button
//! that sends the form to the server, which shows it again in that language with the
//! answers kept (and counts nothing) — with or without the client. The client's buttons
//! send a hidden form of their own ([`SWITCH_FORM`]) that holds the answers as the
//! server's plain form sends them: every field, each of fixed width, so that the
//! request's length says nothing of the answers.

use std::collections::BTreeMap;

use nansen_shared::LanguageTag;
use yew::prelude::*;

/// The id of the form the language buttons send.
pub const SWITCH_FORM: &str = "nansen-switch";

/// The buttons, inside the questionnaire's form of survey `slug` but sending
/// [`SWITCH_FORM`].
pub fn language_switch(
    slug: &str,
    languages: &[LanguageTag],
    current: &LanguageTag,
    autonyms: &BTreeMap<String, String>,
    label: &str,
) -> Html {
    if languages.len() < 2 {
        return html! {};
    }
    html! {
        <nav class="languages" aria-label={label.to_owned()}>
            { for languages.iter().map(|lang| {
                let code = lang.to_string();
                let name = autonyms.get(&code).cloned().unwrap_or_else(|| code.to_ascii_uppercase());
                html! {
                    <button type="submit" form={SWITCH_FORM} name="lang" value={code.clone()} lang={code.clone()} formnovalidate=true
                        formaction={format!("/s/{slug}?lang={code}")}
                        aria-current={(lang == current).then_some("true")}>
                        { name }
                    </button>
                }
            }) }
        </nav>
    }
}

/// The form the language buttons send: the answers as the plain form's fields (see
/// `nansen_shared::answer::to_form`), hidden.
pub fn switch_form(slug: &str, lang: &LanguageTag, fields: Vec<(String, String)>) -> Html {
    html! {
        <form id={SWITCH_FORM} method="post" action={format!("/s/{slug}?lang={lang}")} hidden=true>
            { for fields.into_iter().map(|(name, value)| html! { <input type="hidden" {name} {value} /> }) }
        </form>
    }
}
