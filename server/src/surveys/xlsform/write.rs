//! A survey written as an XLSForm that pyxform converts without a warning, and that
//! [`super::read`] reads back into the same definition. Nansen's own things with no
//! XLSForm column (bins, units, a scale's end labels, exclusive options, the settings
//! and cross-tabulations) go in columns pyxform passes over; docs/XLSFORM.md lists them.

use std::collections::{BTreeMap, HashMap};

use nansen_shared::countries::CODES;
use nansen_shared::{LanguageTag, Localized, OptionCode, Question, QuestionId, QuestionKind, Survey};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::columns::{CHOICES, COUNTRY_LIST, Header, SETTINGS, SURVEY, language_label};
use super::expr;
use crate::web::countries;

/// `survey` as an `.xlsx` XLSForm.
pub fn write(survey: &Survey) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    for sheet in [survey_sheet(survey), choices_sheet(survey), settings_sheet(survey)] {
        sheet.write(workbook.add_worksheet(), &header)?;
    }
    workbook.save_to_buffer()
}

/// A sheet being written: headers as they come, rows of cells by column.
struct Sheet {
    name: &'static str,
    headers: Vec<String>,
    rows: Vec<BTreeMap<usize, String>>,
}

impl Sheet {
    fn new(name: &'static str, headers: &[&str]) -> Self {
        Self { name, headers: headers.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    /// The column `header`, added at the end the first time.
    fn column(&mut self, header: &str) -> usize {
        match self.headers.iter().position(|h| h == header) {
            Some(index) => index,
            None => {
                self.headers.push(header.to_owned());
                self.headers.len() - 1
            }
        }
    }

    /// Adds one column per language for `name` (`label::English (en)`, …).
    fn text_columns(&mut self, name: &str, languages: &[LanguageTag]) {
        for language in languages {
            self.column(&Header::format(name, language));
        }
    }

    fn row(&mut self) -> Row<'_> {
        self.rows.push(BTreeMap::new());
        Row { sheet: self }
    }

    fn write(&self, worksheet: &mut Worksheet, header: &Format) -> Result<(), XlsxError> {
        worksheet.set_name(self.name)?;
        for (column, text) in self.headers.iter().enumerate() {
            let column = u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)?;
            worksheet.write_string_with_format(0, column, text, header)?;
            worksheet.set_column_width(column, if text.contains("::") { 40 } else { 16 })?;
        }
        for (index, cells) in self.rows.iter().enumerate() {
            let row = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (column, text) in cells {
                let column = u16::try_from(*column).map_err(|_| XlsxError::RowColumnLimitError)?;
                worksheet.write_string(row, column, text)?;
            }
        }
        worksheet.set_freeze_panes(1, 0)?;
        Ok(())
    }
}

/// The row being written.
struct Row<'a> {
    sheet: &'a mut Sheet,
}

impl Row<'_> {
    fn set(&mut self, header: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        if !value.is_empty() {
            let column = self.sheet.column(header);
            if let Some(row) = self.sheet.rows.last_mut() {
                row.insert(column, value);
            }
        }
        self
    }

    /// `text` in its languages' columns of `name`.
    fn text(&mut self, name: &str, text: &Localized, languages: &[LanguageTag]) -> &mut Self {
        for language in languages {
            if let Some(value) = text.0.get(language) {
                self.set(&Header::format(name, language), value.clone());
            }
        }
        self
    }
}

/// The list of a question's options: named after the question (ids are valid list
/// names and unique), unless that would be the name of the country list.
fn options_list(question: &Question) -> String {
    match question.id.as_str() {
        COUNTRY_LIST => "options-countries".to_owned(),
        id => id.to_owned(),
    }
}

/// A number question's bins, as a list; a dash keeps it apart from every question id.
fn bins_list(question: &Question) -> String {
    format!("bins-{}", question.id)
}

/// The countries a country question offers: the whole list, or one of its own.
fn countries_list(question: &Question) -> String {
    match &question.kind {
        QuestionKind::Country { allowed: Some(_) } => format!("{COUNTRY_LIST}-{}", question.id),
        _ => COUNTRY_LIST.to_owned(),
    }
}

fn survey_sheet(survey: &Survey) -> Sheet {
    let languages = &survey.languages;
    let mut sheet = Sheet::new(SURVEY, &["type", "name"]);
    sheet.text_columns("label", languages);
    // pyxform warns when a language lacks a column the others have: all or none.
    if survey.questions.iter().any(|q| !q.help.is_empty()) {
        sheet.text_columns("hint", languages);
    }
    for header in ["required", "relevant", "constraint", "appearance"] {
        sheet.column(header);
    }
    if !survey.intro.is_empty() {
        let name = unused_name(survey, "intro");
        sheet.row().set("type", "note").set("name", name).text("label", &survey.intro, languages);
    }
    let names = GridRowNames::of(survey);
    for (index, question) in survey.questions.iter().enumerate() {
        let earlier = |id: &str| survey.questions[..index].iter().find(|q| q.id.as_str() == id);
        let relevant = question
            .show_if
            .as_ref()
            .map(|show_if| {
                let field = match &show_if.row {
                    Some(row) => names.name(&show_if.question, row),
                    None => show_if.question.as_str().to_owned(),
                };
                expr::format_relevant(earlier(show_if.question.as_str()), show_if, &field)
            })
            .unwrap_or_default();
        let required = if question.required { "yes" } else { "" };
        let mut row = sheet.row();
        row.set("name", question.id.as_str())
            .text("label", &question.prompt, languages)
            .text("hint", &question.help, languages)
            .set("relevant", relevant);
        if !matches!(question.kind, QuestionKind::Grid { .. }) {
            row.set("required", required);
        }
        match &question.kind {
            QuestionKind::Single { .. } => {
                row.set("type", format!("select_one {}", options_list(question)));
            }
            QuestionKind::Multi { max_choices, .. } => {
                row.set("type", format!("select_multiple {}", options_list(question)))
                    .set("constraint", max_choices.map(expr::format_max_choices).unwrap_or_default());
            }
            QuestionKind::Scale { min, max, min_label, max_label } => {
                row.set("type", "range")
                    .set("parameters", format!("start={min} end={max} step=1"))
                    .text("min_label", min_label, languages)
                    .text("max_label", max_label, languages);
            }
            QuestionKind::Number { min, max, bins, unit } => {
                row.set("type", "integer")
                    .set("constraint", expr::format_range(*min, *max))
                    .set("bins", if bins.is_empty() { String::new() } else { bins_list(question) })
                    .text("unit", unit, languages);
            }
            QuestionKind::Country { allowed } => {
                row.set("type", format!("select_one {}", countries_list(question)))
                    .set("appearance", if allowed.is_some() { "country" } else { "" });
            }
            QuestionKind::Ranking { max_ranked, .. } => {
                row.set("type", format!("rank {}", options_list(question)))
                    .set("nansen_max_ranked", max_ranked.map(|m| m.to_string()).unwrap_or_default());
            }
            QuestionKind::Grid { rows, .. } => {
                // A table-list group: one select_one per row, all from the grid's list.
                row.set("type", "begin_group").set("appearance", "table-list");
                let list = options_list(question);
                for grid_row in rows {
                    let name = names.name(&question.id, &grid_row.code);
                    let code = if name == grid_row.code.as_str() { "" } else { grid_row.code.as_str() };
                    sheet
                        .row()
                        .set("type", format!("select_one {list}"))
                        .set("name", name)
                        .set("nansen_row", code)
                        .text("label", &grid_row.label, languages)
                        .set("required", required);
                }
                sheet.row().set("type", "end_group");
            }
        }
    }
    sheet
}

/// The XLSForm name of each grid row. A row is named by its code, which is unique within
/// its grid only; XLSForm names are unique in the whole form, so a code that is also a
/// question's id or another grid's row code is named `{grid}_{code}` instead (the code
/// then goes in `nansen_row`).
struct GridRowNames {
    /// How many times each name would be taken by a question's id or a row's code.
    uses: HashMap<String, usize>,
}

impl GridRowNames {
    fn of(survey: &Survey) -> Self {
        let mut uses = HashMap::new();
        for name in all_names(survey) {
            *uses.entry(name).or_insert(0) += 1;
        }
        Self { uses }
    }

    fn name(&self, grid: &QuestionId, code: &OptionCode) -> String {
        if self.uses.get(code.as_str()).copied().unwrap_or(0) <= 1 {
            return code.as_str().to_owned();
        }
        // Unique: question ids and row codes within one grid are.
        format!("{grid}_{code}")
    }
}

/// Every question's id and every grid row's code, as XLSForm names would be.
fn all_names(survey: &Survey) -> impl Iterator<Item = String> + '_ {
    survey.questions.iter().flat_map(|question| {
        let rows = match &question.kind {
            QuestionKind::Grid { rows, .. } => rows.iter().map(|row| row.code.as_str().to_owned()).collect(),
            _ => Vec::new(),
        };
        std::iter::once(question.id.as_str().to_owned()).chain(rows)
    })
}

/// A name no question or grid row has, for the introduction's note.
fn unused_name(survey: &Survey, wanted: &str) -> String {
    let taken = |name: &str| all_names(survey).any(|n| n == name);
    (0..)
        .map(|n| if n == 0 { wanted.to_owned() } else { format!("{wanted}_{n}") })
        .find(|n| !taken(n))
        .unwrap_or_default()
}

fn choices_sheet(survey: &Survey) -> Sheet {
    let languages = &survey.languages;
    let mut sheet = Sheet::new(CHOICES, &["list_name", "name"]);
    sheet.text_columns("label", languages);
    let mut whole_country_list = false;
    for question in &survey.questions {
        match &question.kind {
            QuestionKind::Single { options }
            | QuestionKind::Multi { options, .. }
            | QuestionKind::Grid { options, .. } => {
                let list = options_list(question);
                for option in options {
                    sheet
                        .row()
                        .set("list_name", list.clone())
                        .set("name", option.code.as_str())
                        .text("label", &option.label, languages)
                        .set("exclusive", if option.exclusive { "yes" } else { "" });
                }
            }
            QuestionKind::Number { bins, .. } => {
                let list = bins_list(question);
                for bin in bins {
                    sheet
                        .row()
                        .set("list_name", list.clone())
                        .set("name", bin.code.as_str())
                        .text("label", &bin.label, languages)
                        .set("min", bin.min.to_string())
                        .set("max", bin.max.to_string());
                }
            }
            QuestionKind::Country { allowed: Some(allowed) } => {
                let codes: Vec<&str> = allowed.iter().map(|c| c.as_str()).collect();
                country_rows(&mut sheet, &countries_list(question), &codes, languages);
            }
            QuestionKind::Ranking { items, .. } => {
                let list = options_list(question);
                for item in items {
                    sheet.row().set("list_name", list.clone()).set("name", item.code.as_str()).text(
                        "label",
                        &item.label,
                        languages,
                    );
                }
            }
            QuestionKind::Country { allowed: None } => whole_country_list = true,
            QuestionKind::Scale { .. } => {}
        }
    }
    if whole_country_list {
        country_rows(&mut sheet, COUNTRY_LIST, &CODES, languages);
    }
    sheet
}

/// A country list: the codes, named in each of the survey's languages.
fn country_rows(sheet: &mut Sheet, list: &str, codes: &[&str], languages: &[LanguageTag]) {
    let names: Vec<(LanguageTag, BTreeMap<String, String>)> =
        languages.iter().map(|l| (l.clone(), countries::by_code(l.as_str()))).collect();
    for code in codes {
        let label = Localized(
            names.iter().filter_map(|(l, names)| Some((l.clone(), names.get(*code)?.clone()))).collect(),
        );
        sheet.row().set("list_name", list).set("name", *code).text("label", &label, languages);
    }
}

fn settings_sheet(survey: &Survey) -> Sheet {
    let mut sheet = Sheet::new(SETTINGS, &["form_id", "form_title", "default_language"]);
    let default = survey.default_language();
    let others: Vec<LanguageTag> = survey.languages.iter().skip(1).cloned().collect();
    // pyxform takes form_title in one language; the others have columns of Nansen's own.
    sheet.text_columns("nansen_title", &others);
    let settings = serde_json::to_string(&survey.settings).unwrap_or_default();
    let crosstabs: Vec<String> = survey
        .crosstabs
        .iter()
        .map(|c| format!("{}:{}", side(&c.rows, &c.rows_item), side(&c.columns, &c.columns_item)))
        .collect();
    sheet
        .row()
        .set("form_id", survey.slug.as_str())
        .set("form_title", default.and_then(|l| survey.title.0.get(l)).cloned().unwrap_or_default())
        .set("default_language", default.map(language_label).unwrap_or_default())
        .set("version", survey.version.map(|v| v.to_string()).unwrap_or_default())
        .text("nansen_title", &survey.title, &others)
        .set("nansen_settings", settings)
        .set("nansen_crosstabs", crosstabs.join("; "));
    sheet
}

/// One side of a cross-tabulation: the question, and the grid row or ranking item
/// tabulated as `question.item`.
fn side(question: &QuestionId, item: &Option<OptionCode>) -> String {
    match item {
        Some(item) => format!("{question}.{item}"),
        None => question.to_string(),
    }
}
