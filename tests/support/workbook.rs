//! Spreadsheets written for the tests, as a designer's XLSForm would be: shared by the
//! API and browser tests.

/// An `.xlsx` workbook of `sheets`, each a list of rows of cells (the first row its
/// header); empty cells are left out, as Excel leaves them.
pub fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
                sheet.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}
