//! The admin area: the list of surveys, starting or importing one, the designer, and
//! the staff screens (accounts, API tokens, the audit log).

mod editor;
mod import;
mod list;
mod new;
mod team;

pub use editor::Editor;
pub use list::SurveyList;
pub use new::NewSurvey;
pub use team::{Accounts, AuditLog, Tokens};
