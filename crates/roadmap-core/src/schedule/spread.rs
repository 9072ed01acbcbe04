//! The walking skeleton's plan: the steps spread over the target months in proportion to their
//! expected hours. The session-level `planner` is to replace it in the app.

use chrono::{Days, Months, NaiveDate};

use crate::api::{PlanSettings, StepSpan};
use crate::content::Roadmap;
use crate::error::CoreError;

pub const MIN_MONTHS: u32 = 6;
pub const MAX_MONTHS: u32 = 24;

/// Checks the settings and returns the target end date (start plus the months, exclusive).
pub fn target_end(settings: &PlanSettings) -> Result<NaiveDate, CoreError> {
    if !(MIN_MONTHS..=MAX_MONTHS).contains(&settings.months) {
        return Err(CoreError::InvalidSettings(format!(
            "months is {}, but a plan takes {MIN_MONTHS} to {MAX_MONTHS} months",
            settings.months
        )));
    }
    settings
        .start
        .checked_add_months(Months::new(settings.months))
        .ok_or_else(|| {
            CoreError::InvalidSettings(format!(
                "start date {} is too far in the future to plan from",
                settings.start
            ))
        })
}

/// Gives each step a contiguous run of days, in roadmap order, sized by its expected hours.
/// Every step gets at least one day; the last step ends the day before the target end.
pub fn spread_steps(
    roadmap: &Roadmap,
    settings: &PlanSettings,
) -> Result<Vec<StepSpan>, CoreError> {
    let end = target_end(settings)?;
    let total_days = u64::try_from((end - settings.start).num_days()).unwrap_or(0);
    let steps = &roadmap.steps;
    let step_count = steps.len() as u64;
    if step_count == 0 || total_days < step_count {
        return Err(CoreError::InvalidSettings(format!(
            "{total_days} days are too few for {step_count} steps"
        )));
    }
    let hours: Vec<f64> = steps
        .iter()
        .map(|s| roadmap.topics_of(&s.id).map(|t| t.hours.expected).sum())
        .collect();
    let total_hours: f64 = hours.iter().sum();

    // Cumulative rounding keeps the parts summing exactly to the whole; the spare days beyond
    // one per step are what is shared out by hours.
    let spare = (total_days - step_count) as f64;
    let mut spans = Vec::with_capacity(steps.len());
    let mut cumulative = 0.0;
    let mut day = 0u64;
    for (i, (step, h)) in steps.iter().zip(&hours).enumerate() {
        cumulative += if total_hours > 0.0 {
            h / total_hours
        } else {
            1.0 / step_count as f64
        };
        let boundary = if i + 1 == steps.len() {
            total_days
        } else {
            (i as u64 + 1) + (spare * cumulative).round() as u64
        };
        let first = settings.start + Days::new(day);
        let last = settings.start + Days::new(boundary.max(day + 1) - 1);
        spans.push(StepSpan {
            step: step.id.clone(),
            title: step.title.clone(),
            start: first,
            end: last,
            hours: *h,
        });
        day = boundary.max(day + 1);
    }
    Ok(spans)
}
