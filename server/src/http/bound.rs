//! Bounds on work that waits its turn: a few run at once, a few more may wait, and
//! anyone beyond is told at once to come back later (503 with `Retry-After`) rather
//! than queued in memory without end.

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::http::problem::ApiError;

#[derive(Debug)]
pub struct Bound {
    what: &'static str,
    running: Semaphore,
    admitted: Semaphore,
}

/// A place among those running; held until the work is done.
#[derive(Debug)]
pub struct Turn<'a> {
    _running: SemaphorePermit<'a>,
    _admitted: SemaphorePermit<'a>,
}

impl Bound {
    /// At most `running` at once, and `waiting` more waiting for them.
    pub fn new(what: &'static str, running: usize, waiting: usize) -> Self {
        Self {
            what,
            running: Semaphore::new(running.max(1)),
            admitted: Semaphore::new(running.max(1) + waiting),
        }
    }

    /// Waits for a turn, if there is room to wait; `Err` (503) when there is not.
    pub async fn enter(&self) -> Result<Turn<'_>, ApiError> {
        let admitted = self.admitted.try_acquire().map_err(|_| {
            ApiError::unavailable(anyhow::anyhow!("too many {} waiting", self.what)).retry_after(2)
        })?;
        let running = self.running.acquire().await.map_err(ApiError::unavailable)?;
        Ok(Turn { _running: running, _admitted: admitted })
    }
}

/// The bounds the server keeps: `NANSEN_LOGIN_QUEUE` and `NANSEN_INVITE_QUEUE`.
#[derive(Debug)]
pub struct Bounds {
    /// Password checks: each holds 64 MiB for a third of a second.
    pub hashing: Bound,
    /// Invite exchanges: each makes an RSA blind signature.
    pub invites: Bound,
}

impl Bounds {
    pub fn new(login_queue: usize, invite_queue: usize) -> Self {
        Self {
            hashing: Bound::new("password checks", 4, login_queue),
            invites: Bound::new("invite exchanges", 4, invite_queue),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_running_and_the_waiting_the_answer_is_come_back_later() {
        let bound = Bound::new("tests", 1, 1);
        let first = bound.enter().await.unwrap();
        let mut waiting = std::pin::pin!(bound.enter());
        let short = std::time::Duration::from_millis(20);
        assert!(tokio::time::timeout(short, waiting.as_mut()).await.is_err(), "the second waits");
        let refused = bound.enter().await.unwrap_err();
        assert_eq!(refused.kind(), nansen_shared::ProblemKind::Unavailable);
        drop(first);
        assert!(waiting.await.is_ok());
        assert!(bound.enter().await.is_ok(), "room again once both are done");
    }
}
