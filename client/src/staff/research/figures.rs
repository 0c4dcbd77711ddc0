//! Estimates as a paper prints them: "42 % (35–49 %)" for a share and its 95 % interval,
//! "Mean 34.2 (95 %: 32.9–35.5), SD 9.1, from 412 who gave a number" for a mean. The
//! decimal mark is the staff language's ("34,2" in Russian); a percent sign is held to
//! its number by a no-break space. Built apart from the views, so they are tested
//! without a browser.

use nansen_shared::MeanResult;
use nansen_shared::estimates::Share;

use crate::staff::i18n::{Msg, t};

/// A no-break space, between a number and its percent sign.
const NBSP: char = '\u{a0}';

/// The staff language's decimal mark: "." unless its strings say otherwise.
fn decimal_mark() -> String {
    let mark = t("res-decimal-mark");
    // Without the strings (the tests) the id comes back: then the point.
    if mark.chars().count() == 1 { mark } else { ".".to_owned() }
}

/// `value` with `places` decimals, in the staff language's notation, with a true minus
/// sign; never "-0".
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    let text = if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    text.replacen('-', "\u{2212}", 1).replacen('.', &decimal_mark(), 1)
}

/// How many decimals a share is given with: one where its interval is narrow enough
/// (under 5 points) for the tenths to mean something, or where a whole number would
/// round a small share to nothing; none otherwise.
pub fn share_places(share: &Share) -> usize {
    let narrow = share.ci95.high - share.ci95.low < 0.05;
    let tiny = share.value > 0.0 && share.value < 0.005;
    usize::from(narrow || tiny)
}

/// A proportion as a percentage: "42 %".
pub fn percent(value: f64, places: usize) -> String {
    format!("{}{NBSP}%", decimal(value * 100.0, places))
}

/// A share and its interval, apart: ("42 %", "35–49 %").
pub fn share_parts(share: &Share) -> (String, String) {
    let places = share_places(share);
    let (low, high) = (decimal(share.ci95.low * 100.0, places), decimal(share.ci95.high * 100.0, places));
    (percent(share.value, places), format!("{low}–{high}{NBSP}%"))
}

/// "42 % (35–49 %)".
pub fn share_text(share: &Share) -> String {
    let (value, interval) = share_parts(share);
    format!("{value} ({interval})")
}

/// A target population's share as entered: "25 %", "33.3 %".
pub fn target_percent(value: f64) -> String {
    let scaled = value * 100.0;
    let places = usize::from((scaled - scaled.round()).abs() > 0.05);
    format!("{}{NBSP}%", decimal(scaled, places))
}

/// Decimals for a mean and its spread: one, or none for figures in the thousands.
fn mean_places(mean: &MeanResult) -> usize {
    usize::from(mean.value.abs() < 1000.0)
}

/// A range of figures: "32.9–35.5"; spaced where a minus sign would run into the dash
/// ("−2.8 – 77.6").
pub fn range(low: f64, high: f64, places: usize) -> String {
    let (from, to) = (decimal(low, places), decimal(high, places));
    if from.starts_with('\u{2212}') || to.starts_with('\u{2212}') {
        format!("{from} – {to}")
    } else {
        format!("{from}–{to}")
    }
}

/// "Mean 34.2 (95 %: 32.9–35.5), SD 9.1, from 412 who gave a number".
pub fn mean_msg(mean: &MeanResult) -> Msg {
    let places = mean_places(mean);
    Msg::new("res-mean")
        .n(usize::try_from(mean.n).unwrap_or(usize::MAX))
        .arg("mean", decimal(mean.value, places))
        .arg("interval", range(mean.ci95.low, mean.ci95.high, places))
        .arg("sd", decimal(mean.sd, places))
}

/// A number entered for a percentage, as typed: "12.5", "12,5", "12.5 %"; `None` for
/// anything else. Empty is `Some(None)`: no weight.
pub fn parse_percent(text: &str) -> Option<Option<f64>> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Some(None);
    }
    let value: f64 = text.replace(',', ".").parse().ok()?;
    value.is_finite().then_some(Some(value))
}

/// A sum of percentages as a reader checks it: "100", "92.5" (up to two decimals,
/// trailing zeros dropped).
pub fn points(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    decimal(text.parse().unwrap_or(value), text.split_once('.').map_or(0, |(_, d)| d.len()))
}

#[cfg(test)]
mod tests {
    use nansen_shared::estimates::Interval;

    use super::*;

    fn share(value: f64, low: f64, high: f64) -> Share {
        Share { value, ci95: Interval { low, high } }
    }

    /// The text with no-break spaces as plain ones, to compare with what is written.
    fn plain(text: &str) -> String {
        text.replace(NBSP, " ")
    }

    #[test]
    fn shares_are_printed_with_their_interval() {
        assert_eq!(plain(&share_text(&share(0.42, 0.351, 0.494))), "42 % (35–49 %)");
        // Wilson's interval for 5 of 10.
        assert_eq!(plain(&share_text(&share(0.5, 0.2366, 0.7634))), "50 % (24–76 %)");
        // A narrow interval earns a decimal; a zero count keeps its interval above zero.
        assert_eq!(plain(&share_text(&share(0.25, 0.25, 0.25))), "25.0 % (25.0–25.0 %)");
        assert_eq!(plain(&share_text(&share(0.0, 0.0, 0.1611))), "0 % (0–16 %)");
        // A small share is not rounded to nothing.
        assert_eq!(plain(&share_text(&share(0.003, 0.0, 0.2))), "0.3 % (0.0–20.0 %)");
        assert!(
            share_text(&share(0.42, 0.351, 0.494)).contains("42\u{a0}%"),
            "the sign stays with its number"
        );
    }

    #[test]
    fn decimals_never_read_minus_zero() {
        assert_eq!(decimal(-0.01, 1), "0.0");
        assert_eq!(decimal(-2.35, 1), "\u{2212}2.4");
        assert_eq!(decimal(34.25, 0), "34");
    }

    #[test]
    fn means_give_their_interval_spread_and_how_many() {
        let mean = MeanResult { n: 412, value: 34.21, sd: 9.06, ci95: Interval { low: 32.87, high: 35.54 } };
        assert_eq!(
            mean_msg(&mean),
            Msg::new("res-mean").n(412).arg("mean", "34.2").arg("interval", "32.9–35.5").arg("sd", "9.1")
        );
        let income =
            MeanResult { n: 50, value: 2_450.4, sd: 800.0, ci95: Interval { low: 2_228.6, high: 2_672.2 } };
        assert_eq!(mean_msg(&income).get("mean"), Some("2450"));
        assert_eq!(mean_msg(&income).get("interval"), Some("2229–2672"));
        // Noise can take an interval below zero: the minus sign is not lost in the dash.
        let noisy = MeanResult { n: 49, value: 37.4, sd: 54.1, ci95: Interval { low: -2.8, high: 77.6 } };
        assert_eq!(mean_msg(&noisy).get("interval"), Some("\u{2212}2.8 – 77.6"));
    }

    #[test]
    fn percentages_are_read_as_typed() {
        assert_eq!(parse_percent(" 25 "), Some(Some(25.0)));
        assert_eq!(parse_percent("12,5"), Some(Some(12.5)));
        assert_eq!(parse_percent("12.5 %"), Some(Some(12.5)));
        assert_eq!(parse_percent(""), Some(None));
        assert_eq!(parse_percent("lots"), None);
        assert_eq!(parse_percent("NaN"), None);
        assert_eq!(plain(&target_percent(0.25)), "25 %");
        assert_eq!(plain(&target_percent(1.0 / 3.0)), "33.3 %");
        assert_eq!(points(92.5), "92.5");
        assert_eq!(points(100.0), "100");
        assert_eq!(points(7.0 / 3.0), "2.33");
    }
}
