//! Estimates from released counts, with 95 % intervals that account for sampling and
//! for the release's noise together. Everything here is computed from counts a release
//! published — never from a response, never from live counts — so the server and the
//! researcher's browser get the same figures.
//!
//! Sampling: proportions get the Wilson score interval (sound for small counts and for
//! shares near 0 or 1, where the textbook ±1.96·√(p(1−p)/n) fails); means the normal
//! interval of the mean. Noise: each noisy count is its true value plus independent
//! noise of standard deviation σ; by the delta method, a share x/n carries noise of
//! standard deviation σ·√(1 + p²)/n, added in quadrature to the sampling half-width.

use serde::{Deserialize, Serialize};

use crate::results::{CrosstabResults, SurveyResults, Weighted, WeightedQuestion};
use crate::survey::Survey;

/// The standard normal quantile for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    fn around(center: f64, half: f64, bounds: (f64, f64)) -> Self {
        Self { low: (center - half).max(bounds.0), high: (center + half).min(bounds.1) }
    }

    pub fn contains(&self, value: f64) -> bool {
        (self.low..=self.high).contains(&value)
    }
}

/// A share and its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    /// `count / total`, between 0 and 1.
    pub value: f64,
    pub ci95: Interval,
}

/// The share `count / total` of a release whose counts carry noise of standard
/// deviation `noise_sd` (0 for exact releases): the Wilson score interval, widened for
/// the noise in both counts. `None` without a positive total.
pub fn share(count: u64, total: u64, noise_sd: f64) -> Option<Share> {
    if total == 0 {
        return None;
    }
    let (n, z) = (total as f64, Z95);
    let p = (count as f64 / n).min(1.0);
    let z2n = z * z / n;
    let center = (p + z2n / 2.0) / (1.0 + z2n);
    let sampling = z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    let noise = z * noise_sd * (1.0 + p * p).sqrt() / n;
    let half = sampling.hypot(noise);
    Some(Share { value: p, ci95: Interval::around(center, half, (0.0, 1.0)) })
}

/// A mean, its standard deviation and the 95 % interval of the mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mean {
    pub value: f64,
    pub sd: f64,
    pub ci95: Interval,
}

/// The mean of `n` numbers from their sum and sum of squares, each perhaps noisy:
/// `n_sd`, `sum_sd` and `squares_sd` are the standard deviations of their noise (0 for
/// exact releases). Every number lies in `range` (the question's minimum and maximum),
/// so their mean does too: noise cannot move the mean or its interval out of it. `None`
/// with fewer than two numbers.
pub fn mean(
    n: u64,
    sum: f64,
    squares: f64,
    (n_sd, sum_sd, squares_sd): (f64, f64, f64),
    range: (f64, f64),
) -> Option<Mean> {
    if n < 2 {
        return None;
    }
    let count = n as f64;
    let value = (sum / count).clamp(range.0, range.1);
    let variance = ((squares - sum * sum / count) / (count - 1.0)).max(0.0);
    let sd = variance.sqrt();
    // Noise in the mean: the sum's, and the count's through the division. (The squares'
    // noise moves the standard deviation, not the mean.)
    let _ = squares_sd;
    let sampling = Z95 * sd / count.sqrt();
    let noise = Z95 * (sum_sd * sum_sd + value * value * n_sd * n_sd).sqrt() / count;
    let half = sampling.hypot(noise);
    Some(Mean { value, sd, ci95: Interval::around(value, half, range) })
}

/// One stratum of a post-stratified estimate: the target population's share in it, and
/// the release's counts within it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stratum {
    /// The stratum's share of the target population (the shares sum to 1).
    pub weight: f64,
    /// How many in the stratum gave the answer estimated.
    pub count: u64,
    /// How many in the stratum answered the question estimated.
    pub total: u64,
}

/// The post-stratified share Σ wₕ·xₕ/nₕ over `strata`, with a normal 95 % interval from
/// Σ wₕ²·(pₕ(1−pₕ)/nₕ + σ²(1+pₕ²)/nₕ²). `None` if a stratum with weight has no one in
/// it (its share cannot be estimated: merge it, or give it no weight).
pub fn weighted_share(strata: &[Stratum], noise_sd: f64) -> Option<Share> {
    let mut value = 0.0;
    let mut variance = 0.0;
    for stratum in strata.iter().filter(|s| s.weight > 0.0) {
        if stratum.total == 0 {
            return None;
        }
        let n = stratum.total as f64;
        let p = (stratum.count as f64 / n).min(1.0);
        value += stratum.weight * p;
        let w2 = stratum.weight * stratum.weight;
        variance += w2 * (p * (1.0 - p) / n + noise_sd * noise_sd * (1.0 + p * p) / (n * n));
    }
    let half = Z95 * variance.sqrt();
    Some(Share { value, ci95: Interval::around(value, half, (0.0, 1.0)) })
}

/// Why weights cannot be applied to a release.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightError {
    #[error(
        "\"{0}\" labels the rows of no declared cross-tabulation. Only such a question can be weighted: \
         Nansen keeps no answers per respondent, only the tables declared before the answers arrived, so \
         weights can reach a question only through a table with it"
    )]
    NotTabulated(String),
    #[error("\"{0}\" is not an answer of the question weighted by")]
    UnknownAnswer(String),
    #[error("the shares must be between 0 and 1 and add up to 1 (they add up to {0})")]
    BadShares(f64),
}

/// Post-stratified shares of every question tabulated against `by` in `results`, with
/// `shares` the target population's share of each of `by`'s answers (answers left out
/// get none). Within each of `by`'s answers, an answer's share is its cross-tabulation
/// count over those in that row who answered the other question (the row's sum; for a
/// multiple choice, which has no such sum, the row answer's one-way count, which
/// assumes everyone in the row answered it).
pub fn post_stratify(
    survey: &Survey,
    results: &SurveyResults,
    by: &str,
    shares: &[(String, f64)],
) -> Result<Weighted, WeightError> {
    let (_, question) = survey.question(by).ok_or_else(|| WeightError::NotTabulated(by.to_owned()))?;
    if let Some((code, _)) = shares.iter().find(|(code, _)| question.cell_index(code).is_none()) {
        return Err(WeightError::UnknownAnswer(code.clone()));
    }
    let total: f64 = shares.iter().map(|(_, w)| w).sum();
    if shares.iter().any(|(_, w)| !(0.0..=1.0).contains(w)) || (total - 1.0).abs() > 1e-3 {
        return Err(WeightError::BadShares(total));
    }
    let tables: Vec<&CrosstabResults> = results.crosstabs.iter().filter(|t| t.rows.as_str() == by).collect();
    if tables.is_empty() {
        return Err(WeightError::NotTabulated(by.to_owned()));
    }
    let noise_sd = results.release.as_ref().and_then(|r| r.noise.as_ref()).map_or(0.0, |n| n.sd);
    let questions =
        tables.into_iter().map(|table| weigh_table(survey, results, table, shares, noise_sd)).collect();
    Ok(Weighted { by: question.id.clone(), shares: shares.to_vec(), questions })
}

/// The weighted shares of one table's column question.
fn weigh_table(
    survey: &Survey,
    results: &SurveyResults,
    table: &CrosstabResults,
    shares: &[(String, f64)],
    noise_sd: f64,
) -> WeightedQuestion {
    let cell = |row: &str, column: &str| {
        table.cells.iter().find(|c| c.row == row && c.column == column).and_then(|c| c.count)
    };
    let columns: Vec<&str> = results
        .question(table.columns.as_str())
        .map(|q| q.counts.iter().map(|c| c.option.as_str()).collect())
        .unwrap_or_default();
    let multi = survey
        .question(table.columns.as_str())
        .is_some_and(|(_, q)| matches!(q.kind, crate::QuestionKind::Multi { .. }));
    let row_total = |row: &str| -> Option<u64> {
        if multi {
            results.question(table.rows.as_str())?.count(row)?
        } else {
            columns.iter().map(|column| cell(row, column)).sum()
        }
    };
    let options = columns
        .iter()
        .map(|&column| {
            let strata: Option<Vec<Stratum>> = shares
                .iter()
                .filter(|(_, weight)| *weight > 0.0)
                .map(|(row, weight)| {
                    Some(Stratum { weight: *weight, count: cell(row, column)?, total: row_total(row)? })
                })
                .collect();
            (column.to_owned(), strata.and_then(|strata| weighted_share(&strata, noise_sd)))
        })
        .collect();
    WeightedQuestion { id: table.columns.clone(), options }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn wilson_intervals_match_the_published_formula() {
        // Agresti & Coull's table: 10 of 50 → (0.1124, 0.3304).
        let s = share(10, 50, 0.0).unwrap();
        assert!(close(s.value, 0.2) && close(s.ci95.low, 0.1124) && close(s.ci95.high, 0.3304), "{s:?}");
        // A zero count still has an interval above zero.
        let zero = share(0, 20, 0.0).unwrap();
        assert_eq!(zero.ci95.low, 0.0);
        assert!(close(zero.ci95.high, 0.1611), "{zero:?}");
        assert_eq!(share(3, 0, 0.0), None);
    }

    #[test]
    fn noise_widens_intervals_and_weighs_less_as_counts_grow() {
        let exact = share(100, 500, 0.0).unwrap();
        let noisy = share(100, 500, 14.3).unwrap();
        assert!(noisy.ci95.high - noisy.ci95.low > exact.ci95.high - exact.ci95.low);
        let width = |n: u64| {
            let s = share(n / 5, n, 14.3).unwrap();
            s.ci95.high - s.ci95.low
        };
        assert!(width(500) > 0.08 && width(50_000) < 0.01, "{} {}", width(500), width(50_000));
    }

    #[test]
    fn intervals_cover_the_truth_about_as_often_as_they_say() {
        // Binomial samples of 200 with p = 0.3, drawn with a small generator, plus noise
        // of sd 5 on both counts: about 95 % of intervals hold 0.3.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut uniform = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut covered = 0;
        for _ in 0..2_000 {
            let x = (0..200).filter(|_| uniform() < 0.3).count() as f64;
            let mut normal = |sd: f64| {
                let (u, v) = (uniform().max(1e-12), uniform());
                sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
            };
            let noisy_x = (x + normal(5.0)).round().max(0.0) as u64;
            let noisy_n = (200.0 + normal(5.0)).round() as u64;
            covered += usize::from(share(noisy_x, noisy_n, 5.0).unwrap().ci95.contains(0.3));
        }
        assert!((1_840..=1_960).contains(&covered), "{covered} of 2000 intervals hold the truth");
    }

    const WIDE: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

    #[test]
    fn means_come_from_sums_without_any_single_number() {
        // 20, 30, 40: mean 30, sd 10.
        let m = mean(3, 90.0, 2_900.0, (0.0, 0.0, 0.0), WIDE).unwrap();
        assert!(close(m.value, 30.0) && close(m.sd, 10.0), "{m:?}");
        assert!(close(m.ci95.high - m.value, Z95 * 10.0 / 3f64.sqrt()), "{m:?}");
        assert!(mean(1, 30.0, 900.0, (0.0, 0.0, 0.0), WIDE).is_none());
        let noisy = mean(3, 90.0, 2_900.0, (1.0, 100.0, 1_000.0), WIDE).unwrap();
        assert!(noisy.ci95.high - noisy.ci95.low > m.ci95.high - m.ci95.low);
    }

    /// Ages are 16 to 120: however loud the noise, neither the mean nor its interval
    /// leaves that range (a noisy sum once gave a lower bound of −21.6 years).
    #[test]
    fn a_mean_and_its_interval_stay_within_the_questions_range() {
        let ages = (16.0, 120.0);
        let loud = mean(3, 30.0, 900.0, (16.0, 700.0, 20_000.0), ages).unwrap();
        assert!(loud.ci95.low >= 16.0 && loud.ci95.high <= 120.0, "{loud:?}");
        assert!((16.0..=120.0).contains(&loud.value), "{loud:?}");
        let below = mean(5, -200.0, 900.0, (16.0, 700.0, 20_000.0), ages).unwrap();
        assert_eq!(below.value, 16.0, "{below:?}");
    }

    #[test]
    fn post_stratification_reweights_the_strata_and_refuses_an_empty_one() {
        // A sample with too many from stratum A: A says yes 80 %, B 20 %. In the
        // population A and B are half and half: 50 % say yes.
        let strata =
            [Stratum { weight: 0.5, count: 80, total: 100 }, Stratum { weight: 0.5, count: 2, total: 10 }];
        let s = weighted_share(&strata, 0.0).unwrap();
        assert!(close(s.value, 0.5), "{s:?}");
        assert!(s.ci95.low < 0.5 && s.ci95.high > 0.5);
        let empty =
            [Stratum { weight: 0.5, count: 0, total: 0 }, Stratum { weight: 0.5, count: 1, total: 2 }];
        assert!(weighted_share(&empty, 0.0).is_none());
        let unweighted =
            [Stratum { weight: 0.0, count: 0, total: 0 }, Stratum { weight: 1.0, count: 1, total: 2 }];
        assert!(close(weighted_share(&unweighted, 0.0).unwrap().value, 0.5));
    }

    fn tabulated() -> (Survey, SurveyResults) {
        let survey: Survey = serde_json::from_value(serde_json::json!({
            "slug": "w", "languages": ["en"], "title": {"en": "W"},
            "questions": [
                {"id": "where", "kind": "single", "prompt": {"en": "Where?"},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
                {"id": "back", "kind": "single", "prompt": {"en": "Back?"},
                 "options": [{"code": "yes", "label": {"en": "Yes"}}, {"code": "no", "label": {"en": "No"}}]}],
            "crosstabs": [{"rows": "where", "columns": "back"}]
        }))
        .unwrap();
        let results: SurveyResults = serde_json::from_value(serde_json::json!({
            "slug": "w", "version": 1, "respondents": 110, "min_cell": 5,
            "questions": [
                {"id": "where", "answered": 110, "counts": [{"option": "a", "count": 100}, {"option": "b", "count": 10}]},
                {"id": "back", "answered": 110, "counts": [{"option": "yes", "count": 82}, {"option": "no", "count": 28}]}],
            "crosstabs": [{"rows": "where", "columns": "back", "cells": [
                {"row": "a", "column": "yes", "count": 80}, {"row": "a", "column": "no", "count": 20},
                {"row": "b", "column": "yes", "count": 2}, {"row": "b", "column": "no", "count": 8}]}]
        }))
        .unwrap();
        (survey, results)
    }

    #[test]
    fn weights_reach_the_questions_tabulated_against_the_one_weighted() {
        let (survey, results) = tabulated();
        let shares = vec![("a".to_owned(), 0.5), ("b".to_owned(), 0.5)];
        let weighted = post_stratify(&survey, &results, "where", &shares).unwrap();
        assert_eq!(weighted.questions.len(), 1);
        let (option, yes) = &weighted.questions[0].options[0];
        assert_eq!(option, "yes");
        // Half from a (80 % yes), half from b (20 % yes): 50 %, not the raw 75 %.
        assert!(close(yes.unwrap().value, 0.5), "{yes:?}");
        assert_eq!(
            post_stratify(&survey, &results, "back", &[("yes".into(), 1.0)]),
            Err(WeightError::NotTabulated("back".into())),
            "nothing else can be weighted"
        );
        assert!(matches!(
            post_stratify(&survey, &results, "where", &[("a".into(), 0.7)]),
            Err(WeightError::BadShares(_))
        ));
        assert!(matches!(
            post_stratify(&survey, &results, "where", &[("c".into(), 1.0)]),
            Err(WeightError::UnknownAnswer(_))
        ));
    }
}
