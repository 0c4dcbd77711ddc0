//! `/research/{slug}`: one survey's results, release by release (the latest unless
//! another is picked) — what protects its numbers in plain words, the respondent total,
//! a chart and a table per question, cross-tabulations, and the release's downloads.
//! Before the first release, the server's words on why there is nothing yet.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{ExportFormat, ProblemKind, ReleaseSummary, ResearchSurvey, Slug, Survey, SurveyResults};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart::{bar_chart, legend, table};
use super::crosstab::crosstab;
use super::labels::Labels;
use super::list::status_name;
use super::release::{about, release_label};
use crate::api::ApiError;
use crate::staff::i18n::{t, tf, use_lang};
use crate::staff::notice::{Failure, FailureView, Load};
use crate::staff::{api, use_staff};

#[derive(Debug, Properties, PartialEq)]
pub struct DashboardProps {
    pub slug: Slug,
}

/// The release on screen.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    /// Nothing released yet: the server's words why, shown as a notice, not an error.
    NotYet(String),
    Failed(Failure),
    Ready(Rc<SurveyResults>),
}

#[function_component(Dashboard)]
pub fn dashboard(props: &DashboardProps) -> Html {
    let staff = use_staff();
    let lang = use_lang();
    let survey = use_state(|| Load::<ResearchSurvey>::Loading);
    let releases = use_state(|| Rc::new(Vec::<ReleaseSummary>::new()));
    // The release asked for; `None`: the latest.
    let chosen = use_state(|| None::<u32>);
    let shown = use_state(|| Shown::Loading);
    let definition = use_state(|| None::<Rc<Survey>>);
    let countries = use_state(|| Rc::new(BTreeMap::<String, String>::new()));
    {
        // Country names, in the staff language.
        let countries = countries.clone();
        use_effect_with(lang, move |lang| {
            let lang = lang.to_string();
            spawn_local(async move {
                if let Ok(messages) = api::messages(&lang).await {
                    countries.set(Rc::new(messages.countries));
                }
            });
        });
    }
    {
        let (survey, releases, staff) = (survey.clone(), releases.clone(), staff.clone());
        use_effect_with(props.slug.clone(), move |slug| {
            let slug = slug.clone();
            spawn_local(async move {
                match api::research_surveys().await {
                    Ok(list) => match list.into_iter().find(|s| s.slug == slug) {
                        Some(found) => survey.set(Load::Ready(found)),
                        None => survey.set(Load::Failed(Failure::new(tf(
                            "res-no-such-survey",
                            &[("slug", slug.as_str())],
                        )))),
                    },
                    Err(error) => survey.set(Load::Failed(staff.failure(&error))),
                }
                // Without the list, the latest release is still shown, only not the others.
                if let Ok(list) = api::releases(slug.as_str()).await {
                    releases.set(Rc::new(list));
                }
            });
        });
    }
    {
        let (shown, definition, staff) = (shown.clone(), definition.clone(), staff.clone());
        use_effect_with((props.slug.clone(), *chosen), move |(slug, chosen)| {
            let (slug, chosen) = (slug.clone(), *chosen);
            // A reply to an earlier choice, arriving late, is dropped.
            let stale = Rc::new(Cell::new(false));
            let stale_later = stale.clone();
            spawn_local(async move {
                shown.set(Shown::Loading);
                let next = match api::results(slug.as_str(), chosen).await {
                    Ok(found) => {
                        // The labels of this very version; without them, codes are shown.
                        let known = definition.as_ref().is_some_and(|d| d.version == Some(found.version));
                        if !known && let Ok(survey) = api::definition(slug.as_str(), found.version).await {
                            if stale.get() {
                                return;
                            }
                            definition.set(Some(Rc::new(survey)));
                        }
                        Shown::Ready(Rc::new(found))
                    }
                    Err(ApiError::Problem(problem))
                        if problem.known_kind() == Some(ProblemKind::NoRelease) =>
                    {
                        Shown::NotYet(problem.detail)
                    }
                    Err(error) => Shown::Failed(staff.failure(&error)),
                };
                if !stale.get() {
                    shown.set(next);
                }
            });
            move || stale_later.set(true)
        });
    }
    let heading = match &*survey {
        Load::Ready(s) => s.languages.first().map(|l| s.title.get(l, l).to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| props.slug.to_string());
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |number: u32| chosen.set(Some(number)))
    };
    html! {
        <section class="dashboard">
            <h1>{ tf("res-heading", &[("title", &heading)]) }</h1>
            <p><a href="/research">{ t("res-back") }</a></p>
            { survey.placeholder().unwrap_or_else(|| match &*survey {
                Load::Ready(found) => html! {
                    <>
                        { controls(found, &releases, &shown, *chosen, on_choose) }
                        { match &*shown {
                            Shown::Loading => html! { <p class="loading" role="status">{ t("app-loading") }</p> },
                            Shown::NotYet(detail) => html! {
                                <div class="notice" id="no-release" role="status">
                                    <p>{ detail }</p>
                                </div>
                            },
                            Shown::Failed(failure) => html! { <FailureView failure={failure.clone()} /> },
                            Shown::Ready(results) => {
                                body(results, &Labels::new((*definition).clone(), results, (*countries).clone()))
                            }
                        } }
                    </>
                },
                _ => html! {},
            }) }
        </section>
    }
}

/// Status, the release shown (and the others to pick from), and its downloads.
fn controls(
    survey: &ResearchSurvey,
    releases: &[ReleaseSummary],
    shown: &Shown,
    chosen: Option<u32>,
    on_choose: Callback<u32>,
) -> Html {
    let current = match shown {
        Shown::Ready(results) => results.release.as_ref().map(|r| r.number),
        _ => None,
    };
    let selected = current.or(chosen).or_else(|| releases.last().map(|r| r.number));
    let onchange = Callback::from(move |e: Event| {
        if let Ok(number) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>() {
            on_choose.emit(number);
        }
    });
    let slug = survey.slug.as_str();
    html! {
        <div class="controls">
            <p>{ t("res-status") }{ " " }<span id="survey-status" data-status={survey.status.as_str()}>
                { status_name(survey.status) }</span></p>
            if !releases.is_empty() {
                <div class="field">
                    <label for="release">{ t("res-release-label") }</label>
                    <select id="release" name="release" {onchange}>
                        { for releases.iter().rev().map(|r| html! {
                            <option value={r.number.to_string()} selected={Some(r.number) == selected}>
                                { release_label(r) }
                            </option>
                        }) }
                    </select>
                </div>
            }
            if let Some(number) = current {
                <div class="downloads" role="group" aria-label={t("res-downloads")}>
                    <span>{ tf("res-download", &[("number", &number.to_string())]) }{ " " }</span>
                    { for ExportFormat::ALL.iter().map(|format| html! {
                        <a class="download button" data-format={format.name()}
                            href={api::export_url(slug, number, format.name())}
                            download={format!("{slug}-release-{number}.{}", format.name())}>
                            { format_label(*format) }
                        </a>
                    }) }
                </div>
            }
        </div>
    }
}

/// What a download format is called, in the staff language where it needs words.
fn format_label(format: ExportFormat) -> String {
    match format.name() {
        "csv" => t("res-format-csv"),
        "csv-excel" => t("res-format-csv-excel"),
        _ => format.label().to_owned(),
    }
}

/// "120", or with noise "120 ± 14": a figure as the release gives it.
fn figure(n: u64, error: Option<u64>) -> String {
    error.map_or_else(|| n.to_string(), |e| format!("{n} ± {e}"))
}

fn body(results: &SurveyResults, labels: &Labels) -> Html {
    let k = results.min_cell;
    let error = results.release.as_ref().and_then(|r| r.noise.as_ref()).map(|n| n.error95);
    let chart_title = |prompt: &str| match error {
        Some(e) => tf("res-chart-noise", &[("prompt", prompt), ("error", &e.to_string())]),
        None => tf("res-chart", &[("prompt", prompt)]),
    };
    html! {
        <div class="results" data-version={results.version.to_string()}
            data-release={results.release.as_ref().map(|r| r.number.to_string())}>
            { about(results) }
            <p class="respondents">
                { t("res-respondents") }{ " " }
                <strong id="respondents" data-count={results.respondents.map(|n| n.to_string())}>
                    { match results.respondents {
                        Some(n) => figure(n, error),
                        None => t("res-withheld"),
                    } }
                </strong>
            </p>
            { legend(k, error) }
            if !labels.known() {
                <p class="notice" id="codes-only">{ t("res-codes-only") }</p>
            }
            { for results.questions.iter().map(|question| {
                let id = question.id.as_str();
                let prompt = labels.question(id);
                let bars = labels.bars(question);
                let heading_id = format!("results-{id}");
                html! {
                    <section class="question-results" data-question={id.to_owned()} aria-labelledby={heading_id.clone()}>
                        <h2 id={heading_id}>{ &prompt }{ " " }<code>{ id }</code></h2>
                        <p class="answered">{ match question.answered {
                            Some(n) => tf("res-answered", &[("figure", &figure(n, error))]),
                            None => t("res-answered-withheld"),
                        } }</p>
                        if bars.is_empty() {
                            <p>{ t("res-no-answers") }</p>
                        } else {
                            { bar_chart(id, &chart_title(&prompt), &bars, error) }
                            { table(id, &bars, error) }
                        }
                    </section>
                }
            }) }
            if !results.crosstabs.is_empty() {
                <section class="crosstabs" aria-labelledby="crosstabs-heading">
                    <h2 id="crosstabs-heading">{ t("xt-heading") }</h2>
                    if let Some(e) = error {
                        <p class="hint">{ tf("res-crosstab-noise", &[("error", &e.to_string())]) }</p>
                    }
                    { for results.crosstabs.iter().map(|t| crosstab(t, labels)) }
                </section>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_carry_their_bound_when_there_is_noise() {
        assert_eq!(figure(120, Some(14)), "120 ± 14");
        assert_eq!(figure(120, None), "120");
    }
}
