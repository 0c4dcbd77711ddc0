//! The Nansen contract: what a survey is, what an answer is, how a set of answers is
//! judged valid, and the shapes the API speaks.
//!
//! The browser and the server both compile this crate, so a respondent sees exactly the
//! errors the server would give, and the server never has to trust the browser. It is
//! deliberately framework-agnostic: serde and small pure crates only (no actix, no
//! diesel), and it builds for `wasm32-unknown-unknown`.

pub mod admin;
pub mod answer;
pub mod countries;
pub mod estimates;
pub mod ids;
pub mod invite;
pub mod messages;
#[cfg(feature = "openapi")]
mod openapi;
pub mod pad;
pub mod problem;
pub mod results;
pub mod schedule;
pub mod staff;
pub mod survey;
pub mod text;
pub mod time;
pub mod validate;

pub use admin::{
    AdminSurvey, AdminSurveySummary, AuditEntry, AuditPage, CreatedToken, CreatedUser, NewToken, NewUser,
    PasswordReset, ReleaseStatus, Role, SurveyStatus, TokenInfo, TokenLabelError, UserInfo, token_label,
};
pub use answer::{Answer, Answers, Receipt, Submission, SubmissionKey};
pub use ids::{CountryCode, LanguageTag, OptionCode, QuestionId, Slug};
pub use messages::{MessageRef, Messages};
pub use problem::{FieldError, Problem, ProblemKind};
pub use results::{
    CrossCell, CrosstabResults, ExportFormat, MeanResult, NoiseInfo, OptionCount, PartResults,
    QuestionResults, ReleaseInfo, ReleaseSummary, ResearchSurvey, SurveyResults, SurveySummary, Weighted,
    WeightedQuestion,
};
pub use schedule::Schedule;
pub use staff::{LoginRequest, SessionInfo};
pub use survey::{
    Access, Bin, Choice, Crosstab, Item, KindName, Licence, Privacy, Question, QuestionKind, ReleaseSchedule,
    Settings, ShowIf, Survey,
};
pub use text::Localized;
pub use time::Timestamp;
pub use validate::{AnswerError, AnswerProblem, Cell, Tally, validate};
