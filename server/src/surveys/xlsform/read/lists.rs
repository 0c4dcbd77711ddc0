//! The choices sheet's lists, read once and turned into what a question needs: options,
//! countries or number bins.

use std::collections::HashMap;

use nansen_shared::countries::CODES;
use nansen_shared::{Bin, Choice, CountryCode, Localized, OptionCode};

use super::Errors;
use super::languages::Languages;
use super::sheet::{RowRef, Sheet, refuse_columns, yes_no};

/// A row of the choices sheet.
pub(super) struct ListItem {
    row: u32,
    name: String,
    label: Localized,
    exclusive: bool,
    min: String,
    max: String,
}

/// The choices sheet's lists, by name, each in its rows' order.
pub(super) struct Lists<'a> {
    sheet: &'a Sheet,
    lists: HashMap<String, Vec<ListItem>>,
}

impl<'a> Lists<'a> {
    pub fn read(sheet: &'a Sheet, languages: &Languages, errors: &mut Errors) -> Self {
        let mut lists: HashMap<String, Vec<ListItem>> = HashMap::new();
        for (&number, cells) in &sheet.rows {
            let row = RowRef { number, cells };
            let (list, name) = (sheet.get(&row, "list_name"), sheet.get(&row, "name"));
            if list.is_empty() && name.is_empty() {
                continue;
            }
            if list.is_empty() || name.is_empty() {
                let missing = if list.is_empty() { "list_name" } else { "name" };
                errors.push(sheet.place(number, missing).error(
                    "missing_cell",
                    format!("This choice has no {missing}; every choice needs a list_name and a name."),
                ));
                continue;
            }
            refuse_columns(sheet, &row, errors);
            let exclusive_cell = sheet.get(&row, "exclusive");
            let exclusive = yes_no(exclusive_cell).unwrap_or_else(|| {
                errors.push(sheet.place(number, "exclusive").error(
                    "bad_value",
                    format!("\"{exclusive_cell}\" is neither yes nor no; exclusive is yes for an option such as \"none\" that cannot be combined with others."),
                ));
                false
            });
            let item = ListItem {
                row: number,
                name: name.to_owned(),
                label: sheet.text(&row, "label", languages, errors),
                exclusive,
                min: sheet.get(&row, "min").to_owned(),
                max: sheet.get(&row, "max").to_owned(),
            };
            let items = lists.entry(list.to_owned()).or_default();
            if items.iter().any(|i| i.name == item.name) {
                errors.push(sheet.place(number, "name").error(
                    "duplicate_choice",
                    format!("The list \"{list}\" already has a choice named \"{name}\"; names in a list must differ."),
                ));
                continue;
            }
            items.push(item);
        }
        Self { sheet, lists }
    }

    pub fn get(&self, name: &str) -> Option<&[ListItem]> {
        self.lists.get(name).map(Vec::as_slice)
    }

    /// A list's items as options: codes checked, labels as written.
    pub fn options(&self, items: &[ListItem], errors: &mut Errors) -> Option<Vec<Choice>> {
        let mut options = Vec::new();
        let mut ok = true;
        for item in items {
            match OptionCode::parse(item.name.clone()) {
                Ok(code) => {
                    options.push(Choice { code, label: item.label.clone(), exclusive: item.exclusive })
                }
                Err(e) => {
                    ok = false;
                    errors.push(self.sheet.place(item.row, "name").error("bad_name", format!("{e}.")));
                }
            }
        }
        ok.then_some(options)
    }

    /// A list's items as countries: `None` when it holds every assigned code.
    pub fn countries(&self, items: &[ListItem], errors: &mut Errors) -> Option<Option<Vec<CountryCode>>> {
        let mut codes = Vec::new();
        let mut ok = true;
        for item in items {
            match CountryCode::parse(item.name.clone()) {
                Ok(code) => codes.push(code),
                Err(_) => {
                    ok = false;
                    errors.push(self.sheet.place(item.row, "name").error(
                        "bad_country",
                        format!(
                            "\"{}\" is not an assigned ISO 3166-1 country code; a country list holds codes in \
                             capitals, such as GE or DE.",
                            item.name
                        ),
                    ));
                }
            }
        }
        let every = CODES.iter().all(|code| codes.iter().any(|c| c.as_str() == *code));
        ok.then(|| (!every).then_some(codes))
    }

    /// A list's items as number bins, from their `min` and `max` columns.
    pub fn bins(&self, items: &[ListItem], errors: &mut Errors) -> Option<Vec<Bin>> {
        let mut bins = Vec::new();
        let mut ok = true;
        for item in items {
            let bound = |text: &str, column: &str, errors: &mut Errors| {
                text.parse::<i64>().map_err(|_| {
                    errors.push(self.sheet.place(item.row, column).error(
                        "bad_bin",
                        format!(
                            "A bin needs whole numbers in its {column} column (\"{text}\" is not one): the bin counts \
                             the answers from min to max, both included."
                        ),
                    ));
                })
            };
            let code = OptionCode::parse(item.name.clone()).map_err(|e| {
                errors.push(self.sheet.place(item.row, "name").error("bad_name", format!("{e}.")))
            });
            match (code, bound(&item.min, "min", errors), bound(&item.max, "max", errors)) {
                (Ok(code), Ok(min), Ok(max)) => bins.push(Bin { code, min, max, label: item.label.clone() }),
                _ => ok = false,
            }
        }
        ok.then_some(bins)
    }
}
