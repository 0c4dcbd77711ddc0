//! What a release says about itself, in plain words: which release it is, when it was
//! made, and how its counts were protected — by noise within a privacy budget, or, where
//! an admin turned noise off, by suppression alone. The words are built apart from the
//! view, so they are tested without a browser.

use nansen_shared::{NoiseInfo, ReleaseSummary, SurveyResults};
use yew::prelude::*;

use crate::staff::format::{self, rho};

/// One release in the list a researcher picks from:
/// "Release 3 — 2 December 2026, 14:00 UTC (version 2)".
pub fn release_label(release: &ReleaseSummary) -> String {
    let closing = if release.closing { ", closing release" } else { "" };
    format!(
        "Release {} — {} (version {}{closing})",
        release.number,
        format::utc(release.made_at),
        release.version
    )
}

/// The name of a noise mechanism, in words.
fn mechanism(name: &str) -> String {
    match name {
        "discrete_gaussian" => "discrete Gaussian noise".to_owned(),
        other => other.replace('_', " "),
    }
}

/// The plain-words box, paragraph by paragraph: `(id, text)`.
pub fn plain_words(results: &SurveyResults) -> Vec<(&'static str, String)> {
    let k = results.min_cell;
    let mut words = Vec::new();
    let Some(release) = &results.release else {
        words.push(("release-protection", format!("Counts below {k} are not shown.")));
        return words;
    };
    let closing =
        if release.closing { " It is the closing release, made when the survey closed." } else { "" };
    words.push((
        "release-made",
        format!(
            "Release {}, made {}, counts the answers to version {} of the survey.{closing}",
            release.number,
            format::utc(release.made_at),
            results.version
        ),
    ));
    match &release.noise {
        Some(noise) => {
            let NoiseInfo { error95, rho_spent, rho_budget, .. } = noise;
            words.push((
                "release-protection",
                format!(
                    "Each count has random noise added to protect respondents: 95 % of counts are within \
                     ±{error95} of the true count. Counts below {k} are not shown. Privacy budget used: {} of {}.",
                    rho(*rho_spent),
                    rho(*rho_budget)
                ),
            ));
            words.push((
                "release-mechanism",
                format!(
                    "The noise is {}, with zero-concentrated differential privacy (zCDP): this release spent \
                     ρ = {} of the survey's privacy budget, and all its releases together spend no more than \
                     the budget, however many are compared.",
                    mechanism(&noise.mechanism),
                    rho(noise.rho)
                ),
            ));
        }
        None => {
            words.push((
                "release-protection",
                format!(
                    "These are exact counts, with no noise added: an admin turned noise off for this survey \
                     (a choice recorded in the audit log). They are protected only by suppression: counts \
                     below {k} are not shown."
                ),
            ));
        }
    }
    words
}

/// The box above the tables: what the numbers are and how they were protected.
pub fn about(results: &SurveyResults) -> Html {
    let noise = results.release.as_ref().and_then(|r| r.noise.as_ref());
    html! {
        <section id="release-info" class={classes!("release-info", noise.is_none().then_some("exact"))}
            aria-labelledby="release-info-heading" data-noise={noise.is_some().to_string()}
            data-error95={noise.map(|n| n.error95.to_string())}>
            <h2 id="release-info-heading">{ "About these numbers" }</h2>
            { for plain_words(results).into_iter().map(|(id, text)| html! { <p {id}>{ text }</p> }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use nansen_shared::{ReleaseInfo, Slug};

    use super::*;

    fn results(noise: Option<NoiseInfo>, closing: bool) -> SurveyResults {
        SurveyResults {
            slug: Slug::parse("diaspora").unwrap(),
            version: 2,
            respondents: Some(120),
            min_cell: 5,
            questions: Vec::new(),
            crosstabs: Vec::new(),
            release: Some(ReleaseInfo { number: 3, made_at: 1_796_220_000, closing, noise }),
        }
    }

    fn noise() -> NoiseInfo {
        NoiseInfo {
            mechanism: "discrete_gaussian".into(),
            sd: 7.1,
            error95: 14,
            rho: 0.1,
            rho_spent: 0.1 + 0.1 + 0.1,
            rho_budget: 1.0,
        }
    }

    fn text(words: &[(&str, String)], id: &str) -> String {
        words.iter().find(|(at, _)| *at == id).map(|(_, t)| t.clone()).unwrap_or_default()
    }

    #[test]
    fn releases_are_listed_by_number_time_and_version() {
        let mut release = ReleaseSummary {
            number: 3,
            version: 2,
            made_at: 1_796_220_000,
            respondents: None,
            closing: false,
            noise: true,
        };
        assert_eq!(release_label(&release), "Release 3 — 2 December 2026, 14:00 UTC (version 2)");
        release.closing = true;
        assert_eq!(
            release_label(&release),
            "Release 3 — 2 December 2026, 14:00 UTC (version 2, closing release)"
        );
    }

    #[test]
    fn a_noisy_release_gives_its_bound_its_budget_and_its_mechanism() {
        let words = plain_words(&results(Some(noise()), false));
        assert_eq!(
            text(&words, "release-made"),
            "Release 3, made 2 December 2026, 14:00 UTC, counts the answers to version 2 of the survey."
        );
        assert_eq!(
            text(&words, "release-protection"),
            "Each count has random noise added to protect respondents: 95 % of counts are within ±14 of the \
             true count. Counts below 5 are not shown. Privacy budget used: 0.3 of 1."
        );
        let mechanism = text(&words, "release-mechanism");
        assert!(mechanism.contains("discrete Gaussian noise"), "{mechanism}");
        assert!(mechanism.contains("zero-concentrated differential privacy"), "{mechanism}");
        assert!(mechanism.contains("ρ = 0.1"), "{mechanism}");
    }

    #[test]
    fn an_exact_release_says_plainly_that_noise_was_turned_off() {
        let words = plain_words(&results(None, true));
        assert!(
            text(&words, "release-made").ends_with("It is the closing release, made when the survey closed.")
        );
        let protection = text(&words, "release-protection");
        assert!(protection.starts_with("These are exact counts"), "{protection}");
        assert!(protection.contains("an admin turned noise off"), "{protection}");
        assert!(protection.contains("counts below 5 are not shown"), "{protection}");
        assert!(text(&words, "release-mechanism").is_empty());
    }
}
