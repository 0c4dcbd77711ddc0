//! Times and privacy budgets as the staff screens write them.
//!
//! Releases are made and kept to the hour, in UTC, so that is how they are shown:
//! "2 December 2026, 14:00 UTC", the same to everyone wherever they read it (a local
//! time would make two researchers quote one release differently).

use crate::staff::i18n;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The civil date of day `days` since 1970-01-01 (proleptic Gregorian): (year, month
/// 1–12, day 1–31). Howard Hinnant's `civil_from_days`.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], from March
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

/// "2 December 2026, 14:00 UTC" for `secs` seconds since the Unix epoch (minutes shown,
/// though releases fall on the hour), in the staff language ("2 декабря 2026, 14:00
/// UTC"); in English where its strings are not loaded (the tests).
pub fn utc(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil(days);
    let index = usize::try_from(month - 1).unwrap_or(0).min(11);
    let month = i18n::known(i18n::MONTH_IDS[index], &[]).unwrap_or_else(|| MONTHS[index].to_owned());
    let time = format!("{:02}:{:02}", rest / 3600, rest % 3600 / 60);
    let (day, year) = (day.to_string(), year.to_string());
    let args =
        [("day", day.as_str()), ("month", month.as_str()), ("year", year.as_str()), ("time", time.as_str())];
    i18n::known("date-utc", &args).unwrap_or_else(|| format!("{day} {month} {year}, {time} UTC"))
}

/// Seconds since the Unix epoch now, by the browser's clock.
#[cfg(target_arch = "wasm32")]
pub fn now() -> i64 {
    // Milliseconds since the epoch are far inside f64's exact integers.
    (js_sys::Date::now() / 1000.0) as i64
}

/// Outside a browser (the tests), the epoch.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> i64 {
    0
}

/// A privacy budget or a part of one, as a reader sees it: three significant digits,
/// without trailing zeros ("0.1", "1", "0.0333"), so that the float sums of the server
/// (0.30000000000000004) read as what they are. Written with integers: the page then
/// needs no float formatting of its own.
pub fn rho(value: f64) -> String {
    if !(value.is_finite() && value > 0.0) {
        return "0".to_owned();
    }
    // Enough decimals for three significant digits (at most six: budgets are not finer).
    let mut decimals = 0_u32;
    while decimals < 6 && value * 10_f64.powi(decimals as i32) < 99.5 {
        decimals += 1;
    }
    let scaled = (value * 10_f64.powi(decimals as i32)).round() as u64;
    let unit = 10_u64.pow(decimals);
    let (whole, fraction) = (scaled / unit, scaled % unit);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0width$}", width = decimals as usize);
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out_in_utc() {
        assert_eq!(utc(0), "1 January 1970, 00:00 UTC");
        // 2026-12-02T14:00:00Z
        assert_eq!(utc(1_796_220_000), "2 December 2026, 14:00 UTC");
        // Leap days, and the turn of a century that is a leap year.
        assert_eq!(utc(951_782_400), "29 February 2000, 00:00 UTC");
        assert_eq!(utc(1_709_164_800 + 23 * 3600 + 59 * 60), "29 February 2024, 23:59 UTC");
        assert_eq!(utc(1_735_689_599), "31 December 2024, 23:59 UTC");
        assert_eq!(utc(-1), "31 December 1969, 23:59 UTC");
    }

    #[test]
    fn every_day_of_four_centuries_follows_the_one_before() {
        let mut previous = civil(-1);
        for days in 0..146_097 {
            let (year, month, day) = civil(days);
            let next_day = (year, month, day) == (previous.0, previous.1, previous.2 + 1);
            let next_month = day == 1 && (year, month) == (previous.0, previous.1 + 1);
            let next_year = (month, day) == (1, 1) && year == previous.0 + 1 && previous.1 == 12;
            assert!(next_day || next_month || next_year, "{previous:?} then {:?}", (year, month, day));
            previous = (year, month, day);
        }
    }

    #[test]
    fn budgets_read_as_people_write_them() {
        assert_eq!(rho(0.1 + 0.1 + 0.1), "0.3");
        assert_eq!(rho(1.0), "1");
        assert_eq!(rho(10.0), "10");
        assert_eq!(rho(1.0 / 30.0), "0.0333");
        assert_eq!(rho(0.0005), "0.0005");
        assert_eq!(rho(2.5), "2.5");
        assert_eq!(rho(0.0), "0");
        assert_eq!(rho(f64::NAN), "0");
        assert_eq!(rho(0.9996), "1");
        assert_eq!(rho(123.4), "123");
    }
}
