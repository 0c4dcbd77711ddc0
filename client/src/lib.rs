//! The Nansen browser client, compiled to WebAssembly. The respondent's questionnaire
//! lives here; it uses the shared crate's validation, so a person sees exactly the
//! errors the server would give, before anything is sent.

pub mod api;
pub mod countries;
pub mod i18n;
pub mod respondent;
pub mod staff;
