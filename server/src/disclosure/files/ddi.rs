//! A release as a DDI-Codebook 2.5 document (`GET …/codebook.xml`): the study, its
//! protection, and one `var` per question with its text, its answers and their released
//! frequencies, in the tables' language. Archives and catalogues (Nesstar, Dataverse, the
//! DDI tools) read it as the documentation of the study. quick-xml escapes every text and
//! attribute; [`clean`] also drops the characters XML 1.0 cannot carry at all.

use std::borrow::Cow;
use std::io;

use nansen_shared::{Question, QuestionKind, QuestionResults};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::disclosure::tables::{Tables, hour};

/// The DDI-Codebook 2.5 namespace and schema.
pub const NAMESPACE: &str = "ddi:codebook:2_5";
const SCHEMA: &str = "http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd";

/// The codebook of `tables`' release, as UTF-8 XML.
pub fn codebook(tables: &Tables<'_>) -> io::Result<Vec<u8>> {
    let mut xml = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    xml.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let results = tables.results;
    let lang = tables.lang.as_str();
    let id = format!("{}-release-{}", results.slug, tables.release());
    xml.open(
        "codeBook",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &format!("{NAMESPACE} {SCHEMA}")),
            ("version", "2.5"),
            ("ID", &id),
            ("xml:lang", lang),
        ],
    )?;
    let day = results.release.as_ref().map(|r| hour(r.made_at)[..10].to_owned()).unwrap_or_default();
    let title = tables.title();

    xml.open("docDscr", &[])?;
    xml.open("citation", &[])?;
    xml.open("titlStmt", &[])?;
    xml.text("titl", &[], &format!("Codebook of \"{title}\", release {}", tables.release()))?;
    xml.text("IDNo", &[("agency", "nansen")], &format!("{id}-codebook"))?;
    xml.close("titlStmt")?;
    xml.open("prodStmt", &[])?;
    xml.text("prodDate", &[("date", &day)], &day)?;
    xml.text("software", &[("version", env!("CARGO_PKG_VERSION"))], "Nansen")?;
    xml.close("prodStmt")?;
    xml.close("citation")?;
    xml.close("docDscr")?;

    xml.open("stdyDscr", &[])?;
    xml.open("citation", &[])?;
    xml.open("titlStmt", &[])?;
    xml.text("titl", &[("xml:lang", lang)], &title)?;
    for other in tables.survey.languages.iter().filter(|l| **l != tables.lang) {
        if tables.survey.title.has(other) {
            xml.text("parTitl", &[("xml:lang", other.as_str())], tables.survey.title.get(other, other))?;
        }
    }
    xml.text("IDNo", &[("agency", "nansen")], results.slug.as_str())?;
    xml.close("titlStmt")?;
    xml.open("verStmt", &[])?;
    let version = format!("Release {} of survey version {}", tables.release(), results.version);
    xml.text("version", &[("date", &day), ("type", "release")], &version)?;
    xml.text("notes", &[], &tables.provenance())?;
    xml.close("verStmt")?;
    xml.close("citation")?;
    xml.open("stdyInfo", &[])?;
    let intro =
        tables.survey.intro.get(&tables.lang, tables.survey.default_language().unwrap_or(&tables.lang));
    if !intro.is_empty() {
        xml.text("abstract", &[], intro)?;
    }
    xml.open("sumDscr", &[])?;
    xml.text("anlyUnit", &[], "individuals")?;
    xml.text("dataKind", &[], "survey data, published as counts only")?;
    xml.close("sumDscr")?;
    xml.close("stdyInfo")?;
    xml.open("method", &[])?;
    xml.open("dataColl", &[])?;
    xml.text(
        "sampProc",
        &[],
        "Self-selected respondents of an anonymous online questionnaire. No answers per respondent are \
         stored: only how many chose each answer.",
    )?;
    xml.text("collMode", &[], "self-administered web questionnaire")?;
    xml.close("dataColl")?;
    xml.close("method")?;
    xml.open("dataAccs", &[])?;
    xml.open("useStmt", &[])?;
    xml.text("restrctn", &[], &withheld(results.min_cell))?;
    let licence = tables.survey.settings.licence;
    let conditions = format!(
        "Published under {} ({}, {}). {}",
        licence.title(),
        licence.spdx(),
        licence.url(),
        noise(tables)
    );
    xml.text("conditions", &[], &conditions)?;
    xml.close("useStmt")?;
    xml.text("notes", &[], &tables.provenance())?;
    xml.close("dataAccs")?;
    xml.close("stdyDscr")?;

    xml.open("dataDscr", &[])?;
    for (number, question, published) in tables.questions() {
        var(&mut xml, tables, number, question, published)?;
    }
    xml.close("dataDscr")?;
    xml.close("codeBook")?;
    let mut bytes = xml.0.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// What `dataAccs` says of the counts withheld.
fn withheld(min_cell: u32) -> String {
    format!(
        "Only counts are published. Counts from 1 to {} are withheld (k = {min_cell}), and so is any count \
         from which one of them could be worked out; a withheld category has no frequency.",
        min_cell.saturating_sub(1)
    )
}

/// What `dataAccs` says of the release's noise.
fn noise(tables: &Tables<'_>) -> String {
    match tables.results.release.as_ref().and_then(|r| r.noise.as_ref()) {
        Some(n) => format!(
            "Every frequency carries discrete Gaussian noise (zero-concentrated differential privacy) of \
             standard deviation {:.1}: 95 % of them are within ±{} of the true count. This release spent \
             ρ = {:.3}; all releases so far {:.3} of {:.3}.",
            n.sd, n.error95, n.rho, n.rho_spent, n.rho_budget
        ),
        None => "No noise: an admin turned it off, and the frequencies are exact.".to_owned(),
    }
}

fn var(
    xml: &mut Xml,
    tables: &Tables<'_>,
    number: usize,
    question: &Question,
    published: &QuestionResults,
) -> io::Result<()> {
    let (nature, format) = match question.kind {
        QuestionKind::Scale { .. } => ("ordinal", "numeric"),
        QuestionKind::Number { .. } => ("ordinal", "character"),
        _ => ("nominal", "character"),
    };
    let id = format!("V{number}");
    let text = tables.question_text(question);
    xml.open(
        "var",
        &[
            ("ID", &id),
            ("name", question.id.as_str()),
            ("intrvl", "discrete"),
            ("nature", nature),
            ("representationType", "code"),
        ],
    )?;
    xml.text("labl", &[], &text)?;
    xml.open("qstn", &[("seqNo", &number.to_string())])?;
    xml.text("qstnLit", &[], &text)?;
    let fallback = tables.survey.default_language().unwrap_or(&tables.lang);
    let help = question.help.get(&tables.lang, fallback);
    if !help.is_empty() {
        xml.text("ivuInstr", &[], help)?;
    }
    xml.close("qstn")?;
    if let QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } = question.kind {
        xml.open("valrng", &[])?;
        xml.empty("range", &[("UNITS", "INT"), ("min", &min.to_string()), ("max", &max.to_string())])?;
        xml.close("valrng")?;
    }
    if let Some(show_if) = &question.show_if {
        xml.text("universe", &[("clusion", "I")], &condition(tables, show_if))?;
    }
    if let Some(answered) = published.answered {
        xml.text("sumStat", &[("type", "vald")], &answered.to_string())?;
    }
    // A grid's rows and a ranking's items: each one's total, an item's mean place.
    for part in &published.parts {
        if let Some(answered) = part.answered {
            let of = format!("answered.{}", part.code);
            xml.text("sumStat", &[("type", "other"), ("otherType", &of)], &answered.to_string())?;
        }
        if let Some(mean) = &part.mean_rank {
            let of = format!("mean_rank.{}", part.code);
            xml.text("sumStat", &[("type", "other"), ("otherType", &of)], &mean.value.to_string())?;
        }
    }
    if let Some(mean) = &published.mean {
        xml.text("sumStat", &[("type", "mean")], &mean.value.to_string())?;
        xml.text("sumStat", &[("type", "stdev")], &mean.sd.to_string())?;
        xml.text("sumStat", &[("type", "other"), ("otherType", "mean_n")], &mean.n.to_string())?;
        xml.text(
            "sumStat",
            &[("type", "other"), ("otherType", "mean_ci95_low")],
            &mean.ci95.low.to_string(),
        )?;
        xml.text(
            "sumStat",
            &[("type", "other"), ("otherType", "mean_ci95_high")],
            &mean.ci95.high.to_string(),
        )?;
    }
    xml.text("txt", &[], &kind_note(question, tables))?;
    for option in &published.counts {
        xml.open("catgry", &[])?;
        xml.text("catValu", &[], &option.option)?;
        xml.text("labl", &[], &tables.answer_label(question, &option.option))?;
        if option.count.is_none() {
            xml.text("txt", &[], "Withheld.")?;
        }
        if let Some(count) = option.count {
            xml.text("catStat", &[("type", "freq")], &count.to_string())?;
        }
        if let Some(share) = option.share {
            let percent = |x: f64| format!("{:.2}", 100.0 * x);
            xml.text("catStat", &[("type", "percent")], &percent(share.value))?;
            let low = [("type", "other"), ("otherType", "percent_ci95_low")];
            xml.text("catStat", &low, &percent(share.ci95.low))?;
            let high = [("type", "other"), ("otherType", "percent_ci95_high")];
            xml.text("catStat", &high, &percent(share.ci95.high))?;
        }
        xml.close("catgry")?;
    }
    xml.empty("varFormat", &[("type", format)])?;
    xml.close("var")
}

/// Who was asked a conditional question, in words.
fn condition(tables: &Tables<'_>, show_if: &nansen_shared::ShowIf) -> String {
    let Some((_, earlier)) = tables.survey.question(show_if.question.as_str()) else {
        return format!(
            "Asked only when {} was answered with {}.",
            show_if.question,
            show_if.any_of.join(" or ")
        );
    };
    let row = show_if.row.as_ref().map(|r| r.as_str());
    let fallback = tables.survey.default_language().unwrap_or(&tables.lang);
    let answers: Vec<String> = show_if
        .any_of
        .iter()
        .map(|code| {
            let label = match earlier.parts() {
                Some(_) => earlier.condition_label(row, code, &tables.lang, fallback),
                None => Some(tables.answer_label(earlier, code)),
            };
            format!("\"{}\"", label.unwrap_or_else(|| code.clone()))
        })
        .collect();
    format!(
        "Asked only of those who answered \"{}\" with {}.",
        tables.question_text(earlier),
        answers.join(" or ")
    )
}

/// What kind of question this is and how its figures read, in a sentence (English, the
/// statistician's terms): for the codebooks of the DDI document and the workbook.
pub fn kind_note(question: &Question, tables: &Tables<'_>) -> String {
    let fallback = tables.survey.default_language().unwrap_or(&tables.lang);
    let mut note = match &question.kind {
        QuestionKind::Single { .. } => "Single choice.".to_owned(),
        QuestionKind::Multi { max_choices, .. } => format!(
            "Multiple choice{}: each answer's share is of those who answered the question, so the shares \
             add up to more than 100 %.",
            max_choices.map(|n| format!(", up to {n} answers")).unwrap_or_default()
        ),
        QuestionKind::Scale { min, max, .. } => format!("Scale from {min} to {max}."),
        QuestionKind::Number { min, max, unit, .. } => {
            let unit = unit.get(&tables.lang, fallback);
            let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
            format!(
                "A whole number from {min} to {max}{unit}, counted in the bins listed; the mean and standard \
                 deviation are of the numbers given."
            )
        }
        QuestionKind::Country { .. } => "Country, as an ISO 3166-1 alpha-2 code.".to_owned(),
        QuestionKind::Grid { rows, .. } => format!(
            "Grid of {} rows sharing one set of answers, one answer per row; each answer is coded row.answer, \
             and its share is of those who answered that row.",
            rows.len()
        ),
        QuestionKind::Ranking { items, .. } => format!(
            "Ranking: up to {} of {} items in order of preference; each answer is coded item.place (1 is first), \
             its share is of those who answered the question, and each item's mean place is of those who ranked it.",
            question.places(),
            items.len()
        ),
    };
    if question.show_if.is_some() {
        note.push_str(" Asked only of some respondents (see the questionnaire's condition).");
    }
    note
}

/// `text` with the characters XML 1.0 cannot carry, even escaped (controls other than
/// tab, line feed and carriage return; U+FFFE and U+FFFF), replaced by U+FFFD.
pub fn clean(text: &str) -> Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}');
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().map(|c| if allowed(c) { c } else { '\u{fffd}' }).collect())
    }
}

/// A small XML writer: elements opened and closed by name, text and attribute values
/// cleaned and escaped.
struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, clean(value).as_ref()));
        }
        start
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.0.write_event(Event::Start(Self::start(name, attributes)))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.0.write_event(Event::Empty(Self::start(name, attributes)))
    }

    /// `<name …>text</name>` on one line.
    fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.open(name, attributes)?;
        self.0.write_event(Event::Text(BytesText::new(&clean(text))))?;
        self.close(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Xml) -> io::Result<()>) -> String {
        let mut xml = Xml(Writer::new(Vec::new()));
        f(&mut xml).unwrap();
        String::from_utf8(xml.0.into_inner()).unwrap()
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let out =
            written(|x| x.text("labl", &[("note", "a \"b\" <c> & 'd'")], "1 < 2 & \"3\" > 'x' </labl>"));
        assert_eq!(
            out,
            "<labl note=\"a &quot;b&quot; &lt;c&gt; &amp; &apos;d&apos;\">\
             1 &lt; 2 &amp; &quot;3&quot; &gt; &apos;x&apos; &lt;/labl&gt;</labl>"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        assert_eq!(clean("Жизнь\tпосле\nотъезда"), "Жизнь\tпосле\nотъезда");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("a\u{0}b\u{1b}c\u{ffff}"), "a\u{fffd}b\u{fffd}c\u{fffd}");
        let out = written(|x| x.text("t", &[("v", "\u{7}")], "\u{8}"));
        assert_eq!(out, "<t v=\"\u{fffd}\">\u{fffd}</t>");
    }

    #[test]
    fn nested_elements_close_in_order() {
        let out = written(|x| {
            x.open("catgry", &[])?;
            x.text("catValu", &[], "ru")?;
            x.empty("varFormat", &[("type", "character")])?;
            x.close("catgry")
        });
        assert_eq!(out, "<catgry><catValu>ru</catValu><varFormat type=\"character\"/></catgry>");
    }
}
