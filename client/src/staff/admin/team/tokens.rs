//! `/admin/staff/tokens`: researchers' read-only API tokens. The list shows what each
//! is for, whose it is, and when it was made and last used, never the token; a new token
//! is shown once, with a plain warning; revoking asks first.

use nansen_shared::admin::TOKEN_LABEL_MAX;
use nansen_shared::{CreatedToken, NewToken, Role, TokenInfo, UserInfo};
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

#[function_component(Tokens)]
pub fn tokens() -> Html {
    use_lang();
    let screen = use_screen::<TokenInfo, CreatedToken, _, _>("tokens-outcome", api::tokens);
    let on_revoke = {
        let screen = screen.clone();
        Callback::from(move |id: i64| {
            let screen = screen.clone();
            spawn_local(async move {
                match api::revoke_token(id).await {
                    Ok(()) => {
                        if screen.shown.as_ref().is_some_and(|c| c.info.id == id) {
                            screen.shown.set(None);
                        }
                        screen.done(tf("tokens-revoked", &[("id", &id.to_string())]), true);
                    }
                    Err(error) => screen.failed(&error),
                }
            });
        })
    };
    let on_created = {
        let screen = screen.clone();
        Callback::from(move |token: CreatedToken| {
            let id = token.info.id.to_string();
            screen.done(tf("tokens-created", &[("id", &id), ("name", &token.info.username)]), false);
            screen.shown.set(Some(token));
        })
    };
    html! {
        <section class="team tokens">
            <h1>{ t("tokens-heading") }</h1>
            <TeamNav current={Route::Tokens} />
            <p class="hint">{ t("tokens-intro") }</p>
            { screen.outcome_line() }
            if let Some(token) = &*screen.shown {
                <OnceSecret id="new-token" secret={token.token.clone()} label={t("tokens-secret-label")}
                    title={tf("tokens-secret-title", &[("id", &token.info.id.to_string()), ("name", &token.info.username)])}
                    hint={t("tokens-secret-hint")} on_hide={screen.hide()} />
            }
            { screen.list.placeholder().unwrap_or_else(|| match &*screen.list {
                Load::Ready(list) => table(list, &on_revoke),
                _ => html! {},
            }) }
            <CreateToken {on_created} />
        </section>
    }
}

fn table(list: &[TokenInfo], on_revoke: &Callback<i64>) -> Html {
    if list.is_empty() {
        return html! { <p id="no-tokens">{ t("tokens-none") }</p> };
    }
    card_table(
        "token-table",
        t("tokens-heading"),
        &[t("tokens-label"), t("team-account"), t("team-created"), t("tokens-last-used"), t("team-actions")],
        list.iter().map(|token| row(token, on_revoke)),
    )
}

fn row(token: &TokenInfo, on_revoke: &Callback<i64>) -> Html {
    let id = token.id.to_string();
    let args = [("id", id.as_str()), ("name", token.username.as_str())];
    let revoke = {
        let (on_revoke, id) = (on_revoke.clone(), token.id);
        Callback::from(move |_: MouseEvent| on_revoke.emit(id))
    };
    let label = if token.label.is_empty() {
        html! { <span class="hint">{ t("tokens-unlabelled") }</span> }
    } else {
        html! { &token.label }
    };
    html! {
        <tr key={id.clone()} data-token={id.clone()} data-username={token.username.clone()}>
            <th scope="row">{ cell_label(t("tokens-label")) }{ format!("#{id} ") }{ label }</th>
            <td>{ cell_label(t("team-account")) }{ &token.username }</td>
            <td>{ cell_label(t("team-created")) }{ format::utc(token.created_at) }</td>
            <td>{ cell_label(t("tokens-last-used")) }{ token.last_used_at.map_or_else(|| t("team-never"), format::utc) }</td>
            <td>
                <ConfirmButton id={format!("token-{id}-revoke")} class="revoke-token" label={t("tokens-revoke")}
                    aria_label={tf("tokens-revoke-label", &args)} question={tf("tokens-revoke-question", &args)}
                    confirm={t("tokens-revoke-confirm")} on_confirm={revoke} />
            </td>
        </tr>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct CreateProps {
    on_created: Callback<CreatedToken>,
}

/// The form for a new token: whose, and what for.
#[function_component(CreateToken)]
fn create_token(props: &CreateProps) -> Html {
    use_lang();
    let staff = use_staff();
    let users = use_state(|| Load::<Vec<UserInfo>>::Loading);
    let owner = use_state(String::new);
    let label = use_state(String::new);
    let form = use_form();
    {
        let (users, owner) = (users.clone(), owner.clone());
        use_effect_with((), move |()| {
            spawn_local(async move {
                match api::users().await {
                    Ok(list) => {
                        // Tokens are for researchers' scripts: the first researcher is offered first.
                        let first = list.iter().find(|u| u.role == Role::Researcher).or(list.first());
                        owner.set(first.map(|u| u.username.clone()).unwrap_or_default());
                        users.set(Load::Ready(list));
                    }
                    Err(error) => users.set(Load::Failed(staff.failure(&error))),
                }
            });
        });
    }
    let onsubmit = {
        let (form, owner, label) = (form.clone(), owner.clone(), label.clone());
        let on_created = props.on_created.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let token = NewToken { username: (*owner).clone(), label: label.trim().to_owned() };
            let (label, on_created) = (label.clone(), on_created.clone());
            form.send(async move { api::create_token(&token).await }, "#token-label", move |created| {
                label.set(String::new());
                on_created.emit(created);
            });
        })
    };
    let on_owner = {
        let owner = owner.clone();
        Callback::from(move |e: Event| owner.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_label = {
        let label = label.clone();
        Callback::from(move |e: InputEvent| label.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let listed: &[UserInfo] = match &*users {
        Load::Ready(list) => list,
        _ => &[],
    };
    let options = listed.iter().map(|user| {
        let role = match user.role {
            Role::Admin => t("app-role-admin"),
            Role::Researcher => t("app-role-researcher"),
        };
        html! {
            <option value={user.username.clone()} selected={*owner == user.username}>
                { format!("{} ({role})", user.username) }
            </option>
        }
    });
    html! {
        <form id="create-token" class="team-form" {onsubmit} aria-labelledby="create-token-heading" aria-busy={form.busy.to_string()}>
            <h2 id="create-token-heading">{ t("tokens-create-heading") }</h2>
            <div class="row wrap">
                <div class="field">
                    <label for="token-owner">{ t("team-account") }</label>
                    <select id="token-owner" name="username" onchange={on_owner} required=true>
                        { for options }
                    </select>
                </div>
                <div class="field">
                    <label for="token-label">{ t("tokens-label") }</label>
                    <input id="token-label" name="label" type="text" required=true autocomplete="off"
                        maxlength={TOKEN_LABEL_MAX.to_string()} value={(*label).clone()} oninput={on_label}
                        aria-describedby={if form.refused.is_some() { "token-error token-label-hint" } else { "token-label-hint" }} />
                    <p class="hint" id="token-label-hint">{ t("tokens-label-hint") }</p>
                </div>
            </div>
            if let Some(refused) = &*form.refused {
                <FailureView id="token-error" failure={refused.failure.clone()} />
            }
            { users.placeholder().unwrap_or_default() }
            <button type="submit" id="create-token-submit" class="primary" disabled={*form.busy || listed.is_empty()}>
                { if *form.busy { t("tokens-creating") } else { t("tokens-create") } }
            </button>
        </form>
    }
}
