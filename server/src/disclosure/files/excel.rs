//! A release as an Excel workbook: an "About" sheet (title, provenance, the variables
//! and what each column means), a sheet per question with its table and a bar chart of
//! the shares with their 95 % intervals as error bars, the cross-tabulations as
//! matrices, the weighted shares when weights were asked for, and a codebook. Labels are
//! in the tables' language; headings in English, the statistician's terms, as the
//! provenance is. A withheld count is a blank cell, never a zero.

use std::collections::HashMap;

use nansen_shared::estimates::Share;
use nansen_shared::{CrosstabResults, Question, QuestionResults};
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartErrorBars, ChartErrorBarsType, ChartRange, ChartType, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::ddi::kind_note;
use crate::disclosure::tables::{Tables, hour};

/// Excel's longest sheet name.
const SHEET_NAME_MAX: usize = 31;

/// The header of every question sheet's table, from its first column.
pub const TABLE_COLUMNS: [&str; 8] =
    ["Answer", "Label", "Count", "Share", "95 % low", "95 % high", "Error bar +", "Error bar −"];

/// What each column of a question sheet's table means (the "About" sheet says it).
const COLUMN_MEANINGS: [&str; 8] = [
    "The answer's code, as in the CSV files and the questionnaire.",
    "What the answer means, in the workbook's language.",
    "How many respondents gave this answer, as released; blank when withheld.",
    "The count's share of those who answered the question; blank when either count is withheld.",
    "The lower end of the share's 95 % interval.",
    "The upper end of the share's 95 % interval.",
    "The interval above the share (95 % high − share): the chart's error bar.",
    "The interval below the share (share − 95 % low): the chart's error bar.",
];

/// The workbook's cell formats.
struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    wrap: Format,
    note: Format,
    count: Format,
    share: Format,
    decimal: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            note: Format::new().set_italic().set_font_size(9).set_text_wrap().set_align(FormatAlign::Top),
            count: Format::new().set_num_format("0"),
            share: Format::new().set_num_format("0.0%"),
            decimal: Format::new().set_num_format("0.00"),
        }
    }
}

/// `tables` as an .xlsx file.
pub fn workbook(tables: &Tables<'_>) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new()
        .set_title(tables.title())
        .set_subject(format!("Release {} of {}", tables.release(), tables.results.slug))
        .set_comment(tables.provenance());
    if let Some(release) = &tables.results.release {
        properties = properties.set_creation_datetime(&ExcelDateTime::from_timestamp(release.made_at)?);
    }
    workbook.set_properties(&properties);

    let questions: Vec<(usize, &Question, &QuestionResults)> = tables.questions().collect();
    let names: Vec<String> =
        questions.iter().map(|(number, q, _)| sheet_name(*number, q.id.as_str())).collect();

    about(workbook.add_worksheet(), tables, &questions, &names, &formats)?;
    for ((number, question, published), name) in questions.iter().zip(&names) {
        question_sheet(workbook.add_worksheet(), name, tables, *number, question, published, &formats)?;
    }
    if !tables.results.crosstabs.is_empty() {
        crosstabs(workbook.add_worksheet(), tables, &formats)?;
    }
    if tables.weighted().is_some() {
        weighted(workbook.add_worksheet(), tables, &formats)?;
    }
    codebook(workbook.add_worksheet(), tables, &questions, &names, &formats)?;
    workbook.save_to_buffer()
}

/// A question's sheet: `Q3 left_when`, cut to Excel's 31 characters. Question ids are
/// lowercase letters, digits and underscores, none of which Excel refuses; the number
/// keeps the names unique and apart from the other sheets'.
pub fn sheet_name(number: usize, id: &str) -> String {
    format!("Q{number} {id}").chars().take(SHEET_NAME_MAX).collect()
}

fn about(
    sheet: &mut Worksheet,
    tables: &Tables<'_>,
    questions: &[(usize, &Question, &QuestionResults)],
    names: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("About")?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 14)?;
    sheet.set_column_width(4, 12)?;
    sheet.write_string_with_format(0, 0, tables.title(), &f.title)?;
    let provenance = tables.provenance();
    sheet.merge_range(1, 0, 1, 4, &provenance, &f.wrap)?;
    sheet.set_row_height(1, wrapped_height(&provenance, 120))?;

    let results = tables.results;
    let release = results.release.as_ref();
    let noise = release.and_then(|r| r.noise.as_ref());
    let facts: [(&str, String); 8] = [
        ("Survey", results.slug.to_string()),
        ("Survey version", results.version.to_string()),
        ("Release", tables.release().to_string()),
        ("Made (UTC)", release.map(|r| hour(r.made_at)).unwrap_or_default()),
        ("Threshold (k)", results.min_cell.to_string()),
        (
            "Noise",
            noise.map_or_else(
                || "none (exact counts)".to_owned(),
                |n| format!("{}, sd {:.1}, 95 % within ±{}", n.mechanism, n.sd, n.error95),
            ),
        ),
        ("Respondents", results.respondents.map_or_else(|| "withheld".to_owned(), |n| n.to_string())),
        ("Language", tables.lang.to_string()),
    ];
    let mut row = 3;
    for (name, value) in facts {
        sheet.write_string_with_format(row, 0, name, &f.bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }

    row += 1;
    sheet.write_string_with_format(row, 0, "Variables", &f.title)?;
    row += 1;
    for (col, name) in ["Sheet", "Question", "Text", "Kind", "Answered"].into_iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, name, &f.header)?;
    }
    for ((_, question, published), name) in questions.iter().zip(names) {
        row += 1;
        sheet.write_string(row, 0, name)?;
        sheet.write_string(row, 1, question.id.as_str())?;
        sheet.write_string_with_format(row, 2, tables.question_text(question), &f.wrap)?;
        sheet.write_string(row, 3, question.kind.name().as_str())?;
        count(sheet, row, 4, published.answered, f)?;
    }

    row += 2;
    sheet.write_string_with_format(row, 0, "Columns of a question's sheet", &f.title)?;
    for (column, meaning) in TABLE_COLUMNS.iter().zip(COLUMN_MEANINGS) {
        row += 1;
        sheet.write_string_with_format(row, 0, *column, &f.bold)?;
        sheet.merge_range(row, 1, row, 4, meaning, &f.wrap)?;
    }
    row += 2;
    sheet.merge_range(
        row,
        0,
        row,
        4,
        "A number question's sheet also gives the mean of the numbers given, their standard deviation and the \
         mean's 95 % interval. \"Crosstabs\" has the declared cross-tabulations; \"Codebook\" every answer's \
         code and label.",
        &f.wrap,
    )?;
    sheet.set_row_height(row, 45)?;
    Ok(())
}

/// Where a question sheet's table starts: its header row.
pub const TABLE_HEADER_ROW: u32 = 5;

fn question_sheet(
    sheet: &mut Worksheet,
    name: &str,
    tables: &Tables<'_>,
    number: usize,
    question: &Question,
    published: &QuestionResults,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    // Printed, the table and its chart side by side on pages one wide.
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 40)?;
    for col in 2..8 {
        sheet.set_column_width(col, 11)?;
    }
    let text = tables.question_text(question);
    sheet.write_string_with_format(0, 0, format!("{number}. {text}"), &f.title)?;
    sheet.write_string_with_format(1, 0, "Question", &f.bold)?;
    sheet.write_string(1, 1, question.id.as_str())?;
    sheet.write_string_with_format(2, 0, "Kind", &f.bold)?;
    sheet.write_string(2, 1, kind_note(question, tables))?;
    sheet.write_string_with_format(3, 0, "Answered", &f.bold)?;
    count(sheet, 3, 1, published.answered, f)?;
    note(sheet, 4, 7, &tables.provenance(), f)?;

    let header = TABLE_HEADER_ROW;
    for (col, name) in TABLE_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(header, col as u16, *name, &f.header)?;
    }
    let mut row = header;
    for option in &published.counts {
        row += 1;
        sheet.write_string(row, 0, &option.option)?;
        sheet.write_string(row, 1, tables.answer_label(question, &option.option))?;
        count(sheet, row, 2, option.count, f)?;
        if let Some(Share { value, ci95 }) = option.share {
            sheet.write_number_with_format(row, 3, value, &f.share)?;
            sheet.write_number_with_format(row, 4, ci95.low, &f.share)?;
            sheet.write_number_with_format(row, 5, ci95.high, &f.share)?;
            sheet.write_number_with_format(row, 6, (ci95.high - value).max(0.0), &f.share)?;
            sheet.write_number_with_format(row, 7, (value - ci95.low).max(0.0), &f.share)?;
        }
    }
    let last = row;
    sheet.set_freeze_panes(header + 1, 0)?;

    if let Some(mean) = &published.mean {
        row += 2;
        sheet.write_string_with_format(row, 0, "Numbers given", &f.header)?;
        sheet.write_string_with_format(row, 1, "", &f.header)?;
        let stats = [
            ("n", mean.n as f64, &f.count),
            ("Mean", mean.value, &f.decimal),
            ("SD", mean.sd, &f.decimal),
            ("Mean 95 % low", mean.ci95.low, &f.decimal),
            ("Mean 95 % high", mean.ci95.high, &f.decimal),
        ];
        for (name, value, format) in stats {
            row += 1;
            sheet.write_string_with_format(row, 0, name, &f.bold)?;
            sheet.write_number_with_format(row, 1, value, format)?;
        }
    }

    // A grid's rows, a ranking's items: each one's total and an item's mean place.
    if !published.parts.is_empty() {
        row += 2;
        let columns = ["Row or item", "Label", "Answered", "Mean place", "Mean 95 % low", "Mean 95 % high"];
        for (col, name) in columns.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, *name, &f.header)?;
        }
        for part in &published.parts {
            row += 1;
            sheet.write_string(row, 0, &part.code)?;
            sheet.write_string(row, 1, tables.part_label(question, &part.code))?;
            count(sheet, row, 2, part.answered, f)?;
            if let Some(mean) = &part.mean_rank {
                for (col, value) in [(3, mean.value), (4, mean.ci95.low), (5, mean.ci95.high)] {
                    sheet.write_number_with_format(row, col, value, &f.decimal)?;
                }
            }
        }
    }

    if last > header {
        let first = header + 1;
        let mut chart = Chart::new(ChartType::Bar);
        let bars = ChartErrorBarsType::Custom(
            ChartRange::new_from_range(name, first, 6, last, 6),
            ChartRange::new_from_range(name, first, 7, last, 7),
        );
        chart
            .add_series()
            .set_name("Share")
            .set_categories((name, first, 1, last, 1))
            .set_values((name, first, 3, last, 3))
            .set_x_error_bars(ChartErrorBars::new().set_type(bars));
        chart.title().set_name(&text);
        chart.legend().set_hidden();
        chart.x_axis().set_min(0.0).set_max(1.0).set_num_format("0%");
        // The first answer on top, and the shares' axis at the bottom.
        chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max);
        let bars = last - header;
        chart.set_width(620).set_height((60 + 22 * bars).max(288));
        sheet.insert_chart(header, 9, &chart)?;
    }
    Ok(())
}

fn crosstabs(sheet: &mut Worksheet, tables: &Tables<'_>, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Crosstabs")?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 36)?;
    sheet.write_string_with_format(0, 0, "Cross-tabulations", &f.title)?;
    note(sheet, 1, 7, &tables.provenance(), f)?;
    let mut row = 3;
    for table in &tables.results.crosstabs {
        let (Some((_, rows)), Some((_, columns))) =
            (tables.survey.question(table.rows.as_str()), tables.survey.question(table.columns.as_str()))
        else {
            continue;
        };
        row = matrix(sheet, row, tables, table, rows, columns, f)? + 3;
    }
    Ok(())
}

/// One cross-tabulation from `row`: its title, the column codes and labels, then a row
/// per answer of `rows`. Returns the last row written.
fn matrix(
    sheet: &mut Worksheet,
    mut row: u32,
    tables: &Tables<'_>,
    table: &CrosstabResults,
    rows: &Question,
    columns: &Question,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let title = format!(
        "{} ({}, rows) × {} ({}, columns)",
        tables.question_text(rows),
        rows.id,
        tables.question_text(columns),
        columns.id
    );
    sheet.write_string_with_format(row, 0, title, &f.bold)?;
    let (row_codes, column_codes) = (first_seen(table.cells.iter().map(|c| c.row.as_str())), {
        first_seen(table.cells.iter().map(|c| c.column.as_str()))
    });
    let at: HashMap<(&str, &str), Option<u64>> =
        table.cells.iter().map(|c| ((c.row.as_str(), c.column.as_str()), c.count)).collect();
    row += 1;
    sheet.write_string_with_format(row, 0, rows.id.as_str(), &f.header)?;
    sheet.write_string_with_format(row, 1, columns.id.as_str(), &f.header)?;
    for (i, code) in column_codes.iter().enumerate() {
        sheet.write_string_with_format(row, 2 + i as u16, *code, &f.header)?;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "", &f.header)?;
    sheet.write_string_with_format(row, 1, "", &f.header)?;
    for (i, code) in column_codes.iter().enumerate() {
        sheet.set_column_width(2 + i as u16, 20)?;
        sheet.write_string_with_format(row, 2 + i as u16, tables.answer_label(columns, code), &f.header)?;
    }
    // Room for labels of up to four lines.
    sheet.set_row_height(row, 62)?;
    for code in &row_codes {
        row += 1;
        sheet.write_string(row, 0, *code)?;
        sheet.write_string(row, 1, tables.answer_label(rows, code))?;
        for (i, column) in column_codes.iter().enumerate() {
            count(sheet, row, 2 + i as u16, at.get(&(*code, *column)).copied().flatten(), f)?;
        }
    }
    Ok(row)
}

/// `codes` without repeats, in the order first seen.
fn first_seen<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for code in codes {
        if !seen.contains(&code) {
            seen.push(code);
        }
    }
    seen
}

fn weighted(sheet: &mut Worksheet, tables: &Tables<'_>, f: &Formats) -> Result<(), XlsxError> {
    let Some(weighted) = tables.weighted() else { return Ok(()) };
    let Some((_, by)) = tables.survey.question(weighted.by.as_str()) else { return Ok(()) };
    sheet.set_name("Weighted")?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 36)?;
    sheet.write_string_with_format(0, 0, "Post-stratified shares", &f.title)?;
    note(sheet, 1, 6, &tables.provenance(), f)?;
    sheet.write_string_with_format(3, 0, "Weighted by", &f.bold)?;
    sheet.write_string(3, 1, format!("{} ({})", tables.question_text(by), by.id))?;
    let mut row = 4;
    for (code, share) in &weighted.shares {
        row += 1;
        sheet.write_string(row, 0, code)?;
        sheet.write_string(row, 1, tables.answer_label(by, code))?;
        sheet.write_number_with_format(row, 2, *share, &f.share)?;
    }
    row += 2;
    for (col, name) in ["Question", "Text", "Answer", "Label", "Weighted share", "95 % low", "95 % high"]
        .into_iter()
        .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, name, &f.header)?;
    }
    for question in &weighted.questions {
        let Some((_, q)) = tables.survey.question(question.id.as_str()) else { continue };
        for (code, share) in &question.options {
            row += 1;
            sheet.write_string(row, 0, q.id.as_str())?;
            sheet.write_string(row, 1, tables.question_text(q))?;
            sheet.write_string(row, 2, code)?;
            sheet.write_string(row, 3, tables.answer_label(q, code))?;
            if let Some(Share { value, ci95 }) = share {
                sheet.write_number_with_format(row, 4, *value, &f.share)?;
                sheet.write_number_with_format(row, 5, ci95.low, &f.share)?;
                sheet.write_number_with_format(row, 6, ci95.high, &f.share)?;
            }
        }
    }
    Ok(())
}

/// The header of the codebook sheet's table, in its first row.
pub const CODEBOOK_COLUMNS: [&str; 7] = ["Question", "Sheet", "Text", "Kind", "Code", "Label", "Notes"];

fn codebook(
    sheet: &mut Worksheet,
    tables: &Tables<'_>,
    questions: &[(usize, &Question, &QuestionResults)],
    names: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Codebook")?;
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    for (col, width) in [16, 18, 48, 10, 14, 40, 60].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    for (col, name) in CODEBOOK_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 0;
    for ((_, question, published), name) in questions.iter().zip(names) {
        let text = tables.question_text(question);
        let note = kind_note(question, tables);
        for option in &published.counts {
            row += 1;
            sheet.write_string(row, 0, question.id.as_str())?;
            sheet.write_string(row, 1, name)?;
            sheet.write_string(row, 2, &text)?;
            sheet.write_string(row, 3, question.kind.name().as_str())?;
            sheet.write_string(row, 4, &option.option)?;
            sheet.write_string(row, 5, tables.answer_label(question, &option.option))?;
            sheet.write_string(row, 6, &note)?;
        }
    }
    sheet.autofilter(0, 0, row.max(1), CODEBOOK_COLUMNS.len() as u16 - 1)?;
    Ok(())
}

/// A count, or a blank cell when it is withheld.
fn count(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    count: Option<u64>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match count {
        Some(n) => sheet.write_number_with_format(row, col, n as f64, &f.count).map(|_| ()),
        None => Ok(()),
    }
}

/// `text` in small print across the columns up to `last`, wrapped.
fn note(sheet: &mut Worksheet, row: u32, last: u16, text: &str, f: &Formats) -> Result<(), XlsxError> {
    sheet.merge_range(row, 0, row, last, text, &f.note)?;
    // Nine-point lines of about 110 characters across the columns merged.
    let lines = text.chars().count().div_ceil(110).max(1);
    sheet.set_row_height(row, 12.0 * lines as f64 + 4.0)?;
    Ok(())
}

/// The height in points of a row holding `text` wrapped at about `width` characters.
fn wrapped_height(text: &str, width: usize) -> f64 {
    let lines = text.chars().count().div_ceil(width).max(1);
    15.0 * lines as f64 + 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_excel_and_stay_apart() {
        assert_eq!(sheet_name(3, "left_when"), "Q3 left_when");
        let long = sheet_name(120, "a_question_id_of_thirty_two_char");
        assert_eq!(long.chars().count(), SHEET_NAME_MAX);
        assert!(long.starts_with("Q120 "));
        assert_ne!(sheet_name(1, "x"), sheet_name(11, "x"));
    }

    #[test]
    fn codes_are_listed_once_in_order() {
        assert_eq!(first_seen(["b", "a", "b", "c", "a"].into_iter()), ["b", "a", "c"]);
    }
}
