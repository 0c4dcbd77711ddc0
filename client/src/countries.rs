//! The country list in the reader's language: names come with the interface strings
//! (from the server's CLDR data, the same in every browser); the browser's collator
//! puts them in the language's alphabetical order.

use std::collections::BTreeMap;

use js_sys::{Array, Function, Intl, Object, Reflect};
use nansen_shared::countries::CODES;
use wasm_bindgen::{JsCast, JsValue};

/// `(code, name)` of the given codes (all assigned ones when `None`), sorted by name.
pub fn named(codes: Option<&[&str]>, names: &BTreeMap<String, String>, lang: &str) -> Vec<(String, String)> {
    // "Name<TAB>CODE", sorted by the collator; the tab sorts before any letter.
    let entries = Array::new();
    for code in codes.unwrap_or(&CODES) {
        let name = names.get(*code).map_or(*code, String::as_str);
        entries.push(&JsValue::from_str(&format!("{name}\t{code}")));
    }
    let compare = Intl::Collator::new(&Array::of1(&JsValue::from_str(lang)), &Object::new()).compare();
    let sort =
        Reflect::get(&entries, &JsValue::from_str("sort")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(sort) = sort {
        let _ = sort.call1(&entries, &compare);
    }
    entries
        .iter()
        .filter_map(|entry| {
            let entry = entry.as_string()?;
            let (name, code) = entry.split_once('\t')?;
            Some((code.to_owned(), name.to_owned()))
        })
        .collect()
}
