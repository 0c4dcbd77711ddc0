//! Errors as the API sends them: RFC 9457 problem details (`application/problem+json`).
//! The `type` is stable and machine-readable; the `detail` is for a person.

use serde::{Deserialize, Serialize};

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the kind of problem, such as `/problems/invalid-answers`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For validation problems: what is wrong, and where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One thing wrong with a request body, located by a JSON pointer into it
/// (`#/answers/age`, `#/questions/3/options/0/label/ru`), as in RFC 9457's example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub pointer: String,
    /// Stable machine-readable name, such as `out_of_range` or `missing_translation`.
    pub code: String,
    pub detail: String,
}

impl FieldError {
    /// The question an answer error is about, for pointers of the form `#/answers/{id}`.
    pub fn question(&self) -> Option<&str> {
        self.pointer.strip_prefix("#/answers/")
    }
}

macro_rules! problem_kinds {
    ($($variant:ident => ($name:literal, $status:literal, $title:literal),)*) => {
        /// Every kind of problem the API reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ProblemKind { $($variant,)* }

        impl ProblemKind {
            pub const ALL: &'static [ProblemKind] = &[$(ProblemKind::$variant,)*];

            /// The short name, the last segment of the `type`.
            pub fn name(self) -> &'static str {
                match self { $(ProblemKind::$variant => $name,)* }
            }

            pub fn status(self) -> u16 {
                match self { $(ProblemKind::$variant => $status,)* }
            }

            /// A short, fixed summary; the `detail` says what happened this time.
            pub fn title(self) -> &'static str {
                match self { $(ProblemKind::$variant => $title,)* }
            }
        }
    };
}

problem_kinds! {
    MalformedJson => ("malformed-json", 400, "The request body is not valid JSON"),
    InvalidBody => ("invalid-body", 400, "The request body does not have the expected fields"),
    InvalidQuery => ("invalid-query", 400, "The query string is not valid"),
    Unauthenticated => ("unauthenticated", 401, "Log in first"),
    InvalidCredentials => ("invalid-credentials", 401, "Wrong username or password"),
    Forbidden => ("forbidden", 403, "Not allowed"),
    NotFound => ("not-found", 404, "Not found"),
    NoRelease => ("no-release", 404, "No results have been released yet"),
    MethodNotAllowed => ("method-not-allowed", 405, "Method not allowed"),
    AlreadyCounted => ("already-counted", 409, "This response was already counted"),
    VersionMismatch => ("version-mismatch", 409, "The survey has changed"),
    Conflict => ("conflict", 409, "Conflict"),
    ReleaseNotAllowed => ("release-not-allowed", 409, "A release cannot be made now"),
    NotYetOpen => ("not-yet-open", 409, "This survey is not open yet"),
    SurveyClosed => ("survey-closed", 410, "This survey is closed"),
    PayloadTooLarge => ("payload-too-large", 413, "The request body is too large"),
    UnsupportedMediaType => ("unsupported-media-type", 415, "Unsupported content type"),
    InvalidAnswers => ("invalid-answers", 422, "Some answers need attention"),
    InvalidKey => ("invalid-key", 422, "The submission key is not valid"),
    InvalidToken => ("invalid-token", 422, "The invitation token is not valid"),
    InvalidInvite => ("invalid-invite", 403, "The invite code is not valid"),
    InviteUsed => ("invite-used", 409, "The invite code was already used"),
    InvalidDefinition => ("invalid-definition", 422, "The survey definition needs changes"),
    InvalidSchedule => ("invalid-schedule", 422, "The opening and closing times need changes"),
    InvalidUsername => ("invalid-username", 422, "The username is not valid"),
    WeakPassword => ("weak-password", 422, "The password is too weak"),
    TooManyRequests => ("too-many-requests", 429, "Too many attempts"),
    Internal => ("internal", 500, "Something went wrong on the server"),
    Unavailable => ("unavailable", 503, "The server cannot serve this right now"),
}

impl ProblemKind {
    pub const TYPE_PREFIX: &'static str = "/problems/";

    /// The `type` URI reference: `/problems/{name}`.
    pub fn type_uri(self) -> String {
        format!("{}{}", Self::TYPE_PREFIX, self.name())
    }

    pub fn from_type(uri: &str) -> Option<Self> {
        let name = uri.strip_prefix(Self::TYPE_PREFIX)?;
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }
}

impl Problem {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.type_uri(),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// The kind, if the server sent one this version knows.
    pub fn known_kind(&self) -> Option<ProblemKind> {
        ProblemKind::from_type(&self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<_> = ProblemKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ProblemKind::ALL.len());
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_type(&kind.type_uri()), Some(*kind));
        }
    }

    #[test]
    fn wire_shape() {
        let problem =
            Problem::new(ProblemKind::InvalidAnswers, "1 answer needs attention.").with_errors(vec![
                FieldError {
                    pointer: "#/answers/age".into(),
                    code: "out_of_range".into(),
                    detail: "…".into(),
                },
            ]);
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "/problems/invalid-answers");
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["pointer"], "#/answers/age");
        assert_eq!(problem.errors[0].question(), Some("age"));
        let plain = serde_json::to_value(Problem::new(ProblemKind::NotFound, "x")).unwrap();
        assert!(plain.get("errors").is_none());
    }
}
