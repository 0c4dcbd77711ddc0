//! The survey as a whole: its languages, title and introduction, and its settings —
//! among them when results are released and the noise that protects them.

use nansen_shared::survey::{LOWEST_MIN_CELL, MAX_PLANNED_RELEASES, MAX_RELEASE_HOURS, MAX_RHO};
use nansen_shared::{Access, LanguageTag, Settings, Survey};
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
            { releases(form) }
            { privacy(form) }
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
    let every = Field::new("#/settings/releases/every_hours", "Hours between releases").numeric().hint(format!(
        "Nobody reads live counts: results are released at most this often (24: once a day), only when \
         enough new people have answered, and once more when the survey closes. From 1 to {MAX_RELEASE_HOURS}."
    ));
    let min_new = Field::new("#/settings/releases/min_new", "New respondents needed for a release")
        .numeric()
        .hint(format!(
            "Empty: the default, max(50, 10 × k), which is {} now. With fewer, anyone comparing two releases \
             could see the few answers given in between; it cannot be less than k.",
            default_min_new(settings)
        ));
    html! {
        <fieldset class="release-settings" id={field_id("#/settings/releases")}>
            <legend>{ "Releases" }</legend>
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
    let rho = Field::new("#/settings/privacy/rho", "Privacy budget ρ (rho)").decimal().hint(format!(
        "How much all of the survey's releases together may reveal about any one respondent \
         (zero-concentrated differential privacy). Smaller is more private and puts more noise in every \
         count. The default is 1; more than 0 and at most {MAX_RHO}."
    ));
    let planned = Field::new("#/settings/privacy/releases", "Planned releases").numeric().hint(format!(
        "The budget is shared evenly by this many releases, the closing one included: each spends \
         ρ = {}. More releases put more noise in each; once they are used up, only the closing release \
         is left. From 1 to {MAX_PLANNED_RELEASES}.",
        crate::staff::format::rho(privacy.rho_per_release())
    ));
    html! {
        <fieldset class="privacy-settings" id={field_id("#/settings/privacy")}>
            <legend>{ "Privacy" }</legend>
            { form.checkbox_described("#/settings/privacy/noise".into(),
                "Add random noise to every released count (differential privacy)", privacy.noise,
                (!privacy.noise).then_some("noise-off-warning"), |s, on| s.settings.privacy.noise = on) }
            if !privacy.noise {
                <div class="notice warning" id="noise-off-warning" role="alert">
                    <p><strong>{ "Noise is off." }</strong>{ " " }{ NOISE_OFF }</p>
                </div>
            }
            { form.input(rho, privacy.rho.to_string(), parse_rho, |s, rho| s.settings.privacy.rho = rho) }
            { form.input(planned, privacy.releases.to_string(), parse_whole,
                |s, n| s.settings.privacy.releases = n) }
        </fieldset>
    }
}

/// What turning noise off means, said where it is turned off.
const NOISE_OFF: &str = "Every release will publish exact counts, protected only by hiding counts below k. \
    Someone who compares releases, or who knows how most of a group answered, may then work out how one \
    person answered. Publishing with noise off is recorded in the audit log, under the name of the admin \
    who publishes, and every result released without noise says that its counts are exact. The budget and \
    planned releases are not used while noise is off.";

/// A whole number; its range is the definition check's to judge (it names the field).
fn parse_whole(text: &str) -> Result<u32, String> {
    text.trim().parse::<u32>().map_err(|_| "Use a whole number.".to_owned())
}

/// A whole number, or nothing for the default.
fn parse_min_new(text: &str) -> Result<Option<u32>, String> {
    match text.trim() {
        "" => Ok(None),
        number => number
            .parse::<u32>()
            .map(Some)
            .map_err(|_| "Use a whole number, or leave it empty for the default.".to_owned()),
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
        _ => Err("Use a number such as 1 or 0.5.".to_owned()),
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
