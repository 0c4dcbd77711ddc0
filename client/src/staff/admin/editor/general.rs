//! The survey as a whole: its languages, title and introduction, and its settings.

use nansen_shared::survey::LOWEST_MIN_CELL;
use nansen_shared::{Access, LanguageTag, Survey};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{Field, Form, field_id};
use super::model::remove_language;

pub fn general(form: &Form) -> Html {
    let survey = form.survey();
    html! {
        <section class="general" aria-labelledby="general-heading">
            <h2 id="general-heading">{ "Survey" }</h2>
            <p>{ "Address: " }<code id="survey-slug">{ format!("/s/{}", survey.slug) }</code></p>
            { languages(form) }
            { form.localized("#/title", "Title", &survey.title, false, |s| Some(&mut s.title)) }
            { form.localized("#/intro", "Introduction (optional)", &survey.intro, true, |s| Some(&mut s.intro)) }
            { settings(form) }
        </section>
    }
}

fn languages(form: &Form) -> Html {
    let languages = form.languages();
    let on_add = {
        let dispatch = form.dispatch.clone();
        Callback::from(move |lang: LanguageTag| {
            let change = std::rc::Rc::new(move |s: &mut Survey| s.languages.push(lang.clone()));
            dispatch.dispatch(super::model::Action::Restructure {
                change,
                focus: Some("add-language".to_owned()),
            });
        })
    };
    html! {
        <fieldset class="survey-languages" id={field_id("#/languages")}>
            <legend>{ "Languages" }</legend>
            <p class="hint">{ "Every text is written in each of these; the first is the default." }</p>
            <ul class="language-list">
                { for languages.iter().enumerate().map(|(index, lang)| {
                    let code = lang.to_string();
                    let first = {
                        let lang = lang.clone();
                        form.restructure(Some("add-language".into()), move |s| {
                            if let Some(at) = s.languages.iter().position(|l| *l == lang) {
                                let lang = s.languages.remove(at);
                                s.languages.insert(0, lang);
                            }
                        })
                    };
                    let remove = {
                        let lang = lang.clone();
                        form.restructure(Some("add-language".into()), move |s| remove_language(s, &lang))
                    };
                    html! {
                        <li>
                            <code>{ &code }</code>
                            if index == 0 {
                                <span class="tag">{ "default" }</span>
                            } else {
                                <button type="button" id={format!("language-{code}-first")} onclick={first}>
                                    { format!("Make {code} the default") }
                                </button>
                            }
                            if languages.len() > 1 {
                                <button type="button" class="danger" id={format!("language-{code}-remove")}
                                    onclick={remove}>{ format!("Remove {code} and its texts") }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
            <LanguageAdder existing={languages.to_vec()} {on_add} />
        </fieldset>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct LanguageAdderProps {
    existing: Vec<LanguageTag>,
    on_add: Callback<LanguageTag>,
}

/// The box for a new language's code: its own state, since half-typed text is no part
/// of the definition.
#[function_component(LanguageAdder)]
fn language_adder(props: &LanguageAdderProps) -> Html {
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let add = {
        let (text, error, props_add, existing) =
            (text.clone(), error.clone(), props.on_add.clone(), props.existing.clone());
        move || match LanguageTag::parse(text.trim().to_lowercase()) {
            Ok(lang) if existing.contains(&lang) => error.set(Some(format!("{lang} is already listed."))),
            Ok(lang) => {
                error.set(None);
                text.set(String::new());
                props_add.emit(lang);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let onclick = {
        let add = add.clone();
        Callback::from(move |_: MouseEvent| add())
    };
    // Enter in the box adds, instead of submitting anything.
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            add();
        }
    });
    html! {
        <div class="field inline">
            <label for="add-language">{ "Add a language (code such as uk or pt-br)" }</label>
            <div class="row">
                <input id="add-language" name="add-language" type="text" class="short" autocomplete="off"
                    value={(*text).clone()} {oninput} {onkeydown}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then_some("add-language-error")} />
                <button type="button" id="add-language-button" {onclick}>{ "Add language" }</button>
            </div>
            if let Some(error) = &*error {
                <p class="error" id="add-language-error">{ error }</p>
            }
        </div>
    }
}

fn settings(form: &Form) -> Html {
    let settings = &form.survey().settings;
    let min_cell = Field::new("#/settings/min_cell", "Smallest count shown (k)")
        .numeric()
        .hint(format!("Counts from 1 to k−1 are suppressed in results; at least {LOWEST_MIN_CELL}."));
    html! {
        <fieldset class="settings" id={field_id("#/settings")}>
            <legend>{ "Settings" }</legend>
            { form.input(min_cell, settings.min_cell.to_string(), parse_min_cell, |s, k| s.settings.min_cell = k) }
            { form.checkbox("#/settings/public_results".into(), "Anyone may read the results (still suppressed)",
                settings.public_results, |s, on| s.settings.public_results = on) }
            <fieldset class="choice-group" id={field_id("#/settings/access")}>
                <legend>{ "Who may answer" }</legend>
                { access_radio(form, Access::Open, "Anyone with the link") }
                { access_radio(form, Access::Invite, "Only holders of an invite code") }
            </fieldset>
        </fieldset>
    }
}

fn parse_min_cell(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(k) if k >= LOWEST_MIN_CELL => Ok(k),
        _ => Err(format!("Use a whole number of at least {LOWEST_MIN_CELL}.")),
    }
}

fn access_radio(form: &Form, access: Access, label: &str) -> Html {
    let value = match access {
        Access::Open => "open",
        Access::Invite => "invite",
    };
    let id = format!("{}-{value}", field_id("#/settings/access"));
    let onchange = form.on::<Event>("#/settings/access".into(), move |s| s.settings.access = access);
    html! {
        <div class="check">
            <input type="radio" id={id.clone()} name="settings/access" value={value}
                checked={form.survey().settings.access == access} {onchange} />
            <label for={id}>{ label }</label>
        </div>
    }
}
