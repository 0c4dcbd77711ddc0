//! Aggregate results as researchers read them, and the public list of surveys.

use serde::{Deserialize, Serialize};

use crate::admin::SurveyStatus;
use crate::estimates::{Interval, Share};
use crate::ids::{LanguageTag, QuestionId, Slug};
use crate::schedule::Schedule;
use crate::text::Localized;

/// `GET /api/v1/surveys`: one survey open for answers, or scheduled to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub slug: Slug,
    pub version: u32,
    pub title: Localized,
    pub languages: Vec<LanguageTag>,
    /// `open`, or `scheduled` before its opening time.
    pub status: SurveyStatus,
    /// When it opens and closes, if at set times.
    #[serde(default, skip_serializing_if = "Schedule::is_empty")]
    pub schedule: Schedule,
}

/// `GET /api/v1/research/surveys`: a published survey, for researchers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Post-stratified estimates, when weights were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Weighted>,
}

/// What a release says about itself, in every output made from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrosstabResults {
    /// The question whose answers label the rows.
    pub rows: QuestionId,
    /// The question whose answers label the columns.
    pub columns: QuestionId,
    /// The grid row or ranking item of `rows` tabulated (then each cell's `row` is one
    /// of its cell codes, `row.option` or `item.place`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_item: Option<String>,
    /// The grid row or ranking item of `columns` tabulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns_item: Option<String>,
    pub cells: Vec<CrossCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossCell {
    pub row: String,
    pub column: String,
    pub count: Option<u64>,
}

/// The files results can be downloaded as: `GET …/results?format={name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// The results document itself.
    Json,
    /// One row per figure; withheld counts are empty fields, read as missing by R,
    /// pandas and Stata. UTF-8 without a byte order mark.
    Csv,
    /// The same CSV with a UTF-8 byte order mark, without which Excel takes the text
    /// for the local code page and garbles Cyrillic.
    CsvExcel,
    /// The declared cross-tabulations as a second tidy CSV, one row per cell.
    CrosstabsCsv,
    /// A Stata 14+ dataset (format 118): a row per question and option, a frequency
    /// weight, variable and value labels.
    Dta,
    /// An SPSS dataset, the same rows: `WEIGHT BY count` reproduces the tables.
    Sav,
    /// An Excel workbook: a sheet per question with its table, intervals and a chart;
    /// the cross-tabulations; a codebook.
    Xlsx,
    /// A Frictionless Data Package (v2) in a zip: the CSVs with Table Schemas whose
    /// fields carry their categories, and the questionnaire.
    Datapackage,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 8] = [
        Self::Json,
        Self::Csv,
        Self::CsvExcel,
        Self::CrosstabsCsv,
        Self::Dta,
        Self::Sav,
        Self::Xlsx,
        Self::Datapackage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::CsvExcel => "csv-excel",
            Self::CrosstabsCsv => "crosstabs-csv",
            Self::Dta => "dta",
            Self::Sav => "sav",
            Self::Xlsx => "xlsx",
            Self::Datapackage => "datapackage",
        }
    }

    /// What a researcher is offered: "CSV (R, pandas, Stata)".
    pub fn label(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Csv => "CSV (R, pandas, Stata)",
            Self::CsvExcel => "CSV for Excel",
            Self::CrosstabsCsv => "Cross-tabulations (CSV)",
            Self::Dta => "Stata (.dta)",
            Self::Sav => "SPSS (.sav)",
            Self::Xlsx => "Excel workbook (.xlsx)",
            Self::Datapackage => "Data package (.zip)",
        }
    }

    /// Whether the file is a CSV (the ones invite codes can be had as too).
    pub fn is_csv(self) -> bool {
        matches!(self, Self::Csv | Self::CsvExcel)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResults {
    pub id: QuestionId,
    /// How many respondents answered this question at all.
    pub answered: Option<u64>,
    pub counts: Vec<OptionCount>,
    /// For a number question: the mean of the numbers given, from their sum and sum of
    /// squares (never a minimum or a maximum); `None` when fewer than `min_cell` gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<MeanResult>,
    /// For a grid, each row; for a ranking, each item: worked out from `counts` (whose
    /// codes are `row.option` and `item.place`), never from a response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartResults>,
}

/// A grid's row or a ranking's item, as released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartResults {
    /// The row's or item's code.
    pub code: String,
    /// How many answered the row (ranked the item at all): the sum of its counts, `None`
    /// when one of them is withheld.
    pub answered: Option<u64>,
    /// A ranking item's mean place (1 is first) among those who ranked it, with its 95 %
    /// interval; `None` for a grid row, and when fewer than `min_cell` ranked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_rank: Option<MeanResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionCount {
    /// An option code, a scale point, a bin code or a country code.
    pub option: String,
    pub count: Option<u64>,
    /// The count's share of those who answered the question, with its 95 % interval
    /// (sampling and the release's noise); `None` when either count is withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
}

/// A number question's mean, as released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeanResult {
    /// How many gave a number (rather than a range), as released.
    pub n: u64,
    pub value: f64,
    /// The standard deviation of the numbers.
    pub sd: f64,
    /// The 95 % interval of the mean.
    pub ci95: Interval,
}

/// Post-stratified estimates: the shares of the questions tabulated against `by`, as if
/// the respondents were spread over `by`'s answers as the target population is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weighted {
    /// The question weighted by: the rows of a declared cross-tabulation.
    pub by: QuestionId,
    /// The target population's share of each of `by`'s answers (summing to 1).
    pub shares: Vec<(String, f64)>,
    pub questions: Vec<WeightedQuestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightedQuestion {
    pub id: QuestionId,
    /// Each answer's weighted share, `None` where a count it needs is withheld.
    pub options: Vec<(String, Option<Share>)>,
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

    /// The results of grid row or ranking item `code`.
    pub fn part(&self, code: &str) -> Option<&PartResults> {
        self.parts.iter().find(|p| p.code == code)
    }
}
