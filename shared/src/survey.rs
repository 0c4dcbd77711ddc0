//! A survey definition: its languages, texts and questions, and the checks a definition
//! must pass before anyone can answer it.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::countries;
use crate::ids::{CountryCode, LanguageTag, OptionCode, QuestionId, Slug};
use crate::problem::FieldError;
use crate::text::Localized;

/// The smallest count a researcher may see in any cell; below it a cell is suppressed.
pub const DEFAULT_MIN_CELL: u32 = 5;
/// Thresholds below this make single respondents too easy to recognise.
pub const LOWEST_MIN_CELL: u32 = 3;
/// A scale has at most eleven points (0 to 10).
pub const MAX_SCALE_POINTS: i64 = 11;
/// Names the questionnaire's HTML form uses for itself, so no question may take them.
pub const RESERVED_IDS: [&str; 4] = ["version", "key", "invite", "lang"];
/// Limits that keep a definition readable, and every index small.
pub const MAX_QUESTIONS: usize = 300;
pub const MAX_OPTIONS: usize = 100;

/// A questionnaire, as published (with `version`) or as a draft (without). Unknown
/// fields are refused, so that a misspelt `"requried"` is an error, not silence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub slug: Slug,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The languages every text is written in; the first is the default.
    pub languages: Vec<LanguageTag>,
    pub title: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub intro: Localized,
    pub questions: Vec<Question>,
    /// For invite-only surveys, the key invitations are signed with (set by the server
    /// when it publishes; the same for every version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_key: Option<crate::invite::InviteKey>,
    /// The cross-tabulations counted for this survey: pairs of questions whose joint
    /// answers are folded at submission. They are the only ones that exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crosstabs: Vec<Crosstab>,
    #[serde(default)]
    pub settings: Settings,
}

/// A declared cross-tabulation: how many respondents gave each pair of answers to two
/// questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosstab {
    /// The question whose answers label the rows.
    pub rows: QuestionId,
    /// The question whose answers label the columns.
    pub columns: QuestionId,
}

/// The most cells a cross-tabulation may have (the product of its questions' options).
pub const MAX_CROSSTAB_CELLS: usize = 10_000;

/// How a survey is run and who may read its results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Counts from 1 to `min_cell - 1` are never shown.
    #[serde(default = "default_min_cell")]
    pub min_cell: u32,
    /// Whether anyone, not only staff, may read the (suppressed) results.
    #[serde(default)]
    pub public_results: bool,
    /// Who may answer.
    #[serde(default)]
    pub access: Access,
}

/// Who may answer a survey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone with the link.
    #[default]
    Open,
    /// Only holders of an invite code.
    Invite,
}

impl Default for Settings {
    fn default() -> Self {
        Self { min_cell: DEFAULT_MIN_CELL, public_results: false, access: Access::Open }
    }
}

fn default_min_cell() -> u32 {
    DEFAULT_MIN_CELL
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawQuestion")]
pub struct Question {
    pub id: QuestionId,
    #[serde(flatten)]
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    pub prompt: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub help: Localized,
    /// Ask this question only when an earlier answer includes one of the given codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option.
    Single { options: Vec<Choice> },
    /// Several options, at most `max_choices` of them.
    Multi {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_choices: Option<u32>,
    },
    /// A whole number from `min` to `max`, each point counted on its own.
    Scale {
        min: i64,
        max: i64,
        #[serde(default, skip_serializing_if = "Localized::is_empty")]
        min_label: Localized,
        #[serde(default, skip_serializing_if = "Localized::is_empty")]
        max_label: Localized,
    },
    /// A whole number from `min` to `max`; only the bin it falls in is ever counted.
    Number { min: i64, max: i64, bins: Vec<Bin> },
    /// A country, optionally from an allowed list.
    Country {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allowed: Option<Vec<CountryCode>>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub code: OptionCode,
    pub label: Localized,
    /// An option such as "none" that cannot be combined with any other.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

/// A range of numbers counted together; `min` and `max` are both included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    pub code: OptionCode,
    pub min: i64,
    pub max: i64,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub label: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    pub question: QuestionId,
    /// Codes of the earlier question's options (or scale points, bins, countries).
    pub any_of: Vec<String>,
}

/// A question as written in JSON: every field any kind may have. Reading through it
/// (instead of serde's `flatten`) keeps parsing single-pass, lets unknown fields be
/// refused, and names the field that does not belong to a kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: QuestionId,
    kind: KindName,
    #[serde(default)]
    required: bool,
    prompt: Localized,
    #[serde(default)]
    help: Localized,
    #[serde(default)]
    show_if: Option<ShowIf>,
    options: Option<Vec<Choice>>,
    max_choices: Option<u32>,
    min: Option<i64>,
    max: Option<i64>,
    #[serde(default)]
    min_label: Localized,
    #[serde(default)]
    max_label: Localized,
    bins: Option<Vec<Bin>>,
    allowed: Option<Vec<CountryCode>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum KindName {
    Single,
    Multi,
    Scale,
    Number,
    Country,
}

impl TryFrom<RawQuestion> for Question {
    type Error = String;

    fn try_from(raw: RawQuestion) -> Result<Self, String> {
        let id = raw.id.clone();
        let (kind_name, allowed_fields): (&str, &[&str]) = match raw.kind {
            KindName::Single => ("single", &["options"]),
            KindName::Multi => ("multi", &["options", "max_choices"]),
            KindName::Scale => ("scale", &["min", "max", "min_label", "max_label"]),
            KindName::Number => ("number", &["min", "max", "bins"]),
            KindName::Country => ("country", &["allowed"]),
        };
        let present = [
            ("options", raw.options.is_some()),
            ("max_choices", raw.max_choices.is_some()),
            ("min", raw.min.is_some()),
            ("max", raw.max.is_some()),
            ("min_label", !raw.min_label.0.is_empty()),
            ("max_label", !raw.max_label.0.is_empty()),
            ("bins", raw.bins.is_some()),
            ("allowed", raw.allowed.is_some()),
        ];
        if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed_fields.contains(f)) {
            return Err(format!("question \"{id}\": `{field}` does not apply to a {kind_name} question"));
        }
        let needs = |field: &str| format!("question \"{id}\": a {kind_name} question needs `{field}`");
        let kind = match raw.kind {
            KindName::Single => {
                QuestionKind::Single { options: raw.options.ok_or_else(|| needs("options"))? }
            }
            KindName::Multi => QuestionKind::Multi {
                options: raw.options.ok_or_else(|| needs("options"))?,
                max_choices: raw.max_choices,
            },
            KindName::Scale => QuestionKind::Scale {
                min: raw.min.ok_or_else(|| needs("min"))?,
                max: raw.max.ok_or_else(|| needs("max"))?,
                min_label: raw.min_label,
                max_label: raw.max_label,
            },
            KindName::Number => QuestionKind::Number {
                min: raw.min.ok_or_else(|| needs("min"))?,
                max: raw.max.ok_or_else(|| needs("max"))?,
                bins: raw.bins.ok_or_else(|| needs("bins"))?,
            },
            KindName::Country => QuestionKind::Country { allowed: raw.allowed },
        };
        Ok(Question {
            id: raw.id,
            kind,
            required: raw.required,
            prompt: raw.prompt,
            help: raw.help,
            show_if: raw.show_if,
        })
    }
}

impl Survey {
    /// The language texts fall back to.
    pub fn default_language(&self) -> Option<&LanguageTag> {
        self.languages.first()
    }

    pub fn question(&self, id: &str) -> Option<(usize, &Question)> {
        self.questions.iter().enumerate().find(|(_, q)| q.id.as_str() == id)
    }

    /// The survey with every text in `lang` alone (the default language standing in for
    /// missing translations): what a page in that language needs, at a quarter of the
    /// size.
    pub fn in_language(&self, lang: &LanguageTag) -> Survey {
        let fallback = self.default_language().unwrap_or(lang).clone();
        let only = |text: &Localized| text.only(lang, &fallback);
        let mut survey = self.clone();
        survey.title = only(&self.title);
        survey.intro = only(&self.intro);
        for question in &mut survey.questions {
            question.prompt = only(&question.prompt);
            question.help = only(&question.help);
            match &mut question.kind {
                QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                    for option in options {
                        option.label = only(&option.label);
                    }
                }
                QuestionKind::Scale { min_label, max_label, .. } => {
                    *min_label = only(min_label);
                    *max_label = only(max_label);
                }
                QuestionKind::Number { bins, .. } => {
                    for bin in bins {
                        bin.label = only(&bin.label);
                    }
                }
                QuestionKind::Country { .. } => {}
            }
        }
        survey
    }

    /// The best of the survey's languages for someone who prefers `wanted` (in order):
    /// an exact match, then a match on the primary subtag, then the default.
    pub fn pick_language<'a>(&'a self, wanted: &[&str]) -> Option<&'a LanguageTag> {
        wanted
            .iter()
            .find_map(|w| {
                let primary = w.split(['-', '_']).next().unwrap_or(w);
                self.languages
                    .iter()
                    .find(|l| l.as_str().eq_ignore_ascii_case(w))
                    .or_else(|| self.languages.iter().find(|l| l.primary().eq_ignore_ascii_case(primary)))
            })
            .or_else(|| self.default_language())
    }

    /// Every check a definition must pass before it is published. Each problem found is
    /// reported, with a JSON pointer to where it is, so an admin can fix them in one go.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Checker { survey: self, errors: Vec::new() };
        errors.run();
        if errors.errors.is_empty() { Ok(()) } else { Err(errors.errors) }
    }
}

impl Question {
    /// How many distinct things can be counted for this question.
    pub fn cell_count(&self) -> usize {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => options.len(),
            QuestionKind::Scale { min, max, .. } => {
                // Checked: a definition arrives from outside before it is checked.
                max.checked_sub(*min)
                    .and_then(|d| d.checked_add(1))
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
            }
            QuestionKind::Number { bins, .. } => bins.len(),
            QuestionKind::Country { .. } => countries::CODES.len(),
        }
    }

    /// The code under which cell `index` is counted and reported.
    pub fn cell_code(&self, index: usize) -> Option<Cow<'_, str>> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.get(index).map(|o| Cow::Borrowed(o.code.as_str()))
            }
            QuestionKind::Scale { min, max, .. } => {
                let value = min.checked_add(i64::try_from(index).ok()?)?;
                (value <= *max).then(|| Cow::Owned(value.to_string()))
            }
            QuestionKind::Number { bins, .. } => bins.get(index).map(|b| Cow::Borrowed(b.code.as_str())),
            QuestionKind::Country { .. } => countries::CODES.get(index).map(|c| Cow::Borrowed(*c)),
        }
    }

    /// The cell counted under `code`, if the question has one.
    pub fn cell_index(&self, code: &str) -> Option<usize> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.iter().position(|o| o.code.as_str() == code)
            }
            QuestionKind::Scale { min, max, .. } => {
                let value: i64 = code.parse().ok()?;
                // Only the canonical spelling ("4", not "04" or "+4") names a cell.
                if value.to_string() != code || value < *min || value > *max {
                    return None;
                }
                usize::try_from(value.checked_sub(*min)?).ok()
            }
            QuestionKind::Number { bins, .. } => bins.iter().position(|b| b.code.as_str() == code),
            QuestionKind::Country { .. } => countries::index_of(code),
        }
    }

    /// Whether the cell is one a respondent may choose (a country may be restricted).
    pub fn offers_cell(&self, index: usize) -> bool {
        match &self.kind {
            QuestionKind::Country { allowed: Some(allowed) } => {
                countries::CODES.get(index).is_some_and(|code| allowed.iter().any(|a| a.as_str() == *code))
            }
            _ => index < self.cell_count(),
        }
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
        for (field, id, found) in [("rows", &crosstab.rows, rows), ("columns", &crosstab.columns, columns)] {
            if found.is_none() {
                self.error(
                    format!("{at}/{field}"),
                    "bad_crosstab",
                    format!("The cross-tabulation names question \"{id}\", which the survey does not have."),
                );
            }
        }
        if crosstab.rows == crosstab.columns {
            self.error(
                at.clone(),
                "bad_crosstab",
                "A cross-tabulation needs two different questions.".to_owned(),
            );
        }
        if let (Some(rows), Some(columns)) = (rows, columns)
            && rows.cell_count().saturating_mul(columns.cell_count()) > MAX_CROSSTAB_CELLS
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
            QuestionKind::Number { min, max, bins } => self.check_bins(at, id, *min, *max, bins),
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
        for (i, code) in show_if.any_of.iter().enumerate() {
            if earlier.cell_index(code).is_none_or(|cell| !earlier.offers_cell(cell)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Survey {
        serde_json::from_value(serde_json::json!({
            "slug": "sample",
            "languages": ["en", "ru"],
            "title": {"en": "Sample", "ru": "Пример"},
            "questions": [
                {"id": "left_when", "kind": "single", "required": true,
                 "prompt": {"en": "When?", "ru": "Когда?"},
                 "options": [
                    {"code": "before_2022", "label": {"en": "Before", "ru": "До"}},
                    {"code": "after", "label": {"en": "After", "ru": "После"}}]},
                {"id": "age", "kind": "number", "min": 16, "max": 100,
                 "prompt": {"en": "Age", "ru": "Возраст"},
                 "bins": [{"code": "16_39", "min": 16, "max": 39}, {"code": "40_100", "min": 40, "max": 100}]},
                {"id": "why", "kind": "multi", "max_choices": 2,
                 "prompt": {"en": "Why?", "ru": "Почему?"},
                 "show_if": {"question": "left_when", "any_of": ["after"]},
                 "options": [
                    {"code": "war", "label": {"en": "War", "ru": "Война"}},
                    {"code": "work", "label": {"en": "Work", "ru": "Работа"}},
                    {"code": "none", "label": {"en": "None", "ru": "Нет"}, "exclusive": true}]}
            ]
        }))
        .unwrap()
    }

    fn codes(survey: &Survey) -> Vec<String> {
        survey.check().err().unwrap_or_default().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_good_definition_passes() {
        assert_eq!(sample().check(), Ok(()));
    }

    #[test]
    fn defaults_are_applied() {
        let survey = sample();
        assert_eq!(survey.settings.min_cell, 5);
        assert!(!survey.settings.public_results);
        assert!(!survey.questions[1].required);
    }

    #[test]
    fn round_trips_through_json() {
        let survey = sample();
        let json = serde_json::to_string(&survey).unwrap();
        assert_eq!(serde_json::from_str::<Survey>(&json).unwrap(), survey);
    }

    #[test]
    fn finds_duplicates_and_missing_translations() {
        let mut survey = sample();
        survey.questions[1].id = survey.questions[0].id.clone();
        survey.questions[0].prompt.0.remove(&LanguageTag::parse("ru").unwrap());
        let found = codes(&survey);
        assert!(found.contains(&"duplicate_question".to_owned()), "{found:?}");
        assert!(found.contains(&"missing_translation".to_owned()), "{found:?}");
    }

    #[test]
    fn bins_must_cover_the_range_exactly() {
        let mut survey = sample();
        if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
            bins[1].min = 41;
        }
        assert_eq!(codes(&survey), ["bins_gap"]);
        if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
            bins[1].min = 39;
        }
        assert_eq!(codes(&survey), ["bins_overlap"]);
        if let QuestionKind::Number { bins, .. } = &mut survey.questions[1].kind {
            bins[1].min = 40;
            bins[1].max = 99;
        }
        assert_eq!(codes(&survey), ["bins_cover"]);
    }

    #[test]
    fn conditions_look_back_at_offered_answers() {
        let mut survey = sample();
        survey.questions[2].show_if =
            Some(ShowIf { question: survey.questions[2].id.clone(), any_of: vec!["war".into()] });
        assert_eq!(codes(&survey), ["bad_show_if"]);
        survey.questions[2].show_if =
            Some(ShowIf { question: survey.questions[0].id.clone(), any_of: vec!["later".into()] });
        assert_eq!(codes(&survey), ["bad_show_if"]);
    }

    #[test]
    fn misplaced_and_misspelt_fields_are_refused() {
        let parse =
            |q: serde_json::Value| serde_json::from_value::<Question>(q).map(|_| ()).unwrap_err().to_string();
        let base = |extra: serde_json::Value| {
            let mut q = serde_json::json!({"id": "q", "kind": "single", "prompt": {"en": "?"},
                "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]});
            for (k, v) in extra.as_object().unwrap() {
                q[k] = v.clone();
            }
            q
        };
        assert!(parse(base(serde_json::json!({"requried": true}))).contains("unknown field `requried`"));
        assert!(
            parse(base(serde_json::json!({"bins": []})))
                .contains("`bins` does not apply to a single question")
        );
        assert!(parse(base(serde_json::json!({"kind": "number"}))).contains("`options` does not apply"));
        assert!(
            parse(serde_json::json!({"id": "q", "kind": "scale", "prompt": {"en": "?"}, "min": 1}))
                .contains("a scale question needs `max`")
        );
        assert!(parse(base(serde_json::json!({"kind": "essay"}))).contains("unknown variant `essay`"));
    }

    #[test]
    fn small_thresholds_are_refused() {
        let mut survey = sample();
        survey.settings.min_cell = 2;
        assert_eq!(codes(&survey), ["min_cell_too_small"]);
    }

    #[test]
    fn extreme_ranges_are_refused_not_overflowed() {
        let question: Question = serde_json::from_value(serde_json::json!({
            "id": "q", "kind": "scale", "min": -1, "max": i64::MAX, "prompt": {"en": "?"}
        }))
        .unwrap();
        assert_eq!(question.cell_count(), 0);
        let mut survey = sample();
        survey.questions.push(question);
        assert!(codes(&survey).contains(&"bad_scale".to_owned()));
        let mut survey = sample();
        if let QuestionKind::Number { min, max, .. } = &mut survey.questions[1].kind {
            *min = i64::MIN;
            *max = i64::MAX;
        }
        assert!(survey.check().is_err());
    }

    #[test]
    fn scale_cells_use_canonical_codes() {
        let question: Question = serde_json::from_value(serde_json::json!({
            "id": "welcome", "kind": "scale", "min": 1, "max": 5, "prompt": {"en": "?"}
        }))
        .unwrap();
        assert_eq!(question.cell_count(), 5);
        assert_eq!(question.cell_index("4"), Some(3));
        assert_eq!(question.cell_index("04"), None);
        assert_eq!(question.cell_index("6"), None);
        assert_eq!(question.cell_code(4).as_deref(), Some("5"));
        assert_eq!(question.cell_code(5), None);
    }

    #[test]
    fn a_survey_in_one_language_keeps_everything_but_the_others() {
        let ru = LanguageTag::parse("ru").unwrap();
        let mut survey = sample();
        survey.questions[0].prompt.0.remove(&ru);
        let one = survey.in_language(&ru);
        assert_eq!(one.title, Localized::from([("ru", "Пример")]));
        assert_eq!(one.questions[0].prompt, Localized::from([("ru", "When?")]), "the default fills a gap");
        assert_eq!(one.questions.len(), survey.questions.len());
        assert_eq!(one.languages, survey.languages, "the switch still offers every language");
        assert!(one.intro.is_empty());
    }

    #[test]
    fn picks_the_closest_language() {
        let survey = sample();
        let pick = |wanted: &[&str]| survey.pick_language(wanted).map(|l| l.to_string());
        assert_eq!(pick(&["ru-RU", "en"]), Some("ru".into()));
        assert_eq!(pick(&["de", "RU"]), Some("ru".into()));
        assert_eq!(pick(&["de"]), Some("en".into()));
    }
}
