//! The editor's inputs. Every field is named by the JSON pointer of what it edits
//! (`#/questions/0/prompt/en`), the same pointer the definition check reports, so a
//! problem in the list can lead straight to its field: the element id is the pointer
//! with `/` turned into `-` and an `f` in front (`f-questions-0-prompt-en`).

use std::rc::Rc;

use nansen_shared::{LanguageTag, Localized, Survey};
use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::model::{Action, Change, EditorState, set_text};
use crate::staff::i18n::language_name;

/// What a field's text makes of the definition, or why the text is not a value.
type ToChange = Rc<dyn Fn(&str) -> Result<Change, String>>;

/// What committing a field's text makes of the definition (`None`: nothing to change),
/// or why it is refused.
type ToCommit = Rc<dyn Fn(&str) -> Result<Option<Change>, String>>;

/// What to do with a field's text.
type OnText = Rc<dyn Fn(String)>;

/// When a field's text reaches the definition.
enum Mode {
    /// At every keystroke.
    Live(ToChange),
    /// When committed, by leaving the field or pressing Enter; until then the text only
    /// stays in the box (a question's id, which other questions refer to).
    Commit(ToCommit),
}

/// What a checkbox's state makes of the definition.
type SetFlag = Rc<dyn Fn(&mut Survey, bool)>;

/// The element id of the field at `pointer`.
pub fn field_id(pointer: &str) -> String {
    format!("f{}", pointer.trim_start_matches('#').replace('/', "-"))
}

/// One input's description: what it edits, and how it is labelled.
#[derive(Debug, Clone)]
pub struct Field {
    at: String,
    label: String,
    /// In a table, the column header labels the input for sighted readers; the label
    /// is then shown only on narrow screens, where the table becomes a list.
    in_cell: bool,
    numeric: bool,
    /// A number with decimals: a keyboard with a decimal point, and the text kept as
    /// typed (0.50 is not rewritten 0.5 under the cursor).
    decimal: bool,
    multiline: bool,
    hint: Option<String>,
}

impl Field {
    pub fn new(at: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            at: at.into(),
            label: label.into(),
            in_cell: false,
            numeric: false,
            decimal: false,
            multiline: false,
            hint: None,
        }
    }

    pub fn in_cell(mut self) -> Self {
        self.in_cell = true;
        self
    }

    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    pub fn decimal(mut self) -> Self {
        self.numeric = true;
        self.decimal = true;
        self
    }

    pub fn multiline(mut self) -> Self {
        self.multiline = true;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The state being edited and the way to change it, as the view functions need them.
#[derive(Clone)]
pub struct Form<'a> {
    pub state: &'a EditorState,
    pub dispatch: UseReducerDispatcher<EditorState>,
}

impl Form<'_> {
    pub fn survey(&self) -> &Survey {
        &self.state.survey
    }

    pub fn languages(&self) -> &[LanguageTag] {
        &self.state.survey.languages
    }

    /// A button's click handler that adds, removes or moves something, then puts the
    /// keyboard focus on the element with id `focus`.
    pub fn restructure(
        &self,
        focus: Option<String>,
        change: impl Fn(&mut Survey) + 'static,
    ) -> Callback<MouseEvent> {
        let dispatch = self.dispatch.clone();
        let change: Change = Rc::new(change);
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Restructure { change: change.clone(), focus: focus.clone() })
        })
    }

    /// An event handler that makes `change` to the field at `at` (for radio buttons
    /// and selects, whose value is known when they are drawn).
    pub fn on<E: 'static>(&self, at: String, change: impl Fn(&mut Survey) + 'static) -> Callback<E> {
        let dispatch = self.dispatch.clone();
        let change: Change = Rc::new(change);
        Callback::from(move |_: E| {
            dispatch.dispatch(Action::Field { at: at.clone(), change: change.clone() })
        })
    }

    /// An input whose text becomes a `T` through `parse` and is then stored by `apply`.
    /// Text that does not parse stays in the box, with the reason beside it.
    pub fn input<T: Clone + 'static>(
        &self,
        field: Field,
        value: String,
        parse: impl Fn(&str) -> Result<T, String> + 'static,
        apply: impl Fn(&mut Survey, T) + 'static,
    ) -> Html {
        let apply = Rc::new(apply);
        // Typed once here, so that the input itself is built by one function for every
        // kind of value (not one copy per call site: the download is smaller).
        let to_change: ToChange = Rc::new(move |raw: &str| {
            let value = parse(raw)?;
            let apply = apply.clone();
            Ok(Rc::new(move |survey: &mut Survey| apply(survey, value.clone())) as Change)
        });
        self.input_of(field, value, Mode::Live(to_change))
    }

    /// An input whose text changes the definition only when committed: leaving the field
    /// or pressing Enter runs `commit` on it; a refusal stays beside the field, and the
    /// definition keeps its value.
    pub fn committed(
        &self,
        field: Field,
        value: String,
        commit: impl Fn(&str) -> Result<Option<Change>, String> + 'static,
    ) -> Html {
        self.input_of(field, value, Mode::Commit(Rc::new(commit)))
    }

    fn input_of(&self, field: Field, value: String, mode: Mode) -> Html {
        let id = field_id(&field.at);
        let pending = self.state.pending.get(&field.at);
        let typed = self.state.typed.get(&field.at);
        let shown = pending.map(|p| p.raw.clone()).or_else(|| typed.cloned()).unwrap_or(value);
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described_by = [field.hint.as_ref().map(|_| hint_id.clone()), pending.map(|_| error_id.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let (dispatch, at, keep) = (self.dispatch.clone(), field.at.clone(), field.decimal);
        let (on_input, on_commit): (OnText, OnText) = match mode {
            Mode::Live(to_change) => {
                let on_text: OnText = Rc::new(move |raw: String| match to_change(&raw) {
                    Ok(change) => {
                        let at = at.clone();
                        dispatch.dispatch(if keep {
                            Action::Typed { at, raw, change }
                        } else {
                            Action::Field { at, change }
                        });
                    }
                    Err(error) => dispatch.dispatch(Action::Invalid { at: at.clone(), raw, error }),
                });
                (on_text.clone(), on_text)
            }
            Mode::Commit(commit) => {
                let (draft_to, draft_at) = (dispatch.clone(), at.clone());
                let on_input: OnText = Rc::new(move |raw: String| {
                    draft_to.dispatch(Action::Draft { at: draft_at.clone(), raw })
                });
                let on_commit: OnText = Rc::new(move |raw: String| {
                    let at = at.clone();
                    dispatch.dispatch(match commit(&raw) {
                        Ok(change) => Action::Field { at, change: change.unwrap_or_else(|| Rc::new(|_| {})) },
                        Err(error) => Action::Invalid { at, raw, error },
                    })
                });
                (on_input, on_commit)
            }
        };
        let onkeydown = {
            let on_commit = on_commit.clone();
            let commits = !field.multiline;
            Callback::from(move |e: KeyboardEvent| {
                // Enter commits the text, and submits nothing.
                if commits && e.key() == "Enter" {
                    e.prevent_default();
                    if let Some(value) = text_of(e.as_ref()) {
                        on_commit(value);
                    }
                }
            })
        };
        let name = field.at.trim_start_matches('#').to_owned();
        let invalid = pending.map(|_| "true");
        let described_by = (!described_by.is_empty()).then_some(described_by);
        let oninput = text_handler::<InputEvent>(on_input);
        let onchange = text_handler::<Event>(on_commit);
        let control = if field.multiline {
            html! {
                <textarea id={id.clone()} {name} rows="3" value={shown} {oninput} {onchange}
                    aria-invalid={invalid} aria-describedby={described_by} />
            }
        } else {
            html! {
                <input id={id.clone()} {name} type="text" value={shown} {oninput} {onchange} {onkeydown}
                    inputmode={field.numeric.then_some(if field.decimal { "decimal" } else { "numeric" })}
                    class={classes!(field.numeric.then_some("short"))}
                    autocomplete="off" spellcheck={(!field.numeric).then_some("true")}
                    aria-invalid={invalid} aria-describedby={described_by} />
            }
        };
        html! {
            <div class={classes!("field", field.in_cell.then_some("in-cell"))}>
                <label for={id.clone()} class={classes!(field.in_cell.then_some("cell-label"))}>{ field.label }</label>
                { control }
                if let Some(hint) = field.hint {
                    <p class="hint" id={hint_id}>{ hint }</p>
                }
                if let Some(pending) = pending {
                    <p class="error" id={error_id}>{ &pending.error }</p>
                }
            </div>
        }
    }

    /// A plain text field.
    pub fn text(&self, field: Field, value: &str, apply: impl Fn(&mut Survey, String) + 'static) -> Html {
        self.input(field, value.to_owned(), |s| Ok(s.to_owned()), apply)
    }

    /// A checkbox, with its label after it.
    pub fn checkbox(
        &self,
        at: String,
        label: &str,
        checked: bool,
        apply: impl Fn(&mut Survey, bool) + 'static,
    ) -> Html {
        self.checkbox_labelled(at, html! { { label } }, checked, None, apply)
    }

    /// A checkbox described by the element with id `described_by` (a warning its state
    /// brings up, say), if any.
    pub fn checkbox_described(
        &self,
        at: String,
        label: &str,
        checked: bool,
        described_by: Option<&str>,
        apply: impl Fn(&mut Survey, bool) + 'static,
    ) -> Html {
        self.checkbox_labelled(at, html! { { label } }, checked, described_by.map(str::to_owned), apply)
    }

    /// A checkbox in a table, whose column header names it on wide screens.
    pub fn checkbox_in_cell(
        &self,
        at: String,
        label: &str,
        checked: bool,
        apply: impl Fn(&mut Survey, bool) + 'static,
    ) -> Html {
        self.checkbox_labelled(at, html! { <span class="cell-label">{ label }</span> }, checked, None, apply)
    }

    fn checkbox_labelled(
        &self,
        at: String,
        label: Html,
        checked: bool,
        described_by: Option<String>,
        apply: impl Fn(&mut Survey, bool) + 'static,
    ) -> Html {
        self.checkbox_of(at, label, checked, described_by, Rc::new(apply))
    }

    fn checkbox_of(
        &self,
        at: String,
        label: Html,
        checked: bool,
        described_by: Option<String>,
        apply: SetFlag,
    ) -> Html {
        let id = field_id(&at);
        let name = at.trim_start_matches('#').to_owned();
        let form = self.dispatch.clone();
        let onchange = Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let apply = apply.clone();
            form.dispatch(Action::Field { at: at.clone(), change: Rc::new(move |s| apply(s, checked)) });
        });
        html! {
            <div class="check">
                <input type="checkbox" id={id.clone()} {name} {checked} {onchange}
                    aria-describedby={described_by} />
                <label for={id}>{ label }</label>
            </div>
        }
    }

    /// One text in every survey language, side by side.
    pub fn localized<F>(&self, at: &str, label: &str, text: &Localized, multiline: bool, locate: F) -> Html
    where
        F: Fn(&mut Survey) -> Option<&mut Localized> + 'static,
    {
        let locate = Rc::new(locate);
        html! {
            <fieldset class="langs" id={field_id(at)}>
                <legend>{ label }</legend>
                { for self.languages().iter().map(|lang| {
                    let (locate, lang_for_change) = (locate.clone(), lang.clone());
                    let mut field = Field::new(format!("{at}/{lang}"), language_name(lang.as_str()));
                    if multiline {
                        field = field.multiline();
                    }
                    html! {
                        <div class="lang" lang={lang.to_string()}>
                            { self.text(field, text.0.get(lang).map_or("", String::as_str), move |survey, value| {
                                if let Some(text) = locate(survey) {
                                    set_text(text, &lang_for_change, value);
                                }
                            }) }
                        </div>
                    }
                }) }
            </fieldset>
        }
    }
}

/// A handler of `input` or `change` events that passes the field's text on. Both are
/// listened to: typing fires `input`, while some ways of changing a value (autofill,
/// automation clearing a box) fire only `change`.
fn text_handler<E: AsRef<web_sys::Event> + 'static>(on_text: OnText) -> Callback<E> {
    Callback::from(move |e: E| {
        if let Some(value) = text_of(e.as_ref()) {
            on_text(value);
        }
    })
}

/// The text of the field an event happened in.
fn text_of(event: &web_sys::Event) -> Option<String> {
    event
        .target()
        .and_then(|target| js_sys::Reflect::get(&target, &JsValue::from_str("value")).ok())
        .and_then(|value| value.as_string())
}
