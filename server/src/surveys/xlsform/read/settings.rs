//! The settings sheet: the survey's address, title and default language, and Nansen's
//! own settings and cross-tabulations.

use nansen_shared::{Crosstab, Localized, OptionCode, QuestionId, Settings, Slug};

use super::languages::Languages;
use super::sheet::{RowRef, Sheet};
use super::{Errors, capitalised};
use crate::surveys::xlsform::Place;
use crate::surveys::xlsform::columns::SETTINGS;

/// What the settings sheet says of the survey as a whole.
pub(super) struct Head {
    pub slug: Slug,
    pub title: Localized,
    pub settings: Settings,
    pub crosstabs: Vec<Crosstab>,
}

pub(super) fn read_settings(sheet: &Sheet, languages: &Languages, errors: &mut Errors) -> Option<Head> {
    let Some((&number, cells)) = sheet.rows.iter().next() else {
        errors.push(Place::sheet(SETTINGS).error(
            "missing_sheet",
            "The workbook has no settings sheet with a row of settings; it needs at least form_id (the survey's \
             address, such as diaspora-2025) and form_title.",
        ));
        return None;
    };
    let row = RowRef { number, cells };
    let form_id = sheet.get(&row, "form_id");
    let slug = match Slug::parse(form_id) {
        Ok(slug) => Some(slug),
        Err(e) => {
            let suggestion: String = form_id
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let hint = if suggestion.is_empty() || suggestion == form_id {
                String::new()
            } else {
                format!(", such as {suggestion}")
            };
            errors.push(sheet.place(number, "form_id").error(
                "bad_form_id",
                format!("form_id is the survey's address (/s/{{form_id}}): {}{hint}.", e.rule),
            ));
            None
        }
    };
    let mut title = sheet.text(&row, "form_title", languages, errors);
    for (language, text) in sheet.text(&row, "nansen_title", languages, errors).0 {
        title.0.entry(language).or_insert(text);
    }
    let settings_cell = sheet.get(&row, "nansen_settings");
    let settings = if settings_cell.is_empty() {
        Settings::default()
    } else {
        serde_json::from_str(settings_cell).unwrap_or_else(|e| {
            errors.push(sheet.place(number, "nansen_settings").error(
                "bad_settings",
                format!("These settings are not the JSON of a survey's settings ({e}); see docs/XLSFORM.md."),
            ));
            Settings::default()
        })
    };
    let crosstabs = crosstabs(sheet.get(&row, "nansen_crosstabs")).unwrap_or_else(|why| {
        errors.push(sheet.place(number, "nansen_crosstabs").error("bad_crosstabs", why));
        Vec::new()
    });
    Some(Head { slug: slug?, title, settings, crosstabs })
}

/// Cross-tabulations written as `rows:columns; rows:columns`, where either side may
/// name a grid's row or a ranking's item as `question.row`.
pub fn crosstabs(text: &str) -> Result<Vec<Crosstab>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (rows, columns) = pair.split_once(':').ok_or_else(|| {
                format!("\"{pair}\" is not a pair; write rows:columns, such as left_when:return_intention.")
            })?;
            let (rows, rows_item) = side(rows)?;
            let (columns, columns_item) = side(columns)?;
            Ok(Crosstab { rows, columns, rows_item, columns_item })
        })
        .collect()
}

/// One side of a cross-tabulation: `question` or `question.item`.
fn side(text: &str) -> Result<(QuestionId, Option<OptionCode>), String> {
    let capital = |e: &dyn std::fmt::Display| format!("{}.", capitalised(&e.to_string()));
    let (question, item) = match text.trim().split_once('.') {
        Some((question, item)) => (question, Some(OptionCode::parse(item.trim()).map_err(|e| capital(&e))?)),
        None => (text.trim(), None),
    };
    Ok((QuestionId::parse(question.trim()).map_err(|e| capital(&e))?, item))
}
