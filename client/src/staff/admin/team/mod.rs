//! The staff screens of the admin area (`/admin/staff…`): staff accounts, researchers'
//! API tokens, and the audit log, each at its own address under one small menu. What
//! they share: that menu, the line that says what an action did, and where the keyboard
//! goes afterwards.

mod accounts;
mod audit;
mod tokens;

pub use accounts::Accounts;
pub use audit::AuditLog;
use std::future::Future;

pub use tokens::Tokens;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use nansen_shared::ProblemKind;

use crate::api::ApiError;
use crate::staff::i18n::{t, use_lang};
use crate::staff::notice::{self, Failure, FailureView, Load};
use crate::staff::route::Route;
use crate::staff::{StaffContext, use_staff};

#[derive(Debug, Properties, PartialEq)]
struct TeamNavProps {
    current: Route,
}

/// The three staff screens, as links (each is an address of its own).
#[function_component(TeamNav)]
fn team_nav(props: &TeamNavProps) -> Html {
    use_lang();
    let link = |route: Route, id: &'static str, label: String| {
        let current = (props.current == route).then_some("page");
        html! { <li><a href={route.path()} {id} aria-current={current}>{ label }</a></li> }
    };
    html! {
        <nav class="team-nav" aria-label={t("team-nav")}>
            <ul>
                { link(Route::Accounts, "team-accounts", t("team-accounts")) }
                { link(Route::Tokens, "team-tokens", t("team-tokens")) }
                { link(Route::Audit, "team-audit", t("team-audit")) }
            </ul>
        </nav>
    }
}

/// What the last action did.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(String),
    Failed(Failure),
}

#[derive(Debug, Properties, PartialEq)]
struct OutcomeProps {
    id: AttrValue,
    outcome: Option<Outcome>,
}

/// The outcome line. The status region is always there (empty until an action), so that
/// screen readers announce what is put in it; a failure is an alert of its own. The
/// whole line can take the focus, for actions whose button has gone away (the confirming
/// button of a removal, a revocation, a reset).
#[function_component(OutcomeLine)]
fn outcome_line(props: &OutcomeProps) -> Html {
    let done = match &props.outcome {
        Some(Outcome::Done(message)) => html! { <p class="notice success">{ message }</p> },
        _ => html! {},
    };
    html! {
        <div class="outcome" id={props.id.clone()} tabindex="-1">
            <div role="status">{ done }</div>
            if let Some(Outcome::Failed(failure)) = &props.outcome {
                <FailureView failure={failure.clone()} />
            }
        </div>
    }
}

/// Moves the keyboard to an element once the screen has been drawn with it: call the
/// callback with a selector when an action's result is set.
#[hook]
fn use_focus_after() -> Callback<String> {
    let target = use_state(|| (String::new(), 0_u32));
    use_effect_with((*target).clone(), |(selector, n)| {
        if *n > 0 {
            notice::focus(selector);
        }
    });
    Callback::from(move |selector: String| target.set((selector, target.1 + 1)))
}

/// What the accounts and tokens screens keep: their list (loaded again after each
/// change), the outcome of the last action, and a secret on show (`S`: a new password,
/// a new token).
#[derive(Clone)]
struct Screen<T: 'static, S: 'static> {
    list: UseStateHandle<Load<Vec<T>>>,
    changes: UseStateHandle<u32>,
    outcome: UseStateHandle<Option<Outcome>>,
    shown: UseStateHandle<Option<S>>,
    focus: Callback<String>,
    /// The outcome line's id.
    line: &'static str,
    staff: StaffContext,
}

/// A staff screen's state, its list fetched by `fetch` (again after each change); `line`
/// is the id of its outcome line.
#[hook]
fn use_screen<T, S, F, Fut>(line: &'static str, fetch: F) -> Screen<T, S>
where
    T: 'static,
    S: 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<Vec<T>, ApiError>> + 'static,
{
    let staff = use_staff();
    let list = use_state(|| Load::Loading);
    let changes = use_state(|| 0_u32);
    {
        let (list, staff) = (list.clone(), staff.clone());
        use_effect_with(*changes, move |_| {
            spawn_local(async move {
                list.set(match fetch().await {
                    Ok(list) => Load::Ready(list),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    Screen {
        list,
        changes,
        outcome: use_state(|| None),
        shown: use_state(|| None),
        focus: use_focus_after(),
        line,
        staff,
    }
}

impl<T: 'static, S: 'static> Screen<T, S> {
    /// Says what an action did, and loads the list again. With `focus`, the keyboard goes
    /// to the outcome line: for actions whose button has gone away (a removal, a
    /// revocation), which would leave it nowhere.
    fn done(&self, message: String, focus: bool) {
        self.outcome.set(Some(Outcome::Done(message)));
        self.changes.set(*self.changes + 1);
        if focus {
            self.focus.emit(format!("#{}", self.line));
        }
    }

    /// Says why an action failed; the keyboard goes to the alert (the confirming button
    /// that had it is gone).
    fn failed(&self, error: &ApiError) {
        self.outcome.set(Some(Outcome::Failed(self.staff.failure(error))));
        self.focus.emit(format!("#{}", self.line));
    }

    /// Puts the secret away (once copied), the keyboard back on the outcome line.
    fn hide(&self) -> Callback<()> {
        let (shown, focus, line) = (self.shown.clone(), self.focus.clone(), self.line);
        Callback::from(move |()| {
            shown.set(None);
            focus.emit(format!("#{line}"));
        })
    }

    fn outcome_line(&self) -> Html {
        html! { <OutcomeLine id={self.line} outcome={(*self.outcome).clone()} /> }
    }
}

/// A form's request: one at a time, and why the last one was refused, if it was.
#[derive(Clone)]
struct Form {
    busy: UseStateHandle<bool>,
    refused: UseStateHandle<Option<Refusal>>,
    staff: StaffContext,
}

#[derive(Debug, Clone, PartialEq)]
struct Refusal {
    failure: Failure,
    kind: Option<ProblemKind>,
}

#[hook]
fn use_form() -> Form {
    Form { busy: use_state(|| false), refused: use_state(|| None), staff: use_staff() }
}

impl Form {
    /// Sends `request` unless one is on its way, and hands the reply to `done`; a
    /// refusal is kept (to be shown in the form) and the keyboard goes to `field`.
    fn send<T, Fut>(&self, request: Fut, field: &'static str, done: impl FnOnce(T) + 'static)
    where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        if *self.busy {
            return;
        }
        self.busy.set(true);
        let form = self.clone();
        spawn_local(async move {
            let result = request.await;
            form.busy.set(false);
            match result {
                Ok(reply) => {
                    form.refused.set(None);
                    done(reply);
                }
                Err(error) => {
                    let kind = match &error {
                        ApiError::Problem(problem) => problem.known_kind(),
                        _ => None,
                    };
                    form.refused.set(Some(Refusal { failure: form.staff.failure(&error), kind }));
                    notice::focus(field);
                }
            }
        });
    }
}

/// A table of the staff screens: its (hidden) caption, the columns' names, the rows. On
/// a phone it becomes a list of cards (see [`cell_label`]).
fn card_table(
    id: &'static str,
    caption: String,
    columns: &[String],
    rows: impl Iterator<Item = Html>,
) -> Html {
    html! {
        <table class="card-table" {id}>
            <caption class="visually-hidden">{ caption }</caption>
            <thead>
                <tr>{ for columns.iter().map(|name| html! { <th scope="col">{ name }</th> }) }</tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

/// A cell's column name, shown beside the value where the table becomes a list of cards
/// (phones). Hidden from screen readers, which name the column from its header.
fn cell_label(text: String) -> Html {
    html! { <span class="cell-label" aria-hidden="true">{ text }{ ": " }</span> }
}
