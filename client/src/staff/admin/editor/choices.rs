//! What a question offers, by kind: options, a scale, a number's range and bins, or a
//! list of countries.

use nansen_shared::Item as Part;
use nansen_shared::{Bin, Choice, CountryCode, LanguageTag, Localized, OptionCode, QuestionKind, Survey};
use yew::prelude::*;

use super::confirm::ConfirmButton;
use super::fields::{Field, Form, field_id};
use super::model::{move_item, new_code, rename_answer, rename_part, set_text};
use crate::staff::i18n::{language_name, t, tf, tn};

pub fn kind_fields(form: &Form, q: usize, kind: &QuestionKind) -> Html {
    match kind {
        QuestionKind::Single { options } => options_table(form, q, options, false, t("ch-options")),
        QuestionKind::Multi { options, max_choices } => html! {
            <>
                { options_table(form, q, options, true, t("ch-options")) }
                { max_choices_field(form, q, *max_choices) }
            </>
        },
        QuestionKind::Scale { min, max, min_label, max_label } => {
            scale_fields(form, q, (*min, *max), min_label, max_label)
        }
        QuestionKind::Number { min, max, bins, unit } => number_fields(form, q, (*min, *max), bins, unit),
        QuestionKind::Country { allowed } => country_field(form, q, allowed.as_deref()),
        QuestionKind::Grid { rows, options } => html! {
            <>
                { parts_table(form, q, rows, ItemKind::Row) }
                { options_table(form, q, options, false, t("ch-grid-options")) }
            </>
        },
        QuestionKind::Ranking { items, max_ranked } => html! {
            <>
                { parts_table(form, q, items, ItemKind::RankItem) }
                { max_ranked_field(form, q, *max_ranked) }
            </>
        },
    }
}

fn options_mut(s: &mut Survey, q: usize) -> Option<&mut Vec<Choice>> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Single { options }
        | QuestionKind::Multi { options, .. }
        | QuestionKind::Grid { options, .. } => Some(options),
        _ => None,
    }
}

/// A grid's rows or a ranking's items.
fn parts_mut(s: &mut Survey, q: usize) -> Option<&mut Vec<Part>> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Grid { rows: parts, .. } | QuestionKind::Ranking { items: parts, .. } => Some(parts),
        _ => None,
    }
}

fn part_at(s: &mut Survey, q: usize, j: usize) -> Option<&mut Part> {
    parts_mut(s, q)?.get_mut(j)
}

fn bins_mut(s: &mut Survey, q: usize) -> Option<&mut Vec<Bin>> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Number { bins, .. } => Some(bins),
        _ => None,
    }
}

fn option_at(s: &mut Survey, q: usize, j: usize) -> Option<&mut Choice> {
    options_mut(s, q)?.get_mut(j)
}

fn bin_at(s: &mut Survey, q: usize, j: usize) -> Option<&mut Bin> {
    bins_mut(s, q)?.get_mut(j)
}

/// The label of the lowest (`low`) or highest point of a scale.
fn scale_label(s: &mut Survey, q: usize, low: bool) -> Option<&mut Localized> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Scale { min_label, max_label, .. } => Some(if low { min_label } else { max_label }),
        _ => None,
    }
}

/// The `min` and `max` of a scale or number question.
fn range_mut(s: &mut Survey, q: usize) -> Option<(&mut i64, &mut i64)> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => Some((min, max)),
        _ => None,
    }
}

fn parse_code(text: &str) -> Result<OptionCode, String> {
    OptionCode::parse(text.trim()).map_err(|e| e.to_string())
}

/// The code cell at `at` of an answer of question `q` (an option or a bin): a new code
/// takes along the conditions and cross-tabulations that named the old one.
fn answer_code(
    form: &Form,
    at: &str,
    q: usize,
    code: &OptionCode,
    slot: impl Fn(&mut Survey) -> Option<&mut OptionCode> + 'static,
) -> Html {
    form.input(
        Field::new(format!("{at}/code"), t("ch-code")).in_cell(),
        code.to_string(),
        parse_code,
        move |s, code| {
            if let Some(old) = slot(s).map(|c| std::mem::replace(c, code.clone())) {
                rename_answer(s, q, old.as_str(), code.as_str());
            }
        },
    )
}

/// Numbers far beyond any real range are refused here, so that range arithmetic (such
/// as counting a scale's points) cannot overflow.
const LARGEST: i64 = 1_000_000_000_000;

fn parse_whole(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(n) if n.abs() <= LARGEST => Ok(n),
        Ok(_) => Err(tf("ch-number-too-large", &[("largest", &LARGEST.to_string())])),
        Err(_) => Err(t("ch-whole-number")),
    }
}

fn options_table(form: &Form, q: usize, options: &[Choice], multi: bool, caption: String) -> Html {
    let at = format!("#/questions/{q}/options");
    let add_id = add_button(q, "option");
    let add = form.restructure(Some(field_id(&format!("{at}/{}/code", options.len()))), move |s| {
        if let Some(options) = options_mut(s, q) {
            let taken: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
            if let Some(code) = new_code("opt", &taken) {
                options.push(Choice { code, label: Localized::default(), exclusive: false });
            }
        }
    });
    html! {
        <div class="kind-fields">
            <div class="table-scroll">
                <table class="options edit-table" id={field_id(&at)}>
                    <caption>{ caption }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t("ch-code") }</th>
                            { for form.languages().iter().map(|lang| html! { <th scope="col">{ label_header(lang) }</th> }) }
                            if multi {
                                <th scope="col">{ t("ch-exclusive") }</th>
                            }
                            <th scope="col"><span class="visually-hidden">{ t("ch-actions") }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for options.iter().enumerate().map(|(j, option)| option_row(form, q, j, option, options.len(), multi)) }
                    </tbody>
                </table>
            </div>
            if multi {
                <p class="hint">{ t("ch-exclusive-hint") }</p>
            }
            <button type="button" id={add_id} class="add-option" data-question-index={q.to_string()} onclick={add}>
                { t("ch-add-option") }
            </button>
        </div>
    }
}

fn option_row(form: &Form, q: usize, j: usize, option: &Choice, count: usize, multi: bool) -> Html {
    let at = format!("#/questions/{q}/options/{j}");
    let code = answer_code(form, &at, q, &option.code, move |s| option_at(s, q, j).map(|o| &mut o.code));
    html! {
        <tr>
            <td>{ code }</td>
            { for form.languages().iter().map(|lang| label_cell(form, &at, lang, &option.label,
                move |s| option_at(s, q, j).map(|o| &mut o.label))) }
            if multi {
                <td>
                    { form.checkbox_in_cell(format!("{at}/exclusive"), &t("ch-exclusive"), option.exclusive,
                        move |s, on| if let Some(o) = option_at(s, q, j) { o.exclusive = on }) }
                </td>
            }
            <td>{ item_buttons(form, (&format!("#/questions/{q}/options"), j, count),
                &Item { kind: ItemKind::Option, code: option.code.as_str(), texts: texts(&option.label) },
                add_button(q, "option"), move |s| options_mut(s, q)) }</td>
        </tr>
    }
}

/// The header of a label column: "Label (English)".
fn label_header(lang: &LanguageTag) -> String {
    tf("ch-label-in", &[("language", &language_name(lang.as_str()))])
}

/// The label of an option or bin in `lang`, in its table cell.
fn label_cell(
    form: &Form,
    at: &str,
    lang: &LanguageTag,
    label: &Localized,
    locate: impl Fn(&mut Survey) -> Option<&mut Localized> + 'static,
) -> Html {
    let field = Field::new(format!("{at}/label/{lang}"), label_header(lang)).in_cell();
    let lang_for_change = lang.clone();
    html! {
        <td lang={lang.to_string()}>
            { form.text(field, label.0.get(lang).map_or("", String::as_str), move |s, text| {
                if let Some(label) = locate(s) {
                    set_text(label, &lang_for_change, text);
                }
            }) }
        </td>
    }
}

/// How many texts a label has (in all languages): what removing its item loses.
fn texts(label: &Localized) -> usize {
    label.0.values().filter(|t| !t.is_empty()).count()
}

#[derive(Clone, Copy, PartialEq)]
enum ItemKind {
    Option,
    Bin,
    /// A grid's row.
    Row,
    /// A ranking's item.
    RankItem,
}

/// An option or a bin, as its buttons name it.
struct Item<'a> {
    kind: ItemKind,
    code: &'a str,
    texts: usize,
}

/// The id of the button that adds an option (`what`: "option" or "bin") to question `q`.
fn add_button(q: usize, what: &str) -> String {
    format!("{}-add-{what}", field_id(&format!("#/questions/{q}")))
}

/// Up, down and remove for item `j` of the list at pointer `list` (of `count` items),
/// found in the definition by `locate`. Removing asks first, saying what goes with it;
/// after a removal the keyboard goes to the button with id `after_remove`.
fn item_buttons<T: 'static>(
    form: &Form,
    (list, j, count): (&str, usize, usize),
    item: &Item,
    after_remove: String,
    locate: impl Fn(&mut Survey) -> Option<&mut Vec<T>> + Clone + 'static,
) -> Html {
    let base = field_id(&format!("{list}/{j}"));
    let button_at = |to: usize, up: bool| {
        let up = if to == 0 {
            false
        } else if to + 1 == count {
            true
        } else {
            up
        };
        Some(format!("{}-{}", field_id(&format!("{list}/{to}")), if up { "up" } else { "down" }))
    };
    let locate_down = locate.clone();
    let locate_remove = locate.clone();
    let up = form.restructure(button_at(j.saturating_sub(1), true), move |s| {
        if let Some(items) = locate(s) {
            move_item(items, j, true);
        }
    });
    let down = form.restructure(button_at(j + 1, false), move |s| {
        if let Some(items) = locate_down(s) {
            move_item(items, j, false);
        }
    });
    let remove = form.restructure(Some(after_remove), move |s| {
        if let Some(items) = locate_remove(s).filter(|items| j < items.len()) {
            items.remove(j);
        }
    });
    let number = (j + 1).to_string();
    let args = [("number", number.as_str()), ("code", item.code)];
    let (move_up, move_down, remove_label, asked) = match item.kind {
        ItemKind::Option => (
            tf("ch-option-up", &args),
            tf("ch-option-down", &args),
            tf("ch-option-remove", &args),
            tn("ch-option-remove-question", item.texts, &args),
        ),
        ItemKind::Bin => (
            tf("ch-bin-up", &args),
            tf("ch-bin-down", &args),
            tf("ch-bin-remove", &args),
            tn("ch-bin-remove-question", item.texts, &args),
        ),
        ItemKind::Row => (
            tf("ch-row-up", &args),
            tf("ch-row-down", &args),
            tf("ch-row-remove", &args),
            tn("ch-row-remove-question", item.texts, &args),
        ),
        ItemKind::RankItem => (
            tf("ch-item-up", &args),
            tf("ch-item-down", &args),
            tf("ch-item-remove", &args),
            tn("ch-item-remove-question", item.texts, &args),
        ),
    };
    html! {
        <div class="item-actions">
            <button type="button" id={format!("{base}-up")} disabled={j == 0} onclick={up}
                aria-label={move_up}>{ "↑" }</button>
            <button type="button" id={format!("{base}-down")} disabled={j + 1 >= count} onclick={down}
                aria-label={move_down}>{ "↓" }</button>
            <ConfirmButton id={format!("{base}-remove")} label={t("ch-remove")} aria_label={remove_label}
                question={asked} on_confirm={remove} />
        </div>
    }
}

/// A grid's rows (`kind` Row) or a ranking's items: a code and a label in each
/// language, moved and removed as options are.
fn parts_table(form: &Form, q: usize, parts: &[Part], kind: ItemKind) -> Html {
    let (field, prefix, caption, add_label, what) = match kind {
        ItemKind::Row => ("rows", "row", t("ch-rows"), t("ch-add-row"), "row"),
        _ => ("items", "item", t("ch-items"), t("ch-add-item"), "item"),
    };
    let at = format!("#/questions/{q}/{field}");
    let add_id = add_button(q, what);
    let add = form.restructure(Some(field_id(&format!("{at}/{}/code", parts.len()))), move |s| {
        if let Some(parts) = parts_mut(s, q) {
            let taken: Vec<&str> = parts.iter().map(|p| p.code.as_str()).collect();
            if let Some(code) = new_code(prefix, &taken) {
                parts.push(Part { code, label: Localized::default() });
            }
        }
    });
    html! {
        <div class="kind-fields">
            <div class="table-scroll">
                <table class="options edit-table" id={field_id(&at)}>
                    <caption>{ caption }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t("ch-code") }</th>
                            { for form.languages().iter().map(|lang| html! { <th scope="col">{ label_header(lang) }</th> }) }
                            <th scope="col"><span class="visually-hidden">{ t("ch-actions") }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for parts.iter().enumerate().map(|(j, part)| {
                            let row_at = format!("{at}/{j}");
                            let code = form.input(
                                Field::new(format!("{row_at}/code"), t("ch-code")).in_cell(),
                                part.code.to_string(),
                                parse_code,
                                move |s, code| {
                                    let Some(old) = part_at(s, q, j).map(|p| std::mem::replace(&mut p.code, code.clone())) else {
                                        return;
                                    };
                                    rename_part(s, q, old.as_str(), &code);
                                },
                            );
                            html! {
                                <tr>
                                    <td>{ code }</td>
                                    { for form.languages().iter().map(|lang| label_cell(form, &row_at, lang, &part.label,
                                        move |s| part_at(s, q, j).map(|p| &mut p.label))) }
                                    <td>{ item_buttons(form, (&at, j, parts.len()),
                                        &Item { kind, code: part.code.as_str(), texts: texts(&part.label) },
                                        add_button(q, what), move |s| parts_mut(s, q)) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <button type="button" id={add_id} onclick={add}>{ add_label }</button>
        </div>
    }
}

fn max_ranked_field(form: &Form, q: usize, max: Option<u32>) -> Html {
    let field = Field::new(format!("#/questions/{q}/max_ranked"), t("ch-max-ranked"))
        .numeric()
        .hint(t("ch-max-ranked-hint"));
    let parse = |text: &str| match text.trim() {
        "" => Ok(None),
        n => n.parse::<u32>().map(Some).map_err(|_| t("ch-max-ranked-invalid")),
    };
    form.input(field, max.map(|m| m.to_string()).unwrap_or_default(), parse, move |s, value| {
        if let Some(QuestionKind::Ranking { max_ranked, .. }) = s.questions.get_mut(q).map(|q| &mut q.kind) {
            *max_ranked = value;
        }
    })
}

fn max_choices_field(form: &Form, q: usize, max: Option<u32>) -> Html {
    let field = Field::new(format!("#/questions/{q}/max_choices"), t("ch-max-choices"))
        .numeric()
        .hint(t("ch-max-choices-hint"));
    let parse = |text: &str| match text.trim() {
        "" => Ok(None),
        n => n.parse::<u32>().map(Some).map_err(|_| t("ch-max-choices-invalid")),
    };
    form.input(field, max.map(|m| m.to_string()).unwrap_or_default(), parse, move |s, value| {
        if let Some(QuestionKind::Multi { max_choices, .. }) = s.questions.get_mut(q).map(|q| &mut q.kind) {
            *max_choices = value;
        }
    })
}

/// The lowest and highest number, for scale and number questions (`labels`: the
/// fields' labels).
fn range_fields(form: &Form, q: usize, (min, max): (i64, i64), labels: (String, String)) -> Html {
    let at = format!("#/questions/{q}");
    html! {
        <div class="row wrap">
            { form.input(Field::new(format!("{at}/min"), labels.0).numeric(), min.to_string(), parse_whole,
                move |s, n| if let Some((min, _)) = range_mut(s, q) { *min = n }) }
            { form.input(Field::new(format!("{at}/max"), labels.1).numeric(), max.to_string(), parse_whole,
                move |s, n| if let Some((_, max)) = range_mut(s, q) { *max = n }) }
        </div>
    }
}

fn scale_fields(
    form: &Form,
    q: usize,
    range: (i64, i64),
    min_label: &Localized,
    max_label: &Localized,
) -> Html {
    let at = format!("#/questions/{q}");
    html! {
        <div class="kind-fields">
            { range_fields(form, q, range, (t("ch-scale-min"), t("ch-scale-max"))) }
            { form.localized(&format!("{at}/min_label"), &t("ch-scale-min-label"), min_label, false, move |s| scale_label(s, q, true)) }
            { form.localized(&format!("{at}/max_label"), &t("ch-scale-max-label"), max_label, false, move |s| scale_label(s, q, false)) }
        </div>
    }
}

fn unit_mut(s: &mut Survey, q: usize) -> Option<&mut Localized> {
    match &mut s.questions.get_mut(q)?.kind {
        QuestionKind::Number { unit, .. } => Some(unit),
        _ => None,
    }
}

fn number_fields(form: &Form, q: usize, range: (i64, i64), bins: &[Bin], unit: &Localized) -> Html {
    let at = format!("#/questions/{q}/bins");
    let (_, max) = range;
    let next_min = bins.iter().map(|b| b.max.saturating_add(1)).max().unwrap_or(range.0);
    let add = form.restructure(Some(field_id(&format!("{at}/{}/code", bins.len()))), move |s| {
        if let Some(bins) = bins_mut(s, q) {
            let taken: Vec<&str> = bins.iter().map(|b| b.code.as_str()).collect();
            if let Some(code) = new_code("bin", &taken) {
                bins.push(Bin { code, min: next_min, max: max.max(next_min), label: Localized::default() });
            }
        }
    });
    html! {
        <div class="kind-fields">
            { range_fields(form, q, range, (t("ch-number-min"), t("ch-number-max"))) }
            { form.localized(&format!("#/questions/{q}/unit"), &t("ch-unit"), unit, false, move |s| unit_mut(s, q)) }
            <p class="hint">{ t("ch-unit-hint") }</p>
            <p class="hint">{ t("ch-bins-hint") }</p>
            <div class="table-scroll">
                <table class="bins edit-table" id={field_id(&at)}>
                    <caption>{ t("ch-bins") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t("ch-code") }</th>
                            <th scope="col">{ t("ch-from") }</th>
                            <th scope="col">{ t("ch-to") }</th>
                            { for form.languages().iter().map(|lang| html! { <th scope="col">{ label_header(lang) }</th> }) }
                            <th scope="col"><span class="visually-hidden">{ t("ch-actions") }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for bins.iter().enumerate().map(|(j, bin)| bin_row(form, q, j, bin, bins.len())) }
                    </tbody>
                </table>
            </div>
            <p class="hint">{ t("ch-bin-label-hint") }</p>
            <button type="button" id={add_button(q, "bin")} class="add-bin" onclick={add}>
                { t("ch-add-bin") }
            </button>
        </div>
    }
}

fn bin_row(form: &Form, q: usize, j: usize, bin: &Bin, count: usize) -> Html {
    let at = format!("#/questions/{q}/bins/{j}");
    let code = answer_code(form, &at, q, &bin.code, move |s| bin_at(s, q, j).map(|b| &mut b.code));
    html! {
        <tr>
            <td>{ code }</td>
            <td>{ form.input(Field::new(format!("{at}/min"), t("ch-from")).in_cell().numeric(), bin.min.to_string(), parse_whole,
                move |s, n| if let Some(b) = bin_at(s, q, j) { b.min = n }) }</td>
            <td>{ form.input(Field::new(format!("{at}/max"), t("ch-to")).in_cell().numeric(), bin.max.to_string(), parse_whole,
                move |s, n| if let Some(b) = bin_at(s, q, j) { b.max = n }) }</td>
            { for form.languages().iter().map(|lang| label_cell(form, &at, lang, &bin.label,
                move |s| bin_at(s, q, j).map(|b| &mut b.label))) }
            <td>{ item_buttons(form, (&format!("#/questions/{q}/bins"), j, count),
                &Item { kind: ItemKind::Bin, code: bin.code.as_str(), texts: texts(&bin.label) },
                add_button(q, "bin"), move |s| bins_mut(s, q)) }</td>
        </tr>
    }
}

fn country_field(form: &Form, q: usize, allowed: Option<&[CountryCode]>) -> Html {
    let field =
        Field::new(format!("#/questions/{q}/allowed"), t("ch-countries")).hint(t("ch-countries-hint"));
    let value = allowed.map(|codes| codes.iter().map(CountryCode::as_str).collect::<Vec<_>>().join(", "));
    html! {
        <div class="kind-fields">
            { form.input(field, value.unwrap_or_default(), parse_countries, move |s, list| {
                if let Some(QuestionKind::Country { allowed }) = s.questions.get_mut(q).map(|q| &mut q.kind) {
                    *allowed = list;
                }
            }) }
        </div>
    }
}

/// A comma-separated list of country codes; empty is "every country".
pub fn parse_countries(text: &str) -> Result<Option<Vec<CountryCode>>, String> {
    let codes: Vec<&str> = text.split([',', ';', ' ']).map(str::trim).filter(|c| !c.is_empty()).collect();
    if codes.is_empty() {
        return Ok(None);
    }
    codes
        .into_iter()
        .map(|c| CountryCode::parse(c.to_uppercase()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()
        .map(Some)
}
