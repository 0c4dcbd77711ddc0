//! The default survey, published on first start so that a new server has something to
//! answer. Its definition lives in `surveys/diaspora.json`.

use nansen_shared::Survey;

use crate::storage::Conn;
use crate::surveys::lifecycle;

const DEFAULT_SURVEY: &str = include_str!("../../../surveys/diaspora.json");

/// The default survey's definition, checked.
pub fn default_survey() -> anyhow::Result<Survey> {
    let survey: Survey = serde_json::from_str(DEFAULT_SURVEY)?;
    survey.check().map_err(|errors| anyhow::anyhow!("the default survey is invalid: {errors:?}"))?;
    Ok(survey)
}

/// Publishes the default survey when there is no survey at all. Returns whether it did.
pub fn seed(conn: &mut Conn) -> anyhow::Result<bool> {
    if lifecycle::count(conn)? > 0 {
        return Ok(false);
    }
    let survey = default_survey()?;
    lifecycle::create(conn, &survey)?;
    lifecycle::publish(conn, survey.slug.as_str(), None, crate::storage::now())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_survey_is_valid_and_bilingual_at_least() {
        let survey = default_survey().unwrap();
        assert_eq!(survey.slug.as_str(), "diaspora");
        let languages: Vec<&str> = survey.languages.iter().map(|l| l.as_str()).collect();
        assert!(languages.starts_with(&["en", "ru"]), "{languages:?}");
        let conditional = survey.question("return_conditions").unwrap().1;
        assert!(conditional.show_if.is_some());
    }
}
