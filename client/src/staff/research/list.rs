//! `/research`: the published surveys, open or closed, whose results can be read.

use nansen_shared::ResearchSurvey;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::staff::i18n::{t, tf};
use crate::staff::notice::Load;
use crate::staff::{api, use_staff};

#[function_component(SurveyList)]
pub fn survey_list() -> Html {
    let staff = use_staff();
    let surveys = use_state(|| Load::Loading);
    {
        let surveys = surveys.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                surveys.set(match api::research_surveys().await {
                    Ok(list) => Load::Ready(list),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    html! {
        <section class="research-list">
            <h1>{ t("res-list-heading") }</h1>
            { surveys.placeholder().unwrap_or_else(|| match &*surveys {
                Load::Ready(list) => table(list),
                _ => html! {},
            }) }
        </section>
    }
}

/// A survey's status in words.
pub fn status_name(status: nansen_shared::SurveyStatus) -> String {
    match status {
        nansen_shared::SurveyStatus::Draft => t("status-draft"),
        nansen_shared::SurveyStatus::Scheduled => t("status-scheduled"),
        nansen_shared::SurveyStatus::Open => t("status-open"),
        nansen_shared::SurveyStatus::Closed => t("status-closed"),
    }
}

fn table(list: &[ResearchSurvey]) -> Html {
    if list.is_empty() {
        return html! { <p id="no-surveys">{ t("res-list-none") }</p> };
    }
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label={t("res-list-region")}>
            <table class="surveys" id="research-table">
                <thead>
                    <tr>
                        <th scope="col">{ t("res-list-survey") }</th>
                        <th scope="col">{ t("res-list-status") }</th>
                        <th scope="col">{ t("res-list-versions") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for list.iter().map(row) }
                </tbody>
            </table>
        </div>
    }
}

fn row(survey: &ResearchSurvey) -> Html {
    let slug = survey.slug.to_string();
    let first = survey.languages.first();
    let title = first.map_or("", |l| survey.title.get(l, l));
    let title = if title.is_empty() { slug.clone() } else { title.to_owned() };
    let versions = survey.versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    html! {
        <tr data-slug={slug.clone()}>
            <th scope="row" lang={first.map(ToString::to_string)}>
                <a class="survey-link" href={format!("/research/{slug}")} data-slug={slug.clone()}>{ title }</a>
                { " " }<code class="slug">{ &slug }</code>
            </th>
            <td class="status" data-status={survey.status.as_str()}>{ status_name(survey.status) }</td>
            <td>{ versions }{ " " }{ tf("res-list-current", &[("version", &survey.current_version.to_string())]) }</td>
        </tr>
    }
}
