//! Where a published survey's releases stand, in the designer: how many were made and
//! when, whether enough new people have answered for another (never how many: nobody
//! reads live counts, admins included), the privacy budget, the next scheduled release,
//! and a button to ask for a release now.

use nansen_shared::{ReleaseStatus, Slug, SurveyStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::staff::format::{self, rho};
use crate::staff::i18n::{Msg, t, tf, use_lang};
use crate::staff::notice::{Failure, FailureView};
use crate::staff::{api, use_staff};

/// The status, line by line: `(id, message)`. `now` is seconds since the Unix epoch.
pub fn status_lines(status: &ReleaseStatus, survey: SurveyStatus, now: i64) -> Vec<(&'static str, Msg)> {
    let n = status.min_new;
    let mut lines = Vec::new();
    lines.push((
        "releases-made",
        match status.last_made_at {
            Some(at) if status.made > 0 => {
                Msg::new("rel-made").n(status.made as usize).arg("last", format::utc(at))
            }
            _ => Msg::new("rel-made-none"),
        },
    ));
    lines.push((
        "releases-new",
        match (status.made, status.enough_new) {
            (0, true) => Msg::new("rel-new-first-enough"),
            (0, false) => Msg::new("rel-new-first-short"),
            (_, true) => Msg::new("rel-new-enough"),
            (_, false) => Msg::new("rel-new-short"),
        }
        .n(n as usize),
    ));
    let only_closing_left = status.releases_left.is_some_and(|left| left <= 1);
    lines.push((
        "releases-budget",
        match status.releases_left {
            Some(left) => match left {
                0 => Msg::new("rel-budget-spent"),
                1 => Msg::new("rel-budget-closing"),
                _ => Msg::new("rel-budget-left"),
            }
            .n(left as usize)
            .arg("spent", rho(status.rho_spent))
            .arg("budget", rho(status.rho_budget)),
            None => Msg::new("rel-budget-none"),
        },
    ));
    let next = match (survey, status.next_scheduled_at) {
        (SurveyStatus::Open, _) if only_closing_left => Msg::new("rel-next-kept"),
        (SurveyStatus::Open, Some(at)) if at > now => {
            Msg::new("rel-next-at").n(n as usize).arg("at", format::utc(at))
        }
        (SurveyStatus::Open, Some(_)) if status.enough_new => Msg::new("rel-next-due"),
        (SurveyStatus::Open, Some(_)) => Msg::new("rel-next-soon").n(n as usize),
        (SurveyStatus::Closed, _) => Msg::new("rel-next-closed"),
        _ => Msg::new("rel-next-none"),
    };
    lines.push(("releases-next", next));
    lines
}

#[derive(Debug, Properties, PartialEq)]
pub struct ReleasePanelProps {
    pub slug: Slug,
    pub survey: SurveyStatus,
    pub status: ReleaseStatus,
    /// Where the releases stand after one was asked for.
    pub on_status: Callback<Option<ReleaseStatus>>,
}

/// The outcome of the last "Release now".
#[derive(Debug, Clone, PartialEq)]
enum Asked {
    Made { number: u32, made_at: i64 },
    Refused(Failure),
}

#[function_component(ReleasePanel)]
pub fn release_panel(props: &ReleasePanelProps) -> Html {
    let staff = use_staff();
    use_lang();
    let busy = use_state(|| false);
    let asked = use_state(|| None::<Asked>);
    let onclick = {
        let (busy, asked, slug, on_status) =
            (busy.clone(), asked.clone(), props.slug.to_string(), props.on_status.clone());
        Callback::from(move |_: MouseEvent| {
            let (busy, asked, slug, on_status, staff) =
                (busy.clone(), asked.clone(), slug.clone(), on_status.clone(), staff.clone());
            busy.set(true);
            spawn_local(async move {
                match api::release_now(&slug).await {
                    Ok(results) => {
                        let release = results.release.as_ref();
                        asked.set(Some(Asked::Made {
                            number: release.map_or(0, |r| r.number),
                            made_at: release.map_or(0, |r| r.made_at),
                        }));
                        // The status moves on: one more made, the new answers counted from now.
                        if let Ok(survey) = api::admin_survey(&slug).await {
                            on_status.emit(survey.releases);
                        }
                    }
                    Err(error) => asked.set(Some(Asked::Refused(staff.failure(&error)))),
                }
                busy.set(false);
            });
        })
    };
    let status = &props.status;
    html! {
        <section class="release-status" id="release-status" aria-labelledby="release-status-heading"
            data-made={status.made.to_string()} data-enough-new={status.enough_new.to_string()}
            data-noise={status.noise.to_string()}>
            <h2 id="release-status-heading">{ t("rel-heading") }</h2>
            <ul>
                { for status_lines(status, props.survey, format::now()).into_iter().map(|(id, message)| html! {
                    <li {id}>{ message.text() }</li>
                }) }
            </ul>
            if props.survey == SurveyStatus::Open {
                <div class="row wrap">
                    <button type="button" id="release-now" disabled={*busy} {onclick}
                        aria-describedby="release-now-hint">
                        { if *busy { t("rel-releasing") } else { t("rel-release-now") } }
                    </button>
                    <p class="hint" id="release-now-hint">{ t("rel-release-now-hint") }</p>
                </div>
            }
            { match &*asked {
                Some(Asked::Made { number, made_at }) => html! {
                    <p class="notice success" id="release-outcome" role="status" data-release={number.to_string()}>
                        { tf("rel-made-now", &[("number", &number.to_string()), ("at", &format::utc(*made_at))]) }{ " " }
                        <a href={format!("/research/{}", props.slug)}>{ t("rel-see-results") }</a>
                    </p>
                },
                Some(Asked::Refused(failure)) => html! { <FailureView id="release-outcome" failure={failure.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECEMBER_2: i64 = 1_796_220_000; // 2 December 2026, 14:00 UTC

    fn status() -> ReleaseStatus {
        ReleaseStatus {
            made: 0,
            last_made_at: None,
            min_new: 50,
            enough_new: false,
            next_scheduled_at: Some(0),
            rho_spent: 0.0,
            rho_budget: 1.0,
            releases_left: Some(10),
            noise: true,
        }
    }

    fn line(lines: &[(&str, Msg)], id: &str) -> Msg {
        lines.iter().find(|(at, _)| *at == id).map(|(_, m)| m.clone()).unwrap()
    }

    #[test]
    fn before_the_first_release() {
        let lines = status_lines(&status(), SurveyStatus::Open, DECEMBER_2);
        assert_eq!(line(&lines, "releases-made"), Msg::new("rel-made-none"));
        assert_eq!(line(&lines, "releases-new"), Msg::new("rel-new-first-short").n(50));
        assert_eq!(
            line(&lines, "releases-budget"),
            Msg::new("rel-budget-left").n(10).arg("spent", "0").arg("budget", "1")
        );
        assert_eq!(line(&lines, "releases-next"), Msg::new("rel-next-soon").n(50));
    }

    #[test]
    fn after_releases_with_noise() {
        let status = ReleaseStatus {
            made: 3,
            last_made_at: Some(DECEMBER_2),
            enough_new: true,
            next_scheduled_at: Some(DECEMBER_2 + 24 * 3600),
            rho_spent: 0.1 + 0.1 + 0.1,
            releases_left: Some(7),
            ..status()
        };
        let lines = status_lines(&status, SurveyStatus::Open, DECEMBER_2 + 3600);
        assert_eq!(
            line(&lines, "releases-made"),
            Msg::new("rel-made").n(3).arg("last", "2 December 2026, 14:00 UTC")
        );
        assert_eq!(line(&lines, "releases-new"), Msg::new("rel-new-enough").n(50));
        assert_eq!(line(&lines, "releases-budget").get("spent"), Some("0.3"));
        assert_eq!(
            line(&lines, "releases-next"),
            Msg::new("rel-next-at").n(50).arg("at", "3 December 2026, 14:00 UTC")
        );
        // Due: the schedule makes it when it next looks.
        let due = status_lines(&status, SurveyStatus::Open, DECEMBER_2 + 25 * 3600);
        assert_eq!(line(&due, "releases-next").id, "rel-next-due");
        // Only the closing share left: the schedule makes no more.
        let last = ReleaseStatus { releases_left: Some(1), ..status };
        let lines = status_lines(&last, SurveyStatus::Open, DECEMBER_2);
        assert_eq!(line(&lines, "releases-budget").id, "rel-budget-closing");
        assert_eq!(line(&lines, "releases-next").id, "rel-next-kept");
    }

    #[test]
    fn without_noise_and_when_closed() {
        let status = ReleaseStatus {
            made: 1,
            last_made_at: Some(DECEMBER_2),
            min_new: 5,
            next_scheduled_at: None,
            releases_left: None,
            noise: false,
            ..status()
        };
        let lines = status_lines(&status, SurveyStatus::Closed, DECEMBER_2);
        assert_eq!(
            line(&lines, "releases-made"),
            Msg::new("rel-made").n(1).arg("last", "2 December 2026, 14:00 UTC")
        );
        assert_eq!(line(&lines, "releases-new"), Msg::new("rel-new-short").n(5));
        assert_eq!(line(&lines, "releases-budget").id, "rel-budget-none");
        assert_eq!(line(&lines, "releases-next").id, "rel-next-closed");
    }
}
