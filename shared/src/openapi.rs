//! Schemas for the types whose JSON is not what a derive would see (strings parsed by
//! hand, values read by their shape), for the server's OpenAPI document. Only with the
//! `openapi` feature, which the browser's build leaves off.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};

/// An identifier: a string described by the rule it must follow, and its pattern
/// (an ECMAScript regular expression, as JSON Schema's; the parser is the judge).
pub(crate) fn id(description: &str, example: &str, pattern: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some(description))
        .pattern(Some(pattern))
        .examples([serde_json::json!(example)])
        .into()
}

/// A moment in RFC 3339 form.
pub(crate) fn date_time() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .description(Some("A moment in RFC 3339 form, written in UTC to the second."))
        .examples([serde_json::json!("2027-03-01T12:00:00Z")])
        .into()
}

/// One answer, by its shape: an option code (single, scale, country, number bin), a list
/// of codes (multi, ranking in order), a whole number (number), or an option code by row
/// code (grid).
pub(crate) fn answer() -> RefOr<Schema> {
    let string = || ObjectBuilder::new().schema_type(SchemaType::Type(Type::String));
    OneOfBuilder::new()
        .item(string().description(Some("An option code: single, scale, country.")))
        .item(
            ArrayBuilder::new()
                .items(string())
                .description(Some("Option codes: multi; for a ranking, the items in order.")),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .description(Some("A whole number: number questions.")),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Object))
                .additional_properties(Some(string()))
                .description(Some("An option code for each row code: grid questions.")),
        )
        .description(Some("One answer; its shape depends on the question's kind."))
        .into()
}

/// Answers by question id.
pub(crate) fn answers() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Object))
        .additional_properties(Some(answer()))
        .description(Some("Answers by question id; a question left unanswered is left out."))
        .into()
}
