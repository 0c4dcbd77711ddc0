//! The survey sheet, row by row: questions, groups (flattened, their conditions passed
//! on), notes (the introduction), and the conditions questions are asked under.

use std::collections::{BTreeMap, HashMap, HashSet};

use nansen_shared::{Item, LanguageTag, Localized, OptionCode, Question, QuestionId, QuestionKind, ShowIf};

use super::languages::Languages;
use super::lists::Lists;
use super::sheet::{RowRef, Sheet, refuse_columns, yes_no};
use super::{Errors, capitalised};
use crate::surveys::xlsform::expr;

/// An open `begin_group` or `begin_repeat`.
struct Block {
    row: u32,
    repeat: bool,
    /// The group's condition, read against the questions before it; `Err` when it
    /// cannot be carried (reported once, at the group).
    condition: Option<Result<ShowIf, ()>>,
    /// A `table-list` group's rows (a grid's), gathered until its `end_group`.
    table: Option<Vec<u32>>,
}

/// Reads the survey sheet, row by row.
pub(super) struct SurveyReader<'a> {
    pub sheet: &'a Sheet,
    pub languages: &'a Languages,
    pub lists: &'a Lists<'a>,
    pub errors: &'a mut Errors,
    questions: Vec<Question>,
    /// Names of question rows that could not be read, so that conditions on them are
    /// not reported a second time.
    failed: HashSet<String>,
    /// Every name given so far, with its row.
    names: HashMap<String, u32>,
    /// The name of each grid row's question: the grid and the row it stands for.
    grid_rows: HashMap<String, (QuestionId, OptionCode)>,
    blocks: Vec<Block>,
    intro: Vec<Localized>,
    /// Whether a question row (readable or not) has been seen: notes after it cannot
    /// be the introduction.
    past_intro: bool,
}

/// The question types, as `type` cells write them, after the first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowType {
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Note,
    SelectOne,
    SelectMultiple,
    Rank,
    Range,
    Integer,
    Decimal,
}

/// The type's words, with XLSForm's spellings (`select one`, `begin group`) joined.
fn row_type(cell: &str) -> (String, Vec<&str>) {
    let words: Vec<&str> = cell.split_whitespace().collect();
    let joined = |n: usize| words[..n].join("_").to_lowercase();
    for (spelling, n) in [("select_all_that_apply", 4), ("select_one", 2), ("select_multiple", 2)] {
        if words.len() >= n && joined(n) == spelling {
            let name = if spelling == "select_all_that_apply" { "select_multiple" } else { spelling };
            return (name.to_owned(), words[n..].to_vec());
        }
    }
    for two in ["begin_group", "end_group", "begin_repeat", "end_repeat"] {
        if words.len() >= 2 && joined(2) == two {
            return (two.to_owned(), words[2..].to_vec());
        }
    }
    let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    (first, words.iter().skip(1).copied().collect())
}

fn known_type(name: &str) -> Option<RowType> {
    Some(match name {
        "begin_group" => RowType::BeginGroup,
        "end_group" => RowType::EndGroup,
        "begin_repeat" => RowType::BeginRepeat,
        "end_repeat" => RowType::EndRepeat,
        "note" => RowType::Note,
        "select_one" => RowType::SelectOne,
        "select_multiple" => RowType::SelectMultiple,
        "rank" => RowType::Rank,
        "range" => RowType::Range,
        "integer" | "int" => RowType::Integer,
        "decimal" => RowType::Decimal,
        _ => return None,
    })
}

/// Why a question type Nansen does not have is refused.
fn refused_type(name: &str) -> String {
    match name {
        "text" | "string" => "Nansen does not collect free text, by design: written answers can identify the \
             person who wrote them, and the server keeps only counts. Ask it as a select_one or select_multiple \
             instead, or delete the row."
            .to_owned(),
        "date" | "time" | "datetime" => "Nansen does not ask for dates or times: an exact date helps identify a \
             person. Ask for a period as a select_one (before 2022, 2022, 2023 or later)."
            .to_owned(),
        "geopoint" | "geotrace" | "geoshape" => "Nansen records no locations. Ask for the country as a select_one \
             from the list named countries."
            .to_owned(),
        "image" | "audio" | "video" | "file" | "background-audio" | "photo" => {
            "Nansen collects no files, pictures or recordings.".to_owned()
        }
        "barcode" => "Nansen scans no codes.".to_owned(),
        "calculate" => "Nansen calculates nothing from answers: every stored count comes from an answer.".to_owned(),
        "hidden" => "Nansen has no hidden fields: a respondent sees everything that is counted.".to_owned(),
        "acknowledge" | "trigger" => "Nansen has no acknowledgement fields; put the text in the introduction (a \
             note before the first question), or ask a select_one."
            .to_owned(),
        "start" | "end" | "today" | "deviceid" | "phonenumber" | "username" | "email" | "simserial"
        | "subscriberid" | "audit" | "start-geopoint" | "background-geopoint" => format!(
            "Nansen never records when, where or on which device anyone answered, so \"{name}\" cannot be \
             collected; delete the row."
        ),
        name if name.ends_with("_from_file") || name.ends_with("_external") || name.ends_with("-external") => {
            "Nansen does not read choices or data from other files; put the choices in the choices sheet.".to_owned()
        }
        name => format!(
            "\"{name}\" is not a question type Nansen can carry; it takes select_one, select_multiple, rank, range, integer, \
             decimal and note (see docs/XLSFORM.md)."
        ),
    }
}

impl<'a> SurveyReader<'a> {
    pub fn new(
        sheet: &'a Sheet,
        languages: &'a Languages,
        lists: &'a Lists<'a>,
        errors: &'a mut Errors,
    ) -> Self {
        Self {
            sheet,
            languages,
            lists,
            errors,
            questions: Vec::new(),
            failed: HashSet::new(),
            names: HashMap::new(),
            grid_rows: HashMap::new(),
            blocks: Vec::new(),
            intro: Vec::new(),
            past_intro: false,
        }
    }

    pub fn error(&mut self, row: u32, column: &str, code: &str, detail: impl Into<String>) {
        let error = self.sheet.place(row, column).error(code, detail);
        self.errors.push(error);
    }

    pub fn row(&mut self, row: &RowRef<'_>) {
        let type_cell = self.sheet.get(row, "type");
        if type_cell.is_empty() {
            if !self.sheet.get(row, "name").is_empty() {
                self.error(row.number, "type", "missing_type", "This row has a name but no type.");
            }
            return;
        }
        // Rows of a table-list group wait for its end, to become one grid.
        let (name, rest) = row_type(type_cell);
        let kind = known_type(&name);
        if kind != Some(RowType::EndGroup)
            && let Some(table) = self.blocks.last_mut().and_then(|b| b.table.as_mut())
        {
            table.push(row.number);
            return;
        }
        refuse_columns(self.sheet, row, self.errors);
        match kind {
            Some(RowType::BeginGroup) => self.begin(row, false),
            Some(RowType::BeginRepeat) => {
                self.error(
                    row.number,
                    "type",
                    "unsupported_type",
                    "Nansen has no repeated groups: each respondent answers each question once, and only counts are kept.",
                );
                self.begin(row, true);
            }
            Some(RowType::EndGroup | RowType::EndRepeat) => self.end(row, kind == Some(RowType::EndRepeat)),
            Some(RowType::Note) => self.note(row),
            Some(kind) => {
                self.past_intro = true;
                let name = self.sheet.get(row, "name").to_owned();
                match self.question(row, kind, &rest) {
                    Some(question) => self.questions.push(question),
                    None => {
                        self.failed.insert(name);
                    }
                }
            }
            None => {
                self.past_intro = true;
                self.failed.insert(self.sheet.get(row, "name").to_owned());
                self.error(row.number, "type", "unsupported_type", refused_type(&name));
            }
        }
    }

    fn begin(&mut self, row: &RowRef<'_>, repeat: bool) {
        let appearance = self.sheet.get(row, "appearance").to_lowercase();
        let table = (!repeat && appearance.split_whitespace().any(|a| a == "table-list")).then(Vec::new);
        let relevant = self.sheet.get(row, "relevant");
        let condition = (!relevant.is_empty()).then(|| {
            if self.blocks.iter().any(|b| b.condition.is_some()) {
                self.error(
                    row.number,
                    "relevant",
                    "nested_condition",
                    "This group's condition would add to the condition of a group around it; a Nansen question \
                     depends on one earlier question only. Keep one of the two conditions.",
                );
                return Err(());
            }
            self.condition(row.number, relevant).ok_or(())
        });
        self.blocks.push(Block { row: row.number, repeat, condition, table });
    }

    fn end(&mut self, row: &RowRef<'_>, repeat: bool) {
        let what = if repeat { "end_repeat" } else { "end_group" };
        match self.blocks.pop() {
            Some(block) if block.repeat == repeat => {
                if let Some(rows) = &block.table {
                    self.grid(&block, rows);
                }
            }
            Some(block) => {
                let open = if block.repeat { "begin_repeat" } else { "begin_group" };
                self.error(
                    row.number,
                    "type",
                    "unbalanced_group",
                    format!("This {what} closes the {open} of row {}; close groups in the order they were opened.", block.row),
                );
            }
            None => self.error(
                row.number,
                "type",
                "unbalanced_group",
                format!("This {what} closes no group: there is no begin_group open above it."),
            ),
        }
    }

    /// A `table-list` group of `select_one` rows sharing one list is a grid question:
    /// the group's name, label, hint and condition are the grid's, each row's name and
    /// label a row's, the shared list its options; `required` on the rows makes it required.
    fn grid(&mut self, block: &Block, rows: &[u32]) {
        self.past_intro = true;
        let sheet = self.sheet;
        let begin =
            RowRef { number: block.row, cells: sheet.rows.get(&block.row).map_or(&[], |c| c.as_slice()) };
        let name = sheet.get(&begin, "name").to_owned();
        let grid = self.read_grid(block, &begin, rows);
        match grid {
            Some(question) => self.questions.push(question),
            None => {
                self.failed.insert(name);
                for number in rows {
                    let cells = sheet.rows.get(number).map_or(&[][..], |c| c.as_slice());
                    self.failed.insert(sheet.get(&RowRef { number: *number, cells }, "name").to_owned());
                }
            }
        }
    }

    fn read_grid(&mut self, block: &Block, begin: &RowRef<'_>, numbers: &[u32]) -> Option<Question> {
        let sheet = self.sheet;
        let id = self.name(begin);
        let prompt = sheet.text(begin, "label", self.languages, self.errors);
        let help = sheet.text(begin, "hint", self.languages, self.errors);
        let outer = self.blocks.iter().rev().find_map(|b| b.condition.clone());
        let show_if = block.condition.clone().or(outer).transpose();
        let mut list: Option<(String, u32)> = None;
        let mut rows = Vec::new();
        let mut required: Option<(bool, u32)> = None;
        let mut ok = true;
        for &number in numbers {
            let row = RowRef { number, cells: sheet.rows.get(&number).map_or(&[], |c| c.as_slice()) };
            refuse_columns(sheet, &row, self.errors);
            let (kind, rest) = row_type(sheet.get(&row, "type"));
            let [row_list] = rest[..] else {
                ok = false;
                self.error(
                    number,
                    "type",
                    "bad_grid_row",
                    "A table-list group is a grid: each of its rows is a select_one from one list shared by all \
                     rows. Make this row such a select_one, or move it out of the group.",
                );
                continue;
            };
            if kind != "select_one" {
                ok = false;
                self.error(
                    number,
                    "type",
                    "bad_grid_row",
                    format!(
                        "A table-list group is a grid: each of its rows is a select_one from one list shared by \
                         all rows, not a {kind}. Move this row out of the group."
                    ),
                );
                continue;
            }
            match &list {
                None => list = Some((row_list.to_owned(), number)),
                Some((first, first_row)) if first != row_list => {
                    ok = false;
                    self.error(
                        number,
                        "type",
                        "grid_lists_differ",
                        format!(
                            "This row chooses from \"{row_list}\" but row {first_row} from \"{first}\"; the rows \
                             of a table-list group (a grid) share one list."
                        ),
                    );
                }
                Some(_) => {}
            }
            if !sheet.get(&row, "relevant").is_empty() {
                ok = false;
                self.error(
                    number,
                    "relevant",
                    "bad_relevant",
                    "A row of a table-list group (a grid) has no condition of its own; put the condition on the \
                     begin_group row.",
                );
            }
            self.check_grid_row_columns(&row);
            let row_required = sheet.get(&row, "required");
            match (yes_no(row_required), required) {
                (None, _) => {
                    ok = false;
                    self.error(
                        number,
                        "required",
                        "unsupported_expression",
                        format!("\"{row_required}\" is neither yes nor no."),
                    );
                }
                (Some(this), Some((first, first_row))) if this != first => {
                    ok = false;
                    self.error(
                        number,
                        "required",
                        "bad_value",
                        format!(
                            "Row {first_row} of this grid says required {} and this row {}; a grid is required as a \
                             whole, so give its rows the same required.",
                            if first { "yes" } else { "no" },
                            if this { "yes" } else { "no" }
                        ),
                    );
                }
                (Some(this), None) => required = Some((this, number)),
                (Some(_), Some(_)) => {}
            }
            let label = sheet.text(&row, "label", self.languages, self.errors);
            // The row's name is its code, unless `nansen_row` gives the code (an export
            // does so when two grids share a row code: XLSForm names must differ).
            let name = self.name(&row);
            let (column, code_text) = match sheet.get(&row, "nansen_row") {
                "" => ("name", name.as_ref().map(|n| n.as_str().to_owned())),
                given => ("nansen_row", Some(given.to_owned())),
            };
            let code = code_text.and_then(|text| match OptionCode::parse(&text) {
                Ok(code) => Some(code),
                Err(e) => {
                    self.error(number, column, "bad_name", format!("{}.", capitalised(&e.to_string())));
                    None
                }
            });
            match (name, code, &id) {
                (Some(name), Some(code), Some(id)) => {
                    self.grid_rows.insert(name.to_string(), (id.clone(), code.clone()));
                    rows.push(Item { code, label });
                }
                _ => ok = false,
            }
        }
        let Some((list, list_row)) = list else {
            if ok {
                self.error(
                    begin.number,
                    "appearance",
                    "empty_grid",
                    "A table-list group is a grid, and this one has no rows; add select_one rows sharing one list, \
                     or delete the group.",
                );
            }
            return None;
        };
        let Some(items) = self.lists.get(&list) else {
            self.error(
                list_row,
                "type",
                "missing_list",
                format!("The choices sheet has no list named \"{list}\"."),
            );
            return None;
        };
        let options = self.lists.options(items, self.errors)?;
        let kind = QuestionKind::Grid { rows, options };
        if !ok {
            return None;
        }
        let required = required.is_some_and(|(r, _)| r);
        Some(Question { id: id?, kind, required, prompt, help, show_if: show_if.ok()? })
    }

    fn note(&mut self, row: &RowRef<'_>) {
        if self.past_intro {
            self.error(
                row.number,
                "type",
                "note_after_questions",
                "Nansen shows text only as the survey's introduction (notes before the first question) and as a \
                 question's hint. Move this text into the hint of the question it belongs to, or delete the row.",
            );
            return;
        }
        if !self.sheet.get(row, "relevant").is_empty() || self.blocks.iter().any(|b| b.condition.is_some()) {
            self.error(
                row.number,
                "relevant",
                "conditional_intro",
                "A note before the first question is the survey's introduction, which every respondent sees; it \
                 cannot have a condition.",
            );
        }
        self.intro.push(self.sheet.text(row, "label", self.languages, self.errors));
    }

    /// Reads `relevant` into a condition on an earlier question, reporting what stands
    /// in the way (unless it looks at a question that could not be read).
    fn condition(&mut self, row: u32, relevant: &str) -> Option<ShowIf> {
        let parsed = match expr::parse_relevant(relevant) {
            Ok(parsed) => parsed,
            Err(why) => {
                self.error(row, "relevant", "unsupported_expression", capitalised(&why));
                return None;
            }
        };
        let (looked_at, row_code) = match self.grid_rows.get(&parsed.question) {
            Some((grid, row_code)) => (grid.as_str().to_owned(), Some(row_code.clone())),
            None => (parsed.question.clone(), None),
        };
        let Some(earlier) = self.questions.iter().find(|q| q.id.as_str() == looked_at) else {
            if !self.failed.contains(&parsed.question) {
                self.error(
                    row,
                    "relevant",
                    "bad_relevant",
                    format!(
                        "The condition looks at ${{{}}}, which is not an earlier question; a condition can only look back.",
                        parsed.question
                    ),
                );
            }
            return None;
        };
        match expr::show_if(earlier, row_code.as_ref(), &parsed.terms) {
            Ok(show_if) => Some(show_if),
            Err(why) => {
                self.error(row, "relevant", "bad_relevant", format!("{}.", capitalised(&why)));
                None
            }
        }
    }

    /// The condition a question is asked under: its own, or its group's.
    fn show_if(&mut self, row: &RowRef<'_>) -> Result<Option<ShowIf>, ()> {
        let own = self.sheet.get(row, "relevant");
        let group = self.blocks.iter().rev().find_map(|b| b.condition.clone());
        match (own.is_empty(), group) {
            (true, None) => Ok(None),
            (true, Some(group)) => group.map(Some),
            (false, Some(_)) => {
                self.error(
                    row.number,
                    "relevant",
                    "nested_condition",
                    "Both this question and a group around it have a condition; a Nansen question depends on one \
                     earlier question only. Keep one of the two.",
                );
                Err(())
            }
            (false, None) => self.condition(row.number, own).map(Some).ok_or(()),
        }
    }

    /// A row's name as a question id, reported if invalid or taken.
    fn name(&mut self, row: &RowRef<'_>) -> Option<QuestionId> {
        let number = row.number;
        let name = self.sheet.get(row, "name");
        if let Some(first) = self.names.insert(name.to_owned(), number) {
            self.error(
                number,
                "name",
                "duplicate_name",
                format!("Row {first} already has the name \"{name}\"; names must differ."),
            );
        }
        match QuestionId::parse(name) {
            Ok(id) => Some(id),
            Err(e) => {
                self.error(number, "name", "bad_name", format!("{}.", capitalised(&e.to_string())));
                None
            }
        }
    }

    fn question(&mut self, row: &RowRef<'_>, kind: RowType, rest: &[&str]) -> Option<Question> {
        let number = row.number;
        let id = self.name(row);
        let prompt = self.sheet.text(row, "label", self.languages, self.errors);
        let help = self.sheet.text(row, "hint", self.languages, self.errors);
        let required_cell = self.sheet.get(row, "required");
        let required = yes_no(required_cell).unwrap_or_else(|| {
            self.error(
                number,
                "required",
                "unsupported_expression",
                format!("\"{required_cell}\" is neither yes nor no; Nansen carries required as yes or no, not as an expression."),
            );
            false
        });
        let show_if = self.show_if(row);
        self.check_columns(row, kind);
        let kind = self.kind(row, kind, rest);
        Some(Question { id: id?, kind: kind?, required, prompt, help, show_if: show_if.ok()? })
    }

    /// The questions read and the introduction, reporting groups left open.
    pub fn finish(self) -> (Vec<Question>, Localized) {
        for block in &self.blocks {
            let what = if block.repeat { "begin_repeat" } else { "begin_group" };
            let error = self.sheet.place(block.row, "type").error(
                "unbalanced_group",
                format!(
                    "This {what} is never closed; add an {} row after its last question.",
                    what.replace("begin", "end")
                ),
            );
            self.errors.push(error);
        }
        (self.questions, join_paragraphs(&self.intro))
    }
}

/// Texts in several languages joined as paragraphs, per language.
fn join_paragraphs(parts: &[Localized]) -> Localized {
    let mut joined: BTreeMap<LanguageTag, String> = BTreeMap::new();
    for part in parts {
        for (language, text) in &part.0 {
            let entry = joined.entry(language.clone()).or_default();
            if !entry.is_empty() {
                entry.push_str("\n\n");
            }
            entry.push_str(text);
        }
    }
    Localized(joined)
}
