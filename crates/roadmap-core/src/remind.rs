//! Reminders while the app runs: which fire when, which still stand, and "Not today" from a
//! reminder. The shell sends them to the desktop and withdraws those that no longer stand.

use chrono::{DateTime, Duration, Utc};

use crate::api::SessionStatus;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::saved::{Change, SavedPlan};

/// One reminder of a session (or review) about to begin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub session: i64,
    /// The session's start: a reminder stands while the session is still planned then.
    pub start: DateTime<Utc>,
    pub fire_at: DateTime<Utc>,
    pub title: String,
    pub body: String,
}

impl SavedPlan {
    /// The reminders that fire in `(after, until]`, `lead` minutes before each planned
    /// session, in time order.
    pub fn reminders(
        &self,
        lead: u32,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        clock: &Clock,
    ) -> Vec<Reminder> {
        let lead = Duration::minutes(i64::from(lead));
        let mut out: Vec<Reminder> = self
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Planned)
            .filter_map(|s| {
                let start = clock.instant(s.wall());
                let fire_at = start - lead;
                (fire_at > after && fire_at <= until)
                    .then(|| self.reminder_of(s.id, start, fire_at, clock))
            })
            .flatten()
            .collect();
        out.sort_by_key(|r| (r.fire_at, r.session));
        out
    }

    fn reminder_of(
        &self,
        id: i64,
        start: DateTime<Utc>,
        fire_at: DateTime<Utc>,
        clock: &Clock,
    ) -> Option<Reminder> {
        let s = self.session(id).ok()?;
        let title = self.title(&s.topic);
        let local = start.with_timezone(&clock.zone);
        let end = local + Duration::minutes(i64::from(s.minutes));
        let when = format!("{}–{}", local.format("%H:%M"), end.format("%H:%M"));
        let summary = self
            .roadmap
            .topic(&s.topic)
            .map(|t| {
                t.summary
                    .split(". ")
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('.')
                    .to_string()
            })
            .unwrap_or_default();
        Some(Reminder {
            session: id,
            start,
            fire_at,
            title: if s.is_study() {
                format!("Study: {title}")
            } else {
                format!("Review: {title}")
            },
            body: if summary.is_empty() {
                format!("{when} ({} min)", s.minutes)
            } else {
                format!("{when} ({} min). {summary}.", s.minutes)
            },
        })
    }

    /// Whether a reminder sent for session `id` starting at `start` still stands: the
    /// session is still planned, at that time. (Done, moved or cancelled since: it is
    /// withdrawn.)
    pub fn reminder_stands(&self, id: i64, start: DateTime<Utc>, clock: &Clock) -> bool {
        self.session(id)
            .is_ok_and(|s| s.status == SessionStatus::Planned && clock.instant(s.wall()) == start)
    }

    /// The reminder of `id` again, snoozed: as it was, fired at `fire_at`, while it stands.
    pub fn snoozed(
        &self,
        id: i64,
        start: DateTime<Utc>,
        fire_at: DateTime<Utc>,
        clock: &Clock,
    ) -> Option<Reminder> {
        self.reminder_stands(id, start, clock)
            .then(|| self.reminder_of(id, start, fire_at, clock))
            .flatten()
    }

    /// "Not today", from a reminder: the session marked missed. Allowed from its reminder on
    /// (`lead` minutes before it starts), even before its day has begun.
    pub fn not_today(&self, id: i64, lead: u32, clock: &Clock) -> Result<Vec<Change>, CoreError> {
        let s = self.session(id)?;
        if s.status != SessionStatus::Planned {
            return Err(CoreError::Refused(format!(
                "{} is no longer planned at that time",
                self.title(&s.topic)
            )));
        }
        let start = clock.instant(s.wall());
        if clock.now < start - Duration::minutes(i64::from(lead)) {
            return Err(CoreError::Refused(format!(
                "{} is not due yet; it can be skipped from its reminder on",
                self.title(&s.topic)
            )));
        }
        // On its day, as checking it off as missed does (a review's next one is planned);
        // before its day (a reminder the evening before), the mark alone.
        if s.date <= clock.today() {
            return self.mark_session(id, crate::api::SessionMark::Missed, clock);
        }
        Ok(vec![Change::SetSessionStatus {
            id,
            status: SessionStatus::Missed,
            done_minutes: 0,
        }])
    }
}
