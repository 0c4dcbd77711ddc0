//! Talking to the server: one typed request function, relative paths (the same server
//! serves the page and the API), and no unwrapping of anything the network returns.
//!
//! A respondent's requests carry no credentials at all (`credentials: "omit"`): a staff
//! member who answers a survey in the browser they work in must not send their session
//! with the answers. Only the staff screens send it ([`request`]).

use js_sys::Promise;
use nansen_shared::{Problem, Receipt, Submission, Survey};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request may not have reached the server, or the reply was lost: the outcome
    /// is unknown, so the same request may safely be sent again.
    Network,
    /// The server refused, and said why.
    Problem(Problem),
    /// The server answered something this client does not understand.
    Unexpected(u16),
}

/// A staff screen's request: sends `body` (as JSON, if any) with `method` to `path`,
/// with the session cookie (same origin only), and decodes a 2xx reply as `T` (a 204
/// as JSON `null`).
pub async fn request<T: DeserializeOwned, B: Serialize>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let json = body.map(serde_json::to_string).transpose().map_err(|_| ApiError::Unexpected(0))?;
    send(method, path, json, RequestCredentials::SameOrigin).await
}

/// A staff screen's upload of a file: `bytes` POSTed to `path` as they are, as
/// `content_type`, with the session cookie; the reply decoded as [`request`] does.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<T, ApiError> {
    let body = Body { value: js_sys::Uint8Array::from(bytes).into(), content_type };
    let response = fetch("POST", path, Some(body), RequestCredentials::SameOrigin).await?;
    decode(response).await
}

/// A request body: the value `fetch` sends, and what it is.
struct Body<'a> {
    value: JsValue,
    content_type: &'a str,
}

/// A respondent's request: `body` is sent as it is (already JSON, padded where it
/// must be), and no cookie or other credential goes with it.
pub async fn respondent<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, ApiError> {
    send(method, path, body, RequestCredentials::Omit).await
}

/// How many times a respondent's request is sent, at most, when the server asks for a
/// pause first.
const ATTEMPTS: u32 = 3;
/// The longest pause waited for before sending again; a longer one is said instead.
const LONGEST_PAUSE: u32 = 30;

/// A respondent's request as [`respondent`] sends it, sent again after the pause the
/// server asks for (`Retry-After`) when it is too busy (503) or this network sent too
/// much (429), at most [`ATTEMPTS`] times in all. The body is the same each time (the
/// same key: counted once however often it arrives); `waiting(seconds)` is told before
/// each pause, so that the person knows what is happening.
pub async fn respondent_patiently<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    waiting: &dyn Fn(u32),
) -> Result<T, ApiError> {
    for _ in 1..ATTEMPTS {
        let json = body
            .clone()
            .map(|json| Body { value: JsValue::from_str(&json), content_type: "application/json" });
        let response = fetch(method, path, json, RequestCredentials::Omit).await?;
        match pause_asked(&response) {
            Some(seconds) => {
                waiting(seconds);
                pause(seconds).await;
            }
            None => return decode(response).await,
        }
    }
    respondent(method, path, body).await
}

/// The pause a 429 or 503 reply asks for, if it is one this client waits for.
fn pause_asked(response: &Response) -> Option<u32> {
    if !matches!(response.status(), 429 | 503) {
        return None;
    }
    let seconds: u32 = response.headers().get("retry-after").ok()??.trim().parse().ok()?;
    (seconds <= LONGEST_PAUSE).then_some(seconds.max(1))
}

/// Waits `seconds`.
async fn pause(seconds: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let millis = i32::try_from(seconds.saturating_mul(1000)).unwrap_or(i32::MAX);
        let set = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis).is_ok());
        if set != Some(true) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    credentials: RequestCredentials,
) -> Result<T, ApiError> {
    let body = body.map(|json| Body { value: JsValue::from_str(&json), content_type: "application/json" });
    let response = fetch(method, path, body, credentials).await?;
    decode(response).await
}

/// A reply as `T` when it succeeded (a 204 as JSON `null`), else as the problem the
/// server sent.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|_| ApiError::Unexpected(status));
    }
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => Err(ApiError::Problem(problem)),
        // A proxy's error page, or a cut-off body: the request may not have arrived.
        Err(_) if status >= 500 || status == 0 => Err(ApiError::Network),
        Err(_) => Err(ApiError::Unexpected(status)),
    }
}

async fn fetch(
    method: &str,
    path: &str,
    body: Option<Body<'_>>,
    credentials: RequestCredentials,
) -> Result<Response, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    // Same-origin paths only: nothing goes anywhere else.
    init.set_credentials(credentials);
    if let Some(body) = &body {
        init.set_body(&body.value);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| ApiError::Unexpected(0))?;
    let headers = request.headers();
    let _ = headers.set("accept", "application/json");
    if let Some(body) = &body {
        let _ = headers.set("content-type", body.content_type);
    }
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let promise: Promise = window.fetch_with_request(&request);
    let response = JsFuture::from(promise).await.map_err(|_| ApiError::Network)?;
    response.dyn_into::<Response>().map_err(|_| ApiError::Network)
}

pub async fn survey(slug: &str) -> Result<Survey, ApiError> {
    respondent("GET", &format!("/api/v1/surveys/{slug}"), None).await
}

/// Sends the answers, padded to the size every submission to this version of `survey`
/// has (`nansen_shared::pad`): the length says nothing of what was answered. Sent again
/// when the server asks for a pause (see [`respondent_patiently`]).
pub async fn submit(
    slug: &str,
    submission: &Submission,
    survey: &Survey,
    waiting: &dyn Fn(u32),
) -> Result<Receipt, ApiError> {
    let body = nansen_shared::pad::padded(submission, survey);
    respondent_patiently("POST", &format!("/api/v1/surveys/{slug}/responses"), Some(body), waiting).await
}
