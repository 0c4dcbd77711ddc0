//! Where a published survey's releases stand, in the designer: how many were made and
//! when, whether enough new people have answered for another (never how many: nobody
//! reads live counts, admins included), the privacy budget, the next scheduled release,
//! and a button to ask for a release now.

use nansen_shared::{ReleaseStatus, Slug, SurveyStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::staff::format::{self, rho};
use crate::staff::notice::{Failure, FailureView};
use crate::staff::{api, use_staff};

/// "1 release", "3 releases".
fn releases(n: u32) -> String {
    if n == 1 { "1 release".to_owned() } else { format!("{n} releases") }
}

/// The status, line by line: `(id, text)`. `now` is seconds since the Unix epoch.
pub fn status_lines(status: &ReleaseStatus, survey: SurveyStatus, now: i64) -> Vec<(&'static str, String)> {
    let n = status.min_new;
    let mut lines = Vec::new();
    lines.push((
        "releases-made",
        match status.last_made_at {
            Some(at) if status.made > 0 => {
                format!("{} made; the last on {}.", releases(status.made), format::utc(at))
            }
            _ => "No release made yet.".to_owned(),
        },
    ));
    lines.push((
        "releases-new",
        match (status.made, status.enough_new) {
            (0, true) => format!("At least {n} answers so far: enough for the first release."),
            (0, false) => format!("Fewer than {n} answers so far: not enough for the first release yet."),
            (_, true) => format!("At least {n} new answers since the last release: enough for another."),
            (_, false) => {
                format!("Fewer than {n} new answers since the last release: not enough for another yet.")
            }
        },
    ));
    let only_closing_left = status.releases_left.is_some_and(|left| left <= 1);
    lines.push((
        "releases-budget",
        match status.releases_left {
            Some(left) => format!(
                "Privacy budget used: {} of {} (ρ). {}",
                rho(status.rho_spent),
                rho(status.rho_budget),
                match left {
                    0 => "It is spent: no more releases can be made.".to_owned(),
                    1 => "It has room for 1 more release: the one made when the survey closes.".to_owned(),
                    left => format!(
                        "It has room for {left} more releases, the one made when the survey closes included."
                    ),
                }
            ),
            None => "Noise is off: releases are exact counts, and no privacy budget limits them.".to_owned(),
        },
    ));
    let next = match (survey, status.next_scheduled_at) {
        (SurveyStatus::Open, _) if only_closing_left => {
            "Next scheduled release: none; the budget is kept for the release made when the survey closes."
                .to_owned()
        }
        (SurveyStatus::Open, Some(at)) if at > now => {
            format!(
                "Next scheduled release: {}, if at least {n} new answers have come by then.",
                format::utc(at)
            )
        }
        (SurveyStatus::Open, Some(_)) if status.enough_new => {
            "Next scheduled release: due now; the schedule makes it when it next looks.".to_owned()
        }
        (SurveyStatus::Open, Some(_)) => {
            format!("Next scheduled release: as soon as at least {n} new answers have come.")
        }
        (SurveyStatus::Closed, _) => "No more releases: the survey is closed.".to_owned(),
        _ => "No release is scheduled.".to_owned(),
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
            <h2 id="release-status-heading">{ "Releases" }</h2>
            <ul>
                { for status_lines(status, props.survey, format::now()).into_iter().map(|(id, text)| html! {
                    <li {id}>{ text }</li>
                }) }
            </ul>
            if props.survey == SurveyStatus::Open {
                <div class="row wrap">
                    <button type="button" id="release-now" disabled={*busy} {onclick}
                        aria-describedby="release-now-hint">
                        { if *busy { "Releasing…" } else { "Release now" } }
                    </button>
                    <p class="hint" id="release-now-hint">
                        { "Makes a release at once, under the same rules as the schedule: enough new answers, and budget left." }
                    </p>
                </div>
            }
            { match &*asked {
                Some(Asked::Made { number, made_at }) => html! {
                    <p class="notice success" id="release-outcome" role="status" data-release={number.to_string()}>
                        { format!("Release {number} made ({}). Researchers see it now. ", format::utc(*made_at)) }
                        <a href={format!("/research/{}", props.slug)}>{ "See the results" }</a>
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

    fn line(lines: &[(&str, String)], id: &str) -> String {
        lines.iter().find(|(at, _)| *at == id).map(|(_, t)| t.clone()).unwrap_or_default()
    }

    #[test]
    fn before_the_first_release() {
        let lines = status_lines(&status(), SurveyStatus::Open, DECEMBER_2);
        assert_eq!(line(&lines, "releases-made"), "No release made yet.");
        assert_eq!(
            line(&lines, "releases-new"),
            "Fewer than 50 answers so far: not enough for the first release yet."
        );
        assert_eq!(
            line(&lines, "releases-budget"),
            "Privacy budget used: 0 of 1 (ρ). It has room for 10 more releases, the one made when the survey closes included."
        );
        assert_eq!(
            line(&lines, "releases-next"),
            "Next scheduled release: as soon as at least 50 new answers have come."
        );
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
        assert_eq!(line(&lines, "releases-made"), "3 releases made; the last on 2 December 2026, 14:00 UTC.");
        assert_eq!(
            line(&lines, "releases-new"),
            "At least 50 new answers since the last release: enough for another."
        );
        assert!(line(&lines, "releases-budget").starts_with("Privacy budget used: 0.3 of 1 (ρ)."));
        assert_eq!(
            line(&lines, "releases-next"),
            "Next scheduled release: 3 December 2026, 14:00 UTC, if at least 50 new answers have come by then."
        );
        // Due: the schedule makes it when it next looks.
        let due = status_lines(&status, SurveyStatus::Open, DECEMBER_2 + 25 * 3600);
        assert!(line(&due, "releases-next").contains("due now"));
        // Only the closing share left: the schedule makes no more.
        let last = ReleaseStatus { releases_left: Some(1), ..status };
        let lines = status_lines(&last, SurveyStatus::Open, DECEMBER_2);
        assert!(line(&lines, "releases-budget").ends_with("the one made when the survey closes."));
        assert!(line(&lines, "releases-next").contains("none"));
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
        assert_eq!(line(&lines, "releases-made"), "1 release made; the last on 2 December 2026, 14:00 UTC.");
        assert_eq!(
            line(&lines, "releases-new"),
            "Fewer than 5 new answers since the last release: not enough for another yet."
        );
        assert!(line(&lines, "releases-budget").starts_with("Noise is off: releases are exact counts"));
        assert_eq!(line(&lines, "releases-next"), "No more releases: the survey is closed.");
    }
}
