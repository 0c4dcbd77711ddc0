//! The language switch: the survey's languages, each named in itself. They are links
//! (`?lang=ru`), so they work before the client has loaded; the client switches in
//! place, keeping the answers.

use std::collections::BTreeMap;

use nansen_shared::LanguageTag;
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct LanguageSwitchProps {
    pub languages: Vec<LanguageTag>,
    pub current: LanguageTag,
    /// "Language", in the interface language.
    pub label: AttrValue,
    /// Each language's own name, from the server's translations.
    pub autonyms: BTreeMap<String, String>,
    pub on_change: Callback<String>,
}

#[function_component(LanguageSwitch)]
pub fn language_switch(props: &LanguageSwitchProps) -> Html {
    if props.languages.len() < 2 {
        return html! {};
    }
    html! {
        <nav class="languages" aria-label={props.label.clone()}>
            { for props.languages.iter().map(|lang| {
                let code = lang.to_string();
                let current = *lang == props.current;
                let onclick = {
                    let (on_change, code) = (props.on_change.clone(), code.clone());
                    Callback::from(move |event: MouseEvent| {
                        event.prevent_default();
                        on_change.emit(code.clone());
                    })
                };
                let name = props.autonyms.get(&code).cloned().unwrap_or_else(|| code.to_ascii_uppercase());
                html! {
                    <a href={format!("?lang={code}")} hreflang={code.clone()} lang={code.clone()}
                        aria-current={current.then_some("true")} {onclick}>
                        { name }
                    </a>
                }
            }) }
        </nav>
    }
}
