//! Bodies of the admin API: surveys through their lifecycle, staff accounts, the audit
//! log.

use serde::{Deserialize, Serialize};

use crate::ids::{LanguageTag, Slug};
use crate::problem::FieldError;
use crate::schedule::Schedule;
use crate::survey::Survey;
use crate::text::Localized;

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Never published: only admins see it.
    Draft,
    /// Published, and taking answers from its opening time (never stored: a survey
    /// stored as open is scheduled until then, see `Schedule::status_at`).
    Scheduled,
    /// Published and taking answers.
    Open,
    /// Published, no longer taking answers; results stay.
    Closed,
}

impl SurveyStatus {
    pub const ALL: [SurveyStatus; 4] = [Self::Draft, Self::Scheduled, Self::Open, Self::Closed];

    /// The name in the API and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// `GET /api/v1/admin/surveys`: one survey of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSurveySummary {
    pub slug: Slug,
    pub status: SurveyStatus,
    /// The version respondents answer now, if published.
    pub current_version: Option<u32>,
    /// Whether there are unpublished changes.
    pub has_draft: bool,
    pub title: Localized,
    pub languages: Vec<LanguageTag>,
    /// When it opens and closes, if at set times (empty for a draft or a closed survey).
    #[serde(default, skip_serializing_if = "Schedule::is_empty")]
    pub schedule: Schedule,
}

/// `GET`/`PUT /api/v1/admin/surveys/{slug}` and the lifecycle actions: a survey with the
/// definition being edited (the draft, or else the current version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSurvey {
    pub status: SurveyStatus,
    pub current_version: Option<u32>,
    /// Whether `definition` is an unpublished draft (else it is the current version).
    pub is_draft: bool,
    pub definition: Survey,
    /// What would stop the definition from being published, if anything.
    #[serde(default)]
    pub problems: Vec<FieldError>,
    /// Where its releases stand (none before the first publication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub releases: Option<ReleaseStatus>,
    /// When it opens and closes, if at set times (empty for a draft or a closed survey).
    #[serde(default, skip_serializing_if = "Schedule::is_empty")]
    pub schedule: Schedule,
}

/// Where a survey's releases stand, as admins see it: nobody reads live counts, so an
/// admin learns only whether enough new answers came for another release, never how
/// many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseStatus {
    /// Releases made so far.
    pub made: u32,
    /// When the last was made, to the hour (seconds since the Unix epoch, UTC).
    pub last_made_at: Option<i64>,
    /// The new respondents a release needs, and whether at least that many answered
    /// since the last one (of the current version).
    pub min_new: u32,
    pub enough_new: bool,
    /// When the schedule next makes a release, if enough new answers have come by then.
    pub next_scheduled_at: Option<i64>,
    /// The privacy budget spent so far and the survey's whole budget (ρ); how many more
    /// releases it allows, the closing one included (`None`: no noise, no limit).
    pub rho_spent: f64,
    pub rho_budget: f64,
    pub releases_left: Option<u32>,
    /// Whether releases carry noise.
    pub noise: bool,
}

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Designs surveys, publishes and closes them, manages accounts.
    Admin,
    /// Reads results and downloads exports.
    Researcher,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Researcher => "researcher",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "researcher" => Some(Self::Researcher),
            _ => None,
        }
    }
}

/// `POST /api/v1/admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
}

/// `GET /api/v1/admin/users`: one account (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub username: String,
    pub role: Role,
    /// Unix seconds.
    pub created_at: i64,
}

/// `GET /api/v1/admin/audit`: one staff action. Nothing about respondents is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_are_the_json_names() {
        for status in SurveyStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
            assert_eq!(SurveyStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(SurveyStatus::parse("Open"), None);
    }
}
