//! `/admin`: every survey, with where it stands, and the ways to start a new one.

use nansen_shared::AdminSurveySummary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::import::Import;
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
                surveys.set(match api::admin_surveys().await {
                    Ok(list) => Load::Ready(list),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    html! {
        <section class="survey-admin">
            <h1>{ "Surveys" }</h1>
            <p class="actions">
                <a href="/admin/new" id="new-survey" class="button primary">{ "New survey" }</a>
            </p>
            { surveys.placeholder().unwrap_or_else(|| match &*surveys {
                Load::Ready(list) => table(list),
                _ => html! {},
            }) }
            <Import />
        </section>
    }
}

fn table(list: &[AdminSurveySummary]) -> Html {
    if list.is_empty() {
        return html! { <p id="no-surveys">{ "There are no surveys yet." }</p> };
    }
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Surveys">
            <table class="surveys" id="survey-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Slug" }</th>
                        <th scope="col">{ "Title" }</th>
                        <th scope="col">{ "Status" }</th>
                        <th scope="col">{ "Version" }</th>
                        <th scope="col">{ "Unpublished changes" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for list.iter().map(row) }
                </tbody>
            </table>
        </div>
    }
}

fn row(survey: &AdminSurveySummary) -> Html {
    let slug = survey.slug.to_string();
    let title = survey.languages.first().map_or("", |first| survey.title.get(first, first));
    let lang = survey.languages.first().map(ToString::to_string);
    html! {
        <tr data-slug={slug.clone()}>
            <th scope="row">
                <a class="edit-link" href={format!("/admin/surveys/{slug}")} data-slug={slug.clone()}>{ &slug }</a>
            </th>
            <td {lang}>{ title }</td>
            <td class="status">{ survey.status.as_str() }</td>
            <td>{ survey.current_version.map_or_else(|| "—".to_owned(), |v| v.to_string()) }</td>
            <td class="has-draft">{ if survey.has_draft { "yes" } else { "no" } }</td>
        </tr>
    }
}
