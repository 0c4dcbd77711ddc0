//! A survey definition: its languages, texts and questions. The JSON adapter
//! (`json`), the cells answers are counted under (`cells`), what an answer means in
//! words (`labels`) and the checks before publication (`check`) each have a file.

mod cells;
mod check;
mod json;
mod labels;

pub use cells::PART_SEPARATOR;

use serde::{Deserialize, Serialize};

use crate::ids::{CountryCode, LanguageTag, OptionCode, QuestionId, Slug};
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
/// A grid has at most this many rows, a ranking this many items: more would not fit a
/// phone's screen, nor a respondent's patience.
pub const MAX_PARTS: usize = 30;

/// A questionnaire, as published (with `version`) or as a draft (without). Unknown
/// fields are refused, so that a misspelt `"requried"` is an error, not silence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
/// questions. A grid question enters with one of its rows (`rows_item`/`columns_item`
/// name the row), a ranking with one of its items (its answers are the places it was
/// ranked at); other kinds enter whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Crosstab {
    /// The question whose answers label the rows.
    pub rows: QuestionId,
    /// The question whose answers label the columns.
    pub columns: QuestionId,
    /// The grid row (or ranking item) of `rows` tabulated, when `rows` is a grid or a
    /// ranking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_item: Option<OptionCode>,
    /// The grid row (or ranking item) of `columns` tabulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns_item: Option<OptionCode>,
}

impl Crosstab {
    /// A table of two whole questions.
    pub fn new(rows: QuestionId, columns: QuestionId) -> Self {
        Self { rows, columns, rows_item: None, columns_item: None }
    }
}

/// The most cells a cross-tabulation may have (the product of its questions' options).
pub const MAX_CROSSTAB_CELLS: usize = 10_000;

/// How a survey is run and who may read its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Counts from 1 to `min_cell - 1` are never shown.
    #[serde(default = "default_min_cell")]
    pub min_cell: u32,
    /// Whether anyone, not only staff, may read the results. The survey's current
    /// setting applies to the releases of every version.
    #[serde(default)]
    pub public_results: bool,
    /// Who may answer.
    #[serde(default)]
    pub access: Access,
    /// When results are released.
    #[serde(default)]
    pub releases: ReleaseSchedule,
    /// The noise every release carries.
    #[serde(default)]
    pub privacy: Privacy,
    /// The licence its results files are published under.
    #[serde(default)]
    pub licence: Licence,
}

/// When a survey's results are released: nobody reads live counts, only releases,
/// immutable snapshots made on this schedule (and once more when the survey closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseSchedule {
    /// Hours between scheduled releases.
    #[serde(default = "default_release_hours")]
    pub every_hours: u32,
    /// New respondents needed since the previous release before another is made
    /// (`None`: the default, `max(50, 10 × min_cell)`). Fewer would let a reader
    /// subtract two releases and see the few answers in between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_new: Option<u32>,
}

/// Hours between scheduled releases by default: a day.
pub const DEFAULT_RELEASE_HOURS: u32 = 24;
/// The longest interval between scheduled releases: a year.
pub const MAX_RELEASE_HOURS: u32 = 24 * 366;

impl Default for ReleaseSchedule {
    fn default() -> Self {
        Self { every_hours: DEFAULT_RELEASE_HOURS, min_new: None }
    }
}

fn default_release_hours() -> u32 {
    DEFAULT_RELEASE_HOURS
}

impl Settings {
    /// New respondents needed between two releases.
    pub fn min_new_respondents(&self) -> u32 {
        self.releases.min_new.unwrap_or_else(|| (10 * self.min_cell).max(50))
    }
}

/// Differential privacy for a survey's releases: every count carries integer noise from
/// the discrete Gaussian, with zero-concentrated DP accounting. The whole series of
/// releases stays within `rho`, split evenly over the `releases` planned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Whether releases carry noise. Off is an admin's visible, audited choice, and
    /// every result of such a release says its counts are exact.
    #[serde(default = "yes")]
    pub noise: bool,
    /// The survey's whole privacy budget, ρ of zero-concentrated differential privacy.
    #[serde(default = "default_rho")]
    pub rho: f64,
    /// How many releases the budget is planned for, the final one included.
    #[serde(default = "default_planned_releases")]
    pub releases: u32,
}

/// The default budget, ρ = 1 for the whole survey (see docs/THREAT_MODEL.md for what
/// it means at 500 and at 50,000 respondents).
pub const DEFAULT_RHO: f64 = 1.0;
/// Ten releases: nine on the schedule and the final one.
pub const DEFAULT_PLANNED_RELEASES: u32 = 10;
/// Budgets beyond this protect too little to be called private.
pub const MAX_RHO: f64 = 10.0;
/// More planned releases than this would leave each almost nothing.
pub const MAX_PLANNED_RELEASES: u32 = 1000;

impl Default for Privacy {
    fn default() -> Self {
        Self { noise: true, rho: DEFAULT_RHO, releases: DEFAULT_PLANNED_RELEASES }
    }
}

impl Privacy {
    /// The budget one release spends.
    pub fn rho_per_release(&self) -> f64 {
        self.rho / f64::from(self.releases.max(1))
    }
}

fn yes() -> bool {
    true
}

fn default_rho() -> f64 {
    DEFAULT_RHO
}

fn default_planned_releases() -> u32 {
    DEFAULT_PLANNED_RELEASES
}

/// Who may answer a survey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone with the link.
    #[default]
    Open,
    /// Only holders of an invite code.
    Invite,
}

/// The licences results can be published under: open data licences that data archives
/// accept, named by their SPDX identifiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Licence {
    /// Anyone may reuse the results, naming the source. Archives' usual default.
    #[default]
    #[serde(rename = "CC-BY-4.0")]
    CcBy4,
    /// As CC-BY, and derived works share alike.
    #[serde(rename = "CC-BY-SA-4.0")]
    CcBySa4,
    /// Not for commercial reuse.
    #[serde(rename = "CC-BY-NC-4.0")]
    CcByNc4,
    /// No rights reserved.
    #[serde(rename = "CC0-1.0")]
    Cc0,
    /// Open Data Commons' database licence.
    #[serde(rename = "ODbL-1.0")]
    Odbl,
}

impl Licence {
    /// Every licence, in the order the designer offers them.
    pub const ALL: [Self; 5] = [Self::CcBy4, Self::CcBySa4, Self::CcByNc4, Self::Cc0, Self::Odbl];

    /// The SPDX identifier.
    pub fn spdx(self) -> &'static str {
        match self {
            Self::CcBy4 => "CC-BY-4.0",
            Self::CcBySa4 => "CC-BY-SA-4.0",
            Self::CcByNc4 => "CC-BY-NC-4.0",
            Self::Cc0 => "CC0-1.0",
            Self::Odbl => "ODbL-1.0",
        }
    }

    /// The licence's own title (a name, not translated).
    pub fn title(self) -> &'static str {
        match self {
            Self::CcBy4 => "Creative Commons Attribution 4.0 International",
            Self::CcBySa4 => "Creative Commons Attribution-ShareAlike 4.0 International",
            Self::CcByNc4 => "Creative Commons Attribution-NonCommercial 4.0 International",
            Self::Cc0 => "Creative Commons Zero v1.0 Universal",
            Self::Odbl => "Open Data Commons Open Database License v1.0",
        }
    }

    /// Where its text is.
    pub fn url(self) -> &'static str {
        match self {
            Self::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Self::CcBySa4 => "https://creativecommons.org/licenses/by-sa/4.0/",
            Self::CcByNc4 => "https://creativecommons.org/licenses/by-nc/4.0/",
            Self::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
            Self::Odbl => "https://opendatacommons.org/licenses/odbl/1-0/",
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_cell: DEFAULT_MIN_CELL,
            public_results: false,
            access: Access::Open,
            licence: Licence::default(),
            releases: ReleaseSchedule::default(),
            privacy: Privacy::default(),
        }
    }
}

fn default_min_cell() -> u32 {
    DEFAULT_MIN_CELL
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "json::RawQuestion")]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    Number {
        min: i64,
        max: i64,
        bins: Vec<Bin>,
        /// What the number counts ("years", "лет"), shown beside the field and its range.
        #[serde(default, skip_serializing_if = "Localized::is_empty")]
        unit: Localized,
    },
    /// A country, optionally from an allowed list.
    Country {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allowed: Option<Vec<CountryCode>>,
    },
    /// Several rows sharing one set of options, each row answered with one option;
    /// counted per row and option.
    Grid { rows: Vec<Item>, options: Vec<Choice> },
    /// Up to `max_ranked` of the items in order of preference (all of them by
    /// default); counted per item and place.
    Ranking {
        items: Vec<Item>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ranked: Option<u32>,
    },
}

/// A row of a grid or an item of a ranking: a code and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub code: OptionCode,
    pub label: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Bin {
    pub code: OptionCode,
    pub min: i64,
    pub max: i64,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub label: Localized,
}

/// A condition on an earlier answer. For a grid, `row` names the row whose answer is
/// read and `any_of` lists options; for a ranking, `any_of` lists items, and holds when
/// any of them was ranked at all (at whatever place).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    pub question: QuestionId,
    /// The row of a grid question whose answer the condition reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<OptionCode>,
    /// Codes of the earlier question's options (or scale points, bins, countries,
    /// ranking items).
    pub any_of: Vec<String>,
}

/// The name of each kind of question, as written in a definition (`"kind": "single"`).
#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    Single,
    Multi,
    Scale,
    Number,
    Country,
    Grid,
    Ranking,
}

impl KindName {
    pub const ALL: [KindName; 7] =
        [Self::Single, Self::Multi, Self::Scale, Self::Number, Self::Country, Self::Grid, Self::Ranking];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multi => "multi",
            Self::Scale => "scale",
            Self::Number => "number",
            Self::Country => "country",
            Self::Grid => "grid",
            Self::Ranking => "ranking",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl QuestionKind {
    pub fn name(&self) -> KindName {
        match self {
            Self::Single { .. } => KindName::Single,
            Self::Multi { .. } => KindName::Multi,
            Self::Scale { .. } => KindName::Scale,
            Self::Number { .. } => KindName::Number,
            Self::Country { .. } => KindName::Country,
            Self::Grid { .. } => KindName::Grid,
            Self::Ranking { .. } => KindName::Ranking,
        }
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
                QuestionKind::Number { bins, unit, .. } => {
                    for bin in bins {
                        bin.label = only(&bin.label);
                    }
                    *unit = only(unit);
                }
                QuestionKind::Country { .. } => {}
                QuestionKind::Grid { rows, options } => {
                    for row in rows {
                        row.label = only(&row.label);
                    }
                    for option in options {
                        option.label = only(&option.label);
                    }
                }
                QuestionKind::Ranking { items, .. } => {
                    for item in items {
                        item.label = only(&item.label);
                    }
                }
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
}

#[cfg(test)]
mod tests;
