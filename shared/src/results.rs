//! Aggregate results as researchers read them, and the public list of surveys.

use serde::{Deserialize, Serialize};

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

/// `GET /api/v1/surveys/{slug}/results`. A `None` count is suppressed: it lies between 1
/// and `min_cell - 1` (or would let such a count be worked out), and is not zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub slug: Slug,
    pub version: u32,
    pub respondents: Option<u64>,
    pub min_cell: u32,
    pub questions: Vec<QuestionResults>,
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
