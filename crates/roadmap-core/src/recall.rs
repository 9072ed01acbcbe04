//! Spaced review: when a finished topic is next reviewed, by FSRS.
//!
//! A topic's memory is replayed from what was saved: its completion counts as a first review
//! graded "good" on the day it was marked done, then every review the learner rated, in date
//! order. The next review is due when FSRS says recall would drop to 90 %. The scheduler
//! (`schedule::planner`) places due reviews as short sessions inside the weekly availability,
//! at most [`cap_minutes`] a week, and projects the reviews of topics finished later in the
//! plan as if each were graded "good", so the projected finish accounts for them.
//!
//! Days, not minutes: reviews are planned a day at a time, so the long-term scheduler is used
//! (no same-day learning steps) and every date goes in at midnight UTC. The same dates and
//! grades always give the same due dates.
//!
//! Why `rs-fsrs` and not `fsrs`: both come from the open-spaced-repetition project and share
//! the FSRS model and its default weights. `fsrs` (which Anki uses) bundles the optimizer that
//! fits the weights to thousands of a learner's reviews, on the `burn` machine-learning
//! framework: hundreds of crates and minutes of build, for a learner who reviews perhaps a
//! hundred topics. `rs-fsrs` is the scheduler alone, with chrono as its only dependency.

use std::cell::RefCell;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use foldhash::{HashMap, HashMapExt};
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};

use crate::api::Recall;
use crate::content::Topic;

/// The share of the weekly hours review takes unless the learner says otherwise (a setting's
/// default, so declared with the settings).
pub use crate::api::DEFAULT_CAP_PERCENT;
/// The most a learner may give to review: half the week, so study always goes on.
pub const MAX_CAP_PERCENT: u32 = 50;
/// The longest gap between two reviews of a topic.
pub const MAX_INTERVAL_DAYS: i32 = 365;
/// A topic of fewer expected hours than this gets the short review.
const LONG_TOPIC_HOURS: f64 = 10.0;
pub const SHORT_REVIEW_MINUTES: u32 = 15;
pub const LONG_REVIEW_MINUTES: u32 = 30;

/// How long a review of `topic` takes: 15 minutes, or 30 for a topic of 10 hours or more.
pub fn minutes_for(topic: &Topic) -> u32 {
    if topic.hours.expected < LONG_TOPIC_HOURS {
        SHORT_REVIEW_MINUTES
    } else {
        LONG_REVIEW_MINUTES
    }
}

/// The most review a week may hold: `percent` of `weekly_minutes` of availability.
pub fn cap_minutes(weekly_minutes: u32, percent: u32) -> u32 {
    u32::try_from(u64::from(weekly_minutes) * u64::from(percent.min(100)) / 100).unwrap_or(u32::MAX)
}

/// A review the learner rated, as the store keeps it (and the data file writes it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredRecall {
    pub id: i64,
    pub topic: String,
    pub date: NaiveDate,
    pub recall: Recall,
    /// The review session it checked off, when there was one.
    pub session: Option<i64>,
}

/// What is remembered of one topic, and when it is next due.
#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    card: Card,
}

impl Memory {
    /// The topic as it stands the day it was finished: a first review graded "good".
    pub fn learned(on: NaiveDate) -> Memory {
        let new = Card {
            state: State::New,
            ..Card::default()
        };
        Memory { card: new }.rated(on, Recall::Good)
    }

    /// The memory after a review on `on` graded `recall`.
    pub fn rated(&self, on: NaiveDate, recall: Recall) -> Memory {
        // FSRS adds days to the date with chrono's panicking arithmetic; a plan's dates are
        // centuries short of chrono's limit, and a date that is not is left unreviewed.
        if on.year() > 100_000 {
            return self.clone();
        }
        let rating = match recall {
            Recall::Again => Rating::Again,
            Recall::Hard => Rating::Hard,
            Recall::Good => Rating::Good,
            Recall::Easy => Rating::Easy,
        };
        let c = &self.card;
        // Every review here is at midnight UTC (below), so whole days apart: counted as days,
        // without chrono's duration arithmetic.
        let elapsed = if c.state == State::New {
            0
        } else {
            i64::from(on.num_days_from_ce())
                - i64::from(c.last_review.date_naive().num_days_from_ce())
        };
        // FSRS's answer does not depend on the date itself, only on the card and the days
        // since its last review: a plan projects thousands of reviews from a few starting
        // cards, so the answers are kept (the scheduler costs microseconds a call).
        let key = Key {
            stability: c.stability.to_bits(),
            difficulty: c.difficulty.to_bits(),
            state: c.state as u8,
            reps: c.reps,
            lapses: c.lapses,
            scheduled: c.scheduled_days,
            elapsed,
            rating: rating as u8,
        };
        let known = ANSWERS.with(|a| a.borrow().get(&key).cloned());
        let mut next = match known {
            Some(card) => card,
            None => {
                let card = fsrs().next(c.clone(), midnight(on), rating).card;
                ANSWERS.with(|a| {
                    let mut answers = a.borrow_mut();
                    if answers.len() >= KEPT_ANSWERS {
                        answers.clear();
                    }
                    answers.insert(key, card.clone());
                });
                card
            }
        };
        // The kept answer was for another day: move it to this one.
        next.last_review = midnight(on);
        next.due = midnight(on + chrono::Duration::days(next.scheduled_days));
        Memory { card: next }
    }

    /// The day the next review is due.
    pub fn due(&self) -> NaiveDate {
        self.card.due.date_naive()
    }

    /// How many days apart the last review and the next one are.
    pub fn interval_days(&self) -> i64 {
        self.card.scheduled_days
    }
}

/// A finished topic's memory: finished on `done_on`, then reviewed as `reviews` say (those
/// before `done_on` belong to an earlier time it was done, and are left out).
pub fn memory(
    done_on: NaiveDate,
    reviews: impl IntoIterator<Item = (NaiveDate, Recall)>,
) -> Memory {
    let mut list: Vec<(NaiveDate, Recall)> =
        reviews.into_iter().filter(|(d, _)| *d >= done_on).collect();
    list.sort_by_key(|(d, _)| *d);
    list.into_iter()
        .fold(Memory::learned(done_on), |m, (d, r)| m.rated(d, r))
}

/// A projected review after `memory`'s next one, had it been graded "good" on `on`.
pub fn after_good(memory: &Memory, on: NaiveDate) -> Memory {
    memory.rated(on, Recall::Good)
}

/// What FSRS's answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    stability: u64,
    difficulty: u64,
    state: u8,
    reps: i32,
    lapses: i32,
    scheduled: i64,
    elapsed: i64,
    rating: u8,
}

/// How many answers are kept before the cache starts again.
const KEPT_ANSWERS: usize = 100_000;

thread_local! {
    static ANSWERS: RefCell<HashMap<Key, Card>> = RefCell::new(HashMap::new());
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

fn fsrs() -> &'static FSRS {
    static FSRS_: OnceLock<FSRS> = OnceLock::new();
    FSRS_.get_or_init(|| {
        // `Parameters::default` seeds its (unused: fuzz is off) generator from the system
        // clock; nothing it returns depends on it, and the scheduler reseeds from its inputs.
        FSRS::new(Parameters {
            request_retention: 0.9,
            maximum_interval: MAX_INTERVAL_DAYS,
            enable_short_term: false,
            enable_fuzz: false,
            ..Parameters::default()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn a_finished_topic_is_first_reviewed_within_days_and_then_less_often() {
        let done = day("2027-03-01");
        let first = Memory::learned(done);
        assert!(
            (1..=7).contains(&(first.due() - done).num_days()),
            "{first:?}"
        );
        let second = after_good(&first, first.due());
        let third = after_good(&second, second.due());
        assert!(second.interval_days() > first.interval_days());
        assert!(third.interval_days() > second.interval_days());
    }

    #[test]
    fn grades_order_the_next_interval() {
        let m = Memory::learned(day("2027-03-01"));
        let on = m.due();
        let next: Vec<i64> = Recall::ALL
            .iter()
            .map(|r| (m.rated(on, *r).due() - on).num_days())
            .collect();
        assert!(next.windows(2).all(|w| w[0] <= w[1]), "{next:?}");
        assert!(next[0] < next[3], "{next:?}");
        assert!(next[0] >= 1);
    }

    #[test]
    fn replay_ignores_reviews_from_before_the_topic_was_done_and_their_order() {
        let done = day("2027-03-01");
        let a = memory(
            done,
            [
                (day("2027-03-10"), Recall::Hard),
                (day("2027-03-04"), Recall::Good),
            ],
        );
        let b = memory(
            done,
            [
                (day("2027-02-01"), Recall::Again),
                (day("2027-03-04"), Recall::Good),
                (day("2027-03-10"), Recall::Hard),
            ],
        );
        assert_eq!(a, b);
    }

    #[test]
    fn kept_answers_are_fsrs_own_on_any_day() {
        // The same card rated the same days after its last review, from different days: the
        // cache answers the second, FSRS itself each reference.
        for (start, gap) in [("2027-03-01", 3), ("2031-11-17", 3), ("2027-03-01", 9)] {
            let learned = Memory::learned(day(start));
            for recall in Recall::ALL {
                let on = learned.due() + chrono::Days::new(gap);
                let got = learned.rated(on, recall);
                let rating = match recall {
                    Recall::Again => Rating::Again,
                    Recall::Hard => Rating::Hard,
                    Recall::Good => Rating::Good,
                    Recall::Easy => Rating::Easy,
                };
                let want = fsrs().next(learned.card.clone(), midnight(on), rating).card;
                assert_eq!(got.card, want, "{start} +{gap} {recall:?}");
            }
        }
    }

    #[test]
    fn the_cap_is_a_share_of_the_week() {
        assert_eq!(cap_minutes(600, 15), 90);
        assert_eq!(cap_minutes(600, 0), 0);
        assert_eq!(cap_minutes(u32::MAX, 50), u32::MAX / 2);
    }
}
