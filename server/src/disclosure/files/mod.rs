//! Results files: a release, read in one language (`tables`), laid out for the tool a
//! researcher opens it with. Every file names its release, survey version, threshold
//! and noise, and their cost depends on the questions and options, never on how many
//! answered.

use nansen_shared::ExportFormat;

use crate::disclosure::export;
use crate::disclosure::tables::Tables;

mod datapackage;
pub mod ddi;
mod excel;
mod spss;
mod stata;

/// A file to download.
#[derive(Debug)]
pub struct File {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// The name's ending, after the base name (`.csv`, `-excel.csv`, `.dta`, …).
    pub ending: &'static str,
}

/// `tables` as `format` (anything but JSON, which is the results document itself).
pub fn render(format: ExportFormat, tables: &Tables<'_>) -> anyhow::Result<File> {
    const CSV: &str = "text/csv; charset=utf-8";
    Ok(match format {
        ExportFormat::Json => File {
            bytes: serde_json::to_vec(tables.results)?,
            content_type: "application/json",
            ending: ".json",
        },
        ExportFormat::Csv => {
            File { bytes: export::csv(tables)?.into_bytes(), content_type: CSV, ending: ".csv" }
        }
        ExportFormat::CsvExcel => File {
            bytes: format!("\u{feff}{}", export::csv(tables)?).into_bytes(),
            content_type: CSV,
            ending: "-excel.csv",
        },
        ExportFormat::CrosstabsCsv => File {
            bytes: export::crosstabs_csv(tables)?.into_bytes(),
            content_type: CSV,
            ending: "-crosstabs.csv",
        },
        ExportFormat::Dta => {
            File { bytes: stata::dta(tables)?, content_type: "application/x-stata-dta", ending: ".dta" }
        }
        ExportFormat::Sav => {
            File { bytes: spss::sav(tables)?, content_type: "application/x-spss-sav", ending: ".sav" }
        }
        ExportFormat::Xlsx => File {
            bytes: excel::workbook(tables)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ending: ".xlsx",
        },
        ExportFormat::Datapackage => File {
            bytes: datapackage::package(tables)?,
            content_type: "application/zip",
            ending: "-datapackage.zip",
        },
    })
}
