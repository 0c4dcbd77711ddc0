//! Differential privacy for releases: every count of a release carries integer noise
//! from the discrete Gaussian, sampled by OpenDP (Canonne, Kamath and Steinke's exact
//! sampler), with zero-concentrated DP (zCDP) accounting.
//!
//! Why the Gaussian and zCDP: one respondent changes several counters at once (the
//! total, each answered question, each chosen option, each cross-tabulation cell), and
//! a survey is released several times. The Gaussian's cost grows with the L2 norm of
//! that change (√46 ≈ 6.8 for the default survey) where Laplace's grows with the L1 norm
//! (46), and zCDP adds up over releases exactly, so the same budget buys counts about
//! six times more precise.
//!
//! Neighbouring data sets differ by one respondent, added or removed. Each counter
//! counts respondents, so one respondent moves each counter by at most 1, and the L2
//! sensitivity is the square root of how many counters one respondent can touch,
//! worked out from the definition ([`most_counters_touched`]).

use nansen_shared::{Question, QuestionKind, Survey};
use opendp::domains::{AtomDomain, VectorDomain};
use opendp::measurements::make_gaussian;
use opendp::measures::ZeroConcentratedDivergence;
use opendp::metrics::L2Distance;

use crate::storage::counters::{Counter, Counts, Dim, Layout, crosstab_dims};

/// The noise of one release, as every output states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    /// The standard deviation of the noise on each count.
    pub sd: f64,
    /// The privacy budget the release spends (ρ, zCDP), counts and sums together.
    pub rho: f64,
    /// 95 % of counts lie within this of their true value.
    pub error95: u64,
    /// The noise on each number question's sums.
    pub numbers: Vec<NumberNoise>,
}

/// The noise on one number question's sum and sum of squares, whose sensitivities are
/// the largest number and the largest square the question allows, not one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberNoise {
    pub question: u16,
    pub sum_sd: f64,
    pub squares_sd: f64,
}

impl Noise {
    /// The standard deviation of the noise on `counter`.
    pub fn sd_of(&self, counter: Counter) -> f64 {
        let number = |q: u16| self.numbers.iter().find(|n| n.question == q);
        match counter {
            Counter::Sum(q) => number(q).map_or(self.sd, |n| n.sum_sd),
            Counter::SumOfSquares(q) => number(q).map_or(self.sd, |n| n.squares_sd),
            _ => self.sd,
        }
    }
}

/// The share of a release's budget spent on the sums of number questions, when the
/// survey has any: means need far less precision than counts to be useful.
const NUMBERS_SHARE: f64 = 0.2;

/// The most choices one respondent can give to `question`: all its options for a
/// multiple choice (capped by `max_choices`, and an exclusive option alone), one per row
/// of a grid, one per place of a ranking, else one.
fn most_choices(question: &Question) -> u64 {
    match &question.kind {
        QuestionKind::Multi { options, max_choices } => {
            let combinable = options.iter().filter(|o| !o.exclusive).count() as u64;
            let capped = max_choices.map_or(combinable, |m| combinable.min(u64::from(m)));
            capped.max(1)
        }
        QuestionKind::Grid { rows, .. } => (rows.len() as u64).max(1),
        QuestionKind::Ranking { .. } => (question.places() as u64).max(1),
        _ => 1,
    }
}

/// How many counters one respondent can add one to: the total, each question's
/// answered count and chosen cells, and each cross-tabulation cell of two answers
/// given (conditions are ignored: the bound holds whatever they are).
pub fn most_counters_touched(survey: &Survey) -> u64 {
    // A number question's answer also counts one to how many gave a number.
    let numbered = |q: &Question| u64::from(matches!(q.kind, QuestionKind::Number { .. }));
    let questions: u64 = survey.questions.iter().map(|q| 1 + most_choices(q) + numbered(q)).sum();
    // A grid's row or a ranking's item holds one answer at most.
    let choices = |dim: Dim| match dim.part {
        Some(_) => 1,
        None => survey.questions.get(usize::from(dim.question)).map_or(0, most_choices),
    };
    let tables: u64 = crosstab_dims(survey).into_iter().map(|(r, c)| choices(r) * choices(c)).sum();
    1 + questions + tables
}

/// The L2 sensitivity of a version's counts to one respondent.
pub fn sensitivity(survey: &Survey) -> f64 {
    (most_counters_touched(survey) as f64).sqrt()
}

/// The noise a release of `survey` spends `rho` on: ρ = Δ² / (2σ²) for the discrete
/// Gaussian of standard deviation σ and L2 sensitivity Δ. The counts get the budget, or
/// with number questions 80 % of it; each number question's sum and sum of squares an
/// equal part of the rest. The parts add up (zCDP composes), and OpenDP's own privacy
/// maps say what each spends.
pub fn calibrate(survey: &Survey, rho: f64) -> anyhow::Result<Noise> {
    let bounds: Vec<(u16, f64, f64)> = survey
        .questions
        .iter()
        .enumerate()
        .filter_map(|(q, question)| match question.kind {
            QuestionKind::Number { min, max, .. } => {
                let largest = min.unsigned_abs().max(max.unsigned_abs()) as f64;
                Some((q as u16, largest.max(1.0), (largest * largest).max(1.0)))
            }
            _ => None,
        })
        .collect();
    let for_counts = if bounds.is_empty() { rho } else { rho * (1.0 - NUMBERS_SHARE) };
    let for_each_sum = rho * NUMBERS_SHARE / (2 * bounds.len().max(1)) as f64;
    let (sd, mut spent) = spend(sensitivity(survey), for_counts)?;
    let mut numbers = Vec::new();
    for (question, sum_bound, squares_bound) in bounds {
        let (sum_sd, sum_spent) = spend(sum_bound, for_each_sum)?;
        let (squares_sd, squares_spent) = spend(squares_bound, for_each_sum)?;
        spent += sum_spent + squares_spent;
        numbers.push(NumberNoise { question, sum_sd, squares_sd });
    }
    let error95 = opendp::accuracy::discrete_gaussian_scale_to_accuracy(sd, 0.05)
        .map_err(|e| anyhow::anyhow!("OpenDP: {e}"))?;
    // OpenDP's maps confirm the parts spend the planned ρ; it is recorded as planned, so
    // that budgets add up exactly rather than to within a float's rounding.
    anyhow::ensure!(spent <= rho * (1.0 + 1e-9), "the noise would spend ρ = {spent}, more than {rho}");
    Ok(Noise { sd, rho, error95: error95.ceil() as u64, numbers })
}

/// The standard deviation that spends `rho` at L2 sensitivity `sensitivity`, and what
/// OpenDP's privacy map says it spends.
fn spend(sensitivity: f64, rho: f64) -> anyhow::Result<(f64, f64)> {
    let sd = sensitivity / (2.0 * rho).sqrt();
    let spent = measurement(sd)?.map(&sensitivity).map_err(|e| anyhow::anyhow!("OpenDP: {e}"))?;
    Ok((sd, spent))
}

type Mechanism = opendp::core::Measurement<
    VectorDomain<AtomDomain<i64>>,
    L2Distance<f64>,
    ZeroConcentratedDivergence,
    Vec<i64>,
>;

fn measurement(sd: f64) -> anyhow::Result<Mechanism> {
    make_gaussian(VectorDomain::new(AtomDomain::<i64>::default()), L2Distance::<f64>::default(), sd, None)
        .map_err(|e| anyhow::anyhow!("OpenDP: {e}"))
}

/// `counts` with `noise` on every counter of `layout` (zero or not: a zero must not
/// stand out), each group of counters with its own standard deviation, then made
/// consistent as counts are: a count or a sum of squares never below zero (a sum of
/// numbers may be negative). Post-processing, so it costs no privacy.
pub fn add(counts: &Counts, layout: &Layout, noise: &Noise) -> anyhow::Result<Counts> {
    let mut groups: Vec<(f64, Vec<Counter>)> = Vec::new();
    for counter in layout.counters() {
        let sd = noise.sd_of(counter);
        match groups.iter_mut().find(|(s, _)| *s == sd) {
            Some((_, group)) => group.push(counter),
            None => groups.push((sd, vec![counter])),
        }
    }
    let mut out = Counts::default();
    for (sd, counters) in groups {
        let exact: Vec<i64> = counters
            .iter()
            .map(|&c| match c {
                Counter::Sum(_) => counts.signed(c),
                _ => i64::try_from(counts.get(c)).unwrap_or(i64::MAX),
            })
            .collect();
        let noisy = measurement(sd)?.invoke(&exact).map_err(|e| anyhow::anyhow!("OpenDP: {e}"))?;
        for (counter, n) in counters.into_iter().zip(noisy) {
            let n = if matches!(counter, Counter::Sum(_)) { n } else { n.max(0) };
            out.add(counter, n as u64);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use nansen_shared::Cell;

    use super::*;

    fn survey() -> Survey {
        crate::surveys::seed::default_survey().unwrap()
    }

    #[test]
    fn the_default_survey_touches_at_most_this_many_counters() {
        // 1 respondent total; 11 answered counts; choices: citizenship 3, reasons 3
        // (max_choices), activity 5 (one of 6 is exclusive), ties 5, return_conditions 7
        // (a grid of 7 rows, one answer each), the rest 1 each (6); tables: left_when ×
        // return_intention 1, citizenship × return_intention 3.
        // One more for the number question's "gave a number".
        assert_eq!(most_counters_touched(&survey()), 1 + 11 + (3 + 3 + 5 + 5 + 7 + 6) + (1 + 3) + 1);
    }

    #[test]
    fn the_budget_spent_is_what_was_planned() {
        let survey = survey();
        for rho in [0.01, 0.1, 1.0] {
            let noise = calibrate(&survey, rho).unwrap();
            assert!((noise.rho - rho).abs() < 1e-9 * rho.max(1.0) + 1e-12, "{rho} → {noise:?}");
            // For the discrete Gaussian the 95 % bound is close to 1.96 σ.
            let bound = 1.96 * noise.sd;
            assert!((noise.error95 as f64 - bound).abs() <= 2.0, "{noise:?}");
        }
    }

    #[test]
    fn noise_is_spread_as_stated_and_never_negative() {
        let survey = survey();
        let layout = Layout::of(&survey);
        let mut counts = Counts::default();
        counts.add(Counter::Respondents, 1_000);
        let (country, _) = survey.question("country").unwrap();
        let ge = Counter::Cell(Cell { question: country as u16, option: 75 });
        counts.add(ge, 400);
        let noise = calibrate(&survey, 0.1).unwrap();
        let mut outside = 0;
        let mut errors = Vec::new();
        for _ in 0..50 {
            let noisy = add(&counts, &layout, &noise).unwrap();
            for truth in [(Counter::Respondents, 1_000), (ge, 400)] {
                let error = noisy.get(truth.0) as f64 - truth.1 as f64;
                errors.push(error);
                outside += usize::from(error.abs() > noise.error95 as f64);
            }
        }
        // 100 draws, each outside the bound with chance 5 %: 15 or more happens less
        // than once in ten thousand runs.
        assert!(outside < 15, "{outside} of 100 beyond ±{}", noise.error95);
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        let sd = (errors.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / errors.len() as f64).sqrt();
        assert!(
            mean.abs() < noise.sd / 2.0 && sd > noise.sd / 2.0 && sd < noise.sd * 2.0,
            "{mean} {sd} {noise:?}"
        );
    }

    /// A survey of one question with five options.
    fn one_question() -> Survey {
        serde_json::from_value(serde_json::json!({
            "slug": "one", "languages": ["en"], "title": {"en": "One"},
            "questions": [{"id": "q", "kind": "single", "prompt": {"en": "Q"}, "options": [
                {"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}},
                {"code": "c", "label": {"en": "C"}}, {"code": "d", "label": {"en": "D"}},
                {"code": "e", "label": {"en": "E"}}]}]
        }))
        .unwrap()
    }

    /// The attack releases are made against: the attacker knows every answer but one
    /// person's (they sent 49 of their own between two releases, around that person's),
    /// and reads the person's answer off the difference of the two releases.
    fn differencing(sd: Option<f64>, trials: usize) -> usize {
        let survey = one_question();
        let layout = Layout::of(&survey);
        let cell = |option: u16| Counter::Cell(Cell { question: 0, option });
        let release = |counts: &Counts| match sd {
            Some(sd) => {
                add(counts, &layout, &Noise { sd, rho: 0.0, error95: 0, numbers: Vec::new() }).unwrap()
            }
            None => counts.clone(),
        };
        let mut right = 0;
        for trial in 0..trials {
            let person = (trial % 5) as u16;
            let mut before = Counts::default();
            for option in 0..5 {
                before.add(cell(option), 200 + 10 * u64::from(option));
            }
            let mut after = before.clone();
            after.add(cell(0), 49); // the attacker's own answers, all "a"
            after.add(cell(person), 1);
            let (first, second) = (release(&before), release(&after));
            let residual = |option: u16| {
                let known = if option == 0 { 49 } else { 0 };
                second.get(cell(option)) as i64 - first.get(cell(option)) as i64 - known
            };
            let guess = (0..5).max_by_key(|&option| residual(option)).unwrap();
            right += usize::from(guess == person);
        }
        right
    }

    #[test]
    fn differencing_two_releases_around_one_person_guesses_about_as_well_as_chance() {
        let noise = calibrate(&survey(), crate::disclosure::noise::tests::default_rho_per_release()).unwrap();
        // Exact releases give the person away every time: the attack works.
        assert_eq!(differencing(None, 50), 50);
        // With the default survey's noise, chance is 1 in 5: 200 guesses are right about
        // 40 times; 70 or more happens less than once in a hundred thousand runs.
        let right = differencing(Some(noise.sd), 200);
        assert!(right < 70, "{right} of 200 guesses right with noise of sd {}", noise.sd);
    }

    fn default_rho_per_release() -> f64 {
        nansen_shared::Privacy::default().rho_per_release()
    }
}

#[cfg(test)]
mod stated {
    /// The bound the README and the threat model state for the default survey.
    #[test]
    fn the_default_surveys_bound_is_the_one_stated() {
        let survey = crate::surveys::seed::default_survey().unwrap();
        let noise = super::calibrate(&survey, nansen_shared::Privacy::default().rho_per_release()).unwrap();
        // 46 counters one respondent can touch, 80 % of ρ = 0.1 on the counts: σ ≈ 17.0.
        assert!((noise.sd - (46.0f64 / 0.16).sqrt()).abs() < 1e-9, "{noise:?}");
        assert_eq!(noise.error95, 34);
    }
}
