//! Cross-tabulations: how many respondents gave each pair of answers to two questions,
//! as a table with one question's answers down the side and the other's across.

use nansen_shared::{CrossCell, CrosstabResults};
use yew::prelude::*;

use super::chart::count_text;
use super::labels::Labels;
use crate::staff::i18n::tf;

/// The distinct values in the order they first appear.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

pub fn crosstab(table: &CrosstabResults, labels: &Labels) -> Html {
    let rows = distinct(table.cells.iter().map(|c| c.row.as_str()));
    let columns = distinct(table.cells.iter().map(|c| c.column.as_str()));
    let cell = |row: &str, column: &str| -> Option<&CrossCell> {
        table.cells.iter().find(|c| c.row == row && c.column == column)
    };
    let (row_q, column_q) = (labels.question(table.rows.as_str()), labels.question(table.columns.as_str()));
    let option = |question: &str, code: &str| labels.option(question, code);
    html! {
        <div class="table-scroll" tabindex="0" role="region"
            aria-label={tf("res-crosstab-region", &[("rows", &row_q), ("columns", &column_q)])}>
            <table class="crosstab" data-rows={table.rows.to_string()} data-columns={table.columns.to_string()}>
                <caption>{ tf("res-crosstab-caption", &[("rows", &row_q), ("columns", &column_q)]) }</caption>
                <thead>
                    <tr>
                        <td></td>
                        { for columns.iter().map(|c| html! { <th scope="col">{ option(table.columns.as_str(), c) }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ option(table.rows.as_str(), r) }</th>
                            { for columns.iter().map(|c| match cell(r, c) {
                                Some(found) => html! {
                                    <td class={classes!("count", found.count.is_none().then_some("suppressed"))}>
                                        { count_text(found.count) }
                                    </td>
                                },
                                None => html! { <td class="count">{ "—" }</td> },
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_appearance_order() {
        assert_eq!(distinct(["b", "a", "b", "c"].into_iter()), ["b", "a", "c"]);
    }
}
