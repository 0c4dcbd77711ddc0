//! The pages: the respondent's questionnaire as a plain HTML form (complete without
//! JavaScript), the page shells the browser client takes over, the client's static
//! files, the interface strings and country names in every interface language, and a
//! survey's opening and closing times as respondents read them.

pub mod assets;
pub mod countries;
pub mod form;
pub mod i18n;
pub mod pages;
pub mod times;
