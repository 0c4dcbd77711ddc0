//! What every results file says, once: a release read in one language, as the rows a
//! file writer lays out. The writers (`export.rs` for CSV, `files/` for Stata, SPSS,
//! Excel, data packages and DDI) differ only in layout; what a row is, how it is
//! labelled and what the file says about its release come from here.

use nansen_shared::estimates::Share;
use nansen_shared::{LanguageTag, MeanResult, Question, QuestionKind, Survey, SurveyResults, Weighted};

use crate::web::countries;

/// A release, read in one of its survey's languages.
#[derive(Debug)]
pub struct Tables<'a> {
    pub survey: &'a Survey,
    pub results: &'a SurveyResults,
    pub lang: LanguageTag,
}

/// One count of one question: an option (or scale point, bin, country).
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub question: &'a Question,
    /// The question's place in the survey, from 1.
    pub number: usize,
    /// The option's code and its place among the question's listed options, from 1.
    pub option: &'a str,
    pub position: usize,
    pub label: String,
    pub count: Option<u64>,
    pub share: Option<Share>,
}

/// One cell of a declared cross-tabulation.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossRow<'a> {
    pub rows: &'a Question,
    pub columns: &'a Question,
    pub row: &'a str,
    pub row_label: String,
    pub column: &'a str,
    pub column_label: String,
    pub count: Option<u64>,
}

impl<'a> Tables<'a> {
    /// `results` of `survey` read in `lang`, or in the survey's first language when it
    /// has no such language.
    pub fn new(survey: &'a Survey, results: &'a SurveyResults, lang: Option<&str>) -> Self {
        let fallback = survey.default_language().cloned().unwrap_or_else(english);
        let lang = lang.and_then(|l| survey.pick_language(&[l])).cloned().unwrap_or(fallback);
        Self { survey, results, lang }
    }

    fn fallback(&self) -> &LanguageTag {
        self.survey.default_language().unwrap_or(&self.lang)
    }

    /// The survey's title.
    pub fn title(&self) -> String {
        self.survey.title.get(&self.lang, self.fallback()).to_owned()
    }

    /// A question's text.
    pub fn question_text(&self, question: &Question) -> String {
        question.prompt.get(&self.lang, self.fallback()).to_owned()
    }

    /// What answer `code` of `question` means: the definition's words, or a country's
    /// name in the interface's list for this language.
    pub fn answer_label(&self, question: &Question, code: &str) -> String {
        if matches!(question.kind, QuestionKind::Country { .. }) {
            let names = countries::names(self.lang.as_str());
            return names.iter().find(|(c, _)| c == code).map_or_else(|| code.to_owned(), |(_, n)| n.clone());
        }
        question.answer_label(code, &self.lang, self.fallback()).unwrap_or_else(|| code.to_owned())
    }

    /// What grid row or ranking item `code` of `question` says.
    pub fn part_label(&self, question: &Question, code: &str) -> String {
        question.part_label(code, &self.lang, self.fallback()).unwrap_or_else(|| code.to_owned())
    }

    /// Every question with its published results, in order.
    pub fn questions(
        &self,
    ) -> impl Iterator<Item = (usize, &'a Question, &'a nansen_shared::QuestionResults)> + '_ {
        self.survey
            .questions
            .iter()
            .enumerate()
            .filter_map(|(i, q)| Some((i + 1, q, self.results.question(q.id.as_str())?)))
    }

    /// Every option count, question by question.
    pub fn rows(&self) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        for (number, question, published) in self.questions() {
            for (position, count) in published.counts.iter().enumerate() {
                rows.push(Row {
                    question,
                    number,
                    option: count.option.as_str(),
                    position: position + 1,
                    label: self.answer_label(question, &count.option),
                    count: count.count,
                    share: count.share,
                });
            }
        }
        rows
    }

    /// Every number question's mean, as released.
    pub fn means(&self) -> Vec<(&'a Question, &'a MeanResult)> {
        self.questions().filter_map(|(_, q, published)| Some((q, published.mean.as_ref()?))).collect()
    }

    /// Every cell of every declared cross-tabulation.
    pub fn cross_rows(&self) -> Vec<CrossRow<'a>> {
        let mut out = Vec::new();
        for table in &self.results.crosstabs {
            let (Some((_, rows)), Some((_, columns))) =
                (self.survey.question(table.rows.as_str()), self.survey.question(table.columns.as_str()))
            else {
                continue;
            };
            for cell in &table.cells {
                out.push(CrossRow {
                    rows,
                    columns,
                    row: cell.row.as_str(),
                    row_label: self.answer_label(rows, &cell.row),
                    column: cell.column.as_str(),
                    column_label: self.answer_label(columns, &cell.column),
                    count: cell.count,
                });
            }
        }
        out
    }

    /// The post-stratified estimates, when weights were asked for.
    pub fn weighted(&self) -> Option<&'a Weighted> {
        self.results.weighted.as_ref()
    }

    /// The release's number, 0 if it has none.
    pub fn release(&self) -> u32 {
        self.results.release.as_ref().map_or(0, |r| r.number)
    }

    /// What every file says of where its figures come from, in one paragraph (English:
    /// the terms are the statistician's).
    pub fn provenance(&self) -> String {
        let results = self.results;
        let release = results.release.as_ref();
        let made = release.map_or(String::new(), |r| format!(", made {} UTC", hour(r.made_at)));
        let mut text = format!(
            "Release {} of \"{}\" ({}), survey version {}{made}. Counts from 1 to {} are withheld (k = {}).",
            self.release(),
            self.title(),
            results.slug,
            results.version,
            results.min_cell.saturating_sub(1),
            results.min_cell
        );
        match release.and_then(|r| r.noise.as_ref()) {
            Some(noise) => text.push_str(&format!(
                " Every count carries discrete Gaussian noise (zero-concentrated differential privacy), \
                 standard deviation {:.1}: 95 % of counts are within ±{} of the true count. This release spent \
                 ρ = {:.3}; all releases so far {:.3} of {:.3}. Shares carry 95 % Wilson intervals widened for \
                 the noise.",
                noise.sd, noise.error95, noise.rho, noise.rho_spent, noise.rho_budget
            )),
            None => text.push_str(
                " No noise: an admin turned it off, and the counts are exact. Shares carry 95 % Wilson intervals.",
            ),
        }
        if let Some(weighted) = self.weighted() {
            let shares: Vec<String> = weighted.shares.iter().map(|(code, w)| format!("{code} {w}")).collect();
            text.push_str(&format!(" Weighted by \"{}\" to the shares {}.", weighted.by, shares.join(", ")));
        }
        text
    }
}

fn english() -> LanguageTag {
    LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("a valid tag"))
}

/// Seconds since the epoch as `2026-12-02 14:00`.
pub fn hour(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let minutes = seconds.rem_euclid(86_400) / 60;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_dates() {
        assert_eq!(hour(0), "1970-01-01 00:00");
        assert_eq!(hour(1_796_220_000), "2026-12-02 14:00");
        assert_eq!(hour(951_782_400), "2000-02-29 00:00");
    }
}
