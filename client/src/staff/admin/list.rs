//! `/admin`: every survey, with where it stands and when it opens or closes, and the
//! ways to start a new one.

use nansen_shared::{AdminSurveySummary, Schedule, SurveyStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::import::Import;
use crate::staff::format;
use crate::staff::i18n::{Msg, t, use_lang};
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
                        <th scope="col">{ t("list-schedule") }</th>
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

/// When a survey opens (if it has not yet) and closes, as far as it has set times.
fn times(status: SurveyStatus, schedule: &Schedule) -> Vec<Msg> {
    let opens = schedule.opens_at.filter(|_| status == SurveyStatus::Scheduled);
    let closes =
        schedule.closes_at.filter(|_| matches!(status, SurveyStatus::Scheduled | SurveyStatus::Open));
    let mut times = Vec::new();
    times.extend(opens.map(|at| Msg::new("list-opens").arg("at", format::utc(at.unix()))));
    times.extend(closes.map(|at| Msg::new("list-closes").arg("at", format::utc(at.unix()))));
    if times.is_empty() {
        times.push(Msg::new("list-no-schedule"));
    }
    times
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
            <td class="schedule">{ times(survey.status, &survey.schedule).iter().map(Msg::text).collect::<Vec<_>>().join("; ") }</td>
            <td>{ survey.current_version.map_or_else(|| "—".to_owned(), |v| v.to_string()) }</td>
            <td class="has-draft" data-draft={survey.has_draft.to_string()}>
                { if survey.has_draft { t("list-yes") } else { t("list-no") } }
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use nansen_shared::Timestamp;

    use super::*;

    #[test]
    fn the_list_says_when_a_survey_opens_and_closes_while_that_is_ahead() {
        let at = |text| Timestamp::parse(text).ok();
        let window = Schedule { opens_at: at("2027-03-01T12:00:00Z"), closes_at: at("2027-03-08T12:00:00Z") };
        let ids = |status| times(status, &window).into_iter().map(|m| (m.id, m.args)).collect::<Vec<_>>();
        assert_eq!(
            ids(SurveyStatus::Scheduled),
            [
                ("list-opens", vec![("at", "1 March 2027, 12:00 UTC".to_owned())]),
                ("list-closes", vec![("at", "8 March 2027, 12:00 UTC".to_owned())])
            ]
        );
        assert_eq!(
            ids(SurveyStatus::Open),
            [("list-closes", vec![("at", "8 March 2027, 12:00 UTC".to_owned())])]
        );
        assert_eq!(ids(SurveyStatus::Closed), [("list-no-schedule", vec![])]);
    }
}
