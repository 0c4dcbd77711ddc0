//! Country names in the reader's language, from the browser's own `Intl.DisplayNames`:
//! no name table in the download.

use js_sys::{Array, Intl, Object, Reflect};
use nansen_shared::countries::CODES;
use wasm_bindgen::JsValue;

/// `(code, name)` of the given codes (all assigned ones when `None`), sorted by name
/// in `lang`'s alphabetical order.
pub fn named(codes: Option<&[&str]>, lang: &str) -> Vec<(String, String)> {
    let names = display_names(lang);
    let mut named: Vec<(String, String)> = codes
        .unwrap_or(&CODES)
        .iter()
        .map(|code| {
            let name = names
                .as_ref()
                .and_then(|n| n.of(code))
                .map(String::from)
                .unwrap_or_else(|| (*code).to_owned());
            ((*code).to_owned(), name)
        })
        .collect();
    let compare = Intl::Collator::new(&Array::of1(&JsValue::from_str(lang)), &Object::new()).compare();
    named.sort_by(|a, b| {
        let order = compare.call2(&JsValue::NULL, &JsValue::from_str(&a.1), &JsValue::from_str(&b.1));
        order.ok().and_then(|o| o.as_f64()).map_or_else(|| a.1.cmp(&b.1), |o| o.total_cmp(&0.0))
    });
    named
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
