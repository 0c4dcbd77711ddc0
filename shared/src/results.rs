//! Aggregate results as researchers read them, and the public list of surveys.

use serde::{Deserialize, Serialize};

use crate::admin::SurveyStatus;
use crate::ids::{LanguageTag, QuestionId, Slug};
use crate::text::Localized;

/// `GET /api/v1/surveys`: one open survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub slug: Slug,
    pub version: u32,
    pub title: Localized,
    pub languages: Vec<LanguageTag>,
}

/// `GET /api/v1/research/surveys`: a published survey, for researchers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResearchSurvey {
    pub slug: Slug,
    pub title: Localized,
    pub languages: Vec<LanguageTag>,
    pub status: SurveyStatus,
    pub current_version: u32,
    /// Every published version, oldest first.
    pub versions: Vec<u32>,
}

/// `GET /api/v1/surveys/{slug}/results`: a release. A `None` count is suppressed: it
/// lies between 1 and `min_cell - 1` (or would let such a count be worked out), or,
/// with noise, its noisy value does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub slug: Slug,
    pub version: u32,
    pub respondents: Option<u64>,
    pub min_cell: u32,
    pub questions: Vec<QuestionResults>,
    /// The cross-tabulations declared in the definition.
    #[serde(default)]
    pub crosstabs: Vec<CrosstabResults>,
    /// Which release these results are, and how they were protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseInfo>,
}

/// What a release says about itself, in every output made from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseInfo {
    /// Releases of a survey are numbered 1, 2, 3, … across its versions.
    pub number: u32,
    /// When it was made, to the hour: seconds since the Unix epoch, UTC.
    pub made_at: i64,
    /// Made when the survey closed: its last.
    pub closing: bool,
    /// The noise its counts carry; `None` when an admin turned noise off and the counts
    /// are exact (suppressed below `min_cell` all the same).
    pub noise: Option<NoiseInfo>,
}

/// The differential privacy of a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoiseInfo {
    /// `"discrete_gaussian"`: integer noise, zero-concentrated differential privacy.
    pub mechanism: String,
    /// The standard deviation of the noise on every count.
    pub sd: f64,
    /// 95 % of counts are within this of their true value.
    pub error95: u64,
    /// The privacy budget (ρ) this release spent, all releases so far together, and the
    /// survey's whole budget.
    pub rho: f64,
    pub rho_spent: f64,
    pub rho_budget: f64,
}

/// `GET /api/v1/surveys/{slug}/releases`: one release, listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseSummary {
    pub number: u32,
    pub version: u32,
    /// To the hour, seconds since the Unix epoch, UTC.
    pub made_at: i64,
    /// The released (noisy, suppressed) respondent total.
    pub respondents: Option<u64>,
    pub closing: bool,
    /// Whether its counts carry noise.
    pub noise: bool,
}

/// Joint counts of two questions: how many respondents gave each pair of answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosstabResults {
    /// The question whose answers label the rows.
    pub rows: QuestionId,
    /// The question whose answers label the columns.
    pub columns: QuestionId,
    pub cells: Vec<CrossCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossCell {
    pub row: String,
    pub column: String,
    pub count: Option<u64>,
}

/// The files results can be downloaded as: `GET …/results?format={name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// The results document itself.
    Json,
    /// One row per count; suppressed counts are empty fields, read as missing by R,
    /// pandas and Stata. UTF-8 without a byte order mark.
    Csv,
    /// The same CSV with a UTF-8 byte order mark, without which Excel takes the text
    /// for the local code page and garbles Cyrillic.
    CsvExcel,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Json, ExportFormat::Csv, ExportFormat::CsvExcel];

    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::CsvExcel => "csv-excel",
        }
    }

    /// What a researcher is offered: "CSV (R, pandas, Stata)".
    pub fn label(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Csv => "CSV (R, pandas, Stata)",
            Self::CsvExcel => "CSV for Excel",
        }
    }

    /// Whether the file is CSV (with or without the byte order mark).
    pub fn is_csv(self) -> bool {
        matches!(self, Self::Csv | Self::CsvExcel)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResults {
    pub id: QuestionId,
    /// How many respondents answered this question at all.
    pub answered: Option<u64>,
    pub counts: Vec<OptionCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCount {
    /// An option code, a scale point, a bin code or a country code.
    pub option: String,
    pub count: Option<u64>,
}

impl SurveyResults {
    pub fn question(&self, id: &str) -> Option<&QuestionResults> {
        self.questions.iter().find(|q| q.id.as_str() == id)
    }
}

impl QuestionResults {
    /// The count of `option`: `None` when absent, `Some(None)` when suppressed.
    pub fn count(&self, option: &str) -> Option<Option<u64>> {
        self.counts.iter().find(|c| c.option == option).map(|c| c.count)
    }
}
