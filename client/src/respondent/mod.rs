//! The respondent's questionnaire: the survey in the person's language, answered and
//! sent once, safely retried, with nothing kept after the tab closes.

mod form;
mod language;
mod question;

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::answer::new_key;
use nansen_shared::invite::Token;
use nansen_shared::{
    Access, LanguageTag, Localized, MessageRef, Messages, ProblemKind, Question, QuestionKind, Submission,
    Survey,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::Texts;
use crate::invite::RedeemRef;
use crate::mark;
use form::{Action, Flag, FormState, INVITE, Notice};
use language::{language_switch, switch_form};
use question::QuestionView;

/// The elements in which the server embeds the definition and the interface strings,
/// so that the page needs no second round trip before the first question shows.
const INLINE_DEFINITION: &str = "nansen-survey";
const INLINE_MESSAGES: &str = "nansen-messages";

#[derive(Debug, Properties, PartialEq)]
pub struct RespondentProps {
    pub slug: AttrValue,
    /// The survey, with its texts in the page's language.
    pub survey: SurveyRef,
    /// The page's language.
    pub lang: LanguageTag,
    pub texts: Texts,
    /// The fields of the server-rendered form, as the person left them.
    pub fields: Vec<(String, String)>,
    /// For an invite-only survey: how to exchange the invite code.
    pub redeem: Option<RedeemRef>,
}

/// Everything the page carries for the client, read before the client replaces the
/// server's form; `None` if anything is missing, and then the server's form stays.
pub fn from_page(root: &web_sys::Element) -> Option<RespondentProps> {
    let slug = root.get_attribute("data-slug")?;
    let survey: Survey = inline(INLINE_DEFINITION)?;
    let mut messages: Messages = inline(INLINE_MESSAGES)?;
    if messages.countries.is_empty() {
        // The page sends the country names once, in the form's own list.
        messages.countries = form_countries(root);
    }
    let lang = root.get_attribute("data-lang").and_then(|l| LanguageTag::parse(l).ok());
    let lang = lang.or_else(|| survey.default_language().cloned())?;
    Some(RespondentProps {
        slug: slug.into(),
        survey: SurveyRef(Rc::new(survey)),
        lang,
        texts: Texts::new(messages),
        fields: form_fields(root),
        redeem: None,
    })
}

/// The `value → name` of the options of the server form's country list, if any (not
/// its "none", which is no country code).
fn form_countries(root: &web_sys::Element) -> BTreeMap<String, String> {
    let Ok(options) = root.query_selector_all("select.country option") else {
        return BTreeMap::new();
    };
    (0..options.length())
        .filter_map(|i| options.get(i))
        .filter_map(|node| {
            let value = node
                .dyn_ref::<web_sys::Element>()?
                .get_attribute("value")
                .filter(|v| nansen_shared::countries::index_of(v).is_some())?;
            Some((value, node.text_content()?))
        })
        .collect()
}

/// The `name=value` fields of the first form inside `root` (the server's form that
/// works without JavaScript), so that nothing typed before the client loaded is lost.
fn form_fields(root: &web_sys::Element) -> Vec<(String, String)> {
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

/// How the questionnaire ended, if it has.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Answering,
    Counted,
    Closed,
}

#[function_component(Respondent)]
pub fn respondent(props: &RespondentProps) -> Html {
    let phase = use_state(|| Phase::Answering);
    let i18n = &props.texts;
    match *phase {
        Phase::Closed => html! { <p class="notice" role="status">{ i18n.t("closed") }</p> },
        Phase::Counted => {
            // Only if the confirmation page could not be opened: the same words.
            let next = if props.survey.0.settings.privacy.noise { "counted-noise" } else { "counted-exact" };
            html! {
                <>
                <p class="notice success" role="status" tabindex="-1">{ i18n.t("counted") }</p>
                <p class="counted-next">{ i18n.t(next) }</p>
                </>
            }
        }
        Phase::Answering => {
            let done = {
                let phase = phase.clone();
                let confirmation = format!("/s/{}/done?lang={}", props.slug, props.lang);
                Callback::from(move |outcome: Phase| {
                    // The server's confirmation page, the same as the plain form's, which
                    // also tells the browser to clear what it cached of the site; the
                    // filled-in form is left out of the history.
                    let left = outcome == Phase::Counted
                        && web_sys::window().is_some_and(|w| w.location().replace(&confirmation).is_ok());
                    if !left {
                        phase.set(outcome);
                    }
                })
            };
            html! {
                <Questionnaire
                    survey={props.survey.clone()}
                    slug={props.slug.clone()}
                    i18n={i18n.clone()}
                    lang={props.lang.clone()}
                    {done}
                    fields={props.fields.clone()}
                    redeem={props.redeem.clone()}
                />
            }
        }
    }
}

/// Data the server put in the page, if any.
fn inline<T: serde::de::DeserializeOwned>(id: &str) -> Option<T> {
    let document = web_sys::window()?.document()?;
    let text = document.get_element_by_id(id)?.text_content()?;
    serde_json::from_str(&text).ok()
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
    /// For an invite-only survey: how to exchange the invite code.
    #[prop_or_default]
    redeem: Option<RedeemRef>,
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
            focus_summary_or_first_flagged();
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
    let code_input = use_node_ref();
    let on_submit = {
        let state = state.clone();
        let (slug, done, preview) = (props.slug.clone(), props.done.clone(), props.preview);
        let (redeem, code_input) = (props.redeem.clone(), code_input.clone());
        Callback::from(move |event: SubmitEvent| {
            // (The language buttons send a form of their own: see `language`.)
            event.prevent_default();
            if state.in_flight {
                return;
            }
            match state.submission() {
                Err(errors) => state.dispatch(Action::Invalid(errors)),
                Ok(_) if preview => state.dispatch(Action::PreviewValid),
                Ok(submission) if state.needs_invite() => {
                    let code = code_input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                    match redeem.clone() {
                        _ if code.trim().is_empty() => state.dispatch(Action::Invite("invite-missing", true)),
                        None => state.dispatch(Action::Invite("invite-unknown", true)),
                        Some(redeem) => {
                            state.dispatch(Action::Sending);
                            let (state, slug, done) = (state.clone(), slug.clone(), done.clone());
                            spawn_local(async move {
                                if let Some(token) = exchange(&state, &done, redeem, code, true).await {
                                    let submission = Submission { token: Some(token), ..submission };
                                    send(state, &slug, &submission, done).await;
                                }
                            });
                        }
                    }
                }
                Ok(submission) => {
                    state.dispatch(Action::Sending);
                    let (state, slug, done) = (state.clone(), slug.clone(), done.clone());
                    spawn_local(async move { send(state, &slug, &submission, done).await });
                }
            }
        })
    };

    // The code is exchanged as soon as it is typed, so that minutes of answering, not
    // milliseconds, separate the exchange from the answers on the server's side.
    let on_code = {
        let (state, done, redeem) = (state.clone(), props.done.clone(), props.redeem.clone());
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            let code = input.value();
            let complete = nansen_shared::invite::normalise_code(&code).is_some();
            if let (true, None, Some(redeem)) = (complete, &state.token, redeem.clone()) {
                let (state, done) = (state.clone(), done.clone());
                spawn_local(async move {
                    exchange(&state, &done, redeem, code, false).await;
                });
            }
        })
    };
    let fallback = survey.default_language().unwrap_or(&props.lang).clone();
    let text = |l: &Localized| l.get(&props.lang, &fallback).to_owned();
    let shown = state.shown();
    let total = shown.iter().filter(|s| **s).count();
    // Only answers that would be accepted count as answered.
    let wrong: Vec<String> = match nansen_shared::validate(survey, &state.answers) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.question).collect(),
    };
    let answered = survey
        .questions
        .iter()
        .zip(&shown)
        .filter(|(q, shown)| {
            let id = q.id.as_str();
            **shown && state.answers.contains_key(id) && !wrong.iter().any(|w| w == id)
        })
        .count();
    // The questions' numbers as shown now, and what each flagged one needs.
    let numbers: Vec<usize> = shown
        .iter()
        .scan(0, |number, shown| {
            *number += usize::from(*shown);
            Some(*number)
        })
        .collect();
    let problems: Vec<Problem> = problems(&state, survey, &shown, &numbers, i18n, &text);
    let summary = matches!(state.notice, Some(Notice::FixErrors(_))) && !problems.is_empty();
    let notice = state.notice.as_ref().map(|notice| match notice {
        Notice::FixErrors(_) if summary => {
            let jump = Callback::from(|event: MouseEvent| {
                event.prevent_default();
                focus_summary_or_first_flagged();
            });
            html! {
                <>
                { i18n.count("fix-errors", problems.len()) }{ ". " }
                <a href={format!("#{SUMMARY}")} onclick={jump}>{ i18n.t("errors-at-top") }</a>
                </>
            }
        }
        Notice::FixErrors(count) => i18n.count("fix-errors", *count).into(),
        Notice::NotSent => i18n.t("not-sent").into(),
        Notice::Waiting(seconds) => i18n.fill("sending-again", &[("seconds", &seconds.to_string())]).into(),
        Notice::Updated => i18n.t("survey-updated").into(),
        Notice::Refused(detail) => i18n.fill("refused", &[("detail", detail)]).into(),
        Notice::PreviewValid => i18n.t("preview-valid").into(),
    });
    let button = match (state.in_flight, &state.notice) {
        (true, _) => i18n.t("sending"),
        (false, Some(Notice::NotSent)) => i18n.t("retry"),
        _ => i18n.t("send"),
    };
    // What the language buttons send: the answers as the plain form's fields (not the
    // key: the page that comes back makes a new one).
    let mut switch_fields = vec![("version".to_owned(), survey.version.unwrap_or(0).to_string())];
    switch_fields.extend(nansen_shared::answer::to_form(survey, &state.answers));
    html! {
        <>
        // `data-live`: this is the client's form, no longer the server's plain one.
        <form class="questionnaire" id="questionnaire" data-live="true" novalidate=true onsubmit={on_submit}
            method="post" action={format!("/s/{}?lang={}", props.slug, props.lang)}
            aria-busy={state.in_flight.to_string()}>
            if !props.preview {
                { language_switch(&props.slug, &survey.languages, &props.lang, &i18n.0.autonyms, &i18n.t("language")) }
            }
            <h1>{ text(&survey.title) }</h1>
            if summary {
                { error_summary(i18n, &problems) }
            }
            if !survey.intro.is_empty() {
                <p class="intro">{ text(&survey.intro) }</p>
            }
            if survey.settings.access == Access::Invite && !props.preview {
                { invite_field(i18n, &state, code_input, on_code) }
            }
            <div class="progress">
                <progress max={total.to_string()} value={answered.to_string()} aria-hidden="true"></progress>
                <span>{ i18n.fill("progress", &[("answered", &answered.to_string()), ("total", &total.to_string())]) }</span>
            </div>
            { for survey.questions.iter().enumerate().filter(|(i, _)| shown[*i]).map(|(index, question)| {
                let number = numbers[index];
                let id = question.id.as_str();
                let error = problems.iter().find(|p| p.id == id).map(|p| p.error.clone());
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
            // With a summary, the focus moves to it and it is what is read out; this
            // line only points a person who scrolls down to send again back up to it.
            if let Some(notice) = notice {
                <p class={classes!("notice", (!matches!(state.notice, Some(Notice::Updated | Notice::PreviewValid | Notice::Waiting(_)))).then_some("error"))}
                    role={(!summary).then_some("alert")}>{ notice }</p>
            }
            <button type="submit" class="send" disabled={state.in_flight}>{ button }</button>
        </form>
        if !props.preview {
            { switch_form(&props.slug, &props.lang, switch_fields) }
        }
        </>
    }
}

/// The invite code field; once the code is exchanged, a word that it was accepted.
fn invite_field(i18n: &Texts, state: &FormState, input: NodeRef, onchange: Callback<Event>) -> Html {
    if state.token.is_some() {
        return html! { <p class="notice success invite-ready" role="status">{ i18n.t("invite-ready") }</p> };
    }
    let error = match state.flags.get(INVITE) {
        Some(Flag::Invite(message)) => Some(i18n.t(message)),
        _ => None,
    };
    html! {
        <div id="q-invite" class={classes!("question", "invite", error.is_some().then_some("invalid"))}>
            <label for="invite">{ i18n.t("invite-code") }</label>
            <p class="help" id="invite-help">{ i18n.t("invite-help") }</p>
            <input id="invite" name="invite" type="text" ref={input} autocomplete="off" autocapitalize="characters"
                spellcheck="false" {onchange} aria-invalid={error.is_some().then_some("true")}
                aria-describedby={if error.is_some() { "invite-help invite-error" } else { "invite-help" }} />
            if let Some(error) = error {
                <p class="error" id="invite-error">{ error }</p>
            }
        </div>
    }
}

/// Exchanges the invite code for a token, kept in the form for every retry; `None` if
/// the exchange failed (and the form says why). Exchanging the same code twice at once
/// (typed, then sent at once) is harmless: the same blinded message is signed again.
/// Only at send does a failure of the network, or a refusal other than the code's, stop
/// anything and get said.
async fn exchange(
    state: &UseReducerHandle<FormState>,
    done: &Callback<Phase>,
    redeem: RedeemRef,
    code: String,
    at_send: bool,
) -> Option<Token> {
    let refused = match redeem.0.redeem(code).await {
        Ok(token) => {
            state.dispatch(Action::Token(token.clone()));
            return Some(token);
        }
        Err(refused) => refused,
    };
    let kind = match &refused {
        ApiError::Problem(problem) => problem.known_kind(),
        _ => None,
    };
    match (refused, kind) {
        (_, Some(ProblemKind::InvalidInvite)) => state.dispatch(Action::Invite("invite-unknown", at_send)),
        (_, Some(ProblemKind::InviteUsed)) => state.dispatch(Action::Invite("invite-used", at_send)),
        (_, Some(ProblemKind::SurveyClosed)) => done.emit(Phase::Closed),
        _ if !at_send => {}
        (ApiError::Problem(problem), _) => state.dispatch(Action::RefusedAll(problem.detail)),
        (ApiError::Network | ApiError::Unexpected(_), _) => state.dispatch(Action::NotSent),
    }
    None
}

/// Sends the answers and moves the form on according to the reply.
async fn send(
    state: UseReducerHandle<FormState>,
    slug: &str,
    submission: &Submission,
    done: Callback<Phase>,
) {
    let waiting = |seconds| state.dispatch(Action::Waiting(seconds));
    let refusal = match api::submit(slug, submission, &state.survey.0, &waiting).await {
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

/// A flagged question (or the invite code) as the form shows it.
struct Problem {
    /// The question's id (`invite` for the code), so its element is `q-{id}`.
    id: String,
    /// "Question 3: When did you leave…?"
    link: String,
    /// What is wrong, in the interface language.
    error: AttrValue,
}

/// The flagged questions shown now, in the form's order (the invite code first, as it
/// stands above the questions), with their numbers as shown and what each needs.
fn problems(
    state: &FormState,
    survey: &Survey,
    shown: &[bool],
    numbers: &[usize],
    i18n: &Texts,
    text: &dyn Fn(&Localized) -> String,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(flag) = state.flags.get(INVITE) {
        let error = match flag {
            Flag::Invite(message) => i18n.t(message),
            _ => i18n.t("error-other"),
        };
        problems.push(Problem { id: INVITE.to_owned(), link: i18n.t("invite-code"), error: error.into() });
    }
    for (i, question) in survey.questions.iter().enumerate() {
        let Some(flag) = state.flags.get(question.id.as_str()).filter(|_| shown[i]) else { continue };
        let number = numbers[i].to_string();
        problems.push(Problem {
            id: question.id.to_string(),
            link: i18n.fill("error-link", &[("number", &number), ("label", &text(&question.prompt))]),
            error: flag_text(i18n, question, flag, text).into(),
        });
    }
    problems
}

/// The id of the summary of what needs attention (the plain form's is the same).
const SUMMARY: &str = "nansen-errors";

/// What needs attention, at the top of the form: how many answers, and each as a link
/// to its question followed by what is wrong. Focus moves here after a refused send;
/// a link moves it on to the question's first field. A region named by its heading, so
/// that a screen reader says what it is when it takes the focus, and can find it again.
fn error_summary(i18n: &Texts, problems: &[Problem]) -> Html {
    html! {
        <div id={SUMMARY} class="error-summary" role="region" tabindex="-1" aria-labelledby={format!("{SUMMARY}-heading")}>
            <h2 id={format!("{SUMMARY}-heading")}>{ i18n.count("fix-errors", problems.len()) }</h2>
            <ul>
                { for problems.iter().map(|problem| {
                    let id = problem.id.clone();
                    let onclick = Callback::from(move |event: MouseEvent| {
                        event.prevent_default();
                        focus_question(&id);
                    });
                    html! {
                        <li>
                            <a href={format!("#q-{}", problem.id)} {onclick}>{ problem.link.clone() }</a>
                            { " " }
                            <span class="error-detail">{ problem.error.clone() }</span>
                        </li>
                    }
                }) }
            </ul>
        </div>
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
        QuestionKind::Ranking { items, .. } => {
            items.iter().find(|i| i.code.as_str() == code).map_or_else(|| code.to_owned(), |i| text(&i.label))
        }
        _ => code.to_owned(),
    };
    i18n.0.render(&MessageRef::for_problem(problem, label))
}

/// Moves keyboard focus to the summary of what needs attention, or, without one, to
/// the first input of the first flagged question (which also scrolls it into view).
fn focus_summary_or_first_flagged() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let target = document
        .get_element_by_id(SUMMARY)
        .or_else(|| document.query_selector(".invalid input, .invalid select").ok().flatten());
    if let Some(element) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Moves focus to the first field of question `id` that can take it, its legend
/// scrolled into view with it.
fn focus_question(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(question) = document.get_element_by_id(&format!("q-{id}")) else { return };
    let field = question.query_selector("input:not([disabled]), select").ok().flatten();
    if let Some(field) = field.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
        let _ = field.focus();
    }
    question.scroll_into_view();
}
