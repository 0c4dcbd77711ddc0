//! Opening an uploaded workbook without trusting it: its parts are unpacked once, with a
//! cap, before calamine reads them (a few kilobytes of zip can unpack to gigabytes), and
//! sheets are read cell by cell, never as one rectangle (a single cell at XFD1048576
//! would make calamine's `Range` seventeen billion cells).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::ReadError;

/// The most all of a workbook's parts may unpack to. A large questionnaire's sheets and
/// shared strings are a few hundred kilobytes.
pub const MAX_UNPACKED: u64 = 16 * 1024 * 1024;
/// The most parts (files inside the zip) a workbook may have.
const MAX_PARTS: usize = 1000;
/// The most rows a sheet may use (the header included), and the most columns.
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 500;

/// A sheet as text: its header row, and every later row that has anything in it.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// Rows by Excel's row number (the header is row 1), each cell as text (empty when
    /// blank), as long as the header or longer.
    pub rows: BTreeMap<u32, Vec<String>>,
}

/// A workbook opened for reading its sheets.
pub struct Workbook {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    names: Vec<String>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook").field("sheets", &self.names).finish_non_exhaustive()
    }
}

impl Workbook {
    /// Opens `bytes` as an `.xlsx` workbook.
    pub fn open(bytes: &[u8]) -> Result<Self, ReadError> {
        sniff(bytes)?;
        check_unpacked_size(bytes)?;
        let xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| {
            ReadError::Unreadable(format!("The file is not a workbook Nansen can read ({e})."))
        })?;
        let names = xlsx.sheet_names();
        Ok(Self { xlsx, names })
    }

    /// The sheet called `name` (case and surrounding spaces do not matter), if any.
    pub fn sheet(&mut self, name: &str) -> Result<Option<Table>, ReadError> {
        let Some(actual) = self.names.iter().find(|n| n.trim().eq_ignore_ascii_case(name)).cloned() else {
            return Ok(None);
        };
        let unreadable = |e: calamine::XlsxError| {
            ReadError::Unreadable(format!("The sheet \"{actual}\" cannot be read ({e})."))
        };
        let mut cells = self.xlsx.worksheet_cells_reader(&actual).map_err(unreadable)?;
        let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        while let Some(cell) = cells.next_cell().map_err(unreadable)? {
            let (row, column) = cell.get_position();
            let text = text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            if row >= MAX_ROWS || column >= MAX_COLUMNS {
                return Err(ReadError::TooLarge(format!(
                    "The sheet \"{actual}\" uses cells beyond row {MAX_ROWS} or column {} ({}); a questionnaire \
                     needs far fewer. Delete what is outside the questionnaire and try again.",
                    super::column_letters(MAX_COLUMNS as usize - 1),
                    cell_name(row, column),
                )));
            }
            grid.entry(row).or_default().insert(column, text);
        }
        Ok(Some(table(grid)))
    }
}

/// The sheet as a header and rows, from its cells by row and column (0-based).
fn table(grid: BTreeMap<u32, BTreeMap<u32, String>>) -> Table {
    let width =
        grid.values().filter_map(|row| row.keys().next_back()).max().map_or(0, |last| *last as usize + 1);
    let mut rows: BTreeMap<u32, Vec<String>> = grid
        .into_iter()
        .map(|(row, cells)| {
            let mut line = vec![String::new(); width];
            for (column, text) in cells {
                line[column as usize] = text;
            }
            (row + 1, line)
        })
        .collect();
    let headers = rows.remove(&1).unwrap_or_default();
    Table { headers, rows }
}

/// A cell as text, the way a person reads it in Excel: whole numbers without a decimal
/// point (a choice named 1 is often typed as a number), booleans as `true`/`false`.
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}

/// `row` and `column` (0-based) as Excel names the cell: `C7`.
fn cell_name(row: u32, column: u32) -> String {
    format!("{}{}", super::column_letters(column as usize), u64::from(row) + 1)
}

/// Tells apart files that are not `.xlsx` at all, so the person is told what to do.
fn sniff(bytes: &[u8]) -> Result<(), ReadError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) {
        return Ok(());
    }
    let why = if bytes.starts_with(OLE) {
        "This is an old Excel .xls file (or an encrypted workbook). Save it as an Excel workbook (.xlsx), \
         without a password, and send that."
    } else if bytes.is_empty() {
        "The body is empty: send the XLSForm as an .xlsx file."
    } else {
        "This is not an .xlsx workbook. Save the XLSForm as an Excel workbook (.xlsx) and send that."
    };
    Err(ReadError::NotXlsx(why.to_owned()))
}

/// Unpacks every part once, counting, and refuses workbooks that unpack to more than
/// [`MAX_UNPACKED`]. The sizes the zip declares are not trusted: the bytes are counted.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ReadError> {
    let damaged = |e: zip::result::ZipError| {
        ReadError::Unreadable(format!(
            "The file is not a readable .xlsx workbook: it is damaged or cut off ({e})."
        ))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > MAX_PARTS {
        return Err(ReadError::TooLarge(format!(
            "The workbook has {} parts; a questionnaire has a few dozen.",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let part = zip.by_index(index).map_err(damaged)?;
        let read =
            std::io::copy(&mut part.take(MAX_UNPACKED - total + 1), &mut std::io::sink()).map_err(|e| {
                ReadError::Unreadable(format!(
                    "The file is not a readable .xlsx workbook: a part of it is damaged ({e})."
                ))
            })?;
        total += read;
        if total > MAX_UNPACKED {
            return Err(ReadError::TooLarge(format!(
                "The workbook unpacks to more than {} MiB; a questionnaire is far smaller. Delete other sheets, \
                 pictures and unused rows, and try again.",
                MAX_UNPACKED >> 20
            )));
        }
    }
    Ok(())
}
