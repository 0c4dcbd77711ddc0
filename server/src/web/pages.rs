//! Server-rendered HTML: the survey list, and the page a respondent opens, which the
//! WebAssembly client takes over. Pages load nothing but this server's own assets.

use std::sync::Arc;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, Markup, html};
use nansen_shared::answer::from_form;
use nansen_shared::{
    Access, LanguageTag, Messages, ProblemKind, QuestionKind, Schedule, Survey, SurveyStatus,
};
use serde::Deserialize;

use crate::http::compress;
use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address};
use crate::submission::{Entrance, Outcome};
use crate::surveys::catalog::{Catalog, Published};
use crate::web::assets::Assets;
use crate::web::form::{self, Filled};
use crate::web::i18n::Translations;
use crate::web::times::{self, LOCAL_TIME_SCRIPT};

/// The client's entry points, built by `cargo xtask`: one bundle for respondents, one
/// for staff, so that no respondent downloads the staff screens.
pub const RESPONDENT_BOOT: &str = "respondent-boot.js";
/// The respondent's bundle plus the blind-signature exchange of invite codes.
pub const INVITED_BOOT: &str = "invited-boot.js";
pub const STAFF_BOOT: &str = "staff-boot.js";

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

fn page(req: &HttpRequest, lang: &str, title: &str, script: Option<&str>, body: Markup) -> HttpResponse {
    page_with_styles(req, lang, title, script, &[], body)
}

/// The scripts a page loads: those of `wanted` the client's build has.
fn scripts<'a>(assets: &Assets, wanted: &[&'a str]) -> Vec<&'a str> {
    wanted.iter().copied().filter(|script| assets.has(script)).collect()
}

/// A page with extra stylesheets from the client's assets.
fn page_with_styles(
    req: &HttpRequest,
    lang: &str,
    title: &str,
    script: Option<&str>,
    styles: &[&str],
    body: Markup,
) -> HttpResponse {
    let scripts: Vec<&str> = script.into_iter().collect();
    html_response(req, document(lang, title, &scripts, styles, body))
}

/// A whole HTML document around `body`, loading `scripts` (modules, run once the page
/// is parsed) from the client's assets.
fn document(lang: &str, title: &str, scripts: &[&str], styles: &[&str], body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // No icon: saves the browser a request.
                link rel="icon" href="data:,";
                title { (title) }
                link rel="stylesheet" href="/assets/nansen.css";
                @for style in styles {
                    link rel="stylesheet" href={ "/assets/" (style) };
                }
                @for script in scripts {
                    script type="module" src={ "/assets/" (script) } {}
                }
            }
            body { (body) }
        }
    }
}

/// An HTML page, gzipped when the browser takes gzip: pages are made per request, and
/// on a slow network the bytes matter more than the millisecond it costs.
fn html_response(req: &HttpRequest, markup: Markup) -> HttpResponse {
    compress::ok(req, "text/html; charset=utf-8", "no-cache", markup.into_string().into_bytes())
}

/// `GET /`: the surveys open now.
pub async fn index(req: HttpRequest, catalog: web::Data<Catalog>) -> Result<HttpResponse, ApiError> {
    let open = catalog.open().await?;
    Ok(page(
        &req,
        "en",
        "Nansen",
        None,
        html! {
            main class="page" {
                h1 { "Nansen" }
                p { "Anonymous surveys. Only totals are stored: never single answers, addresses or cookies." }
                ul class="survey-list" {
                    @for published in &open {
                        @let lang = published.survey.default_language().map_or("en", LanguageTag::as_str);
                        li {
                            a lang=(lang) href={ "/s/" (published.survey.slug) } { (title(&published.survey, None)) }
                            @match (published.status_now(), published.schedule.opens_at, published.schedule.closes_at) {
                                (SurveyStatus::Scheduled, Some(at), _) => { " — opens " (at.utc_text()) }
                                (_, _, Some(at)) => { " — open until " (at.utc_text()) }
                                _ => {}
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /s/{slug}`: the questionnaire, in the language asked for (`?lang=`), else the
/// browser's, else the survey's default. A complete form without JavaScript; the
/// client takes it over when it can run.
pub async fn survey(
    req: HttpRequest,
    slug: web::Path<String>,
    catalog: web::Data<Catalog>,
    assets: web::Data<Assets>,
    translations: web::Data<Translations>,
) -> Result<HttpResponse, ApiError> {
    let Some(published) = published(&catalog, &slug).await? else {
        return Ok(not_found(&req));
    };
    let lang = language(&req, &published.survey);
    let page = match published.status_now() {
        SurveyStatus::Scheduled => not_open_yet(&published, &lang, &translations, &assets),
        _ => questionnaire(&published, &lang, &translations, &assets, &Filled::default()),
    };
    let mut response = html_response(&req, page);
    // The questionnaire is not kept on the device: a page for each visit.
    no_store(&mut response);
    Ok(response)
}

/// `POST /s/{slug}`: answers sent by the plain form, or a request to show it in
/// another language (a button of the form's language switch), answers kept.
#[expect(clippy::too_many_arguments, reason = "actix extractors: the request and each service it uses")]
pub async fn answer(
    req: HttpRequest,
    slug: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
    catalog: web::Data<Catalog>,
    assets: web::Data<Assets>,
    translations: web::Data<Translations>,
    entrance: web::Data<Entrance>,
    site: web::Data<Site>,
) -> Result<HttpResponse, ApiError> {
    let Some(published) = published(&catalog, &slug).await? else {
        return Ok(not_found(&req));
    };
    let survey = &published.survey;
    let lang = language(&req, survey);
    // Every reply to a POST is padded: the form again to a size fixed by the survey
    // version and the language, whatever answers and messages it shows (at least the
    // size of the form with every question flagged, see `MESSAGE_ROOM`).
    let show = |lang: &LanguageTag, filled: &Filled, status| {
        let page = questionnaire(&published, lang, &translations, &assets, filled);
        let longest = Filled::every_problem(survey, MESSAGE_ROOM);
        let longest = questionnaire(&published, lang, &translations, &assets, &longest);
        let size = bucket(longest.0.len());
        padded_page(page, status, |len| size.max(bucket(len)))
    };
    match published.status_now() {
        SurveyStatus::Open => {}
        SurveyStatus::Scheduled => {
            let page = not_open_yet(&published, &lang, &translations, &assets);
            return Ok(padded_page(page, StatusCode::CONFLICT, bucket));
        }
        SurveyStatus::Draft | SurveyStatus::Closed => {
            return Ok(show(&lang, &Filled::default(), StatusCode::GONE));
        }
    }
    let asked = fields.iter().find(|(name, _)| name == "lang").map(|(_, code)| code.as_str());
    if let Some(other) = asked.and_then(|code| survey.pick_language(&[code])) {
        let filled = Filled { answers: from_form(survey, &fields), ..Filled::default() };
        return Ok(show(other, &filled, StatusCode::OK));
    }
    let sent = form::sent(survey, &fields);
    match entrance.count(&published, sent, &client_address(&req, &site)).await {
        // Counted now, or the same form was sent twice (a double click, a reload).
        Ok(Outcome::Counted | Outcome::AlreadyCounted) => Ok(counted(survey, &lang, &translations)),
        Err(refusal) => {
            let (status, retry_after) = form::refused_status(&refusal);
            let filled = form::refused(survey, &fields, refusal, &lang, &translations)?;
            let mut page = show(&lang, &filled, status);
            if let Some(seconds) = retry_after {
                page.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            Ok(page)
        }
    }
}

/// Replies to the plain form's POST are padded to a multiple of this, never compressed.
pub const PAGE_BUCKET: usize = 4096;

/// `len` rounded up to a whole number of [`PAGE_BUCKET`]s.
fn bucket(len: usize) -> usize {
    len.div_ceil(PAGE_BUCKET).max(1) * PAGE_BUCKET
}

/// The room each message about an answer may take, in bytes: about 190 characters of
/// Cyrillic, far more than the longest the interface says. The padded form is at least
/// as long as the form with every question flagged with a message this long (each
/// listed in the summary and said by its field, every field marked invalid), so that
/// which answers, and how many, need attention does not change its size.
const MESSAGE_ROOM: usize = 384;

/// A page sent in reply to a POST: filled with spaces after `</html>` to `size(its
/// length)` bytes, never compressed nor kept anywhere.
fn padded_page(markup: Markup, status: StatusCode, size: impl Fn(usize) -> usize) -> HttpResponse {
    let response = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store, no-transform"))
        .body(markup.into_string());
    compress::padded(response, size)
}

/// Once answers are counted (here, and by the API), the browser is told to forget what
/// this site left on the device: cached pages and files, and storage. Not cookies: a
/// respondent has none, and a staff member's session on the same browser stays.
pub const CLEAR_SITE_DATA: &str = r#""cache", "storage""#;

/// The page after a plain form's answers were counted: padded to one size, and it asks
/// the browser to forget what this site left on the device ([`CLEAR_SITE_DATA`]).
/// `GET /s/{slug}/done`: the same confirmation, where the browser client goes once its
/// answers are counted (its own requests carry no credentials, and browsers apply
/// `Clear-Site-Data` only to responses of requests that do, such as a navigation).
pub async fn done(
    req: HttpRequest,
    slug: web::Path<String>,
    catalog: web::Data<Catalog>,
    translations: web::Data<Translations>,
) -> Result<HttpResponse, ApiError> {
    let Some(published) = published(&catalog, &slug).await? else {
        return Ok(not_found(&req));
    };
    let lang = language(&req, &published.survey);
    Ok(counted(&published.survey, &lang, &translations))
}

/// The confirmation: the survey's title, that the answers were counted, and in a
/// sentence what happens to them now (releases, with noise or withholding, whichever
/// the survey's results carry). One size whatever the survey's settings.
fn counted(survey: &Survey, lang: &LanguageTag, translations: &Translations) -> HttpResponse {
    let title = title(survey, Some(lang));
    let text = |id: &str| translations.text(lang.as_str(), id, &[]);
    let next = if survey.settings.privacy.noise { "counted-noise" } else { "counted-exact" };
    let markup = document(
        lang.as_str(),
        &format!("{} — {title}", text("counted-title")),
        &[],
        &[],
        html! {
            main id="app" class="survey" {
                h1 { (title) }
                p class="notice success" role="status" { (text("counted")) }
                p class="counted-next" { (text(next)) }
            }
        },
    );
    let mut response = padded_page(markup, StatusCode::OK, bucket);
    response.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        header::HeaderValue::from_static(CLEAR_SITE_DATA),
    );
    response
}

/// The published survey at `slug`, or `None` (the page then says "not found").
async fn published(catalog: &Catalog, slug: &str) -> Result<Option<Arc<Published>>, ApiError> {
    match catalog.get(slug).await {
        Ok(published) => Ok(Some(published)),
        Err(error) if error.kind() == ProblemKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// The questionnaire page: the form, filled as given, and (when the client is built)
/// the data the client needs to take it over.
fn questionnaire(
    published: &Published,
    lang: &LanguageTag,
    translations: &Translations,
    assets: &Assets,
    filled: &Filled,
) -> Markup {
    let survey = &published.survey;
    let lang_str = lang.as_str();
    let closed = published.status_now() == SurveyStatus::Closed;
    let boot = if survey.settings.access == Access::Invite { INVITED_BOOT } else { RESPONDENT_BOOT };
    let client_ready = assets.has(boot) && !closed;
    let title = title(survey, Some(lang));
    // Until when it takes answers, outside what the client takes over.
    let closing = Schedule { opens_at: None, closes_at: published.schedule.closes_at.filter(|_| !closed) };
    let wanted: &[&str] = match (client_ready, closing.is_empty()) {
        (true, true) => &[boot],
        (true, false) => &[boot, LOCAL_TIME_SCRIPT],
        (false, false) => &[LOCAL_TIME_SCRIPT],
        (false, true) => &[],
    };
    document(
        lang_str,
        &title,
        &scripts(assets, wanted),
        &[],
        html! {
            @if !closing.is_empty() {
                header class="survey-schedule" {
                    (times::schedule(&closing, lang_str, translations))
                }
            }
            main id="app" class="survey" data-slug=(survey.slug) data-lang=(lang_str) {
                @if closed {
                    h1 { (title) }
                    p class="notice" { (translations.text(lang_str, "closed", &[])) }
                } @else {
                    (form::render(survey, lang, translations, filled))
                }
            }
            @if client_ready {
                // What the client needs travels with the page, outside the form it takes
                // over, so the first question needs no second round trip: the survey in
                // this language, and the interface strings (the country names it reads
                // from the form's own list).
                (json_block("nansen-survey", &survey.in_language(lang)))
                (json_block("nansen-messages", &messages_for(translations, survey, lang_str, false)))
            }
        },
    )
}

/// The page of a survey before its opening time: its title and introduction, and when
/// it opens (and closes), in each of its languages. Nothing to answer yet.
fn not_open_yet(
    published: &Published,
    lang: &LanguageTag,
    translations: &Translations,
    assets: &Assets,
) -> Markup {
    let survey = &published.survey;
    let lang_str = lang.as_str();
    let title = title(survey, Some(lang));
    let fallback = survey.default_language().unwrap_or(lang);
    document(
        lang_str,
        &title,
        &scripts(assets, &[LOCAL_TIME_SCRIPT]),
        &[],
        html! {
            main id="app" class="survey" data-slug=(survey.slug) data-lang=(lang_str) data-status="scheduled" {
                @if survey.languages.len() > 1 {
                    nav class="languages" aria-label=(translations.text(lang_str, "language", &[])) {
                        @for other in &survey.languages {
                            a href={ "/s/" (survey.slug) "?lang=" (other) } lang=(other) hreflang=(other)
                                aria-current=[(other == lang).then_some("page")] {
                                (translations.autonym(other.as_str()).unwrap_or_else(|| other.as_str().to_ascii_uppercase()))
                            }
                        }
                    }
                }
                h1 { (title) }
                p class="notice" id="not-open-yet" { (translations.text(lang_str, "not-open-yet", &[])) }
                (times::schedule(&published.schedule, lang_str, translations))
                @if !survey.intro.is_empty() {
                    p class="intro" { (survey.intro.get(lang, fallback)) }
                }
            }
        },
    )
}

fn no_store(response: &mut HttpResponse) {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
}

/// The interface strings `survey`'s questionnaire needs in `lang`: counted messages up
/// to the largest number it can show (how many answers need attention: at most the
/// number of questions; how many choices are allowed), and, when asked, country names
/// if it asks for a country.
pub fn messages_for(translations: &Translations, survey: &Survey, lang: &str, countries: bool) -> Messages {
    let choices = survey
        .questions
        .iter()
        .filter_map(|q| match q.kind {
            QuestionKind::Multi { max_choices, .. } => max_choices.map(|m| m as usize),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let asks_country = survey.questions.iter().any(|q| matches!(q.kind, QuestionKind::Country { .. }));
    translations.messages(lang, survey.questions.len().max(choices), countries && asks_country)
}

/// Data for the client inside the page: JSON in a non-executable script element, with
/// `<`, `>` and `&` escaped so the text can never close the element.
fn json_block(id: &str, value: &impl serde::Serialize) -> Markup {
    let json = serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! { script type="application/json" id=(id) { (maud::PreEscaped(json)) } }
}

/// `GET /admin…` and `/research…`: the staff screens, drawn by the staff bundle, which
/// routes by the path. (Authorisation is the API's business: these pages hold no data.)
pub async fn staff(req: HttpRequest, assets: web::Data<Assets>) -> HttpResponse {
    let area = if req.path().starts_with("/admin") { "admin" } else { "research" };
    let title = if area == "admin" { "Nansen — admin" } else { "Nansen — results" };
    let ready = assets.has(STAFF_BOOT);
    page_with_styles(
        &req,
        "en",
        title,
        ready.then_some(STAFF_BOOT),
        &["staff.css"],
        html! {
            main id="app" class="staff" data-area=(area) {
                h1 { (title) }
                @if ready {
                    p class="loading" { "Loading…" }
                    noscript { p class="notice" { "The staff screens need JavaScript." } }
                } @else {
                    p class="notice" { "The staff screens are not installed on this server." }
                }
            }
        },
    )
}

pub fn not_found(req: &HttpRequest) -> HttpResponse {
    let mut response = page(
        req,
        "en",
        "Not found",
        None,
        html! { main class="page" { h1 { "Not found" } p { "There is nothing at this address. " a href="/" { "See the open surveys." } } } },
    );
    *response.status_mut() = actix_web::http::StatusCode::NOT_FOUND;
    response
}

/// A page's answer to a method it does not take (the caller adds `Allow`).
pub fn method_not_allowed(req: &HttpRequest) -> HttpResponse {
    let mut response = page(
        req,
        "en",
        "Method not allowed",
        None,
        html! { main class="page" { h1 { "Method not allowed" } p { "This page cannot be used this way. " a href="/" { "See the open surveys." } } } },
    );
    *response.status_mut() = actix_web::http::StatusCode::METHOD_NOT_ALLOWED;
    response
}

fn title(survey: &Survey, lang: Option<&LanguageTag>) -> String {
    let Some(default) = survey.default_language() else {
        return survey.slug.to_string();
    };
    survey.title.get(lang.unwrap_or(default), default).to_owned()
}

fn language(req: &HttpRequest, survey: &Survey) -> LanguageTag {
    chosen_language(req, survey)
        .cloned()
        .unwrap_or_else(|| LanguageTag::parse("en").unwrap_or_else(|_| unreachable!()))
}

fn chosen_language<'a>(req: &HttpRequest, survey: &'a Survey) -> Option<&'a LanguageTag> {
    let query =
        web::Query::<PageQuery>::from_query(req.query_string()).map(|q| q.into_inner()).unwrap_or_default();
    let accepted = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut wanted: Vec<&str> = query.lang.as_deref().into_iter().collect();
    wanted.extend(accept_language(accepted));
    survey.pick_language(&wanted)
}

/// The languages of an `Accept-Language` header, most preferred first.
fn accept_language(header: &str) -> Vec<&str> {
    let mut tags: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((q, i, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, tag)| tag).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_orders_by_quality() {
        assert_eq!(accept_language("en;q=0.5, ru-RU, uk;q=0.8, *;q=0.1, de;q=0"), ["ru-RU", "uk", "en"]);
        assert!(accept_language("").is_empty());
    }
}
