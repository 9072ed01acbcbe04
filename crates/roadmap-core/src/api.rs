//! Every type that crosses the IPC boundary, declared once.
//!
//! Each derives `TS`; `cargo test -p roadmap-core` writes their TypeScript twins into
//! `ui/src/bindings/` (see `.cargo/config.toml`), and `make test` fails when the committed
//! bindings differ from the generated ones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::content::Roadmap;

/// The `source` of the roadmap that ships with the app.
pub const BUNDLED_SOURCE: &str = "bundled";

/// What the UI needs to show a roadmap before any plan exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoadmapView {
    /// Where the roadmap comes from: [`BUNDLED_SOURCE`], or the path of a file the user opened.
    pub source: String,
    /// Something the user should know about how this roadmap was chosen, if anything.
    pub notice: Option<String>,
    pub title: String,
    pub description: String,
    pub steps: Vec<StepView>,
    pub topic_count: u32,
    pub expected_hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub topic_count: u32,
    pub expected_hours: f64,
}

impl RoadmapView {
    pub fn new(r: &Roadmap, source: &str, notice: Option<String>) -> Self {
        RoadmapView {
            source: source.to_string(),
            notice,
            title: r.title.clone(),
            description: r.description.clone(),
            steps: r
                .steps
                .iter()
                .map(|s| StepView {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    summary: s.summary.clone(),
                    topic_count: count(r.topics_of(&s.id).count()),
                    expected_hours: r.topics_of(&s.id).map(|t| t.hours.expected).sum(),
                })
                .collect(),
            topic_count: count(r.topics.len()),
            expected_hours: r.total_hours(),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What opening a roadmap file came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RoadmapFileOutcome {
    /// The file is valid and is now the roadmap plans are made from.
    Loaded { roadmap: RoadmapView },
    /// The file does not validate; nothing changed.
    Invalid {
        file: String,
        errors: Vec<LocatedError>,
    },
    /// The user closed the file dialog without choosing a file.
    Cancelled,
}

/// One problem in a file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LocatedError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl From<&crate::content::ContentErrors> for Vec<LocatedError> {
    fn from(errors: &crate::content::ContentErrors) -> Self {
        errors
            .0
            .iter()
            .map(|e| LocatedError {
                file: e.file.clone(),
                line: count(e.line),
                column: count(e.column),
                message: e.message.clone(),
            })
            .collect()
    }
}

/// The user's choices when creating a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanSettings {
    /// First day of study.
    pub start: NaiveDate,
    /// Target duration in months, 6 to 24.
    pub months: u32,
}

/// A plan as saved and shown: its settings and when each step happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanView {
    pub id: i64,
    /// When the plan was created, RFC 3339 in UTC.
    pub created_at: String,
    pub roadmap_title: String,
    pub settings: PlanSettings,
    /// The day after the last day of the plan (start plus the target months).
    pub target_end: NaiveDate,
    pub steps: Vec<StepSpan>,
}

/// When one step of the roadmap is studied: `start` to `end`, both inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepSpan {
    pub step: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub hours: f64,
}

/// The error every command returns. The UI switches on `kind`, never on `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An argument out of range or malformed; the message names it.
    InvalidInput,
    /// A roadmap file that does not validate.
    Content,
    /// The database could not be opened or written.
    Database,
    /// The file at the database path is not a Roadmap Planner database.
    NotADatabase,
    /// The database was written by a newer version of the app.
    DatabaseTooNew,
    /// Reading or writing a file failed.
    Io,
    /// Something asked for does not exist.
    NotFound,
    /// A failure inside the app itself (for example a command the window may not call).
    Internal,
}

/// The plan setup screen's question: what would a plan with these settings look like?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPreviewRequest {
    pub start: NaiveDate,
    pub months: Option<u32>,
    /// Weekly windows in the `mon=19:00-21:00,sat=09:00-13:00` syntax; `None` to have one
    /// proposed.
    pub availability: Option<String>,
    /// Blocked-out periods, `YYYY-MM-DD..YYYY-MM-DD` or a single date.
    pub blackouts: Vec<String>,
    pub session_min: u32,
    pub session_max: u32,
    pub include_optional: bool,
}

/// The answer: feasibility at a glance, and fixes the user can apply with one click.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPreview {
    pub feasible: bool,
    pub target_end: Option<NaiveDate>,
    pub projected_end: Option<NaiveDate>,
    pub required_hours_per_week: Option<f64>,
    pub available_hours_per_week: f64,
    /// The windows used, proposed when the request had none.
    pub availability: String,
    pub availability_proposed: bool,
    pub session_count: u32,
    /// Topics that could not be placed at all.
    pub unscheduled_count: u32,
    pub fixes: Vec<PlanFix>,
}

/// What would make a missed target feasible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanFix {
    /// Study this many more hours a week (spread over the existing or new windows).
    MoreHours { extra_hours_per_week: f64 },
    /// Aim for this many months instead (`None`: more than 24 months are needed).
    LaterTarget { months: Option<u32> },
    /// Leave out the optional topics; `enough` says whether that alone meets the target.
    DropOptional {
        topics: Vec<String>,
        hours: f64,
        enough: bool,
    },
}

impl PlanPreviewRequest {
    /// Runs the scheduler for this request.
    pub fn preview(&self, roadmap: &Roadmap) -> Result<PlanPreview, crate::CoreError> {
        use crate::schedule::availability::{Availability, Blackout};
        use crate::schedule::planner::{self, PlanRequest};

        let mut req = PlanRequest::new(roadmap, self.start);
        req.months = self.months;
        req.availability = self
            .availability
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map(Availability::parse)
            .transpose()?;
        req.blackouts = self
            .blackouts
            .iter()
            .filter(|b| !b.trim().is_empty())
            .map(|b| Blackout::parse(b))
            .collect::<Result<_, _>>()?;
        req.session_min = self.session_min;
        req.session_max = self.session_max;
        req.include_optional = self.include_optional;
        let plan = planner::plan(&req)?;
        Ok(PlanPreview {
            feasible: plan.feasible,
            target_end: plan.target_end,
            projected_end: plan.projected_end,
            required_hours_per_week: plan.required_hours_per_week,
            available_hours_per_week: plan.available_hours_per_week,
            availability: plan.availability,
            availability_proposed: plan.availability_proposed,
            session_count: count(plan.sessions.len()),
            unscheduled_count: count(plan.unscheduled.len()),
            fixes: plan.fixes,
        })
    }
}
