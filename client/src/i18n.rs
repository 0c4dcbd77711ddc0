//! The questionnaire's interface strings, as the server renders them from its Fluent
//! resources (see `nansen_shared::Messages`): this bundle carries no translation engine.

use std::rc::Rc;

use nansen_shared::Messages;

/// Interface strings in one language. Cheap to clone; equal when the same pack.
#[derive(Debug, Clone)]
pub struct Texts(pub Rc<Messages>);

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Texts {
    pub fn new(messages: Messages) -> Self {
        Self(Rc::new(messages))
    }

    pub fn lang(&self) -> &str {
        self.0.lang.as_str()
    }

    pub fn t(&self, id: &str) -> String {
        self.0.get(id)
    }

    /// A message with `{name}` placeholders filled in.
    pub fn fill(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.0.fill(id, args)
    }

    /// A message whose wording depends on the number `n`.
    pub fn count(&self, id: &str, n: usize) -> String {
        self.0.count(id, n)
    }
}
