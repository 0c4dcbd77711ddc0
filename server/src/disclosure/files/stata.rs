//! A release as a Stata 14+ dataset (`.dta`, format 118, UTF-8), written from Stata's
//! published description of the format ("dta format 118"), and the dataset itself, which
//! the SPSS file (`spss.rs`) holds too.
//!
//! The dataset has a row per count, weighted by `count`: `table` is 0 for a question's
//! option (its variable holds the option's number, every other question's is missing)
//! and 1, 2, … for the cells of the declared cross-tabulations (both questions' variables
//! set), so that `tab left_when if table==0 [fw=count]` gives the one-way table and
//! `tab left_when return_intention if table==1 [fw=count]` the cross-tabulation. A
//! withheld count is missing and its row is still there; a true zero is 0. One-way rows
//! carry the option's `share` of those who answered with its 95 % interval (`ci_low`,
//! `ci_high`). The dataset's label and notes say where the figures come from
//! (`Tables::provenance`). Its size depends on the questions and options only.

use std::collections::HashMap;

use nansen_shared::{Question, QuestionKind};

use crate::disclosure::tables::{Tables, hour};

// ---------------------------------------------------------------------------------------
// The dataset both files hold.
// ---------------------------------------------------------------------------------------

/// What a variable holds, which decides its storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A small whole number from 0 with value labels: a question's option, `table`.
    Code,
    /// A count: a whole number, possibly large.
    Count,
    /// A real number: a share or a bound of its interval.
    Real,
}

/// How a variable's values compare (SPSS records it; Stata does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    Nominal,
    Ordinal,
    Scale,
}

/// One column of the dataset.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Variable {
    /// The name wanted: a question's id, or `table`, `count`, …; each file makes it a
    /// valid, unique name of its own format ([`names`]).
    pub name: String,
    /// The variable label: the question's text in the chosen language.
    pub label: String,
    pub kind: Kind,
    pub measure: Measure,
    /// Value labels, by value, in ascending order.
    pub value_labels: Vec<(u32, String)>,
    /// A question's variable, which a file may have to rename; else one of the file's
    /// own (`table`, `count`, …), which keep their names.
    pub question: bool,
}

/// The dataset: variables, rows of values (`None` is missing), and what the file says
/// about itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Dataset {
    /// A short label: the survey's title and the release.
    pub label: String,
    /// The notes, the provenance first.
    pub notes: Vec<String>,
    pub variables: Vec<Variable>,
    pub rows: Vec<Vec<Option<f64>>>,
    /// The declared cross-tabulations: `table`'s value, and the columns of their two
    /// questions.
    pub crosstabs: Vec<(u32, usize, usize)>,
    /// When the release was made, seconds since the epoch (UTC).
    pub made_at: Option<i64>,
}

impl Dataset {
    /// The value labels of variable `index`; `table`'s name each cross-tabulation by
    /// the variables of its two questions as the file calls them (`names`).
    pub(super) fn value_labels(&self, index: usize, names: &[String]) -> Vec<(u32, String)> {
        let mut labels = self.variables[index].value_labels.clone();
        if index == 0 {
            labels
                .extend(self.crosstabs.iter().map(|&(n, r, c)| (n, format!("{} × {}", names[r], names[c]))));
        }
        labels
    }
}

/// The file's own variables: `table` first, then the questions, then these.
const TABLE: &str = "table";
const FIXED_AFTER: [&str; 4] = ["count", "share", "ci_low", "ci_high"];

/// The dataset of `tables`, in its language.
pub(super) fn dataset(tables: &Tables<'_>) -> Dataset {
    let mut variables = vec![Variable {
        name: TABLE.to_owned(),
        label: "Table: 0 one-way counts, 1, 2, … the declared cross-tabulations".to_owned(),
        kind: Kind::Code,
        measure: Measure::Nominal,
        value_labels: vec![(0, "one-way counts".to_owned())],
        question: false,
    }];
    // Each question's column and the positions of its options.
    let mut columns: HashMap<&str, (usize, HashMap<String, u32>)> = HashMap::new();
    let mut one_way = Vec::new();
    for row in tables.rows() {
        let index = question_column(&mut variables, &mut columns, tables, row.question);
        let position = u32::try_from(row.position).unwrap_or(u32::MAX);
        if let Some((_, positions)) = columns.get_mut(row.question.id.as_str()) {
            positions.insert(row.option.to_owned(), position);
        }
        variables[index].value_labels.push((position, clean(&row.label)));
        one_way.push((index, position, row.count, row.share));
    }
    let mut cross = Vec::new();
    let mut crosstabs = Vec::new();
    for (number, table) in tables.results.crosstabs.iter().enumerate() {
        let (Some((_, rows)), Some((_, cols))) =
            (tables.survey.question(table.rows.as_str()), tables.survey.question(table.columns.as_str()))
        else {
            continue;
        };
        let number = u32::try_from(number + 1).unwrap_or(u32::MAX);
        let r = question_column(&mut variables, &mut columns, tables, rows);
        let c = question_column(&mut variables, &mut columns, tables, cols);
        crosstabs.push((number, r, c));
        for cell in &table.cells {
            let r = position_of(&mut variables, &mut columns, tables, rows, &cell.row);
            let c = position_of(&mut variables, &mut columns, tables, cols, &cell.column);
            cross.push((number, r, c, cell.count));
        }
    }
    let questions = variables.len();
    for name in FIXED_AFTER {
        let (label, kind) = match name {
            "count" => ("Count (frequency weight); missing: withheld", Kind::Count),
            "share" => ("Share of those who answered the question", Kind::Real),
            "ci_low" => ("Share: 95 % interval, lower bound", Kind::Real),
            _ => ("Share: 95 % interval, upper bound", Kind::Real),
        };
        variables.push(Variable {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
            measure: Measure::Scale,
            value_labels: Vec::new(),
            question: false,
        });
    }
    let width = variables.len();
    let count_at = questions;
    let mut data = Vec::with_capacity(one_way.len() + cross.len());
    for (index, position, count, share) in one_way {
        let mut row = vec![None; width];
        row[0] = Some(0.0);
        row[index] = Some(f64::from(position));
        row[count_at] = count.map(|n| n as f64);
        if let Some(share) = share {
            row[count_at + 1] = Some(share.value);
            row[count_at + 2] = Some(share.ci95.low);
            row[count_at + 3] = Some(share.ci95.high);
        }
        data.push(row);
    }
    for (number, (r, r_position), (c, c_position), count) in cross {
        let mut row = vec![None; width];
        row[0] = Some(f64::from(number));
        row[r] = Some(f64::from(r_position));
        row[c] = Some(f64::from(c_position));
        row[count_at] = count.map(|n| n as f64);
        data.push(row);
    }
    for variable in &mut variables {
        variable.value_labels.sort_by_key(|(value, _)| *value);
        variable.value_labels.dedup_by_key(|(value, _)| *value);
    }
    Dataset {
        label: format!("{} — release {}", tables.title(), tables.release()),
        notes: notes(tables),
        variables,
        rows: data,
        crosstabs,
        made_at: tables.results.release.as_ref().map(|r| r.made_at),
    }
}

/// The column of `question`, made (after the questions so far) when it has none yet.
fn question_column<'a>(
    variables: &mut Vec<Variable>,
    columns: &mut HashMap<&'a str, (usize, HashMap<String, u32>)>,
    tables: &Tables<'_>,
    question: &'a Question,
) -> usize {
    if let Some((index, _)) = columns.get(question.id.as_str()) {
        return *index;
    }
    let measure = match question.kind {
        QuestionKind::Scale { .. } | QuestionKind::Number { .. } => Measure::Ordinal,
        _ => Measure::Nominal,
    };
    variables.push(Variable {
        name: question.id.as_str().to_owned(),
        label: clean(&tables.question_text(question)),
        kind: Kind::Code,
        measure,
        value_labels: Vec::new(),
        question: true,
    });
    let index = variables.len() - 1;
    columns.insert(question.id.as_str(), (index, HashMap::new()));
    index
}

/// The column of `question` and the value of its answer `code`: the option's position
/// among the one-way counts, or (for a code a cross-tabulation has and the one-way
/// counts do not) the next free value, labelled.
fn position_of<'a>(
    variables: &mut Vec<Variable>,
    columns: &mut HashMap<&'a str, (usize, HashMap<String, u32>)>,
    tables: &Tables<'_>,
    question: &'a Question,
    code: &str,
) -> (usize, u32) {
    let index = question_column(variables, columns, tables, question);
    let Some((_, positions)) = columns.get_mut(question.id.as_str()) else { return (index, 0) };
    if let Some(position) = positions.get(code) {
        return (index, *position);
    }
    let position = u32::try_from(positions.len() + 1).unwrap_or(u32::MAX);
    positions.insert(code.to_owned(), position);
    variables[index].value_labels.push((position, clean(&tables.answer_label(question, code))));
    (index, position)
}

/// The notes every file carries: the provenance, how to read the rows, the respondents,
/// the means and any post-stratified shares.
fn notes(tables: &Tables<'_>) -> Vec<String> {
    let results = tables.results;
    let mut notes = vec![
        clean(&tables.provenance()),
        "One row per count. table = 0: a question's options, its variable holding the option's \
         number (the other questions' are missing); table = 1, 2, …: the cells of a declared \
         cross-tabulation, both questions' variables set (table's value labels name them). count \
         is a frequency weight (Stata: [fw=count]; SPSS: WEIGHT BY count). A missing count was \
         withheld; 0 is a true zero. share, ci_low, ci_high: the option's share of those who \
         answered the question, with its 95 % interval. (PSPP 1.6 miscounts CROSSTABS when rows \
         of zero or missing weight are among those it reads: select count > 0 too.)"
            .to_owned(),
    ];
    let answered: Vec<String> = tables
        .questions()
        .map(|(_, q, published)| {
            format!("{} {}", q.id, published.answered.map_or("withheld".to_owned(), |n| n.to_string()))
        })
        .collect();
    notes.push(format!(
        "Respondents: {}. Answered each question: {}.",
        results.respondents.map_or("withheld".to_owned(), |n| n.to_string()),
        answered.join(", ")
    ));
    for (question, mean) in tables.means() {
        notes.push(format!(
            "Mean of {}: {:.2} (95 % interval {:.2} to {:.2}), standard deviation {:.2}, from {} numbers.",
            question.id, mean.value, mean.ci95.low, mean.ci95.high, mean.sd, mean.n
        ));
    }
    if let Some(weighted) = tables.weighted() {
        for question in &weighted.questions {
            let Some((_, q)) = tables.survey.question(question.id.as_str()) else { continue };
            let shares: Vec<String> = question
                .options
                .iter()
                .map(|(code, share)| {
                    let label = tables.answer_label(q, code);
                    match share {
                        Some(s) => format!("{label} {:.4} [{:.4}, {:.4}]", s.value, s.ci95.low, s.ci95.high),
                        None => format!("{label} withheld"),
                    }
                })
                .collect();
            notes.push(clean(&format!(
                "Weighted shares of {} (post-stratified by {}): {}.",
                question.id,
                weighted.by,
                shares.join("; ")
            )));
        }
    }
    notes
}

/// Text without NUL bytes, which both formats end strings with.
pub(super) fn clean(text: &str) -> String {
    text.replace('\0', "")
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
pub(super) fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` in at most `max_bytes` bytes and `max_chars` characters, ending in "…" when it
/// had to be shortened; and whether it was.
pub(super) fn shorten(text: &str, max_chars: usize, max_bytes: usize) -> (String, bool) {
    if text.len() <= max_bytes && text.chars().count() <= max_chars {
        return (text.to_owned(), false);
    }
    let ellipsis = '…';
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count + 2 > max_chars || out.len() + c.len_utf8() + ellipsis.len_utf8() > max_bytes {
            break;
        }
        out.push(c);
    }
    out.push(ellipsis);
    (out, true)
}

impl Dataset {
    /// The variables' names in a format: `valid` says which it accepts (characters,
    /// length, reserved words); every name is unique ignoring case. The fixed variables
    /// keep theirs; a question whose id is taken or not valid gets `q_` before it, then
    /// a number after it, within `max` bytes.
    pub(super) fn names(&self, max: usize, valid: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out: Vec<String> =
            self.variables.iter().map(|v| if v.question { String::new() } else { v.name.clone() }).collect();
        let mut taken: Vec<String> = out.iter().filter(|n| !n.is_empty()).cloned().collect();
        for (variable, name) in self.variables.iter().zip(&mut out) {
            if !variable.question {
                continue;
            }
            let base: String = variable
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
                .collect();
            let prefixed = format!("q_{base}");
            let numbered = (2..).map(|n: usize| {
                let suffix = format!("_{n}");
                format!("{}{suffix}", cut(&prefixed, max.saturating_sub(suffix.len())))
            });
            let mut candidates =
                [cut(&base, max).to_owned(), cut(&prefixed, max).to_owned()].into_iter().chain(numbered);
            let free = |c: &String| valid(c) && !taken.iter().any(|t| t.eq_ignore_ascii_case(c));
            *name = candidates.find(free).unwrap_or_default();
            taken.push(name.clone());
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// The Stata file.
// ---------------------------------------------------------------------------------------

/// Stata's storage types in format 118, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Storage {
    Byte,
    Int,
    Long,
    Double,
}

impl Storage {
    fn code(self) -> u16 {
        match self {
            Self::Byte => 65530,
            Self::Int => 65529,
            Self::Long => 65528,
            Self::Double => 65526,
        }
    }

    /// The default display format Stata gives the type.
    fn format(self) -> &'static str {
        match self {
            Self::Byte | Self::Int => "%8.0g",
            Self::Long => "%12.0g",
            Self::Double => "%10.0g",
        }
    }

    /// The smallest type that holds whole numbers up to `max` (Stata keeps the top of
    /// each range for its missing values).
    fn whole(max: f64) -> Self {
        match max {
            m if m <= 100.0 => Self::Byte,
            m if m <= 32_740.0 => Self::Int,
            m if m <= 2_147_483_620.0 => Self::Long,
            _ => Self::Double,
        }
    }

    fn write(self, out: &mut Vec<u8>, value: Option<f64>) {
        match (self, value.filter(|v| v.is_finite())) {
            (Self::Byte, Some(v)) => out.push(v as i8 as u8),
            (Self::Byte, None) => out.push(101),
            (Self::Int, Some(v)) => out.extend_from_slice(&(v as i16).to_le_bytes()),
            (Self::Int, None) => out.extend_from_slice(&32_741i16.to_le_bytes()),
            (Self::Long, Some(v)) => out.extend_from_slice(&(v as i32).to_le_bytes()),
            (Self::Long, None) => out.extend_from_slice(&2_147_483_621i32.to_le_bytes()),
            (Self::Double, Some(v)) => out.extend_from_slice(&v.to_le_bytes()),
            (Self::Double, None) => out.extend_from_slice(&MISSING_DOUBLE.to_le_bytes()),
        }
    }

    fn width(self) -> usize {
        match self {
            Self::Byte => 1,
            Self::Int => 2,
            Self::Long => 4,
            Self::Double => 8,
        }
    }
}

/// Stata's `.` as a double: 2¹⁰²³.
const MISSING_DOUBLE: u64 = 0x7FE0_0000_0000_0000;

/// Names Stata reserves (`str1` … `str2045` are reserved too).
const STATA_RESERVED: [&str; 22] = [
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi",
    "_pred", "_rc", "_skip", "strL", "using", "with", "_se", "str",
];

/// Whether `name` is a name Stata accepts: 1 to 32 letters, digits and underscores,
/// not starting with a digit, not reserved.
fn stata_name(name: &str) -> bool {
    let reserved = STATA_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
        || name.strip_prefix("str").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (1..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !reserved
}

/// Stata's limits: 80 characters for labels of variables and of the dataset (in 118,
/// up to 4 bytes each); 32,000 bytes for a value label.
const LABEL_CHARS: usize = 80;
const LABEL_BYTES: usize = 320;
const VALUE_LABEL_BYTES: usize = 32_000;
/// Fixed field sizes in format 118: names (with their NUL), formats, variable labels.
const NAME: usize = 129;
const FORMAT: usize = 57;
const VARIABLE_LABEL: usize = 321;

/// The release as a `.dta` file (format 118, little-endian).
pub fn dta(tables: &Tables<'_>) -> anyhow::Result<Vec<u8>> {
    write(&dataset(tables))
}

/// `dataset` as a `.dta` file.
pub(super) fn write(dataset: &Dataset) -> anyhow::Result<Vec<u8>> {
    let k = u16::try_from(dataset.variables.len())
        .ok()
        .filter(|&k| k <= 32_767)
        .ok_or_else(|| anyhow::anyhow!("{} variables are more than Stata takes", dataset.variables.len()))?;
    let names = dataset.names(32, stata_name);
    let storage: Vec<Storage> = dataset
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| match v.kind {
            Kind::Real => Storage::Double,
            Kind::Code | Kind::Count => {
                let max = dataset.rows.iter().filter_map(|r| r[i]).fold(0.0, f64::max);
                // Counts are `long` whatever their size, so that every release's file has
                // the same layout (and `append` nothing to promote).
                let smallest = if v.kind == Kind::Count { Storage::Long } else { Storage::Byte };
                Storage::whole(max).max(smallest)
            }
        })
        .collect();

    let mut out = File::default();
    let mut map = [0u64; 14];
    out.tag("<stata_dta>");
    out.tag("<header>");
    out.tag("<release>118</release>");
    out.tag("<byteorder>LSF</byteorder>");
    out.tag("<K>");
    out.bytes(&k.to_le_bytes());
    out.tag("</K><N>");
    out.bytes(&(dataset.rows.len() as u64).to_le_bytes());
    out.tag("</N><label>");
    let (label, _) = shorten(&clean(&dataset.label), LABEL_CHARS, LABEL_BYTES);
    out.bytes(&(label.len() as u16).to_le_bytes());
    out.bytes(label.as_bytes());
    out.tag("</label><timestamp>");
    let stamp = dataset.made_at.map(timestamp).unwrap_or_default();
    out.bytes(&[stamp.len() as u8]);
    out.bytes(stamp.as_bytes());
    out.tag("</timestamp>");
    out.tag("</header>");

    map[1] = out.at();
    out.tag("<map>");
    let map_at = out.0.len();
    out.bytes(&[0; 14 * 8]);
    out.tag("</map>");

    map[2] = out.at();
    out.tag("<variable_types>");
    for s in &storage {
        out.bytes(&s.code().to_le_bytes());
    }
    out.tag("</variable_types>");

    map[3] = out.at();
    out.tag("<varnames>");
    for name in &names {
        out.fixed(name, NAME);
    }
    out.tag("</varnames>");

    map[4] = out.at();
    out.tag("<sortlist>");
    out.bytes(&vec![0; (usize::from(k) + 1) * 2]);
    out.tag("</sortlist>");

    map[5] = out.at();
    out.tag("<formats>");
    for (variable, s) in dataset.variables.iter().zip(&storage) {
        let format = if variable.kind == Kind::Real { "%9.4f" } else { s.format() };
        out.fixed(format, FORMAT);
    }
    out.tag("</formats>");

    map[6] = out.at();
    out.tag("<value_label_names>");
    for (variable, name) in dataset.variables.iter().zip(&names) {
        out.fixed(if variable.value_labels.is_empty() { "" } else { name }, NAME);
    }
    out.tag("</value_label_names>");

    // Labels Stata cannot hold whole are shortened; the whole text is the variable's note.
    let mut variable_notes = Vec::new();
    map[7] = out.at();
    out.tag("<variable_labels>");
    for (variable, name) in dataset.variables.iter().zip(&names) {
        let (label, shortened) = shorten(&variable.label, LABEL_CHARS, LABEL_BYTES);
        if shortened {
            variable_notes.push((name.as_str(), variable.label.as_str()));
        }
        out.fixed(&label, VARIABLE_LABEL);
    }
    out.tag("</variable_labels>");

    map[8] = out.at();
    out.tag("<characteristics>");
    let mut notes = dataset.notes.clone();
    if !variable_notes.is_empty() {
        notes.push("Labels longer than Stata holds, in full:".to_owned());
        notes.extend(variable_notes.iter().map(|(name, text)| format!("{name}: {text}")));
    }
    out.characteristic("_dta", "note0", &notes.len().to_string());
    for (i, note) in notes.iter().enumerate() {
        out.characteristic("_dta", &format!("note{}", i + 1), note);
    }
    for (name, text) in variable_notes {
        out.characteristic(name, "note0", "1");
        out.characteristic(name, "note1", text);
    }
    out.tag("</characteristics>");

    map[9] = out.at();
    out.tag("<data>");
    let width: usize = storage.iter().map(|s| s.width()).sum();
    out.0.reserve(width * dataset.rows.len());
    for row in &dataset.rows {
        for (value, s) in row.iter().zip(&storage) {
            s.write(&mut out.0, *value);
        }
    }
    out.tag("</data>");

    map[10] = out.at();
    out.tag("<strls></strls>");

    map[11] = out.at();
    out.tag("<value_labels>");
    for (index, (variable, name)) in dataset.variables.iter().zip(&names).enumerate() {
        if !variable.value_labels.is_empty() {
            out.value_labels(name, &dataset.value_labels(index, &names));
        }
    }
    out.tag("</value_labels>");

    map[12] = out.at();
    out.tag("</stata_dta>");
    map[13] = out.at();
    for (i, offset) in map.iter().enumerate() {
        out.0[map_at + 8 * i..map_at + 8 * i + 8].copy_from_slice(&offset.to_le_bytes());
    }
    Ok(out.0)
}

/// `dd Mon yyyy hh:mm`, as Stata stamps its files.
fn timestamp(seconds: i64) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let text = hour(seconds); // 2026-12-02 14:00
    let month: usize = text.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!(
        "{} {} {} {}",
        text.get(8..10).unwrap_or("01"),
        MONTHS[month.clamp(1, 12) - 1],
        text.get(0..4).unwrap_or("1970"),
        text.get(11..16).unwrap_or("00:00")
    )
}

/// The file as it is written.
#[derive(Debug, Default)]
struct File(Vec<u8>);

impl File {
    fn at(&self) -> u64 {
        self.0.len() as u64
    }

    fn tag(&mut self, tag: &str) {
        self.0.extend_from_slice(tag.as_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// `text` in a field of `size` bytes, ending with at least one NUL.
    fn fixed(&mut self, text: &str, size: usize) {
        let text = cut(text, size - 1);
        self.0.extend_from_slice(text.as_bytes());
        self.0.resize(self.0.len() + size - text.len(), 0);
    }

    /// A characteristic `name[key]` = `text` (notes are `_dta[note1]`, …, their count
    /// `_dta[note0]`).
    fn characteristic(&mut self, name: &str, key: &str, text: &str) {
        let text = cut(text, 67_000);
        self.tag("<ch>");
        self.bytes(&((2 * NAME + text.len() + 1) as u32).to_le_bytes());
        self.fixed(name, NAME);
        self.fixed(key, NAME);
        self.bytes(text.as_bytes());
        self.bytes(&[0]);
        self.tag("</ch>");
    }

    /// A value label table: `n`, the text's length, the offsets, the values, the text.
    fn value_labels(&mut self, name: &str, labels: &[(u32, String)]) {
        let mut offsets = Vec::with_capacity(labels.len());
        let mut text = Vec::new();
        for (_, label) in labels {
            offsets.push(text.len() as u32);
            text.extend_from_slice(cut(label, VALUE_LABEL_BYTES - 1).as_bytes());
            text.push(0);
        }
        let n = labels.len();
        self.tag("<lbl>");
        self.bytes(&((8 + 8 * n + text.len()) as u32).to_le_bytes());
        self.fixed(name, NAME);
        self.bytes(&[0; 3]);
        self.bytes(&(n as u32).to_le_bytes());
        self.bytes(&(text.len() as u32).to_le_bytes());
        for offset in offsets {
            self.bytes(&offset.to_le_bytes());
        }
        for (value, _) in labels {
            self.bytes(&(*value as i32).to_le_bytes());
        }
        self.bytes(&text);
        self.tag("</lbl>");
    }
}

#[cfg(test)]
mod tests {
    use nansen_shared::{ReleaseInfo, Survey, SurveyResults};

    use super::*;
    use crate::disclosure::publish::thresholded;
    use crate::storage::counters::{Counter, Counts, crosstab_dims};
    use crate::surveys::seed::default_survey;

    /// The default survey's release number 3 (2 December 2026, 14:00), every count `n`.
    fn release(n: u64) -> (Survey, SurveyResults) {
        let mut survey = default_survey().unwrap();
        survey.version = Some(2);
        let mut counts = Counts::default();
        counts.add(Counter::Respondents, n);
        for (q, question) in survey.questions.iter().enumerate() {
            counts.add(Counter::Answered(q as u16), n);
            for option in 0..question.cell_count() {
                counts
                    .add(Counter::Cell(nansen_shared::Cell { question: q as u16, option: option as u16 }), n);
            }
        }
        for (table, (rows, columns)) in crosstab_dims(&survey).into_iter().enumerate() {
            for row in 0..rows.len {
                for column in 0..columns.len {
                    counts.add(Counter::Cross { table: table as u16, row, column }, n);
                }
            }
        }
        let mut results = thresholded(&survey, &counts);
        results.release =
            Some(ReleaseInfo { number: 3, made_at: 1_796_220_000, closing: false, noise: None });
        (survey, results)
    }

    #[test]
    fn the_dataset_has_a_row_per_count_and_a_variable_per_question() {
        let (survey, results) = release(7);
        let tables = Tables::new(&survey, &results, Some("ru"));
        let data = dataset(&tables);
        let names: Vec<&str> = data.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names[0], "table");
        assert_eq!(names[1..12], survey.questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>()[..]);
        assert_eq!(names[12..], ["count", "share", "ci_low", "ci_high"]);
        let one_way: usize = results.questions.iter().map(|q| q.counts.len()).sum();
        let cells: usize = results.crosstabs.iter().map(|t| t.cells.len()).sum();
        assert_eq!(data.rows.len(), one_way + cells);
        // Every one-way row sets its question only; every cell both of its table's.
        for row in &data.rows {
            let set = row[1..12].iter().filter(|v| v.is_some()).count();
            assert_eq!(set, if row[0] == Some(0.0) { 1 } else { 2 }, "{row:?}");
            assert_eq!(row[12], Some(7.0));
        }
        let country = &data.variables[2];
        assert_eq!(country.value_labels.len(), 249);
        assert!(country.value_labels.iter().any(|(_, label)| label == "Грузия"));
        let names = data.names(32, stata_name);
        assert_eq!(
            data.value_labels(0, &names),
            [
                (0, "one-way counts".to_owned()),
                (1, "left_when × return_intention".to_owned()),
                (2, "citizenship × return_intention".to_owned())
            ]
        );
        assert!(
            data.notes[0].starts_with("Release 3 of \"Жизнь после отъезда\" (diaspora), survey version 2")
        );
    }

    /// A small dataset: a question with two options (one withheld), a share.
    fn small() -> Dataset {
        let variable = |name: &str, kind, labels: &[(u32, &str)], question| Variable {
            name: name.to_owned(),
            label: format!("The {name}"),
            kind,
            measure: Measure::Nominal,
            value_labels: labels.iter().map(|(v, l)| (*v, (*l).to_owned())).collect(),
            question,
        };
        Dataset {
            label: "Title — release 1".to_owned(),
            notes: vec!["Provenance.".to_owned()],
            variables: vec![
                variable("table", Kind::Code, &[(0, "one-way counts")], false),
                variable("answer", Kind::Code, &[(1, "Да"), (2, "No")], true),
                variable("count", Kind::Count, &[], false),
                variable("share", Kind::Real, &[], false),
            ],
            rows: vec![
                vec![Some(0.0), Some(1.0), Some(5.0), Some(0.5)],
                vec![Some(0.0), Some(2.0), None, None],
            ],
            crosstabs: Vec::new(),
            made_at: Some(1_796_220_000),
        }
    }

    fn u16_at(bytes: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn a_dta_file_is_laid_out_as_format_118_says() {
        let bytes = write(&small()).unwrap();
        let mut header = b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>".to_vec();
        header.extend(4u16.to_le_bytes());
        header.extend(b"</K><N>");
        header.extend(2u64.to_le_bytes());
        header.extend(b"</N><label>");
        header.extend(("Title — release 1".len() as u16).to_le_bytes());
        header.extend(
            "Title — release 1</label><timestamp>\x1102 Dec 2026 14:00</timestamp></header><map>".bytes(),
        );
        assert_eq!(bytes[..header.len()], header[..]);
        // The map points at each section's opening tag, and at the end.
        let map: Vec<usize> = (0..14)
            .map(|i| u64::from_le_bytes(bytes[header.len() + 8 * i..][..8].try_into().unwrap()) as usize)
            .collect();
        let tags = [
            "<stata_dta>",
            "<map>",
            "<variable_types>",
            "<varnames>",
            "<sortlist>",
            "<formats>",
            "<value_label_names>",
            "<variable_labels>",
            "<characteristics>",
            "<data>",
            "<strls>",
            "<value_labels>",
            "</stata_dta>",
        ];
        for (offset, tag) in map.iter().zip(tags) {
            assert!(bytes[*offset..].starts_with(tag.as_bytes()), "{tag} at {offset}");
        }
        assert_eq!(map[13], bytes.len());
        // Types: byte, byte, long (counts always), double.
        let types: Vec<u16> = (0..4).map(|i| u16_at(&bytes, map[2] + 16 + 2 * i)).collect();
        assert_eq!(types, [65530, 65530, 65528, 65526]);
        // Fixed-width fields: names of 129 bytes, formats of 57, labels of 321.
        assert_eq!(map[4] - map[3], "<varnames></varnames>".len() + 4 * 129);
        assert!(bytes[map[3] + 10 + 129..].starts_with(b"answer\0"));
        assert_eq!(map[5] - map[4], "<sortlist></sortlist>".len() + 5 * 2);
        assert_eq!(map[6] - map[5], "<formats></formats>".len() + 4 * 57);
        assert!(bytes[map[5] + 9 + 3 * 57..].starts_with(b"%9.4f\0"));
        assert!(bytes[map[6] + 19 + 129..].starts_with(b"answer\0"), "the value label's name");
        assert_eq!(bytes[map[6] + 19 + 2 * 129], 0, "count has no value labels");
        assert_eq!(map[8] - map[7], "<variable_labels></variable_labels>".len() + 4 * 321);
        // The notes: their number, then each.
        let mut note = b"<ch>".to_vec();
        note.extend((2 * 129 + 2u32).to_le_bytes());
        note.extend(b"_dta".iter().chain([0; 125].iter()));
        note.extend(b"note0".iter().chain([0; 124].iter()));
        note.extend(b"1\0</ch><ch>");
        assert!(bytes[map[8] + 17..].starts_with(&note));
        // The data: 1 + 1 + 4 + 8 bytes a row; `.` is 101 for a byte, 2³¹ − 27 for a
        // long, 2¹⁰²³ for a double.
        let mut data = b"<data>".to_vec();
        data.extend([0, 1]);
        data.extend(5i32.to_le_bytes());
        data.extend(0.5f64.to_le_bytes());
        data.extend([0, 2]);
        data.extend(2_147_483_621i32.to_le_bytes());
        data.extend(0x7FE0_0000_0000_0000u64.to_le_bytes());
        data.extend(b"</data><strls></strls>");
        assert_eq!(bytes[map[9]..map[11]], data[..]);
        // Value label tables, `table`'s then `answer`'s: the table's length, its name, three
        // bytes of padding, then n, the text's length, offsets, values, the text.
        let tables: Vec<usize> =
            (map[11]..map[12]).filter(|&at| bytes[at..].starts_with(b"<lbl>")).map(|at| at + 5).collect();
        assert_eq!(tables.len(), 2);
        let at = tables[1];
        let text = "Да\0No\0".as_bytes();
        assert_eq!(u32_at(&bytes, at), 8 + 8 * 2 + text.len() as u32);
        assert!(bytes[at + 4..].starts_with(b"answer\0"));
        let table = &bytes[at + 4 + 129 + 3..];
        assert_eq!(u32_at(table, 0), 2);
        assert_eq!(u32_at(table, 4), text.len() as u32);
        assert_eq!([u32_at(table, 8), u32_at(table, 12)], [0, 5]);
        assert_eq!([u32_at(table, 16), u32_at(table, 20)], [1, 2]);
        assert!(table[24..].starts_with(text));
        assert!(table[24 + text.len()..].starts_with(b"</lbl></value_labels></stata_dta>"));
    }

    #[test]
    fn names_stata_cannot_have_are_changed_and_every_name_is_unique() {
        let mut data = small();
        let question = data.variables[1].clone();
        data.variables.truncate(1);
        for id in
            ["count", "int", "to", "with", "str12", "strl", "q_count", "a_question_id_of_thirty_two_byte"]
        {
            data.variables.push(Variable { name: id.to_owned(), ..question.clone() });
        }
        data.variables.push(Variable { name: "count".to_owned(), question: false, ..question });
        let names = data.names(32, stata_name);
        assert_eq!(
            names,
            [
                "table",
                "q_count",
                "q_int",
                "to",
                "q_with",
                "q_str12",
                "q_strl",
                "q_q_count",
                "a_question_id_of_thirty_two_byte",
                "count"
            ]
        );
        // A 32-byte id that must be renamed still fits.
        data.variables[1].name = "int".repeat(10) + "in";
        data.variables[2].name = "with".to_owned();
        let names = data.names(32, stata_name);
        assert!(names.iter().all(|n| stata_name(n)), "{names:?}");
    }

    #[test]
    fn texts_are_shortened_on_character_boundaries() {
        assert_eq!(cut("Грузия", 5), "Гр");
        assert_eq!(shorten("Грузия", 80, 8), ("Гр…".to_owned(), true));
        assert_eq!(shorten("Грузия", 4, 320), ("Гру…".to_owned(), true));
        assert_eq!(shorten("Грузия", 6, 12), ("Грузия".to_owned(), false));
        assert_eq!(timestamp(1_796_220_000), "02 Dec 2026 14:00");
    }

    #[test]
    fn a_file_is_as_large_whatever_the_counts() {
        // The data's size, and the file's but for the digits of the totals in the notes.
        let size = |n| {
            let (survey, results) = release(n);
            let bytes = dta(&Tables::new(&survey, &results, Some("en"))).unwrap();
            let at = |tag: &[u8]| bytes.windows(tag.len()).position(|w| w == tag).unwrap();
            (at(b"</data>") - at(b"<data>"), bytes.len())
        };
        let (small, large) = (size(5), size(2_000_000_000));
        assert_eq!(small.0, large.0);
        assert!(large.1 - small.1 < 200, "{small:?} {large:?}");
    }

    /// `cargo test -p nansen-server --lib files:: -- --ignored --nocapture`: what writing
    /// each file of the default survey costs (its size depends on questions and options,
    /// never on how many answered).
    #[test]
    #[ignore = "a measurement"]
    fn time_the_default_surveys_files() {
        for n in [10, 1_000_000_000] {
            let (survey, results) = release(n);
            let tables = Tables::new(&survey, &results, Some("ru"));
            for (name, render) in [
                ("dta", dta as fn(&Tables<'_>) -> anyhow::Result<Vec<u8>>),
                ("sav", super::super::spss::sav as fn(&Tables<'_>) -> anyhow::Result<Vec<u8>>),
            ] {
                let rounds = 200;
                let start = std::time::Instant::now();
                let mut size = 0;
                for _ in 0..rounds {
                    size = render(&tables).unwrap().len();
                }
                let each = start.elapsed() / rounds;
                println!("{name}: {size} bytes in {each:?} (every count {n})");
            }
        }
    }
}
