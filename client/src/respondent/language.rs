//! The language switch: the survey's languages, each named in itself. Each is a button
//! that sends the form to the server, which shows it again in that language with the
//! answers kept (and counts nothing) — with or without the client.

use std::collections::BTreeMap;

use nansen_shared::LanguageTag;
use yew::prelude::*;

/// The buttons, inside the questionnaire's form of survey `slug`.
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
                    <button type="submit" name="lang" value={code.clone()} lang={code.clone()} formnovalidate=true
                        formaction={format!("/s/{slug}?lang={code}")}
                        aria-current={(lang == current).then_some("true")}>
                        { name }
                    </button>
                }
            }) }
        </nav>
    }
}
