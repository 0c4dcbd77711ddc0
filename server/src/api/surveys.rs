//! The public survey list and definitions.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{ProblemKind, SurveyStatus, SurveySummary, Timestamp};

use super::doc;
use crate::http::compress;
use crate::http::problem::ApiError;
use crate::surveys::catalog::{Catalog, Published};
use crate::web::i18n::Translations;

/// `GET /api/v1/surveys`: the surveys open for answers, and those scheduled to open,
/// each with its opening and closing times.
#[utoipa::path(
    get,
    path = "/api/v1/surveys",
    tag = "respondents",
    responses(
        (status = 200, description = "The surveys open for answers, and those scheduled to open.", body = Vec<nansen_shared::SurveySummary>),
    ),
)]
pub async fn list(catalog: web::Data<Catalog>) -> Result<HttpResponse, ApiError> {
    let summaries: Vec<SurveySummary> = catalog
        .open()
        .await?
        .into_iter()
        .map(|p| SurveySummary {
            version: p.version(),
            status: p.status_now(),
            schedule: p.schedule,
            slug: p.survey.slug,
            title: p.survey.title,
            languages: p.survey.languages,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-cache")).json(summaries))
}

/// `GET /api/v1/surveys/{slug}[?lang=ru]`: the current published definition, with
/// `lang` in that language alone.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}",
    tag = "respondents",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("lang" = Option<String>, Query, description = "A language tag, such as ru."),
    ),
    responses(
        (status = 200, description = "The current published definition (in `lang` alone, if given and offered).", body = nansen_shared::Survey),
        doc::NotFound,
        doc::NotYetOpen,
        doc::SurveyClosed,
    ),
)]
pub async fn get(
    req: HttpRequest,
    catalog: web::Data<Catalog>,
    slug: web::Path<String>,
    query: web::Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let published = catalog.get(&slug).await?;
    taking_answers(&published)?;
    let survey = &published.survey;
    let chosen = query.lang.as_deref().and_then(|lang| survey.pick_language(&[lang]));
    // Not kept on the device: that a browser fetched a survey is for no cache to tell.
    Ok(match chosen {
        Some(lang) => compress::json(&req, "no-store", &survey.in_language(lang)),
        None => compress::json(&req, "no-store", survey),
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct MessagesQuery {
    lang: Option<String>,
}

/// `GET /api/v1/surveys/{slug}/messages?lang=ru`: the questionnaire's interface
/// strings in one language (for switching language without a reload).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}/messages",
    tag = "respondents",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("lang" = Option<String>, Query, description = "A language tag, such as ru."),
    ),
    responses(
        (status = 200, description = "The questionnaire's interface strings in one language.", body = nansen_shared::Messages),
        doc::NotFound,
    ),
)]
pub async fn messages(
    req: HttpRequest,
    catalog: web::Data<Catalog>,
    translations: web::Data<Translations>,
    slug: web::Path<String>,
    query: web::Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let published = catalog.get(&slug).await?;
    let survey = &published.survey;
    let lang = query.lang.as_deref().or(survey.default_language().map(|l| l.as_str())).unwrap_or("en");
    Ok(compress::json(&req, "no-store", &crate::web::pages::messages_for(&translations, survey, lang, true)))
}

/// `GET /api/v1/messages?lang=ru`: the questionnaire's interface strings for any
/// survey (the designer's preview of a draft), with counts written out to 100.
#[utoipa::path(
    get,
    path = "/api/v1/messages",
    tag = "respondents",
    params(
        ("lang" = Option<String>, Query, description = "A language tag, such as ru."),
    ),
    responses(
        (status = 200, description = "The questionnaire's interface strings in one language.", body = nansen_shared::Messages),
    ),
)]
pub async fn all_messages(
    translations: web::Data<Translations>,
    query: web::Query<MessagesQuery>,
) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "no-cache")).json(translations.messages(
        query.lang.as_deref().unwrap_or("en"),
        100,
        true,
    ))
}

pub fn closed() -> ApiError {
    ApiError::new(
        ProblemKind::SurveyClosed,
        "This survey has closed and takes no more answers. Thank you for your interest.",
    )
}

/// A survey before its opening time.
pub fn not_yet_open(opens_at: Option<Timestamp>) -> ApiError {
    let when = opens_at.map_or_else(String::new, |at| format!(" It opens at {} ({at}).", at.utc_text()));
    ApiError::new(
        ProblemKind::NotYetOpen,
        format!("This survey is not open yet, and takes no answers before its opening time.{when}"),
    )
}

/// Nothing, if `published` takes answers now; else why not, as a problem.
pub fn taking_answers(published: &Published) -> Result<(), ApiError> {
    match published.status_now() {
        SurveyStatus::Open => Ok(()),
        SurveyStatus::Scheduled => Err(not_yet_open(published.schedule.opens_at)),
        SurveyStatus::Draft | SurveyStatus::Closed => Err(closed()),
    }
}

/// `GET /api/v1/messages/staff?lang=ru`: the staff screens' strings in one language
/// (English when there is none in that language), plural messages worked out for any
/// number. The same for everyone: the login form needs them before any session.
#[utoipa::path(
    get,
    path = "/api/v1/messages/staff",
    tag = "staff",
    params(
        ("lang" = Option<String>, Query, description = "A language tag, such as ru."),
    ),
    responses(
        (status = 200, description = "The staff screens' strings in one language.", body = nansen_shared::messages::StaffMessages),
    ),
)]
pub async fn staff_messages(
    req: HttpRequest,
    translations: web::Data<Translations>,
    query: web::Query<MessagesQuery>,
) -> HttpResponse {
    let lang = query.lang.as_deref().unwrap_or("en");
    compress::json(&req, "no-cache", translations.staff_messages(lang))
}
