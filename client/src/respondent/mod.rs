//! The respondent's questionnaire: load the survey, answer it, send the answers once.

mod question;

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::validate::visible;
use nansen_shared::{Answer, Answers, LanguageTag, ProblemKind, Submission, SubmissionKey, Survey, validate};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::text::{self, texts};
use question::QuestionView;

#[derive(Debug, Properties, PartialEq)]
pub struct RespondentProps {
    pub slug: AttrValue,
    /// The language the server chose for the page.
    pub lang: AttrValue,
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

enum Phase {
    Loading,
    Failed(ApiError),
    Answering(SurveyRef),
    Counted,
}

#[function_component(Respondent)]
pub fn respondent(props: &RespondentProps) -> Html {
    let phase = use_state(|| Phase::Loading);
    {
        let phase = phase.clone();
        use_effect_with(props.slug.clone(), move |slug| {
            let slug = slug.clone();
            spawn_local(async move {
                phase.set(match api::survey(&slug).await {
                    Ok(survey) => Phase::Answering(SurveyRef(Rc::new(survey))),
                    Err(error) => Phase::Failed(error),
                });
            });
        });
    }
    let t = texts(&props.lang);
    match &*phase {
        Phase::Loading => html! { <p class="loading">{ t.loading }</p> },
        Phase::Failed(ApiError::Problem(problem))
            if problem.known_kind() == Some(ProblemKind::SurveyClosed) =>
        {
            html! { <p class="notice" role="status">{ t.closed }</p> }
        }
        Phase::Failed(_) => html! { <p class="notice error" role="alert">{ t.load_failed }</p> },
        Phase::Answering(survey) => {
            let on_counted = {
                let phase = phase.clone();
                Callback::from(move |()| phase.set(Phase::Counted))
            };
            html! {
                <Questionnaire survey={survey.clone()} slug={props.slug.clone()} lang={props.lang.clone()} {on_counted} />
            }
        }
        Phase::Counted => html! { <p class="notice success" role="status">{ t.counted }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct QuestionnaireProps {
    survey: SurveyRef,
    slug: AttrValue,
    lang: AttrValue,
    on_counted: Callback<()>,
}

/// Where sending stands.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    InFlight,
    /// Not sent, or the reply was lost: retrying with the same key is safe.
    NotSent,
    /// The server refused; its explanation.
    Refused(String),
}

#[function_component(Questionnaire)]
fn questionnaire(props: &QuestionnaireProps) -> Html {
    let survey = &props.survey.0;
    let answers = use_state(Answers::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let sending = use_state(|| Sending::Idle);
    // One key per filled-in form: a retry after a lost reply is recognised, not
    // counted twice.
    let key = use_state(new_key);
    let fallback = survey.default_language().cloned();
    let lang = LanguageTag::parse(props.lang.as_str()).ok().or_else(|| fallback.clone());
    let (Some(lang), Some(fallback)) = (lang, fallback) else {
        return html! {};
    };
    let t = texts(&props.lang);

    let on_change = {
        let (answers, errors, survey) = (answers.clone(), errors.clone(), survey.clone());
        Callback::from(move |(id, answer): (String, Option<Answer>)| {
            let mut next = (*answers).clone();
            match answer {
                Some(answer) => next.insert(id.clone(), answer),
                None => next.remove(&id),
            };
            // Answers to questions that no longer apply are dropped, not sent.
            let shown = visible(&survey, &next);
            for (question, shown) in survey.questions.iter().zip(shown) {
                if !shown {
                    next.remove(question.id.as_str());
                }
            }
            answers.set(next);
            if errors.contains_key(&id) {
                let mut remaining = (*errors).clone();
                remaining.remove(&id);
                errors.set(remaining);
            }
        })
    };

    let on_submit = {
        let (answers, errors, sending, key) = (answers.clone(), errors.clone(), sending.clone(), key.clone());
        let (survey, slug, lang_code, on_counted) =
            (survey.clone(), props.slug.clone(), props.lang.clone(), props.on_counted.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *sending == Sending::InFlight {
                return;
            }
            if let Err(problems) = validate(&survey, &answers) {
                errors.set(
                    problems
                        .iter()
                        .map(|e| (e.question.clone(), text::problem(&lang_code, &e.problem)))
                        .collect(),
                );
                sending.set(Sending::Idle);
                return;
            }
            errors.set(BTreeMap::new());
            sending.set(Sending::InFlight);
            let submission = Submission {
                version: survey.version.unwrap_or(0),
                answers: (*answers).clone(),
                key: (*key).clone(),
            };
            let (errors, sending, slug, lang_code, on_counted) =
                (errors.clone(), sending.clone(), slug.clone(), lang_code.clone(), on_counted.clone());
            spawn_local(async move {
                match api::submit(&slug, &submission).await {
                    Ok(_) => on_counted.emit(()),
                    Err(ApiError::Problem(problem)) => match problem.known_kind() {
                        // Counted on an earlier try whose reply was lost.
                        Some(ProblemKind::AlreadyCounted) => on_counted.emit(()),
                        Some(ProblemKind::InvalidAnswers) => {
                            let generic = text::checks(&lang_code).to_owned();
                            errors.set(
                                problem
                                    .errors
                                    .iter()
                                    .filter_map(|e| e.question().map(|q| (q.to_owned(), generic.clone())))
                                    .collect(),
                            );
                            sending.set(Sending::Idle);
                        }
                        _ => sending.set(Sending::Refused(problem.detail)),
                    },
                    Err(ApiError::Network | ApiError::Unexpected(_)) => sending.set(Sending::NotSent),
                }
            });
        })
    };

    let shown = visible(survey, &answers);
    let text = |localized: &nansen_shared::Localized| localized.get(&lang, &fallback).to_owned();
    let banner = match (&*sending, errors.is_empty()) {
        (Sending::NotSent, _) => Some(t.not_sent.to_owned()),
        (Sending::Refused(detail), _) => Some(detail.clone()),
        (_, false) => Some(t.fix_errors.to_owned()),
        _ => None,
    };
    let in_flight = *sending == Sending::InFlight;
    html! {
        <form class="questionnaire" novalidate=true onsubmit={on_submit}>
            <h1>{ text(&survey.title) }</h1>
            if !survey.intro.is_empty() {
                <p class="intro">{ text(&survey.intro) }</p>
            }
            { for survey.questions.iter().enumerate().filter(|(i, _)| shown[*i]).map(|(index, question)| {
                let id = question.id.as_str();
                html! {
                    <QuestionView
                        key={id}
                        survey={props.survey.clone()}
                        {index}
                        lang={lang.clone()}
                        answer={answers.get(id).cloned()}
                        error={errors.get(id).map(|e| AttrValue::from(e.clone()))}
                        on_change={on_change.clone()}
                    />
                }
            }) }
            if let Some(banner) = banner {
                <p class="notice error" role="alert">{ banner }</p>
            }
            <button type="submit" class="send" disabled={in_flight}>
                { if in_flight { t.sending } else { t.submit } }
            </button>
        </form>
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
