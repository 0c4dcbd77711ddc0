//! The checks a definition must pass before it is published: every problem is found
//! and reported with a JSON pointer to where it is, so an admin can fix them in one go.

use std::collections::BTreeSet;

use super::{
    Bin, Choice, Crosstab, Item, LOWEST_MIN_CELL, MAX_CROSSTAB_CELLS, MAX_OPTIONS, MAX_PARTS,
    MAX_PLANNED_RELEASES, MAX_QUESTIONS, MAX_RELEASE_HOURS, MAX_RHO, MAX_SCALE_POINTS, Question,
    QuestionKind, RESERVED_IDS, ShowIf, Survey,
};
use crate::ids::QuestionId;
use crate::problem::FieldError;
use crate::text::Localized;

impl Survey {
    /// Every check a definition must pass before it is published.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Checker { survey: self, errors: Vec::new() };
        errors.run();
        if errors.errors.is_empty() { Ok(()) } else { Err(errors.errors) }
    }
}

/// Walks a definition and collects everything wrong with it.
struct Checker<'a> {
    survey: &'a Survey,
    errors: Vec<FieldError>,
}

impl Checker<'_> {
    fn error(&mut self, pointer: impl Into<String>, code: &str, detail: impl Into<String>) {
        self.errors.push(FieldError {
            pointer: pointer.into(),
            code: code.to_owned(),
            detail: detail.into(),
        });
    }

    fn run(&mut self) {
        let survey = self.survey;
        self.check_languages();
        self.check_text("#/title", "The title", &survey.title, true);
        self.check_text("#/intro", "The introduction", &survey.intro, false);
        if survey.settings.min_cell < LOWEST_MIN_CELL {
            self.error(
                "#/settings/min_cell",
                "min_cell_too_small",
                format!(
                    "The smallest shown count must be at least {LOWEST_MIN_CELL}: smaller counts can identify people."
                ),
            );
        }
        self.check_releases();
        if survey.questions.is_empty() {
            self.error("#/questions", "no_questions", "Add at least one question.");
        }
        if survey.questions.len() > MAX_QUESTIONS {
            self.error(
                "#/questions",
                "too_many_questions",
                format!("A survey may have at most {MAX_QUESTIONS} questions; split it into several."),
            );
        }
        for (index, crosstab) in survey.crosstabs.iter().enumerate() {
            self.check_crosstab(index, crosstab);
        }
        let mut seen = BTreeSet::new();
        for (index, question) in survey.questions.iter().enumerate() {
            let at = format!("#/questions/{index}");
            if RESERVED_IDS.contains(&question.id.as_str()) {
                self.error(
                    format!("{at}/id"),
                    "reserved_id",
                    format!(
                        "\"{}\" is a name the form uses itself; choose another question id.",
                        question.id
                    ),
                );
            }
            if !seen.insert(question.id.as_str()) {
                self.error(
                    format!("{at}/id"),
                    "duplicate_question",
                    format!("Question id \"{}\" is used twice; ids must be unique.", question.id),
                );
            }
            self.check_question(&at, index, question);
        }
    }

    fn check_crosstab(&mut self, index: usize, crosstab: &Crosstab) {
        let at = format!("#/crosstabs/{index}");
        let find = |id: &QuestionId| self.survey.question(id.as_str()).map(|(_, q)| q);
        let (rows, columns) = (find(&crosstab.rows), find(&crosstab.columns));
        let mut sizes = Vec::new();
        for (field, id, found, item) in [
            ("rows", &crosstab.rows, rows, &crosstab.rows_item),
            ("columns", &crosstab.columns, columns, &crosstab.columns_item),
        ] {
            let Some(question) = found else {
                self.error(
                    format!("{at}/{field}"),
                    "bad_crosstab",
                    format!("The cross-tabulation names question \"{id}\", which the survey does not have."),
                );
                continue;
            };
            match (question.parts(), item) {
                (Some(_), Some(item)) if question.part_index(item.as_str()).is_some() => {
                    sizes.push(question.parts().map_or(0, |(_, width)| width));
                }
                (Some(_), Some(item)) => self.error(
                    format!("{at}/{field}_item"),
                    "bad_crosstab",
                    format!("\"{id}\" has no row or item \"{item}\"."),
                ),
                (Some(_), None) => self.error(
                    format!("{at}/{field}_item"),
                    "bad_crosstab",
                    format!(
                        "\"{id}\" is a {} question: name which of its rows or items to tabulate in `{field}_item`.",
                        question.kind.name().as_str()
                    ),
                ),
                (None, Some(_)) => self.error(
                    format!("{at}/{field}_item"),
                    "bad_crosstab",
                    format!("\"{id}\" has no rows or items; leave out `{field}_item`."),
                ),
                (None, None) => sizes.push(question.cell_count()),
            }
        }
        if crosstab.rows == crosstab.columns && crosstab.rows_item == crosstab.columns_item {
            self.error(
                at.clone(),
                "bad_crosstab",
                "A cross-tabulation needs two different questions (or two rows of one grid).".to_owned(),
            );
        }
        if let [rows, columns] = sizes[..]
            && rows.saturating_mul(columns) > MAX_CROSSTAB_CELLS
        {
            self.error(
                at,
                "bad_crosstab",
                format!(
                    "\"{}\" by \"{}\" would have more than {MAX_CROSSTAB_CELLS} cells; cross two questions with fewer answers.",
                    crosstab.rows, crosstab.columns
                ),
            );
        }
    }

    fn check_releases(&mut self) {
        let settings = &self.survey.settings;
        let (schedule, privacy) = (settings.releases, settings.privacy);
        if !(1..=MAX_RELEASE_HOURS).contains(&schedule.every_hours) {
            self.error(
                "#/settings/releases/every_hours",
                "bad_release_schedule",
                format!("Releases can be from 1 to {MAX_RELEASE_HOURS} hours apart."),
            );
        }
        if schedule.min_new.is_some_and(|n| n < settings.min_cell) {
            self.error(
                "#/settings/releases/min_new",
                "bad_release_schedule",
                format!(
                    "A release needs at least as many new respondents as the smallest shown count ({}): \
                     fewer could be told apart by comparing two releases.",
                    settings.min_cell
                ),
            );
        }
        if !(privacy.rho > 0.0 && privacy.rho <= MAX_RHO) {
            self.error(
                "#/settings/privacy/rho",
                "bad_privacy_budget",
                format!("The privacy budget ρ must be more than 0 and at most {MAX_RHO}."),
            );
        }
        if !(1..=MAX_PLANNED_RELEASES).contains(&privacy.releases) {
            self.error(
                "#/settings/privacy/releases",
                "bad_privacy_budget",
                format!("Plan from 1 to {MAX_PLANNED_RELEASES} releases."),
            );
        }
    }

    fn check_languages(&mut self) {
        let languages = &self.survey.languages;
        if languages.is_empty() {
            self.error("#/languages", "no_languages", "List at least one language, such as [\"en\"].");
        }
        let unique: BTreeSet<_> = languages.iter().collect();
        if unique.len() != languages.len() {
            self.error("#/languages", "duplicate_language", "Each language may be listed only once.");
        }
    }

    /// Text must exist in every survey language (when `required`, or when given at all),
    /// and must not be written in a language the survey does not declare.
    fn check_text(&mut self, at: &str, what: &str, text: &Localized, required: bool) {
        if !required && text.is_empty() {
            return;
        }
        for lang in &self.survey.languages {
            if !text.has(lang) {
                self.error(
                    format!("{at}/{lang}"),
                    "missing_translation",
                    format!("{what} has no text in \"{lang}\"; every text needs every survey language."),
                );
            }
        }
        for lang in text.0.keys() {
            if !self.survey.languages.contains(lang) {
                self.error(
                    format!("{at}/{lang}"),
                    "undeclared_language",
                    format!("{what} has text in \"{lang}\", which is not one of the survey's languages."),
                );
            }
        }
    }

    fn check_question(&mut self, at: &str, index: usize, question: &Question) {
        let id = &question.id;
        self.check_text(&format!("{at}/prompt"), &format!("Question \"{id}\""), &question.prompt, true);
        self.check_text(&format!("{at}/help"), &format!("The help of \"{id}\""), &question.help, false);
        match &question.kind {
            QuestionKind::Single { options } => self.check_choices(at, id, options),
            QuestionKind::Multi { options, max_choices } => {
                self.check_choices(at, id, options);
                if let Some(max) = max_choices
                    && (*max == 0 || *max as usize > options.len())
                {
                    self.error(
                        format!("{at}/max_choices"),
                        "bad_max_choices",
                        format!(
                            "\"{id}\" allows {max} choices but offers {} options; use a number from 1 to {}.",
                            options.len(),
                            options.len()
                        ),
                    );
                }
            }
            QuestionKind::Scale { min, max, min_label, max_label } => {
                if max <= min || max.checked_sub(*min).is_none_or(|d| d >= MAX_SCALE_POINTS) {
                    self.error(
                        at.to_owned(),
                        "bad_scale",
                        format!(
                            "The scale of \"{id}\" runs from {min} to {max}; it needs 2 to {MAX_SCALE_POINTS} points, lowest first."
                        ),
                    );
                }
                self.check_text(
                    &format!("{at}/min_label"),
                    &format!("The low end of \"{id}\""),
                    min_label,
                    false,
                );
                self.check_text(
                    &format!("{at}/max_label"),
                    &format!("The high end of \"{id}\""),
                    max_label,
                    false,
                );
            }
            QuestionKind::Number { min, max, bins, unit } => {
                self.check_bins(at, id, *min, *max, bins);
                self.check_text(&format!("{at}/unit"), &format!("The unit of \"{id}\""), unit, false);
            }
            QuestionKind::Country { allowed: Some(allowed) } => {
                let unique: BTreeSet<_> = allowed.iter().collect();
                if allowed.is_empty() || unique.len() != allowed.len() {
                    self.error(
                        format!("{at}/allowed"),
                        "bad_allowed_countries",
                        format!(
                            "The allowed countries of \"{id}\" must be a non-empty list without repeats."
                        ),
                    );
                }
            }
            QuestionKind::Country { allowed: None } => {}
            QuestionKind::Grid { rows, options } => {
                self.check_parts(&format!("{at}/rows"), id, "row", rows, 1);
                self.check_choices(at, id, options);
                if let Some(i) = options.iter().position(|o| o.exclusive) {
                    self.error(
                        format!("{at}/options/{i}/exclusive"),
                        "bad_option",
                        format!("Each row of grid \"{id}\" takes one option: none can be `exclusive`."),
                    );
                }
            }
            QuestionKind::Ranking { items, max_ranked } => {
                self.check_parts(&format!("{at}/items"), id, "item", items, 2);
                if let Some(max) = max_ranked
                    && (*max == 0 || *max as usize > items.len())
                {
                    self.error(
                        format!("{at}/max_ranked"),
                        "bad_max_ranked",
                        format!(
                            "\"{id}\" ranks up to {max} of {} items; use a number from 1 to {}.",
                            items.len(),
                            items.len()
                        ),
                    );
                }
            }
        }
        if let Some(show_if) = &question.show_if {
            self.check_show_if(at, index, question, show_if);
        }
    }

    fn check_choices(&mut self, at: &str, id: &QuestionId, options: &[Choice]) {
        if !(2..=MAX_OPTIONS).contains(&options.len()) {
            self.error(
                format!("{at}/options"),
                "option_count",
                format!("\"{id}\" needs 2 to {MAX_OPTIONS} options."),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, option) in options.iter().enumerate() {
            if !seen.insert(option.code.as_str()) {
                self.error(
                    format!("{at}/options/{i}/code"),
                    "duplicate_option",
                    format!("Option code \"{}\" is used twice in \"{id}\".", option.code),
                );
            }
            let what = format!("Option \"{}\" of \"{id}\"", option.code);
            self.check_text(&format!("{at}/options/{i}/label"), &what, &option.label, true);
        }
    }

    /// A grid's rows or a ranking's items: `least` to [`MAX_PARTS`] of them, codes
    /// unique, labels in every language.
    fn check_parts(&mut self, at: &str, id: &QuestionId, what: &str, parts: &[Item], least: usize) {
        if !(least..=MAX_PARTS).contains(&parts.len()) {
            self.error(
                at.to_owned(),
                "part_count",
                format!("\"{id}\" needs {least} to {MAX_PARTS} {what}s."),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            if !seen.insert(part.code.as_str()) {
                self.error(
                    format!("{at}/{i}/code"),
                    "duplicate_option",
                    format!("The {what} code \"{}\" is used twice in \"{id}\".", part.code),
                );
            }
            let text = format!("The {what} \"{}\" of \"{id}\"", part.code);
            self.check_text(&format!("{at}/{i}/label"), &text, &part.label, true);
        }
    }

    /// Bins must cover `min..=max` exactly: no number left uncounted, none counted twice.
    fn check_bins(&mut self, at: &str, id: &QuestionId, min: i64, max: i64, bins: &[Bin]) {
        if min > max {
            self.error(
                at.to_owned(),
                "bad_range",
                format!("\"{id}\" has its minimum {min} above its maximum {max}."),
            );
            return;
        }
        if bins.len() > MAX_OPTIONS {
            self.error(
                format!("{at}/bins"),
                "option_count",
                format!("\"{id}\" may have at most {MAX_OPTIONS} bins."),
            );
            return;
        }
        let mut sorted: Vec<&Bin> = bins.iter().collect();
        sorted.sort_by_key(|b| b.min);
        let mut next = min;
        for bin in &sorted {
            if bin.min > bin.max {
                self.error(
                    format!("{at}/bins"),
                    "bad_bin",
                    format!("Bin \"{}\" of \"{id}\" runs from {} down to {}.", bin.code, bin.min, bin.max),
                );
                return;
            }
            if bin.min != next {
                let (code, detail) = if bin.min > next {
                    ("bins_gap", format!("no bin of \"{id}\" counts {next} to {}", bin.min - 1))
                } else {
                    ("bins_overlap", format!("bin \"{}\" of \"{id}\" overlaps the bin before it", bin.code))
                };
                self.error(
                    format!("{at}/bins"),
                    code,
                    format!("The bins must cover {min} to {max} exactly: {detail}."),
                );
                return;
            }
            next = bin.max.saturating_add(1);
        }
        if next != max.saturating_add(1) || sorted.is_empty() {
            self.error(
                format!("{at}/bins"),
                "bins_cover",
                format!(
                    "The bins of \"{id}\" must cover {min} to {max} exactly, with no gaps and no overlaps."
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, bin) in bins.iter().enumerate() {
            if !seen.insert(bin.code.as_str()) {
                self.error(
                    format!("{at}/bins/{i}/code"),
                    "duplicate_option",
                    format!("Bin code \"{}\" is used twice in \"{id}\".", bin.code),
                );
            }
            let what = format!("Bin \"{}\" of \"{id}\"", bin.code);
            self.check_text(&format!("{at}/bins/{i}/label"), &what, &bin.label, false);
        }
    }

    fn check_show_if(&mut self, at: &str, index: usize, question: &Question, show_if: &ShowIf) {
        let at = format!("{at}/show_if");
        let id = &question.id;
        let earlier = self.survey.questions[..index].iter().find(|q| q.id == show_if.question);
        let Some(earlier) = earlier else {
            self.error(
                format!("{at}/question"),
                "bad_show_if",
                format!(
                    "\"{id}\" depends on \"{}\", which is not an earlier question; a condition can only look back.",
                    show_if.question
                ),
            );
            return;
        };
        if show_if.any_of.is_empty() {
            self.error(
                format!("{at}/any_of"),
                "bad_show_if",
                format!("The condition of \"{id}\" lists no answers."),
            );
        }
        let row = show_if.row.as_ref().map(|r| r.as_str());
        match (&earlier.kind, row) {
            (super::QuestionKind::Grid { .. }, None) => {
                self.error(
                    format!("{at}/row"),
                    "bad_show_if",
                    format!(
                        "\"{id}\" depends on grid \"{}\": name the row whose answer it reads in `row`.",
                        earlier.id
                    ),
                );
                return;
            }
            (super::QuestionKind::Grid { .. }, Some(row)) if earlier.part_index(row).is_none() => {
                self.error(
                    format!("{at}/row"),
                    "bad_show_if",
                    format!(
                        "\"{id}\" depends on row \"{row}\", which grid \"{}\" does not have.",
                        earlier.id
                    ),
                );
                return;
            }
            (super::QuestionKind::Grid { .. }, Some(_)) => {}
            (_, Some(_)) => {
                self.error(
                    format!("{at}/row"),
                    "bad_show_if",
                    format!("\"{}\" is not a grid; leave out the condition's `row`.", earlier.id),
                );
                return;
            }
            (_, None) => {}
        }
        for (i, code) in show_if.any_of.iter().enumerate() {
            if earlier.opened_by(row, code).is_none() {
                self.error(
                    format!("{at}/any_of/{i}"),
                    "bad_show_if",
                    format!(
                        "\"{id}\" depends on answer \"{code}\", which \"{}\" does not offer.",
                        earlier.id
                    ),
                );
            }
        }
    }
}
