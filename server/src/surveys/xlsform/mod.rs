//! Survey definitions as XLSForms, the spreadsheets ODK and KoboToolbox designers write:
//! [`read`] turns an `.xlsx` file into a draft [`Survey`], [`write`] turns a survey into
//! one. Both are pure functions of bytes and definitions, shared by the API, the command
//! line and the tests; docs/XLSFORM.md describes the mapping for people.
//!
//! What cannot be carried (free text, dates, locations, media, calculations, repeats,
//! expressions other than simple conditions) is refused with every problem at once,
//! each naming its sheet, row and column.

mod columns;
mod expr;
mod read;
mod workbook;
mod write;

use nansen_shared::FieldError;

pub use read::read;
pub use write::write;

/// The media type of `.xlsx` files.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The largest XLSForm accepted, as sent. A questionnaire of 300 questions in four
/// languages with the full country list is about 60 KiB; Kobo's exports carry styles.
pub const MAX_XLSFORM_BYTES: usize = 2 * 1024 * 1024;

/// Why an XLSForm was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not an `.xlsx` file at all (an old `.xls`, a CSV, an OpenDocument sheet…).
    NotXlsx(String),
    /// An `.xlsx` file that cannot be opened: damaged, encrypted, cut off.
    Unreadable(String),
    /// A workbook too large to be a questionnaire (or a zip bomb).
    TooLarge(String),
    /// A workbook read, with things in it that cannot be carried: every one of them.
    Refused(Vec<FieldError>),
}

impl ReadError {
    /// The sentence for a person, for the command line and the problem's `detail`.
    pub fn describe(&self) -> String {
        match self {
            Self::NotXlsx(why) | Self::Unreadable(why) | Self::TooLarge(why) => why.clone(),
            Self::Refused(errors) => {
                let problems = if errors.len() == 1 {
                    "1 problem".to_owned()
                } else {
                    format!("{} problems", errors.len())
                };
                format!(
                    "The XLSForm cannot be imported as it is: {problems} to fix, each listed with its sheet, its row \
                     (as Excel numbers rows) and its column."
                )
            }
        }
    }
}

/// Where in the workbook something is wrong: a sheet, and (1-based, as Excel numbers
/// rows, the header being row 1) a row and a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub sheet: &'static str,
    pub row: Option<u32>,
    /// The column's header and its position (0 for A; none when the sheet lacks it).
    pub column: Option<(String, Option<usize>)>,
}

impl Place {
    pub fn sheet(sheet: &'static str) -> Self {
        Self { sheet, row: None, column: None }
    }

    /// The error there: a pointer of the form `#/survey/7/relevant` (sheet, Excel's row
    /// number, column header), and a detail that says the same in words.
    pub fn error(&self, code: &str, detail: impl Into<String>) -> FieldError {
        let mut pointer = format!("#/{}", self.sheet);
        let mut place = format!("Sheet \"{}\"", self.sheet);
        if let Some(row) = self.row {
            pointer.push_str(&format!("/{row}"));
            place.push_str(&format!(", row {row}"));
        }
        if let Some((header, index)) = &self.column {
            // RFC 6901 escapes, for headers such as `label::English (en)` with a slash.
            pointer.push('/');
            pointer.push_str(&header.replace('~', "~0").replace('/', "~1"));
            let letters = index.map_or_else(|| "not in the sheet yet".to_owned(), column_letters);
            place.push_str(&format!(", column \"{header}\" ({letters})"));
        }
        FieldError { pointer, code: code.to_owned(), detail: format!("{place}: {}", detail.into()) }
    }
}

/// A column's letters as Excel shows them: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests;
