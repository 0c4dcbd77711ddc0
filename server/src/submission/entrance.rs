//! The one way in. The JSON API and the plain HTML form both hand a set of answers to
//! [`Entrance::count`], which checks everything a submission must pass, in this order:
//! the survey is open (its opening time has come, its closing time not), the answers are to its current version, the credential has the
//! right shape (a key for an open survey, a token or an invite code for an invite-only
//! one), the answers are valid; then an invite code is used up, the submission is
//! admitted and waits for its batch. A code used for answers that could not be counted
//! is given back.

use std::sync::Arc;

use nansen_shared::invite::{InviteError, Token};
use nansen_shared::validate::visible;
use nansen_shared::{Access, AnswerError, Answers, SubmissionKey, SurveyStatus, Timestamp, validate};

use crate::http::problem::ApiError;
use crate::http::throttle::{Rate, Throttle};
use crate::storage::{self, Conn, Pool};
use crate::submission::admit::{Credential, NullifierKey};
use crate::submission::fold::{Admitted, Outcome};
use crate::submission::mixer::{Batching, Mixer};
use crate::surveys::catalog::Published;
use crate::surveys::invites::{self, Gate, RedeemError};

/// What becomes of answers to questions whose condition does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Refused, as by the JSON API: a client running the questionnaire never sends them.
    Refuse,
    /// Dropped, as by the plain form: without JavaScript every question is on the page,
    /// and a radio button, once chosen, cannot be cleared.
    Drop,
}

/// A set of answers as sent, with whatever was sent to have it counted once.
#[derive(Debug)]
pub struct Sent {
    /// The survey version the answers were given to.
    pub version: Option<u32>,
    /// A random key (open surveys; the plain form sends one for invite-only ones too).
    pub key: Option<String>,
    /// An unblinded invitation token (invite-only surveys, from the browser client).
    pub token: Option<Token>,
    /// An invite code typed into the plain form (invite-only surveys without JavaScript).
    pub code: Option<String>,
    /// The answers. They are dropped once validated: only their tally waits for the
    /// batch.
    pub answers: Answers,
    pub mode: Mode,
}

/// Why nothing was counted.
#[derive(Debug)]
pub enum Refusal {
    /// The survey is scheduled to open at this time.
    NotYetOpen(Option<Timestamp>),
    /// The survey is closed.
    Closed,
    /// The answers were given to another version than the current one.
    Stale { sent: Option<u32>, current: u32 },
    /// The key is not a well-formed random key.
    BadKey,
    /// An open survey was sent no key, or an invitation token.
    KeyExpected,
    /// An invite-only survey was sent neither a token nor a code.
    InviteOnly,
    /// The token does not verify against the survey's key.
    BadToken(InviteError),
    /// Some answers are not valid; nothing about the others was counted either.
    InvalidAnswers(Vec<AnswerError>),
    /// The invite code was not accepted.
    Code(RedeemError),
    /// This client has sent more answers than it may a minute; it may again after
    /// this many seconds.
    Throttled(u64),
    /// The server could not count the answers (its own failure, not the sender's, or
    /// too many submissions waiting: then an `unavailable` error saying when to retry).
    Failed(ApiError),
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Self::Failed(error)
    }
}

/// The services a submission passes through on its way to the counters.
#[derive(Debug, Clone)]
pub struct Entrance {
    nullifiers: NullifierKey,
    mixer: Mixer,
    pool: Pool,
    throttle: Arc<Throttle>,
}

impl Entrance {
    /// Starts the mixer, which writes every batch on `writer`, a connection of its own,
    /// with room for `queue` submissions waiting.
    pub fn start(
        nullifiers: NullifierKey,
        (writer, batching, queue): (Conn, Batching, usize),
        pool: Pool,
        throttle: Arc<Throttle>,
    ) -> anyhow::Result<Self> {
        Ok(Self { nullifiers, mixer: Mixer::start_bounded(writer, batching, queue)?, pool, throttle })
    }

    /// Counts `sent` for `published` once per credential, and waits until its batch is
    /// committed. `client` names the sender for throttling submissions and invite codes
    /// (kept hashed, in memory only).
    pub async fn count(
        &self,
        published: &Arc<Published>,
        sent: Sent,
        client: &str,
    ) -> Result<Outcome, Refusal> {
        let survey = &published.survey;
        if let Err(wait) = self.throttle.take(Rate::Submissions, client) {
            return Err(Refusal::Throttled(wait.as_secs().max(1)));
        }
        match published.status_now() {
            SurveyStatus::Open => {}
            SurveyStatus::Scheduled => return Err(Refusal::NotYetOpen(published.schedule.opens_at)),
            SurveyStatus::Draft | SurveyStatus::Closed => return Err(Refusal::Closed),
        }
        if sent.version != Some(published.version()) {
            return Err(Refusal::Stale { sent: sent.version, current: published.version() });
        }
        let credential = credential(published, &sent)?;
        let Sent { mut answers, mode, code, .. } = sent;
        if mode == Mode::Drop {
            for (question, shown) in survey.questions.iter().zip(visible(survey, &answers)) {
                if !shown {
                    answers.remove(question.id.as_str());
                }
            }
        }
        let tally = validate(survey, &answers).map_err(Refusal::InvalidAnswers)?;
        drop(answers);
        let code = match (&credential, code) {
            (Credential::Key(_), Some(code)) if survey.settings.access == Access::Invite => Some(code),
            _ => None,
        };
        if let Some(code) = &code {
            let (survey_id, typed) = (published.survey_id, code.clone());
            let gate = Gate { pool: &self.pool, throttle: &self.throttle, client: client.to_owned() };
            gate.run(move |conn| invites::consume(conn, survey_id, &typed, None))
                .await?
                .map_err(Refusal::Code)?;
        }
        let nullifier = self.nullifiers.nullifier(published.survey_id, &credential);
        let outcome = self.mixer.submit(Admitted { survey: Arc::clone(published), nullifier, tally }).await;
        if let (Err(_), Some(code)) = (&outcome, code) {
            let survey_id = published.survey_id;
            storage::run(&self.pool, move |conn| {
                invites::restore(conn, survey_id, &code).map_err(ApiError::internal)
            })
            .await?;
        }
        Ok(outcome?)
    }
}

/// What makes these answers countable once: a random key for an open survey; for an
/// invite-only one, a valid token, or (from the plain form) an invite code, counted
/// under the form's random key once the code is used up.
fn credential(published: &Published, sent: &Sent) -> Result<Credential, Refusal> {
    let key = || {
        let key = sent.key.as_deref().ok_or(Refusal::KeyExpected)?;
        SubmissionKey::parse(key).map(Credential::Key).map_err(|_| Refusal::BadKey)
    };
    match (published.survey.settings.access, &sent.token, &sent.code, &published.invite_key) {
        (Access::Open, None, None, _) => key(),
        (Access::Open, _, _, _) => Err(Refusal::KeyExpected),
        (Access::Invite, Some(token), None, Some(public)) if sent.key.is_none() => {
            token.verify(public).map(Credential::Token).map_err(Refusal::BadToken)
        }
        (Access::Invite, None, Some(_), Some(_)) => key(),
        (Access::Invite, _, _, Some(_)) => Err(Refusal::InviteOnly),
        (Access::Invite, _, _, None) => {
            Err(Refusal::Failed(ApiError::internal(anyhow::anyhow!("an invite-only survey without a key"))))
        }
    }
}
