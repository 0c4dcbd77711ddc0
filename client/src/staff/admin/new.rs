//! `/admin/new`: a new survey from its address, languages and title. It starts with one
//! single-choice question, and the designer opens on it.

use std::collections::BTreeMap;

use nansen_shared::{LanguageTag, Localized, Slug};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::editor::starter;
use crate::staff::notice::{Failure, FailureView};
use crate::staff::route::Route;
use crate::staff::{api, use_staff};

/// The languages typed as "en, ru": each code, or why one is not valid.
fn parse_languages(text: &str) -> Result<Vec<LanguageTag>, String> {
    let mut languages = Vec::new();
    for code in text.split([',', ' ', ';']).map(str::trim).filter(|c| !c.is_empty()) {
        let lang = LanguageTag::parse(code.to_lowercase()).map_err(|e| e.to_string())?;
        if !languages.contains(&lang) {
            languages.push(lang);
        }
    }
    if languages.is_empty() {
        return Err("List at least one language, such as en or \"en, ru\".".to_owned());
    }
    Ok(languages)
}

#[function_component(NewSurvey)]
pub fn new_survey() -> Html {
    let staff = use_staff();
    let slug = use_state(String::new);
    let languages = use_state(|| "en".to_owned());
    // Titles by language code, kept while the list of languages is being edited.
    let titles = use_state(BTreeMap::<String, String>::new);
    let failure = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let parsed_slug = Slug::parse(slug.trim());
    let parsed_languages = parse_languages(&languages);
    let onsubmit = {
        let (failure, busy, titles) = (failure.clone(), busy.clone(), titles.clone());
        let (parsed_slug, parsed_languages) = (parsed_slug.clone(), parsed_languages.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let (slug, languages) = match (&parsed_slug, &parsed_languages) {
                (Ok(slug), Ok(languages)) => (slug.clone(), languages.clone()),
                (Err(e), _) => return failure.set(Some(Failure::new(e.to_string()))),
                (_, Err(e)) => return failure.set(Some(Failure::new(e.clone()))),
            };
            let title = Localized(
                languages
                    .iter()
                    .filter_map(|l| {
                        titles
                            .get(l.as_str())
                            .filter(|t| !t.trim().is_empty())
                            .map(|t| (l.clone(), t.clone()))
                    })
                    .collect(),
            );
            let definition = serde_json::to_value(starter(slug, languages, title));
            let Ok(definition) = definition else { return };
            busy.set(true);
            let (failure, busy, staff) = (failure.clone(), busy.clone(), staff.clone());
            spawn_local(async move {
                let result = api::create_survey(&definition).await;
                busy.set(false);
                match result {
                    Ok(created) => staff.navigate.emit(Route::AdminEdit(created.definition.slug)),
                    Err(error) => failure.set(Some(staff.failure(&error))),
                }
            });
        })
    };
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let slug_error =
        (!slug.is_empty()).then(|| parsed_slug.as_ref().err().map(ToString::to_string)).flatten();
    let languages_error = parsed_languages.as_ref().err().cloned();
    html! {
        <section class="new-survey">
            <h1>{ "New survey" }</h1>
            <form id="new-survey-form" class="stack" {onsubmit} aria-busy={busy.to_string()}>
                <div class="field">
                    <label for="new-slug">{ "Address (slug)" }</label>
                    <input id="new-slug" name="slug" type="text" autocomplete="off" autocapitalize="none"
                        spellcheck="false" required=true value={(*slug).clone()} oninput={bind(&slug)}
                        aria-describedby="new-slug-hint" aria-invalid={slug_error.is_some().then_some("true")} />
                    <p class="hint" id="new-slug-hint">
                        { "Respondents open /s/{slug}. Lowercase letters, digits and single hyphens; it cannot change later." }
                    </p>
                    if let Some(error) = slug_error {
                        <p class="error" id="new-slug-error">{ error }</p>
                    }
                </div>
                <div class="field">
                    <label for="new-languages">{ "Languages" }</label>
                    <input id="new-languages" name="languages" type="text" autocomplete="off" spellcheck="false"
                        value={(*languages).clone()} oninput={bind(&languages)} aria-describedby="new-languages-hint" />
                    <p class="hint" id="new-languages-hint">{ "Codes separated by commas, default first: en, ru" }</p>
                    if let Some(error) = languages_error {
                        <p class="error" id="new-languages-error">{ error }</p>
                    }
                </div>
                { title_fields(parsed_languages.as_deref().unwrap_or_default(), &titles) }
                if let Some(failure) = &*failure {
                    <FailureView id="new-error" failure={failure.clone()} />
                }
                <button type="submit" id="new-submit" class="primary" disabled={*busy}>{ "Create survey" }</button>
            </form>
        </section>
    }
}

fn title_fields(languages: &[LanguageTag], titles: &UseStateHandle<BTreeMap<String, String>>) -> Html {
    html! {
        <fieldset class="langs">
            <legend>{ "Title" }</legend>
            { for languages.iter().map(|lang| {
                let code = lang.to_string();
                let id = format!("new-title-{code}");
                let oninput = {
                    let (titles, code) = (titles.clone(), code.clone());
                    Callback::from(move |e: InputEvent| {
                        let mut next = (*titles).clone();
                        next.insert(code.clone(), e.target_unchecked_into::<HtmlInputElement>().value());
                        titles.set(next);
                    })
                };
                html! {
                    <div class="field lang" lang={code.clone()}>
                        <label for={id.clone()}>{ format!("Title ({code})") }</label>
                        <input {id} name={format!("title-{code}")} type="text"
                            value={titles.get(&code).cloned().unwrap_or_default()} {oninput} />
                    </div>
                }
            }) }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_leniently() {
        let codes =
            |text| parse_languages(text).map(|l| l.iter().map(ToString::to_string).collect::<Vec<_>>());
        assert_eq!(codes("en, RU;en  pt-br"), Ok(vec!["en".into(), "ru".into(), "pt-br".into()]));
        assert!(codes(" , ").is_err());
        assert!(codes("english").unwrap_err().contains("not a valid language tag"));
    }
}
