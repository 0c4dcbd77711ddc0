//! The research area: the published surveys, and each one's releases as charts, tables
//! and downloads — with suppressed counts always shown as suppressed, never as zero, and
//! the noise a release carries stated in words and drawn as error bars.

mod chart;
mod crosstab;
mod dashboard;
mod labels;
mod list;
mod release;

pub use dashboard::Dashboard;
pub use list::{SurveyList, status_name};
