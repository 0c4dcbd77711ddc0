//! Moments as the API writes them: RFC 3339 in UTC ("2027-03-01T12:00:00Z"), to the
//! second. Written here with integer arithmetic on the proleptic Gregorian calendar, so
//! that the browser and the server read and write them alike without a date library.

use std::fmt;

/// A moment to the second, in UTC: seconds since the Unix epoch, written in RFC 3339.
/// Years 1970 to 9999 only (RFC 3339 writes four digits; nothing is scheduled earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(i64);

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::date_time()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Timestamp {}

/// 9999-12-31T23:59:59Z.
const LAST: i64 = 253_402_300_799;
const DAY: i64 = 86_400;

/// Why a text was refused as a moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a time in RFC 3339 form, such as 2027-03-01T12:00:00Z (UTC) or 2027-03-01T15:00:00+03:00"
)]
pub struct InvalidTime(pub String);

impl Timestamp {
    /// The moment `secs` seconds after the Unix epoch, if within years 1970 to 9999.
    pub fn from_unix(secs: i64) -> Option<Self> {
        (0..=LAST).contains(&secs).then_some(Self(secs))
    }

    pub fn unix(self) -> i64 {
        self.0
    }

    /// An RFC 3339 date and time with its offset (`Z` or `±hh:mm`; lower-case `t` and
    /// `z` too, as the RFC allows). A fraction of a second is dropped.
    pub fn parse(text: &str) -> Result<Self, InvalidTime> {
        let invalid = || InvalidTime(text.to_owned());
        let (local, rest) = civil_seconds(text).ok_or_else(invalid)?;
        let rest = match rest.strip_prefix('.') {
            Some(fraction) => match fraction.find(|c: char| !c.is_ascii_digit()) {
                Some(0) | None => return Err(invalid()),
                Some(digits) => &fraction[digits..],
            },
            None => rest,
        };
        let offset = match rest.as_bytes() {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let hours = two_digits(*h1, *h2).filter(|h| *h < 24).ok_or_else(invalid)?;
                let minutes = two_digits(*m1, *m2).filter(|m| *m < 60).ok_or_else(invalid)?;
                let offset = hours * 3600 + minutes * 60;
                if *sign == b'-' { -offset } else { offset }
            }
            _ => return Err(invalid()),
        };
        Self::from_unix(local - offset).ok_or_else(invalid)
    }

    /// A date and time with no offset, as an `<input type="datetime-local">` gives it
    /// ("2027-03-01T12:00", seconds optional), read as UTC.
    pub fn parse_utc_input(text: &str) -> Result<Self, InvalidTime> {
        let invalid = || InvalidTime(text.to_owned());
        let with_seconds = if text.len() == 16 { format!("{text}:00") } else { text.to_owned() };
        match civil_seconds(&with_seconds) {
            Some((secs, "")) => Self::from_unix(secs).ok_or_else(invalid),
            _ => Err(invalid()),
        }
    }

    /// Year, month (1–12), day, hour, minute, second, in UTC.
    pub fn civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let (days, rest) = (self.0.div_euclid(DAY), self.0.rem_euclid(DAY));
        let (year, month, day) = civil_date(days);
        let [hour, minute, second] = [rest / 3600, rest % 3600 / 60, rest % 60].map(|n| n as u32);
        (year, month, day, hour, minute, second)
    }

    /// "2027-03-01 12:00 UTC" (seconds only when there are some): what a person reads,
    /// the same in every language.
    pub fn utc_text(self) -> String {
        format!("{} UTC", self.input_value().replacen('T', " ", 1))
    }

    /// "2027-03-01T12:00" (seconds only when there are some), as an
    /// `<input type="datetime-local">` takes it: the inverse of [`Self::parse_utc_input`].
    pub fn input_value(self) -> String {
        let (year, month, day, hour, minute, second) = self.civil();
        let seconds = if second == 0 { String::new() } else { format!(":{second:02}") };
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}{seconds}")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day, hour, minute, second) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }
}

impl TryFrom<String> for Timestamp {
    type Error = InvalidTime;
    fn try_from(text: String) -> Result<Self, InvalidTime> {
        Self::parse(&text)
    }
}

impl From<Timestamp> for String {
    fn from(at: Timestamp) -> String {
        at.to_string()
    }
}

/// The seconds since the epoch of the `YYYY-MM-DDThh:mm:ss` that `text` starts with (as
/// if it were UTC), and what follows it.
fn civil_seconds(text: &str) -> Option<(i64, &str)> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = two_digits(b[0], b[1])? * 100 + two_digits(b[2], b[3])?;
    let [month, day, hour, minute, second] =
        [5, 8, 11, 14, 17].map(|i| two_digits(b[i], b[i + 1]).unwrap_or(i64::MAX));
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    let secs = days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second;
    valid.then_some((secs, text.get(19..)?))
}

fn two_digits(a: u8, b: u8) -> Option<i64> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian). Howard Hinnant's
/// `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400); // [0, 399]
    let mp = (month + 9) % 12; // [0, 11], from March
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date of day `days` since 1970-01-01 (proleptic Gregorian): (year, month
/// 1–12, day 1–31). Howard Hinnant's `civil_from_days`.
pub fn civil_date(days: i64) -> (i64, u32, u32) {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(text: &str) -> i64 {
        Timestamp::parse(text).unwrap_or_else(|e| panic!("{e}")).unix()
    }

    #[test]
    fn rfc_3339_times_are_read_in_utc_whatever_their_offset() {
        assert_eq!(at("1970-01-01T00:00:00Z"), 0);
        assert_eq!(at("2026-12-02T14:00:00Z"), 1_796_220_000);
        assert_eq!(at("2026-12-02T17:00:00+03:00"), 1_796_220_000);
        assert_eq!(at("2026-12-02T09:30:00-04:30"), 1_796_220_000);
        assert_eq!(at("2026-12-02t14:00:00.999z"), 1_796_220_000);
        assert_eq!(at("2000-02-29T00:00:00Z"), 951_782_400);
        assert_eq!(at("9999-12-31T23:59:59Z"), LAST);
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        for bad in [
            "",
            "tomorrow",
            "2027-03-01",
            "2027-03-01T12:00:00",
            "2027-03-01 12:00:00Z",
            "2027-03-01T12:00Z",
            "2027-02-29T12:00:00Z",
            "2027-13-01T12:00:00Z",
            "2027-03-01T24:00:00Z",
            "2027-03-01T12:00:60Z",
            "2027-03-01T12:00:00.Z",
            "2027-03-01T12:00:00+3:00",
            "2027-03-01T12:00:00+24:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "+2027-03-01T12:00:00Z",
            "2027-03-01T12:00:00Zjunk",
            "٢٠٢٧-03-01T12:00:00Z",
        ] {
            let error = Timestamp::parse(bad).expect_err(bad);
            assert!(error.to_string().contains("2027-03-01T12:00:00Z"), "{error}");
        }
    }

    #[test]
    fn written_for_people_and_for_date_inputs() {
        let noon = Timestamp::parse("2027-03-01T12:00:00Z").unwrap();
        assert_eq!(noon.to_string(), "2027-03-01T12:00:00Z");
        assert_eq!(noon.utc_text(), "2027-03-01 12:00 UTC");
        assert_eq!(noon.input_value(), "2027-03-01T12:00");
        let odd = Timestamp::parse("2027-03-01T12:00:05Z").unwrap();
        assert_eq!(odd.utc_text(), "2027-03-01 12:00:05 UTC");
        assert_eq!(Timestamp::parse_utc_input("2027-03-01T12:00"), Ok(noon));
        assert_eq!(Timestamp::parse_utc_input(&odd.input_value()), Ok(odd));
        assert!(Timestamp::parse_utc_input("2027-03-01T12:00Z").is_err());
        assert!(Timestamp::parse_utc_input("").is_err());
        assert_eq!(serde_json::to_string(&noon).unwrap(), "\"2027-03-01T12:00:00Z\"");
        assert!(serde_json::from_str::<Timestamp>("\"soon\"").unwrap_err().to_string().contains("RFC 3339"));
    }

    #[test]
    fn every_day_of_four_centuries_follows_the_one_before() {
        let mut previous = civil_date(-1);
        for days in 0..146_097 {
            let (year, month, day) = civil_date(days);
            let next_day = (year, month, day) == (previous.0, previous.1, previous.2 + 1);
            let next_month = day == 1 && (year, month) == (previous.0, previous.1 + 1);
            let next_year = (month, day) == (1, 1) && year == previous.0 + 1 && previous.1 == 12;
            assert!(next_day || next_month || next_year, "{previous:?} then {:?}", (year, month, day));
            previous = (year, month, day);
        }
    }

    proptest! {
        #[test]
        fn every_moment_is_written_and_read_back(secs in 0..=LAST) {
            let moment = Timestamp::from_unix(secs).unwrap();
            prop_assert_eq!(Timestamp::parse(&moment.to_string()), Ok(moment));
            prop_assert_eq!(Timestamp::parse_utc_input(&moment.input_value()), Ok(moment));
        }

        #[test]
        fn days_and_dates_convert_both_ways(days in -1_000_000i64..3_000_000) {
            let (year, month, day) = civil_date(days);
            prop_assert_eq!(days_from_civil(year, i64::from(month), i64::from(day)), days);
        }
    }
}
