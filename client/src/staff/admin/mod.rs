//! The admin area: the list of surveys, starting or importing one, and the designer.

mod editor;
mod import;
mod list;
mod new;

pub use editor::Editor;
pub use list::SurveyList;
pub use new::NewSurvey;
