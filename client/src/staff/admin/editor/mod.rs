//! `/admin/surveys/{slug}`: the questionnaire designer. The definition lives in the
//! page as a `Survey` value; it is checked on every change by the shared crate (the
//! same check the server runs when publishing), saved as a draft with PUT, published,
//! closed, exported as JSON, and previewed with the respondent's own components. Once
//! published, where its releases stand is shown under the toolbar, with "Release now".

mod choices;
mod condition;
mod crosstabs;
mod fields;
mod general;
mod model;
mod preview;
mod problems;
mod question;
mod releases;

use std::rc::Rc;

use nansen_shared::{AdminSurvey, Slug, SurveyStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::respondent::SurveyRef;
use crate::staff::notice::{self, Failure, FailureView, Load};
use crate::staff::{StaffContext, api, download, use_staff};
use fields::Form;
use model::{Action, EditorState};
use preview::PreviewPanel;
use releases::ReleasePanel;

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
            <h1>{ "Edit survey " }<code>{ props.slug.as_str() }</code></h1>
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
    Done(String),
    Failed(Failure),
}

#[function_component(EditorForm)]
fn editor_form(props: &EditorFormProps) -> Html {
    let staff = use_staff();
    let state = use_reducer(|| EditorState::new((*props.initial).clone()));
    let tab = use_state(|| Tab::Edit);
    let snapshot = use_state(|| (SurveyRef(Rc::new(state.survey.clone())), 0_u32));
    let busy = use_state(|| None::<&'static str>);
    let outcome = use_state(|| None::<Outcome>);
    use_effect_with(state.focus.clone(), |focus| {
        if let Some((_, id)) = focus {
            notice::focus(&format!("#{id}"));
        }
    });
    let refresh = {
        let (snapshot, survey) = (snapshot.clone(), state.survey.clone());
        Callback::from(move |()| snapshot.set((SurveyRef(Rc::new(survey.clone())), snapshot.1 + 1)))
    };
    let lifecycle = Lifecycle { state: state.clone(), busy: busy.clone(), outcome: outcome.clone(), staff };
    let form = Form { state: &state, dispatch: state.dispatcher() };
    let on_release_status = {
        let dispatch = state.dispatcher();
        Callback::from(move |status| dispatch.dispatch(Action::Releases(status)))
    };
    html! {
        <>
            { toolbar(&state, &lifecycle, *busy, tabs(&tab, &refresh)) }
            if let Some(outcome) = &*outcome {
                { outcome_view(outcome) }
            }
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
                { problems::problems(&state.problems, &state.server_problems, state.unsaved()) }
            </div>
        </>
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
        <div class="tabs" role="group" aria-label="View">
            <button type="button" id="tab-edit" aria-pressed={pressed(Tab::Edit)} onclick={show(Tab::Edit)}>
                { "Edit" }
            </button>
            <button type="button" id="tab-preview" aria-pressed={pressed(Tab::Preview)} onclick={show(Tab::Preview)}>
                { "Preview" }
            </button>
        </div>
    }
}

/// Where the survey stands, and whether the page holds changes the server has not.
fn status_line(state: &EditorState, busy: Option<&str>) -> String {
    let mut parts = vec![match (state.status, state.current_version) {
        (SurveyStatus::Draft, _) | (_, None) => "Draft, never published".to_owned(),
        (status, Some(v)) => format!("{}, version {v}", capitalised(status.as_str())),
    }];
    if state.is_draft && state.status != SurveyStatus::Draft {
        parts.push("the saved draft has unpublished changes".to_owned());
    }
    parts.push(if state.unsaved() { "unsaved changes" } else { "all changes saved" }.to_owned());
    if !state.pending.is_empty() {
        parts.push(format!("{} field(s) hold text that is not valid and is not kept", state.pending.len()));
    }
    parts.extend(busy.map(str::to_owned));
    parts.join(" · ")
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Always in view (it sticks to the top): where the survey stands, the actions, and the
/// switch between the form and the preview.
fn toolbar(state: &EditorState, lifecycle: &Lifecycle, busy: Option<&'static str>, tabs: Html) -> Html {
    let action = |run: fn(Lifecycle)| {
        let lifecycle = lifecycle.clone();
        Callback::from(move |_: MouseEvent| run(lifecycle.clone()))
    };
    let in_flight = busy.is_some();
    html! {
        <div class="toolbar">
            <p id="status" role="status" data-unsaved={state.unsaved().to_string()}
                data-status={state.status.as_str()}>
                { status_line(state, busy) }
            </p>
            <div class="row wrap">
                <button type="button" id="save" class="primary" disabled={in_flight} onclick={action(Lifecycle::save)}>
                    { "Save draft" }
                </button>
                <button type="button" id="publish" disabled={in_flight} onclick={action(Lifecycle::publish)}>
                    { "Publish" }
                </button>
                <button type="button" id="export-json" onclick={action(Lifecycle::export)}>{ "Export JSON" }</button>
                if state.status == SurveyStatus::Open {
                    <CloseButton on_close={action(Lifecycle::close)} disabled={in_flight} />
                }
            </div>
            { tabs }
        </div>
    }
}

fn outcome_view(outcome: &Outcome) -> Html {
    match outcome {
        Outcome::Done(message) => {
            html! { <p id="outcome" class="notice success" role="status">{ message }</p> }
        }
        Outcome::Failed(failure) => html! { <FailureView id="outcome" failure={failure.clone()} /> },
    }
}

#[derive(Debug, Properties, PartialEq)]
struct CloseButtonProps {
    on_close: Callback<MouseEvent>,
    disabled: bool,
}

/// Closing cannot be undone, so it asks once more, in the page (a browser dialog would
/// take the focus somewhere the person did not choose).
#[function_component(CloseButton)]
fn close_button(props: &CloseButtonProps) -> Html {
    let asking = use_state(|| false);
    let set = |value: bool| {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(value))
    };
    if !*asking {
        return html! {
            <button type="button" id="close-survey" class="danger" disabled={props.disabled} onclick={set(true)}>
                { "Close survey…" }
            </button>
        };
    }
    let confirm = {
        let (asking, on_close) = (asking.clone(), props.on_close.clone());
        Callback::from(move |e: MouseEvent| {
            asking.set(false);
            on_close.emit(e);
        })
    };
    html! {
        <span class="confirm" role="group" aria-label="Confirm closing">
            { "Close it for good? It takes no more answers; results stay. " }
            <button type="button" id="close-confirm" class="danger" onclick={confirm}>{ "Yes, close it" }</button>
            <button type="button" id="close-cancel" onclick={set(false)}>{ "Cancel" }</button>
        </span>
    }
}

/// Save, publish, close and export: each tells the person how it went.
#[derive(Clone)]
struct Lifecycle {
    state: UseReducerHandle<EditorState>,
    busy: UseStateHandle<Option<&'static str>>,
    outcome: UseStateHandle<Option<Outcome>>,
    staff: StaffContext,
}

impl Lifecycle {
    fn save(self) {
        spawn_local(async move {
            if self.save_now().await.is_some() {
                self.outcome.set(Some(Outcome::Done("Draft saved.".into())));
            }
        });
    }

    /// Publishing publishes what the server holds, so unsaved changes are saved first.
    fn publish(self) {
        spawn_local(async move {
            if self.state.unsaved() && self.save_now().await.is_none() {
                return;
            }
            let slug = self.state.survey.slug.to_string();
            self.busy.set(Some("Publishing…"));
            let result = api::publish(&slug).await;
            self.finish(result, |reply| {
                let version = reply.current_version.map_or_else(String::new, |v| format!(" version {v}"));
                format!("Published{version}. Respondents answer it from now on.")
            });
        });
    }

    fn close(self) {
        spawn_local(async move {
            let slug = self.state.survey.slug.to_string();
            self.busy.set(Some("Closing…"));
            let result = api::close(&slug).await;
            self.finish(result, |_| "Closed: the survey takes no more answers.".to_owned());
        });
    }

    fn export(self) {
        let survey = &self.state.survey;
        let result = serde_json::to_string_pretty(survey).map_err(|e| e.to_string()).and_then(|json| {
            download::download(&format!("{}.json", survey.slug), "application/json", &json)
                .map_err(|_| "The browser refused the download.".to_owned())
        });
        if let Err(why) = result {
            self.outcome.set(Some(Outcome::Failed(Failure::new(why))));
        }
    }

    /// Saves the definition as it is now; the server's reply, or `None` after showing
    /// why it failed.
    async fn save_now(&self) -> Option<AdminSurvey> {
        let sent = self.state.survey.clone();
        self.busy.set(Some("Saving…"));
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

    fn finish(
        &self,
        result: Result<AdminSurvey, crate::api::ApiError>,
        done: impl Fn(&AdminSurvey) -> String,
    ) {
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
