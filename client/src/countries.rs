//! Country names in the reader's language, from the browser's own `Intl.DisplayNames`:
//! no name table in the download.

use js_sys::{Array, Function, Intl, Object, Reflect};
use nansen_shared::countries::CODES;
use wasm_bindgen::{JsCast, JsValue};

/// `(code, name)` of the given codes (all assigned ones when `None`), sorted by name
/// in `lang`'s alphabetical order — by the browser's collator, which knows it.
pub fn named(codes: Option<&[&str]>, lang: &str) -> Vec<(String, String)> {
    let names = display_names(lang);
    // "Name<TAB>CODE", sorted by the collator; the tab sorts before any letter.
    let entries = Array::new();
    for code in codes.unwrap_or(&CODES) {
        let name =
            names.as_ref().and_then(|n| n.of(code)).map(String::from).unwrap_or_else(|| (*code).to_owned());
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

fn display_names(lang: &str) -> Option<Intl::DisplayNames> {
    // Old browsers lack Intl.DisplayNames; they get the codes instead of failing.
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    if !Reflect::has(&intl, &JsValue::from_str("DisplayNames")).ok()? {
        return None;
    }
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("type"), &JsValue::from_str("region")).ok()?;
    Some(Intl::DisplayNames::new(&Array::of1(&JsValue::from_str(lang)), &options))
}
