//! Copying to the clipboard, and a secret shown once (a generated password, a new API
//! token): in a read-only box that selects itself, with a copy button, a plain warning
//! that it will not be shown again, and a button to put it away. The secret lives only
//! in the screen's state: a reload or another screen forgets it.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::staff::i18n::{t, use_lang};
use crate::staff::notice;

/// Puts `text` on the clipboard; whether the browser took it.
pub async fn write_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return false };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
    let Some(write) = write else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    JsFuture::from(js_sys::Promise::from(promise)).await.is_ok()
}

#[derive(Debug, Properties, PartialEq)]
pub struct OnceSecretProps {
    /// The box's id; its parts are `{id}-value`, `{id}-copy` and `{id}-hide`.
    pub id: AttrValue,
    /// What it is ("New password of vera").
    pub title: AttrValue,
    /// The box's label ("Password").
    pub label: AttrValue,
    /// What to do with it, and that it will not be shown again.
    pub hint: AttrValue,
    pub secret: AttrValue,
    /// Puts it away (the person has copied it).
    pub on_hide: Callback<()>,
}

/// A secret shown once. The keyboard goes to it as it appears, so that a screen reader
/// reads its title, the secret and the warning at once.
#[function_component(OnceSecret)]
pub fn once_secret(props: &OnceSecretProps) -> Html {
    use_lang();
    let copied = use_state(|| None::<bool>);
    let id = &props.id;
    {
        let value = format!("#{id}-value");
        use_effect_with(props.secret.clone(), move |_| notice::focus(&value));
    }
    let copy = {
        let (secret, copied) = (props.secret.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (secret, copied) = (secret.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(write_clipboard(&secret).await));
            });
        })
    };
    let hide = {
        let on_hide = props.on_hide.clone();
        Callback::from(move |_: MouseEvent| on_hide.emit(()))
    };
    // Selected as it takes the focus: ready to copy by hand where there is no clipboard.
    let select = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let (title_id, hint_id, value_id) = (format!("{id}-title"), format!("{id}-hint"), format!("{id}-value"));
    html! {
        <section class="once-secret" id={id.clone()} aria-labelledby={title_id.clone()}>
            <h2 id={title_id}>{ props.title.clone() }</h2>
            <div class="field">
                <label for={value_id.clone()}>{ props.label.clone() }</label>
                <div class="row">
                    <input id={value_id} type="text" readonly=true value={props.secret.clone()}
                        class="secret" autocomplete="off" spellcheck="false" aria-describedby={hint_id.clone()}
                        onfocus={select} />
                    <button type="button" id={format!("{id}-copy")} onclick={copy}>{ t("team-copy") }</button>
                </div>
            </div>
            <p class="hint once-warning" id={hint_id}>{ props.hint.clone() }</p>
            <p role="status" class="copy-outcome" id={format!("{id}-copied")}>
                { match *copied {
                    Some(true) => t("team-copied"),
                    Some(false) => t("team-copy-failed"),
                    None => String::new(),
                } }
            </p>
            <button type="button" id={format!("{id}-hide")} onclick={hide}>{ t("team-hide") }</button>
        </section>
    }
}
