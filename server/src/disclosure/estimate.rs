//! What a release says beyond its counts: each option's share of those who answered,
//! with its 95 % interval, and each number question's mean — all worked out from what
//! the release publishes (`nansen_shared::estimates`), never from a response.

use nansen_shared::estimates::{self, Interval};
use nansen_shared::{
    Cell, MeanResult, PartResults, Question, QuestionKind, QuestionResults, Survey, SurveyResults,
};

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
        if let Some(question) = survey.questions.get(usize::from(index)) {
            let noisy = noise.map(|_| counts);
            annotate_parts(published, question, index, noisy, count_sd, k);
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

/// A grid's rows and a ranking's items (see [`PartResults`]): how many answered each
/// row (ranked each item), a grid cell's share of its row, a ranking item's mean place.
/// From the noisy counts when the release has noise (`noisy`: post-processing, which
/// costs no privacy); from the published counts alone when it is exact, so that a part
/// with a withheld count has no total, which would give the count away.
fn annotate_parts(
    published: &mut QuestionResults,
    question: &Question,
    index: u16,
    noisy: Option<&Counts>,
    count_sd: f64,
    k: u64,
) {
    let Some((parts, width)) = question.parts() else { return };
    let is_grid = matches!(question.kind, QuestionKind::Grid { .. });
    let mut results = Vec::with_capacity(parts.len());
    for (part, item) in parts.iter().enumerate() {
        let block = question.part_cells(part);
        // The part's counts, by place (or option), `None` where withheld.
        let counts: Vec<Option<u64>> = match noisy {
            Some(noisy) => block
                .clone()
                .map(|cell| Some(noisy.get(Counter::Cell(Cell { question: index, option: cell as u16 }))))
                .collect(),
            None => block
                .clone()
                .map(|cell| {
                    let code = question.cell_code(cell)?;
                    published.counts.iter().find(|c| c.option == code).and_then(|c| c.count)
                })
                .collect(),
        };
        let total: Option<u64> = counts.iter().copied().sum();
        // Shown as any count is: zero, or at least k.
        let answered = total.filter(|&n| n == 0 || n >= k);
        // A grid's shares are of the row: without its total, none.
        if is_grid {
            for cell in block.clone() {
                let Some(code) = question.cell_code(cell) else { continue };
                if let Some(option) = published.counts.iter_mut().find(|c| c.option == code) {
                    option.share = option
                        .count
                        .zip(answered)
                        .and_then(|(count, answered)| estimates::share(count, answered, count_sd));
                }
            }
        }
        let mean_rank = (!is_grid)
            .then_some(())
            .and(answered.filter(|&n| n >= k))
            .and_then(|n| mean_place(&counts, n, width, count_sd));
        results.push(PartResults { code: item.code.to_string(), answered, mean_rank });
    }
    published.parts = results;
}

/// A ranking item's mean place among the `n` who ranked it, from its count at each
/// place, each carrying noise of standard deviation `sd`; the interval kept within the
/// places.
fn mean_place(counts: &[Option<u64>], n: u64, places: usize, sd: f64) -> Option<MeanResult> {
    let at = |power: i32| -> Option<f64> {
        counts.iter().enumerate().map(|(p, c)| c.map(|c| (p as f64 + 1.0).powi(power) * c as f64)).sum()
    };
    let (sum, squares) = (at(1)?, at(2)?);
    let moments = |power: i32| (1..=places).map(|p| (p as f64).powi(power)).sum::<f64>().sqrt() * sd;
    let sds = ((places as f64).sqrt() * sd, moments(2), moments(4));
    let mean = estimates::mean(n, sum, squares, sds, (1.0, places as f64))?;
    Some(MeanResult {
        n,
        value: mean.value,
        sd: mean.sd,
        ci95: Interval { low: mean.ci95.low, high: mean.ci95.high },
    })
}
