//! Integration tests: each starts the real `nansen` binary on a free loopback port with
//! a fresh database, and speaks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/server.rs"]
mod helpers;
#[path = "../support/workbook.rs"]
mod workbook;

mod accounts;
mod cli;
mod conformance;
mod crash;
mod errors;
mod estimates;
mod exports;
mod files;
mod files_more;
mod form;
mod instances;
mod invites;
mod kinds;
mod lifecycle;
mod limits;
mod openapi;
mod privacy;
mod schedule;
mod schemathesis;
mod sessions;
mod sizes;
mod slow_clients;
mod staff_admin;
mod submissions;
mod surveys;
mod traces;
mod xlsform;
