//! `/admin/new`: a new survey from its address, languages and title. The languages are
//! picked, not typed: Nansen's four interface languages as checkboxes, and a box for any
//! other BCP 47 tag; the first one picked is the default, and another can be made the
//! default. The survey starts with one single-choice question, and the designer opens
//! on it.

use std::collections::BTreeMap;

use nansen_shared::messages::INTERFACE_LANGUAGES;
use nansen_shared::{LanguageTag, Localized, Slug};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::editor::starter;
use crate::staff::i18n::{language_label, language_name, t, tf, use_lang};
use crate::staff::notice::{self, Failure, FailureView};
use crate::staff::route::Route;
use crate::staff::{api, use_staff};

/// The languages being picked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picked {
    /// Ticked, in the order they were ticked.
    pub chosen: Vec<LanguageTag>,
    /// Tags added through the box (shown as checkboxes after the four).
    pub extra: Vec<LanguageTag>,
    /// The default, if one was made the default; else the first ticked.
    pub default: Option<LanguageTag>,
}

impl Picked {
    pub fn toggle(&mut self, lang: &LanguageTag, on: bool) {
        self.chosen.retain(|l| l != lang);
        if on {
            self.chosen.push(lang.clone());
        }
    }

    /// Adds a language typed in the box, ticked; why not, if it cannot be.
    pub fn add(&mut self, text: &str) -> Result<LanguageTag, String> {
        let lang = LanguageTag::parse(text.trim().to_lowercase()).map_err(|e| e.to_string())?;
        if !INTERFACE_LANGUAGES.contains(&lang.as_str()) && !self.extra.contains(&lang) {
            self.extra.push(lang.clone());
        }
        if !self.chosen.contains(&lang) {
            self.chosen.push(lang.clone());
        }
        Ok(lang)
    }

    /// The default language: the one made so, while ticked; else the first ticked.
    pub fn default_language(&self) -> Option<&LanguageTag> {
        self.default.as_ref().filter(|d| self.chosen.contains(d)).or(self.chosen.first())
    }

    /// The survey's languages: the default first, then the others as ticked.
    pub fn languages(&self) -> Vec<LanguageTag> {
        let Some(default) = self.default_language() else { return Vec::new() };
        let mut languages = vec![default.clone()];
        languages.extend(self.chosen.iter().filter(|l| *l != default).cloned());
        languages
    }

    /// Every language offered: the four interface languages, then the added ones.
    fn offered(&self) -> Vec<LanguageTag> {
        let mut offered: Vec<LanguageTag> =
            INTERFACE_LANGUAGES.iter().filter_map(|l| LanguageTag::parse(*l).ok()).collect();
        offered.extend(self.extra.iter().cloned());
        offered
    }
}

/// What stops the form from being sent, field by field.
#[derive(Debug, Clone, Default, PartialEq)]
struct Errors {
    slug: Option<String>,
    languages: Option<String>,
    title: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.slug.is_some() || self.languages.is_some() || self.title.is_some()
    }
}

/// The title, in the languages picked; required in the default one.
fn title_of(picked: &Picked, titles: &BTreeMap<String, String>) -> Result<Localized, String> {
    let default = picked.default_language().ok_or_else(|| t("new-languages-none"))?;
    let text = |l: &LanguageTag| titles.get(l.as_str()).map(|t| t.trim()).filter(|t| !t.is_empty());
    if text(default).is_none() {
        return Err(tf("new-title-required", &[("language", &language_name(default.as_str()))]));
    }
    Ok(Localized(picked.languages().iter().filter_map(|l| Some((l.clone(), text(l)?.to_owned()))).collect()))
}

#[function_component(NewSurvey)]
pub fn new_survey() -> Html {
    let staff = use_staff();
    use_lang();
    let slug = use_state(String::new);
    let picked = use_state(Picked::default);
    let other = use_state(String::new);
    let other_error = use_state(|| None::<String>);
    // Titles by language code, kept while languages are ticked and unticked.
    let titles = use_state(BTreeMap::<String, String>::new);
    let errors = use_state(Errors::default);
    let failure = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let parsed_slug = Slug::parse(slug.trim());
    let onsubmit = {
        let (failure, busy, errors) = (failure.clone(), busy.clone(), errors.clone());
        let (parsed_slug, picked, titles) = (parsed_slug.clone(), (*picked).clone(), (*titles).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let title = title_of(&picked, &titles);
            let found = Errors {
                slug: parsed_slug.as_ref().err().map(ToString::to_string),
                languages: picked.chosen.is_empty().then(|| t("new-languages-none")),
                title: title.as_ref().err().filter(|_| !picked.chosen.is_empty()).cloned(),
            };
            if found.any() {
                let first = [
                    (found.slug.is_some(), "#new-slug".to_owned()),
                    (found.languages.is_some(), "#new-languages input".to_owned()),
                    (found.title.is_some(), format!("#new-title-{}", picked.languages()[0])),
                ];
                errors.set(found.clone());
                if let Some((_, at)) = first.into_iter().find(|(wrong, _)| *wrong) {
                    notice::focus(&at);
                }
                return;
            }
            errors.set(Errors::default());
            let (Ok(slug), Ok(title)) = (parsed_slug.clone(), title) else { return };
            let definition = serde_json::to_value(starter(slug, picked.languages(), title));
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
    let oninput = {
        let slug = slug.clone();
        Callback::from(move |e: InputEvent| slug.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let slug_error = errors.slug.clone().or_else(|| {
        (!slug.is_empty()).then(|| parsed_slug.as_ref().err().map(ToString::to_string)).flatten()
    });
    let slug_described = if slug_error.is_some() { "new-slug-hint new-slug-error" } else { "new-slug-hint" };
    html! {
        <section class="new-survey">
            <h1>{ t("new-heading") }</h1>
            <form id="new-survey-form" class="stack" {onsubmit} aria-busy={busy.to_string()} novalidate=true>
                <div class="field">
                    <label for="new-slug">{ t("new-slug") }</label>
                    <input id="new-slug" name="slug" type="text" autocomplete="off" autocapitalize="none"
                        spellcheck="false" required=true value={(*slug).clone()} {oninput}
                        aria-describedby={slug_described} aria-invalid={slug_error.is_some().then_some("true")} />
                    <p class="hint" id="new-slug-hint">{ t("new-slug-hint") }</p>
                    if let Some(error) = slug_error {
                        <p class="error" id="new-slug-error">{ error }</p>
                    }
                </div>
                { language_picker(&picked, &other, &other_error, errors.languages.as_deref()) }
                { title_fields(&picked, &titles, errors.title.as_deref()) }
                if let Some(failure) = &*failure {
                    <FailureView id="new-error" failure={failure.clone()} />
                }
                <button type="submit" id="new-submit" class="primary" disabled={*busy}>{ t("new-submit") }</button>
            </form>
        </section>
    }
}

/// The languages: a checkbox each, a box to add another, and which is the default.
fn language_picker(
    picked: &UseStateHandle<Picked>,
    other: &UseStateHandle<String>,
    other_error: &UseStateHandle<Option<String>>,
    error: Option<&str>,
) -> Html {
    let toggle = |lang: LanguageTag| {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let mut next = (*picked).clone();
            next.toggle(&lang, e.target_unchecked_into::<HtmlInputElement>().checked());
            picked.set(next);
        })
    };
    let add = {
        let (picked, other, other_error) = (picked.clone(), other.clone(), other_error.clone());
        move || {
            let mut next = (*picked).clone();
            match next.add(&other) {
                Ok(_) => {
                    picked.set(next);
                    other.set(String::new());
                    other_error.set(None);
                }
                Err(why) => other_error.set(Some(why)),
            }
        }
    };
    let onclick = {
        let add = add.clone();
        Callback::from(move |_: MouseEvent| add())
    };
    // Enter in the box adds, instead of sending the form.
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            add();
        }
    });
    let oninput = {
        let other = other.clone();
        Callback::from(move |e: InputEvent| other.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let default = picked.default_language().cloned();
    html! {
        <fieldset class="langs-picker" id="new-languages" aria-describedby="new-languages-hint">
            <legend>{ t("new-languages") }</legend>
            <p class="hint" id="new-languages-hint">{ t("new-languages-hint") }</p>
            <div class="choice-list">
                { for picked.offered().into_iter().map(|lang| {
                    let code = lang.to_string();
                    let id = format!("new-lang-{code}");
                    let checked = picked.chosen.contains(&lang);
                    html! {
                        <div class="check">
                            <input type="checkbox" id={id.clone()} name="languages" value={code.clone()} {checked}
                                onchange={toggle(lang.clone())} />
                            <label for={id}>{ language_label(&code) }</label>
                        </div>
                    }
                }) }
            </div>
            if let Some(error) = error {
                <p class="error" id="new-languages-error" role="alert">{ error }</p>
            }
            <div class="field inline">
                <label for="new-lang-other">{ t("new-languages-other") }</label>
                <div class="row">
                    <input id="new-lang-other" name="other-language" type="text" class="short" autocomplete="off"
                        spellcheck="false" value={(**other).clone()} {oninput} {onkeydown}
                        aria-invalid={other_error.is_some().then_some("true")}
                        aria-describedby={other_error.is_some().then_some("new-lang-other-error")} />
                    <button type="button" id="new-lang-add" {onclick}>{ t("new-languages-add") }</button>
                </div>
                if let Some(why) = &**other_error {
                    <p class="error" id="new-lang-other-error">{ why }</p>
                }
            </div>
            if picked.chosen.len() > 1 {
                <fieldset class="choice-group" id="new-default">
                    <legend>{ t("new-default") }</legend>
                    { for picked.languages().into_iter().map(|lang| {
                        let code = lang.to_string();
                        let id = format!("new-default-{code}");
                        let onchange = {
                            let (picked, lang) = (picked.clone(), lang.clone());
                            Callback::from(move |_: Event| {
                                let mut next = (*picked).clone();
                                next.default = Some(lang.clone());
                                picked.set(next);
                            })
                        };
                        html! {
                            <div class="check">
                                <input type="radio" id={id.clone()} name="default-language" value={code.clone()}
                                    checked={default.as_ref() == Some(&lang)} {onchange} />
                                <label for={id}>{ language_name(&code) }</label>
                            </div>
                        }
                    }) }
                </fieldset>
            }
            if let Some(default) = &default {
                <p class="hint" id="new-default-note">
                    { tf("new-default-note", &[("language", &language_name(default.as_str()))]) }
                </p>
            }
        </fieldset>
    }
}

/// A title box per language picked, the default first; the default's is required.
fn title_fields(
    picked: &Picked,
    titles: &UseStateHandle<BTreeMap<String, String>>,
    error: Option<&str>,
) -> Html {
    let languages = picked.languages();
    html! {
        <fieldset class="langs" id="new-titles">
            <legend>{ t("new-title") }</legend>
            if languages.is_empty() {
                <p class="hint" id="new-title-waiting">{ t("new-title-waiting") }</p>
            }
            { for languages.iter().enumerate().map(|(index, lang)| {
                let code = lang.to_string();
                let id = format!("new-title-{code}");
                let is_default = index == 0;
                let oninput = {
                    let (titles, code) = (titles.clone(), code.clone());
                    Callback::from(move |e: InputEvent| {
                        let mut next = (*titles).clone();
                        next.insert(code.clone(), e.target_unchecked_into::<HtmlInputElement>().value());
                        titles.set(next);
                    })
                };
                let name = language_name(&code);
                let label = if is_default {
                    tf("new-title-default", &[("language", &name)])
                } else {
                    tf("new-title-in", &[("language", &name)])
                };
                let error = error.filter(|_| is_default);
                let described = match (is_default, error.is_some()) {
                    (true, true) => Some("new-title-hint new-title-error"),
                    (true, false) => Some("new-title-hint"),
                    _ => None,
                };
                html! {
                    <div class="field lang" lang={code.clone()}>
                        <label for={id.clone()}>{ label }</label>
                        <input {id} name={format!("title-{code}")} type="text" required={is_default}
                            aria-required={is_default.then_some("true")}
                            aria-invalid={error.is_some().then_some("true")} aria-describedby={described}
                            value={titles.get(&code).cloned().unwrap_or_default()} {oninput} />
                        if is_default {
                            <p class="hint" id="new-title-hint">{ t("new-title-hint") }</p>
                        }
                        if let Some(error) = error {
                            <p class="error" id="new-title-error" role="alert">{ error }</p>
                        }
                    </div>
                }
            }) }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LanguageTag {
        LanguageTag::parse(s).unwrap()
    }

    fn codes(languages: &[LanguageTag]) -> Vec<&str> {
        languages.iter().map(LanguageTag::as_str).collect()
    }

    #[test]
    fn the_first_ticked_is_the_default_until_another_is_made_so() {
        let mut picked = Picked::default();
        assert!(picked.languages().is_empty());
        picked.toggle(&tag("ru"), true);
        picked.toggle(&tag("en"), true);
        assert_eq!(codes(&picked.languages()), ["ru", "en"]);
        picked.default = Some(tag("en"));
        assert_eq!(codes(&picked.languages()), ["en", "ru"]);
        // Unticking the default gives it back to the first ticked.
        picked.toggle(&tag("en"), false);
        assert_eq!(codes(&picked.languages()), ["ru"]);
        picked.toggle(&tag("en"), true);
        assert_eq!(codes(&picked.languages()), ["en", "ru"], "made the default, and ticked again");
    }

    #[test]
    fn other_languages_are_added_by_their_tag() {
        let mut picked = Picked::default();
        assert_eq!(picked.add(" PT-BR ").unwrap().as_str(), "pt-br");
        assert_eq!(picked.add("pt-br").unwrap().as_str(), "pt-br", "added once");
        assert_eq!(picked.add("uk").unwrap().as_str(), "uk");
        assert_eq!(codes(&picked.extra), ["pt-br"], "the four are offered already");
        assert_eq!(codes(&picked.languages()), ["pt-br", "uk"]);
        assert!(picked.add("english").is_err());
        assert_eq!(picked.offered().len(), 5);
    }

    #[test]
    fn a_title_is_required_in_the_default_language() {
        let mut picked = Picked::default();
        let titles: BTreeMap<String, String> =
            [("ru".to_owned(), " ".to_owned()), ("en".to_owned(), "Exit poll".to_owned())].into();
        assert!(title_of(&picked, &titles).is_err(), "no language");
        picked.toggle(&tag("ru"), true);
        picked.toggle(&tag("en"), true);
        assert!(title_of(&picked, &titles).is_err(), "blank in Russian, the default");
        picked.default = Some(tag("en"));
        let title = title_of(&picked, &titles).unwrap();
        assert_eq!(title.get(&tag("en"), &tag("en")), "Exit poll");
        assert!(!title.has(&tag("ru")));
    }
}
