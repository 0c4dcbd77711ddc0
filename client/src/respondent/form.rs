//! The questionnaire's state and how it changes: a pure reducer, so the rules (hidden
//! answers dropped, errors cleared as they are fixed, the key kept for retries) are
//! tested without a browser. It lives in memory only: nothing is written to storage,
//! and closing the tab forgets it.

use std::rc::Rc;

use nansen_shared::invite::Token;
use nansen_shared::validate::visible;
use nansen_shared::{Access, Answer, AnswerError, AnswerProblem, Answers, FieldError, Submission, validate};
use yew::Reducible;

use super::SurveyRef;

/// What is wrong with one answer, as shown next to its question.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    /// Found by the shared validation, before sending.
    Local(AnswerProblem),
    /// Refused by the server for a reason this client did not foresee.
    Server,
    /// About the invite code: the message to show.
    Invite(&'static str),
}

/// Where the invite code flag is kept (a name no question may take).
pub const INVITE: &str = "invite";

/// A message above the send button.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// This many answers need attention.
    FixErrors(usize),
    /// Not sent, or the reply was lost: retrying with the same key is safe.
    NotSent,
    /// The server is busy: the answers go again by themselves after this many seconds.
    Waiting(u32),
    /// The survey changed while the person answered; check and send again.
    Updated,
    /// The server refused the whole submission; its explanation.
    Refused(String),
    /// In a preview: the answers are valid (and were not sent).
    PreviewValid,
}

/// The flagged questions, in the order found. A short list, not a map: a form has a
/// handful of flags at most, and every map type is several kilobytes of download.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags(Vec<(String, Flag)>);

impl Flags {
    pub fn get(&self, question: &str) -> Option<&Flag> {
        self.0.iter().find(|(q, _)| q == question).map(|(_, flag)| flag)
    }

    fn insert(&mut self, question: String, flag: Flag) {
        self.remove(&question);
        self.0.push((question, flag));
    }

    fn remove(&mut self, question: &str) {
        self.0.retain(|(q, _)| q != question);
    }

    fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.0.retain(|(q, _)| keep(q));
    }

    fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    pub survey: SurveyRef,
    pub answers: Answers,
    pub flags: Flags,
    pub notice: Option<Notice>,
    pub in_flight: bool,
    /// The submission's random key: the same for every retry of this form.
    pub key: String,
    /// For an invite-only survey, the token its invite code was exchanged for.
    pub token: Option<Token>,
    /// Bumped when focus should move to the first flagged question.
    pub focus: u32,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// The person changed an answer (`None`: cleared it).
    Answer(String, Option<Answer>),
    /// Local validation found problems.
    Invalid(Vec<AnswerError>),
    /// The answers are on their way.
    Sending,
    /// The server refused some answers.
    Refused(Vec<FieldError>),
    /// The server refused the submission as a whole.
    RefusedAll(String),
    /// No answer from the server.
    NotSent,
    /// The server asked for a pause: the answers go again after this many seconds.
    Waiting(u32),
    /// A new version of the survey replaces the old one.
    Updated(SurveyRef),
    /// In a preview, the answers passed validation.
    PreviewValid,
    /// The invite code was exchanged for a token.
    Token(Token),
    /// The invite code was refused, or is missing: the message to show, and whether
    /// this stopped a send (or was found when the code was typed).
    Invite(&'static str, bool),
}

impl FormState {
    pub fn new(survey: SurveyRef, key: String) -> Self {
        Self {
            survey,
            answers: Answers::new(),
            flags: Flags::default(),
            notice: None,
            in_flight: false,
            key,
            token: None,
            focus: 0,
        }
    }

    /// Starts from answers given before the form came to life (in the server's form).
    pub fn starting_with(mut self, answers: Answers) -> Self {
        self.answers = answers;
        self.prune();
        self
    }

    /// Which questions apply now, in order.
    pub fn shown(&self) -> Vec<bool> {
        visible(&self.survey.0, &self.answers)
    }

    /// The submission to send, or what stops it.
    pub fn submission(&self) -> Result<Submission, Vec<AnswerError>> {
        validate(&self.survey.0, &self.answers)?;
        let invited = self.survey.0.settings.access == Access::Invite;
        Ok(Submission {
            version: self.survey.0.version.unwrap_or(0),
            answers: self.answers.clone(),
            key: (!invited).then(|| self.key.clone()),
            token: self.token.clone().filter(|_| invited),
            // Filled when sent (`crate::api::submit`).
            pad: String::new(),
        })
    }

    /// Whether the answers can go now: an invite-only survey needs its token first.
    pub fn needs_invite(&self) -> bool {
        self.survey.0.settings.access == Access::Invite && self.token.is_none()
    }

    /// Replaces the flags with the validation's findings. (A loop, not `collect`:
    /// collecting into a map sorts, and each sort is more code to download.)
    fn flag_all(&mut self, errors: Vec<AnswerError>) {
        self.flags.clear();
        for error in errors {
            self.flags.insert(error.question, Flag::Local(error.problem));
        }
    }

    /// Drops answers to questions that no longer apply (or no longer exist): they are
    /// never sent.
    fn prune(&mut self) {
        let survey = &self.survey.0;
        let shown = visible(survey, &self.answers);
        let keep: Vec<String> = survey
            .questions
            .iter()
            .zip(shown)
            .filter(|(_, shown)| *shown)
            .map(|(q, _)| q.id.to_string())
            .collect();
        self.answers.retain(|id, _| keep.contains(id));
        self.flags.retain(|id| keep.iter().any(|k| k == id));
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Answer(id, answer) => {
                match answer {
                    Some(answer) => next.answers.insert(id.clone(), answer),
                    None => next.answers.remove(&id),
                };
                next.flags.remove(&id);
                next.prune();
                // What is wrong with the answer itself (a number out of range, or not a
                // whole number) is said as soon as it is given, not only at send.
                if let Err(errors) = validate(&next.survey.0, &next.answers)
                    && let Some(error) =
                        errors.into_iter().find(|e| e.question == id && e.problem != AnswerProblem::Required)
                {
                    next.flags.insert(id, Flag::Local(error.problem));
                }
                if next.flags.is_empty() && matches!(next.notice, Some(Notice::FixErrors(_))) {
                    next.notice = None;
                }
            }
            Action::Invalid(errors) => {
                next.flag_all(errors);
                next.notice = Some(Notice::FixErrors(next.flags.len()));
                next.in_flight = false;
                next.focus += 1;
            }
            Action::Sending => {
                next.flags.clear();
                next.notice = None;
                next.in_flight = true;
            }
            Action::Refused(errors) => {
                next.flags.clear();
                for question in errors.iter().filter_map(FieldError::question) {
                    next.flags.insert(question.to_owned(), Flag::Server);
                }
                next.notice = Some(Notice::FixErrors(next.flags.len().max(1)));
                next.in_flight = false;
                next.focus += 1;
            }
            Action::RefusedAll(detail) => {
                next.notice = Some(Notice::Refused(detail));
                next.in_flight = false;
            }
            Action::NotSent => {
                next.notice = Some(Notice::NotSent);
                next.in_flight = false;
            }
            Action::Waiting(seconds) => next.notice = Some(Notice::Waiting(seconds)),
            Action::Token(token) => {
                next.token = Some(token);
                next.flags.remove(INVITE);
            }
            Action::Invite(message, at_send) => {
                next.flags.insert(INVITE.to_owned(), Flag::Invite(message));
                // Found while the person answers: said beside the field, without taking
                // their focus away from where they are.
                if at_send {
                    next.notice = Some(Notice::FixErrors(next.flags.len()));
                    next.in_flight = false;
                    next.focus += 1;
                }
            }
            Action::PreviewValid => {
                next.flags.clear();
                next.notice = Some(Notice::PreviewValid);
            }
            Action::Updated(survey) => {
                next.survey = survey;
                next.answers.retain(|id, _| next.survey.0.question(id).is_some());
                next.prune();
                next.flags.clear();
                if let Err(errors) = validate(&next.survey.0, &next.answers) {
                    next.flag_all(errors);
                }
                next.notice = Some(Notice::Updated);
                next.in_flight = false;
                next.focus += 1;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nansen_shared::Survey;
    use serde_json::json;

    fn survey() -> SurveyRef {
        let survey: Survey = serde_json::from_value(json!({
            "slug": "s", "version": 1, "languages": ["en"], "title": {"en": "S"},
            "questions": [
                {"id": "ret", "kind": "single", "required": true, "prompt": {"en": "?"},
                 "options": [{"code": "if", "label": {"en": "If"}}, {"code": "no", "label": {"en": "No"}}]},
                {"id": "conds", "kind": "multi", "required": true, "prompt": {"en": "?"},
                 "show_if": {"question": "ret", "any_of": ["if"]},
                 "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]}
            ]
        }))
        .unwrap();
        SurveyRef(Rc::new(survey))
    }

    fn apply(state: FormState, actions: Vec<Action>) -> FormState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn code(c: &str) -> Option<Answer> {
        Some(Answer::Code(c.into()))
    }

    #[test]
    fn answers_to_questions_that_no_longer_apply_are_dropped() {
        let state = apply(
            FormState::new(survey(), "k".repeat(43)),
            vec![
                Action::Answer("ret".into(), code("if")),
                Action::Answer("conds".into(), Some(Answer::Codes(vec!["a".into()]))),
            ],
        );
        assert_eq!(state.shown(), [true, true]);
        assert!(state.submission().is_ok());
        let state = apply(state, vec![Action::Answer("ret".into(), code("no"))]);
        assert_eq!(state.shown(), [true, false]);
        assert!(!state.answers.contains_key("conds"), "the hidden answer is gone");
        assert_eq!(state.submission().unwrap().answers.len(), 1);
    }

    #[test]
    fn errors_are_flagged_focused_and_cleared_as_they_are_fixed() {
        let start = FormState::new(survey(), "k".repeat(43));
        let errors = start.submission().unwrap_err();
        let state = apply(start, vec![Action::Invalid(errors)]);
        assert_eq!(state.flags.get("ret"), Some(&Flag::Local(AnswerProblem::Required)));
        assert_eq!(state.notice, Some(Notice::FixErrors(1)));
        assert_eq!(state.focus, 1);
        let state = apply(state, vec![Action::Answer("ret".into(), code("no"))]);
        assert!(state.flags.is_empty());
        assert_eq!(state.notice, None);
    }

    #[test]
    fn a_number_out_of_range_is_flagged_as_it_is_given_and_cleared_when_fixed() {
        let survey: Survey = serde_json::from_value(json!({
            "slug": "s", "version": 1, "languages": ["en"], "title": {"en": "S"},
            "questions": [
                {"id": "ret", "kind": "single", "required": true, "prompt": {"en": "?"},
                 "options": [{"code": "no", "label": {"en": "No"}}]},
                {"id": "age", "kind": "number", "min": 16, "max": 100, "prompt": {"en": "?"},
                 "bins": [{"code": "all", "min": 16, "max": 100}]}
            ]
        }))
        .unwrap();
        let state = apply(
            FormState::new(SurveyRef(Rc::new(survey)), "k".repeat(43)),
            vec![Action::Answer("age".into(), Some(Answer::Number(150)))],
        );
        assert_eq!(
            state.flags.get("age"),
            Some(&Flag::Local(AnswerProblem::OutOfRange { min: 16, max: 100 }))
        );
        assert_eq!(state.flags.get("ret"), None, "an unanswered question waits for the send");
        assert_eq!(state.notice, None);
        let state = apply(state, vec![Action::Answer("age".into(), Some(Answer::Number(34)))]);
        assert!(state.flags.is_empty());
    }

    #[test]
    fn a_retry_reuses_the_key() {
        let key = "x".repeat(43);
        let state = apply(
            FormState::new(survey(), key.clone()),
            vec![Action::Answer("ret".into(), code("no")), Action::Sending, Action::NotSent],
        );
        assert_eq!(state.notice, Some(Notice::NotSent));
        assert!(!state.in_flight);
        assert_eq!(state.submission().unwrap().key, Some(key));
    }

    #[test]
    fn a_pause_asked_by_the_server_is_said_while_the_answers_stay_in_flight() {
        let key = "x".repeat(43);
        let state = apply(
            FormState::new(survey(), key.clone()),
            vec![Action::Answer("ret".into(), code("no")), Action::Sending, Action::Waiting(5)],
        );
        assert_eq!(state.notice, Some(Notice::Waiting(5)));
        assert!(state.in_flight, "the send button stays disabled: the answers go again by themselves");
        assert_eq!(state.submission().unwrap().key, Some(key), "with the same key");
    }

    #[test]
    fn a_new_version_keeps_the_answers_that_still_fit() {
        let state = apply(
            FormState::new(survey(), "k".repeat(43)),
            vec![
                Action::Answer("ret".into(), code("if")),
                Action::Answer("conds".into(), Some(Answer::Codes(vec!["b".into()]))),
            ],
        );
        let mut v2 = (*survey().0).clone();
        v2.version = Some(2);
        v2.questions.truncate(1);
        let state = apply(state, vec![Action::Updated(SurveyRef(Rc::new(v2)))]);
        assert_eq!(state.notice, Some(Notice::Updated));
        assert_eq!(state.answers.keys().collect::<Vec<_>>(), ["ret"]);
        assert_eq!(state.submission().unwrap().version, 2);
    }
}
