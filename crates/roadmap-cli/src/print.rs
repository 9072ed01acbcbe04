//! How the CLI prints plans, progress, forecasts and replans as text, and anything as JSON.

use std::io::Write;

use chrono::{Datelike, NaiveDate};

use roadmap_core::Roadmap;
use roadmap_core::api::{
    PlanView, ReplanPreview, SessionChange, SessionKind, SessionPlace, SessionStatus, TopicState,
    WeekView,
};
use roadmap_core::schedule::planner::{self, Fix, Plan};

use crate::CliError;
use crate::terminal::terminal_text;

pub fn print_schedule(out: &mut dyn Write, roadmap: &Roadmap, plan: &Plan) -> std::io::Result<()> {
    let hours: f64 = plan.topics.iter().map(|t| t.hours).sum();
    writeln!(
        out,
        "{}: {} topics, {hours:.0} h planned",
        roadmap.title,
        plan.topics.len()
    )?;
    match plan.target_end {
        Some(end) => writeln!(out, "Start {}, target {end}", plan.start)?,
        None => writeln!(out, "Start {}, no target date", plan.start)?,
    }
    writeln!(
        out,
        "Availability{}: {} ({:.1} h a week)",
        if plan.availability_proposed {
            " (proposed)"
        } else {
            ""
        },
        plan.availability,
        plan.available_hours_per_week
    )?;
    if let Some(h) = plan.required_hours_per_week {
        writeln!(out, "Needed to meet the target: {h:.1} h a week")?;
    }
    let reviews: Vec<&planner::Session> = plan
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Review)
        .collect();
    if !reviews.is_empty() {
        writeln!(
            out,
            "Spaced review: {} sessions, {:.1} h in all",
            reviews.len(),
            f64::from(reviews.iter().map(|s| s.minutes).sum::<u32>()) / 60.0
        )?;
    }
    match plan.projected_end {
        Some(end) => writeln!(out, "Projected finish: {end}")?,
        None => writeln!(out, "Projected finish: none (nothing could be scheduled)")?,
    }
    if plan.feasible {
        writeln!(out, "Feasible: yes")?;
    } else {
        writeln!(out, "Feasible: no")?;
        for u in &plan.unscheduled {
            writeln!(
                out,
                "  not scheduled: {} ({} min): {}",
                u.topic, u.minutes, u.reason
            )?;
        }
        for fix in &plan.fixes {
            match fix {
                Fix::MoreHours {
                    extra_hours_per_week,
                } => writeln!(
                    out,
                    "  fix: study {extra_hours_per_week:.1} more hours a week"
                )?,
                Fix::LaterTarget { months: Some(m) } => writeln!(out, "  fix: aim for {m} months")?,
                Fix::LaterTarget { months: None } => writeln!(
                    out,
                    "  fix: no target of 24 months or less is met with this availability"
                )?,
                Fix::DropOptional {
                    topics,
                    hours,
                    enough,
                } => writeln!(
                    out,
                    "  fix: drop the {} optional topics ({hours:.0} h){}",
                    topics.len(),
                    if *enough {
                        ", which alone meets the target"
                    } else {
                        ", which alone is not enough"
                    }
                )?,
            }
        }
    }
    writeln!(out, "Milestones:")?;
    for m in &plan.milestones {
        let title = roadmap
            .steps
            .iter()
            .find(|s| s.id == m.step)
            .map_or(m.step.as_str(), |s| s.title.as_str());
        writeln!(out, "  {:<32} {}", title, m.date)?;
    }
    writeln!(out, "{} sessions; the first week:", plan.sessions.len())?;
    let first_week = plan.sessions.first().map(|s| s.date.iso_week());
    for s in plan
        .sessions
        .iter()
        .take_while(|s| Some(s.date.iso_week()) == first_week)
    {
        writeln!(
            out,
            "  {} {} {:>3} min  {}",
            s.date.format("%a %Y-%m-%d"),
            s.start,
            s.minutes,
            s.topic
        )?;
    }
    Ok(())
}

pub fn hours(minutes: u32) -> String {
    format!("{:.1} h", f64::from(minutes) / 60.0)
}

pub fn print_forecast(
    out: &mut dyn Write,
    f: &roadmap_core::api::ForecastView,
) -> std::io::Result<()> {
    let day = |d: Option<chrono::NaiveDate>| {
        d.map_or_else(|| "not within 20 years".to_string(), |d| d.to_string())
    };
    writeln!(
        out,
        "Forecast as of {} ({} simulated futures)",
        f.as_of, f.runs
    )?;
    writeln!(out, "  The plan's own finish: {}", day(f.naive_end))?;
    writeln!(out, "  50 % likely by:        {}", day(f.p50))?;
    writeln!(out, "  80 % likely by:        {}", day(f.p80))?;
    writeln!(out, "  90 % likely by:        {}", day(f.p90))?;
    writeln!(out, "  {}", f.story)?;
    match f.adherence {
        Some(a) => writeln!(
            out,
            "  You studied {:.0} % of the hours you planned, week by week.",
            100.0 * a
        )?,
        None => writeln!(
            out,
            "  No whole week studied yet: your share of planned hours is assumed."
        )?,
    }
    if !f.evidence {
        writeln!(
            out,
            "  Nothing to learn your pace from yet (a whole week, or a finished topic): the band comes from the roadmap's ranges alone."
        )?;
    }
    writeln!(
        out,
        "  Pace by skill area (your hours over the roadmap's estimate):"
    )?;
    for p in &f.pace {
        writeln!(
            out,
            "    {:<28} {:.2}×  ({:.0} h of finished topics)",
            p.name, p.factor, p.evidence_hours
        )?;
    }
    Ok(())
}

pub fn print_status(
    out: &mut dyn Write,
    plan: &PlanView,
    week: &WeekView,
    all_topics: bool,
) -> std::io::Result<()> {
    let p = &plan.progress;
    writeln!(out, "{}", plan.roadmap_title)?;
    let target = plan
        .target_end
        .map_or("no target".to_string(), |t| format!("target {t}"));
    let projected = plan
        .projected_end
        .map_or("nothing planned".to_string(), |d| {
            format!("projected finish {d}")
        });
    writeln!(
        out,
        "Start {}, {target}, {projected}{}",
        plan.settings.start,
        if plan.on_track {
            ""
        } else {
            " (behind the target)"
        }
    )?;
    writeln!(
        out,
        "Progress: {} of {} topics, {} of {}",
        p.topics_done,
        p.topics_total,
        hours(p.minutes_done),
        hours(p.minutes_total)
    )?;
    writeln!(
        out,
        "This week ({}): {} of {} done; goal {}",
        week.week,
        hours(week.done_minutes),
        hours(week.planned_minutes),
        hours(week.goal.target_minutes)
    )?;
    for s in &week.sessions {
        let status = match s.status {
            SessionStatus::Planned => "",
            SessionStatus::Done => "  [done]",
            SessionStatus::Partial => "  [partly]",
            SessionStatus::Missed => "  [missed]",
            SessionStatus::Cancelled => "  [cancelled]",
        };
        writeln!(
            out,
            "  #{:<5} {} {} {:>3} min  {}{}{status}",
            s.id,
            s.date.format("%a %Y-%m-%d"),
            s.start,
            s.minutes,
            if s.kind == SessionKind::Review {
                "review: "
            } else {
                ""
            },
            s.topic
        )?;
    }
    writeln!(out, "Steps:")?;
    for (i, s) in plan.steps.iter().enumerate() {
        let milestone = s.milestone.map_or("-".to_string(), |d| d.to_string());
        writeln!(
            out,
            "{:>2}. {:<32} milestone {milestone}  ({}/{} topics)",
            i + 1,
            s.title,
            s.topics_done,
            s.topics_total
        )?;
    }
    if all_topics {
        writeln!(out, "Topics:")?;
        for t in &plan.topics {
            let state = match t.state {
                TopicState::NotStarted => "not started",
                TopicState::InProgress => "in progress",
                TopicState::Done => "done",
                TopicState::Skipped => "skipped",
            };
            writeln!(
                out,
                "  {:<28} {state:<11} {} of {}",
                t.id,
                hours(t.done_minutes),
                hours(t.planned_minutes)
            )?;
        }
    }
    Ok(())
}

pub fn print_replan(out: &mut dyn Write, r: &ReplanPreview, dry_run: bool) -> std::io::Result<()> {
    let date = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    writeln!(
        out,
        "{} from {}:",
        if dry_run {
            "Replan (dry run)"
        } else {
            "Replanned"
        },
        r.from
    )?;
    writeln!(
        out,
        "  finish {} -> {} (target {}){}",
        date(r.projected_end_before),
        date(r.projected_end),
        date(r.target_end),
        if r.on_track {
            ""
        } else {
            ", behind the target"
        }
    )?;
    writeln!(
        out,
        "  {:.1} -> {:.1} h a week ({})",
        r.hours_per_week_before, r.hours_per_week, r.availability
    )?;
    writeln!(
        out,
        "  {} sessions move, {} added, {} cancelled",
        r.moved, r.added, r.cancelled
    )?;
    if !r.dropped.is_empty() {
        writeln!(out, "  optional topics left out: {}", r.dropped.join(", "))?;
    }
    if r.unscheduled_minutes > 0 {
        writeln!(out, "  {} not placed at all", hours(r.unscheduled_minutes))?;
    }
    print_changes(out, &r.changes, 24)
}

/// The sessions a change moves, by the week they come into (or were in, when they go), at most `most`
/// lines of them: `topic  Mon 2027-02-01 19:00 (120 min) -> Tue 2027-02-02 19:00`.
pub fn print_changes(
    out: &mut dyn Write,
    changes: &[SessionChange],
    most: usize,
) -> std::io::Result<()> {
    let place = |p: &SessionPlace| {
        format!(
            "{} {} {} ({} min)",
            p.date.format("%a"),
            p.date,
            p.start,
            p.minutes
        )
    };
    let week = |c: &SessionChange| {
        c.after
            .as_ref()
            .or(c.before.as_ref())
            .map(|p| roadmap_core::clock::monday_of(p.date))
    };
    let mut sorted: Vec<&SessionChange> = changes.iter().collect();
    sorted.sort_by_key(|c| (week(c), c.id));
    let mut last = None;
    for c in sorted.iter().take(most) {
        if week(c) != last {
            last = week(c);
            if let Some(monday) = last {
                writeln!(out, "  week of {monday}:")?;
            }
        }
        let what = match (&c.before, &c.after) {
            (Some(b), Some(a)) => format!("{} -> {}", place(b), place(a)),
            (Some(b), None) => format!("{} -> cancelled", place(b)),
            (None, Some(a)) => format!("added {}", place(a)),
            (None, None) => continue,
        };
        writeln!(out, "    {}  {what}", terminal_text(&c.topic))?;
    }
    if sorted.len() > most {
        writeln!(out, "  ... and {} more", sorted.len() - most)?;
    }
    Ok(())
}

/// Writes `value` as pretty JSON and a newline, as it is made, in 64 KiB pieces: a plan at
/// 1,000 topics is over a megabyte, which a whole-document buffer grew to by copying itself,
/// and a line-buffered terminal would take a line at a time.
pub fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// [`json`] for a plan: the same bytes, its long lists written by hand (see
/// `roadmap_core::schedule::json`).
pub fn plan_json(out: &mut dyn Write, plan: &Plan) -> Result<(), CliError> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    roadmap_core::schedule::json::write_plan(plan, &mut buffered)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}
