//! What each counted code means to a reader. Results carry only codes; the words come
//! from the published definition when it is the version shown (an open survey's
//! current one), and country names from the server's English interface strings.
//! Otherwise the codes are shown.

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{LanguageTag, Question, QuestionKind, QuestionResults, Survey, SurveyResults};

use super::chart::Bar;

#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// The definition of the version shown, if known.
    survey: Option<Rc<Survey>>,
    /// Country names by ISO code (empty until loaded).
    countries: Rc<BTreeMap<String, String>>,
}

impl Labels {
    pub fn new(
        definition: Option<Rc<Survey>>,
        results: &SurveyResults,
        countries: Rc<BTreeMap<String, String>>,
    ) -> Self {
        Self { survey: definition.filter(|s| s.version == Some(results.version)), countries }
    }

    /// "Georgia (GE)" for "GE", or the code alone when its name is not known.
    fn country(&self, code: &str) -> String {
        self.countries.get(code).map_or_else(|| code.to_owned(), |name| format!("{name} ({code})"))
    }

    /// Whether words (not only codes) are known.
    pub fn known(&self) -> bool {
        self.survey.is_some()
    }

    /// The question's text in the survey's first language, or its id.
    pub fn question(&self, id: &str) -> String {
        self.survey
            .as_deref()
            .and_then(|s| {
                let lang = s.languages.first()?;
                let text = s.question(id)?.1.prompt.get(lang, lang);
                (!text.is_empty()).then(|| text.to_owned())
            })
            .unwrap_or_else(|| id.to_owned())
    }

    fn definition_of(&self, question: &str) -> Option<(&LanguageTag, &Question)> {
        let survey = self.survey.as_deref()?;
        Some((survey.languages.first()?, survey.question(question)?.1))
    }

    /// What answer `code` of `question` means, in the survey's first language.
    pub fn option(&self, question: &str, code: &str) -> String {
        let definition = self.definition_of(question);
        if is_country(definition.map(|(_, q)| &q.kind), &[code]) {
            return self.country(code);
        }
        definition.and_then(|(lang, q)| q.answer_label(code, lang, lang)).unwrap_or_else(|| code.to_owned())
    }

    /// Whether `question` asks for a number, if its definition is known.
    pub fn is_number(&self, question: &str) -> Option<bool> {
        self.definition_of(question).map(|(_, q)| matches!(q.kind, QuestionKind::Number { .. }))
    }

    /// Whether `question` allows several answers, if its definition is known.
    pub fn is_multi(&self, question: &str) -> bool {
        self.definition_of(question).is_some_and(|(_, q)| matches!(q.kind, QuestionKind::Multi { .. }))
    }

    /// What grid row or ranking item `code` of `question` says, or the code.
    pub fn part(&self, question: &str, code: &str) -> String {
        self.definition_of(question)
            .and_then(|(lang, q)| q.part_label(code, lang, lang))
            .filter(|label| !label.is_empty())
            .unwrap_or_else(|| code.to_owned())
    }

    /// Whether `question` is a ranking (its cells are places), if its definition is
    /// known; else read from its codes (`item.1`, `item.2`, …).
    pub fn is_ranking(&self, results: &QuestionResults) -> bool {
        match self.definition_of(results.id.as_str()) {
            Some((_, q)) => matches!(q.kind, QuestionKind::Ranking { .. }),
            None => results
                .counts
                .iter()
                .all(|c| c.option.rsplit_once('.').is_some_and(|(_, p)| p.parse::<u32>().is_ok())),
        }
    }

    /// The bars of grid row or ranking item `part`: its cells, each labelled by its
    /// option (a grid) or its place (a ranking, "Place 2").
    pub fn part_bars(&self, results: &QuestionResults, part: &str) -> Vec<Bar> {
        let definition = self.definition_of(results.id.as_str());
        let ranking = self.is_ranking(results);
        results
            .counts
            .iter()
            .filter_map(|c| {
                let (of, rest) = c.option.split_once(nansen_shared::survey::PART_SEPARATOR)?;
                (of == part).then_some((c, rest))
            })
            .map(|(c, rest)| {
                let label = if ranking {
                    crate::staff::i18n::tf("res-place", &[("place", rest)])
                } else {
                    definition
                        .and_then(|(lang, q)| match &q.kind {
                            QuestionKind::Grid { options, .. } => options
                                .iter()
                                .find(|o| o.code.as_str() == rest)
                                .map(|o| o.label.get(lang, lang).to_owned()),
                            _ => None,
                        })
                        .filter(|label| !label.is_empty())
                        .unwrap_or_else(|| rest.to_owned())
                };
                Bar { code: c.option.clone(), label, count: c.count, share: c.share }
            })
            .collect()
    }

    /// The bars of one question, in the definition's order (countries: most chosen first).
    pub fn bars(&self, results: &QuestionResults) -> Vec<Bar> {
        let definition = self.definition_of(results.id.as_str());
        let codes: Vec<&str> = results.counts.iter().map(|c| c.option.as_str()).collect();
        if is_country(definition.map(|(_, q)| &q.kind), &codes) {
            let mut bars: Vec<Bar> = results
                .counts
                .iter()
                .map(|c| Bar {
                    code: c.option.clone(),
                    label: self.country(&c.option),
                    count: c.count,
                    share: c.share,
                })
                .collect();
            // Counts first, largest first; suppressed after them; then by name.
            bars.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
            return bars;
        }
        let label = |code: &str| {
            definition
                .and_then(|(lang, q)| q.answer_label(code, lang, lang))
                .unwrap_or_else(|| code.to_owned())
        };
        results
            .counts
            .iter()
            .map(|c| Bar { code: c.option.clone(), label: label(&c.option), count: c.count, share: c.share })
            .collect()
    }
}

/// Country questions are known from the definition, or else by their codes: every one an
/// ISO country code in capitals (option codes are lowercase, scale codes are numbers).
fn is_country(kind: Option<&QuestionKind>, codes: &[&str]) -> bool {
    match kind {
        Some(kind) => matches!(kind, QuestionKind::Country { .. }),
        None => !codes.is_empty() && codes.iter().all(|c| nansen_shared::countries::index_of(c).is_some()),
    }
}
