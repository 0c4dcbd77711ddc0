//! The login form: username and password, and the server's reason when it refuses
//! (wrong credentials, or too many attempts and how long to wait).

use nansen_shared::{LoginRequest, SessionInfo};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api;
use super::i18n::{LanguageMenu, t, use_lang};
use super::notice::{Failure, FailureView};

#[derive(Debug, Properties, PartialEq)]
pub struct LoginProps {
    pub on_login: Callback<SessionInfo>,
    /// Why the form is shown, when it is not the first visit ("your session has ended").
    #[prop_or_default]
    pub note: Option<String>,
}

#[function_component(Login)]
pub fn login(props: &LoginProps) -> Html {
    use_lang();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let failure = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (username, password, failure, busy) =
            (username.clone(), password.clone(), failure.clone(), busy.clone());
        let on_login = props.on_login.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let request = LoginRequest { username: (*username).clone(), password: (*password).clone() };
            let (failure, busy, on_login) = (failure.clone(), busy.clone(), on_login.clone());
            spawn_local(async move {
                let result = api::log_in(&request).await;
                busy.set(false);
                match result {
                    Ok(info) => on_login.emit(info),
                    Err(error) => failure.set(Some(Failure::from(&error))),
                }
            });
        })
    };
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            state.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <section class="login">
            <LanguageMenu id="login-language" />
            <h1>{ t("login-title") }</h1>
            if let Some(note) = &props.note {
                <p class="notice" role="status">{ note }</p>
            }
            <form id="login-form" class="stack" {onsubmit} aria-busy={busy.to_string()}>
                <div class="field">
                    <label for="login-username">{ t("login-username") }</label>
                    <input id="login-username" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required=true
                        value={(*username).clone()} oninput={bind(&username)} />
                </div>
                <div class="field">
                    <label for="login-password">{ t("login-password") }</label>
                    <input id="login-password" name="password" type="password" autocomplete="current-password"
                        required=true value={(*password).clone()} oninput={bind(&password)} />
                </div>
                if let Some(failure) = &*failure {
                    <FailureView id="login-error" failure={failure.clone()} />
                }
                <button type="submit" id="login-submit" class="primary" disabled={*busy}>
                    { if *busy { t("login-busy") } else { t("login-submit") } }
                </button>
            </form>
        </section>
    }
}
