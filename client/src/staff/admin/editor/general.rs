//! The survey as a whole: its languages, title and introduction, and its settings —
//! among them when results are released and the noise that protects them.

use nansen_shared::survey::{LOWEST_MIN_CELL, MAX_PLANNED_RELEASES, MAX_RELEASE_HOURS, MAX_RHO};
use nansen_shared::{Access, LanguageTag, Licence, Settings, Survey};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::confirm::ConfirmButton;
use super::fields::{Field, Form, field_id};
use super::model::{remove_language, texts_in};
use crate::staff::i18n::{language_label, language_name, t, tf, tn, use_lang};

pub fn general(form: &Form) -> Html {
    let survey = form.survey();
    html! {
        <section class="general" aria-labelledby="general-heading">
            <h2 id="general-heading">{ t("gen-heading") }</h2>
            <p>{ t("gen-address") }{ " " }<code id="survey-slug">{ format!("/s/{}", survey.slug) }</code></p>
            { languages(form) }
            { form.localized("#/title", &t("gen-title"), &survey.title, false, |s| Some(&mut s.title)) }
            { form.localized("#/intro", &t("gen-intro"), &survey.intro, true, |s| Some(&mut s.intro)) }
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
            <legend>{ t("gen-languages") }</legend>
            <p class="hint">{ t("gen-languages-hint") }</p>
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
                    let name = language_name(&code);
                    let args = [("language", name.as_str())];
                    let texts = texts_in(form.survey(), lang);
                    html! {
                        <li data-language={code.clone()}>
                            { language_label(&code) }
                            if index == 0 {
                                <span class="tag">{ t("gen-default") }</span>
                            } else {
                                <button type="button" id={format!("language-{code}-first")} onclick={first}>
                                    { tf("gen-make-default", &args) }
                                </button>
                            }
                            if languages.len() > 1 {
                                <ConfirmButton id={format!("language-{code}-remove")} label={tf("gen-remove-language", &args)}
                                    question={tn("gen-remove-language-question", texts, &args)} on_confirm={remove} />
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
    use_lang();
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
            Ok(lang) if existing.contains(&lang) => {
                error.set(Some(tf("gen-language-listed", &[("language", &language_name(lang.as_str()))])))
            }
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
            <label for="add-language">{ t("gen-add-language-label") }</label>
            <div class="row">
                <input id="add-language" name="add-language" type="text" class="short" autocomplete="off"
                    value={(*text).clone()} {oninput} {onkeydown}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then_some("add-language-error")} />
                <button type="button" id="add-language-button" {onclick}>{ t("gen-add-language") }</button>
            </div>
            if let Some(error) = &*error {
                <p class="error" id="add-language-error">{ error }</p>
            }
        </div>
    }
}

fn settings(form: &Form) -> Html {
    let settings = &form.survey().settings;
    let min_cell = Field::new("#/settings/min_cell", t("gen-min-cell"))
        .numeric()
        .hint(tf("gen-min-cell-hint", &[("lowest", &LOWEST_MIN_CELL.to_string())]));
    html! {
        <fieldset class="settings" id={field_id("#/settings")}>
            <legend>{ t("gen-settings") }</legend>
            { form.input(min_cell, settings.min_cell.to_string(), parse_min_cell, |s, k| s.settings.min_cell = k) }
            { form.checkbox("#/settings/public_results".into(), &t("gen-public-results"),
                settings.public_results, |s, on| s.settings.public_results = on) }
            <fieldset class="choice-group" id={field_id("#/settings/access")}>
                <legend>{ t("gen-access") }</legend>
                { access_radio(form, Access::Open, &t("gen-access-open")) }
                { access_radio(form, Access::Invite, &t("gen-access-invite")) }
            </fieldset>
            { releases(form) }
            { privacy(form) }
            <fieldset class="choice-group" id={field_id("#/settings/licence")}>
                <legend>{ t("gen-licence") }</legend>
                <p class="hint">{ t("gen-licence-hint") }</p>
                { for Licence::ALL.into_iter().map(|licence| licence_radio(form, licence)) }
            </fieldset>
        </fieldset>
    }
}

/// The new respondents a release needs when the designer leaves it to the default:
/// `max(50, 10 × k)` for the survey's k, as the shared crate computes it.
fn default_min_new(settings: &Settings) -> u32 {
    let mut default = settings.clone();
    default.releases.min_new = None;
    default.min_new_respondents()
}

/// When results are released.
fn releases(form: &Form) -> Html {
    let settings = &form.survey().settings;
    let schedule = settings.releases;
    let every = Field::new("#/settings/releases/every_hours", t("gen-every-hours"))
        .numeric()
        .hint(tf("gen-every-hours-hint", &[("max", &MAX_RELEASE_HOURS.to_string())]));
    let min_new = Field::new("#/settings/releases/min_new", t("gen-min-new"))
        .numeric()
        .hint(tf("gen-min-new-hint", &[("default", &default_min_new(settings).to_string())]));
    html! {
        <fieldset class="release-settings" id={field_id("#/settings/releases")}>
            <legend>{ t("gen-releases") }</legend>
            { form.input(every, schedule.every_hours.to_string(), parse_whole,
                |s, hours| s.settings.releases.every_hours = hours) }
            { form.input(min_new, schedule.min_new.map_or_else(String::new, |n| n.to_string()), parse_min_new,
                |s, n| s.settings.releases.min_new = n) }
        </fieldset>
    }
}

/// The noise every release carries, and the budget it is drawn from.
fn privacy(form: &Form) -> Html {
    let privacy = form.survey().settings.privacy;
    let rho = Field::new("#/settings/privacy/rho", t("gen-rho"))
        .decimal()
        .hint(tf("gen-rho-hint", &[("max", &crate::staff::format::rho(MAX_RHO))]));
    let planned = Field::new("#/settings/privacy/releases", t("gen-planned")).numeric().hint(tf(
        "gen-planned-hint",
        &[
            ("rho", &crate::staff::format::rho(privacy.rho_per_release())),
            ("max", &MAX_PLANNED_RELEASES.to_string()),
        ],
    ));
    html! {
        <fieldset class="privacy-settings" id={field_id("#/settings/privacy")}>
            <legend>{ t("gen-privacy") }</legend>
            { form.checkbox_described("#/settings/privacy/noise".into(), &t("gen-noise"), privacy.noise,
                (!privacy.noise).then_some("noise-off-warning"), |s, on| s.settings.privacy.noise = on) }
            if !privacy.noise {
                <div class="notice warning" id="noise-off-warning" role="alert">
                    <p><strong>{ t("gen-noise-off") }</strong>{ " " }{ t("gen-noise-off-detail") }</p>
                </div>
            }
            { form.input(rho, privacy.rho.to_string(), parse_rho, |s, rho| s.settings.privacy.rho = rho) }
            { form.input(planned, privacy.releases.to_string(), parse_whole,
                |s, n| s.settings.privacy.releases = n) }
        </fieldset>
    }
}

/// A whole number; its range is the definition check's to judge (it names the field).
fn parse_whole(text: &str) -> Result<u32, String> {
    text.trim().parse::<u32>().map_err(|_| t("gen-whole-number"))
}

/// A whole number, or nothing for the default.
fn parse_min_new(text: &str) -> Result<Option<u32>, String> {
    match text.trim() {
        "" => Ok(None),
        number => number.parse::<u32>().map(Some).map_err(|_| t("gen-whole-or-default")),
    }
}

/// A number with decimals, written with a point or a comma ("0.5", "0,5"). Half-typed
/// text ("0.") is read as far as it goes: the box keeps it as typed (`Field::decimal`).
/// Read as JSON, whose number reader the page has anyway.
fn parse_rho(text: &str) -> Result<f64, String> {
    let mut number = text.trim().replace(',', ".");
    if number.starts_with('.') {
        number.insert(0, '0');
    }
    if number.ends_with('.') {
        number.push('0');
    }
    match serde_json::from_str::<f64>(&number) {
        Ok(rho) if rho.is_finite() => Ok(rho),
        _ => Err(t("gen-rho-invalid")),
    }
}

fn parse_min_cell(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(k) if k >= LOWEST_MIN_CELL => Ok(k),
        _ => Err(tf("gen-min-cell-invalid", &[("lowest", &LOWEST_MIN_CELL.to_string())])),
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

/// One licence the results files may be published under, by its own (untranslated) name.
fn licence_radio(form: &Form, licence: Licence) -> Html {
    let id = format!("{}-{}", field_id("#/settings/licence"), licence.spdx());
    let onchange = form.on::<Event>("#/settings/licence".into(), move |s| s.settings.licence = licence);
    html! {
        <div class="check">
            <input type="radio" id={id.clone()} name="settings/licence" value={licence.spdx()}
                checked={form.survey().settings.licence == licence} {onchange} />
            <label for={id}>{ format!("{} ({})", licence.title(), licence.spdx()) }</label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_for_new_respondents_follows_k() {
        let mut settings = Settings::default();
        assert_eq!(default_min_new(&settings), 50);
        settings.min_cell = 8;
        settings.releases.min_new = Some(12);
        assert_eq!(default_min_new(&settings), 80, "the default, not the value set");
    }

    #[test]
    fn release_and_privacy_fields_parse_what_people_type() {
        assert_eq!(parse_min_new(" "), Ok(None));
        assert_eq!(parse_min_new("60"), Ok(Some(60)));
        assert!(parse_min_new("sixty").is_err());
        assert_eq!(parse_whole(" 24 "), Ok(24));
        assert!(parse_whole("1.5").is_err());
        assert_eq!(parse_rho("0,5"), Ok(0.5));
        assert_eq!(parse_rho("2"), Ok(2.0));
        assert_eq!(parse_rho("0."), Ok(0.0));
        assert_eq!(parse_rho(".25"), Ok(0.25));
        assert!(parse_rho("1/2").is_err());
        assert!(parse_rho("inf").is_err());
        assert!(parse_rho("").is_err());
    }
}
