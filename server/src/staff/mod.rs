//! The people who run surveys: accounts and their passwords, sessions and API tokens,
//! who is asking (`auth`), the audit log of what they did, and the command line that
//! manages accounts on the server machine.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod login;
pub mod passwords;
pub mod sessions;
