//! Times and privacy budgets as the staff screens write them.
//!
//! Releases are made and kept to the hour, in UTC, so that is how they are shown:
//! "2 December 2026, 14:00 UTC", the same to everyone wherever they read it (a local
//! time would make two researchers quote one release differently).

use nansen_shared::time::civil_date as civil;

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

/// `secs` seconds since the Unix epoch in the browser's time zone, written the browser's
/// way in the staff language ("1 March 2027 at 14:00"); in UTC outside a browser.
#[cfg(target_arch = "wasm32")]
pub fn local(secs: i64) -> String {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "long"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    // Milliseconds since the epoch are far inside f64's exact integers.
    let date = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    String::from(date.to_locale_string(&i18n::current(), &options))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn local(secs: i64) -> String {
    utc(secs)
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
