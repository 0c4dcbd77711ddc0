//! `/research/{slug}`: one survey's results, release by release (the latest unless
//! another is picked) — what protects its numbers in plain words, the respondent total,
//! per question its shares with their 95 % intervals as a chart and a table (and a number
//! question's mean), post-stratified shares when weights are applied, cross-tabulations,
//! and the release's downloads in every format, labelled in a survey language and
//! carrying the weights applied. Before the first release, the server's words on why
//! there is nothing yet.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{
    ExportFormat, ProblemKind, QuestionResults, ReleaseSummary, ResearchSurvey, Slug, Survey, SurveyResults,
    Weighted,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart::{bar_chart, figure, has_shares, legend, table};
use super::crosstab::crosstab;
use super::figures::mean_msg;
use super::labels::Labels;
use super::list::status_name;
use super::release::{about, release_label};
use super::weights::{WeightPanel, Weighting, shares_text, weighted_table};
use crate::api::ApiError;
use crate::staff::i18n::{language_name, t, tf, use_lang};
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
    let staff_lang = lang.clone();
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
    // Weights asked for, and a token that changes whenever they are asked for or let
    // go of (or another release is picked), so that a late reply does not undo that.
    let weighting = use_state(|| Weighting::Off);
    let asked = use_mut_ref(|| 0_u32);
    // The language of the downloads' labels; `None`: the staff language if the survey
    // has it, else the survey's first.
    let download_lang = use_state(|| None::<String>);
    let heading = match &*survey {
        Load::Ready(s) => s.languages.first().map(|l| s.title.get(l, l).to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| props.slug.to_string());
    let on_choose = {
        let (chosen, weighting, asked) = (chosen.clone(), weighting.clone(), asked.clone());
        Callback::from(move |number: u32| {
            *asked.borrow_mut() += 1;
            weighting.set(Weighting::Off);
            chosen.set(Some(number));
        })
    };
    let shown_release = match &*shown {
        Shown::Ready(results) => results.release.as_ref().map(|r| r.number),
        _ => None,
    };
    let on_apply = {
        let (weighting, asked, staff, slug) =
            (weighting.clone(), asked.clone(), staff.clone(), props.slug.clone());
        Callback::from(move |(by, shares): (String, Vec<(String, f64)>)| {
            let Some(release) = shown_release else { return };
            let token = {
                let mut asked = asked.borrow_mut();
                *asked += 1;
                *asked
            };
            weighting.set(Weighting::Applying);
            let (weighting, asked, staff, slug) =
                (weighting.clone(), asked.clone(), staff.clone(), slug.clone());
            spawn_local(async move {
                let next = match api::weighted_results(slug.as_str(), release, &by, &shares).await {
                    Ok(results) => match results.weighted {
                        Some(weighted) => Weighting::Applied { release, weighted: Rc::new(weighted) },
                        None => Weighting::Failed(t("wt-not-applied")),
                    },
                    Err(error) => Weighting::Failed(staff.failure(&error).detail),
                };
                if *asked.borrow() == token {
                    weighting.set(next);
                }
            });
        })
    };
    let on_clear = {
        let (weighting, asked) = (weighting.clone(), asked.clone());
        Callback::from(move |()| {
            *asked.borrow_mut() += 1;
            weighting.set(Weighting::Off);
        })
    };
    let on_lang = {
        let download_lang = download_lang.clone();
        Callback::from(move |lang: String| download_lang.set(Some(lang)))
    };
    html! {
        <section class="dashboard">
            <h1>{ tf("res-heading", &[("title", &heading)]) }</h1>
            <p><a href="/research">{ t("res-back") }</a></p>
            { survey.placeholder().unwrap_or_else(|| match &*survey {
                Load::Ready(found) => {
                    let labels = match &*shown {
                        Shown::Ready(results) => Some(Labels::new((*definition).clone(), results, (*countries).clone())),
                        _ => None,
                    };
                    let weights = weighting.of(shown_release);
                    let lang = (*download_lang)
                        .clone()
                        .filter(|l| found.languages.iter().any(|f| f.as_str() == l.as_str()))
                        .or_else(|| {
                            found.languages.iter().find(|l| l.as_str() == staff_lang.as_str()).map(ToString::to_string)
                        })
                        .or_else(|| found.languages.first().map(ToString::to_string))
                        .unwrap_or_else(|| "en".to_owned());
                    html! {
                        <>
                            { controls(found, &releases, &shown, *chosen, on_choose) }
                            if let (Some(number), Some(labels)) = (shown_release, &labels) {
                                { downloads(found, number, &lang, on_lang, weights, labels) }
                            }
                            { match (&*shown, labels) {
                                (Shown::Ready(results), Some(labels)) => html! {
                                    <Results results={results.clone()} {labels} weighting={(*weighting).clone()}
                                        {on_apply} {on_clear} />
                                },
                                (Shown::NotYet(detail), _) => html! {
                                    <div class="notice" id="no-release" role="status">
                                        <p>{ detail }</p>
                                    </div>
                                },
                                (Shown::Failed(failure), _) => html! { <FailureView failure={failure.clone()} /> },
                                _ => html! { <p class="loading" role="status">{ t("app-loading") }</p> },
                            } }
                        </>
                    }
                }
                _ => html! {},
            }) }
        </section>
    }
}

/// Status, and the release shown (and the others to pick from).
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
        </div>
    }
}

/// The release's files, in every format and as a DDI codebook, each naming the release;
/// their labels in `lang` (one of the survey's languages); with the weights applied, if
/// any.
fn downloads(
    survey: &ResearchSurvey,
    number: u32,
    lang: &str,
    on_lang: Callback<String>,
    weights: Option<&Weighted>,
    labels: &Labels,
) -> Html {
    let slug = survey.slug.as_str();
    let onchange =
        Callback::from(move |e: Event| on_lang.emit(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let release = number.to_string();
    let named = |label: &str| tf("res-download-link", &[("format", label), ("number", &release)]);
    let by = weights.map(|w| (w.by.as_str(), w.shares.as_slice()));
    html! {
        <section class="downloads" id="downloads" aria-labelledby="downloads-heading" data-release={release.clone()}>
            <h2 id="downloads-heading">{ tf("res-download", &[("number", &release)]) }</h2>
            if survey.languages.len() > 1 {
                <div class="field">
                    <label for="download-lang">{ t("res-download-lang") }</label>
                    <select id="download-lang" name="download-lang" {onchange}>
                        { for survey.languages.iter().map(|l| html! {
                            <option value={l.to_string()} selected={l.as_str() == lang}>{ language_name(l.as_str()) }</option>
                        }) }
                    </select>
                </div>
            }
            if let Some(weighted) = weights {
                <p class="hint" id="downloads-weighted">
                    { tf("res-download-weighted", &[
                        ("question", &labels.question(weighted.by.as_str())),
                        ("shares", &shares_text(weighted, labels)),
                    ]) }
                </p>
            }
            <div class="download-links">
                { for ExportFormat::ALL.iter().map(|format| {
                    let label = format_label(*format);
                    html! {
                        <a class="download button" data-format={format.name()} aria-label={named(&label)}
                            href={api::export_url(slug, number, format.name(), lang, by)}
                            download={format!("{slug}-release-{number}{}", ending(*format))}>
                            { label }
                        </a>
                    }
                }) }
                <a class="download button" data-format="ddi" id="codebook" aria-label={named(&t("res-format-ddi"))}
                    href={api::codebook_url(slug, number, lang)} download={format!("{slug}-release-{number}-codebook.xml")}>
                    { t("res-format-ddi") }
                </a>
            </div>
        </section>
    }
}

/// How a downloaded file's name ends, should the server not name it (it names every
/// file but the JSON, with the same endings).
fn ending(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => ".json",
        ExportFormat::Csv => ".csv",
        ExportFormat::CsvExcel => "-excel.csv",
        ExportFormat::CrosstabsCsv => "-crosstabs.csv",
        ExportFormat::Dta => ".dta",
        ExportFormat::Sav => ".sav",
        ExportFormat::Xlsx => ".xlsx",
        ExportFormat::Datapackage => "-datapackage.zip",
    }
}

/// What a download format is called, in the staff language.
fn format_label(format: ExportFormat) -> String {
    match format {
        ExportFormat::Json => t("res-format-json"),
        ExportFormat::Csv => t("res-format-csv"),
        ExportFormat::CsvExcel => t("res-format-csv-excel"),
        ExportFormat::CrosstabsCsv => t("res-format-crosstabs-csv"),
        ExportFormat::Dta => t("res-format-dta"),
        ExportFormat::Sav => t("res-format-sav"),
        ExportFormat::Xlsx => t("res-format-xlsx"),
        ExportFormat::Datapackage => t("res-format-datapackage"),
    }
}

#[derive(Debug, Properties, PartialEq)]
struct ResultsProps {
    results: Rc<SurveyResults>,
    labels: Labels,
    weighting: Weighting,
    on_apply: Callback<(String, Vec<(String, f64)>)>,
    on_clear: Callback<()>,
}

/// A release's figures: what protects them, the respondents, the legend, the weights
/// panel, each question, and the cross-tabulations.
#[function_component(Results)]
fn results_view(props: &ResultsProps) -> Html {
    let (results, labels) = (&props.results, &props.labels);
    let k = results.min_cell;
    let release = results.release.as_ref().map(|r| r.number);
    let error = results.release.as_ref().and_then(|r| r.noise.as_ref()).map(|n| n.error95);
    let weighted = props.weighting.of(release);
    let all_bars: Vec<_> = results.questions.iter().map(|q| labels.bars(q)).collect();
    let shares = all_bars.iter().any(|bars| has_shares(bars));
    html! {
        <div class="results" data-version={results.version.to_string()} data-release={release.map(|n| n.to_string())}
            data-weighted={weighted.map(|w| w.by.to_string())}>
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
            { legend(k, error, shares) }
            if !labels.known() {
                <p class="notice" id="codes-only">{ t("res-codes-only") }</p>
            }
            <WeightPanel results={results.clone()} labels={labels.clone()} weighting={props.weighting.clone()}
                on_apply={props.on_apply.clone()} on_clear={props.on_clear.clone()} />
            { for results.questions.iter().zip(&all_bars).map(|(question, bars)| {
                question_view(question, bars, results, labels, error, weighted)
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

/// A grid's rows or a ranking's items, each with how many answered it (ranked it), a
/// ranking item's mean place, and the chart and table of its cells.
fn parts_view(question: &QuestionResults, labels: &Labels, error: Option<u64>) -> Html {
    let id = question.id.as_str();
    let ranking = labels.is_ranking(question);
    html! {
        <div class="parts">
            { for question.parts.iter().map(|part| {
                let code = part.code.as_str();
                let name = labels.part(id, code);
                let key = format!("{id}-{code}");
                let heading = format!("results-{key}");
                let bars = labels.part_bars(question, code);
                let shares = has_shares(&bars);
                let title = match (shares, error) {
                    (true, _) => tf("res-chart-shares", &[("prompt", &name)]),
                    (false, Some(e)) => tf("res-chart-noise", &[("prompt", &name), ("error", &e.to_string())]),
                    (false, None) => tf("res-chart", &[("prompt", &name)]),
                };
                let answered = match (part.answered, ranking) {
                    (Some(n), false) => tf("res-answered", &[("figure", &figure(n, error))]),
                    (Some(n), true) => tf("res-ranked", &[("figure", &figure(n, error))]),
                    (None, _) => t("res-answered-withheld"),
                };
                html! {
                    <section class="part-results" data-part={code.to_owned()} aria-labelledby={heading.clone()}>
                        <h3 id={heading}>{ &name }{ " " }<code>{ code }</code></h3>
                        <p class="answered">{ answered }</p>
                        if let Some(mean) = &part.mean_rank {
                            <p class="mean" id={format!("mean-{key}")}>{ mean_rank_text(mean) }</p>
                        }
                        { bar_chart(&key, &title, &bars, error) }
                        { table(&key, &name, &bars, error) }
                    </section>
                }
            }) }
        </div>
    }
}

/// "Mean place 1.4 (95 %: 1.2–1.7), among the 7 who ranked it".
fn mean_rank_text(mean: &nansen_shared::MeanResult) -> String {
    tf(
        "res-mean-rank",
        &[
            ("mean", &super::figures::decimal(mean.value, 1)),
            ("interval", &super::figures::range(mean.ci95.low, mean.ci95.high, 1)),
            ("count", &mean.n.to_string()),
        ],
    )
}

/// One question: how many answered, a number question's mean, the chart and table of
/// its answers, and its weighted shares when weights reach it.
fn question_view(
    question: &QuestionResults,
    bars: &[super::chart::Bar],
    results: &SurveyResults,
    labels: &Labels,
    error: Option<u64>,
    weighted: Option<&Weighted>,
) -> Html {
    let id = question.id.as_str();
    let prompt = labels.question(id);
    let heading_id = format!("results-{id}");
    let shares = has_shares(bars);
    let title = match (shares, error) {
        (true, _) => tf("res-chart-shares", &[("prompt", &prompt)]),
        (false, Some(e)) => tf("res-chart-noise", &[("prompt", &prompt), ("error", &e.to_string())]),
        (false, None) => tf("res-chart", &[("prompt", &prompt)]),
    };
    // A release made before estimates were published has no means to withhold.
    let estimates =
        results.questions.iter().any(|q| q.mean.is_some() || q.counts.iter().any(|c| c.share.is_some()));
    let k = results.min_cell.to_string();
    let withheld = match error {
        Some(_) => tf("res-mean-withheld-noise", &[("k", &k)]),
        None => tf("res-mean-withheld", &[("k", &k)]),
    };
    let mean = match (&question.mean, labels.is_number(id)) {
        (Some(mean), _) => {
            Some(html! { <p class="mean" id={format!("mean-{id}")}>{ mean_msg(mean).text() }</p> })
        }
        (None, Some(true)) if estimates => Some(html! {
            <p class="mean withheld" id={format!("mean-{id}")}>
                { withheld }
            </p>
        }),
        (None, _) => None,
    };
    let weighted_view = weighted.and_then(|w| {
        let found = w.questions.iter().find(|q| q.id == question.id)?;
        Some(weighted_table(question, found, w, labels))
    });
    html! {
        <section class="question-results" data-question={id.to_owned()} aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ &prompt }{ " " }<code>{ id }</code></h2>
            <p class="answered">{ match question.answered {
                Some(n) => tf("res-answered", &[("figure", &figure(n, error))]),
                None => t("res-answered-withheld"),
            } }</p>
            { for mean }
            if !question.parts.is_empty() {
                { parts_view(question, labels, error) }
            } else if bars.is_empty() {
                <p>{ t("res-no-answers") }</p>
            } else {
                if !shares && question.answered.is_none() {
                    <p class="hint">{ t("res-no-shares") }</p>
                }
                { bar_chart(id, &title, bars, error) }
                { table(id, &prompt, bars, error) }
            }
            { for weighted_view }
        </section>
    }
}
