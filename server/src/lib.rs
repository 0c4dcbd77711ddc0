//! The Nansen server. A submission travels
//! validate (shared crate) → admit (nullifier) → mix (batch) → fold (counters) → reply,
//! and leaves behind nothing but counts and a keyed hash of its random key.
//!
//! ```text
//! submission/  the write path: entrance, nullifiers, mixer, fold, ledger
//! storage/     the database: connections, migrations, schema, the counters' stored form
//! disclosure/  what of the counters may be published, and the export files
//! surveys/     definitions through their lifecycle, the catalog, the seed, invitations
//! staff/       accounts, passwords, sessions, API tokens, audit log, command line
//! web/         the respondent's plain form, page shells, static files, translations
//! api/         the JSON API under /api/v1
//! http/        problem documents, client and site, throttling, compression, access log
//! ```

pub mod config;
pub mod startup;
pub mod storage;

mod api;
mod disclosure;
mod http;
mod staff;
mod submission;
mod surveys;
mod web;

pub use api::{OPENAPI_PATH, PREFIX as API_PREFIX, ROUTES as API_ROUTES, document as openapi_document};
pub use staff::cli;

/// What the fuzz targets (fuzz/) reach that is not public otherwise; `cargo fuzz`
/// builds with `--cfg fuzzing`, nothing else does.
#[cfg(fuzzing)]
pub mod fuzzing {
    pub use crate::surveys::xlsform::{ReadError, read as read_xlsform, write as write_xlsform};
}
