//! The questionnaire as a plain HTML form, complete without JavaScript or WebAssembly
//! (Tor Browser's "Safer" level disables WebAssembly, "Safest" JavaScript too). It is
//! also everyone's first paint: the browser client takes it over when it can run.
//!
//! Without JavaScript nothing can appear or disappear, so a conditional question is
//! always shown with its condition in words, and an answer to a question whose
//! condition does not hold is dropped rather than refused.
//!
//! The browser builds the body of the POST, so its length is made constant by
//! construction: every field is always sent, each value of a fixed width
//! (`nansen_shared::answer::form_fields`). A single choice and a scale have a "no
//! answer" choice, checked until another is; each option of a multiple choice is a
//! yes/no pair, "no" checked; a number is chosen from a list of every allowed value,
//! each with leading zeros to one width (`016`…`100`; a range of more than 200 values
//! is answered by choosing its bin); a country list's "none" is as wide as a country
//! code. The form sets `autocomplete="off"`, so the browser does not restore its
//! answers later.
//!
//! A refused form comes back scrolled to the top, so what needs attention is said
//! there: a summary that takes the focus as the page loads (`autofocus`), and lists
//! each problem as a link to its question. Each invalid field is `aria-invalid` and
//! described by its message.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use nansen_shared::answer::{
    FORM_NO, FORM_YES, form_fields, form_number, form_numbers, form_option_field, form_value, from_form,
    new_key,
};
use nansen_shared::{
    Access, Answer, Answers, LanguageTag, Localized, MessageRef, ProblemKind, Question, QuestionKind, Survey,
};

use crate::http::problem::ApiError;
use crate::submission::{Mode, Refusal, Sent};
use crate::surveys::invites::RedeemError;
use crate::web::countries;
use crate::web::i18n::Translations;

/// What the form shows: the answers so far, what is wrong with them (by question id,
/// or `invite` for the invite code), a message about the whole form.
#[derive(Debug, Default)]
pub struct Filled {
    pub answers: Answers,
    pub errors: BTreeMap<String, String>,
    pub notice: Option<String>,
}

impl Filled {
    /// The form at its longest: every question (and the invite code) flagged with a
    /// message of `message_len` bytes, each listed in the summary and said by its
    /// field, every field marked. (A notice about the whole form, shown alone, is far
    /// shorter.) The padded replies are at least as long as this page, so that which
    /// answers need attention, and how many, does not change their size.
    pub fn every_problem(survey: &Survey, message_len: usize) -> Self {
        let message = "x".repeat(message_len);
        let invite = (survey.settings.access == Access::Invite).then(|| "invite".to_owned());
        let ids = survey.questions.iter().map(|q| q.id.to_string()).chain(invite);
        Filled {
            answers: Answers::new(),
            errors: ids.map(|id| (id, message.clone())).collect(),
            notice: None,
        }
    }
}

/// The id of the summary of what needs attention, at the top of a refused form (the
/// client's is the same).
const SUMMARY: &str = "nansen-errors";

/// The form for `survey` in `lang` (the survey's language for its texts; the interface
/// strings in the nearest language there are translations for).
pub fn render(survey: &Survey, lang: &LanguageTag, t: &Translations, filled: &Filled) -> Markup {
    let fallback = survey.default_language().unwrap_or(lang);
    let text = |l: &Localized| l.get(lang, fallback).to_owned();
    let ui = |id: &str| t.text(lang.as_str(), id, &[]);
    let total = survey.questions.len();
    let key = new_key();
    html! {
        form class="questionnaire" id="questionnaire" method="post" action={ "/s/" (survey.slug) "?lang=" (lang) }
            accept-charset="utf-8" autocomplete="off" novalidate {
            (language_switch(survey, lang, t))
            h1 { (text(&survey.title)) }
            (summary(survey, lang, t, filled, &text))
            @if !survey.intro.is_empty() {
                p class="intro" { (text(&survey.intro)) }
            }
            input type="hidden" name="version" value=(survey.version.unwrap_or(0));
            input type="hidden" name="key" value=(key);
            @if survey.settings.access == Access::Invite {
                (invite_field(survey, lang, t, filled))
            }
            @for (index, question) in survey.questions.iter().enumerate() {
                (fieldset(survey, question, index + 1, total, lang, t, filled, &text))
            }
            // Beside the button, where a person who scrolls down to send again looks.
            @if !filled.errors.is_empty() {
                p class="notice error" {
                    (heading(lang, t, filled)) ". "
                    a href={ "#" (SUMMARY) } { (ui("errors-at-top")) }
                }
            }
            button type="submit" class="send" { (ui("send")) }
        }
    }
}

/// "2 answers need attention".
fn heading(lang: &LanguageTag, t: &Translations, filled: &Filled) -> String {
    t.render(lang.as_str(), &MessageRef { id: "fix-errors", count: Some(filled.errors.len()), args: vec![] })
}

/// What needs attention, at the top of the form, focused as the page loads: a heading
/// saying how many answers, and each as a link to its question ("Question 3: When did
/// you leave…?") followed by what is wrong; or the message about the whole form.
fn summary(
    survey: &Survey,
    lang: &LanguageTag,
    t: &Translations,
    filled: &Filled,
    text: &dyn Fn(&Localized) -> String,
) -> Markup {
    let invite = filled
        .errors
        .get("invite")
        .map(|error| ("invite".to_owned(), t.text(lang.as_str(), "invite-code", &[]), error));
    let questions = survey.questions.iter().enumerate().filter_map(|(index, question)| {
        let error = filled.errors.get(question.id.as_str())?;
        let args = vec![("number", (index + 1).to_string()), ("label", text(&question.prompt))];
        let link = t.render(lang.as_str(), &MessageRef { id: "error-link", count: None, args });
        Some((question.id.to_string(), link, error))
    });
    let entries: Vec<(String, String, &String)> = invite.into_iter().chain(questions).collect();
    html! {
        @if !entries.is_empty() {
            div id=(SUMMARY) class="error-summary" role="region" tabindex="-1" autofocus
                aria-labelledby={ (SUMMARY) "-heading" } {
                h2 id={ (SUMMARY) "-heading" } { (heading(lang, t, filled)) }
                ul {
                    @for (id, link, error) in &entries {
                        li { a href={ "#q-" (id) } { (link) } " " span class="error-detail" { (error) } }
                    }
                }
            }
        } @else if let Some(notice) = &filled.notice {
            p id=(SUMMARY) class="notice error" tabindex="-1" autofocus { (notice) }
        }
    }
}

/// The invite code, for an invite-only survey answered without JavaScript.
fn invite_field(survey: &Survey, lang: &LanguageTag, t: &Translations, filled: &Filled) -> Markup {
    let error = filled.errors.get("invite");
    html! {
        div id="q-invite" class={ "question invite" @if error.is_some() { " invalid" } } {
            label for="invite" { (t.text(lang.as_str(), "invite-code", &[])) }
            p class="help" id="invite-help" { (t.text(lang.as_str(), "invite-help", &[])) }
            input id="invite" name="invite" type="text" autocomplete="off" autocapitalize="characters"
                spellcheck="false" required aria-invalid=[error.is_some().then_some("true")]
                aria-describedby={ "invite-help" @if error.is_some() { " invite-error" } };
            @if let Some(error) = error {
                p class="error" id="invite-error" { (error) }
            }
            // The survey's signing key, for anyone comparing that everyone got the same.
            @if let Some(key) = &survey.invite_key {
                p class="fingerprint" { (t.text(lang.as_str(), "invite-key", &[])) " " code { (key.fingerprint) } }
            }
        }
    }
}

/// The survey's languages as buttons that send the form back to be shown in another
/// language, answers kept (see [`submit`]): switching needs no JavaScript and loses
/// nothing.
fn language_switch(survey: &Survey, lang: &LanguageTag, t: &Translations) -> Markup {
    html! {
        @if survey.languages.len() > 1 {
            nav class="languages" aria-label=(t.text(lang.as_str(), "language", &[])) {
                @for other in &survey.languages {
                    button type="submit" name="lang" value=(other) lang=(other) formnovalidate
                        formaction={ "/s/" (survey.slug) "?lang=" (other) }
                        aria-current=[(other == lang).then_some("true")] {
                        (t.autonym(other.as_str()).unwrap_or_else(|| other.as_str().to_ascii_uppercase()))
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn fieldset(
    survey: &Survey,
    question: &Question,
    number: usize,
    total: usize,
    lang: &LanguageTag,
    t: &Translations,
    filled: &Filled,
    text: &dyn Fn(&Localized) -> String,
) -> Markup {
    let id = question.id.as_str();
    let error = filled.errors.get(id);
    let answer = filled.answers.get(id);
    let place = MessageRef {
        id: "question-number",
        count: None,
        args: vec![("number", number.to_string()), ("total", total.to_string())],
    };
    let condition = condition(survey, question, lang, t);
    let hints = hints(question, lang, t, text);
    // The question's group is described by its help, its condition and its rules; each
    // field by the question's error (and a number's by its range).
    let described: Vec<String> = [
        (!question.help.is_empty()).then(|| format!("q-{id}-help")),
        condition.is_some().then(|| format!("q-{id}-condition")),
    ]
    .into_iter()
    .flatten()
    .chain(hints.iter().map(|(hint, _)| format!("q-{id}-{hint}")))
    .collect();
    html! {
        fieldset id={ "q-" (id) } class={ "question" @if error.is_some() { " invalid" } }
            aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] {
            legend id={ "q-" (id) "-legend" } {
                span class="number" { (t.render(lang.as_str(), &place)) }
                " " (text(&question.prompt))
                @if question.required {
                    span class="required" { " (" (t.text(lang.as_str(), "required", &[])) ")" }
                }
            }
            @if !question.help.is_empty() {
                p class="help" id={ "q-" (id) "-help" } { (text(&question.help)) }
            }
            @if let Some(condition) = condition {
                p class="help condition" id={ "q-" (id) "-condition" } { (condition) }
            }
            @for (hint, words) in &hints {
                p class="help" id={ "q-" (id) "-" (hint) } { (words) }
            }
            (inputs(survey, question, answer, error.is_some(), lang, t, text))
            @if let Some(error) = error {
                p class="error" id={ "q-" (id) "-error" } { (error) }
            }
        }
    }
}

/// The rules of a multiple choice, in words beside it (the plain form cannot enforce
/// them as the person answers): how many may be chosen, and which options go alone.
/// `(id suffix, words)`.
fn hints(
    question: &Question,
    lang: &LanguageTag,
    t: &Translations,
    text: &dyn Fn(&Localized) -> String,
) -> Vec<(&'static str, String)> {
    let QuestionKind::Multi { options, max_choices } = &question.kind else {
        return Vec::new();
    };
    let limit = max_choices.map(|max| {
        (
            "limit",
            t.render(
                lang.as_str(),
                &MessageRef { id: "max-choices", count: Some(max as usize), args: vec![] },
            ),
        )
    });
    let alone: Vec<String> = options
        .iter()
        .filter(|o| o.exclusive)
        .map(|o| t.text(lang.as_str(), "exclusive-rule", &[("option", text(&o.label).into())]))
        .collect();
    limit.into_iter().chain((!alone.is_empty()).then(|| ("alone", alone.join(" ")))).collect()
}

/// A number's range in words, with its unit: "From 16 to 100 years."
fn number_range(question: &Question, lang: &LanguageTag, t: &Translations, unit: &str) -> Option<String> {
    let QuestionKind::Number { min, max, .. } = &question.kind else {
        return None;
    };
    let mut args = vec![("min", FluentValue::from(min.to_string())), ("max", max.to_string().into())];
    if unit.is_empty() {
        return Some(t.text(lang.as_str(), "number-range", &args));
    }
    args.push(("label", unit.to_owned().into()));
    Some(t.text(lang.as_str(), "number-range-unit", &args))
}

/// "Answer only if your answer to question 9 was: …", for a conditional question.
fn condition(survey: &Survey, question: &Question, lang: &LanguageTag, t: &Translations) -> Option<String> {
    let show_if = question.show_if.as_ref()?;
    let (index, parent) = survey.question(show_if.question.as_str())?;
    let fallback = survey.default_language().unwrap_or(lang);
    let row = show_if.row.as_ref().map(|r| r.as_str());
    let answers: Vec<String> = show_if
        .any_of
        .iter()
        .map(|code| {
            parent
                .condition_label(row, code, lang, fallback)
                .unwrap_or_else(|| answer_words(survey, parent, code, lang))
        })
        .collect();
    let message = MessageRef {
        id: "condition",
        count: None,
        args: vec![("number", (index + 1).to_string()), ("answers", answers.join(" / "))],
    };
    Some(t.render(lang.as_str(), &message))
}

/// What answer `code` of `question` means to someone reading `lang`.
fn answer_words(survey: &Survey, question: &Question, code: &str, lang: &LanguageTag) -> String {
    let fallback = survey.default_language().unwrap_or(lang);
    question
        .answer_label(code, lang, fallback)
        .or_else(|| question.part_label(code, lang, fallback))
        .or_else(|| {
            countries::names(lang.as_str()).iter().find(|(c, _)| c == code).map(|(_, name)| name.clone())
        })
        .unwrap_or_else(|| code.to_owned())
}

/// The inputs of one question, each field always sent with a value of fixed width
/// (see the module's comment), the current answer checked or selected; when `invalid`,
/// each is marked so and described by the question's error.
fn inputs(
    survey: &Survey,
    question: &Question,
    answer: Option<&Answer>,
    invalid: bool,
    lang: &LanguageTag,
    t: &Translations,
    text: &dyn Fn(&Localized) -> String,
) -> Markup {
    let id = question.id.as_str();
    let ui = |message: &str| t.text(lang.as_str(), message, &[]);
    let fields = form_fields(question, answer);
    let sent = |name: &str| fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str());
    let chosen = sent(id);
    let none = form_value(question, "");
    let error_id = format!("q-{id}-error");
    let field = Field { invalid, described: invalid.then_some(error_id.as_str()) };
    match &question.kind {
        QuestionKind::Single { options } => {
            let choices = options.iter().map(|o| (form_value(question, o.code.as_str()), text(&o.label)));
            radios(id, choices.collect(), chosen, &none, &ui("no-answer"), &field)
        }
        QuestionKind::Multi { options, .. } => html! {
            div class="choices yes-no-list" {
                @for option in options {
                    @let name = form_option_field(id, option.code.as_str());
                    @let yes = sent(&name) == FORM_YES;
                    fieldset class="yes-no" {
                        legend { (text(&option.label)) }
                        span class="pair" {
                            label class="choice" {
                                input type="radio" name=(name) value=(FORM_YES) checked[yes]
                                    aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                                span { (ui("answer-yes")) }
                            }
                            label class="choice" {
                                input type="radio" name=(name) value=(FORM_NO) checked[!yes]
                                    aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                                span { (ui("answer-no")) }
                            }
                        }
                    }
                }
            }
        },
        QuestionKind::Scale { min, max, min_label, max_label } => {
            let end = |value: i64, label: &Localized| {
                let args = vec![("value", value.to_string()), ("label", text(label))];
                t.render(lang.as_str(), &MessageRef { id: "scale-end", count: None, args })
            };
            html! {
                div class="scale" {
                    @if !min_label.is_empty() { span class="scale-end" { (end(*min, min_label)) } }
                    div class="scale-points" {
                        @for value in *min..=*max {
                            @let sent = form_value(question, &value.to_string());
                            label class="point" {
                                input type="radio" name=(id) value=(sent) checked[chosen == sent]
                                    aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                                span { (value) }
                            }
                        }
                    }
                    @if !max_label.is_empty() { span class="scale-end" { (end(*max, max_label)) } }
                    label class="choice no-answer" {
                        input type="radio" name=(id) value=(none) checked[chosen == none]
                            aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                        span { (ui("no-answer")) }
                    }
                }
            }
        }
        QuestionKind::Number { bins, unit, .. } => {
            let unit = text(unit);
            let range_id = format!("q-{id}-range");
            let described = match field.described {
                Some(error) => format!("{range_id} {error}"),
                None => range_id.clone(),
            };
            let list = match form_numbers(question) {
                // Every number, written to one width: the body's length says nothing.
                Some(numbers) => {
                    let numbers = numbers.map(|n| (form_number(question, n), n.to_string()));
                    let field = Field { invalid, described: Some(described.as_str()) };
                    select("number", id, &ui("choose-number"), &none, chosen, numbers.collect(), &field)
                }
                None => {
                    let bins = bins.iter().map(|bin| {
                        let label = answer_words(survey, question, bin.code.as_str(), lang);
                        (form_value(question, bin.code.as_str()), label)
                    });
                    let field = Field { invalid, described: Some(described.as_str()) };
                    select("range", id, &ui("choose-range"), &none, chosen, bins.collect(), &field)
                }
            };
            html! {
                @if let Some(range) = number_range(question, lang, t, &unit) {
                    p class="help" id=(range_id) { (range) }
                }
                div class="number-field" {
                    (list)
                    @if !unit.is_empty() { span class="unit" aria-hidden="true" { (unit) } }
                }
            }
        }
        QuestionKind::Country { allowed } => {
            let offered = |code: &str| allowed.as_ref().is_none_or(|a| a.iter().any(|c| c.as_str() == code));
            let countries = countries::names(lang.as_str()).iter().filter(|(c, _)| offered(c));
            let countries = countries.map(|(code, name)| (form_value(question, code), name.clone()));
            select("country", id, &ui("choose-country"), &none, chosen, countries.collect(), &field)
        }
        QuestionKind::Grid { rows, options } => {
            grid(question, rows, options, &fields, &ui("no-answer"), &field, text)
        }
        QuestionKind::Ranking { items, .. } => {
            let items: Vec<(String, String)> =
                items.iter().map(|i| (form_value(question, i.code.as_str()), text(&i.label))).collect();
            html! {
                div class="ranking" {
                    @for place in 1..=question.places() {
                        @let name = form_option_field(id, &place.to_string());
                        @let place_words = t.text(lang.as_str(), "rank-place", &[("place", place.into())]);
                        div class="rank-place" {
                            label for=(name) { (place_words) }
                            select id=(name) name=(name)
                                aria-invalid=[field.aria_invalid()] aria-describedby=[field.described] {
                                option value=(none) selected[sent(&name) == none] { (ui("choose-item")) }
                                @for (value, label) in &items {
                                    option value=(value) selected[sent(&name) == value] { (label) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A grid as a table of radio buttons: a row per row of the grid, a column per option
/// and one for no answer (checked until another is, so that every row is always sent).
/// Each radio is named by its row's and its column's headers together.
fn grid(
    question: &Question,
    rows: &[nansen_shared::Item],
    options: &[nansen_shared::Choice],
    fields: &[(String, String)],
    no_answer: &str,
    field: &Field<'_>,
    text: &dyn Fn(&Localized) -> String,
) -> Markup {
    let id = question.id.as_str();
    let sent = |name: &str| fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str());
    let none = form_value(question, "");
    let columns: Vec<(String, String, String)> = options
        .iter()
        .map(|o| (format!("q-{id}-o-{}", o.code), form_value(question, o.code.as_str()), text(&o.label)))
        .chain(std::iter::once((format!("q-{id}-o-"), none.clone(), no_answer.to_owned())))
        .collect();
    html! {
        div class="grid-scroll" {
            table class="grid" {
                thead {
                    tr {
                        td {}
                        @for (header, _, label) in &columns { th scope="col" id=(header) { (label) } }
                    }
                }
                tbody {
                    @for row in rows {
                        @let name = form_option_field(id, row.code.as_str());
                        @let row_header = format!("q-{id}-r-{}", row.code);
                        tr {
                            th scope="row" id=(row_header) { (text(&row.label)) }
                            @for (header, value, _) in &columns {
                                td {
                                    input type="radio" name=(name) value=(value) checked[sent(&name) == value]
                                        aria-labelledby={ (row_header) " " (header) }
                                        aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How a question's fields are marked: invalid or not, and the ids of what describes
/// them (the question's error; a number's range too).
struct Field<'a> {
    invalid: bool,
    described: Option<&'a str>,
}

impl Field<'_> {
    /// The value of `aria-invalid`: there only when the answer is invalid.
    fn aria_invalid(&self) -> Option<&'static str> {
        self.invalid.then_some("true")
    }
}

/// Radio buttons, one per `(value, label)`, and "no answer" after them.
fn radios(
    name: &str,
    choices: Vec<(String, String)>,
    chosen: &str,
    none: &str,
    no_answer: &str,
    field: &Field<'_>,
) -> Markup {
    html! {
        div class="choices" {
            @for (value, label) in &choices {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[chosen == value]
                        aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                    span { (label) }
                }
            }
            label class="choice no-answer" {
                input type="radio" name=(name) value=(none) checked[chosen == none]
                    aria-invalid=[field.aria_invalid()] aria-describedby=[field.described];
                span { (no_answer) }
            }
        }
    }
}

/// A list to choose from, "no answer" (`prompt`, of value `none`) first, named by its
/// question's legend.
fn select(
    class: &str,
    name: &str,
    prompt: &str,
    none: &str,
    chosen: &str,
    choices: Vec<(String, String)>,
    field: &Field<'_>,
) -> Markup {
    html! {
        select class=(class) name=(name) aria-labelledby={ "q-" (name) "-legend" }
            aria-invalid=[field.aria_invalid()] aria-describedby=[field.described] {
            option value=(none) selected[chosen == none] { (prompt) }
            @for (value, label) in &choices {
                option value=(value) selected[chosen == value] { (label) }
            }
        }
    }
}

/// The answers and the credential a plain form sent, as the entrance takes them: every
/// question is on the page without JavaScript, so answers to those that do not apply
/// are dropped rather than refused. An invite-only survey's form carries the code itself.
pub fn sent(survey: &Survey, fields: &[(String, String)]) -> Sent {
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.to_owned());
    Sent {
        version: field("version").and_then(|v| v.parse().ok()),
        key: field("key"),
        token: None,
        code: (survey.settings.access == Access::Invite).then(|| field("invite").unwrap_or_default()),
        answers: from_form(survey, fields),
        mode: Mode::Drop,
    }
}

/// The form again after `refusal`, with the answers in `fields` as they were sent and
/// what needs attention; `Err` for the server's own failures, which get an error page.
pub fn refused(
    survey: &Survey,
    fields: &[(String, String)],
    refusal: Refusal,
    lang: &LanguageTag,
    t: &Translations,
) -> Result<Filled, ApiError> {
    let answers = from_form(survey, fields);
    let again = |errors: BTreeMap<String, String>, notice: Option<String>| Filled { answers, errors, notice };
    let text = |id: &str| t.text(lang.as_str(), id, &[]);
    Ok(match refusal {
        Refusal::Stale { .. } => again(BTreeMap::new(), Some(text("survey-updated"))),
        Refusal::NotYetOpen(_) => again(BTreeMap::new(), Some(text("not-open-yet"))),
        Refusal::Closed => again(BTreeMap::new(), Some(text("closed"))),
        Refusal::BadKey | Refusal::KeyExpected | Refusal::InviteOnly | Refusal::BadToken(_) => {
            again(BTreeMap::new(), Some(text("error-other")))
        }
        Refusal::InvalidAnswers(problems) => {
            let errors = problems
                .iter()
                .map(|e| {
                    let question = survey.question(&e.question).map(|(_, q)| q);
                    let label = |code: &str| {
                        question.map_or_else(|| code.to_owned(), |q| answer_words(survey, q, code, lang))
                    };
                    (e.question.clone(), t.render(lang.as_str(), &MessageRef::for_problem(&e.problem, label)))
                })
                .collect();
            // Said at the top, in the summary of what needs attention.
            again(errors, None)
        }
        Refusal::Code(refused) => {
            let typed = fields.iter().find(|(name, _)| name == "invite").map_or("", |(_, v)| v.as_str());
            let error = match refused {
                _ if typed.trim().is_empty() => text("invite-missing"),
                RedeemError::Used => text("invite-used"),
                RedeemError::Throttled(seconds) => {
                    t.text(lang.as_str(), "invite-wait", &[("seconds", seconds.into())])
                }
                _ => text("invite-unknown"),
            };
            again([("invite".to_owned(), error)].into(), None)
        }
        Refusal::Throttled(seconds) => again(
            BTreeMap::new(),
            Some(t.text(lang.as_str(), "too-many-wait", &[("seconds", seconds.into())])),
        ),
        Refusal::Failed(error) if error.kind() == ProblemKind::Unavailable => {
            let seconds = error.retry_after_seconds().unwrap_or(5);
            again(BTreeMap::new(), Some(t.text(lang.as_str(), "busy-wait", &[("seconds", seconds.into())])))
        }
        Refusal::Failed(error) => return Err(error),
    })
}

/// The status the form is shown again with after `refusal`, and the seconds to wait
/// before sending it again when the server asks for a pause.
pub fn refused_status(refusal: &Refusal) -> (StatusCode, Option<u64>) {
    match refusal {
        Refusal::Throttled(seconds) => (StatusCode::TOO_MANY_REQUESTS, Some(*seconds)),
        Refusal::Failed(error) if error.kind() == ProblemKind::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, Some(error.retry_after_seconds().unwrap_or(5)))
        }
        _ => (StatusCode::UNPROCESSABLE_ENTITY, None),
    }
}
