//! A survey's opening and closing times as respondents read them: in UTC, written the
//! same in every language ("2027-03-01 12:00 UTC"), and where JavaScript runs also in
//! the reader's own time zone (`local-time.js` writes it beside each `<time>` from its
//! `datetime`; nothing about the reader's time zone leaves the browser).

use maud::{Markup, html};
use nansen_shared::{Schedule, Timestamp};

use crate::web::i18n::Translations;

/// The client's script that adds the local time (`client/static/local-time.js`).
pub const LOCAL_TIME_SCRIPT: &str = "local-time.js";

/// The opening and closing times `schedule` has, as a list: "Opens 2027-03-01 12:00 UTC".
pub fn schedule(schedule: &Schedule, lang: &str, t: &Translations) -> Markup {
    let times = [("schedule-opens", schedule.opens_at), ("schedule-closes", schedule.closes_at)];
    html! {
        dl class="schedule" {
            @for (label, at) in times {
                @if let Some(at) = at {
                    div {
                        dt { (t.text(lang, label, &[])) }
                        dd { (moment(at, lang, t)) }
                    }
                }
            }
        }
    }
}

/// One moment: the UTC time, with what the script labels the local time with.
fn moment(at: Timestamp, lang: &str, t: &Translations) -> Markup {
    html! {
        time datetime=(at.to_string()) data-local=(t.text(lang, "schedule-your-time", &[])) { (at.utc_text()) }
    }
}
