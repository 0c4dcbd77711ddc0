//! When a survey takes answers: from its opening time (or from publication) until its
//! closing time (or until an admin closes it). Given when a survey is published, or
//! changed later (`PUT /api/v1/admin/surveys/{slug}/schedule`). Opening needs nobody to
//! act: until then the survey is `scheduled` and refuses answers. At the closing time
//! the server closes it and makes its final release.
//!
//! These are times of the survey, set by staff; nothing here is about respondents.

use serde::{Deserialize, Serialize};

use crate::admin::SurveyStatus;
use crate::problem::FieldError;
use crate::time::Timestamp;

/// A survey's opening and closing times, as the admin API takes and gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// When answers are first taken; `None`: from publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<Timestamp>,
    /// When the server closes the survey and makes its final release; `None`: when an
    /// admin closes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<Timestamp>,
}

/// The codes of what [`Schedule::check`] refuses.
pub const ALREADY_OPEN: &str = "already_open";
pub const NOT_IN_FUTURE: &str = "not_in_future";
pub const CLOSES_BEFORE_OPENING: &str = "closes_before_opening";

impl Schedule {
    pub fn is_empty(&self) -> bool {
        self.opens_at.is_none() && self.closes_at.is_none()
    }

    /// Where a survey stored as `stored` (draft, open or closed) stands at `now`
    /// (seconds since the epoch): an open survey is `scheduled` before its opening time
    /// and `closed` from its closing time, whether or not the server has closed it yet.
    pub fn status_at(&self, stored: SurveyStatus, now: i64) -> SurveyStatus {
        match stored {
            SurveyStatus::Open if self.closes_at.is_some_and(|at| at.unix() <= now) => SurveyStatus::Closed,
            SurveyStatus::Open if self.opens_at.is_some_and(|at| at.unix() > now) => SurveyStatus::Scheduled,
            other => other,
        }
    }

    /// Whether this schedule may be given at `now` to a survey that is taking answers
    /// (`taking_answers`) or is not (a draft, a closed survey, a scheduled one): both
    /// times in the future, the closing after the opening, and no opening time for a
    /// survey already open. Pointers name the fields of the request body.
    pub fn check(&self, now: i64, taking_answers: bool) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error = |field: &str, code: &str, detail: String| {
            errors.push(FieldError { pointer: format!("#/{field}"), code: code.to_owned(), detail });
        };
        if let Some(opens) = self.opens_at {
            if taking_answers {
                error(
                    "opens_at",
                    ALREADY_OPEN,
                    "The survey is taking answers already, so it cannot be given an opening time: leave out `opens_at` (or close the survey and publish it again).".to_owned(),
                );
            } else if opens.unix() <= now {
                error(
                    "opens_at",
                    NOT_IN_FUTURE,
                    format!(
                        "The opening time {} has passed: give a later one, or leave out `opens_at` to open the survey at once.",
                        opens.utc_text()
                    ),
                );
            }
        }
        if let Some(closes) = self.closes_at {
            if closes.unix() <= now {
                error(
                    "closes_at",
                    NOT_IN_FUTURE,
                    format!(
                        "The closing time {} has passed: give a later one, or leave out `closes_at` to close the survey by hand.",
                        closes.utc_text()
                    ),
                );
            } else if let Some(opens) = self.opens_at.filter(|opens| closes <= *opens) {
                error(
                    "closes_at",
                    CLOSES_BEFORE_OPENING,
                    format!(
                        "The closing time {} is not after the opening time {}: a survey must open before it closes.",
                        closes.utc_text(),
                        opens.utc_text()
                    ),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_220_000; // 2026-12-02T14:00:00Z

    fn schedule(opens: Option<i64>, closes: Option<i64>) -> Schedule {
        Schedule {
            opens_at: opens.map(|s| Timestamp::from_unix(NOW + s).unwrap()),
            closes_at: closes.map(|s| Timestamp::from_unix(NOW + s).unwrap()),
        }
    }

    fn codes(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.pointer, e.code)).collect()
    }

    fn code(pointer: &str, code: &str) -> (String, String) {
        (pointer.to_owned(), code.to_owned())
    }

    #[test]
    fn times_ahead_in_order_are_accepted() {
        assert_eq!(schedule(Some(1), Some(2)).check(NOW, false), Ok(()));
        assert_eq!(schedule(None, Some(1)).check(NOW, true), Ok(()));
        assert_eq!(schedule(Some(60), None).check(NOW, false), Ok(()));
        assert_eq!(Schedule::default().check(NOW, true), Ok(()));
    }

    #[test]
    fn past_times_reversed_times_and_reopening_an_open_survey_are_refused() {
        assert_eq!(codes(schedule(Some(0), None).check(NOW, false)), [code("#/opens_at", NOT_IN_FUTURE)]);
        assert_eq!(codes(schedule(None, Some(-5)).check(NOW, true)), [code("#/closes_at", NOT_IN_FUTURE)]);
        assert_eq!(
            codes(schedule(Some(60), Some(60)).check(NOW, false)),
            [code("#/closes_at", CLOSES_BEFORE_OPENING)]
        );
        assert_eq!(
            codes(schedule(Some(60), Some(30)).check(NOW, true)),
            [code("#/opens_at", ALREADY_OPEN), code("#/closes_at", CLOSES_BEFORE_OPENING)]
        );
        let both_past = schedule(Some(-60), Some(-30)).check(NOW, false).unwrap_err();
        assert_eq!(both_past.len(), 2);
        assert!(both_past[0].detail.contains("2026-12-02 13:59 UTC"), "{}", both_past[0].detail);
    }

    #[test]
    fn an_open_survey_is_scheduled_before_its_opening_and_closed_from_its_closing() {
        let window = schedule(Some(10), Some(20));
        assert_eq!(window.status_at(SurveyStatus::Open, NOW), SurveyStatus::Scheduled);
        assert_eq!(window.status_at(SurveyStatus::Open, NOW + 10), SurveyStatus::Open);
        assert_eq!(window.status_at(SurveyStatus::Open, NOW + 19), SurveyStatus::Open);
        assert_eq!(window.status_at(SurveyStatus::Open, NOW + 20), SurveyStatus::Closed);
        assert_eq!(window.status_at(SurveyStatus::Closed, NOW + 15), SurveyStatus::Closed);
        assert_eq!(window.status_at(SurveyStatus::Draft, NOW), SurveyStatus::Draft);
        assert_eq!(Schedule::default().status_at(SurveyStatus::Open, NOW), SurveyStatus::Open);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let typo = serde_json::from_str::<Schedule>(r#"{"open_at": "2027-03-01T12:00:00Z"}"#);
        assert!(typo.unwrap_err().to_string().contains("unknown field `open_at`"));
        let parsed: Schedule = serde_json::from_str(r#"{"closes_at": "2027-03-01T15:00:00+03:00"}"#).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), r#"{"closes_at":"2027-03-01T12:00:00Z"}"#);
    }
}
