//! Horizontal bar charts, drawn as inline SVG (no chart library, nothing fetched). Each
//! bar has its label above it and its figure beside it.
//!
//! A bar is an answer's share of those who answered the question, and the line across
//! it, with end caps, is that share's 95 % interval (sampling, and the release's noise
//! where it has any): one kind of error bar, explained in the legend. Beside it the
//! figure reads as a paper prints it, "42 % (35–49 %)". Only where a question's shares
//! cannot be given (the number who answered is withheld, or a release made before
//! shares were) are its bars counts, "120 ± 14" with noise, without error bars.
//!
//! A suppressed count is drawn as a short hatched, outlined bar of fixed size, off the
//! scale, with the word "suppressed": never as a zero-length bar, which would read as
//! "nobody". Its length cannot follow its value: the value is unknown, and not always
//! below k (a count can be withheld so that a smaller one cannot be worked out by
//! subtraction). A withheld count has no share.
//!
//! Lengths are percentages of the chart's width, so the chart fits any screen while
//! its text keeps its size. The table under each chart has the same figures.

use nansen_shared::estimates::Share;
use yew::prelude::*;

use super::figures::{share_parts, share_text};
use crate::staff::i18n::{t, tf};

/// One bar: an answer code, what it means, its count (`None`: suppressed) and its share
/// of those who answered, with its interval (`None`: withheld, or not given).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub code: String,
    pub label: String,
    pub count: Option<u64>,
    pub share: Option<Share>,
}

/// Height of one row (label above, bar below), in pixels.
const ROW: u32 = 46;
/// The longest bar, as a percentage of the width; the rest is room for its figure.
const SPAN: f64 = 58.0;
/// Labels longer than this are cut in the chart (the table has them whole).
const LABEL_CHARS: usize = 70;

/// Width of a suppressed bar, in pixels.
const SUPPRESSED_WIDTH: u32 = 36;

/// Whether a question's bars are shares (with intervals): every shown count has one.
pub fn has_shares(bars: &[Bar]) -> bool {
    bars.iter().any(|b| b.share.is_some()) && bars.iter().all(|b| b.count.is_none() || b.share.is_some())
}

/// The value the longest bar stands for: in shares, the highest end of an interval (so
/// that every error bar fits); in counts, the largest shown count.
fn scale(bars: &[Bar], shares: bool) -> f64 {
    let top = if shares {
        bars.iter().filter_map(|b| b.share).map(|s| s.ci95.high.max(s.value)).fold(0.0, f64::max)
    } else {
        // Counts are far below 2^52, so the conversion is exact.
        bars.iter().filter_map(|b| b.count).max().unwrap_or(0) as f64
    };
    if shares { top.max(0.01) } else { top.max(1.0) }
}

/// The range 95 % of noisy counts fall in around the true count, read the other way:
/// where the true count of noisy count `n` likely is (never below zero).
pub fn range(n: u64, error: u64) -> (u64, u64) {
    (n.saturating_sub(error), n.saturating_add(error))
}

/// A bar's length for `x`, in percent of the chart's width.
fn length(x: f64, scale: f64) -> f64 {
    (x / scale * SPAN).clamp(0.0, SPAN)
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

/// "120", or with noise "120 ± 14": a count as the release gives it.
pub fn figure(n: u64, error: Option<u64>) -> String {
    error.map_or_else(|| n.to_string(), |e| format!("{n} ± {e}"))
}

/// The chart of one question. `title` says what it shows, for screen readers (which
/// are pointed to the table for the numbers); `error` is the release's ± bound on counts
/// (95 %), if it carries noise, written beside counts where shares are not given.
pub fn bar_chart(question: &str, title: &str, bars: &[Bar], error: Option<u64>) -> Html {
    let shares = has_shares(bars);
    let top = scale(bars, shares);
    let rows = u32::try_from(bars.len()).unwrap_or(u32::MAX).min(10_000);
    let height = ROW * rows + 6;
    let title_id = format!("chart-{question}-title");
    let hatch = format!("hatch-{question}");
    html! {
        <svg class="chart" data-question={question.to_owned()} width="100%" height={height.to_string()}
            role="img" aria-labelledby={title_id.clone()} data-measure={if shares { "share" } else { "count" }}
            data-error95={error.map(|e| e.to_string())}>
            <title id={title_id}>{ title }</title>
            <defs>{ hatch_pattern(&hatch) }</defs>
            { for bars.iter().enumerate().map(|(i, bar)| {
                let y = u32::try_from(i).unwrap_or(0).saturating_mul(ROW);
                row(bar, y, top, &hatch, shares, error)
            }) }
        </svg>
    }
}

/// A length in percent of the chart's width, as an SVG length.
fn percent(x: f64, top: f64) -> String {
    format!("{:.2}%", length(x, top))
}

/// One bar's row: as a share with its error bar when the chart is of `shares`, else as
/// a count (with the release's ± bound `error`, if it has noise).
fn row(bar: &Bar, y: u32, top: f64, hatch: &str, shares: bool, error: Option<u64>) -> Html {
    let (label_y, bar_y, text_y) = ((y + 15).to_string(), (y + 21).to_string(), (y + 35).to_string());
    let rect = |x: f64| {
        (x > 0.0).then(
            || html! { <rect class="bar" x="0" y={bar_y.clone()} height="18" width={percent(x, top)} /> },
        )
    };
    let (drawn, end, text) = match (bar.count, bar.share.filter(|_| shares)) {
        (None, _) => {
            let width = SUPPRESSED_WIDTH.to_string();
            let hatched = html! {
                <rect class="bar-suppressed" x="1" y={bar_y.clone()} height="18" width={width.clone()}
                    fill={format!("url(#{hatch})")} />
            };
            (hatched, width, html! { { t("res-suppressed") } })
        }
        (Some(_), Some(share)) => {
            let (value, interval) = share_parts(&share);
            let drawn = html! { <>{ for rect(share.value) }{ error_bar(&share, y + 21, top) }</> };
            let text = html! {
                <><tspan class="share">{ value }</tspan><tspan class="interval">{ format!(" ({interval})") }</tspan></>
            };
            (drawn, percent(share.ci95.high.max(share.value), top), text)
        }
        (Some(n), None) => {
            // Counts are far below 2^52, so the conversion is exact.
            let x = n as f64;
            (html! { <>{ for rect(x) }</> }, percent(x, top), html! { { figure(n, error) } })
        }
    };
    html! {
        <g class="bar-row" data-option={bar.code.clone()}
            data-count={bar.count.map_or_else(|| "suppressed".to_owned(), |n| n.to_string())}
            data-share={bar.share.map(|s| s.value.to_string())}>
            <text class="bar-label" x="0" y={label_y}>{ short(&bar.label) }</text>
            { drawn }
            <text class={classes!("bar-count", bar.count.is_none().then_some("suppressed"))}
                x={end} dx="6" y={text_y}>{ text }</text>
        </g>
    }
}

/// The error bar of a share, on a bar whose top is at `bar_y`: a line across its 95 %
/// interval with a cap at each end, drawn over a pale halo so that it shows on the bar
/// as well as beside it.
fn error_bar(share: &Share, bar_y: u32, top: f64) -> Html {
    let (low, high) = (share.ci95.low, share.ci95.high);
    let (x1, x2) = (percent(low, top), percent(high, top));
    let (middle, cap_top, cap_bottom) =
        ((bar_y + 9).to_string(), (bar_y + 3).to_string(), (bar_y + 15).to_string());
    let line = |class: &'static str| {
        html! {
            <g class={class}>
                <line x1={x1.clone()} x2={x2.clone()} y1={middle.clone()} y2={middle.clone()} />
                <line x1={x1.clone()} x2={x1.clone()} y1={cap_top.clone()} y2={cap_bottom.clone()} />
                <line x1={x2.clone()} x2={x2.clone()} y1={cap_top.clone()} y2={cap_bottom.clone()} />
            </g>
        }
    };
    html! {
        <g class="error-bar" data-low={low.to_string()} data-high={high.to_string()}>
            { line("error-halo") }
            { line("error-line") }
        </g>
    }
}

/// Diagonal stripes, so a suppressed bar differs from a counted one by more than colour.
pub fn hatch_pattern(id: &str) -> Html {
    html! {
        <pattern id={id.to_owned()} width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect class="hatch-ground" width="7" height="7" />
            <line class="hatch-line" x1="0" y1="0" x2="0" y2="7" />
        </pattern>
    }
}

/// The same figures as a table, for reading exact numbers and for screen readers: each
/// count (with noise, its likely range too) and its share with its interval. `prompt`
/// names it, where it scrolls on a narrow screen.
pub fn table(question: &str, prompt: &str, bars: &[Bar], error: Option<u64>) -> Html {
    let shares = bars.iter().any(|b| b.share.is_some());
    html! {
        <details class="chart-table">
            <summary>{ t("res-table") }</summary>
            <div class="table-scroll" tabindex="0" role="region" aria-label={tf("res-table-region", &[("prompt", prompt)])}>
                <table class="counts" data-question={question.to_owned()}>
                    <thead>
                        <tr>
                            <th scope="col">{ t("res-answer") }</th>
                            <th scope="col">{ t("res-code") }</th>
                            <th scope="col" class="count">{ t("res-count") }</th>
                            if error.is_some() {
                                <th scope="col" class="count">{ t("res-likely") }</th>
                            }
                            if shares {
                                <th scope="col" class="count">{ t("res-share") }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>
                        { for bars.iter().map(|bar| html! {
                            <tr data-option={bar.code.clone()}>
                                <th scope="row">{ &bar.label }</th>
                                <td><code>{ &bar.code }</code></td>
                                <td class={classes!("count", bar.count.is_none().then_some("suppressed"))}>{ count_text(bar.count) }</td>
                                if let Some(e) = error {
                                    <td class="count range">{ range_text(bar.count, e) }</td>
                                }
                                if shares {
                                    <td class="count share">{ bar.share.as_ref().map(share_text).unwrap_or_default() }</td>
                                }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// Where the true count of a noisy count likely lies, as a reader sees it: "106–134".
pub fn range_text(count: Option<u64>, error: u64) -> String {
    count.map_or_else(String::new, |n| {
        let (low, high) = range(n, error);
        format!("{low}–{high}")
    })
}

/// A count as a reader sees it in a table.
pub fn count_text(count: Option<u64>) -> String {
    count.map_or_else(|| t("res-suppressed"), |n| n.to_string())
}

/// The small picture of an error bar, as the legend shows it.
fn error_bar_sample() -> Html {
    let lines = html! {
        <>
            <line x1="14" x2="46" y1="10" y2="10" /><line x1="14" x2="14" y1="4" y2="16" />
            <line x1="46" x2="46" y1="4" y2="16" />
        </>
    };
    html! {
        <svg width="48" height="20" aria-hidden="true" focusable="false">
            <rect class="bar" x="0" y="1" width="30" height="18" />
            <g class="error-halo">{ lines.clone() }</g>
            <g class="error-line">{ lines }</g>
        </svg>
    }
}

/// What the bars, their error bars and the hatched bars mean. `error` is the release's
/// ± bound on counts, if it has noise; `shares`, whether any chart shows shares.
pub fn legend(min_cell: u32, error: Option<u64>, shares: bool) -> Html {
    let (below, k) = (min_cell.saturating_sub(1).to_string(), min_cell.to_string());
    let suppressed = match error {
        None => tf("res-legend-suppressed-exact", &[("below", &below), ("k", &k)]),
        Some(e) => {
            tf("res-legend-suppressed-noise", &[("below", &below), ("k", &k), ("error", &e.to_string())])
        }
    };
    let interval = match error {
        None => t("res-legend-interval-exact"),
        Some(e) => tf("res-legend-interval-noise", &[("error", &e.to_string())]),
    };
    html! {
        <div class="legend" id="suppression-legend">
            if shares {
                <div class="legend-item" id="bar-legend">
                    <svg width="48" height="20" aria-hidden="true" focusable="false">
                        <rect class="bar" x="0" y="1" width="30" height="18" />
                    </svg>
                    <p><strong>{ t("res-legend-bar") }</strong>{ ": " }{ t("res-legend-share") }</p>
                </div>
                <div class="legend-item" id="error-bar-legend">
                    { error_bar_sample() }
                    <p><strong>{ t("res-legend-error-bar") }</strong>{ ": " }{ interval }</p>
                </div>
            }
            <div class="legend-item">
                <svg width="48" height="20" aria-hidden="true" focusable="false">
                    <defs>{ hatch_pattern("hatch-legend") }</defs>
                    <rect class="bar-suppressed" x="1" y="1" width="46" height="18" fill="url(#hatch-legend)" />
                </svg>
                <p><strong>{ t("res-legend-suppressed") }</strong>{ ": " }{ suppressed }</p>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use nansen_shared::estimates::Interval;

    use super::*;

    fn bar(count: Option<u64>) -> Bar {
        Bar { code: "a".into(), label: "A".into(), count, share: None }
    }

    fn shared(count: u64, value: f64, low: f64, high: f64) -> Bar {
        Bar { share: Some(Share { value, ci95: Interval { low, high } }), ..bar(Some(count)) }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_count_scale_follows_shown_counts_only() {
        assert!(close(scale(&[bar(Some(2)), bar(None)], false), 2.0));
        assert!(close(scale(&[bar(None)], false), 1.0), "no division by zero");
        assert!(close(scale(&[bar(Some(0))], false), 1.0));
        assert!(close(length(4.0, 4.0), SPAN));
        assert!(close(length(0.0, 4.0), 0.0));
    }

    #[test]
    fn shares_are_drawn_only_when_every_shown_count_has_one() {
        let bars = [shared(50, 0.5, 0.24, 0.76), shared(5, 0.05, 0.01, 0.2), bar(None)];
        assert!(has_shares(&bars), "a withheld count has no share, and needs none");
        // The longest error bar reaches the end of the span.
        assert!(close(scale(&bars, true), 0.76));
        assert!(close(length(0.76, scale(&bars, true)), SPAN));
        assert!(!has_shares(&[shared(50, 0.5, 0.24, 0.76), bar(Some(3))]), "a count without its share");
        assert!(!has_shares(&[bar(Some(3)), bar(None)]), "no shares at all (an older release)");
        assert!(close(scale(&[shared(0, 0.0, 0.0, 0.0)], true), 0.01), "no division by zero");
    }

    #[test]
    fn noisy_counts_have_their_likely_range() {
        assert_eq!(range(100, 14), (86, 114));
        assert_eq!(range(3, 14), (0, 17));
        assert_eq!(range_text(Some(100), 14), "86–114");
        assert_eq!(range_text(None, 14), "");
        assert_eq!(figure(120, Some(14)), "120 ± 14");
        assert_eq!(figure(120, None), "120");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(short("short"), "short");
        assert_eq!(short(&"x".repeat(100)).chars().count(), LABEL_CHARS);
    }
}
