//! Each kind of question's own columns: a choice list, `max_choices` and its
//! constraint, a range's parameters and end labels, a number's range, bins and unit.

use nansen_shared::{Bin, Item, Localized, OptionCode, QuestionKind};

use super::capitalised;
use super::lists::ListItem;
use super::questions::{RowType, SurveyReader};
use super::sheet::RowRef;
use crate::surveys::xlsform::columns::COUNTRY_LIST;
use crate::surveys::xlsform::expr;

impl SurveyReader<'_> {
    /// Columns that belong to other kinds of question must be empty.
    pub(super) fn check_columns(&mut self, row: &RowRef<'_>, kind: RowType) {
        let allowed: &[&str] = match kind {
            RowType::SelectMultiple => &["max_choices", "constraint"],
            RowType::Range => &["parameters", "min_label", "max_label"],
            RowType::Integer | RowType::Decimal => &["bins", "unit", "constraint"],
            RowType::Rank => &["nansen_max_ranked"],
            _ => &[],
        };
        self.only_columns(row, allowed);
    }

    /// A grid's row takes only the code it stands for, when its name is not that code.
    pub(super) fn check_grid_row_columns(&mut self, row: &RowRef<'_>) {
        self.only_columns(row, &["nansen_row"]);
    }

    /// Of the columns that belong to some kinds of question, only `allowed` may be filled.
    fn only_columns(&mut self, row: &RowRef<'_>, allowed: &[&str]) {
        let columns = [
            "max_choices",
            "constraint",
            "parameters",
            "min_label",
            "max_label",
            "bins",
            "unit",
            "nansen_max_ranked",
            "nansen_row",
        ];
        for column in columns {
            if allowed.contains(&column) {
                continue;
            }
            let used: Vec<usize> = (self.sheet.headers.iter().enumerate())
                .filter(|(i, h)| h.name == column && row.cells.get(*i).is_some_and(|c| !c.trim().is_empty()))
                .map(|(i, _)| i)
                .collect();
            for index in used {
                let why = match column {
                    "constraint" => "Nansen carries a constraint only on a select_multiple (count-selected(.) <= N) \
                         and on a number (. >= a and . <= b); it checks every answer against the question itself."
                        .to_owned(),
                    "parameters" => "Only a range question takes parameters (start, end, step).".to_owned(),
                    "nansen_row" => "Only a row of a table-list group (a grid) takes nansen_row.".to_owned(),
                    other => format!("{other} does not apply to this type of question; empty this cell."),
                };
                let error = self.sheet.place_at(row.number, index).error("misplaced_column", why);
                self.errors.push(error);
            }
        }
    }

    pub(super) fn kind(&mut self, row: &RowRef<'_>, kind: RowType, rest: &[&str]) -> Option<QuestionKind> {
        match kind {
            RowType::SelectOne | RowType::SelectMultiple | RowType::Rank => self.select(row, kind, rest),
            RowType::Range => self.range(row),
            RowType::Integer | RowType::Decimal => self.number(row),
            _ => None,
        }
    }

    fn select(&mut self, row: &RowRef<'_>, kind: RowType, rest: &[&str]) -> Option<QuestionKind> {
        let number = row.number;
        let (list_name, extra) = match rest {
            [list] => (*list, None),
            [list, extra, ..] => (*list, Some(*extra)),
            [] => {
                self.error(
                    number,
                    "type",
                    "missing_list",
                    "Name the choice list after the type, as select_one yes_no.",
                );
                return None;
            }
        };
        if let Some(extra) = extra {
            let why = if extra.eq_ignore_ascii_case("or_other") {
                "or_other adds a free-text answer, and Nansen does not collect free text, by design: written \
                 answers can identify the person who wrote them. Remove or_other; add an option \"other\" to the \
                 list if you need one."
                    .to_owned()
            } else {
                format!("\"{extra}\" after the list name is not understood; write only the list's name.")
            };
            self.error(number, "type", "unsupported_type", why);
            return None;
        }
        let Some(items) = self.lists.get(list_name) else {
            self.error(
                number,
                "type",
                "missing_list",
                format!("The choices sheet has no list named \"{list_name}\"."),
            );
            return None;
        };
        if kind == RowType::Rank {
            return self.ranking(row, items);
        }
        let appearance = self.sheet.get(row, "appearance").to_lowercase();
        let is_country = list_name == COUNTRY_LIST || appearance.split_whitespace().any(|a| a == "country");
        if is_country {
            if kind == RowType::SelectMultiple {
                self.error(
                    number,
                    "type",
                    "unsupported_type",
                    "A country question takes one country: use select_one.",
                );
                return None;
            }
            return self.lists.countries(items, self.errors).map(|allowed| QuestionKind::Country { allowed });
        }
        let options = self.lists.options(items, self.errors)?;
        if kind == RowType::SelectOne {
            return Some(QuestionKind::Single { options });
        }
        let max_choices = self.max_choices(row)?;
        Some(QuestionKind::Multi { options, max_choices })
    }

    /// `rank L`: the list's items, ranked up to `nansen_max_ranked` places (all if empty).
    fn ranking(&mut self, row: &RowRef<'_>, items: &[ListItem]) -> Option<QuestionKind> {
        let cell = self.sheet.get(row, "nansen_max_ranked");
        let max_ranked = match cell {
            "" => None,
            text => {
                match text.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.error(
                        row.number,
                        "nansen_max_ranked",
                        "bad_value",
                        format!("\"{text}\" is not a whole number of places; leave it empty to rank every item."),
                    );
                        return None;
                    }
                }
            }
        };
        let options = self.lists.options(items, self.errors)?;
        if let Some(exclusive) = options.iter().find(|o| o.exclusive) {
            self.error(
                row.number,
                "type",
                "bad_value",
                format!("\"{}\" is exclusive, but a ranking's items are all ranked alike; empty its exclusive cell.", exclusive.code),
            );
            return None;
        }
        let items = options.into_iter().map(|o| Item { code: o.code, label: o.label }).collect();
        Some(QuestionKind::Ranking { items, max_ranked })
    }

    /// At most how many choices: the `max_choices` column or the constraint (or both, agreeing).
    fn max_choices(&mut self, row: &RowRef<'_>) -> Option<Option<u32>> {
        let column = self.sheet.get(row, "max_choices");
        let from_column = match column {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(
                        row.number,
                        "max_choices",
                        "bad_value",
                        format!("\"{text}\" is not a whole number of choices."),
                    );
                    return None;
                }
            },
        };
        let from_constraint = self.constraint(row, expr::parse_max_choices).ok()?;
        match (from_column, from_constraint) {
            (Some(a), Some(b)) if a != b => {
                self.error(
                    row.number,
                    "constraint",
                    "conflicting_limits",
                    format!("The constraint allows {b} choices and max_choices {a}; keep one of them."),
                );
                None
            }
            (a, b) => Some(a.or(b)),
        }
    }

    /// The constraint as `parse` reads it: none when the cell is empty, `Err` (reported)
    /// when it is not one Nansen can carry.
    fn constraint<T>(
        &mut self,
        row: &RowRef<'_>,
        parse: fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        match self.sheet.get(row, "constraint") {
            "" => Ok(None),
            text => parse(text).map(Some).map_err(|why| {
                self.error(
                    row.number,
                    "constraint",
                    "unsupported_expression",
                    capitalised(&format!("{why}.")),
                );
            }),
        }
    }

    fn range(&mut self, row: &RowRef<'_>) -> Option<QuestionKind> {
        let parameters = self.sheet.get(row, "parameters");
        // ODK's defaults, for what the parameters do not say.
        let (mut min, mut max, mut step) = (1i64, 10i64, 1i64);
        let mut ok = true;
        for pair in parameters.split([' ', ',', ';']).filter(|p| !p.is_empty()) {
            let parsed = pair.split_once('=').and_then(|(key, value)| {
                Some((key.trim().to_lowercase(), value.trim().parse::<i64>().ok()?))
            });
            match parsed {
                Some((key, value)) if key == "start" => min = value,
                Some((key, value)) if key == "end" => max = value,
                Some((key, value)) if key == "step" => step = value,
                _ => {
                    ok = false;
                    self.error(
                        row.number,
                        "parameters",
                        "bad_parameters",
                        format!("\"{pair}\" is not understood; a range takes whole numbers as start=1 end=5 step=1."),
                    );
                }
            }
        }
        if step != 1 {
            self.error(
                row.number,
                "parameters",
                "bad_parameters",
                "Nansen's scales go in steps of 1; write step=1.",
            );
            return None;
        }
        let min_label = self.sheet.text(row, "min_label", self.languages, self.errors);
        let max_label = self.sheet.text(row, "max_label", self.languages, self.errors);
        ok.then_some(QuestionKind::Scale { min, max, min_label, max_label })
    }

    fn number(&mut self, row: &RowRef<'_>) -> Option<QuestionKind> {
        let bins_cell = self.sheet.get(row, "bins");
        let bins = if bins_cell.is_empty() {
            Some(Vec::new())
        } else if bins_cell.contains(':') {
            match inline_bins(bins_cell) {
                Ok(bins) => Some(bins),
                Err(why) => {
                    self.error(row.number, "bins", "bad_bin", why);
                    None
                }
            }
        } else {
            match self.lists.get(bins_cell) {
                Some(items) => self.lists.bins(items, self.errors),
                None => {
                    self.error(
                        row.number,
                        "bins",
                        "missing_list",
                        format!(
                            "The choices sheet has no list named \"{bins_cell}\". Name a list whose rows have min and \
                             max columns, or write the bins here as 0-17:under_18; 18-29:18_29."
                        ),
                    );
                    None
                }
            }
        };
        let range = match (self.constraint(row, expr::parse_range), &bins) {
            (Ok(Some(range)), _) => Some(range),
            (Ok(None), Some(bins)) if !bins.is_empty() => {
                bins.iter().map(|b| b.min).min().zip(bins.iter().map(|b| b.max).max())
            }
            (Ok(None), Some(_)) => {
                self.error(
                    row.number,
                    "constraint",
                    "missing_range",
                    "A number question needs its range: write the constraint . >= 0 and . <= 120, or bins.",
                );
                None
            }
            _ => None,
        };
        let unit = self.sheet.text(row, "unit", self.languages, self.errors);
        let ((min, max), bins) = (range?, bins?);
        Some(QuestionKind::Number { min, max, bins, unit })
    }
}

/// Bins written in one cell: `0-17:under_18; 18-29:18_29` (a single number is a bin of
/// its own: `0:none`).
pub fn inline_bins(text: &str) -> Result<Vec<Bin>, String> {
    let form = "write bins as min-max:code separated by semicolons, such as 0-17:under_18; 18-29:18_29";
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (range, code) =
                item.split_once(':').ok_or_else(|| format!("\"{item}\" has no code; {form}."))?;
            let code =
                OptionCode::parse(code.trim()).map_err(|e| format!("{}.", capitalised(&e.to_string())))?;
            let range = range.trim();
            // The dash between the numbers is one that follows a digit (the first may be negative).
            let split = range
                .char_indices()
                .skip(1)
                .find(|(i, c)| *c == '-' && range[..*i].ends_with(|d: char| d.is_ascii_digit()));
            let (min, max) = match split {
                Some((i, _)) => (&range[..i], &range[i + 1..]),
                None => (range, range),
            };
            let number = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("\"{item}\" is not a range of whole numbers; {form}."))
            };
            Ok(Bin { code, min: number(min)?, max: number(max)?, label: Localized::default() })
        })
        .collect()
}
