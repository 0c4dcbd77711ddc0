//! The Nansen server. A submission travels
//! validate (shared crate) → admit (nullifier) → mix (batch) → fold (counters) → reply,
//! and leaves behind nothing but counts and a keyed hash of its random key.

pub mod cli;
pub mod config;
pub mod startup;

mod access_log;
mod admit;
mod api;
mod assets;
mod audit;
mod auth;
mod bloom;
mod catalog;
mod compress;
mod countries;
pub mod db;
mod disclose;
mod export;
mod fold;
mod form;
mod i18n;
mod invites;
mod ledger;
mod mix;
mod pages;
mod passwords;
mod problem;
mod schema;
mod seed;
mod sessions;
mod surveys;
mod throttle;
mod users;
