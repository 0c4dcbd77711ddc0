//! What an answer means in words: one function for every place that shows a code to a
//! person (the form's conditions and errors, the respondent client, the researcher's
//! tables and charts, the exports, the designer's condition editor).

use super::{Question, QuestionKind};
use crate::ids::LanguageTag;

impl Question {
    /// What answer `code` of this question means in `lang` (`fallback` standing in for
    /// a missing translation): an option's label; a scale point's number, with the
    /// end's label at either end ("1 — not at all"); a bin's label, or its range
    /// ("16–24") when it has none. `None` for a code the question does not have, and
    /// for countries, whose names are the interface's (`Messages::countries`).
    pub fn answer_label(&self, code: &str, lang: &LanguageTag, fallback: &LanguageTag) -> Option<String> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                let option = options.iter().find(|o| o.code.as_str() == code)?;
                Some(option.label.get(lang, fallback).to_owned())
            }
            QuestionKind::Scale { min, max, min_label, max_label } => {
                let value = i64::try_from(self.cell_index(code)?).ok()? + min;
                let end = match value {
                    v if v == *min => min_label.get(lang, fallback),
                    v if v == *max => max_label.get(lang, fallback),
                    _ => "",
                };
                Some(if end.is_empty() { value.to_string() } else { format!("{value} — {end}") })
            }
            QuestionKind::Number { bins, .. } => {
                let bin = bins.iter().find(|b| b.code.as_str() == code)?;
                let label = bin.label.get(lang, fallback);
                Some(if label.is_empty() { format!("{}–{}", bin.min, bin.max) } else { label.to_owned() })
            }
            QuestionKind::Country { .. } => None,
            QuestionKind::Grid { options, .. } => {
                let (row, option) = self.split_cell(code)?;
                let option = options.iter().find(|o| o.code.as_str() == option)?;
                Some(format!(
                    "{} — {}",
                    self.part_label(row, lang, fallback)?,
                    option.label.get(lang, fallback)
                ))
            }
            QuestionKind::Ranking { .. } => {
                let (item, place) = self.split_cell(code)?;
                Some(format!("{} — {place}", self.part_label(item, lang, fallback)?))
            }
        }
    }

    /// What answer `code` in a condition on this question means (see
    /// [`super::ShowIf`]): an option of grid row `row`, a ranking's item, or any other
    /// kind's answer as [`Self::answer_label`] says it.
    pub fn condition_label(
        &self,
        row: Option<&str>,
        code: &str,
        lang: &LanguageTag,
        fallback: &LanguageTag,
    ) -> Option<String> {
        match (&self.kind, row) {
            (QuestionKind::Grid { .. }, Some(row)) => {
                self.answer_label(&format!("{row}{}{code}", super::cells::PART_SEPARATOR), lang, fallback)
            }
            (QuestionKind::Ranking { .. }, None) => self.part_label(code, lang, fallback),
            _ => self.answer_label(code, lang, fallback),
        }
    }

    /// What grid row or ranking item `code` says in `lang`.
    pub fn part_label(&self, code: &str, lang: &LanguageTag, fallback: &LanguageTag) -> Option<String> {
        let (parts, _) = self.parts()?;
        let part = parts.iter().find(|p| p.code.as_str() == code)?;
        Some(part.label.get(lang, fallback).to_owned())
    }

    /// A grid's or a ranking's cell code split into its part and its option or place,
    /// if the question has that cell.
    pub fn split_cell<'c>(&self, code: &'c str) -> Option<(&'c str, &'c str)> {
        self.cell_index(code)?;
        code.split_once(super::cells::PART_SEPARATOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::Survey;

    fn question(kind: serde_json::Value) -> Question {
        let mut json = serde_json::json!({"id": "q", "prompt": {"en": "Q", "ru": "В"}});
        json.as_object_mut().unwrap().extend(kind.as_object().unwrap().clone());
        serde_json::from_value(json).unwrap()
    }

    fn tag(s: &str) -> LanguageTag {
        LanguageTag::parse(s).unwrap()
    }

    #[test]
    fn every_kind_says_what_its_codes_mean() {
        let (en, ru) = (tag("en"), tag("ru"));
        let single = question(serde_json::json!({"kind": "single", "options": [
            {"code": "yes", "label": {"en": "Yes", "ru": "Да"}},
            {"code": "no", "label": {"en": "No"}}]}));
        assert_eq!(single.answer_label("yes", &ru, &en).as_deref(), Some("Да"));
        assert_eq!(single.answer_label("no", &ru, &en).as_deref(), Some("No"), "the fallback stands in");
        assert_eq!(single.answer_label("maybe", &en, &en), None);

        let scale = question(serde_json::json!({"kind": "scale", "min": 1, "max": 5,
            "min_label": {"en": "not at all"}, "max_label": {"en": "fully"}}));
        assert_eq!(scale.answer_label("1", &en, &en).as_deref(), Some("1 — not at all"));
        assert_eq!(scale.answer_label("3", &en, &en).as_deref(), Some("3"));
        assert_eq!(scale.answer_label("5", &en, &en).as_deref(), Some("5 — fully"));
        assert_eq!(scale.answer_label("6", &en, &en), None);
        assert_eq!(scale.answer_label("03", &en, &en), None, "only the canonical spelling");

        let number = question(serde_json::json!({"kind": "number", "min": 16, "max": 100, "bins": [
            {"code": "young", "min": 16, "max": 24},
            {"code": "older", "min": 25, "max": 100, "label": {"en": "25+"}}]}));
        assert_eq!(number.answer_label("young", &en, &en).as_deref(), Some("16–24"));
        assert_eq!(number.answer_label("older", &ru, &en).as_deref(), Some("25+"));

        let country = question(serde_json::json!({"kind": "country"}));
        assert_eq!(country.answer_label("GE", &en, &en), None);
    }

    #[test]
    fn the_default_survey_has_words_for_every_option() {
        let survey: Survey = serde_json::from_str(include_str!("../../../surveys/diaspora.json")).unwrap();
        for lang in &survey.languages {
            for question in &survey.questions {
                for cell in 0..question.cell_count() {
                    let code = question.cell_code(cell).unwrap();
                    let label = question.answer_label(&code, lang, &survey.languages[0]);
                    let is_country = matches!(question.kind, QuestionKind::Country { .. });
                    assert_eq!(label.is_none(), is_country, "{} {code} in {lang}", question.id);
                    assert!(label.is_none_or(|l| !l.is_empty()));
                }
            }
        }
    }
}
