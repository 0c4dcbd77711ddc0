//! `/admin`: every survey, with where it stands, and the ways to start a new one.

use nansen_shared::AdminSurveySummary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::import::Import;
use crate::staff::i18n::{t, use_lang};
use crate::staff::notice::Load;
use crate::staff::{api, use_staff};

#[function_component(SurveyList)]
pub fn survey_list() -> Html {
    let staff = use_staff();
    use_lang();
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
            <h1>{ t("list-heading") }</h1>
            <p class="actions">
                <a href="/admin/new" id="new-survey" class="button primary">{ t("list-new") }</a>
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
        return html! { <p id="no-surveys">{ t("list-none") }</p> };
    }
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label={t("list-heading")}>
            <table class="surveys" id="survey-table">
                <thead>
                    <tr>
                        <th scope="col">{ t("list-slug") }</th>
                        <th scope="col">{ t("list-title") }</th>
                        <th scope="col">{ t("list-status") }</th>
                        <th scope="col">{ t("list-version") }</th>
                        <th scope="col">{ t("list-changes") }</th>
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
            <td class="status" data-status={survey.status.as_str()}>{ crate::staff::research::status_name(survey.status) }</td>
            <td>{ survey.current_version.map_or_else(|| "—".to_owned(), |v| v.to_string()) }</td>
            <td class="has-draft" data-draft={survey.has_draft.to_string()}>
                { if survey.has_draft { t("list-yes") } else { t("list-no") } }
            </td>
        </tr>
    }
}
