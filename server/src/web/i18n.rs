//! Interface strings: Fluent resources in `server/locales/`, one per language, with
//! CLDR plural rules. The server renders them into its own pages and, for the browser
//! client, into a [`Messages`] pack, so the WebAssembly download carries no
//! translation engine and every string has one source.

use std::collections::BTreeMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

use fluent_syntax::ast::{Entry, Expression, Pattern, PatternElement};
use nansen_shared::messages::{PLURAL_TABLE, Plural, StaffMessages};
use nansen_shared::{LanguageTag, MessageRef, Messages};
use unic_langid::LanguageIdentifier;

/// The messages of each interface language (`nansen_shared::messages::INTERFACE_LANGUAGES`);
/// the first is the fallback.
const SOURCES: [(&str, &str); 4] = [
    ("en", include_str!("../../locales/en.ftl")),
    ("ru", include_str!("../../locales/ru.ftl")),
    ("uk", include_str!("../../locales/uk.ftl")),
    ("be", include_str!("../../locales/be.ftl")),
];

/// The staff screens' messages (designer, dashboard, login), a bundle set of their own:
/// only the staff bundle asks for them (`GET /api/v1/messages/staff`).
const STAFF_SOURCES: [(&str, &str); 4] = [
    ("en", include_str!("../../locales/staff/en.ftl")),
    ("ru", include_str!("../../locales/staff/ru.ftl")),
    ("uk", include_str!("../../locales/staff/uk.ftl")),
    ("be", include_str!("../../locales/staff/be.ftl")),
];

/// Messages whose wording depends on a number, with the variable that carries it: the
/// browser gets them written out for each number it may need.
const COUNTED: [(&str, &str); 3] =
    [("fix-errors", "count"), ("max-choices", "max"), ("error-too-many", "max")];

/// Variables the browser fills in itself: rendered as `{name}` placeholders.
const PLACEHOLDERS: [&str; 12] = [
    "number", "total", "answered", "value", "label", "detail", "option", "min", "max", "answers", "seconds",
    "place",
];

pub struct Translations {
    languages: Vec<Language>,
    staff: Vec<Language>,
    /// Each staff language's pack, worked out when first asked for.
    staff_packs: [OnceLock<StaffMessages>; 4],
}

struct Language {
    code: LanguageTag,
    ids: Vec<String>,
    /// Messages that choose their wording by `$count` (staff messages only).
    plural_ids: Vec<String>,
    /// Every variable the resource's messages use.
    variables: Vec<String>,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Translations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.languages.iter().map(|l| l.code.as_str())).finish()
    }
}

impl Translations {
    /// Parses every resource; any syntax error is a build mistake and stops start-up.
    pub fn load() -> anyhow::Result<Self> {
        let languages = SOURCES
            .iter()
            .map(|(code, source)| parse(&format!("locales/{code}.ftl"), code, source))
            .collect::<anyhow::Result<_>>()?;
        let staff = STAFF_SOURCES
            .iter()
            .map(|(code, source)| {
                let mut language = parse(&format!("locales/staff/{code}.ftl"), code, source)?;
                // Numbers are written as the `{count}` placeholder: the browser puts in
                // the number, after picking the wording the CLDR rules chose for it.
                language.bundle.set_formatter(Some(count_placeholder));
                Ok(language)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { languages, staff, staff_packs: Default::default() })
    }

    /// The language used for `lang` (`ru-RU` → `ru`; English when there is none).
    fn language(&self, lang: &str) -> &Language {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        self.languages
            .iter()
            .find(|l| l.code.as_str().eq_ignore_ascii_case(primary))
            .unwrap_or(&self.languages[0])
    }

    /// Message `id` in `lang`, with `args`; numbers select plural forms.
    pub fn text(&self, lang: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        format(&self.language(lang).bundle, id, Some(&fluent_args))
    }

    /// The name of `lang` in itself ("Русский"), if it is an interface language.
    pub fn autonym(&self, lang: &str) -> Option<String> {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let language = self.languages.iter().find(|l| l.code.as_str() == primary)?;
        Some(format(&language.bundle, "language-name", None))
    }

    /// A message as the shared code describes it (see [`MessageRef`]).
    pub fn render(&self, lang: &str, message: &MessageRef) -> String {
        let mut args: Vec<(&str, FluentValue<'_>)> =
            message.args.iter().map(|(name, value)| (*name, FluentValue::from(value.as_str()))).collect();
        if let Some(n) = message.count {
            for variable in COUNTED.iter().filter(|(id, _)| *id == message.id).map(|(_, v)| *v) {
                args.push((variable, FluentValue::from(n)));
            }
        }
        self.text(lang, message.id, &args)
    }

    /// The staff screens' strings in `lang` (English when it is not an interface
    /// language): plain messages with `{name}` placeholders, and each plural message
    /// worked out for every number (see [`Plural`]).
    pub fn staff_messages(&self, lang: &str) -> &StaffMessages {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let index =
            self.staff.iter().position(|l| l.code.as_str().eq_ignore_ascii_case(primary)).unwrap_or(0);
        self.staff_packs[index].get_or_init(|| self.staff_pack(&self.staff[index]))
    }

    fn staff_pack(&self, language: &Language) -> StaffMessages {
        let placeholders = || {
            let mut args = FluentArgs::new();
            for name in &language.variables {
                args.set(name.as_str(), format!("{{{name}}}"));
            }
            args
        };
        let mut text = BTreeMap::new();
        let mut plurals = BTreeMap::new();
        for id in &language.ids {
            if !language.plural_ids.contains(id) {
                text.insert(id.clone(), format(&language.bundle, id, Some(&placeholders())));
                continue;
            }
            let mut forms: Vec<String> = Vec::new();
            let mut pick = String::new();
            for n in 0..PLURAL_TABLE {
                let mut args = placeholders();
                args.set("count", n);
                let form = format(&language.bundle, id, Some(&args));
                let index = forms.iter().position(|f| *f == form).unwrap_or_else(|| {
                    forms.push(form);
                    forms.len() - 1
                });
                // Ten wordings at most (CLDR has six categories).
                pick.push(char::from(b'0' + u8::try_from(index.min(9)).unwrap_or(9)));
            }
            plurals.insert(id.clone(), Plural { forms, pick });
        }
        let autonyms = self
            .languages
            .iter()
            .filter_map(|l| Some((l.code.to_string(), self.autonym(l.code.as_str())?)))
            .collect();
        StaffMessages { lang: language.code.to_string(), text, plurals, autonyms }
    }

    /// Every message in `lang`, for the browser: counted messages written out for 0 to
    /// `up_to`, the others with `{name}` placeholders; with country names when the
    /// form asks for a country.
    pub fn messages(&self, lang: &str, up_to: usize, with_countries: bool) -> Messages {
        let language = self.language(lang);
        let mut text = BTreeMap::new();
        let mut counted = BTreeMap::new();
        for id in &language.ids {
            match COUNTED.iter().find(|(counted_id, _)| counted_id == id) {
                Some((_, variable)) => {
                    let forms = (0..=up_to)
                        .map(|n| {
                            let mut args = placeholders();
                            args.set(*variable, n);
                            format(&language.bundle, id, Some(&args))
                        })
                        .collect();
                    counted.insert(id.clone(), forms);
                }
                None => {
                    text.insert(id.clone(), format(&language.bundle, id, Some(&placeholders())));
                }
            }
        }
        let autonyms = self
            .languages
            .iter()
            .filter_map(|l| Some((l.code.to_string(), self.autonym(l.code.as_str())?)))
            .collect();
        let countries = if with_countries {
            crate::web::countries::by_code(language.code.as_str())
        } else {
            BTreeMap::new()
        };
        Messages { lang: language.code.clone(), text, counted, autonyms, countries }
    }
}

/// One resource, parsed into a bundle for `code`.
fn parse(name: &str, code: &str, source: &str) -> anyhow::Result<Language> {
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| anyhow::anyhow!("{name} does not parse: {errors:?}"))?;
    let mut ids = Vec::new();
    let mut plural_ids = Vec::new();
    for entry in resource.entries() {
        if let Entry::Message(message) = entry {
            ids.push(message.id.name.to_owned());
            if message.value.as_ref().is_some_and(chooses) {
                plural_ids.push(message.id.name.to_owned());
            }
        }
    }
    let variables = variables(source);
    let id: LanguageIdentifier = code.parse()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Direction marks around arguments help right-to-left scripts; these
    // languages have none, and the marks get in the way of copied text.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).map_err(|errors| anyhow::anyhow!("{name} repeats messages: {errors:?}"))?;
    Ok(Language { code: LanguageTag::parse(code)?, ids, plural_ids, variables, bundle })
}

/// Whether a message's wording is chosen by a selector (a number's plural category).
fn chooses(pattern: &Pattern<&str>) -> bool {
    pattern
        .elements
        .iter()
        .any(|element| matches!(element, PatternElement::Placeable { expression: Expression::Select { .. } }))
}

/// The names of the variables (`$name`) a resource uses.
fn variables(source: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (at, _) in source.match_indices('$') {
        let name: String = source[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Writes every number as the `{count}` placeholder (the staff bundles' formatter).
fn count_placeholder<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    matches!(value, FluentValue::Number(_)).then(|| "{count}".to_owned())
}

fn placeholders() -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for name in PLACEHOLDERS {
        args.set(name, format!("{{{name}}}"));
    }
    args
}

fn format(bundle: &FluentBundle<FluentResource>, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translations() -> Translations {
        Translations::load().unwrap()
    }

    #[test]
    fn there_are_messages_for_every_interface_language_and_no_other() {
        let written: Vec<&str> = SOURCES.iter().map(|(lang, _)| *lang).collect();
        assert_eq!(written, nansen_shared::messages::INTERFACE_LANGUAGES);
    }

    #[test]
    fn every_language_has_every_message_and_they_format_cleanly() {
        let t = translations();
        let english = &t.languages[0].ids;
        assert!(english.len() > 20, "{english:?}");
        for language in &t.languages {
            let mut ids = language.ids.clone();
            ids.sort();
            let mut expected = english.clone();
            expected.sort();
            assert_eq!(ids, expected, "{} has other messages than en", language.code);
            for id in &language.ids {
                let pattern = language.bundle.get_message(id).and_then(|m| m.value()).unwrap();
                let mut errors = Vec::new();
                let mut args = placeholders();
                args.set("count", 3);
                args.set("max", 3);
                let text = language.bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{} {id}: {errors:?}", language.code);
                assert!(!text.trim().is_empty());
            }
        }
    }

    fn count(lang: &str, id: &str, n: i64) -> String {
        translations().text(lang, id, &[("count", n.into()), ("max", n.into())])
    }

    #[test]
    fn plural_forms_follow_each_language() {
        assert!(count("en", "fix-errors", 1).starts_with("One answer needs"));
        assert!(count("en", "fix-errors", 2).starts_with("2 answers need"));
        for (n, expected) in [
            (1, "1 ответ требует"),
            (2, "2 ответа требуют"),
            (5, "5 ответов требуют"),
            (11, "11 ответов"),
            (21, "21 ответ требует"),
            (22, "22 ответа"),
            (25, "25 ответов"),
        ] {
            assert!(
                count("ru", "fix-errors", n).starts_with(expected),
                "ru {n}: {}",
                count("ru", "fix-errors", n)
            );
        }
        for (n, expected) in
            [(1, "1 відповідь потребує"), (3, "3 відповіді"), (7, "7 відповідей"), (21, "21 відповідь")]
        {
            assert!(
                count("uk", "fix-errors", n).starts_with(expected),
                "uk {n}: {}",
                count("uk", "fix-errors", n)
            );
        }
        for (n, expected) in [(1, "за 1 варыянт."), (3, "за 3 варыянты."), (5, "за 5 варыянтаў.")]
        {
            assert!(
                count("be", "max-choices", n).ends_with(expected),
                "be {n}: {}",
                count("be", "max-choices", n)
            );
        }
        assert!(count("ru", "max-choices", 1).ends_with("1 варианта."));
        assert!(count("ru", "max-choices", 3).ends_with("3 вариантов."));
    }

    #[test]
    fn the_browser_pack_has_placeholders_and_written_out_counts() {
        let messages = translations().messages("ru-RU", 12, false);
        assert_eq!(messages.lang.as_str(), "ru");
        assert_eq!(messages.get("question-number"), "Вопрос {number} из {total}");
        assert_eq!(messages.fill("question-number", &[("number", "4"), ("total", "11")]), "Вопрос 4 из 11");
        let forms = &messages.counted["fix-errors"];
        assert_eq!(forms.len(), 13);
        assert!(forms[2].starts_with("2 ответа"), "{}", forms[2]);
        assert!(forms[11].starts_with("11 ответов"), "{}", forms[11]);
        assert!(!messages.text.contains_key("fix-errors"));
        assert_eq!(translations().messages("de", 1, false).lang.as_str(), "en");
        assert_eq!(messages.autonyms["be"], "Беларуская");
    }

    #[test]
    fn the_staff_strings_are_written_in_every_interface_language() {
        let written: Vec<&str> = STAFF_SOURCES.iter().map(|(lang, _)| *lang).collect();
        assert_eq!(written, nansen_shared::messages::INTERFACE_LANGUAGES);
    }

    /// The `{name}` placeholders of a staff message, in all its wordings.
    fn placeholders_of(pack: &StaffMessages, id: &str) -> std::collections::BTreeSet<String> {
        let texts: Vec<&String> = match pack.plurals.get(id) {
            Some(plural) => plural.forms.iter().collect(),
            None => pack.text.get(id).into_iter().collect(),
        };
        let mut names = std::collections::BTreeSet::new();
        for text in texts {
            for (at, _) in text.match_indices('{') {
                if let Some(end) = text[at..].find('}') {
                    names.insert(text[at..at + end + 1].to_owned());
                }
            }
        }
        names
    }

    #[test]
    fn every_staff_language_has_every_message_with_the_same_placeholders() {
        let t = translations();
        let english = t.staff_messages("en");
        assert!(english.text.len() + english.plurals.len() > 300);
        for language in &t.staff {
            let mut ids = language.ids.clone();
            ids.sort();
            let mut expected = t.staff[0].ids.clone();
            expected.sort();
            assert_eq!(ids, expected, "staff/{} has other messages than staff/en", language.code);
            let pack = t.staff_messages(language.code.as_str());
            assert_eq!(pack.lang, language.code.as_str());
            for id in &language.ids {
                let mut wanted = placeholders_of(english, id);
                let mut found = placeholders_of(pack, id);
                // A language may spell out a count where English writes the number.
                wanted.remove("{count}");
                found.remove("{count}");
                assert_eq!(found, wanted, "staff/{} {id}", language.code);
                // Every message formats without an error, in every wording.
                let message = language.bundle.get_message(id).and_then(|m| m.value()).unwrap();
                for n in [0, 1, 2, 5, 11, 21, 22, 101] {
                    let mut args = FluentArgs::new();
                    for name in &language.variables {
                        args.set(name.as_str(), "x");
                    }
                    args.set("count", n);
                    let mut errors = Vec::new();
                    let text = language.bundle.format_pattern(message, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "staff/{} {id}: {errors:?}", language.code);
                    assert!(!text.trim().is_empty(), "staff/{} {id}", language.code);
                }
            }
        }
    }

    #[test]
    fn staff_plurals_follow_each_language_for_any_number() {
        let t = translations();
        let remove = |lang: &str, n: u64| {
            t.staff_messages(lang).plural("gen-remove-language-question", n, &[("language", "X")])
        };
        assert_eq!(remove("en", 22), "Remove X and its 22 texts?");
        assert_eq!(remove("en", 1), "Remove X and its one text?");
        assert_eq!(remove("en", 0), "Remove X? It has no texts yet.");
        for (n, expected) in [
            (1, "1 текст "),
            (21, "21 текст "),
            (22, "22 текста "),
            (25, "25 текстов "),
            (111, "111 текстов "),
            (1001, "1001 текст "),
            (1022, "1022 текста "),
        ] {
            assert!(remove("ru", n).contains(expected), "ru {n}: {}", remove("ru", n));
        }
        for (n, expected) in [(1, "1 текст "), (3, "3 тексти "), (5, "5 текстів "), (101, "101 текст ")]
        {
            assert!(remove("uk", n).contains(expected), "uk {n}: {}", remove("uk", n));
        }
        for (n, expected) in [(1, "1 тэкст "), (4, "4 тэксты "), (12, "12 тэкстаў ")] {
            assert!(remove("be", n).contains(expected), "be {n}: {}", remove("be", n));
        }
        // Placeholders stay for the browser to fill; the language falls back to English.
        let pack = t.staff_messages("ru-RU");
        assert_eq!(pack.lang, "ru");
        assert_eq!(pack.text["app-title-edit"], "Правка: {slug}");
        assert_eq!(t.staff_messages("de").lang, "en");
        assert_eq!(pack.autonyms["uk"], "Українська");
    }
}
