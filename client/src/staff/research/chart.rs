//! Horizontal bar charts, drawn as inline SVG (no chart library, nothing fetched). Each
//! bar has its label above it and its count beside it. A suppressed count is drawn as a
//! short hatched, outlined bar of fixed size, off the scale, with the word "suppressed":
//! never as a zero-length bar, which would read as "nobody". Its length cannot follow
//! its value: the value is unknown, and not always below k (a count can be withheld so
//! that a smaller one cannot be worked out by subtraction).
//!
//! When the release carries noise, every shown count has an error bar: a line with end
//! caps from `count − e` to `count + e`, where 95 % of noisy counts lie within `e` of
//! the true count. The count beside it reads "120 ± 14", the chart's title says what the
//! bars mean, and the table lists each range, so no one needs to see the chart.
//!
//! Lengths are percentages of the chart's width, so the chart fits any screen while
//! its text keeps its size.

use yew::prelude::*;

use crate::staff::i18n::{t, tf};

/// One bar: an answer code, what it means, and its count (`None`: suppressed).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub code: String,
    pub label: String,
    pub count: Option<u64>,
}

/// Height of one row (label above, bar below), in pixels.
const ROW: u32 = 46;
/// The longest bar, as a percentage of the width; the rest is room for its count.
const SPAN: f64 = 62.0;
/// Labels longer than this are cut in the chart (the table has them whole).
const LABEL_CHARS: usize = 70;

/// Width of a suppressed bar, in pixels.
const SUPPRESSED_WIDTH: u32 = 36;

/// The value the longest bar stands for: the largest shown count, with its error bar
/// (`error`: the ± bound, 0 without noise), so that every error bar fits too.
fn scale(bars: &[Bar], error: u64) -> u64 {
    bars.iter().filter_map(|b| b.count).max().map_or(0, |n| n.saturating_add(error)).max(1)
}

/// The range 95 % of noisy counts fall in around the true count, read the other way:
/// where the true count of noisy count `n` likely is (never below zero).
pub fn range(n: u64, error: u64) -> (u64, u64) {
    (n.saturating_sub(error), n.saturating_add(error))
}

/// A bar's length for `n`, in percent of the chart's width.
fn length(n: u64, scale: u64) -> f64 {
    // Counts are far below 2^52, so the conversion is exact.
    (n as f64 / scale as f64 * SPAN).clamp(0.0, SPAN)
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

/// The chart of one question's counts. `title` says what it shows, for screen readers
/// (which are pointed to the table for the numbers); `error` is the release's ± bound
/// (95 %), if it carries noise.
pub fn bar_chart(question: &str, title: &str, bars: &[Bar], error: Option<u64>) -> Html {
    let top = scale(bars, error.unwrap_or(0));
    let rows = u32::try_from(bars.len()).unwrap_or(u32::MAX).min(10_000);
    let height = ROW * rows + 6;
    let title_id = format!("chart-{question}-title");
    let hatch = format!("hatch-{question}");
    html! {
        <svg class="chart" data-question={question.to_owned()} width="100%" height={height.to_string()}
            role="img" aria-labelledby={title_id.clone()} data-error95={error.map(|e| e.to_string())}>
            <title id={title_id}>{ title }</title>
            <defs>{ hatch_pattern(&hatch) }</defs>
            { for bars.iter().enumerate().map(|(i, bar)| {
                let y = u32::try_from(i).unwrap_or(0).saturating_mul(ROW);
                row(bar, y, top, &hatch, error)
            }) }
        </svg>
    }
}

/// A percentage of the chart's width, as an SVG length.
fn percent(n: u64, top: u64) -> String {
    format!("{:.2}%", length(n, top))
}

fn row(bar: &Bar, y: u32, top: u64, hatch: &str, error: Option<u64>) -> Html {
    let (label_y, bar_y, text_y) = ((y + 15).to_string(), (y + 21).to_string(), (y + 35).to_string());
    let (bar_html, end, text) = match bar.count {
        Some(n) => {
            let width = percent(n, top);
            let rect = (n > 0)
                .then(|| html! { <rect class="bar" x="0" y={bar_y} height="18" width={width.clone()} /> });
            match error {
                Some(e) => {
                    let bars = html! { <>{ for rect }{ error_bar(n, e, y + 21, top) }</> };
                    (Some(bars), percent(n.saturating_add(e), top), format!("{n} ± {e}"))
                }
                None => (rect, width, n.to_string()),
            }
        }
        None => {
            let width = SUPPRESSED_WIDTH.to_string();
            let rect = html! {
                <rect class="bar-suppressed" x="1" y={bar_y} height="18" width={width.clone()} fill={format!("url(#{hatch})")} />
            };
            (Some(rect), width, t("res-suppressed"))
        }
    };
    html! {
        <g class="bar-row" data-option={bar.code.clone()}
            data-count={bar.count.map_or_else(|| "suppressed".to_owned(), |n| n.to_string())}>
            <text class="bar-label" x="0" y={label_y}>{ short(&bar.label) }</text>
            { for bar_html }
            <text class={classes!("bar-count", bar.count.is_none().then_some("suppressed"))}
                x={end} dx="6" y={text_y}>{ text }</text>
        </g>
    }
}

/// The error bar of count `n` with bound `e`, on a bar whose top is at `bar_y`: a line
/// across the range with a cap at each end, drawn over a pale halo so that it shows on
/// the bar as well as beside it.
fn error_bar(n: u64, e: u64, bar_y: u32, top: u64) -> Html {
    let (low, high) = range(n, e);
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

/// The same counts as a table, for reading exact numbers and for screen readers; with
/// noise, each count's likely range too.
pub fn table(question: &str, bars: &[Bar], error: Option<u64>) -> Html {
    html! {
        <details class="chart-table">
            <summary>{ t("res-table") }</summary>
            <table class="counts" data-question={question.to_owned()}>
                <thead>
                    <tr>
                        <th scope="col">{ t("res-answer") }</th>
                        <th scope="col">{ t("res-code") }</th>
                        <th scope="col" class="count">{ t("res-count") }</th>
                        if error.is_some() {
                            <th scope="col" class="count">{ t("res-likely") }</th>
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
                        </tr>
                    }) }
                </tbody>
            </table>
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

/// What the hatched bars mean, and with noise (`error`: the ± bound) the error bars.
pub fn legend(min_cell: u32, error: Option<u64>) -> Html {
    let (below, k) = (min_cell.saturating_sub(1).to_string(), min_cell.to_string());
    let suppressed = match error {
        None => tf("res-legend-suppressed-exact", &[("below", &below), ("k", &k)]),
        Some(e) => {
            tf("res-legend-suppressed-noise", &[("below", &below), ("k", &k), ("error", &e.to_string())])
        }
    };
    html! {
        <div class="legend" id="suppression-legend">
            <div class="legend-item">
                <svg width="48" height="20" aria-hidden="true" focusable="false">
                    <defs>{ hatch_pattern("hatch-legend") }</defs>
                    <rect class="bar-suppressed" x="1" y="1" width="46" height="18" fill="url(#hatch-legend)" />
                </svg>
                <p><strong>{ t("res-legend-suppressed") }</strong>{ ": " }{ suppressed }</p>
            </div>
            if let Some(e) = error {
                <div class="legend-item" id="error-bar-legend">
                    <svg width="48" height="20" aria-hidden="true" focusable="false">
                        <rect class="bar" x="0" y="1" width="30" height="18" />
                        <g class="error-halo">
                            <line x1="14" x2="46" y1="10" y2="10" /><line x1="14" x2="14" y1="4" y2="16" />
                            <line x1="46" x2="46" y1="4" y2="16" />
                        </g>
                        <g class="error-line">
                            <line x1="14" x2="46" y1="10" y2="10" /><line x1="14" x2="14" y1="4" y2="16" />
                            <line x1="46" x2="46" y1="4" y2="16" />
                        </g>
                    </svg>
                    <p>
                        <strong>{ t("res-legend-error-bar") }</strong>{ ": " }
                        { tf("res-legend-error", &[("error", &e.to_string())]) }
                    </p>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(count: Option<u64>) -> Bar {
        Bar { code: "a".into(), label: "A".into(), count }
    }

    #[test]
    fn the_scale_follows_shown_counts_only() {
        assert_eq!(scale(&[bar(Some(2)), bar(None)], 0), 2);
        assert_eq!(scale(&[bar(None)], 0), 1, "no division by zero");
        assert_eq!(scale(&[bar(None)], 9), 1, "no error bar without a count");
        assert_eq!(scale(&[bar(Some(0))], 0), 1);
        assert!((length(4, 4) - SPAN).abs() < f64::EPSILON);
        assert!(length(0, 4).abs() < f64::EPSILON);
    }

    #[test]
    fn error_bars_fit_the_scale_and_stay_above_zero() {
        let bars = [bar(Some(100)), bar(Some(3)), bar(None)];
        assert_eq!(scale(&bars, 14), 114);
        assert_eq!(range(100, 14), (86, 114));
        assert_eq!(range(3, 14), (0, 17));
        assert!((length(range(100, 14).1, scale(&bars, 14)) - SPAN).abs() < f64::EPSILON);
        assert_eq!(range_text(Some(100), 14), "86–114");
        assert_eq!(range_text(None, 14), "");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(short("short"), "short");
        assert_eq!(short(&"x".repeat(100)).chars().count(), LABEL_CHARS);
    }
}
