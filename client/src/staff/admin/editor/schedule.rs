//! When the survey opens and closes, in the designer: where it stands, and two inputs
//! for its opening and closing times, in UTC (the staff member's own time is shown
//! beside each). Publishing uses them; a published survey that has not closed takes them
//! with "Save times", without a new version. They are checked as typed by the shared
//! crate's rules, the same the server applies.

use nansen_shared::schedule::{CLOSES_BEFORE_OPENING, NOT_IN_FUTURE};
use nansen_shared::{Schedule, SurveyStatus, Timestamp};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::staff::format;
use crate::staff::i18n::{Msg, t, tf};

/// The inputs' element ids.
pub const OPENS: &str = "schedule-opens";
pub const CLOSES: &str = "schedule-closes";

/// The two inputs as typed (`YYYY-MM-DDThh:mm`, UTC; empty: no such time).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    pub opens: String,
    pub closes: String,
}

impl Typed {
    /// The inputs showing `schedule`, of a survey that is `status` (an opening time that
    /// has passed is not shown: it cannot be given again).
    pub fn of(schedule: &Schedule, status: SurveyStatus) -> Self {
        let opens = schedule.opens_at.filter(|_| status == SurveyStatus::Scheduled);
        Self {
            opens: opens.map(Timestamp::input_value).unwrap_or_default(),
            closes: schedule.closes_at.map(Timestamp::input_value).unwrap_or_default(),
        }
    }

    /// The schedule typed, for a survey that is `status` at `now`; or what is wrong,
    /// input by input (its element id, and why).
    pub fn schedule(&self, status: SurveyStatus, now: i64) -> Result<Schedule, Vec<(&'static str, Msg)>> {
        let open = status == SurveyStatus::Open;
        let mut errors = Vec::new();
        let mut read = |id: &'static str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            Timestamp::parse_utc_input(text)
                .map_err(|_| errors.push((id, Msg::new("sched-error-invalid"))))
                .ok()
        };
        let opens = read(OPENS, &self.opens).filter(|_| !open);
        let closes = read(CLOSES, &self.closes);
        let schedule = Schedule { opens_at: opens, closes_at: closes };
        for error in schedule.check(now, open).err().unwrap_or_default() {
            let id = if error.pointer.ends_with("opens_at") { OPENS } else { CLOSES };
            let why = match error.code.as_str() {
                NOT_IN_FUTURE => Msg::new("sched-error-past"),
                CLOSES_BEFORE_OPENING => Msg::new("sched-error-order"),
                _ => Msg::new("sched-error-open"),
            };
            errors.push((id, why));
        }
        if errors.is_empty() { Ok(schedule) } else { Err(errors) }
    }
}

/// Where the survey stands, in a sentence.
pub fn standing(status: SurveyStatus, schedule: &Schedule) -> Msg {
    let closes = schedule.closes_at.map(|at| format::utc(at.unix()));
    match (status, schedule.opens_at, closes) {
        (SurveyStatus::Draft, _, _) => Msg::new("sched-now-draft"),
        (SurveyStatus::Scheduled, Some(opens), Some(closes)) => Msg::new("sched-now-scheduled-until")
            .arg("opens", format::utc(opens.unix()))
            .arg("closes", closes),
        (SurveyStatus::Scheduled, opens, None) => Msg::new("sched-now-scheduled")
            .arg("opens", opens.map_or_else(String::new, |at| format::utc(at.unix()))),
        (SurveyStatus::Open | SurveyStatus::Scheduled, _, Some(closes)) => {
            Msg::new("sched-now-open-until").arg("closes", closes)
        }
        (SurveyStatus::Open, _, None) => Msg::new("sched-now-open"),
        (SurveyStatus::Closed, _, _) => Msg::new("sched-now-closed"),
    }
}

#[derive(Properties, PartialEq)]
pub struct SchedulePanelProps {
    pub status: SurveyStatus,
    /// The times the server holds.
    pub stored: Schedule,
    pub typed: Typed,
    pub on_typed: Callback<Typed>,
    /// "Save times", for a published survey that has not closed.
    pub on_save: Option<Callback<MouseEvent>>,
    pub busy: bool,
}

#[function_component(SchedulePanel)]
pub fn schedule_panel(props: &SchedulePanelProps) -> Html {
    let errors = props.typed.schedule(props.status, format::now()).err().unwrap_or_default();
    let error = |id: &str| errors.iter().find(|(at, _)| *at == id).map(|(_, why)| why.text());
    let open = props.status == SurveyStatus::Open;
    let set = |which: fn(&mut Typed, String)| {
        let (typed, on_typed) = (props.typed.clone(), props.on_typed.clone());
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let mut next = typed.clone();
            which(&mut next, input.value());
            on_typed.emit(next);
        })
    };
    let opens_hint = if open { Some(t("sched-opens-open")) } else { None };
    let hint = if props.on_save.is_some() { t("sched-hint-published") } else { t("sched-hint-publish") };
    html! {
        <section class="schedule-panel" id="schedule" aria-labelledby="schedule-heading"
            data-status={props.status.as_str()}
            data-opens={props.stored.opens_at.map(|at| at.to_string())}
            data-closes={props.stored.closes_at.map(|at| at.to_string())}>
            <h2 id="schedule-heading">{ t("sched-heading") }</h2>
            <p id="schedule-now">{ standing(props.status, &props.stored).text() }</p>
            <div class="row wrap">
                { time_input(OPENS, t("sched-opens"), &props.typed.opens, open, opens_hint, error(OPENS),
                    set(|typed, value| typed.opens = value)) }
                { time_input(CLOSES, t("sched-closes"), &props.typed.closes, false, None, error(CLOSES),
                    set(|typed, value| typed.closes = value)) }
            </div>
            <p class="hint" id="schedule-hint">{ hint }</p>
            if let Some(on_save) = &props.on_save {
                <button type="button" id="schedule-save" disabled={props.busy} onclick={on_save.clone()}>
                    { t("sched-save") }
                </button>
            }
        </section>
    }
}

/// A date and time input in UTC, with the staff member's own time (or `hint`) under it,
/// and what is wrong with it, if anything.
fn time_input(
    id: &'static str,
    label: String,
    value: &str,
    disabled: bool,
    hint: Option<String>,
    error: Option<String>,
    oninput: Callback<InputEvent>,
) -> Html {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let local = Timestamp::parse_utc_input(value.trim())
        .ok()
        .map(|at| tf("sched-your-time", &[("time", &format::local(at.unix()))]));
    let hint = hint.or(local);
    let described = [hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input type="datetime-local" {id} value={value.to_owned()} {disabled} {oninput}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={(!described.is_empty()).then_some(described)} />
            if let Some(hint) = hint {
                <p class="hint" id={hint_id}>{ hint }</p>
            }
            if let Some(error) = error {
                <p class="error" id={error_id}>{ error }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_220_000; // 2 December 2026, 14:00 UTC

    fn typed(opens: &str, closes: &str) -> Typed {
        Typed { opens: opens.to_owned(), closes: closes.to_owned() }
    }

    fn ids(result: Result<Schedule, Vec<(&'static str, Msg)>>) -> Vec<(&'static str, &'static str)> {
        result.err().unwrap_or_default().into_iter().map(|(id, why)| (id, why.id)).collect()
    }

    #[test]
    fn what_is_typed_is_read_in_utc_and_checked_by_the_shared_rules() {
        let window = typed("2026-12-03T09:00", " 2026-12-10T18:30 ");
        let schedule = window.schedule(SurveyStatus::Draft, NOW).unwrap();
        assert_eq!(schedule.opens_at.map(|at| at.to_string()).as_deref(), Some("2026-12-03T09:00:00Z"));
        assert_eq!(schedule.closes_at.map(|at| at.to_string()).as_deref(), Some("2026-12-10T18:30:00Z"));
        assert_eq!(typed("", "").schedule(SurveyStatus::Closed, NOW), Ok(Schedule::default()));
        assert_eq!(
            ids(typed("soon", "").schedule(SurveyStatus::Draft, NOW)),
            [(OPENS, "sched-error-invalid")]
        );
        assert_eq!(
            ids(typed("2026-12-01T09:00", "2026-12-03T09:00").schedule(SurveyStatus::Draft, NOW)),
            [(OPENS, "sched-error-past")]
        );
        assert_eq!(
            ids(typed("2026-12-04T09:00", "2026-12-03T09:00").schedule(SurveyStatus::Scheduled, NOW)),
            [(CLOSES, "sched-error-order")]
        );
    }

    #[test]
    fn an_open_survey_keeps_no_opening_time() {
        let open = typed("2026-12-01T09:00", "2026-12-03T09:00").schedule(SurveyStatus::Open, NOW).unwrap();
        assert_eq!(open.opens_at, None);
        let stored = Schedule {
            opens_at: Timestamp::from_unix(NOW - 60),
            closes_at: Timestamp::from_unix(NOW + 3600),
        };
        assert_eq!(Typed::of(&stored, SurveyStatus::Open), typed("", "2026-12-02T15:00"));
        assert_eq!(
            Typed::of(&stored, SurveyStatus::Scheduled),
            typed("2026-12-02T13:59", "2026-12-02T15:00")
        );
    }

    #[test]
    fn the_standing_names_the_times_that_matter_now() {
        let at = |s| Timestamp::from_unix(NOW + s);
        let window = Schedule { opens_at: at(3600), closes_at: at(7200) };
        assert_eq!(
            standing(SurveyStatus::Scheduled, &window),
            Msg::new("sched-now-scheduled-until")
                .arg("opens", "2 December 2026, 15:00 UTC")
                .arg("closes", "2 December 2026, 16:00 UTC")
        );
        assert_eq!(standing(SurveyStatus::Open, &window).id, "sched-now-open-until");
        assert_eq!(standing(SurveyStatus::Open, &Schedule::default()).id, "sched-now-open");
        assert_eq!(standing(SurveyStatus::Closed, &window).id, "sched-now-closed");
        assert_eq!(standing(SurveyStatus::Draft, &window).id, "sched-now-draft");
    }
}
