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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// `POST /api/v1/admin/users`. Without a password the server generates one (about
/// 120 random bits) and answers it once: admins need not make one up, and cannot make
/// up a weak one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    pub role: Role,
}

/// `GET /api/v1/admin/users`: one account (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub username: String,
    pub role: Role,
    /// Unix seconds.
    pub created_at: i64,
    /// The last successful login, in Unix seconds; `None` before the first.
    #[serde(default)]
    pub last_login_at: Option<i64>,
}

/// `POST /api/v1/admin/users` (201): the account, and its password if the server
/// generated it, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `POST /api/v1/admin/users/{name}/password`: the account's new generated password,
/// shown this once. Its sessions have ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub username: String,
    pub password: String,
}

/// The longest label of an API token, in characters.
pub const TOKEN_LABEL_MAX: usize = 80;

/// Why a token's label is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenLabelError {
    #[error("A token's label may be at most {} characters long.", TOKEN_LABEL_MAX)]
    TooLong,
    #[error("A token's label is one line of text, without control characters.")]
    ControlCharacter,
}

/// A token's label as it is kept: without surrounding spaces, at most
/// [`TOKEN_LABEL_MAX`] characters, one line of printable text (it is shown in tables and
/// in the audit log). Empty is allowed.
pub fn token_label(label: &str) -> Result<&str, TokenLabelError> {
    let label = label.trim();
    if label.chars().count() > TOKEN_LABEL_MAX {
        return Err(TokenLabelError::TooLong);
    }
    if label.chars().any(char::is_control) {
        return Err(TokenLabelError::ControlCharacter);
    }
    Ok(label)
}

/// `POST /api/v1/admin/tokens`: a read-only API token for an account, with a label
/// saying what it is for ("R scripts on the lab laptop").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    pub username: String,
    #[serde(default)]
    pub label: String,
}

/// `GET /api/v1/admin/tokens`: one API token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    /// The account it acts for.
    pub username: String,
    #[serde(default)]
    pub label: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The hour it was last used in (Unix seconds, a multiple of 3600); `None` if never.
    #[serde(default)]
    pub last_used_at: Option<i64>,
}

/// `POST /api/v1/admin/tokens` (201): the new token, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    pub token: String,
}

/// `GET /api/v1/admin/audit`: one staff action. Nothing about respondents is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Increasing: a later action has a larger id.
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
}

/// `GET /api/v1/admin/audit`: a page of the log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Where the next (older) page starts: pass it as `?before=`; `None` on the last page.
    pub next_before: Option<i64>,
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

    #[test]
    fn a_password_or_token_shown_once_sits_beside_the_fields_of_its_listing() {
        let user =
            UserInfo { username: "vera".into(), role: Role::Researcher, created_at: 7, last_login_at: None };
        let created = CreatedUser { user, password: None };
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            serde_json::json!({"username": "vera", "role": "researcher", "created_at": 7, "last_login_at": null})
        );
        let info = TokenInfo {
            id: 3,
            username: "vera".into(),
            label: "R".into(),
            created_at: 7,
            last_used_at: None,
        };
        let token = CreatedToken { info, token: "nansen_x".into() };
        let json = serde_json::to_value(&token).unwrap();
        assert_eq!(json["token"], "nansen_x");
        assert_eq!(json["id"], 3);
        assert_eq!(serde_json::from_value::<CreatedToken>(json).unwrap(), token);
        // Older clients send no label, and no password.
        let new: NewToken = serde_json::from_str(r#"{"username": "vera"}"#).unwrap();
        assert_eq!(new.label, "");
        let new: NewUser = serde_json::from_str(r#"{"username": "vera", "role": "admin"}"#).unwrap();
        assert_eq!(new.password, None);
    }

    #[test]
    fn token_labels_are_one_short_line() {
        assert_eq!(token_label("  R scripts, lab laptop "), Ok("R scripts, lab laptop"));
        assert_eq!(token_label(""), Ok(""));
        assert_eq!(token_label(&"я".repeat(TOKEN_LABEL_MAX)).map(str::len), Ok(2 * TOKEN_LABEL_MAX));
        assert_eq!(token_label(&"я".repeat(TOKEN_LABEL_MAX + 1)), Err(TokenLabelError::TooLong));
        assert_eq!(token_label("two\nlines"), Err(TokenLabelError::ControlCharacter));
        assert_eq!(token_label("bell\u{7}"), Err(TokenLabelError::ControlCharacter));
    }
}
