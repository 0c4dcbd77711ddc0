//! Talking to the server: one typed request function, relative paths (the same server
//! serves the page and the API), and no unwrapping of anything the network returns.

use gloo_net::http::{Request, Response};
use nansen_shared::{Problem, Receipt, Submission, Survey};
use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// Sends `body` (if any) with `method` to `path` and decodes a 2xx reply as `T`.
pub async fn request<T: DeserializeOwned, B: Serialize>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let builder = match method {
        "POST" => Request::post(path),
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::get(path),
    }
    .header("accept", "application/json");
    let sent = match body {
        Some(body) => builder.json(body).map_err(|_| ApiError::Unexpected(0))?.send().await,
        None => builder.send().await,
    };
    let response = sent.map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if (200..300).contains(&status) {
        return response.json::<T>().await.map_err(|_| ApiError::Network);
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        // A proxy's error page, or a cut-off body.
        Err(_) if status >= 500 || status == 0 => Err(ApiError::Network),
        Err(_) => Err(ApiError::Unexpected(status)),
    }
}

pub async fn survey(slug: &str) -> Result<Survey, ApiError> {
    request::<Survey, ()>("GET", &format!("/api/v1/surveys/{slug}"), None).await
}

pub async fn submit(slug: &str, submission: &Submission) -> Result<Receipt, ApiError> {
    request("POST", &format!("/api/v1/surveys/{slug}/responses"), Some(submission)).await
}
