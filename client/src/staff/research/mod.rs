//! The research area: the published surveys, and each one's results as charts, tables
//! and downloads — with suppressed counts always shown as suppressed, never as zero.

mod chart;
mod crosstab;
mod dashboard;
mod labels;
mod list;

pub use dashboard::Dashboard;
pub use list::SurveyList;
