//! The staff screens' own strings, in the staff member's language (English, Russian,
//! Ukrainian or Belarusian). The server renders them from `locales/staff/*.ftl` with the
//! language's CLDR plural rules (`nansen_shared::messages::StaffMessages`); this bundle
//! only looks them up and fills in `{name}` placeholders.
//!
//! The pack in use is held here for the whole page, so that any view function can look
//! a message up by its id; the components subscribe to [`Lang`] (through [`use_lang`] or the shell's
//! context), so that choosing another language redraws them without losing what is
//! being edited. The choice is remembered in the staff member's browser
//! (`localStorage`, the staff side only: respondents' pages never read it).

use std::cell::RefCell;
use std::rc::Rc;

use nansen_shared::messages::{INTERFACE_LANGUAGES, StaffMessages};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

thread_local! {
    static PACK: RefCell<Rc<StaffMessages>> = RefCell::new(Rc::new(StaffMessages::default()));
}

/// Where the chosen language is remembered.
const STORAGE_KEY: &str = "nansen-staff-language";

/// Survey languages the staff strings have a name for (`lang-{code}`); others are shown
/// by their tag.
pub const NAMED_LANGUAGES: [&str; 26] = [
    "en", "ru", "uk", "be", "kk", "ka", "hy", "az", "uz", "ky", "tg", "tk", "ro", "lt", "lv", "et", "pl",
    "de", "fr", "es", "he", "tr", "sr", "fi", "pt", "it",
];

/// The month names in dates ("2 December 2026"), January first.
pub const MONTH_IDS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9",
    "month-10", "month-11", "month-12",
];

/// Makes `pack` the strings in use.
pub fn set_pack(pack: StaffMessages) {
    PACK.with(|p| *p.borrow_mut() = Rc::new(pack));
}

fn pack() -> Rc<StaffMessages> {
    PACK.with(|p| p.borrow().clone())
}

/// The text of message `id`.
pub fn t(id: &str) -> String {
    pack().fill(id, &[])
}

/// The text of message `id`, its `{name}` placeholders filled in.
pub fn tf(id: &str, args: &[(&str, &str)]) -> String {
    pack().fill(id, args)
}

/// The text of message `id` for the number `n` (its `{count}`), worded by the language's
/// plural rules, the other placeholders filled in.
pub fn tn(id: &str, n: usize, args: &[(&str, &str)]) -> String {
    pack().plural(id, u64::try_from(n).unwrap_or(u64::MAX), args)
}

/// Message `id` with its placeholders filled, if the strings in use have it.
pub fn known(id: &str, args: &[(&str, &str)]) -> Option<String> {
    let pack = pack();
    pack.has(id).then(|| pack.fill(id, args))
}

/// A message not yet in words: for functions whose choice of words is tested without a
/// browser (the tests compare messages, not English sentences).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub count: Option<usize>,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Self { id, count: None, args: Vec::new() }
    }

    pub fn n(mut self, count: usize) -> Self {
        self.count = Some(count);
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The value of argument `name`, if given.
    #[cfg(test)]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        match self.count {
            Some(n) => tn(self.id, n, &args),
            None => tf(self.id, &args),
        }
    }
}

/// A survey language's name in the staff member's language ("English", "английский"),
/// or its tag when the strings have none ("pt-br" → "Portuguese (pt-br)" only if named).
pub fn language_name(tag: &str) -> String {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
    let id = format!("lang-{primary}");
    let pack = pack();
    if !NAMED_LANGUAGES.contains(&primary.as_str()) || !pack.has(&id) {
        return tag.to_owned();
    }
    let name = pack.fill(&id, &[]);
    if primary == tag { name } else { format!("{name} ({tag})") }
}

/// A survey language as a list shows it: its name and its code ("English `en`"), or
/// its code alone when it has no name here.
pub fn language_label(tag: &str) -> Html {
    let name = language_name(tag);
    if name == tag {
        return html! { <code>{ tag }</code> };
    }
    html! { <>{ name }{ " " }<code>{ tag }</code></> }
}

/// The language in use now (its code).
pub fn current() -> String {
    let lang = pack().lang.clone();
    if lang.is_empty() { "en".to_owned() } else { lang }
}

/// The interface languages, each with its name in itself, for the language menu.
pub fn menu() -> Vec<(&'static str, String)> {
    let pack = pack();
    INTERFACE_LANGUAGES
        .into_iter()
        .map(|code| (code, pack.autonyms.get(code).cloned().unwrap_or_else(|| code.to_owned())))
        .collect()
}

/// The language to start in: the one chosen before in this browser, else the first of
/// the browser's languages that the staff screens are written in, else English.
pub fn preferred() -> String {
    if let Some(stored) = stored().filter(|s| INTERFACE_LANGUAGES.contains(&s.as_str())) {
        return stored;
    }
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    pick(&browser).to_owned()
}

/// The first of `wanted` (browser language tags, best first) that is an interface
/// language, by its primary subtag; English if none is.
fn pick(wanted: &[String]) -> &'static str {
    wanted
        .iter()
        .find_map(|w| {
            let primary = w.split(['-', '_']).next().unwrap_or(w).to_ascii_lowercase();
            INTERFACE_LANGUAGES.into_iter().find(|l| *l == primary)
        })
        .unwrap_or("en")
}

fn storage() -> Option<JsValue> {
    let window = web_sys::window()?;
    // Reading `localStorage` throws where storage is blocked: then nothing is remembered.
    js_sys::Reflect::get(&window, &JsValue::from_str("localStorage")).ok().filter(|s| s.is_object())
}

fn call(method: &str, args: &[&str]) -> Option<JsValue> {
    let storage = storage()?;
    let function: js_sys::Function =
        js_sys::Reflect::get(&storage, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    function.apply(&storage, &args).ok()
}

fn stored() -> Option<String> {
    call("getItem", &[STORAGE_KEY])?.as_string()
}

/// Remembers `lang` as this browser's choice for the staff screens.
pub fn remember(lang: &str) {
    let _ = call("setItem", &[STORAGE_KEY, lang]);
}

/// Says which language the page is in, for screen readers and spelling.
pub fn mark_document(lang: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang);
    }
}

/// The language the staff screens are in, shared by every screen: a component that
/// reads it is drawn again when another language is chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Lang {
    pub code: AttrValue,
    /// Switches to another interface language (and remembers the choice).
    pub choose: Callback<String>,
}

/// The staff language; components call it so that a new language redraws them.
#[hook]
pub fn use_lang() -> AttrValue {
    use_context::<Lang>().map_or_else(|| AttrValue::from("en"), |lang| lang.code)
}

#[derive(Debug, Properties, PartialEq)]
pub struct LanguageMenuProps {
    /// Element ids differ between the login screen and the staff bar.
    pub id: AttrValue,
}

/// The choice of interface language: each written in itself, so that anyone finds theirs.
#[function_component(LanguageMenu)]
pub fn language_menu(props: &LanguageMenuProps) -> Html {
    let Some(lang) = use_context::<Lang>() else { return html! {} };
    let onchange = {
        let choose = lang.choose.clone();
        Callback::from(move |e: Event| {
            choose.emit(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
        })
    };
    html! {
        <div class="language-menu">
            <label for={props.id.clone()}>{ t("app-language") }</label>
            <select id={props.id.clone()} name="staff-language" {onchange}>
                { for menu().into_iter().map(|(code, name)| html! {
                    <option value={code} lang={code} selected={*lang.code == *code}>{ name }</option>
                }) }
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    const SOURCES: [(&str, &str); 4] = [
        ("en", include_str!("../../../server/locales/staff/en.ftl")),
        ("ru", include_str!("../../../server/locales/staff/ru.ftl")),
        ("uk", include_str!("../../../server/locales/staff/uk.ftl")),
        ("be", include_str!("../../../server/locales/staff/be.ftl")),
    ];

    /// The message ids an `.ftl` file defines.
    fn defined(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    /// The ids the staff client names: the first argument of every call of the four
    /// look-up functions in its source, and the languages it names by code.
    fn used() -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/staff");
        let mut files = vec![dir];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for call in ["t(", "tf(", "tn(", "Msg::new("] {
                for (at, _) in source.match_indices(call) {
                    let before = source[..at].chars().next_back().unwrap_or(' ');
                    if before.is_ascii_alphanumeric() || before == '_' || before == '.' {
                        continue;
                    }
                    // The id is the first argument, a literal (on the same line or the next).
                    let Some(rest) = source[at + call.len()..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let id: String = rest.chars().take_while(|c| *c != '"').collect();
                    if id.starts_with(|c: char| c.is_ascii_lowercase())
                        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        ids.insert(id);
                    }
                }
            }
        }
        ids.extend(NAMED_LANGUAGES.iter().map(|code| format!("lang-{code}")));
        ids.extend(MONTH_IDS.iter().map(|id| (*id).to_owned()));
        ids.insert("date-utc".to_owned());
        ids
    }

    #[test]
    fn every_id_the_staff_client_uses_is_in_all_four_languages() {
        let used = used();
        assert!(used.len() > 200, "{} ids found: is the scan broken?", used.len());
        for (lang, source) in SOURCES {
            let defined = defined(source);
            let missing: Vec<&String> = used.iter().filter(|id| !defined.contains(*id)).collect();
            assert!(missing.is_empty(), "staff/{lang}.ftl lacks {missing:?}");
        }
        let unused: Vec<String> = defined(SOURCES[0].1).into_iter().filter(|id| !used.contains(id)).collect();
        assert!(unused.is_empty(), "staff/en.ftl has messages nothing uses: {unused:?}");
    }

    #[test]
    fn every_language_defines_the_same_messages() {
        let english = defined(SOURCES[0].1);
        for (lang, source) in SOURCES {
            assert_eq!(defined(source), english, "staff/{lang}.ftl");
        }
    }

    #[test]
    fn the_browser_languages_choose_the_interface_language() {
        let tags = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(pick(&tags(&["de-DE", "ru-RU", "en"])), "ru");
        assert_eq!(pick(&tags(&["UK"])), "uk");
        assert_eq!(pick(&tags(&["be-BY"])), "be");
        assert_eq!(pick(&tags(&["fr", "de"])), "en");
        assert_eq!(pick(&[]), "en");
    }

    #[test]
    fn messages_are_put_in_words_from_the_pack() {
        let mut pack = StaffMessages { lang: "ru".into(), ..StaffMessages::default() };
        pack.text.insert("lang-en".into(), "английский".into());
        pack.text.insert("greet".into(), "Привет, {name}".into());
        set_pack(pack);
        assert_eq!(language_name("en"), "английский");
        assert_eq!(language_name("en-GB"), "английский (en-GB)");
        assert_eq!(language_name("pt-br"), "pt-br");
        let greet = Msg { id: "greet", count: None, args: Vec::new() };
        assert_eq!(greet.arg("name", "Аня").text(), "Привет, Аня");
        assert_eq!(current(), "ru");
        set_pack(StaffMessages::default());
    }
}
