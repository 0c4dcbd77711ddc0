//! The definition being edited, and every way it changes. Kept apart from the view, and
//! pure, so that the rules (a renamed question keeps the conditions that name it, but
//! only once its new id is committed, valid and unique; a removed language takes its
//! texts along; every change can be undone; a save does not overwrite what was typed
//! meanwhile) are tested without a browser.

use std::collections::BTreeMap;
use std::rc::Rc;

use nansen_shared::{
    AdminSurvey, Bin, Choice, FieldError, Item, KindName, LanguageTag, Localized, OptionCode, Question,
    QuestionId, QuestionKind, ReleaseStatus, Schedule, Settings, Survey, SurveyStatus,
};
use yew::Reducible;

use crate::staff::i18n::Msg;

/// How many changes can be undone.
const UNDO_DEPTH: usize = 100;

/// A change to the definition, made where the field that causes it is drawn.
pub type Change = Rc<dyn Fn(&mut Survey)>;

/// Text typed into a field that is not (yet) a valid value: kept in the box with the
/// reason beside it, while the definition keeps the last valid value.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub raw: String,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    pub survey: Survey,
    /// The definition as the server last stored it.
    pub saved: Survey,
    pub status: SurveyStatus,
    pub current_version: Option<u32>,
    /// Whether the server holds an unpublished draft.
    pub is_draft: bool,
    /// What `Survey::check` says now.
    pub problems: Vec<FieldError>,
    /// What the server said with its last reply.
    pub server_problems: Vec<FieldError>,
    /// Field (JSON pointer) → text that does not parse.
    pub pending: BTreeMap<String, Pending>,
    /// Field (JSON pointer) → valid text as typed, for fields whose value would be
    /// written back differently ("0.50" is 0.5): the box keeps what was typed.
    pub typed: BTreeMap<String, String>,
    /// Where the survey's releases stand (published surveys).
    pub releases: Option<ReleaseStatus>,
    /// When it opens and closes, as the server holds it.
    pub schedule: Schedule,
    /// An element to focus after the next render (with a counter, so the same element
    /// can be asked for twice).
    pub focus: Option<(u32, String)>,
    /// The definition before each of the last changes, the latest last: what Undo
    /// brings back. Typing in one field is one change, however many keys it takes.
    pub history: Vec<Rc<Survey>>,
    /// The field typed in last, while typing there goes on.
    last_edit: Option<String>,
}

pub enum Action {
    /// The field at pointer `at` has a new valid value.
    Field { at: String, change: Change },
    /// The same, from text that stays in the box as typed (see `EditorState::typed`).
    Typed { at: String, raw: String, change: Change },
    /// Questions, options, bins or languages were added, removed or moved. Positions
    /// now name other items, so half-typed values are dropped; `focus` says where the
    /// keyboard goes next.
    Restructure { change: Change, focus: Option<String> },
    /// The field at `at` holds text that is not a valid value.
    Invalid { at: String, raw: String, error: String },
    /// The server's reply to a save or a lifecycle action; `sent` is the definition a
    /// save sent.
    Stored { sent: Option<Box<Survey>>, reply: Box<AdminSurvey> },
    /// Where the releases stand now (after a release was asked for).
    Releases(Option<ReleaseStatus>),
    /// Text typed into a field that changes the definition only when committed (a
    /// question's id): kept in the box, the definition untouched.
    Draft { at: String, raw: String },
    /// Brings back the definition as it was before the last change.
    Undo,
}

impl EditorState {
    pub fn new(loaded: AdminSurvey) -> Self {
        let survey = unversioned(loaded.definition);
        Self {
            problems: problems(&survey),
            saved: survey.clone(),
            survey,
            status: loaded.status,
            current_version: loaded.current_version,
            is_draft: loaded.is_draft,
            server_problems: loaded.problems,
            pending: BTreeMap::new(),
            typed: BTreeMap::new(),
            releases: loaded.releases,
            schedule: loaded.schedule,
            focus: None,
            history: Vec::new(),
            last_edit: None,
        }
    }

    pub fn unsaved(&self) -> bool {
        self.survey != self.saved
    }

    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Applies `change`; the definition before it is kept for Undo, unless the change is
    /// more typing in the field typed in last (`at`).
    fn apply(&mut self, change: &Change, at: Option<&str>) {
        let before = self.survey.clone();
        change(&mut self.survey);
        let same_field = at.is_some() && self.last_edit.as_deref() == at;
        if self.survey != before && !same_field {
            self.history.push(Rc::new(before));
            if self.history.len() > UNDO_DEPTH {
                self.history.remove(0);
            }
        }
        self.last_edit = at.map(str::to_owned);
    }
}

impl Reducible for EditorState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Field { at, change } => {
                next.apply(&change, Some(&at));
                next.pending.remove(&at);
                next.typed.remove(&at);
            }
            Action::Typed { at, raw, change } => {
                next.apply(&change, Some(&at));
                next.pending.remove(&at);
                next.typed.insert(at, raw);
            }
            Action::Draft { at, raw } => {
                next.pending.remove(&at);
                next.typed.insert(at, raw);
                return Rc::new(next);
            }
            Action::Undo => {
                let Some(before) = next.history.pop() else { return self };
                next.survey = (*before).clone();
                next.last_edit = None;
                next.pending.clear();
                next.typed.clear();
            }
            Action::Restructure { change, focus } => {
                next.apply(&change, None);
                next.pending.clear();
                next.typed.clear();
                let counter = next.focus.as_ref().map_or(0, |(n, _)| n + 1);
                next.focus = focus.map(|id| (counter, id));
            }
            Action::Invalid { at, raw, error } => {
                next.pending.insert(at, Pending { raw, error });
                return Rc::new(next);
            }
            Action::Stored { sent, reply } => {
                // What was typed while the request was out is kept, not replaced.
                let untouched = sent.map_or(next.survey == next.saved, |sent| next.survey == *sent);
                let reply = *reply;
                next.saved = unversioned(reply.definition);
                if untouched && next.survey != next.saved {
                    next.survey = next.saved.clone();
                    next.typed.clear();
                }
                next.last_edit = None;
                next.status = reply.status;
                next.current_version = reply.current_version;
                next.is_draft = reply.is_draft;
                next.server_problems = reply.problems;
                next.releases = reply.releases;
                next.schedule = reply.schedule;
            }
            Action::Releases(releases) => {
                next.releases = releases;
                return Rc::new(next);
            }
        }
        next.problems = problems(&next.survey);
        Rc::new(next)
    }
}

/// A definition without the version number a published one carries: what is edited
/// and saved is always a draft, and the server numbers versions when publishing.
fn unversioned(mut survey: Survey) -> Survey {
    survey.version = None;
    survey
}

fn problems(survey: &Survey) -> Vec<FieldError> {
    survey.check().err().unwrap_or_default()
}

/// What a designer reads for each kind of question, when adding one or changing its kind.
pub fn kind_label(kind: KindName) -> String {
    use crate::staff::i18n::t;
    match kind {
        KindName::Single => t("ed-kind-single"),
        KindName::Multi => t("ed-kind-multi"),
        KindName::Scale => t("ed-kind-scale"),
        KindName::Number => t("ed-kind-number"),
        KindName::Country => t("ed-kind-country"),
        KindName::Grid => t("ed-kind-grid"),
        KindName::Ranking => t("ed-kind-ranking"),
    }
}

/// `from` turned into a question of kind `name`, keeping what still makes sense (the
/// options between single and multiple choice, the range between scale and number)
/// and starting the rest from small valid-shaped defaults.
pub fn convert_kind(from: &QuestionKind, name: KindName) -> QuestionKind {
    let options = match from {
        QuestionKind::Single { options }
        | QuestionKind::Multi { options, .. }
        | QuestionKind::Grid { options, .. } => options.clone(),
        _ => default_choices(),
    };
    // A grid's rows and a ranking's items turn into each other; options into items.
    let items = match from {
        QuestionKind::Grid { rows: items, .. } | QuestionKind::Ranking { items, .. } => items.clone(),
        _ => options.iter().map(|o| Item { code: o.code.clone(), label: o.label.clone() }).collect(),
    };
    let range = match from {
        QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => Some((*min, *max)),
        _ => None,
    };
    match name {
        KindName::Single => QuestionKind::Single { options },
        KindName::Multi => QuestionKind::Multi { options, max_choices: None },
        KindName::Scale => match from {
            QuestionKind::Scale { .. } => from.clone(),
            _ => QuestionKind::Scale {
                min: 1,
                max: 5,
                min_label: Localized::default(),
                max_label: Localized::default(),
            },
        },
        KindName::Number => match from {
            QuestionKind::Number { .. } => from.clone(),
            _ => {
                let (min, max) = range.unwrap_or((0, 100));
                QuestionKind::Number { min, max, bins: default_bins(min, max), unit: Localized::default() }
            }
        },
        KindName::Country => QuestionKind::Country { allowed: None },
        KindName::Grid => QuestionKind::Grid {
            rows: items,
            options: options.into_iter().map(|o| Choice { exclusive: false, ..o }).collect(),
        },
        KindName::Ranking => QuestionKind::Ranking { items, max_ranked: None },
    }
}

fn code(s: &str) -> Option<OptionCode> {
    OptionCode::parse(s).ok()
}

fn default_choices() -> Vec<Choice> {
    ["yes", "no"]
        .into_iter()
        .filter_map(code)
        .map(|code| Choice { code, label: Localized::default(), exclusive: false })
        .collect()
}

/// Two bins splitting `min..=max` in the middle (one when there is a single number).
pub fn default_bins(min: i64, max: i64) -> Vec<Bin> {
    let bin =
        |name: &str, min, max| code(name).map(|code| Bin { code, min, max, label: Localized::default() });
    if min >= max {
        return bin("all", min, max).into_iter().collect();
    }
    let middle = min + (max - min) / 2;
    [bin("low", min, middle), bin("high", middle + 1, max)].into_iter().flatten().collect()
}

/// `{prefix}{n}` for the smallest `n` from `start` that is not in `taken`.
fn fresh(prefix: &str, start: usize, taken: &[&str]) -> String {
    (start..).map(|n| format!("{prefix}{n}")).find(|name| !taken.contains(&name.as_str())).unwrap_or_default()
}

/// A new question of kind `name`, with an id no other question has.
pub fn new_question(survey: &Survey, name: KindName) -> Option<Question> {
    let taken: Vec<&str> = survey.questions.iter().map(|q| q.id.as_str()).collect();
    let id = QuestionId::parse(fresh("q", survey.questions.len() + 1, &taken)).ok()?;
    Some(Question {
        id,
        kind: convert_kind(&QuestionKind::Country { allowed: None }, name),
        required: false,
        prompt: Localized::default(),
        help: Localized::default(),
        show_if: None,
    })
}

/// A new option code for a list that already has `taken`.
pub fn new_code(prefix: &str, taken: &[&str]) -> Option<OptionCode> {
    code(&fresh(prefix, taken.len() + 1, taken))
}

/// Moves item `index` one place up or down; the item's new position, if it moved.
pub fn move_item<T>(items: &mut [T], index: usize, up: bool) -> Option<usize> {
    let to = if up { index.checked_sub(1)? } else { index + 1 };
    if to >= items.len() || index >= items.len() {
        return None;
    }
    items.swap(index, to);
    Some(to)
}

/// Sets the text in `lang`; an empty text is removed, so it counts as missing.
pub fn set_text(text: &mut Localized, lang: &LanguageTag, value: String) {
    if value.is_empty() {
        text.0.remove(lang);
    } else {
        text.0.insert(lang.clone(), value);
    }
}

/// Renames question `index`, and the conditions of later questions that name it.
pub fn rename_question(survey: &mut Survey, index: usize, id: QuestionId) {
    let Some(old) = survey.questions.get(index).map(|q| q.id.clone()) else { return };
    for later in survey.questions.iter_mut().skip(index + 1) {
        if let Some(show_if) = &mut later.show_if
            && show_if.question == old
        {
            show_if.question = id.clone();
        }
    }
    for crosstab in &mut survey.crosstabs {
        for side in [&mut crosstab.rows, &mut crosstab.columns] {
            if *side == old {
                *side = id.clone();
            }
        }
    }
    if let Some(question) = survey.questions.get_mut(index) {
        question.id = id;
    }
}

/// What typing `raw` into the id box of question `index` and committing it (leaving the
/// box, or Enter) does: nothing (`Ok(None)`: the same id), a rename, or a refusal, the
/// definition and every reference to the question left as they were.
/// `ids` are the questions' ids, in order.
pub fn commit_id(ids: &[QuestionId], index: usize, raw: &str) -> Result<Option<QuestionId>, Msg> {
    let id =
        QuestionId::parse(raw.trim()).map_err(|e| Msg::new("q-id-invalid").arg("detail", e.to_string()))?;
    if ids.get(index) == Some(&id) {
        return Ok(None);
    }
    match ids.iter().position(|other| *other == id) {
        Some(other) => Err(Msg::new("q-id-taken").arg("number", other + 1).arg("id", id)),
        None => Ok(Some(id)),
    }
}

/// Replaces grid row or ranking item code `old` of question `index` by `new` wherever
/// it is named: later questions' conditions (a grid's row, a ranking's answers) and
/// the cross-tabulations of a row or an item.
pub fn rename_part(survey: &mut Survey, index: usize, old: &str, new: &OptionCode) {
    let Some(id) = survey.questions.get(index).map(|q| q.id.clone()) else { return };
    for later in survey.questions.iter_mut().skip(index + 1) {
        if let Some(show_if) = later.show_if.as_mut().filter(|s| s.question == id) {
            if show_if.row.as_ref().is_some_and(|r| r.as_str() == old) {
                show_if.row = Some(new.clone());
            }
            show_if.any_of.iter_mut().filter(|c| *c == old).for_each(|c| *c = new.to_string());
        }
    }
    for crosstab in &mut survey.crosstabs {
        for (side, item) in
            [(&crosstab.rows, &mut crosstab.rows_item), (&crosstab.columns, &mut crosstab.columns_item)]
        {
            if *side == id && item.as_ref().is_some_and(|i| i.as_str() == old) {
                *item = Some(new.clone());
            }
        }
    }
}

/// Replaces answer code `old` of question `index` by `new` in later questions' conditions.
pub fn rename_answer(survey: &mut Survey, index: usize, old: &str, new: &str) {
    let Some(id) = survey.questions.get(index).map(|q| q.id.clone()) else { return };
    for later in survey.questions.iter_mut().skip(index + 1) {
        if let Some(show_if) = &mut later.show_if
            && show_if.question == id
        {
            for code in show_if.any_of.iter_mut().filter(|c| *c == old) {
                *code = new.to_owned();
            }
        }
    }
}

/// Every text of the definition, to change them all (such as when a language goes).
pub fn each_text(survey: &mut Survey, mut f: impl FnMut(&mut Localized)) {
    f(&mut survey.title);
    f(&mut survey.intro);
    for question in &mut survey.questions {
        f(&mut question.prompt);
        f(&mut question.help);
        match &mut question.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.iter_mut().for_each(|o| f(&mut o.label));
            }
            QuestionKind::Scale { min_label, max_label, .. } => {
                f(min_label);
                f(max_label);
            }
            QuestionKind::Number { bins, unit, .. } => {
                bins.iter_mut().for_each(|b| f(&mut b.label));
                f(unit);
            }
            QuestionKind::Country { .. } => {}
            QuestionKind::Grid { rows, options } => {
                rows.iter_mut().for_each(|r| f(&mut r.label));
                options.iter_mut().for_each(|o| f(&mut o.label));
            }
            QuestionKind::Ranking { items, .. } => items.iter_mut().for_each(|i| f(&mut i.label)),
        }
    }
}

/// Every text of the definition, to read them all.
pub fn each_text_of(survey: &Survey, mut f: impl FnMut(&Localized)) {
    f(&survey.title);
    f(&survey.intro);
    for question in &survey.questions {
        question_texts(question, &mut f);
    }
}

/// Every text of one question.
pub fn question_texts(question: &Question, mut f: impl FnMut(&Localized)) {
    f(&question.prompt);
    f(&question.help);
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
            options.iter().for_each(|o| f(&o.label));
        }
        QuestionKind::Scale { min_label, max_label, .. } => {
            f(min_label);
            f(max_label);
        }
        QuestionKind::Number { bins, unit, .. } => {
            bins.iter().for_each(|b| f(&b.label));
            f(unit);
        }
        QuestionKind::Country { .. } => {}
        QuestionKind::Grid { rows, options } => {
            rows.iter().for_each(|r| f(&r.label));
            options.iter().for_each(|o| f(&o.label));
        }
        QuestionKind::Ranking { items, .. } => items.iter().for_each(|i| f(&i.label)),
    }
}

/// How many texts are written in `lang`: what removing it would lose.
pub fn texts_in(survey: &Survey, lang: &LanguageTag) -> usize {
    let mut n = 0;
    each_text_of(survey, |text| n += usize::from(text.has(lang)));
    n
}

/// How many texts question `question` has, in all languages.
pub fn texts_of(question: &Question) -> usize {
    let mut n = 0;
    question_texts(question, |text| n += text.0.values().filter(|t| !t.is_empty()).count());
    n
}

/// Removes a language, with every text written in it (which would otherwise each be
/// reported as written in an undeclared language).
pub fn remove_language(survey: &mut Survey, lang: &LanguageTag) {
    survey.languages.retain(|l| l != lang);
    each_text(survey, |text| {
        text.0.remove(lang);
    });
}

/// A new, valid-shaped definition: the given languages and title, and one single-choice
/// question whose texts the designer fills in.
pub fn starter(slug: nansen_shared::Slug, languages: Vec<LanguageTag>, title: Localized) -> Survey {
    let mut survey = Survey {
        slug,
        version: None,
        languages,
        title,
        intro: Localized::default(),
        questions: Vec::new(),
        crosstabs: Vec::new(),
        settings: Settings::default(),
        invite_key: None,
    };
    survey.questions.extend(new_question(&survey, KindName::Single));
    survey
}

#[cfg(test)]
mod tests {
    use nansen_shared::ShowIf;

    use super::*;

    fn sample() -> Survey {
        serde_json::from_value(serde_json::json!({
            "slug": "sample",
            "languages": ["en", "ru"],
            "title": {"en": "Sample", "ru": "Пример"},
            "questions": [
                {"id": "left", "kind": "single", "prompt": {"en": "When?", "ru": "Когда?"},
                 "options": [{"code": "before", "label": {"en": "Before", "ru": "До"}},
                             {"code": "after", "label": {"en": "After", "ru": "После"}}]},
                {"id": "why", "kind": "multi", "prompt": {"en": "Why?", "ru": "Почему?"},
                 "show_if": {"question": "left", "any_of": ["after"]},
                 "options": [{"code": "war", "label": {"en": "War", "ru": "Война"}},
                             {"code": "work", "label": {"en": "Work", "ru": "Работа"}}]}
            ]
        }))
        .unwrap()
    }

    fn loaded(survey: Survey) -> AdminSurvey {
        AdminSurvey {
            status: SurveyStatus::Draft,
            current_version: None,
            is_draft: true,
            definition: survey,
            problems: Vec::new(),
            releases: None,
            schedule: Schedule::default(),
        }
    }

    fn tag(s: &str) -> LanguageTag {
        LanguageTag::parse(s).unwrap()
    }

    #[test]
    fn renaming_keeps_conditions_pointing_at_the_question() {
        let mut survey = sample();
        rename_question(&mut survey, 0, QuestionId::parse("left_when").unwrap());
        rename_answer(&mut survey, 0, "after", "after_2022");
        assert_eq!(
            survey.questions[1].show_if,
            Some(ShowIf {
                question: QuestionId::parse("left_when").unwrap(),
                row: None,
                any_of: vec!["after_2022".into()]
            })
        );
    }

    #[test]
    fn options_become_a_grids_rows_and_a_rankings_items_and_renamed_rows_follow() {
        let single = QuestionKind::Single { options: default_choices() };
        let QuestionKind::Grid { rows, options } = convert_kind(&single, KindName::Grid) else { panic!() };
        assert_eq!((rows.len(), options.len()), (2, 2));
        let grid = QuestionKind::Grid { rows, options };
        let QuestionKind::Ranking { items, max_ranked: None } = convert_kind(&grid, KindName::Ranking) else {
            panic!()
        };
        assert_eq!(items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["yes", "no"]);
        let mut survey = sample();
        survey.questions[0].kind = grid;
        let id = survey.questions[0].id.clone();
        survey.questions[1].show_if = Some(ShowIf {
            question: id.clone(),
            row: OptionCode::parse("yes").ok(),
            any_of: vec!["no".into()],
        });
        survey.crosstabs.push(nansen_shared::Crosstab {
            rows_item: OptionCode::parse("yes").ok(),
            ..nansen_shared::Crosstab::new(id, survey.questions[1].id.clone())
        });
        rename_part(&mut survey, 0, "yes", &OptionCode::parse("si").unwrap());
        let show_if = survey.questions[1].show_if.as_ref().unwrap();
        assert_eq!(
            (show_if.row.as_ref().map(|r| r.as_str()), show_if.any_of.as_slice()),
            (Some("si"), &["no".to_owned()][..])
        );
        assert_eq!(survey.crosstabs[0].rows_item.as_ref().map(|r| r.as_str()), Some("si"));
    }

    #[test]
    fn an_id_is_renamed_only_when_committed_valid_and_unique() {
        let mut survey = sample();
        survey.crosstabs.push(nansen_shared::Crosstab::new(
            QuestionId::parse("left").unwrap(),
            QuestionId::parse("why").unwrap(),
        ));
        let state = Rc::new(EditorState::new(loaded(survey)));
        let at = "#/questions/0/id".to_owned();
        // Typing letter by letter passes through "why", the other question's id: nothing
        // of the definition changes while typing.
        let mut state = state;
        for typed in ["w", "wh", "why", "why_", "why_left"] {
            state = state.reduce(Action::Draft { at: at.clone(), raw: typed.into() });
            assert_eq!(state.survey.questions[0].id.as_str(), "left");
            assert_eq!(state.survey.questions[1].show_if.as_ref().unwrap().question.as_str(), "left");
        }
        assert_eq!(state.typed.get(&at).map(String::as_str), Some("why_left"));
        // Committed: a rename, followed by the condition and the cross-tabulation.
        let ids = |s: &Survey| s.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
        let Ok(Some(id)) = commit_id(&ids(&state.survey), 0, "why_left") else { panic!() };
        let change: Change = Rc::new(move |s: &mut Survey| rename_question(s, 0, id.clone()));
        let state = state.reduce(Action::Field { at: at.clone(), change });
        assert_eq!(state.survey.questions[1].show_if.as_ref().unwrap().question.as_str(), "why_left");
        assert_eq!(state.survey.crosstabs[0].rows.as_str(), "why_left");
        assert_eq!(state.survey.crosstabs[0].columns.as_str(), "why");
        assert!(state.typed.is_empty());
        // Another question's id, or no id at all, is refused, saying why.
        let taken = commit_id(&ids(&state.survey), 0, "why").unwrap_err();
        assert_eq!((taken.id, taken.get("number"), taken.get("id")), ("q-id-taken", Some("2"), Some("why")));
        assert_eq!(commit_id(&ids(&state.survey), 0, "Why?").unwrap_err().id, "q-id-invalid");
        assert_eq!(commit_id(&ids(&state.survey), 0, " why_left "), Ok(None));
    }

    #[test]
    fn undo_brings_back_each_change_and_typing_in_one_field_is_one_change() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        assert!(!state.can_undo());
        let title = |text: &'static str| -> Change {
            Rc::new(move |s: &mut Survey| set_text(&mut s.title, &tag("en"), text.to_owned()))
        };
        let mut state = state;
        for text in ["S", "Sa", "Sam"] {
            state = state.reduce(Action::Field { at: "#/title/en".into(), change: title(text) });
        }
        assert_eq!(state.history.len(), 1);
        let ru = tag("ru");
        let remove: Change = Rc::new(move |s: &mut Survey| remove_language(s, &ru));
        let state = state.reduce(Action::Restructure { change: remove, focus: None });
        assert_eq!(state.survey.languages, [tag("en")]);
        let state = state.reduce(Action::Undo);
        assert_eq!(state.survey.languages, [tag("en"), tag("ru")]);
        assert_eq!(state.survey.questions[0].prompt.get(&tag("ru"), &tag("en")), "Когда?");
        assert_eq!(state.survey.title.get(&tag("en"), &tag("en")), "Sam");
        let state = state.reduce(Action::Undo);
        assert_eq!(state.survey, sample());
        assert!(!state.unsaved() && !state.can_undo());
        let same = state.clone().reduce(Action::Undo);
        assert_eq!(same.survey, state.survey);
    }

    #[test]
    fn what_a_removal_would_lose_is_counted() {
        let survey = sample();
        // Title, two prompts, four option labels.
        assert_eq!(texts_in(&survey, &tag("ru")), 7);
        assert_eq!(texts_of(&survey.questions[0]), 6);
    }

    #[test]
    fn removing_a_language_removes_its_texts() {
        let mut survey = sample();
        remove_language(&mut survey, &tag("ru"));
        assert_eq!(survey.languages, [tag("en")]);
        survey.questions[1].show_if = None;
        assert_eq!(survey.check(), Ok(()));
    }

    #[test]
    fn kinds_convert_keeping_what_fits() {
        let survey = sample();
        let multi = convert_kind(&survey.questions[0].kind, KindName::Multi);
        assert!(matches!(&multi, QuestionKind::Multi { options, max_choices: None } if options.len() == 2));
        let number = convert_kind(
            &QuestionKind::Scale {
                min: 1,
                max: 7,
                min_label: Localized::default(),
                max_label: Localized::default(),
            },
            KindName::Number,
        );
        let QuestionKind::Number { min: 1, max: 7, bins, .. } = number else { panic!("{number:?}") };
        assert_eq!(bins.iter().map(|b| (b.min, b.max)).collect::<Vec<_>>(), [(1, 4), (5, 7)]);
    }

    #[test]
    fn a_starter_survey_is_complete_but_for_its_texts() {
        let survey = starter(
            nansen_shared::Slug::parse("new").unwrap(),
            vec![tag("en")],
            Localized::from([("en", "New")]),
        );
        let codes: Vec<String> = survey.check().unwrap_err().into_iter().map(|e| e.code).collect();
        assert!(codes.iter().all(|c| c == "missing_translation"), "{codes:?}");
        assert!(serde_json::from_value::<Survey>(serde_json::to_value(&survey).unwrap()).is_ok());
    }

    #[test]
    fn fresh_names_skip_taken_ones() {
        let mut survey = sample();
        survey.questions[0].id = QuestionId::parse("q3").unwrap();
        assert_eq!(new_question(&survey, KindName::Scale).unwrap().id.as_str(), "q4");
        assert_eq!(new_code("opt", &["opt3", "a"]).unwrap().as_str(), "opt4");
    }

    #[test]
    fn moving_stays_in_bounds() {
        let mut items = [1, 2, 3];
        assert_eq!(move_item(&mut items, 0, true), None);
        assert_eq!(move_item(&mut items, 2, false), None);
        assert_eq!(move_item(&mut items, 1, true), Some(0));
        assert_eq!(items, [2, 1, 3]);
    }

    #[test]
    fn a_save_does_not_overwrite_later_typing() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        let sent = state.survey.clone();
        let change: Change = Rc::new(|s: &mut Survey| s.settings.min_cell = 10);
        let state = state.reduce(Action::Field { at: "#/settings/min_cell".into(), change });
        let mut reply = loaded(sent.clone());
        reply.is_draft = true;
        let state = state.reduce(Action::Stored { sent: Some(Box::new(sent)), reply: Box::new(reply) });
        assert_eq!(state.survey.settings.min_cell, 10);
        assert!(state.unsaved());
    }

    #[test]
    fn invalid_text_is_pending_until_fixed() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        let at = "#/questions/0/id".to_owned();
        let state = state.reduce(Action::Invalid { at: at.clone(), raw: "Left".into(), error: "no".into() });
        assert!(state.pending.contains_key(&at));
        assert!(!state.unsaved());
        let change: Change =
            Rc::new(|s: &mut Survey| rename_question(s, 0, QuestionId::parse("left2").unwrap()));
        let state = state.reduce(Action::Field { at: at.clone(), change });
        assert!(state.pending.is_empty());
        assert!(state.unsaved());
    }

    #[test]
    fn a_decimal_keeps_its_typed_text_until_something_else_rewrites_it() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        let at = "#/settings/privacy/rho".to_owned();
        let change: Change = Rc::new(|s: &mut Survey| s.settings.privacy.rho = 0.5);
        let state = state.reduce(Action::Typed { at: at.clone(), raw: "0.50".into(), change });
        assert_eq!(state.survey.settings.privacy.rho, 0.5);
        assert_eq!(state.typed.get(&at).map(String::as_str), Some("0.50"));
        // Adding or removing items renumbers fields: typed text goes with pending text.
        let state = state.reduce(Action::Restructure { change: Rc::new(|_: &mut Survey| {}), focus: None });
        assert!(state.typed.is_empty());
    }

    #[test]
    fn release_settings_are_checked_where_they_are_edited() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        let change: Change = Rc::new(|s: &mut Survey| {
            s.settings.releases.min_new = Some(2);
            s.settings.releases.every_hours = 0;
            s.settings.privacy.rho = 0.0;
            s.settings.privacy.releases = 0;
        });
        let state = state.reduce(Action::Field { at: "#/settings/releases/min_new".into(), change });
        let pointers: Vec<&str> = state.problems.iter().map(|p| p.pointer.as_str()).collect();
        for field in [
            "#/settings/releases/min_new",
            "#/settings/releases/every_hours",
            "#/settings/privacy/rho",
            "#/settings/privacy/releases",
        ] {
            assert!(pointers.contains(&field), "{field} in {pointers:?}");
        }
    }

    #[test]
    fn the_release_status_follows_the_server() {
        let state = Rc::new(EditorState::new(loaded(sample())));
        assert_eq!(state.releases, None);
        let status = ReleaseStatus {
            made: 1,
            last_made_at: Some(3600),
            min_new: 5,
            enough_new: false,
            next_scheduled_at: Some(90_000),
            rho_spent: 0.0,
            rho_budget: 1.0,
            releases_left: None,
            noise: false,
        };
        let mut reply = loaded(state.survey.clone());
        reply.status = SurveyStatus::Open;
        reply.releases = Some(ReleaseStatus { made: 0, ..status.clone() });
        let state = state.reduce(Action::Stored { sent: None, reply: Box::new(reply) });
        assert_eq!(state.releases.as_ref().map(|r| r.made), Some(0));
        let state = state.reduce(Action::Releases(Some(status.clone())));
        assert_eq!(state.releases, Some(status));
        assert!(!state.unsaved(), "a release changes nothing of the definition");
    }
}
