//! The respondent's questionnaire: the survey in the person's language, answered and
//! sent once, safely retried, with nothing kept after the tab closes.

mod form;
mod language;
mod question;

use std::rc::Rc;

use nansen_shared::{
    LanguageTag, Localized, MessageRef, Messages, ProblemKind, Question, QuestionKind, Submission,
    SubmissionKey, Survey,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::Texts;
use form::{Action, Flag, FormState, Notice};
use language::LanguageSwitch;
use question::QuestionView;

/// The elements in which the server embeds the definition and the interface strings,
/// so that the page needs no second round trip before the first question shows.
const INLINE_DEFINITION: &str = "nansen-survey";
const INLINE_MESSAGES: &str = "nansen-messages";

#[derive(Debug, Properties, PartialEq)]
pub struct RespondentProps {
    pub slug: AttrValue,
    /// The language the server chose for the page.
    pub lang: AttrValue,
    /// The fields of the server-rendered form, as the person left them.
    #[prop_or_default]
    pub fields: Vec<(String, String)>,
}

/// The `name=value` fields of the first form inside `root` (the server's form that
/// works without JavaScript), so that nothing typed before the client loaded is lost.
pub fn form_fields(root: &web_sys::Element) -> Vec<(String, String)> {
    let form = root
        .query_selector("form")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
    let Some(data) = form.and_then(|f| web_sys::FormData::new_with_form(&f).ok()) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair = entry.dyn_into::<js_sys::Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// A survey shared by the components of one form, compared by identity: it never
/// changes once loaded.
#[derive(Debug, Clone)]
pub struct SurveyRef(pub Rc<Survey>);

impl PartialEq for SurveyRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Failed,
    Closed,
    Answering(SurveyRef),
    Counted,
}

#[function_component(Respondent)]
pub fn respondent(props: &RespondentProps) -> Html {
    let phase = use_state(|| {
        inline::<Survey>(INLINE_DEFINITION)
            .map_or(Phase::Loading, |s| Phase::Answering(SurveyRef(Rc::new(s))))
    });
    let lang = use_state(|| props.lang.to_string());
    let texts = use_state(|| inline::<Messages>(INLINE_MESSAGES).map(Texts::new));
    {
        let (phase, texts, lang) = (phase.clone(), texts.clone(), lang.clone());
        use_effect_with(props.slug.clone(), move |slug| {
            let slug = slug.clone();
            spawn_local(async move {
                if texts.is_none() {
                    texts.set(api::messages(&slug, &lang).await.ok().map(Texts::new));
                }
                if *phase == Phase::Loading {
                    phase.set(loaded(api::survey(&slug).await));
                }
            });
        });
    }
    let on_language = {
        let (lang, texts, slug) = (lang.clone(), texts.clone(), props.slug.clone());
        Callback::from(move |code: String| {
            let (lang, texts, slug) = (lang.clone(), texts.clone(), slug.clone());
            spawn_local(async move {
                // Switch when the strings have come; the answers stay as they are.
                if let Ok(messages) = api::messages(&slug, &code).await {
                    texts.set(Some(Texts::new(messages)));
                }
                set_document_language(&code);
                lang.set(code);
            });
        })
    };
    let Some(i18n) = (*texts).clone() else {
        // Without its strings the page keeps the server's "Loading…" text.
        return html! {};
    };
    match &*phase {
        Phase::Loading => html! { <p class="loading">{ i18n.t("loading") }</p> },
        Phase::Failed => html! { <p class="notice error" role="alert">{ i18n.t("load-failed") }</p> },
        Phase::Closed => html! { <p class="notice" role="status">{ i18n.t("closed") }</p> },
        Phase::Counted => {
            html! { <p class="notice success" role="status" tabindex="-1">{ i18n.t("counted") }</p> }
        }
        Phase::Answering(survey) => {
            let default = survey.0.default_language().cloned();
            let Some(content_lang) = LanguageTag::parse(lang.as_str()).ok().or(default) else {
                return html! {};
            };
            let done = {
                let phase = phase.clone();
                Callback::from(move |outcome: Phase| phase.set(outcome))
            };
            html! {
                <>
                    <LanguageSwitch
                        languages={survey.0.languages.clone()}
                        current={content_lang.clone()}
                        label={i18n.t("language")}
                        autonyms={i18n.0.autonyms.clone()}
                        on_change={on_language}
                    />
                    <Questionnaire
                        survey={survey.clone()}
                        slug={props.slug.clone()}
                        i18n={i18n.clone()}
                        lang={content_lang}
                        {done}
                        fields={props.fields.clone()}
                    />
                </>
            }
        }
    }
}

fn loaded(result: Result<Survey, ApiError>) -> Phase {
    match result {
        Ok(survey) => Phase::Answering(SurveyRef(Rc::new(survey))),
        Err(ApiError::Problem(p)) if p.known_kind() == Some(ProblemKind::SurveyClosed) => Phase::Closed,
        Err(_) => Phase::Failed,
    }
}

/// Data the server put in the page, if any.
fn inline<T: serde::de::DeserializeOwned>(id: &str) -> Option<T> {
    let document = web_sys::window()?.document()?;
    let text = document.get_element_by_id(id)?.text_content()?;
    serde_json::from_str(&text).ok()
}

/// Keeps `<html lang>` and the address (`?lang=`) in step with the chosen language, so
/// that screen readers pronounce it right and a reload keeps it.
fn set_document_language(code: &str) {
    let Some(window) = web_sys::window() else { return };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
    }
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?lang={code}")));
    }
}

#[derive(Properties, PartialEq)]
struct QuestionnaireProps {
    survey: SurveyRef,
    slug: AttrValue,
    i18n: Texts,
    lang: LanguageTag,
    /// Reports the end: counted, or the survey closed meanwhile.
    done: Callback<Phase>,
    /// A preview for staff: answers are checked but never sent.
    #[prop_or_default]
    preview: bool,
    /// Answers to start from, as form fields.
    #[prop_or_default]
    fields: Vec<(String, String)>,
}

#[derive(Debug, Properties, PartialEq)]
pub struct PreviewProps {
    pub survey: SurveyRef,
    /// The survey language to show.
    pub lang: LanguageTag,
    /// Interface strings in that language.
    pub texts: Texts,
}

/// The questionnaire exactly as a respondent sees it, for the survey designer: the same
/// components, the same validation, and nothing is ever sent.
#[function_component(Preview)]
pub fn preview(props: &PreviewProps) -> Html {
    html! {
        <Questionnaire
            key={props.lang.to_string()}
            survey={props.survey.clone()}
            slug=""
            i18n={props.texts.clone()}
            lang={props.lang.clone()}
            done={Callback::noop()}
            preview=true
        />
    }
}

#[function_component(Questionnaire)]
fn questionnaire(props: &QuestionnaireProps) -> Html {
    let state = use_reducer(|| {
        let answers = nansen_shared::answer::from_form(&props.survey.0, &props.fields);
        FormState::new(props.survey.clone(), new_key()).starting_with(answers)
    });
    use_effect_with((), |()| mark("nansen:first-question"));
    use_effect_with(state.focus, |focus| {
        if *focus > 0 {
            focus_first_flagged();
        }
    });
    let i18n = &props.i18n;
    let survey = &state.survey.0;
    // One callback for the form's life, so that a question re-renders only when its
    // own answer, error or number changes.
    let on_change = {
        let dispatcher = state.dispatcher();
        use_callback((), move |(id, answer), ()| dispatcher.dispatch(Action::Answer(id, answer)))
    };
    let on_submit = {
        let state = state.clone();
        let (slug, done, preview) = (props.slug.clone(), props.done.clone(), props.preview);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if state.in_flight {
                return;
            }
            match state.submission() {
                Err(errors) => state.dispatch(Action::Invalid(errors)),
                Ok(_) if preview => state.dispatch(Action::PreviewValid),
                Ok(submission) => {
                    state.dispatch(Action::Sending);
                    let (state, slug, done) = (state.clone(), slug.clone(), done.clone());
                    spawn_local(async move { send(state, &slug, &submission, done).await });
                }
            }
        })
    };

    let fallback = survey.default_language().unwrap_or(&props.lang).clone();
    let text = |l: &Localized| l.get(&props.lang, &fallback).to_owned();
    let shown = state.shown();
    let total = shown.iter().filter(|s| **s).count();
    let answered = survey
        .questions
        .iter()
        .zip(&shown)
        .filter(|(q, shown)| **shown && state.answers.contains_key(q.id.as_str()))
        .count();
    let notice = state.notice.as_ref().map(|notice| match notice {
        Notice::FixErrors(count) => i18n.count("fix-errors", *count),
        Notice::NotSent => i18n.t("not-sent"),
        Notice::Updated => i18n.t("survey-updated"),
        Notice::Refused(detail) => i18n.fill("refused", &[("detail", detail)]),
        Notice::PreviewValid => i18n.t("preview-valid"),
    });
    let button = match (state.in_flight, &state.notice) {
        (true, _) => i18n.t("sending"),
        (false, Some(Notice::NotSent)) => i18n.t("retry"),
        _ => i18n.t("send"),
    };
    let mut number = 0;
    html! {
        // `data-live`: this is the client's form, no longer the server's plain one.
        <form class="questionnaire" data-live="true" novalidate=true onsubmit={on_submit}
            aria-busy={state.in_flight.to_string()}>
            <h1>{ text(&survey.title) }</h1>
            if !survey.intro.is_empty() {
                <p class="intro">{ text(&survey.intro) }</p>
            }
            <div class="progress">
                <progress max={total.to_string()} value={answered.to_string()} aria-hidden="true"></progress>
                <span>{ i18n.fill("progress", &[("answered", &answered.to_string()), ("total", &total.to_string())]) }</span>
            </div>
            { for survey.questions.iter().enumerate().filter(|(i, _)| shown[*i]).map(|(index, question)| {
                number += 1;
                let id = question.id.as_str();
                let error = state.flags.get(id).map(|flag| AttrValue::from(flag_text(i18n, question, flag, &text)));
                html! {
                    <QuestionView
                        key={id}
                        survey={state.survey.clone()}
                        {index}
                        {number}
                        {total}
                        lang={props.lang.clone()}
                        i18n={i18n.clone()}
                        answer={state.answers.get(id).cloned()}
                        {error}
                        on_change={on_change.clone()}
                    />
                }
            }) }
            if let Some(notice) = notice {
                <p class={classes!("notice", (!matches!(state.notice, Some(Notice::Updated | Notice::PreviewValid))).then_some("error"))}
                    role="alert">{ notice }</p>
            }
            <button type="submit" class="send" disabled={state.in_flight}>{ button }</button>
        </form>
    }
}

/// Sends the answers and moves the form on according to the reply.
async fn send(
    state: UseReducerHandle<FormState>,
    slug: &str,
    submission: &Submission,
    done: Callback<Phase>,
) {
    let refusal = match api::submit(slug, submission).await {
        // Counted now, or on an earlier try whose reply was lost.
        Ok(_) => return done.emit(Phase::Counted),
        Err(ApiError::Problem(problem)) => problem,
        Err(ApiError::Network | ApiError::Unexpected(_)) => return state.dispatch(Action::NotSent),
    };
    match refusal.known_kind() {
        Some(ProblemKind::AlreadyCounted) => done.emit(Phase::Counted),
        Some(ProblemKind::SurveyClosed) => done.emit(Phase::Closed),
        Some(ProblemKind::InvalidAnswers) => state.dispatch(Action::Refused(refusal.errors)),
        Some(ProblemKind::VersionMismatch) => match api::survey(slug).await {
            Ok(survey) => state.dispatch(Action::Updated(SurveyRef(Rc::new(survey)))),
            Err(_) => state.dispatch(Action::NotSent),
        },
        _ => state.dispatch(Action::RefusedAll(refusal.detail)),
    }
}

/// What to say about a flagged answer, in the interface language (option labels in
/// the survey's, through `text`).
fn flag_text(i18n: &Texts, question: &Question, flag: &Flag, text: &dyn Fn(&Localized) -> String) -> String {
    let Flag::Local(problem) = flag else {
        return i18n.t("error-other");
    };
    let label = |code: &str| match &question.kind {
        QuestionKind::Multi { options, .. } | QuestionKind::Single { options } => options
            .iter()
            .find(|o| o.code.as_str() == code)
            .map_or_else(|| code.to_owned(), |o| text(&o.label)),
        _ => code.to_owned(),
    };
    i18n.0.render(&MessageRef::for_problem(problem, label))
}

/// Moves keyboard focus to the first input of the first flagged question (which also
/// scrolls it into view).
fn focus_first_flagged() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(Some(first)) = document.query_selector("fieldset.invalid input, fieldset.invalid select") else {
        return;
    };
    if let Ok(element) = first.dyn_into::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Marks a moment on the page's performance timeline (read by the page-load benchmark).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A fresh 256-bit key from the browser's secure random source.
fn new_key() -> String {
    let mut bytes = [0u8; 32];
    // Without a secure source there is no safe key; an empty one is refused by the
    // server with a clear error rather than sent weak.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    SubmissionKey::from_random_bytes(bytes).as_str().to_owned()
}
