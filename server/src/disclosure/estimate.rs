//! What a release says beyond its counts: each option's share of those who answered,
//! with its 95 % interval, and each number question's mean — all worked out from what
//! the release publishes (`nansen_shared::estimates`), never from a response.

use nansen_shared::estimates::{self, Interval};
use nansen_shared::{MeanResult, QuestionKind, Survey, SurveyResults};

use crate::disclosure::noise::Noise;
use crate::storage::counters::{Counter, Counts};

/// Adds shares and means to `results` (already noisy or suppressed). `counts` are the
/// counts the release was made from (noisy ones, with `noise`), for the sums behind the
/// means, which are published only as means and only when at least `min_cell` gave a
/// number.
pub fn annotate(results: &mut SurveyResults, survey: &Survey, counts: &Counts, noise: Option<&Noise>) {
    let count_sd = noise.map_or(0.0, |n| n.sd);
    let k = u64::from(survey.settings.min_cell);
    for (index, published) in results.questions.iter_mut().enumerate() {
        let index = index as u16;
        if let Some(answered) = published.answered {
            for option in &mut published.counts {
                option.share = option.count.and_then(|count| estimates::share(count, answered, count_sd));
            }
        }
        let range = match survey.questions.get(usize::from(index)).map(|q| &q.kind) {
            Some(QuestionKind::Number { min, max, .. }) => (*min as f64, *max as f64),
            _ => continue,
        };
        let n = counts.get(Counter::Numbered(index));
        if n < k {
            continue;
        }
        let sds = (
            count_sd,
            noise.map_or(0.0, |n| n.sd_of(Counter::Sum(index))),
            noise.map_or(0.0, |n| n.sd_of(Counter::SumOfSquares(index))),
        );
        let sum = counts.signed(Counter::Sum(index)) as f64;
        let squares = counts.get(Counter::SumOfSquares(index)) as f64;
        published.mean = estimates::mean(n, sum, squares, sds, range).map(|m| MeanResult {
            n,
            value: m.value,
            sd: m.sd,
            ci95: Interval { low: m.ci95.low, high: m.ci95.high },
        });
    }
}
