//! `/admin/staff`: staff accounts. A new account gets a generated password, shown once
//! to pass on; a reset makes another and ends the account's sessions; removing asks
//! first. The admin's own account has neither button (the server refuses both, since
//! either would end the session in use): another admin does that.

use nansen_shared::{CreatedUser, NewUser, ProblemKind, Role, UserInfo};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{TeamNav, card_table, cell_label, use_form, use_screen};
use crate::staff::admin::editor::confirm::ConfirmButton;
use crate::staff::clipboard::OnceSecret;
use crate::staff::i18n::{t, tf, use_lang};
use crate::staff::notice::{FailureView, Load};
use crate::staff::route::Route;
use crate::staff::{api, format, use_staff};

/// A password on show, once.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    username: String,
    password: String,
    /// A reset (else a new account).
    reset: bool,
}

impl Shown {
    fn title(&self) -> String {
        let args = [("name", self.username.as_str())];
        if self.reset {
            tf("accounts-password-title-reset", &args)
        } else {
            tf("accounts-password-title-created", &args)
        }
    }
}

#[function_component(Accounts)]
pub fn accounts() -> Html {
    let staff = use_staff();
    use_lang();
    let screen = use_screen::<UserInfo, Shown, _, _>("accounts-outcome", api::users);
    let on_reset = {
        let screen = screen.clone();
        Callback::from(move |username: String| {
            let screen = screen.clone();
            spawn_local(async move {
                match api::reset_password(&username).await {
                    Ok(reset) => {
                        screen.done(tf("accounts-reset-done", &[("name", &username)]), false);
                        // The new password takes the keyboard as it appears.
                        screen.shown.set(Some(Shown { username, password: reset.password, reset: true }));
                    }
                    Err(error) => screen.failed(&error),
                }
            });
        })
    };
    let on_remove = {
        let screen = screen.clone();
        Callback::from(move |username: String| {
            let screen = screen.clone();
            spawn_local(async move {
                match api::remove_user(&username).await {
                    Ok(()) => {
                        if screen.shown.as_ref().is_some_and(|s| s.username == username) {
                            screen.shown.set(None);
                        }
                        screen.done(tf("accounts-removed", &[("name", &username)]), true);
                    }
                    Err(error) => screen.failed(&error),
                }
            });
        })
    };
    let on_created = {
        let screen = screen.clone();
        Callback::from(move |created: CreatedUser| {
            let username = created.user.username;
            screen.done(tf("accounts-added", &[("name", &username)]), false);
            if let Some(password) = created.password {
                screen.shown.set(Some(Shown { username, password, reset: false }));
            }
        })
    };
    let me = staff.session.username.clone();
    html! {
        <section class="team accounts">
            <h1>{ t("accounts-heading") }</h1>
            <TeamNav current={Route::Accounts} />
            <p class="hint">{ t("accounts-intro") }</p>
            { screen.outcome_line() }
            if let Some(shown) = &*screen.shown {
                <OnceSecret id="account-password" secret={shown.password.clone()} label={t("accounts-password-label")}
                    title={shown.title()}
                    hint={tf("accounts-password-hint", &[("name", &shown.username)])} on_hide={screen.hide()} />
            }
            { screen.list.placeholder().unwrap_or_else(|| match &*screen.list {
                Load::Ready(list) => table(list, &me, &on_reset, &on_remove),
                _ => html! {},
            }) }
            <AddAccount {on_created} />
        </section>
    }
}

fn table(list: &[UserInfo], me: &str, on_reset: &Callback<String>, on_remove: &Callback<String>) -> Html {
    card_table(
        "account-table",
        t("accounts-heading"),
        &[
            t("accounts-name"),
            t("accounts-role"),
            t("team-created"),
            t("accounts-last-login"),
            t("team-actions"),
        ],
        list.iter().enumerate().map(|(i, user)| row(i, user, user.username == me, on_reset, on_remove)),
    )
}

fn row(
    i: usize,
    user: &UserInfo,
    own: bool,
    on_reset: &Callback<String>,
    on_remove: &Callback<String>,
) -> Html {
    let name = &user.username;
    let args = [("name", name.as_str())];
    let with_name = |callback: &Callback<String>| {
        let (callback, name) = (callback.clone(), name.clone());
        Callback::from(move |_: MouseEvent| callback.emit(name.clone()))
    };
    let actions = if own {
        html! { <span class="hint">{ t("accounts-own") }</span> }
    } else {
        html! {
            <div class="item-actions">
                <ConfirmButton id={format!("account-{i}-reset")} class="reset-password" label={t("accounts-reset")}
                    aria_label={tf("accounts-reset-label", &args)} question={tf("accounts-reset-question", &args)}
                    confirm={t("accounts-reset-confirm")} on_confirm={with_name(on_reset)} />
                <ConfirmButton id={format!("account-{i}-remove")} class="remove-account" label={t("accounts-remove")}
                    aria_label={tf("accounts-remove-label", &args)} question={tf("accounts-remove-question", &args)}
                    confirm={t("accounts-remove-confirm")} on_confirm={with_name(on_remove)} />
            </div>
        }
    };
    html! {
        <tr key={name.clone()} data-username={name.clone()}>
            <th scope="row">
                { cell_label(t("accounts-name")) }{ name }
                if own { { " " }<span class="tag">{ t("accounts-you") }</span> }
            </th>
            <td data-role={user.role.as_str()}>{ cell_label(t("accounts-role")) }{ role_name(user.role, false) }</td>
            <td>{ cell_label(t("team-created")) }{ format::utc(user.created_at) }</td>
            <td>{ cell_label(t("accounts-last-login")) }{ user.last_login_at.map_or_else(|| t("team-never"), format::utc) }</td>
            <td>{ actions }</td>
        </tr>
    }
}

/// A role's name ("Admin"), or with what it may do ("Admin: designs surveys, …").
fn role_name(role: Role, described: bool) -> String {
    match (role, described) {
        (Role::Admin, false) => t("team-role-admin"),
        (Role::Researcher, false) => t("team-role-researcher"),
        (Role::Admin, true) => t("accounts-role-admin"),
        (Role::Researcher, true) => t("accounts-role-researcher"),
    }
}

#[derive(Debug, Properties, PartialEq)]
struct AddProps {
    on_created: Callback<CreatedUser>,
}

/// The form for a new account: a username and a role. The password is the server's.
#[function_component(AddAccount)]
fn add_account(props: &AddProps) -> Html {
    use_lang();
    let username = use_state(String::new);
    let role = use_state(|| Role::Researcher);
    let form = use_form();
    let onsubmit = {
        let (form, username, role) = (form.clone(), username.clone(), role.clone());
        let on_created = props.on_created.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = NewUser { username: username.trim().to_owned(), password: None, role: *role };
            let (username, on_created) = (username.clone(), on_created.clone());
            form.send(async move { api::create_user(&user).await }, "#new-username", move |created| {
                username.set(String::new());
                on_created.emit(created);
            });
        })
    };
    let on_name = {
        let username = username.clone();
        Callback::from(move |e: InputEvent| {
            username.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_role = {
        let role = role.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            role.set(Role::parse(&value).unwrap_or(Role::Researcher));
        })
    };
    // A refused name marks the field; other refusals are the form's.
    let refused = (*form.refused).clone();
    let bad_name = refused
        .as_ref()
        .is_some_and(|r| matches!(r.kind, Some(ProblemKind::InvalidUsername | ProblemKind::Conflict)));
    let busy = *form.busy;
    let described = if bad_name { "new-username-error new-username-hint" } else { "new-username-hint" };
    html! {
        <form id="add-account" class="team-form" {onsubmit} aria-labelledby="add-account-heading" aria-busy={busy.to_string()}>
            <h2 id="add-account-heading">{ t("accounts-add-heading") }</h2>
            <div class="row wrap">
                <div class="field">
                    <label for="new-username">{ t("accounts-name") }</label>
                    <input id="new-username" name="username" type="text" required=true autocomplete="off"
                        autocapitalize="none" spellcheck="false" maxlength="64" value={(*username).clone()}
                        oninput={on_name} aria-invalid={bad_name.then_some("true")} aria-describedby={described} />
                    <p class="hint" id="new-username-hint">{ t("accounts-username-hint") }</p>
                </div>
                <div class="field">
                    <label for="new-role">{ t("accounts-role") }</label>
                    <select id="new-role" name="role" onchange={on_role}>
                        { for [Role::Researcher, Role::Admin].into_iter().map(|r| html! {
                            <option value={r.as_str()} selected={*role == r}>{ role_name(r, true) }</option>
                        }) }
                    </select>
                </div>
            </div>
            if let Some(refused) = refused {
                <FailureView id="new-username-error" failure={refused.failure} />
            }
            <p class="hint">{ t("accounts-add-hint") }</p>
            <button type="submit" id="add-account-submit" class="primary" disabled={busy}>
                { if busy { t("accounts-adding") } else { t("accounts-add") } }
            </button>
        </form>
    }
}
