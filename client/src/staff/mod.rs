//! The staff screens: the questionnaire designer (`/admin…`) and the results dashboard
//! (`/research…`). This module checks the session (showing the login form without one),
//! routes by the address, and draws the bar every screen shares.

mod admin;
mod api;
mod clipboard;
mod download;
mod format;
mod i18n;
mod login;
mod notice;
mod research;
mod route;

use nansen_shared::{Role, SessionInfo};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use i18n::{Lang, LanguageMenu, t, tf, use_lang};
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

/// The staff strings: on their way, loaded (in the language named), or not to be had.
#[derive(Debug, Clone, PartialEq)]
enum Strings {
    Loading,
    Ready(AttrValue),
    Failed,
}

#[function_component(Staff)]
pub fn staff(props: &StaffProps) -> Html {
    let router = use_route(props.area.clone());
    let session = use_state(|| Session::Checking);
    // Logging out while the designer holds unsaved changes asks first, like leaving.
    let asking_logout = use_state(|| false);
    let logout_failure = use_state(|| None::<Failure>);
    let strings = use_state(|| Strings::Loading);
    let choose = {
        let strings = strings.clone();
        Callback::from(move |code: String| {
            let strings = strings.clone();
            spawn_local(async move {
                match api::staff_messages(&code).await {
                    Ok(pack) => {
                        let lang = pack.lang.clone();
                        i18n::set_pack(pack);
                        i18n::mark_document(&lang);
                        strings.set(Strings::Ready(lang.into()));
                    }
                    // Without them, the screens could only show message ids.
                    Err(_) if matches!(*strings, Strings::Loading) => strings.set(Strings::Failed),
                    Err(_) => {}
                }
            });
        })
    };
    let chosen = {
        let choose = choose.clone();
        Callback::from(move |code: String| {
            i18n::remember(&code);
            choose.emit(code);
        })
    };
    {
        let (session, choose) = (session.clone(), choose.clone());
        use_effect_with((), move |()| {
            choose.emit(i18n::preferred());
            spawn_local(async move {
                session.set(match api::session().await {
                    Ok(info) => Session::LoggedIn(info),
                    Err(ApiError::Problem(p)) if p.status == 401 => Session::LoggedOut(None),
                    Err(error) => Session::Failed(Failure::from(&error)),
                });
            });
        });
    }
    use_page_change(&router.route, &strings);
    let lang = match &*strings {
        Strings::Loading => return html! { <p class="loading" role="status">{ "…" }</p> },
        Strings::Failed => {
            return html! {
                <div class="notice error" role="alert">
                    <p>{ "The staff screens could not load their texts. Check the connection and reload the page." }</p>
                </div>
            };
        }
        Strings::Ready(lang) => Lang { code: lang.clone(), choose: chosen },
    };
    let on_login = {
        let session = session.clone();
        Callback::from(move |info: SessionInfo| session.set(Session::LoggedIn(info)))
    };
    let body = match &*session {
        Session::Checking => html! { <p class="loading" role="status">{ t("app-loading") }</p> },
        Session::Failed(failure) => html! { <FailureView failure={failure.clone()} /> },
        Session::LoggedOut(note) => html! { <Login {on_login} note={note.clone()} /> },
        Session::LoggedIn(info) => {
            let expired = {
                let session = session.clone();
                Callback::from(move |()| session.set(Session::LoggedOut(Some(t("app-session-ended")))))
            };
            let navigate = router.navigate.clone();
            let context = StaffContext { session: info.clone(), navigate: navigate.clone(), expired };
            let log_out = {
                let (session, failure) = (session.clone(), logout_failure.clone());
                Callback::from(move |()| {
                    let (session, failure) = (session.clone(), failure.clone());
                    spawn_local(async move {
                        match api::log_out().await {
                            Ok(()) => {
                                failure.set(None);
                                session.set(Session::LoggedOut(None));
                            }
                            Err(error) => failure.set(Some(Failure::from(&error))),
                        }
                    });
                })
            };
            let on_logout = {
                let (log_out, asking) = (log_out.clone(), asking_logout.clone());
                Callback::from(
                    move |()| if route::has_unsaved() { asking.set(true) } else { log_out.emit(()) },
                )
            };
            let decide = if router.leaving.is_some() {
                Some(router.decide.clone())
            } else {
                (*asking_logout).then(|| {
                    let asking = asking_logout.clone();
                    Callback::from(move |leave: bool| {
                        asking.set(false);
                        if leave {
                            route::set_unsaved(false);
                            log_out.emit(());
                        }
                    })
                })
            };
            html! {
                <ContextProvider<StaffContext> {context}>
                    <div class="staff-app" onclick={follow_links(navigate)}>
                        <StaffBar route={router.route.clone()} {on_logout} failure={(*logout_failure).clone()} />
                        if let Some(decide) = decide {
                            <LeaveDialog {decide} />
                        }
                        { page(&router.route, info.role) }
                    </div>
                </ContextProvider<StaffContext>>
            }
        }
    };
    html! { <ContextProvider<Lang> context={lang}>{ body }</ContextProvider<Lang>> }
}

#[derive(Debug, Properties, PartialEq)]
struct LeaveDialogProps {
    decide: Callback<bool>,
}

/// Asked before leaving a screen with unsaved changes: in the page, with the keyboard
/// on "Stay" (the choice that loses nothing).
#[function_component(LeaveDialog)]
fn leave_dialog(props: &LeaveDialogProps) -> Html {
    use_lang();
    use_effect_with((), |()| notice::focus("#leave-cancel"));
    let answer = |leave: bool| {
        let decide = props.decide.clone();
        Callback::from(move |_: MouseEvent| decide.emit(leave))
    };
    html! {
        <div class="notice warning leave-dialog" id="leave-dialog" role="alertdialog"
            aria-labelledby="leave-title" aria-describedby="leave-detail">
            <p><strong id="leave-title">{ t("app-leave-title") }</strong></p>
            <p id="leave-detail">{ t("app-leave-detail") }</p>
            <div class="row wrap">
                <button type="button" id="leave-cancel" class="primary" onclick={answer(false)}>{ t("app-leave-stay") }</button>
                <button type="button" id="leave-confirm" class="danger" onclick={answer(true)}>{ t("app-leave-go") }</button>
            </div>
        </div>
    }
}

/// The screen for `route`, if the person's role may see it.
fn page(route: &Route, role: Role) -> Html {
    if route.is_admin() && role != Role::Admin {
        return html! {
            <section class="admins-only">
                <h1>{ t("app-admins-only") }</h1>
                <p class="notice">
                    { t("app-admins-only-detail") }{ " " }
                    <a href="/research" id="to-research">{ t("app-admins-only-link") }</a>
                </p>
            </section>
        };
    }
    match route {
        Route::AdminList => html! { <admin::SurveyList /> },
        Route::AdminNew => html! { <admin::NewSurvey /> },
        Route::AdminEdit(slug) => html! { <admin::Editor key={slug.to_string()} slug={slug.clone()} /> },
        Route::Accounts => html! { <admin::Accounts /> },
        Route::Tokens => html! { <admin::Tokens /> },
        Route::Audit => html! { <admin::AuditLog /> },
        Route::ResearchList => html! { <research::SurveyList /> },
        Route::ResearchSurvey(slug) => {
            html! { <research::Dashboard key={slug.to_string()} slug={slug.clone()} /> }
        }
        Route::NotFound => html! {
            <section>
                <h1>{ t("app-not-found") }</h1>
                <p>{ t("app-not-found-detail") }{ " " }
                    <a href="/admin">{ t("app-nav-surveys") }</a>{ " · " }<a href="/research">{ t("app-nav-results") }</a></p>
            </section>
        },
    }
}

/// On moving to another screen: a new tab title, and keyboard focus on the new
/// screen's heading, so that a screen reader announces where the person is now. (A new
/// language retitles the tab, and leaves the focus where it is.)
#[hook]
fn use_page_change(route: &Route, strings: &Strings) {
    let first = use_mut_ref(|| true);
    let ready = matches!(strings, Strings::Ready(_));
    use_effect_with((route.clone(), ready.then(i18n::current)), |(route, _)| {
        notice::set_title(&match route {
            Route::AdminList => t("app-title-surveys"),
            Route::AdminNew => t("app-title-new"),
            Route::AdminEdit(slug) => tf("app-title-edit", &[("slug", slug.as_str())]),
            Route::Accounts => t("accounts-heading"),
            Route::Tokens => t("tokens-heading"),
            Route::Audit => t("audit-heading"),
            Route::ResearchList => t("app-title-results"),
            Route::ResearchSurvey(slug) => tf("app-title-results-of", &[("slug", slug.as_str())]),
            Route::NotFound => t("app-not-found"),
        });
    });
    use_effect_with(route.clone(), move |_| {
        if !std::mem::replace(&mut *first.borrow_mut(), false) {
            notice::focus_heading();
        }
    });
}

#[derive(Debug, Properties, PartialEq)]
struct StaffBarProps {
    route: Route,
    /// Logs out (asking first while there are unsaved changes).
    on_logout: Callback<()>,
    /// Why logging out failed, if it did.
    failure: Option<Failure>,
}

/// Where one is, who is logged in, the language, and the way out.
#[function_component(StaffBar)]
fn staff_bar(props: &StaffBarProps) -> Html {
    let staff = use_staff();
    use_lang();
    let onclick = {
        let on_logout = props.on_logout.clone();
        Callback::from(move |_: MouseEvent| on_logout.emit(()))
    };
    let route = &props.route;
    let current = |here: bool| here.then_some("page");
    let role = match staff.session.role {
        Role::Admin => t("app-role-admin"),
        Role::Researcher => t("app-role-researcher"),
    };
    html! {
        <nav class="staff-bar" aria-label={t("app-bar")}>
            <span class="brand">{ "Nansen" }</span>
            <ul class="areas">
                if staff.session.role == Role::Admin {
                    <li><a href="/admin" id="nav-admin" aria-current={current(route.is_admin() && !route.is_team())}>
                        { t("app-nav-surveys") }</a></li>
                    <li><a href="/admin/staff" id="nav-staff" aria-current={current(route.is_team())}>
                        { t("app-nav-staff") }</a></li>
                }
                <li><a href="/research" id="nav-research" aria-current={current(!route.is_admin())}>{ t("app-nav-results") }</a></li>
            </ul>
            <p class="who">
                { t("app-logged-in-as") }{ " " }<strong id="whoami">{ &staff.session.username }</strong>
                { format!(" ({role})") }
            </p>
            <LanguageMenu id="staff-language" />
            <button type="button" id="logout" {onclick}>{ t("app-log-out") }</button>
            if let Some(failure) = &props.failure {
                <FailureView failure={failure.clone()} />
            }
        </nav>
    }
}
