//! The research area: the published surveys, and each one's releases as a paper would
//! print them — shares with their 95 % intervals (drawn as error bars), means, weighted
//! shares — with downloads in every format; suppressed counts always shown as
//! suppressed, never as zero, and the noise a release carries stated in words.

mod chart;
mod crosstab;
mod dashboard;
mod figures;
mod labels;
mod list;
mod release;
mod weights;

pub use dashboard::Dashboard;
pub use list::{SurveyList, status_name};
