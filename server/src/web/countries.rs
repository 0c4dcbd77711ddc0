//! Country names in the interface languages, from CLDR via the keshvar crate: for the
//! form that works without JavaScript, and for the client, so every browser shows the
//! same names (not every browser knows Belarusian ones).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use nansen_shared::countries::CODES;
use nansen_shared::messages::INTERFACE_LANGUAGES;

/// `(code, name)` of every assigned country, in `lang` (English where a name is
/// missing), sorted by name.
pub fn names(lang: &str) -> &'static [(String, String)] {
    static BY_LANGUAGE: OnceLock<HashMap<&'static str, Vec<(String, String)>>> = OnceLock::new();
    let all = BY_LANGUAGE.get_or_init(|| {
        INTERFACE_LANGUAGES.iter().map(|lang| (*lang, sorted(lang))).collect::<HashMap<_, _>>()
    });
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    all.get(primary).or_else(|| all.get("en")).map_or(&[], Vec::as_slice)
}

/// The same names, by code.
pub fn by_code(lang: &str) -> BTreeMap<String, String> {
    names(lang).iter().cloned().collect()
}

fn sorted(lang: &str) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = CODES
        .iter()
        .map(|code| {
            let country = keshvar::Alpha2::try_from(*code).ok().map(|a| a.to_country());
            let name = country
                .as_ref()
                .and_then(|c| {
                    c.translations().get(lang).or_else(|| c.translations().get("en")).map(|n| (*n).to_owned())
                })
                .unwrap_or_else(|| (*code).to_owned());
            ((*code).to_owned(), name)
        })
        .collect();
    // Alphabetical enough without a collation library: case-folded, with ё as е.
    names.sort_by_cached_key(|(_, name)| name.to_lowercase().replace('ё', "е"));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_is_named_in_every_language() {
        for lang in INTERFACE_LANGUAGES {
            let names = names(lang);
            assert_eq!(names.len(), CODES.len());
            let unnamed: Vec<&str> = names.iter().filter(|(c, n)| c == n).map(|(c, _)| c.as_str()).collect();
            assert!(unnamed.is_empty(), "{lang}: no name for {unnamed:?}");
        }
        let ru = by_code("ru");
        assert_eq!(ru["GE"], "Грузия");
        assert_eq!(by_code("be")["GE"], "Грузія");
        assert_eq!(by_code("uk")["DE"], "Німеччина");
    }
}
