//! The questionnaire as a respondent would see it, drawn by the respondent's own
//! components from a snapshot of the definition: taken when the tab opens or on
//! "Refresh preview", not on every keystroke, so typing stays quick and a half-filled
//! preview is not reset under the designer's hands.

use nansen_shared::LanguageTag;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::Texts;
use crate::respondent::{Preview, SurveyRef};
use crate::staff::api;
use crate::staff::i18n::{language_name, t, use_lang};
use crate::staff::notice::{Failure, Load};

#[derive(Debug, Properties, PartialEq)]
pub struct PreviewPanelProps {
    pub snapshot: SurveyRef,
    /// Bumped with each new snapshot: the preview starts afresh.
    pub generation: u32,
    pub on_refresh: Callback<()>,
}

#[function_component(PreviewPanel)]
pub fn preview_panel(props: &PreviewPanelProps) -> Html {
    use_lang();
    let languages = props.snapshot.0.languages.clone();
    let chosen = use_state(|| None::<LanguageTag>);
    // The chosen language, while the survey still has it; else its default.
    let lang = chosen.as_ref().filter(|l| languages.contains(l)).or(languages.first()).cloned();
    let texts = use_state(|| Load::<Texts>::Loading);
    {
        let texts = texts.clone();
        use_effect_with(lang.clone(), move |lang| {
            let lang = lang.as_ref().map(ToString::to_string);
            spawn_local(async move {
                let Some(lang) = lang else { return };
                texts.set(Load::Loading);
                texts.set(match api::messages(&lang).await {
                    Ok(messages) => Load::Ready(Texts::new(messages)),
                    Err(error) => Load::Failed(Failure::from(&error)),
                });
            });
        });
    }
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            chosen.set(LanguageTag::parse(e.target_unchecked_into::<HtmlSelectElement>().value()).ok())
        })
    };
    let onclick = {
        let on_refresh = props.on_refresh.clone();
        Callback::from(move |_: MouseEvent| on_refresh.emit(()))
    };
    html! {
        <section class="preview-panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{ t("prev-heading") }</h2>
            <p class="hint">{ t("prev-hint") }</p>
            <div class="row wrap">
                <div class="field">
                    <label for="preview-lang">{ t("prev-language") }</label>
                    <select id="preview-lang" name="preview-lang" {onchange}>
                        { for languages.iter().map(|l| html! {
                            <option value={l.to_string()} selected={Some(l) == lang.as_ref()}>{ language_name(l.as_str()) }</option>
                        }) }
                    </select>
                </div>
                <button type="button" id="refresh-preview" {onclick}>{ t("prev-refresh") }</button>
            </div>
            { body(props, lang, &texts) }
        </section>
    }
}

fn body(props: &PreviewPanelProps, lang: Option<LanguageTag>, texts: &Load<Texts>) -> Html {
    if let Some(why) = unpreviewable(&props.snapshot) {
        return html! { <p class="notice" id="preview-blocked">{ why }</p> };
    }
    let Some(lang) = lang else {
        return html! { <p class="notice">{ t("prev-no-language") }</p> };
    };
    if let Some(placeholder) = texts.placeholder() {
        return placeholder;
    }
    let Load::Ready(texts) = texts else { return html! {} };
    html! {
        <div class="preview-frame survey" id="preview">
            <Preview key={format!("{}-{lang}", props.generation)} survey={props.snapshot.clone()} lang={lang.clone()} texts={texts.clone()} />
        </div>
    }
}

/// Problems the respondent's form cannot be drawn with, if any: a scale of thousands of
/// points, or two questions with one id (the form keys its questions by id).
fn unpreviewable(snapshot: &SurveyRef) -> Option<String> {
    let problems = snapshot.0.check().err().unwrap_or_default();
    if problems.iter().any(|p| p.code == "bad_scale") {
        return Some(t("prev-blocked-scale"));
    }
    if problems.iter().any(|p| p.code == "duplicate_question") {
        return Some(t("prev-blocked-ids"));
    }
    None
}
