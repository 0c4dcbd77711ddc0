//! The staff screens: the questionnaire designer (`/admin…`) and the results dashboard
//! (`/research…`). This module checks the session (showing the login form without one),
//! routes by the address, and draws the bar every screen shares.

mod admin;
mod api;
mod download;
mod format;
mod login;
mod notice;
mod research;
mod route;

use nansen_shared::{Role, SessionInfo};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use login::Login;
use notice::{Failure, FailureView};
use route::{Route, follow_links, use_route};

#[derive(Debug, Properties, PartialEq)]
pub struct StaffProps {
    /// "admin" or "research": which area the server's page was for.
    pub area: AttrValue,
}

/// What every screen needs from the shell: who is logged in, how to move to another
/// screen, and how to say that the session has ended.
#[derive(Debug, Clone, PartialEq)]
struct StaffContext {
    session: SessionInfo,
    navigate: Callback<Route>,
    expired: Callback<()>,
}

impl StaffContext {
    /// How to show `error`; a refusal for want of a session sends the person back to
    /// the login form instead of leaving them on a screen that can only fail.
    fn failure(&self, error: &ApiError) -> Failure {
        if let ApiError::Problem(problem) = error
            && problem.status == 401
        {
            self.expired.emit(());
        }
        Failure::from(error)
    }
}

/// The shell's context; outside the shell (never, in practice) a harmless stand-in.
#[hook]
fn use_staff() -> StaffContext {
    use_context::<StaffContext>().unwrap_or_else(|| StaffContext {
        session: SessionInfo { username: String::new(), role: Role::Researcher },
        navigate: Callback::noop(),
        expired: Callback::noop(),
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Session {
    Checking,
    /// Not logged in; with a note why, if the session ended.
    LoggedOut(Option<String>),
    LoggedIn(SessionInfo),
    /// The session could not be checked (network, server error).
    Failed(Failure),
}

#[function_component(Staff)]
pub fn staff(props: &StaffProps) -> Html {
    let (route, navigate) = use_route(props.area.clone());
    let session = use_state(|| Session::Checking);
    {
        let session = session.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                session.set(match api::session().await {
                    Ok(info) => Session::LoggedIn(info),
                    Err(ApiError::Problem(p)) if p.status == 401 => Session::LoggedOut(None),
                    Err(error) => Session::Failed(Failure::from(&error)),
                });
            });
        });
    }
    use_page_change(&route);
    let on_login = {
        let session = session.clone();
        Callback::from(move |info: SessionInfo| session.set(Session::LoggedIn(info)))
    };
    match &*session {
        Session::Checking => html! { <p class="loading">{ "Loading…" }</p> },
        Session::Failed(failure) => html! { <FailureView failure={failure.clone()} /> },
        Session::LoggedOut(note) => html! { <Login {on_login} note={note.clone()} /> },
        Session::LoggedIn(info) => {
            let expired = {
                let session = session.clone();
                Callback::from(move |()| {
                    session.set(Session::LoggedOut(Some("Your session has ended. Log in again.".into())))
                })
            };
            let context = StaffContext { session: info.clone(), navigate: navigate.clone(), expired };
            let on_logout = {
                let session = session.clone();
                Callback::from(move |()| session.set(Session::LoggedOut(None)))
            };
            html! {
                <ContextProvider<StaffContext> {context}>
                    <div class="staff-app" onclick={follow_links(navigate)}>
                        <StaffBar route={route.clone()} {on_logout} />
                        { page(&route, info.role) }
                    </div>
                </ContextProvider<StaffContext>>
            }
        }
    }
}

/// The screen for `route`, if the person's role may see it.
fn page(route: &Route, role: Role) -> Html {
    if route.is_admin() && role != Role::Admin {
        return html! {
            <section class="admins-only">
                <h1>{ "Admins only" }</h1>
                <p class="notice">
                    { "Designing questionnaires is for admins; your account is a researcher's. " }
                    <a href="/research" id="to-research">{ "See the results of published surveys." }</a>
                </p>
            </section>
        };
    }
    match route {
        Route::AdminList => html! { <admin::SurveyList /> },
        Route::AdminNew => html! { <admin::NewSurvey /> },
        Route::AdminEdit(slug) => html! { <admin::Editor key={slug.to_string()} slug={slug.clone()} /> },
        Route::ResearchList => html! { <research::SurveyList /> },
        Route::ResearchSurvey(slug) => {
            html! { <research::Dashboard key={slug.to_string()} slug={slug.clone()} /> }
        }
        Route::NotFound => html! {
            <section>
                <h1>{ "Not found" }</h1>
                <p>{ "There is no staff screen at this address. " }
                    <a href="/admin">{ "Surveys" }</a>{ " · " }<a href="/research">{ "Results" }</a></p>
            </section>
        },
    }
}

/// On moving to another screen: a new tab title, and keyboard focus on the new
/// screen's heading, so that a screen reader announces where the person is now.
#[hook]
fn use_page_change(route: &Route) {
    let first = use_mut_ref(|| true);
    use_effect_with(route.clone(), move |route| {
        notice::set_title(&match route {
            Route::AdminList => "Surveys".to_owned(),
            Route::AdminNew => "New survey".to_owned(),
            Route::AdminEdit(slug) => format!("Edit {slug}"),
            Route::ResearchList => "Results".to_owned(),
            Route::ResearchSurvey(slug) => format!("Results of {slug}"),
            Route::NotFound => "Not found".to_owned(),
        });
        if !std::mem::replace(&mut *first.borrow_mut(), false) {
            notice::focus_heading();
        }
    });
}

#[derive(Debug, Properties, PartialEq)]
struct StaffBarProps {
    route: Route,
    on_logout: Callback<()>,
}

/// Where one is, who is logged in, and the way out.
#[function_component(StaffBar)]
fn staff_bar(props: &StaffBarProps) -> Html {
    let staff = use_staff();
    let failure = use_state(|| None::<Failure>);
    let onclick = {
        let (on_logout, failure) = (props.on_logout.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (on_logout, failure) = (on_logout.clone(), failure.clone());
            spawn_local(async move {
                match api::log_out().await {
                    Ok(()) => on_logout.emit(()),
                    Err(error) => failure.set(Some(Failure::from(&error))),
                }
            });
        })
    };
    let current = |admin: bool| (props.route.is_admin() == admin).then_some("page");
    html! {
        <nav class="staff-bar" aria-label="Staff">
            <span class="brand">{ "Nansen" }</span>
            <ul class="areas">
                if staff.session.role == Role::Admin {
                    <li><a href="/admin" id="nav-admin" aria-current={current(true)}>{ "Surveys" }</a></li>
                }
                <li><a href="/research" id="nav-research" aria-current={current(false)}>{ "Results" }</a></li>
            </ul>
            <p class="who">
                { "Logged in as " }<strong id="whoami">{ &staff.session.username }</strong>
                { format!(" ({})", staff.session.role.as_str()) }
            </p>
            <button type="button" id="logout" {onclick}>{ "Log out" }</button>
            if let Some(failure) = &*failure {
                <FailureView failure={failure.clone()} />
            }
        </nav>
    }
}
