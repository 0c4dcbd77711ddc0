//! Where the staff screens are: one route per address, moved between with the History
//! API so that links, the back button and reloads all work without a router crate.

use std::cell::Cell;

use nansen_shared::Slug;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, MouseEvent};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/admin`: the surveys.
    AdminList,
    /// `/admin/new`: start a survey.
    AdminNew,
    /// `/admin/surveys/{slug}`: the questionnaire designer.
    AdminEdit(Slug),
    /// `/admin/staff`: staff accounts.
    Accounts,
    /// `/admin/staff/tokens`: researchers' API tokens.
    Tokens,
    /// `/admin/staff/audit`: the audit log.
    Audit,
    /// `/research`: the published surveys.
    ResearchList,
    /// `/research/{slug}`: one survey's results.
    ResearchSurvey(Slug),
    /// Anything else under the staff areas.
    NotFound,
}

impl Route {
    /// The route of an address's path (a query or fragment is ignored).
    pub fn parse(path: &str) -> Option<Route> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let slug = |s: &str| Slug::parse(s).ok();
        Some(match parts.as_slice() {
            ["admin"] => Route::AdminList,
            ["admin", "new"] => Route::AdminNew,
            ["admin", "surveys", s] => slug(s).map_or(Route::NotFound, Route::AdminEdit),
            ["admin", "staff"] => Route::Accounts,
            ["admin", "staff", "tokens"] => Route::Tokens,
            ["admin", "staff", "audit"] => Route::Audit,
            ["research"] => Route::ResearchList,
            ["research", s] => slug(s).map_or(Route::NotFound, Route::ResearchSurvey),
            ["admin", ..] | ["research", ..] => Route::NotFound,
            // Not a staff address at all: the browser should go there itself.
            _ => return None,
        })
    }

    pub fn path(&self) -> String {
        match self {
            Route::AdminList => "/admin".to_owned(),
            Route::AdminNew => "/admin/new".to_owned(),
            Route::AdminEdit(slug) => format!("/admin/surveys/{slug}"),
            Route::Accounts => "/admin/staff".to_owned(),
            Route::Tokens => "/admin/staff/tokens".to_owned(),
            Route::Audit => "/admin/staff/audit".to_owned(),
            Route::ResearchList | Route::NotFound => "/research".to_owned(),
            Route::ResearchSurvey(slug) => format!("/research/{slug}"),
        }
    }

    /// Whether only admins may see it.
    pub fn is_admin(&self) -> bool {
        matches!(self, Route::AdminList | Route::AdminNew | Route::AdminEdit(_)) || self.is_team()
    }

    /// Whether it is one of the staff screens (accounts, tokens, the audit log).
    pub fn is_team(&self) -> bool {
        matches!(self, Route::Accounts | Route::Tokens | Route::Audit)
    }
}

/// The route of the page's address now; `area` ("admin" or "research", from the server's
/// page) decides for addresses this client does not know.
pub fn current(area: &str) -> Route {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    match Route::parse(&path) {
        Some(route) => route,
        None if area == "admin" => Route::AdminList,
        None => Route::ResearchList,
    }
}

thread_local! {
    /// Whether a screen holds changes that leaving it would lose (the designer's).
    static UNSAVED: Cell<bool> = const { Cell::new(false) };
}

/// Says whether the screen on view holds unsaved changes: while it does, moving to
/// another screen asks first, and closing or reloading the tab has the browser ask.
pub fn set_unsaved(unsaved: bool) {
    UNSAVED.with(|u| u.set(unsaved));
}

/// Whether the screen on view holds unsaved changes.
pub fn has_unsaved() -> bool {
    UNSAVED.with(Cell::get)
}

/// The router's state: where the page is, how to move, and a move waiting for the
/// person to confirm that unsaved changes may be lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Router {
    pub route: Route,
    /// Moves to another screen; asks first while there are unsaved changes.
    pub navigate: Callback<Route>,
    /// The screen the person asked to go to, while they are asked about unsaved changes.
    pub leaving: Option<Route>,
    /// Their answer: `true` leaves (dropping the changes), `false` stays.
    pub decide: Callback<bool>,
}

/// The current route and the ways to move to another (adding a history entry). Going
/// back or forward in the browser updates the route through `popstate`. Unsaved
/// changes are guarded here, for every way of leaving: links and buttons of the app,
/// the browser's back and forward (the address is put back while the person decides),
/// and closing or reloading the tab (`beforeunload`, where the browser asks).
#[hook]
pub fn use_route(area: AttrValue) -> Router {
    let route = use_state(|| current(&area));
    let leaving = use_state(|| None::<Route>);
    // The route on screen, for the listeners (which outlive any one render).
    let shown = use_mut_ref(|| (*route).clone());
    *shown.borrow_mut() = (*route).clone();
    {
        let (route, leaving, shown) = (route.clone(), leaving.clone(), shown.clone());
        use_effect_with(area, move |area| {
            let area = area.clone();
            let on_pop = Closure::<dyn Fn()>::new(move || {
                let to = current(&area);
                let from = shown.borrow().clone();
                if has_unsaved() && to != from {
                    // The address goes back to the screen still on view, until they decide.
                    push(&from);
                    leaving.set(Some(to));
                } else {
                    route.set(to);
                }
            });
            let on_unload = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
                if has_unsaved() {
                    event.prevent_default();
                    let _ = js_sys::Reflect::set(&event, &"returnValue".into(), &"".into());
                }
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
                let _ = window
                    .add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
            }
            move || {
                if let Some(window) = window {
                    let _ = window
                        .remove_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
                    let _ = window.remove_event_listener_with_callback(
                        "beforeunload",
                        on_unload.as_ref().unchecked_ref(),
                    );
                }
                drop((on_pop, on_unload));
            }
        });
    }
    let go = {
        let route = route.clone();
        Callback::from(move |to: Route| {
            push(&to);
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
            route.set(to);
        })
    };
    let navigate = {
        let (go, leaving, shown) = (go.clone(), leaving.clone(), shown.clone());
        Callback::from(move |to: Route| {
            if has_unsaved() && to != *shown.borrow() {
                leaving.set(Some(to));
            } else {
                go.emit(to);
            }
        })
    };
    let decide = {
        let leaving = leaving.clone();
        Callback::from(move |leave: bool| {
            if let Some(to) = (*leaving).clone().filter(|_| leave) {
                set_unsaved(false);
                go.emit(to);
            }
            leaving.set(None);
        })
    };
    Router { route: (*route).clone(), navigate, leaving: (*leaving).clone(), decide }
}

/// Adds a history entry for `to`.
fn push(to: &Route) {
    if let Ok(history) = web_sys::window().map_or(Err(wasm_bindgen::JsValue::NULL), |w| w.history()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
    }
}

/// A click handler for the whole staff screen: a click on a plain link to another staff
/// address moves there in place. Links stay real `<a href>`s, so they can be opened in a
/// new tab, copied, and followed from the keyboard; downloads and modified clicks are
/// left to the browser.
pub fn follow_links(navigate: Callback<Route>) -> Callback<MouseEvent> {
    Callback::from(move |event: MouseEvent| {
        if event.default_prevented()
            || event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        let Some(link) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if link.has_attribute("download") || link.get_attribute("target").is_some() {
            return;
        }
        let href = link.get_attribute("href").unwrap_or_default();
        // Only this server's own paths; fragments and other sites are the browser's.
        if !href.starts_with('/') || href.starts_with("//") {
            return;
        }
        if let Some(route) = Route::parse(&href) {
            event.prevent_default();
            navigate.emit(route);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    #[test]
    fn paths_round_trip() {
        for route in [
            Route::AdminList,
            Route::AdminNew,
            Route::AdminEdit(slug("exit-2024")),
            Route::Accounts,
            Route::Tokens,
            Route::Audit,
            Route::ResearchList,
            Route::ResearchSurvey(slug("diaspora")),
        ] {
            assert_eq!(Route::parse(&route.path()), Some(route));
        }
    }

    #[test]
    fn unknown_addresses() {
        assert_eq!(Route::parse("/admin/"), Some(Route::AdminList));
        assert_eq!(Route::parse("/admin/surveys/Not%20OK"), Some(Route::NotFound));
        assert_eq!(Route::parse("/research/a/b"), Some(Route::NotFound));
        assert_eq!(Route::parse("/admin/staff/"), Some(Route::Accounts));
        assert_eq!(Route::parse("/admin/staff/nope"), Some(Route::NotFound));
        assert_eq!(Route::parse("/s/diaspora"), None);
        assert_eq!(Route::parse("/"), None);
        assert_eq!(
            Route::parse("/research/diaspora?version=2"),
            Some(Route::ResearchSurvey(slug("diaspora")))
        );
    }
}
