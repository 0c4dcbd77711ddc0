//! The survey's languages: the codes in the text columns' headers (`label::Русский
//! (ru)`), the default one first.

use std::collections::{HashMap, HashSet};

use nansen_shared::LanguageTag;

use super::Errors;
use super::sheet::{RowRef, Sheet};
use crate::surveys::xlsform::columns::{CHOICES, Header, SETTINGS, SURVEY, language_code};

/// The survey's languages, from the text columns' headers and `default_language`.
pub(super) struct Languages {
    /// The language of columns that name none (`label`): the default language.
    default: Option<LanguageTag>,
    /// Each language as the headers write it (`Russian (ru)`), by code.
    written: HashMap<String, LanguageTag>,
    /// The default language first, then the others as the columns first name them.
    pub order: Vec<LanguageTag>,
}

/// The columns that hold text a respondent reads, per sheet.
const TEXT_COLUMNS: [(&str, &[&str]); 3] = [
    (SURVEY, &["label", "hint", "unit", "min_label", "max_label"]),
    (CHOICES, &["label"]),
    (SETTINGS, &["form_title", "nansen_title"]),
];

impl Languages {
    pub fn read(survey: &Sheet, choices: &Sheet, settings: &Sheet, errors: &mut Errors) -> Self {
        let mut languages = Self { default: None, written: HashMap::new(), order: Vec::new() };
        if let Some((&number, cells)) = settings.rows.iter().next() {
            let row = RowRef { number, cells };
            let written = settings.get(&row, "default_language");
            if !written.is_empty() {
                match language_code(written) {
                    Some(code) => languages.default = Some(code),
                    None => errors.push(settings.place(number, "default_language").error(
                        "bad_language",
                        format!(
                            "\"{written}\" names no language code; write it as XLSForm does, with the code in \
                             brackets, such as English (en) or Русский (ru)."
                        ),
                    )),
                }
            }
        }
        let text_headers: Vec<(&Sheet, usize, &Header)> = [survey, choices, settings]
            .into_iter()
            .flat_map(|sheet| {
                let columns =
                    TEXT_COLUMNS.iter().find(|(name, _)| *name == sheet.name).map_or(&[][..], |t| t.1);
                sheet
                    .headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| columns.contains(&h.name.as_str()))
                    .map(move |(i, h)| (sheet, i, h))
            })
            .collect();
        for (sheet, index, header) in &text_headers {
            let Some(written) = &header.language else { continue };
            match language_code(written) {
                Some(code) => {
                    languages.written.insert(written.clone(), code.clone());
                    if !languages.order.contains(&code) {
                        languages.order.push(code);
                    }
                }
                None => errors.push(sheet.place_at(1, *index).error(
                    "bad_language",
                    format!(
                        "\"{written}\" names no language code; name the column as XLSForm does, with the code in \
                         brackets: {}::{written} (en).",
                        header.name
                    ),
                )),
            }
        }
        // Without default_language, the columns that name no language are in the first
        // language the others name (a form_title beside label::English (en) columns).
        if languages.default.is_none() {
            languages.default = languages.order.first().cloned();
        }
        let mut seen: HashSet<(&str, String, LanguageTag)> = HashSet::new();
        for (sheet, index, header) in &text_headers {
            let Some(language) = languages.of(header) else {
                if header.language.is_none() {
                    errors.push(sheet.place_at(1, *index).error(
                        "unnamed_language",
                        "This column names no language, and no other column does. Name it as label::English (en) \
                         does, or set default_language in the settings sheet to its language, such as English (en).",
                    ));
                }
                continue;
            };
            if !seen.insert((sheet.name, header.name.clone(), language)) {
                errors.push(sheet.place_at(1, *index).error(
                    "duplicate_column",
                    "An earlier column holds the same text in the same language; keep one of them.",
                ));
            }
        }
        if let Some(default) = languages.default.clone() {
            languages.order.retain(|l| *l != default);
            languages.order.insert(0, default);
        }
        if languages.order.is_empty() && survey.exists {
            errors.push(survey.header_place().error(
                "no_labels",
                "The survey sheet has no label columns; add one per language, such as label::English (en).",
            ));
        }
        languages
    }

    /// The language of a text column.
    pub fn of(&self, header: &Header) -> Option<LanguageTag> {
        match &header.language {
            None => self.default.clone(),
            Some(written) => self.written.get(written).cloned(),
        }
    }
}
