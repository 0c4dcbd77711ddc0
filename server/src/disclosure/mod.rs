//! Disclosure: what may be published of a survey's counters, when, and in which files.
//! Every figure a reader sees passes through here, and is read from a release
//! (`releases`), never from the live counters: with noise (`noise`, then `publish`) or,
//! where an admin turned noise off, exact counts under suppression (`suppress`).

pub mod audit;
pub mod clock;
pub mod closing;
mod estimate;
pub mod export;
pub mod files;
pub mod noise;
mod publish;
pub mod releases;
mod suppress;
pub mod tables;
