//! What a release says about itself, in plain words: which release it is, when it was
//! made, and how its counts were protected — by noise within a privacy budget, or, where
//! an admin turned noise off, by suppression alone. The words are built apart from the
//! view, so they are tested without a browser.

use nansen_shared::{NoiseInfo, ReleaseSummary, SurveyResults};
use yew::prelude::*;

use crate::staff::format::{self, rho};
use crate::staff::i18n::{Msg, t, tf};

/// One release in the list a researcher picks from:
/// "Release 3 — 2 December 2026, 14:00 UTC (version 2)".
pub fn release_label(release: &ReleaseSummary) -> String {
    let args = [
        ("number", release.number.to_string()),
        ("at", format::utc(release.made_at)),
        ("version", release.version.to_string()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    if release.closing { tf("res-release-closing", &args) } else { tf("res-release", &args) }
}

/// The name of a noise mechanism, in words.
fn mechanism(name: &str) -> String {
    match name {
        "discrete_gaussian" => t("res-discrete-gaussian"),
        other => other.replace('_', " "),
    }
}

/// The plain-words box, paragraph by paragraph: `(id, message)`.
pub fn plain_words(results: &SurveyResults) -> Vec<(&'static str, Msg)> {
    let k = results.min_cell;
    let mut words = Vec::new();
    let Some(release) = &results.release else {
        words.push(("release-protection", Msg::new("res-below-k").arg("k", k)));
        return words;
    };
    words.push((
        "release-made",
        if release.closing { Msg::new("res-made-closing") } else { Msg::new("res-made") }
            .arg("number", release.number)
            .arg("at", format::utc(release.made_at))
            .arg("version", results.version),
    ));
    match &release.noise {
        Some(noise) => {
            let NoiseInfo { error95, rho_spent, rho_budget, .. } = noise;
            words.push((
                "release-protection",
                Msg::new("res-noise")
                    .arg("error", error95)
                    .arg("k", k)
                    .arg("spent", rho(*rho_spent))
                    .arg("budget", rho(*rho_budget)),
            ));
            words.push((
                "release-mechanism",
                Msg::new("res-mechanism")
                    .arg("mechanism", mechanism(&noise.mechanism))
                    .arg("rho", rho(noise.rho)),
            ));
        }
        None => words.push(("release-protection", Msg::new("res-exact").arg("k", k))),
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
            <h2 id="release-info-heading">{ t("res-about") }</h2>
            { for plain_words(results).into_iter().map(|(id, message)| html! { <p {id}>{ message.text() }</p> }) }
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
            weighted: None,
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

    fn text(words: &[(&str, Msg)], id: &str) -> Option<Msg> {
        words.iter().find(|(at, _)| *at == id).map(|(_, m)| m.clone())
    }

    #[test]
    fn releases_are_listed_by_number_time_and_version() {
        let release = ReleaseSummary {
            number: 3,
            version: 2,
            made_at: 1_796_220_000,
            respondents: None,
            closing: false,
            noise: true,
        };
        // Without the strings loaded, the message id shows (the words are the .ftl's).
        assert_eq!(release_label(&release), "res-release");
        assert_eq!(release_label(&ReleaseSummary { closing: true, ..release }), "res-release-closing");
    }

    #[test]
    fn a_noisy_release_gives_its_bound_its_budget_and_its_mechanism() {
        let words = plain_words(&results(Some(noise()), false));
        assert_eq!(
            text(&words, "release-made"),
            Some(
                Msg::new("res-made")
                    .arg("number", 3)
                    .arg("at", "2 December 2026, 14:00 UTC")
                    .arg("version", 2)
            )
        );
        assert_eq!(
            text(&words, "release-protection"),
            Some(Msg::new("res-noise").arg("error", 14).arg("k", 5).arg("spent", "0.3").arg("budget", "1"))
        );
        let mechanism = text(&words, "release-mechanism").unwrap();
        assert_eq!(mechanism.id, "res-mechanism");
        assert_eq!(mechanism.get("rho"), Some("0.1"));
    }

    #[test]
    fn an_exact_release_says_plainly_that_noise_was_turned_off() {
        let words = plain_words(&results(None, true));
        assert_eq!(text(&words, "release-made").unwrap().id, "res-made-closing");
        assert_eq!(text(&words, "release-protection"), Some(Msg::new("res-exact").arg("k", 5)));
        assert!(text(&words, "release-mechanism").is_none());
    }
}
