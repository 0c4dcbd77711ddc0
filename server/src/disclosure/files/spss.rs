//! A release as an SPSS system file (`.sav`), written from the description of the format
//! in GNU PSPP's "System File Format" appendix: the dataset of `stata.rs` (a row per
//! count, `table`, one variable per question, `count`, `share`, `ci_low`, `ci_high`),
//! weighted by `count` (`WEIGHT BY count` is already set when the file opens), in UTF-8
//! (the character encoding record and code page 65001), compressed with the bytecode
//! scheme. Labels longer than SPSS holds are shortened with "…", and given whole in the
//! file's documents, with the notes.

use crate::disclosure::tables::{Tables, hour};

use super::stata::{Dataset, Kind, Measure, clean, cut, dataset, shorten};

/// SPSS's limits: a variable label of 255 bytes, a value label of 120 (the most every
/// version of SPSS reads), a file label of 64, lines of documents of 80.
const VARIABLE_LABEL_BYTES: usize = 255;
const VALUE_LABEL_BYTES: usize = 120;
const FILE_LABEL_BYTES: usize = 64;
const DOCUMENT_LINE: usize = 80;

/// The system-missing value, and the largest and smallest numbers (after it).
const SYSMIS: f64 = f64::MIN;
const HIGHEST: f64 = f64::MAX;
const LOWEST: u64 = 0xFFEF_FFFF_FFFF_FFFE;

/// The bias of the bytecode compression: a whole number from -99 to 151 is stored as
/// the byte `value + 100`.
const BIAS: f64 = 100.0;

/// Words SPSS reserves, which no variable may be called.
const RESERVED: [&str; 13] =
    ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"];

/// Whether `name` is a name SPSS accepts: up to 64 bytes, a letter then letters, digits,
/// `_`, `.`, `@`, `#`, `$`, not ending in `.`, not reserved.
fn spss_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.@#$".contains(&b))
        && !name.ends_with('.')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// The release as a `.sav` file.
pub fn sav(tables: &Tables<'_>) -> anyhow::Result<Vec<u8>> {
    write(&dataset(tables))
}

/// `dataset` as a `.sav` file.
pub(super) fn write(dataset: &Dataset) -> anyhow::Result<Vec<u8>> {
    let variables = &dataset.variables;
    let n = i32::try_from(variables.len())?;
    let cases = i32::try_from(dataset.rows.len())?;
    let long = dataset.names(64, spss_name);
    let short = short_names(&long);
    let weight = variables.iter().position(|v| v.kind == Kind::Count).map_or(0, |i| i + 1);
    let mut documents = dataset.notes.clone();
    let mut shortened = Vec::new();

    let mut out = Out::default();
    // The file header.
    out.bytes(b"$FL2");
    out.padded("@(#) SPSS DATA FILE Nansen", 60);
    out.i32(2);
    out.i32(n);
    out.i32(1); // bytecode compression
    out.i32(i32::try_from(weight)?);
    out.i32(cases);
    out.f64(BIAS);
    let (date, time) = created(dataset.made_at);
    out.bytes(date.as_bytes());
    out.bytes(time.as_bytes());
    let (label, _) = shorten(&clean(&dataset.label), FILE_LABEL_BYTES, FILE_LABEL_BYTES);
    out.padded(&label, FILE_LABEL_BYTES);
    out.bytes(&[0; 3]);

    // A variable record each (all numeric, none with missing values of its own).
    for ((variable, short), long) in variables.iter().zip(&short).zip(&long) {
        let format = match variable.kind {
            Kind::Code => format(8, 0),
            Kind::Count => format(12, 0),
            Kind::Real => format(8, 4),
        };
        out.i32(2);
        out.i32(0);
        out.i32(i32::from(!variable.label.is_empty()));
        out.i32(0);
        out.i32(format);
        out.i32(format);
        out.padded(short, 8);
        if !variable.label.is_empty() {
            let (label, cut_short) = shorten(&variable.label, usize::MAX, VARIABLE_LABEL_BYTES);
            if cut_short {
                shortened.push(format!("{long}: {}", variable.label));
            }
            out.i32(i32::try_from(label.len())?);
            out.padded(&label, label.len().div_ceil(4) * 4);
        }
    }

    // Value labels: a record of labels and a record naming the variable, for each.
    for (index, (variable, name)) in variables.iter().zip(&long).enumerate() {
        if variable.value_labels.is_empty() {
            continue;
        }
        let labels = dataset.value_labels(index, &long);
        out.i32(3);
        out.i32(i32::try_from(labels.len())?);
        for (value, text) in &labels {
            let (label, cut_short) = shorten(text, usize::MAX, VALUE_LABEL_BYTES);
            if cut_short {
                shortened.push(format!("{name} = {value}: {text}"));
            }
            out.f64(f64::from(*value));
            out.bytes(&[label.len() as u8]);
            out.padded(&label, (label.len() + 1).div_ceil(8) * 8 - 1);
        }
        out.i32(4);
        out.i32(1);
        out.i32(i32::try_from(index + 1)?);
    }

    // The documents: the notes, and the labels that had to be shortened, whole.
    if !shortened.is_empty() {
        documents.push("Labels longer than SPSS holds, in full:".to_owned());
        documents.extend(shortened);
    }
    let lines: Vec<String> = documents.iter().flat_map(|d| wrap(d, DOCUMENT_LINE)).collect();
    out.i32(6);
    out.i32(i32::try_from(lines.len())?);
    for line in &lines {
        out.padded(line, DOCUMENT_LINE);
    }

    // Machine integer info: version 1.0.0, IEEE doubles, little-endian, UTF-8 (65001).
    out.extension(3, 4, &[1, 0, 0, -1, 1, 1, 2, 65001].map(i32::to_le_bytes).concat());
    // Machine floating-point info: system-missing, highest, lowest.
    let floats = [SYSMIS.to_le_bytes(), HIGHEST.to_le_bytes(), LOWEST.to_le_bytes()].concat();
    out.extension(4, 8, &floats);
    // Display parameters: measurement level, column width, alignment (right).
    let mut display = Vec::new();
    for (variable, long) in variables.iter().zip(&long) {
        let measure = match variable.measure {
            Measure::Nominal => 1,
            Measure::Ordinal => 2,
            Measure::Scale => 3,
        };
        let width = i32::try_from(long.len().clamp(8, 16))?;
        display.extend([measure, width, 1i32].map(i32::to_le_bytes).concat());
    }
    out.extension(11, 4, &display);
    // Long variable names: SHORT=long, tab-separated.
    let pairs: Vec<String> = short.iter().zip(&long).map(|(s, l)| format!("{s}={l}")).collect();
    out.extension(13, 1, pairs.join("\t").as_bytes());
    // The character encoding.
    out.extension(20, 1, b"UTF-8");
    // The end of the dictionary.
    out.i32(999);
    out.i32(0);

    // The cases, compressed: blocks of eight command bytes, each followed by the values
    // that could not be coded in a byte.
    let mut codes = [0u8; 8];
    let mut raw: Vec<[u8; 8]> = Vec::with_capacity(8);
    let mut filled = 0;
    for row in &dataset.rows {
        for value in row {
            codes[filled] = match value.filter(|v| v.is_finite()) {
                None => 255,
                Some(v) if v.fract() == 0.0 && (-99.0..=151.0).contains(&v) => (v + BIAS) as u8,
                Some(v) => {
                    raw.push(v.to_le_bytes());
                    253
                }
            };
            filled += 1;
            if filled == 8 {
                out.bytes(&codes);
                raw.drain(..).for_each(|r| out.bytes(&r));
                filled = 0;
            }
        }
    }
    if filled > 0 {
        codes[filled..].fill(0);
        out.bytes(&codes);
        raw.drain(..).for_each(|r| out.bytes(&r));
    }
    Ok(out.0)
}

/// A print or write format: F`width`.`decimals`.
fn format(width: i32, decimals: i32) -> i32 {
    (5 << 16) | (width << 8) | decimals
}

/// Eight-byte names for the variable records, unique ignoring case, from the long ones
/// (which the long variable names record restores).
fn short_names(long: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(long.len());
    for name in long {
        let base = cut(name, 8).to_ascii_uppercase();
        let mut candidate = base.clone();
        let mut n = 1;
        while taken.contains(&candidate) || !spss_name(&candidate) {
            let suffix = n.to_string();
            candidate = format!("{}{suffix}", cut(&base, 8 - suffix.len()));
            n += 1;
        }
        taken.push(candidate);
    }
    taken
}

/// The header's creation date and time, `dd Mon yy` and `hh:mm:ss`: when the release
/// was made.
fn created(made_at: Option<i64>) -> (String, String) {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let text = hour(made_at.unwrap_or(0)); // 2026-12-02 14:00
    let month: usize = text.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let date = format!(
        "{} {} {}",
        text.get(8..10).unwrap_or("01"),
        MONTHS[month.clamp(1, 12) - 1],
        text.get(2..4).unwrap_or("70")
    );
    (date, format!("{}:00", text.get(11..16).unwrap_or("00:00")))
}

/// `text` in lines of at most `width` bytes, broken at spaces where it can be and
/// never inside a character.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let text = text.replace(['\n', '\r', '\t'], " ");
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if rest.len() <= width {
            lines.push(rest.to_owned());
            break;
        }
        let head = cut(rest, width);
        let end = match rest[head.len()..].starts_with(' ') {
            true => head.len(),
            false => head.rfind(' ').filter(|&at| at > 0).unwrap_or(head.len()),
        };
        lines.push(rest[..end].trim_end().to_owned());
        rest = rest[end..].trim_start();
    }
    lines
}

/// The file as it is written (little-endian).
#[derive(Debug, Default)]
struct Out(Vec<u8>);

impl Out {
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn i32(&mut self, n: i32) {
        self.bytes(&n.to_le_bytes());
    }

    fn f64(&mut self, x: f64) {
        self.bytes(&x.to_le_bytes());
    }

    /// `text` in a field of `size` bytes, padded with spaces, cut on a character boundary.
    fn padded(&mut self, text: &str, size: usize) {
        let text = cut(text, size);
        self.bytes(text.as_bytes());
        self.0.resize(self.0.len() + size - text.len(), b' ');
    }

    /// An extension record (type 7) of `subtype`: `data`, in elements of `size` bytes.
    fn extension(&mut self, subtype: i32, size: usize, data: &[u8]) {
        self.i32(7);
        self.i32(subtype);
        self.i32(size as i32);
        self.i32((data.len() / size) as i32);
        self.bytes(data);
    }
}

#[cfg(test)]
mod tests {
    use super::super::stata::Variable;
    use super::*;

    /// A small dataset: a question with two options (one withheld), a share.
    fn small() -> Dataset {
        let variable = |name: &str, kind, measure, labels: &[(u32, &str)]| Variable {
            name: name.to_owned(),
            label: format!("The {name}"),
            kind,
            measure,
            value_labels: labels.iter().map(|(v, l)| (*v, (*l).to_owned())).collect(),
            question: name == "answer",
        };
        Dataset {
            label: "Title — release 1".to_owned(),
            notes: vec!["Provenance.".to_owned()],
            variables: vec![
                variable("table", Kind::Code, Measure::Nominal, &[(0, "one-way counts")]),
                variable("answer", Kind::Code, Measure::Nominal, &[(1, "Да"), (2, "No")]),
                variable("count", Kind::Count, Measure::Scale, &[]),
                variable("share", Kind::Real, Measure::Scale, &[]),
            ],
            rows: vec![
                vec![Some(0.0), Some(1.0), Some(5.0), Some(0.5)],
                vec![Some(0.0), Some(2.0), None, None],
            ],
            crosstabs: Vec::new(),
            made_at: Some(1_796_220_000),
        }
    }

    /// A value label set: (value, label) pairs and the variables (by index) it labels.
    type LabelSet = (Vec<(f64, String)>, Vec<i32>);

    /// A system file read back record by record, as PSPP's description of the format
    /// lays it out: any length out of place fails here.
    #[derive(Debug, Default)]
    struct Parsed {
        header: Vec<u8>,
        variables: Vec<(String, i32, String)>,
        value_labels: Vec<LabelSet>,
        documents: Vec<String>,
        extensions: Vec<(i32, i32, Vec<u8>)>,
        rows: Vec<Vec<Option<f64>>>,
        first_block: Vec<u8>,
    }

    fn parse(bytes: &[u8]) -> Parsed {
        let at = std::cell::Cell::new(176);
        let take = |n: usize| {
            at.set(at.get() + n);
            &bytes[at.get() - n..at.get()]
        };
        let i32_of = |b: &[u8]| i32::from_le_bytes(b.try_into().unwrap());
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap().trim_end().to_owned();
        let mut parsed = Parsed { header: bytes[..176].to_vec(), ..Parsed::default() };
        let columns = i32_of(&bytes[68..72]) as usize;
        let cases = i32_of(&bytes[80..84]) as usize;
        loop {
            match i32_of(take(4)) {
                2 => {
                    let fields: Vec<i32> = (0..5).map(|_| i32_of(take(4))).collect();
                    assert_eq!((fields[0], fields[2]), (0, 0), "numeric, no missing values");
                    let name = text(take(8));
                    let label = match fields[1] {
                        1 => {
                            let len = i32_of(take(4)) as usize;
                            let padded = take(len.div_ceil(4) * 4);
                            text(&padded[..len])
                        }
                        _ => String::new(),
                    };
                    parsed.variables.push((name, fields[3], label));
                }
                3 => {
                    let n = i32_of(take(4));
                    let labels = (0..n)
                        .map(|_| {
                            let value = f64::from_le_bytes(take(8).try_into().unwrap());
                            let len = usize::from(take(1)[0]);
                            let padded = take((len + 1).div_ceil(8) * 8 - 1);
                            (value, text(&padded[..len]))
                        })
                        .collect();
                    assert_eq!(i32_of(take(4)), 4, "a type 4 record follows");
                    let n = i32_of(take(4));
                    let vars = (0..n).map(|_| i32_of(take(4))).collect();
                    parsed.value_labels.push((labels, vars));
                }
                6 => {
                    let n = i32_of(take(4));
                    parsed.documents = (0..n).map(|_| text(take(80))).collect();
                }
                7 => {
                    let (subtype, size, count) = (i32_of(take(4)), i32_of(take(4)), i32_of(take(4)));
                    parsed.extensions.push((subtype, size, take((size * count) as usize).to_vec()));
                }
                999 => {
                    assert_eq!(i32_of(take(4)), 0);
                    break;
                }
                other => panic!("record type {other} at {}", at.get() - 4),
            }
        }
        // Bytecode-compressed cases.
        let mut values = Vec::new();
        parsed.first_block = bytes[at.get()..at.get() + 8].to_vec();
        while values.len() < columns * cases {
            let codes = take(8).to_vec();
            for code in codes {
                match code {
                    0 => {}
                    1..=251 => values.push(Some(f64::from(code) - 100.0)),
                    253 => values.push(Some(f64::from_le_bytes(take(8).try_into().unwrap()))),
                    255 => values.push(None),
                    other => panic!("code {other} in numeric data"),
                }
            }
        }
        assert_eq!(at.get(), bytes.len(), "nothing after the cases");
        parsed.rows = values.chunks(columns).map(<[Option<f64>]>::to_vec).collect();
        parsed
    }

    #[test]
    fn a_sav_file_is_laid_out_as_pspp_describes_it() {
        let data = small();
        let bytes = write(&data).unwrap();
        let parsed = parse(&bytes);
        let header = &parsed.header;
        let i32_at = |at: usize| i32::from_le_bytes(header[at..at + 4].try_into().unwrap());
        assert_eq!(&header[..4], b"$FL2");
        assert!(header[4..64].starts_with(b"@(#) SPSS DATA FILE"));
        // Layout 2, 4 values a case, bytecode compression, weighted by the third, 2 cases.
        assert_eq!([i32_at(64), i32_at(68), i32_at(72), i32_at(76), i32_at(80)], [2, 4, 1, 3, 2]);
        assert_eq!(f64::from_le_bytes(header[84..92].try_into().unwrap()), 100.0);
        assert_eq!(&header[92..109], b"02 Dec 2614:00:00");
        let label = "Title — release 1";
        assert_eq!(&header[109..109 + label.len()], label.as_bytes());
        assert!(header[109 + label.len()..173].iter().all(|&b| b == b' '));
        assert_eq!(&header[173..], [0, 0, 0]);
        // Short names, formats (F8.0, F12.0, F8.4) and labels.
        let variables: Vec<(&str, i32)> = parsed.variables.iter().map(|(n, f, _)| (n.as_str(), *f)).collect();
        assert_eq!(
            variables,
            [("TABLE", 0x050800), ("ANSWER", 0x050800), ("COUNT", 0x050C00), ("SHARE", 0x050804)]
        );
        assert_eq!(parsed.variables[1].2, "The answer");
        // Value labels, each with the (1-based) variable it labels.
        assert_eq!(
            parsed.value_labels,
            [
                (vec![(0.0, "one-way counts".to_owned())], vec![1]),
                (vec![(1.0, "Да".to_owned()), (2.0, "No".to_owned())], vec![2])
            ]
        );
        assert_eq!(parsed.documents, ["Provenance."]);
        // Machine integer info (UTF-8 is code page 65001), floating point info, display
        // parameters, long names, the encoding.
        let subtypes: Vec<i32> = parsed.extensions.iter().map(|e| e.0).collect();
        assert_eq!(subtypes, [3, 4, 11, 13, 20]);
        let ints = |data: &[u8]| {
            data.chunks(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>()
        };
        assert_eq!(ints(&parsed.extensions[0].2), [1, 0, 0, -1, 1, 1, 2, 65001]);
        let floats: Vec<u64> =
            parsed.extensions[1].2.chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
        assert_eq!(floats, [0xFFEF_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFE]);
        assert_eq!(ints(&parsed.extensions[2].2), [1, 8, 1, 1, 8, 1, 3, 8, 1, 3, 8, 1]);
        assert_eq!(parsed.extensions[3].2, b"TABLE=table\tANSWER=answer\tCOUNT=count\tSHARE=share");
        assert_eq!(parsed.extensions[4].2, b"UTF-8");
        // Whole numbers from -99 to 151 are a byte each (value + 100), others follow their
        // block, missing is 255.
        assert_eq!(parsed.first_block, [100, 101, 105, 253, 100, 102, 255, 255]);
        assert_eq!(parsed.rows, data.rows);
    }

    #[test]
    fn labels_spss_cannot_hold_are_shortened_and_documented_whole() {
        let mut data = small();
        let long = "Гарантии, что за отъезд или высказывания не будут преследовать ".repeat(3);
        let long = long.trim_end();
        data.variables[1].value_labels[0].1 = long.to_owned();
        data.variables[1].label = "Вопрос ".repeat(40).trim_end().to_owned();
        data.rows.push(vec![Some(0.0), Some(1.0), Some(1e12), Some(f64::NAN)]);
        let parsed = parse(&write(&data).unwrap());
        let label = &parsed.value_labels[1].0[0].1;
        assert!(label.len() <= 120 && label.len() > 114 && label.ends_with('…'), "{label}");
        assert!(long.starts_with(label.trim_end_matches('…')));
        let variable = &parsed.variables[1].2;
        assert!(variable.len() <= 255 && variable.ends_with('…'), "{variable}");
        // The documents: lines of at most 80 bytes, broken between words.
        let documents = parsed.documents.join(" ");
        assert!(documents.contains(&format!("answer = 1: {long}")), "{documents}");
        assert!(documents.contains(&format!("answer: {}", data.variables[1].label)));
        assert_eq!(parsed.rows[2], [Some(0.0), Some(1.0), Some(1e12), None], "not a number is missing");
    }

    #[test]
    fn short_names_are_unique_and_long_names_valid() {
        let long: Vec<String> = ["return_intention", "return_conditions", "return_i", "a", "x1234567"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(short_names(&long), ["RETURN_I", "RETURN_C", "RETURN_1", "A", "X1234567"]);
        for name in ["to", "TO", "by", "with", "1a", "a.", "", &"a".repeat(65)] {
            assert!(!spss_name(name), "{name}");
        }
        for name in ["to_x", "a.b", "q_count", &"a".repeat(64)] {
            assert!(spss_name(name), "{name}");
        }
    }

    #[test]
    fn documents_wrap_between_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("Грузия Армения", 14), ["Грузия", "Армения"]);
        assert_eq!(wrap("Грузия", 5), ["Гр", "уз", "ия"]);
        assert_eq!(created(Some(1_796_220_000)), ("02 Dec 26".to_owned(), "14:00:00".to_owned()));
    }
}
