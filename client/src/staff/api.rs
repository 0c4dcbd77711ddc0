//! The staff API, one function per call, all through [`crate::api::request`].

use nansen_shared::{
    AdminSurvey, AdminSurveySummary, LoginRequest, Messages, ReleaseSummary, ResearchSurvey, Schedule,
    SessionInfo, Survey, SurveyResults,
};

use crate::api::{ApiError, request};

const NO_BODY: Option<&()> = None;

pub async fn session() -> Result<SessionInfo, ApiError> {
    request("GET", "/api/v1/session", NO_BODY).await
}

pub async fn log_in(login: &LoginRequest) -> Result<SessionInfo, ApiError> {
    request("POST", "/api/v1/session", Some(login)).await
}

pub async fn log_out() -> Result<(), ApiError> {
    request("DELETE", "/api/v1/session", NO_BODY).await
}

pub async fn admin_surveys() -> Result<Vec<AdminSurveySummary>, ApiError> {
    request("GET", "/api/v1/admin/surveys", NO_BODY).await
}

/// Creates a survey. The body is any JSON, so that an imported file the schema refuses
/// is explained by the server's own message.
pub async fn create_survey(definition: &serde_json::Value) -> Result<AdminSurvey, ApiError> {
    request("POST", "/api/v1/admin/surveys", Some(definition)).await
}

/// Creates a draft from an XLSForm (`.xlsx`), sent as it is: the server names every
/// cell it cannot carry.
pub async fn import_xlsform(bytes: &[u8]) -> Result<AdminSurvey, ApiError> {
    crate::api::upload("/api/v1/admin/surveys/import", XLSX, bytes).await
}

/// The media type of `.xlsx` files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Where a survey (as last saved) is downloaded as an XLSForm.
pub fn xlsform_url(slug: &str) -> String {
    format!("/api/v1/admin/surveys/{slug}/xlsform")
}

pub async fn admin_survey(slug: &str) -> Result<AdminSurvey, ApiError> {
    request("GET", &format!("/api/v1/admin/surveys/{slug}"), NO_BODY).await
}

pub async fn save_draft(survey: &Survey) -> Result<AdminSurvey, ApiError> {
    request("PUT", &format!("/api/v1/admin/surveys/{}", survey.slug), Some(survey)).await
}

/// Publishes the draft, open at once or at the times `schedule` gives.
pub async fn publish(slug: &str, schedule: &Schedule) -> Result<AdminSurvey, ApiError> {
    request("POST", &format!("/api/v1/admin/surveys/{slug}/publish"), Some(schedule)).await
}

/// New opening and closing times for a published survey.
pub async fn reschedule(slug: &str, schedule: &Schedule) -> Result<AdminSurvey, ApiError> {
    request("PUT", &format!("/api/v1/admin/surveys/{slug}/schedule"), Some(schedule)).await
}

pub async fn close(slug: &str) -> Result<AdminSurvey, ApiError> {
    request("POST", &format!("/api/v1/admin/surveys/{slug}/close"), NO_BODY).await
}

pub async fn research_surveys() -> Result<Vec<ResearchSurvey>, ApiError> {
    request("GET", "/api/v1/research/surveys", NO_BODY).await
}

/// A release's results: number `release`, or the latest (`None`). Before the first
/// release the server answers 404 `no-release`, with words for the researcher.
pub async fn results(slug: &str, release: Option<u32>) -> Result<SurveyResults, ApiError> {
    let query = release.map_or_else(String::new, |n| format!("?release={n}"));
    request("GET", &format!("/api/v1/surveys/{slug}/results{query}"), NO_BODY).await
}

/// Every release of a survey, oldest first.
pub async fn releases(slug: &str) -> Result<Vec<ReleaseSummary>, ApiError> {
    request("GET", &format!("/api/v1/surveys/{slug}/releases"), NO_BODY).await
}

/// Asks for a release now (admins): its results, or 409 `release-not-allowed` saying why
/// not.
pub async fn release_now(slug: &str) -> Result<SurveyResults, ApiError> {
    request("POST", &format!("/api/v1/admin/surveys/{slug}/releases"), NO_BODY).await
}

/// The definition of a published version, open or closed (to label its results).
pub async fn definition(slug: &str, version: u32) -> Result<Survey, ApiError> {
    request("GET", &format!("/api/v1/research/surveys/{slug}/versions/{version}"), NO_BODY).await
}

/// The questionnaire's interface strings, for the designer's preview of any survey.
pub async fn messages(lang: &str) -> Result<Messages, ApiError> {
    request("GET", &format!("/api/v1/messages?lang={lang}"), NO_BODY).await
}

/// The staff screens' own strings in `lang`.
pub async fn staff_messages(lang: &str) -> Result<nansen_shared::messages::StaffMessages, ApiError> {
    request("GET", &format!("/api/v1/messages/staff?lang={lang}"), NO_BODY).await
}

/// A release's results with post-stratified shares: weighted by question `by`, whose
/// answers have the target population's `shares` (0 to 1). The server refuses, with
/// words why, weights it cannot apply.
pub async fn weighted_results(
    slug: &str,
    release: u32,
    by: &str,
    shares: &[(String, f64)],
) -> Result<SurveyResults, ApiError> {
    let weights = weights_query(by, shares);
    request("GET", &format!("/api/v1/surveys/{slug}/results?release={release}{weights}"), NO_BODY).await
}

/// `&weight_by=by&weights=code:share,code:share`, as the results and their files take it.
pub fn weights_query(by: &str, shares: &[(String, f64)]) -> String {
    let shares: Vec<String> =
        shares.iter().map(|(code, share)| format!("{}:{share}", encode(code))).collect();
    format!("&weight_by={}&weights={}", encode(by), shares.join(","))
}

/// A query value, its reserved characters percent-encoded (codes and ids never have
/// any; this is for safety, not for use).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where release `release` can be downloaded in `format` (a name from
/// `ExportFormat::ALL`), its labels in `lang`, with the weights applied (`by` and its
/// answers' shares), if any.
pub fn export_url(
    slug: &str,
    release: u32,
    format: &str,
    lang: &str,
    weights: Option<(&str, &[(String, f64)])>,
) -> String {
    let weights = weights.map(|(by, shares)| weights_query(by, shares)).unwrap_or_default();
    format!("/api/v1/surveys/{slug}/results?format={format}&lang={}&release={release}{weights}", encode(lang))
}

/// Where the DDI codebook of release `release` is, its labels in `lang`.
pub fn codebook_url(slug: &str, release: u32, lang: &str) -> String {
    format!("/api/v1/surveys/{slug}/codebook.xml?lang={}&release={release}", encode(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_their_release_language_and_weights() {
        assert_eq!(
            export_url("diaspora", 3, "csv", "ru", None),
            "/api/v1/surveys/diaspora/results?format=csv&lang=ru&release=3"
        );
        let shares = [("from_2023".to_owned(), 0.25), ("before_2022".to_owned(), 0.75)];
        assert_eq!(
            export_url("diaspora", 3, "xlsx", "en", Some(("left_when", &shares))),
            "/api/v1/surveys/diaspora/results?format=xlsx&lang=en&release=3\
             &weight_by=left_when&weights=from_2023:0.25,before_2022:0.75"
        );
        assert_eq!(
            codebook_url("diaspora", 3, "pt-BR"),
            "/api/v1/surveys/diaspora/codebook.xml?lang=pt-BR&release=3"
        );
        assert_eq!(weights_query("a b", &[("x&y".to_owned(), 1.0)]), "&weight_by=a%20b&weights=x%26y:1");
    }
}
