//! The write path's single door. Admitted submissions queue here; one thread takes
//! everything waiting (up to a batch) and folds it in one transaction, then answers each
//! submitter. A submission is acknowledged only after its batch commits, so an
//! acknowledged one is durable and an unacknowledged one was never counted.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread;

use tokio::sync::oneshot;

use crate::db::Conn;
use crate::fold::{Admitted, Outcome, fold};
use crate::problem::ApiError;

/// The most submissions committed in one transaction.
pub const MAX_BATCH: usize = 1024;
/// How many submissions may wait; beyond this the server asks clients to retry.
const QUEUE: usize = 64 * 1024;

struct Job {
    admitted: Admitted,
    reply: oneshot::Sender<Result<Outcome, ()>>,
}

#[derive(Debug, Clone)]
pub struct Mixer {
    queue: SyncSender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job(..)")
    }
}

impl Mixer {
    /// Starts the writer thread, which owns `conn` for as long as the server runs.
    pub fn start(conn: Conn) -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::sync_channel(QUEUE);
        thread::Builder::new().name("nansen-writer".into()).spawn(move || run(conn, &jobs))?;
        Ok(Self { queue })
    }

    /// Queues `admitted` and waits until its batch is committed (or failed).
    pub async fn submit(&self, admitted: Admitted) -> Result<Outcome, ApiError> {
        let (reply, outcome) = oneshot::channel();
        self.queue.try_send(Job { admitted, reply }).map_err(|e| match e {
            TrySendError::Full(_) => ApiError::unavailable(anyhow::anyhow!("the submission queue is full")),
            TrySendError::Disconnected(_) => ApiError::unavailable(anyhow::anyhow!("the writer has stopped")),
        })?;
        match outcome.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(())) => Err(ApiError::internal(anyhow::anyhow!("the batch could not be committed"))),
            Err(_) => Err(ApiError::unavailable(anyhow::anyhow!("the writer stopped before answering"))),
        }
    }
}

fn run(mut conn: Conn, jobs: &Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (admitted, replies): (Vec<Admitted>, Vec<_>) =
            batch.into_iter().map(|j| (j.admitted, j.reply)).unzip();
        match fold(&mut conn, &admitted) {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    // The submitter may have gone away; its answer is counted regardless.
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(
                    batch = admitted.len(),
                    "could not commit a batch, nothing in it was counted: {error}"
                );
                for reply in replies {
                    let _ = reply.send(Err(()));
                }
            }
        }
    }
}
