//! Disclosure: what may be published of a survey version's counters, and the files it
//! is published in. Every figure a reader sees passes through here.

pub mod export;
mod suppress;

use diesel::QueryResult;
use nansen_shared::SurveyResults;
pub use suppress::disclose;

use crate::storage::{Conn, counters};
use crate::surveys::catalog::Published;

/// The results of a published survey version that may be shown.
pub fn results(conn: &mut Conn, published: &Published) -> QueryResult<SurveyResults> {
    let counts = counters::load(conn, published.version_id, &published.survey)?;
    Ok(disclose(&published.survey, &counts))
}
