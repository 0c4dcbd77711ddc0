//! An XLSForm read into a draft survey: the settings and the languages first, then the
//! choice lists, then the survey sheet row by row. Every problem is collected, with its
//! place, and none stops the reading: the designer fixes them all in one go.

use std::collections::{BTreeMap, HashMap, HashSet};

use nansen_shared::countries::CODES;
use nansen_shared::{
    Bin, Choice, CountryCode, Crosstab, FieldError, LanguageTag, Localized, OptionCode, Question, QuestionId,
    QuestionKind, Settings, ShowIf, Slug, Survey,
};

use super::columns::{CHOICES, Header, SETTINGS, SURVEY, language_code};
use super::workbook::{Table, Workbook};
use super::{Place, ReadError, expr};

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
    if !errors.0.is_empty() {
        return Err(ReadError::Refused(errors.0));
    }
    let Some(head) = head else {
        return Err(ReadError::Refused(vec![
            Place::sheet(SETTINGS).error("missing_sheet", "form_id is missing."),
        ]));
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
    fn push(&mut self, error: FieldError) {
        if !self.0.iter().any(|e| e.pointer == error.pointer && e.code == error.code) {
            self.0.push(error);
        }
    }
}

/// A sheet with its headers taken apart.
struct Sheet {
    name: &'static str,
    exists: bool,
    raw_headers: Vec<String>,
    headers: Vec<Header>,
    rows: BTreeMap<u32, Vec<String>>,
}

/// A row of a sheet: its number as Excel shows it, and its cells.
struct RowRef<'a> {
    number: u32,
    cells: &'a [String],
}

impl Sheet {
    fn new(name: &'static str, table: Option<Table>) -> Self {
        let exists = table.is_some();
        let table = table.unwrap_or_default();
        let headers = table.headers.iter().map(|h| Header::parse(h)).collect();
        Self { name, exists, raw_headers: table.headers, headers, rows: table.rows }
    }

    /// The column `name` in no particular language.
    fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.name == name && h.language.is_none())
    }

    fn header_place(&self) -> Place {
        Place { sheet: self.name, row: Some(1), column: None }
    }

    fn place_at(&self, row: u32, index: usize) -> Place {
        let header = self.raw_headers.get(index).cloned().unwrap_or_default();
        Place { sheet: self.name, row: Some(row), column: Some((header.trim().to_owned(), Some(index))) }
    }

    /// Row `row`, column `name` (which the sheet may not have yet).
    fn place(&self, row: u32, name: &str) -> Place {
        match self.column(name) {
            Some(index) => self.place_at(row, index),
            None => Place { sheet: self.name, row: Some(row), column: Some((name.to_owned(), None)) },
        }
    }

    /// The cell of `row` in column `name`, trimmed; empty when there is none.
    fn get<'a>(&self, row: &'a RowRef<'_>, name: &str) -> &'a str {
        self.column(name).and_then(|i| row.cells.get(i)).map_or("", |s| s.trim())
    }

    /// The text of `row` in every language column of `name` (`label`, `label::Russian (ru)`).
    fn text(&self, row: &RowRef<'_>, name: &str, languages: &Languages, errors: &mut Errors) -> Localized {
        let mut text = Localized::default();
        for (index, header) in self.headers.iter().enumerate() {
            let Some(cell) = row.cells.get(index).filter(|c| header.name == name && !c.trim().is_empty())
            else {
                continue;
            };
            let Some(language) = languages.of(header) else { continue };
            if let Some(start) = cell.find("${") {
                let reference: String =
                    cell[start..].chars().take_while(|c| *c != '}').chain(['}']).collect();
                errors.push(self.place_at(row.number, index).error(
                    "reference_in_text",
                    format!(
                        "The text refers to an answer ({reference}); Nansen shows every respondent the same words, \
                         and never repeats an answer back. Write the text without it."
                    ),
                ));
            }
            text.0.insert(language, cell.clone());
        }
        text
    }
}

/// The survey's languages, from the text columns' headers and `default_language`.
struct Languages {
    /// The language of columns that name none (`label`): the default language.
    default: Option<LanguageTag>,
    /// Each language as the headers write it (`Russian (ru)`), by code.
    written: HashMap<String, LanguageTag>,
    /// The default language first, then the others as the columns first name them.
    order: Vec<LanguageTag>,
}

/// The columns that hold text a respondent reads, per sheet.
const TEXT_COLUMNS: [(&str, &[&str]); 3] = [
    (SURVEY, &["label", "hint", "unit", "min_label", "max_label"]),
    (CHOICES, &["label"]),
    (SETTINGS, &["form_title", "nansen_title"]),
];

impl Languages {
    fn read(survey: &Sheet, choices: &Sheet, settings: &Sheet, errors: &mut Errors) -> Self {
        let mut languages = Self { default: None, written: HashMap::new(), order: Vec::new() };
        if let Some((&number, cells)) = settings.rows.iter().next() {
            let row = RowRef { number, cells };
            let written = settings.get(&row, "default_language");
            if !written.is_empty() {
                match language_code(written) {
                    Some(code) => languages.default = Some(code),
                    None => errors.push(settings.place(number, "default_language").error(
                        "bad_language",
                        format!(
                            "\"{written}\" names no language code; write it as XLSForm does, with the code in \
                             brackets, such as English (en) or Русский (ru)."
                        ),
                    )),
                }
            }
        }
        let text_headers: Vec<(&Sheet, usize, &Header)> = [survey, choices, settings]
            .into_iter()
            .flat_map(|sheet| {
                let columns =
                    TEXT_COLUMNS.iter().find(|(name, _)| *name == sheet.name).map_or(&[][..], |t| t.1);
                sheet
                    .headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| columns.contains(&h.name.as_str()))
                    .map(move |(i, h)| (sheet, i, h))
            })
            .collect();
        for (sheet, index, header) in &text_headers {
            let Some(written) = &header.language else { continue };
            match language_code(written) {
                Some(code) => {
                    languages.written.insert(written.clone(), code.clone());
                    if !languages.order.contains(&code) {
                        languages.order.push(code);
                    }
                }
                None => errors.push(sheet.place_at(1, *index).error(
                    "bad_language",
                    format!(
                        "\"{written}\" names no language code; name the column as XLSForm does, with the code in \
                         brackets: {}::{written} (en).",
                        header.name
                    ),
                )),
            }
        }
        // Without default_language, the columns that name no language are in the first
        // language the others name (a form_title beside label::English (en) columns).
        if languages.default.is_none() {
            languages.default = languages.order.first().cloned();
        }
        let mut seen: HashSet<(&str, String, LanguageTag)> = HashSet::new();
        for (sheet, index, header) in &text_headers {
            let Some(language) = languages.of(header) else {
                if header.language.is_none() {
                    errors.push(sheet.place_at(1, *index).error(
                        "unnamed_language",
                        "This column names no language, and no other column does. Name it as label::English (en) \
                         does, or set default_language in the settings sheet to its language, such as English (en).",
                    ));
                }
                continue;
            };
            if !seen.insert((sheet.name, header.name.clone(), language)) {
                errors.push(sheet.place_at(1, *index).error(
                    "duplicate_column",
                    "An earlier column holds the same text in the same language; keep one of them.",
                ));
            }
        }
        if let Some(default) = languages.default.clone() {
            languages.order.retain(|l| *l != default);
            languages.order.insert(0, default);
        }
        if languages.order.is_empty() && survey.exists {
            errors.push(survey.header_place().error(
                "no_labels",
                "The survey sheet has no label columns; add one per language, such as label::English (en).",
            ));
        }
        languages
    }

    /// The language of a text column.
    fn of(&self, header: &Header) -> Option<LanguageTag> {
        match &header.language {
            None => self.default.clone(),
            Some(written) => self.written.get(written).cloned(),
        }
    }
}

/// A row of the choices sheet.
struct ListItem {
    row: u32,
    name: String,
    label: Localized,
    exclusive: bool,
    min: String,
    max: String,
}

/// The choices sheet's lists, by name, each in its rows' order.
struct Lists<'a> {
    sheet: &'a Sheet,
    lists: HashMap<String, Vec<ListItem>>,
}

/// Columns whose content cannot be carried, wherever they are, and why.
const REFUSED_COLUMNS: [(&str, &str); 10] = [
    (
        "image",
        "Nansen shows no pictures: every file a respondent loads comes from this server, and pictures are not kept",
    ),
    ("big-image", "Nansen shows no pictures"),
    ("audio", "Nansen plays no sounds"),
    ("video", "Nansen plays no videos"),
    ("choice_filter", "Nansen offers every respondent the same options; filtered choices are not carried"),
    ("calculation", "Nansen calculates nothing from answers: every stored count comes from an answer"),
    ("default", "Nansen fills in no answer in advance: a default would be counted as an answer nobody gave"),
    ("read_only", "Nansen has no read-only questions"),
    ("trigger", "Nansen recalculates nothing when answers change"),
    ("repeat_count", "Nansen has no repeated groups"),
];

/// Reports every non-empty cell of `row` in a refused column.
fn refuse_columns(sheet: &Sheet, row: &RowRef<'_>, errors: &mut Errors) {
    for (index, header) in sheet.headers.iter().enumerate() {
        // `media::image::English (en)` is a picture too.
        let name = if header.name == "media" { "image" } else { header.name.as_str() };
        let Some((_, why)) = REFUSED_COLUMNS.iter().find(|(refused, _)| *refused == name) else { continue };
        if row.cells.get(index).is_some_and(|c| !c.trim().is_empty()) {
            errors.push(
                sheet
                    .place_at(row.number, index)
                    .error("unsupported_column", format!("{why}. Empty this cell.")),
            );
        }
    }
}

/// Whether a cell says yes (`yes`, `true`, `true()`, `1`), no (empty, `no`, `false`,
/// `false()`, `0`), or something else (`None`).
fn yes_no(cell: &str) -> Option<bool> {
    match cell.to_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" | "y" => Some(true),
        "" | "no" | "false" | "false()" | "0" | "n" => Some(false),
        _ => None,
    }
}

impl<'a> Lists<'a> {
    fn read(sheet: &'a Sheet, languages: &Languages, errors: &mut Errors) -> Self {
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

    fn get(&self, name: &str) -> Option<&[ListItem]> {
        self.lists.get(name).map(Vec::as_slice)
    }

    /// A list's items as options: codes checked, labels as written.
    fn options(&self, items: &[ListItem], errors: &mut Errors) -> Option<Vec<Choice>> {
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
    fn countries(&self, items: &[ListItem], errors: &mut Errors) -> Option<Option<Vec<CountryCode>>> {
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
    fn bins(&self, items: &[ListItem], errors: &mut Errors) -> Option<Vec<Bin>> {
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

/// An open `begin_group` or `begin_repeat`.
struct Block {
    row: u32,
    repeat: bool,
    /// The group's condition, read against the questions before it; `Err` when it
    /// cannot be carried (reported once, at the group).
    condition: Option<Result<ShowIf, ()>>,
    /// grid/ranking: a `table-list` group's rows, gathered until its `end_group`.
    table: Option<Vec<u32>>,
}

/// Reads the survey sheet, row by row.
struct SurveyReader<'a> {
    sheet: &'a Sheet,
    languages: &'a Languages,
    lists: &'a Lists<'a>,
    errors: &'a mut Errors,
    questions: Vec<Question>,
    /// Names of question rows that could not be read, so that conditions on them are
    /// not reported a second time.
    failed: HashSet<String>,
    /// Every name given so far, with its row.
    names: HashMap<String, u32>,
    blocks: Vec<Block>,
    intro: Vec<Localized>,
    /// Whether a question row (readable or not) has been seen: notes after it cannot
    /// be the introduction.
    past_intro: bool,
}

/// The question types, as `type` cells write them, after the first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowType {
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
            "\"{name}\" is not a question type Nansen can carry; it takes select_one, select_multiple, range, integer, \
             decimal and note (see docs/XLSFORM.md)."
        ),
    }
}

impl<'a> SurveyReader<'a> {
    fn new(sheet: &'a Sheet, languages: &'a Languages, lists: &'a Lists<'a>, errors: &'a mut Errors) -> Self {
        Self {
            sheet,
            languages,
            lists,
            errors,
            questions: Vec::new(),
            failed: HashSet::new(),
            names: HashMap::new(),
            blocks: Vec::new(),
            intro: Vec::new(),
            past_intro: false,
        }
    }

    fn error(&mut self, row: u32, column: &str, code: &str, detail: impl Into<String>) {
        let error = self.sheet.place(row, column).error(code, detail);
        self.errors.push(error);
    }

    fn row(&mut self, row: &RowRef<'_>) {
        let type_cell = self.sheet.get(row, "type");
        if type_cell.is_empty() {
            if !self.sheet.get(row, "name").is_empty() {
                self.error(row.number, "type", "missing_type", "This row has a name but no type.");
            }
            return;
        }
        // grid/ranking: rows of a table-list group wait for its end, to become one grid.
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
                if let Some(rows) = block.table {
                    self.grid(block.row, &rows);
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

    /// grid/ranking: a `table-list` group of `select_one` rows sharing one list is a grid
    /// question, its rows the grid's rows; not supported until the grid kind exists.
    fn grid(&mut self, begin: u32, _rows: &[u32]) {
        self.past_intro = true;
        self.error(
            begin,
            "appearance",
            "not_supported_yet",
            "A table-list group is a grid question, which Nansen does not support yet. Remove the appearance \
             table-list to import its rows as separate questions.",
        );
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
        let Some(earlier) = self.questions.iter().find(|q| q.id.as_str() == parsed.question) else {
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
        match expr::show_if(earlier, &parsed.terms) {
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

    fn question(&mut self, row: &RowRef<'_>, kind: RowType, rest: &[&str]) -> Option<Question> {
        let number = row.number;
        let name = self.sheet.get(row, "name");
        let id = match QuestionId::parse(name) {
            Ok(id) => Some(id),
            Err(e) => {
                self.error(number, "name", "bad_name", format!("{}.", capitalised(&e.to_string())));
                None
            }
        };
        if let Some(first) = self.names.insert(name.to_owned(), number) {
            self.error(
                number,
                "name",
                "duplicate_name",
                format!("Row {first} already has the name \"{name}\"; names must differ."),
            );
        }
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

    /// Columns that belong to other kinds of question must be empty.
    fn check_columns(&mut self, row: &RowRef<'_>, kind: RowType) {
        let allowed: &[&str] = match kind {
            RowType::SelectMultiple => &["max_choices", "constraint"],
            RowType::Range => &["parameters", "min_label", "max_label"],
            RowType::Integer | RowType::Decimal => &["bins", "unit", "constraint"],
            _ => &[],
        };
        for column in ["max_choices", "constraint", "parameters", "min_label", "max_label", "bins", "unit"] {
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
                    other => format!("{other} does not apply to this type of question; empty this cell."),
                };
                let error = self.sheet.place_at(row.number, index).error("misplaced_column", why);
                self.errors.push(error);
            }
        }
    }

    fn kind(&mut self, row: &RowRef<'_>, kind: RowType, rest: &[&str]) -> Option<QuestionKind> {
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
            // grid/ranking: `rank L` becomes a ranking of the list's items.
            self.error(
                number,
                "type",
                "not_supported_yet",
                "Nansen does not support ranking questions yet; ask it as a select_multiple with max_choices for now.",
            );
            return None;
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
        let constraint = self.sheet.get(row, "constraint");
        let from_constraint = match constraint {
            "" => None,
            text => match expr::parse_max_choices(text) {
                Ok(n) => Some(n),
                Err(why) => {
                    self.error(
                        row.number,
                        "constraint",
                        "unsupported_expression",
                        capitalised(&format!("{why}.")),
                    );
                    return None;
                }
            },
        };
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
        let constraint = self.sheet.get(row, "constraint");
        let range = match (constraint, &bins) {
            ("", Some(bins)) if !bins.is_empty() => {
                bins.iter().map(|b| b.min).min().zip(bins.iter().map(|b| b.max).max())
            }
            ("", Some(_)) => {
                self.error(
                    row.number,
                    "constraint",
                    "missing_range",
                    "A number question needs its range: write the constraint . >= 0 and . <= 120, or bins.",
                );
                None
            }
            ("", None) => None,
            (text, _) => match expr::parse_range(text) {
                Ok(range) => Some(range),
                Err(why) => {
                    self.error(
                        row.number,
                        "constraint",
                        "unsupported_expression",
                        capitalised(&format!("{why}.")),
                    );
                    None
                }
            },
        };
        let unit = self.sheet.text(row, "unit", self.languages, self.errors);
        let ((min, max), bins) = (range?, bins?);
        Some(QuestionKind::Number { min, max, bins, unit })
    }

    /// The questions read and the introduction, reporting groups left open.
    fn finish(self) -> (Vec<Question>, Localized) {
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

/// The list whose select_one is a country question.
pub const COUNTRY_LIST: &str = "countries";

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

/// What the settings sheet says of the survey as a whole.
struct Head {
    slug: Slug,
    title: Localized,
    settings: Settings,
    crosstabs: Vec<Crosstab>,
}

fn read_settings(sheet: &Sheet, languages: &Languages, errors: &mut Errors) -> Option<Head> {
    let Some((&number, cells)) = sheet.rows.iter().next() else {
        errors.push(Place::sheet(SETTINGS).error(
            "missing_sheet",
            "The workbook has no settings sheet with a row of settings; it needs at least form_id (the survey's \
             address, such as diaspora-2025) and form_title.",
        ));
        return None;
    };
    let row = RowRef { number, cells };
    let form_id = sheet.get(&row, "form_id");
    let slug = match Slug::parse(form_id) {
        Ok(slug) => Some(slug),
        Err(e) => {
            let suggestion: String = form_id
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let hint = if suggestion.is_empty() || suggestion == form_id {
                String::new()
            } else {
                format!(", such as {suggestion}")
            };
            errors.push(sheet.place(number, "form_id").error(
                "bad_form_id",
                format!("form_id is the survey's address (/s/{{form_id}}): {}{hint}.", e.rule),
            ));
            None
        }
    };
    let mut title = sheet.text(&row, "form_title", languages, errors);
    for (language, text) in sheet.text(&row, "nansen_title", languages, errors).0 {
        title.0.entry(language).or_insert(text);
    }
    let settings_cell = sheet.get(&row, "nansen_settings");
    let settings = if settings_cell.is_empty() {
        Settings::default()
    } else {
        serde_json::from_str(settings_cell).unwrap_or_else(|e| {
            errors.push(sheet.place(number, "nansen_settings").error(
                "bad_settings",
                format!("These settings are not the JSON of a survey's settings ({e}); see docs/XLSFORM.md."),
            ));
            Settings::default()
        })
    };
    let crosstabs = crosstabs(sheet.get(&row, "nansen_crosstabs")).unwrap_or_else(|why| {
        errors.push(sheet.place(number, "nansen_crosstabs").error("bad_crosstabs", why));
        Vec::new()
    });
    Some(Head { slug: slug?, title, settings, crosstabs })
}

/// Cross-tabulations written as `rows:columns; rows:columns`.
pub fn crosstabs(text: &str) -> Result<Vec<Crosstab>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (rows, columns) = pair.split_once(':').ok_or_else(|| {
                format!("\"{pair}\" is not a pair; write rows:columns, such as left_when:return_intention.")
            })?;
            let id = |s: &str| {
                QuestionId::parse(s.trim()).map_err(|e| format!("{}.", capitalised(&e.to_string())))
            };
            Ok(Crosstab { rows: id(rows)?, columns: id(columns)? })
        })
        .collect()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
