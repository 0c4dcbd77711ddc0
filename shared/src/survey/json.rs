//! Reading a question from JSON: one struct with every field any kind may have, checked
//! against its kind, so that a misplaced field is named in the error.

use serde::Deserialize;

use super::{Bin, Choice, Item, KindName, Question, QuestionKind, ShowIf};
use crate::ids::{CountryCode, QuestionId};
use crate::text::Localized;

/// A question as written in JSON: every field any kind may have. Reading through it
/// (instead of serde's `flatten`) keeps parsing single-pass, lets unknown fields be
/// refused, and names the field that does not belong to a kind.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
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
    #[serde(default)]
    unit: Localized,
    allowed: Option<Vec<CountryCode>>,
    rows: Option<Vec<Item>>,
    items: Option<Vec<Item>>,
    max_ranked: Option<u32>,
}

impl TryFrom<RawQuestion> for Question {
    type Error = String;

    fn try_from(raw: RawQuestion) -> Result<Self, String> {
        let id = raw.id.clone();
        let kind_name = raw.kind.as_str();
        let allowed_fields: &[&str] = match raw.kind {
            KindName::Single => &["options"],
            KindName::Multi => &["options", "max_choices"],
            KindName::Scale => &["min", "max", "min_label", "max_label"],
            KindName::Number => &["min", "max", "bins", "unit"],
            KindName::Country => &["allowed"],
            KindName::Grid => &["rows", "options"],
            KindName::Ranking => &["items", "max_ranked"],
        };
        let present = [
            ("options", raw.options.is_some()),
            ("max_choices", raw.max_choices.is_some()),
            ("min", raw.min.is_some()),
            ("max", raw.max.is_some()),
            ("min_label", !raw.min_label.0.is_empty()),
            ("max_label", !raw.max_label.0.is_empty()),
            ("bins", raw.bins.is_some()),
            ("unit", !raw.unit.0.is_empty()),
            ("allowed", raw.allowed.is_some()),
            ("rows", raw.rows.is_some()),
            ("items", raw.items.is_some()),
            ("max_ranked", raw.max_ranked.is_some()),
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
                unit: raw.unit,
            },
            KindName::Country => QuestionKind::Country { allowed: raw.allowed },
            KindName::Grid => QuestionKind::Grid {
                rows: raw.rows.ok_or_else(|| needs("rows"))?,
                options: raw.options.ok_or_else(|| needs("options"))?,
            },
            KindName::Ranking => QuestionKind::Ranking {
                items: raw.items.ok_or_else(|| needs("items"))?,
                max_ranked: raw.max_ranked,
            },
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
