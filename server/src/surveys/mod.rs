//! Surveys through their lifecycle: drafts and published versions in the database
//! (`lifecycle`), the published ones parsed and cached for every request (`catalog`),
//! the default survey a new server starts with (`seed`), invitations for invite-only
//! surveys (`invites`), and definitions as XLSForm spreadsheets (`xlsform`).

pub mod catalog;
pub mod invites;
pub mod lifecycle;
pub mod seed;
pub mod xlsform;
