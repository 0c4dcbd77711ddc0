//! `/admin/surveys/{slug}`: the questionnaire designer. The definition lives in the
//! page as a `Survey` value; it is checked on every change by the shared crate (the
//! same check the server runs when publishing), saved as a draft with PUT, published,
//! closed, exported as JSON, and previewed with the respondent's own components. Once
//! published, its live link and QR code, and where its releases stand, are shown under
//! the toolbar; its opening and closing times are set in a panel of their own. Every change can be undone (the Undo button, or Ctrl+Z outside text
//! fields), removals ask first, and leaving with unsaved changes asks too.

mod choices;
mod condition;
mod confirm;
mod crosstabs;
mod fields;
mod general;
mod model;
mod preview;
mod problems;
mod question;
mod releases;
mod schedule;
mod share;

use std::rc::Rc;

use nansen_shared::{AdminSurvey, Slug, SurveyStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::respondent::SurveyRef;
use crate::staff::format;
use crate::staff::i18n::{Msg, t, use_lang};
use crate::staff::notice::{self, Failure, FailureView, Load};
use crate::staff::route::set_unsaved;
use crate::staff::{StaffContext, api, download, use_staff};
use confirm::ConfirmButton;
use fields::Form;
use model::{Action, EditorState};
use preview::PreviewPanel;
use releases::ReleasePanel;
use schedule::{SchedulePanel, Typed};
use share::SharePanel;

pub use model::starter;

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub slug: Slug,
}

/// Loads the survey, then hands it to the form.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let staff = use_staff();
    let loaded = use_state(|| Load::Loading);
    {
        let loaded = loaded.clone();
        use_effect_with(props.slug.clone(), move |slug| {
            let slug = slug.to_string();
            spawn_local(async move {
                loaded.set(match api::admin_survey(&slug).await {
                    Ok(survey) => Load::Ready(Rc::new(survey)),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    html! {
        <section class="editor">
            <h1>{ t("ed-heading") }{ " " }<code>{ props.slug.as_str() }</code></h1>
            { loaded.placeholder().unwrap_or_else(|| match &*loaded {
                Load::Ready(survey) => html! { <EditorForm initial={survey.clone()} /> },
                _ => html! {},
            }) }
        </section>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct EditorFormProps {
    initial: Rc<AdminSurvey>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tab {
    Edit,
    Preview,
}

/// The result of the last save, publish or close.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(Msg),
    Failed(Failure),
}

/// What the page is waiting for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Busy {
    Saving,
    Publishing,
    Closing,
    Scheduling,
}

#[function_component(EditorForm)]
fn editor_form(props: &EditorFormProps) -> Html {
    let staff = use_staff();
    use_lang();
    let state = use_reducer(|| EditorState::new((*props.initial).clone()));
    let tab = use_state(|| Tab::Edit);
    let snapshot = use_state(|| (SurveyRef(Rc::new(state.survey.clone())), 0_u32));
    let busy = use_state(|| None::<Busy>);
    let outcome = use_state(|| None::<Outcome>);
    // The opening and closing times as typed; what the server holds after each reply.
    let typed = use_state(|| Typed::of(&state.schedule, state.status));
    {
        let typed = typed.clone();
        use_effect_with((state.schedule, state.status), move |(schedule, status)| {
            typed.set(Typed::of(schedule, *status));
        });
    }
    use_effect_with(state.focus.clone(), |focus| {
        if let Some((_, id)) = focus {
            notice::focus(&format!("#{id}"));
        }
    });
    // Leaving (another screen, closing or reloading the tab) asks while changes are unsaved.
    use_effect_with(state.unsaved(), |unsaved| set_unsaved(*unsaved));
    use_effect_with((), |()| || set_unsaved(false));
    use_undo_key(state.dispatcher());
    let refresh = {
        let (snapshot, survey) = (snapshot.clone(), state.survey.clone());
        Callback::from(move |()| snapshot.set((SurveyRef(Rc::new(survey.clone())), snapshot.1 + 1)))
    };
    let lifecycle = Lifecycle {
        state: state.clone(),
        busy: busy.clone(),
        outcome: outcome.clone(),
        staff,
        typed: (*typed).clone(),
    };
    let published = matches!(state.status, SurveyStatus::Open | SurveyStatus::Scheduled);
    let on_typed = {
        let typed = typed.clone();
        Callback::from(move |next| typed.set(next))
    };
    let on_save_schedule = published.then(|| {
        let lifecycle = lifecycle.clone();
        Callback::from(move |_: MouseEvent| lifecycle.clone().save_schedule())
    });
    let form = Form { state: &state, dispatch: state.dispatcher() };
    let on_release_status = {
        let dispatch = state.dispatcher();
        Callback::from(move |status| dispatch.dispatch(Action::Releases(status)))
    };
    let standing = problems::Standing {
        status: state.status,
        version: state.current_version,
        changes: state.is_draft || state.unsaved(),
        unsaved: state.unsaved(),
    };
    html! {
        <>
            { toolbar(&state, &lifecycle, *busy, tabs(&tab, &refresh)) }
            if let Some(outcome) = &*outcome {
                { outcome_view(outcome) }
            }
            if published {
                <SharePanel slug={state.survey.slug.to_string()} />
            }
            <SchedulePanel status={state.status} stored={state.schedule} typed={(*typed).clone()} {on_typed}
                on_save={on_save_schedule} busy={busy.is_some()} />
            if let (Some(status), false) = (&state.releases, state.status == SurveyStatus::Draft) {
                <ReleasePanel slug={state.survey.slug.clone()} survey={state.status} status={status.clone()}
                    on_status={on_release_status} />
            }
            <div class="editor-layout">
                <div class="editor-main">
                    if *tab == Tab::Edit {
                        <form id="editor-form" class="stack" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                            { general::general(&form) }
                            { question::questions(&form) }
                            { crosstabs::crosstabs(&form) }
                        </form>
                    } else {
                        <PreviewPanel snapshot={snapshot.0.clone()} generation={snapshot.1}
                            on_refresh={refresh.clone()} />
                    }
                </div>
                { problems::problems(&state.survey, &state.problems, &state.server_problems, standing) }
            </div>
        </>
    }
}

/// Ctrl+Z (⌘Z) outside text fields undoes the last change; inside them it is the
/// browser's own undo of typing.
#[hook]
fn use_undo_key(dispatch: UseReducerDispatcher<EditorState>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use_effect_with((), move |()| {
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            let undo = (e.ctrl_key() || e.meta_key()) && !e.shift_key() && !e.alt_key();
            if !undo || !e.key().eq_ignore_ascii_case("z") || in_text_field(&e) {
                return;
            }
            e.prevent_default();
            dispatch.dispatch(Action::Undo);
        });
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ =
                    window.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// Whether a key was pressed in a field that takes text (which has an undo of its own).
fn in_text_field(e: &KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(element) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    match element.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => !matches!(
            element.get_attribute("type").as_deref(),
            Some("checkbox" | "radio" | "button" | "submit" | "file")
        ),
        _ => element.get_attribute("contenteditable").is_some_and(|v| v != "false"),
    }
}

fn tabs(tab: &UseStateHandle<Tab>, refresh: &Callback<()>) -> Html {
    let show = |to: Tab| {
        let (tab, refresh) = (tab.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            // Opening the preview takes a fresh snapshot of the definition.
            if to == Tab::Preview && *tab != Tab::Preview {
                refresh.emit(());
            }
            tab.set(to);
        })
    };
    let pressed = |t: Tab| (**tab == t).to_string();
    html! {
        <div class="tabs" role="group" aria-label={t("ed-view")}>
            <button type="button" id="tab-edit" aria-pressed={pressed(Tab::Edit)} onclick={show(Tab::Edit)}>
                { t("ed-tab-edit") }
            </button>
            <button type="button" id="tab-preview" aria-pressed={pressed(Tab::Preview)} onclick={show(Tab::Preview)}>
                { t("ed-tab-preview") }
            </button>
        </div>
    }
}

/// Where the survey stands, part by part: its state (a draft with problems or ready to
/// publish; open in version N, with unpublished changes or not; closed), whether the
/// page holds changes the server has not, fields holding text that is not kept, and
/// what the page is waiting for.
fn status_line(state: &EditorState, busy: Option<Busy>) -> Vec<Msg> {
    let problems = state.problems.len();
    let changes = state.is_draft || state.unsaved();
    let mut parts = vec![match (state.status, state.current_version) {
        (SurveyStatus::Draft, _) | (_, None) if problems > 0 => {
            Msg::new("ed-status-draft-problems").n(problems)
        }
        (SurveyStatus::Draft, _) | (_, None) => Msg::new("ed-status-draft-ready"),
        (SurveyStatus::Scheduled, Some(v)) => {
            let opens = state.schedule.opens_at.map_or_else(String::new, |at| format::utc(at.unix()));
            let line = if changes {
                Msg::new("ed-status-scheduled-changes")
            } else {
                Msg::new("ed-status-scheduled")
            };
            line.arg("version", v).arg("opens", opens)
        }
        (SurveyStatus::Open, Some(v)) if changes => Msg::new("ed-status-open-changes").arg("version", v),
        (SurveyStatus::Open, Some(v)) => Msg::new("ed-status-open").arg("version", v),
        (SurveyStatus::Closed, Some(v)) => Msg::new("ed-status-closed").arg("version", v),
    }];
    if let (SurveyStatus::Open | SurveyStatus::Scheduled, Some(at)) = (state.status, state.schedule.closes_at)
    {
        parts.push(Msg::new("ed-status-closes").arg("closes", format::utc(at.unix())));
    }
    parts.push(if state.unsaved() { Msg::new("ed-status-unsaved") } else { Msg::new("ed-status-saved") });
    if !state.pending.is_empty() {
        parts.push(Msg::new("ed-status-pending").n(state.pending.len()));
    }
    parts.extend(busy.map(|busy| match busy {
        Busy::Saving => Msg::new("ed-saving"),
        Busy::Publishing => Msg::new("ed-publishing"),
        Busy::Closing => Msg::new("ed-closing"),
        Busy::Scheduling => Msg::new("ed-scheduling"),
    }));
    parts
}

/// Always in view (it sticks to the top): where the survey stands, the actions, and the
/// switch between the form and the preview.
fn toolbar(state: &EditorState, lifecycle: &Lifecycle, busy: Option<Busy>, tabs: Html) -> Html {
    let action = |run: fn(Lifecycle)| {
        let lifecycle = lifecycle.clone();
        Callback::from(move |_: MouseEvent| run(lifecycle.clone()))
    };
    let undo = {
        let dispatch = lifecycle.state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Undo))
    };
    let in_flight = busy.is_some();
    let status = status_line(state, busy).iter().map(Msg::text).collect::<Vec<_>>().join(" · ");
    html! {
        <div class="toolbar">
            <p id="status" role="status" data-unsaved={state.unsaved().to_string()}
                data-status={state.status.as_str()} data-version={state.current_version.map(|v| v.to_string())}>
                { status }
            </p>
            <div class="row wrap">
                <button type="button" id="save" class="primary" disabled={in_flight} onclick={action(Lifecycle::save)}>
                    { t("ed-save") }
                </button>
                <button type="button" id="publish" disabled={in_flight} onclick={action(Lifecycle::publish)}>
                    { t("ed-publish") }
                </button>
                <button type="button" id="undo" disabled={!state.can_undo()} onclick={undo}
                    aria-keyshortcuts="Control+Z" title={t("ed-undo-hint")}>
                    { t("ed-undo") }
                </button>
                <button type="button" id="export-json" onclick={action(Lifecycle::export)}>{ t("ed-export") }</button>
                <a id="export-xlsform" class="button" href={api::xlsform_url(state.survey.slug.as_str())} download=""
                    title={t("ed-export-xlsform-hint")}>
                    { t("ed-export-xlsform") }
                </a>
                if matches!(state.status, SurveyStatus::Open | SurveyStatus::Scheduled) {
                    <ConfirmButton id="close-survey" label={t("ed-close")} question={t("ed-close-question")}
                        confirm={AttrValue::from(t("ed-close-confirm"))} on_confirm={action(Lifecycle::close)}
                        disabled={in_flight} />
                }
            </div>
            { tabs }
        </div>
    }
}

fn outcome_view(outcome: &Outcome) -> Html {
    match outcome {
        Outcome::Done(message) => {
            html! { <p id="outcome" class="notice success" role="status">{ message.text() }</p> }
        }
        Outcome::Failed(failure) => html! { <FailureView id="outcome" failure={failure.clone()} /> },
    }
}

/// Save, publish, close and export: each tells the person how it went.
#[derive(Clone)]
struct Lifecycle {
    state: UseReducerHandle<EditorState>,
    busy: UseStateHandle<Option<Busy>>,
    outcome: UseStateHandle<Option<Outcome>>,
    staff: StaffContext,
    /// The opening and closing times as typed.
    typed: Typed,
}

impl Lifecycle {
    fn save(self) {
        spawn_local(async move {
            if self.save_now().await.is_some() {
                self.outcome.set(Some(Outcome::Done(Msg::new("ed-saved"))));
            }
        });
    }

    /// Publishing publishes what the server holds, so unsaved changes are saved first;
    /// the survey opens at once or at the times typed.
    fn publish(self) {
        let Some(schedule) = self.typed_schedule() else { return };
        spawn_local(async move {
            if self.state.unsaved() && self.save_now().await.is_none() {
                return;
            }
            let slug = self.state.survey.slug.to_string();
            self.busy.set(Some(Busy::Publishing));
            let result = api::publish(&slug, &schedule).await;
            self.finish(result, |reply| {
                let version = reply.current_version.unwrap_or_default();
                match (reply.status, reply.schedule.opens_at) {
                    (SurveyStatus::Scheduled, Some(at)) => Msg::new("ed-published-scheduled")
                        .arg("version", version)
                        .arg("opens", format::utc(at.unix())),
                    _ => Msg::new("ed-published").arg("version", version),
                }
            });
        });
    }

    /// Gives the published survey the times typed.
    fn save_schedule(self) {
        let Some(schedule) = self.typed_schedule() else { return };
        spawn_local(async move {
            let slug = self.state.survey.slug.to_string();
            self.busy.set(Some(Busy::Scheduling));
            let result = api::reschedule(&slug, &schedule).await;
            self.finish(result, |_| Msg::new("sched-saved"));
        });
    }

    /// The times typed, or `None` after saying what is wrong with them (and taking the
    /// keyboard to the first input to fix).
    fn typed_schedule(&self) -> Option<nansen_shared::Schedule> {
        match self.typed.schedule(self.state.status, format::now()) {
            Ok(schedule) => Some(schedule),
            Err(errors) => {
                self.outcome.set(Some(Outcome::Failed(Failure::new(t("sched-fix-first")))));
                if let Some((id, _)) = errors.first() {
                    notice::focus(&format!("#{id}"));
                }
                None
            }
        }
    }

    fn close(self) {
        spawn_local(async move {
            let slug = self.state.survey.slug.to_string();
            self.busy.set(Some(Busy::Closing));
            let result = api::close(&slug).await;
            self.finish(result, |_| Msg::new("ed-closed"));
        });
    }

    fn export(self) {
        let survey = &self.state.survey;
        let result = serde_json::to_string_pretty(survey).map_err(|e| e.to_string()).and_then(|json| {
            download::download(&format!("{}.json", survey.slug), "application/json", &json)
                .map_err(|_| t("ed-download-refused"))
        });
        if let Err(why) = result {
            self.outcome.set(Some(Outcome::Failed(Failure::new(why))));
        }
    }

    /// Saves the definition as it is now; the server's reply, or `None` after showing
    /// why it failed.
    async fn save_now(&self) -> Option<AdminSurvey> {
        let sent = self.state.survey.clone();
        self.busy.set(Some(Busy::Saving));
        let result = api::save_draft(&sent).await;
        self.busy.set(None);
        match result {
            Ok(reply) => {
                self.state
                    .dispatch(Action::Stored { sent: Some(Box::new(sent)), reply: Box::new(reply.clone()) });
                Some(reply)
            }
            Err(error) => {
                self.outcome.set(Some(Outcome::Failed(self.staff.failure(&error))));
                None
            }
        }
    }

    fn finish(&self, result: Result<AdminSurvey, crate::api::ApiError>, done: impl Fn(&AdminSurvey) -> Msg) {
        self.busy.set(None);
        match result {
            Ok(reply) => {
                self.outcome.set(Some(Outcome::Done(done(&reply))));
                self.state.dispatch(Action::Stored { sent: None, reply: Box::new(reply) });
            }
            Err(error) => self.outcome.set(Some(Outcome::Failed(self.staff.failure(&error)))),
        }
    }
}
