//! `/research/{slug}`: one survey's results, version by version — the respondent
//! total, a chart and a table per question, cross-tabulations, and the downloads.

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{ExportFormat, ResearchSurvey, Slug, Survey, SurveyResults};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart::{bar_chart, legend, table};
use super::crosstab::crosstab;
use super::labels::Labels;
use crate::staff::notice::{Failure, Load};
use crate::staff::{api, use_staff};

#[derive(Debug, Properties, PartialEq)]
pub struct DashboardProps {
    pub slug: Slug,
}

#[function_component(Dashboard)]
pub fn dashboard(props: &DashboardProps) -> Html {
    let staff = use_staff();
    let survey = use_state(|| Load::<ResearchSurvey>::Loading);
    let definition = use_state(|| None::<Rc<Survey>>);
    let version = use_state(|| None::<u32>);
    let results = use_state(|| Load::<Rc<SurveyResults>>::Loading);
    let countries = use_state(|| Rc::new(BTreeMap::<String, String>::new()));
    {
        // Country names, in English like the rest of the staff screens.
        let countries = countries.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                if let Ok(messages) = api::messages("en").await {
                    countries.set(Rc::new(messages.countries));
                }
            });
        });
    }
    {
        let (survey, version, staff) = (survey.clone(), version.clone(), staff.clone());
        use_effect_with(props.slug.clone(), move |slug| {
            let slug = slug.clone();
            spawn_local(async move {
                match api::research_surveys().await {
                    Ok(list) => match list.into_iter().find(|s| s.slug == slug) {
                        Some(found) => {
                            version.set(Some(found.current_version));
                            survey.set(Load::Ready(found));
                        }
                        None => survey.set(Load::Failed(Failure::new(format!(
                            "There is no published survey called \"{slug}\"."
                        )))),
                    },
                    Err(error) => survey.set(Load::Failed(staff.failure(&error))),
                }
            });
        });
    }
    {
        let (results, definition, slug) = (results.clone(), definition.clone(), props.slug.clone());
        use_effect_with(*version, move |version| {
            let version = *version;
            spawn_local(async move {
                let Some(version) = version else { return };
                results.set(Load::Loading);
                // The labels of this very version; without them, codes are shown.
                definition.set(api::definition(slug.as_str(), version).await.ok().map(Rc::new));
                results.set(match api::results(slug.as_str(), version).await {
                    Ok(found) => Load::Ready(Rc::new(found)),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    let heading = match &*survey {
        Load::Ready(s) => s.languages.first().map(|l| s.title.get(l, l).to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| props.slug.to_string());
    html! {
        <section class="dashboard">
            <h1>{ "Results: " }{ heading }</h1>
            <p><a href="/research">{ "← All published surveys" }</a></p>
            { survey.placeholder().unwrap_or_else(|| match &*survey {
                Load::Ready(found) => html! {
                    <>
                        { controls(found, &version) }
                        { results.placeholder().unwrap_or_else(|| match &*results {
                            Load::Ready(results) => {
                                body(results, &Labels::new((*definition).clone(), results, (*countries).clone()))
                            }
                            _ => html! {},
                        }) }
                    </>
                },
                _ => html! {},
            }) }
        </section>
    }
}

/// Status, the version shown, and the downloads of that version.
fn controls(survey: &ResearchSurvey, version: &UseStateHandle<Option<u32>>) -> Html {
    let shown = version.unwrap_or(survey.current_version);
    let onchange = {
        let version = version.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>() {
                version.set(Some(v));
            }
        })
    };
    let slug = survey.slug.as_str();
    html! {
        <div class="controls">
            <p>{ "Status: " }<span id="survey-status">{ survey.status.as_str() }</span></p>
            <div class="field">
                <label for="version">{ "Version" }</label>
                <select id="version" name="version" {onchange}>
                    { for survey.versions.iter().rev().map(|v| html! {
                        <option value={v.to_string()} selected={*v == shown}>
                            { if *v == survey.current_version { format!("{v} (current)") } else { v.to_string() } }
                        </option>
                    }) }
                </select>
            </div>
            <div class="downloads" role="group" aria-label="Downloads">
                <span>{ format!("Download version {shown}: ") }</span>
                { for ExportFormat::ALL.iter().map(|format| html! {
                    <a class="download button" data-format={format.name()}
                        href={api::export_url(slug, shown, format.name())}
                        download={format!("{slug}-v{shown}.{}", format.name())}>
                        { format.label() }
                    </a>
                }) }
            </div>
        </div>
    }
}

fn body(results: &SurveyResults, labels: &Labels) -> Html {
    let k = results.min_cell;
    html! {
        <div class="results" data-version={results.version.to_string()}>
            <p class="respondents">
                { "Respondents: " }
                <strong id="respondents" data-count={results.respondents.map(|n| n.to_string())}>
                    { match results.respondents {
                        Some(n) => n.to_string(),
                        None => format!("suppressed: fewer than {k}"),
                    } }
                </strong>
            </p>
            { legend(k) }
            if !labels.known() {
                <p class="notice" id="codes-only">
                    { "Answers are shown by their codes: the words are available only for the current version of an open survey." }
                </p>
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
                            Some(n) => format!("Answered by {n}"),
                            None => "Answered by: suppressed".to_owned(),
                        } }</p>
                        if bars.is_empty() {
                            <p>{ "No answers counted." }</p>
                        } else {
                            { bar_chart(id, &format!("Bar chart of the answers to “{prompt}”; the table below lists the same counts."), &bars) }
                            { table(id, &bars) }
                        }
                    </section>
                }
            }) }
            if !results.crosstabs.is_empty() {
                <section class="crosstabs" aria-labelledby="crosstabs-heading">
                    <h2 id="crosstabs-heading">{ "Cross-tabulations" }</h2>
                    { for results.crosstabs.iter().map(|t| crosstab(t, labels)) }
                </section>
            }
        </div>
    }
}
