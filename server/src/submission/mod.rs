//! The write path: everything a set of answers passes through, and all it leaves behind.
//!
//! ```text
//! entrance  the survey is open, the version current, the credential well-formed, the
//!           answers valid (shared crate); an invite code is used up
//! admit     the credential becomes a nullifier: a keyed hash that recognises a retry
//! mixer     submissions wait in memory until a batch is full or its window has passed,
//!           and are shuffled
//! fold      in one transaction: the batch's nullifiers go into the ledger (a retry is
//!           refused there) and its counts, summed, into the counters
//!           (`storage::counters`); only then is anyone told "counted"
//! ```
//!
//! Nothing else about a respondent is written: no answer, no time, no address. The
//! handlers see only [`Entrance`] and what it takes and returns.

mod admit;
mod bloom;
mod entrance;
mod fold;
mod ledger;
mod mixer;
#[cfg(test)]
mod properties;

pub use admit::NullifierKey;
pub use entrance::{Entrance, Mode, Refusal, Sent};
pub use fold::Outcome;
pub use mixer::Batching;
