//! `/admin/staff/audit`: what staff did, newest first, a page at a time; for one person
//! or one kind of action if asked. Nothing about respondents is ever in it.

use nansen_shared::{AuditEntry, AuditPage};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{TeamNav, card_table, cell_label};
use crate::staff::i18n::{t, tf, use_lang};
use crate::staff::notice::{self, Load};
use crate::staff::route::Route;
use crate::staff::{api, format, use_staff};

/// Entries per page.
const PAGE: u16 = 50;

/// The actions the server records, as the filter offers them (others are shown by
/// their name).
const ACTIONS: [&str; 17] = [
    "login",
    "login_failed",
    "logout",
    "user_create",
    "user_password_reset",
    "user_password",
    "user_delete",
    "token_create",
    "token_revoke",
    "survey_create",
    "survey_edit",
    "survey_publish",
    "survey_close",
    "release",
    "invites_create",
    "invites_retired",
    "results_export",
];

/// An action in words ("Password reset"), or its name for an action this page does
/// not know.
fn action_name(action: &str) -> String {
    match action {
        "login" => t("audit-action-login"),
        "login_failed" => t("audit-action-login-failed"),
        "logout" => t("audit-action-logout"),
        "user_create" => t("audit-action-user-create"),
        "user_password_reset" => t("audit-action-user-password-reset"),
        "user_password" => t("audit-action-user-password"),
        "user_delete" => t("audit-action-user-delete"),
        "token_create" => t("audit-action-token-create"),
        "token_revoke" => t("audit-action-token-revoke"),
        "survey_create" => t("audit-action-survey-create"),
        "survey_edit" => t("audit-action-survey-edit"),
        "survey_publish" => t("audit-action-survey-publish"),
        "survey_close" => t("audit-action-survey-close"),
        "release" => t("audit-action-release"),
        "invites_create" => t("audit-action-invites-create"),
        "invites_retired" => t("audit-action-invites-retired"),
        "results_export" => t("audit-action-results-export"),
        other => other.to_owned(),
    }
}

/// What is asked for: whose entries and which action (empty: any), and where each page
/// read so far started (the last is the one on view; `None`, the newest).
#[derive(Debug, Clone, Default, PartialEq)]
struct Asked {
    actor: String,
    action: String,
    starts: Vec<Option<i64>>,
}

impl Asked {
    fn start(&self) -> Option<i64> {
        self.starts.last().copied().flatten()
    }
}

#[function_component(AuditLog)]
pub fn audit_log() -> Html {
    let staff = use_staff();
    use_lang();
    let asked = use_state(|| Asked { starts: vec![None], ..Asked::default() });
    let page = use_state(|| Load::<AuditPage>::Loading);
    let actor = use_state(String::new);
    let action = use_state(String::new);
    {
        let (page, staff) = (page.clone(), staff.clone());
        use_effect_with((*asked).clone(), move |asked| {
            let asked = asked.clone();
            spawn_local(async move {
                page.set(match api::audit(asked.start(), &asked.actor, &asked.action, PAGE).await {
                    Ok(found) => Load::Ready(found),
                    Err(error) => Load::Failed(staff.failure(&error)),
                });
            });
        });
    }
    let onsubmit = {
        let (asked, actor, action) = (asked.clone(), actor.clone(), action.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            asked.set(Asked {
                actor: actor.trim().to_owned(),
                action: (*action).clone(),
                starts: vec![None],
            });
        })
    };
    let show_all = {
        let (asked, actor, action) = (asked.clone(), actor.clone(), action.clone());
        Callback::from(move |_: MouseEvent| {
            actor.set(String::new());
            action.set(String::new());
            asked.set(Asked { starts: vec![None], ..Asked::default() });
        })
    };
    // Paging keeps the filter; the keyboard goes to the line saying which page is shown.
    let turn = |older: Option<i64>| {
        let asked = asked.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*asked).clone();
            match older {
                Some(before) => next.starts.push(Some(before)),
                None => {
                    next.starts.pop();
                }
            }
            asked.set(next);
            notice::focus("#audit-position");
        })
    };
    let on_actor = {
        let actor = actor.clone();
        Callback::from(move |e: InputEvent| actor.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_action = {
        let action = action.clone();
        Callback::from(move |e: Event| action.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let number = asked.starts.len();
    let next_before = match &*page {
        Load::Ready(found) => found.next_before,
        _ => None,
    };
    html! {
        <section class="team audit">
            <h1>{ t("audit-heading") }</h1>
            <TeamNav current={Route::Audit} />
            <p class="hint">{ t("audit-intro") }</p>
            <form id="audit-filter" class="team-form" {onsubmit} aria-labelledby="audit-filter-heading">
                <h2 id="audit-filter-heading" class="visually-hidden">{ t("audit-filter") }</h2>
                <div class="row wrap">
                    <div class="field">
                        <label for="audit-actor">{ t("audit-actor") }</label>
                        <input id="audit-actor" name="actor" type="text" autocomplete="off" autocapitalize="none"
                            spellcheck="false" value={(*actor).clone()} oninput={on_actor}
                            aria-describedby="audit-actor-hint" />
                        <p class="hint" id="audit-actor-hint">{ t("audit-actor-hint") }</p>
                    </div>
                    <div class="field">
                        <label for="audit-action">{ t("audit-action") }</label>
                        <select id="audit-action" name="action" onchange={on_action}>
                            <option value="" selected={action.is_empty()}>{ t("audit-any-action") }</option>
                            { for ACTIONS.iter().map(|a| html! {
                                <option value={*a} selected={*action == *a}>{ action_name(a) }</option>
                            }) }
                        </select>
                    </div>
                </div>
                <div class="row wrap">
                    <button type="submit" id="audit-show" class="primary">{ t("audit-show") }</button>
                    <button type="button" id="audit-all" onclick={show_all}>{ t("audit-clear") }</button>
                </div>
            </form>
            <p id="audit-position" class="audit-position" role="status" tabindex="-1">
                { tf("audit-page", &[("number", &number.to_string())]) }
            </p>
            { page.placeholder().unwrap_or_else(|| match &*page {
                Load::Ready(found) => table(&found.entries),
                _ => html! {},
            }) }
            <nav class="pager row wrap" aria-label={t("audit-pages")}>
                <button type="button" id="audit-newer" disabled={number == 1} onclick={turn(None)}>{ t("audit-newer") }</button>
                <button type="button" id="audit-older" disabled={next_before.is_none()}
                    onclick={turn(next_before)}>{ t("audit-older") }</button>
            </nav>
        </section>
    }
}

fn table(entries: &[AuditEntry]) -> Html {
    if entries.is_empty() {
        return html! { <p id="audit-none">{ t("audit-none") }</p> };
    }
    card_table(
        "audit-table",
        t("audit-heading"),
        &[t("audit-time"), t("audit-actor"), t("audit-action"), t("audit-target")],
        entries.iter().map(|entry| {
            html! {
                <tr key={entry.id.to_string()} data-action={entry.action.clone()}>
                    <td>{ cell_label(t("audit-time")) }{ format::utc(entry.at) }</td>
                    <td>{ cell_label(t("audit-actor")) }{ &entry.actor }</td>
                    <td>{ cell_label(t("audit-action")) }{ action_name(&entry.action) }</td>
                    <td class="target">{ cell_label(t("audit-target")) }{ &entry.target }</td>
                </tr>
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_offered_has_words() {
        // Without loaded strings a message is its id: a known action gives an id.
        for action in ACTIONS {
            assert!(action_name(action).starts_with("audit-action-"), "{action}");
        }
        assert_eq!(action_name("survey_import"), "survey_import");
    }
}
