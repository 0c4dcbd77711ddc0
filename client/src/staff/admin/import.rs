//! Importing a survey definition written elsewhere (or exported from another server):
//! JSON pasted or read from a file, or an XLSForm spreadsheet, sent as it is, so the
//! server's own message explains anything it refuses.

use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::staff::i18n::{t, tf, use_lang};
use crate::staff::notice::{Failure, FailureView};
use crate::staff::route::Route;
use crate::staff::{api, use_staff};

#[function_component(Import)]
pub fn import() -> Html {
    let staff = use_staff();
    use_lang();
    let text = use_state(String::new);
    let failure = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let onchange = {
        let (text, failure) = (text.clone(), failure.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
            let (text, failure) = (text.clone(), failure.clone());
            spawn_local(async move {
                match JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
                    Some(contents) => text.set(contents),
                    None => failure.set(Some(Failure::new(t("import-unreadable")))),
                }
            });
        })
    };
    let onsubmit = {
        let (text, failure, busy) = (text.clone(), failure.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let definition = match definition(&text) {
                Ok(definition) => definition,
                Err(why) => return failure.set(Some(why)),
            };
            busy.set(true);
            let (failure, busy, staff) = (failure.clone(), busy.clone(), staff.clone());
            spawn_local(async move {
                let result = api::create_survey(&definition).await;
                busy.set(false);
                match result {
                    Ok(created) => staff.navigate.emit(Route::AdminEdit(created.definition.slug)),
                    Err(error) => failure.set(Some(staff.failure(&error))),
                }
            });
        })
    };
    html! {
        <>
        <details class="import">
            <summary>{ t("import-summary") }</summary>
            <form id="import-form" class="stack" {onsubmit} aria-busy={busy.to_string()}>
                <div class="field">
                    <label for="import-json">{ t("import-definition") }</label>
                    <textarea id="import-json" name="definition" rows="10" spellcheck="false"
                        class="code" value={(*text).clone()} {oninput} />
                </div>
                <div class="field">
                    <label for="import-file">{ t("import-file") }</label>
                    <input id="import-file" name="file" type="file" accept="application/json,.json" {onchange} />
                </div>
                if let Some(failure) = &*failure {
                    <FailureView id="import-error" failure={failure.clone()} />
                }
                <button type="submit" id="import-submit" disabled={*busy}>{ t("import-submit") }</button>
            </form>
        </details>
        <ImportXlsform />
        </>
    }
}

/// An XLSForm (`.xlsx`, from ODK or KoboToolbox) uploaded as it is; the server lists
/// every cell it cannot carry, by sheet, row and column.
#[function_component(ImportXlsform)]
fn import_xlsform() -> Html {
    let staff = use_staff();
    use_lang();
    let input = use_node_ref();
    let failure = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (input, failure, busy) = (input.clone(), failure.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let file =
                input.cast::<HtmlInputElement>().and_then(|i| i.files()).and_then(|files| files.get(0));
            let Some(file) = file else {
                return failure.set(Some(Failure::new(t("import-xlsform-none"))));
            };
            busy.set(true);
            let (failure, busy, staff) = (failure.clone(), busy.clone(), staff.clone());
            spawn_local(async move {
                let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
                    busy.set(false);
                    return failure.set(Some(Failure::new(t("import-unreadable"))));
                };
                let result = api::import_xlsform(&js_sys::Uint8Array::new(&buffer).to_vec()).await;
                busy.set(false);
                match result {
                    Ok(created) => staff.navigate.emit(Route::AdminEdit(created.definition.slug)),
                    Err(error) => failure.set(Some(staff.failure(&error))),
                }
            });
        })
    };
    let accept = format!(".xlsx,{}", api::XLSX);
    html! {
        <details class="import" id="import-xlsform">
            <summary>{ t("import-xlsform-summary") }</summary>
            <form id="xlsform-form" class="stack" {onsubmit} aria-busy={busy.to_string()}>
                <div class="field">
                    <label for="xlsform-file">{ t("import-xlsform-file") }</label>
                    <input id="xlsform-file" name="xlsform" type="file" accept={accept} ref={input}
                        aria-describedby="xlsform-help" />
                    <p class="hint" id="xlsform-help">{ t("import-xlsform-help") }</p>
                </div>
                if let Some(failure) = &*failure {
                    <FailureView id="xlsform-error" failure={failure.clone()} />
                }
                <button type="submit" id="xlsform-submit" disabled={*busy}>{ t("import-xlsform-submit") }</button>
            </form>
        </details>
    }
}

/// The text as a JSON object, without the `version` an exported published definition
/// carries: a new survey starts unversioned.
fn definition(text: &str) -> Result<serde_json::Value, Failure> {
    let mut value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Failure::new(tf("import-not-json", &[("detail", &e.to_string())])))?;
    match value.as_object_mut() {
        Some(object) => {
            object.remove("version");
            Ok(value)
        }
        None => Err(Failure::new(t("import-not-object"))),
    }
}
