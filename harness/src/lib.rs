//! Starting what the integration tests and the benchmarks run against: the `nansen`
//! server binary ([`Server`]) and a headless Chromium driven through chromedriver
//! ([`Browser`]).

mod browser;
mod server;

pub use browser::{Browser, BrowserSetup};
pub use fantoccini;
pub use server::Server;
