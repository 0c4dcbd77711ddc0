//! An XLSForm read into a draft survey: the settings and the languages first, then the
//! choice lists, then the survey sheet row by row. Every problem is collected, with its
//! place, and none stops the reading: the designer fixes them all in one go.
//!
//! `sheet` reads cells and says where they are, `languages` finds the survey's
//! languages in the headers, `lists` reads the choices sheet, `questions` the survey
//! sheet's rows (groups, notes, conditions) and `kinds` each kind of question's columns,
//! `settings` the settings sheet.

mod kinds;
mod languages;
mod lists;
mod questions;
mod settings;
mod sheet;

use nansen_shared::{FieldError, Survey};

use self::languages::Languages;
use self::lists::Lists;
use self::questions::SurveyReader;
use self::settings::read_settings;
use self::sheet::{RowRef, Sheet};
use super::columns::{CHOICES, SETTINGS, SURVEY};
use super::workbook::Workbook;
use super::{Place, ReadError};

/// Reads an `.xlsx` XLSForm into a draft survey, or says everything that stands in the
/// way. A panic in the spreadsheet reader on a damaged file is that file's problem, not
/// the server's: it is reported as an unreadable file.
pub fn read(bytes: &[u8]) -> Result<Survey, ReadError> {
    std::panic::catch_unwind(|| read_workbook(bytes)).unwrap_or_else(|_| {
        Err(ReadError::Unreadable("The file is damaged: it could not be read as a workbook.".to_owned()))
    })
}

fn read_workbook(bytes: &[u8]) -> Result<Survey, ReadError> {
    let mut workbook = Workbook::open(bytes)?;
    let mut errors = Errors::default();
    let survey = Sheet::new(SURVEY, workbook.sheet(SURVEY)?);
    let choices = Sheet::new(CHOICES, workbook.sheet(CHOICES)?);
    let settings = Sheet::new(SETTINGS, workbook.sheet(SETTINGS)?);
    if !survey.exists {
        errors.push(Place::sheet(SURVEY).error(
            "missing_sheet",
            "The workbook has no sheet called \"survey\"; an XLSForm lists its questions there.",
        ));
    }
    for column in ["type", "name"] {
        if survey.exists && survey.column(column).is_none() {
            errors.push(survey.header_place().error(
                "missing_column",
                format!("The survey sheet has no \"{column}\" column; every XLSForm needs one."),
            ));
        }
    }
    let languages = Languages::read(&survey, &choices, &settings, &mut errors);
    let lists = Lists::read(&choices, &languages, &mut errors);
    let mut reader = SurveyReader::new(&survey, &languages, &lists, &mut errors);
    for (&number, cells) in &survey.rows {
        reader.row(&RowRef { number, cells });
    }
    let (questions, intro) = reader.finish();
    let head = read_settings(&settings, &languages, &mut errors);
    // Without errors there is a head: reading the settings reports why there is none.
    let Some(head) = head.filter(|_| errors.0.is_empty()) else {
        return Err(ReadError::Refused(errors.0));
    };
    Ok(Survey {
        slug: head.slug,
        version: None,
        languages: languages.order,
        title: head.title,
        intro,
        questions,
        invite_key: None,
        crosstabs: head.crosstabs,
        settings: head.settings,
    })
}

/// The problems found, each once.
#[derive(Debug, Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    pub(super) fn push(&mut self, error: FieldError) {
        if !self.0.iter().any(|e| e.pointer == error.pointer && e.code == error.code) {
            self.0.push(error);
        }
    }
}

/// `s` as the start of a sentence.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
