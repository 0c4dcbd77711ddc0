//! Browser tests: the real server, the built WebAssembly client, and Debian's Chromium
//! driven through chromedriver. `cargo xtask test` builds the client and installs the
//! browser first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../support/server.rs"]
mod helpers;
#[path = "../support/workbook.rs"]
mod workbook;

mod accessibility;
mod axe;
mod busy;
mod designer;
mod driver;
mod estimates;
mod invited;
mod kinds;
mod nojs;
mod observer;
mod proxy;
mod releases;
mod respondent;
mod schedule;
mod staff;
mod team;
mod xlsform;
