//! The learner's changes to their plan's copy of its roadmap: topics added, changed or removed.
//!
//! A plan keeps its edits as a list ([`crate::api::PlanSettings::edits`]), applied in order to
//! its roadmap as resolved for its track ([`Roadmap::for_plan`]). Kept as edits rather than as
//! a second copy of the file, they survive a track switch and an update of the bundled
//! roadmap, and each can be taken back on its own. The roadmap they give is written out as a
//! roadmap file and read back through the same reader and validator as any file
//! ([`Roadmap::to_toml`], [`Roadmap::parse`]): an edit that would break a rule (a prerequisite
//! cycle, an unknown step or skill, hours out of range) is refused with the validator's own
//! sentence.

use std::fmt::Write as _;
use std::sync::Arc;

use super::{Hours, Resource, Roadmap, Topic};
use crate::CoreError;
use crate::api::{HoursSpec, ResourceSpec, TopicEdit};

/// The prefix of the id of every topic a learner adds: no bundled topic has it, so an update of
/// the bundled roadmap never takes a learner's topic's id.
pub const OWN_PREFIX: &str = "own-";
/// The most edits a plan keeps.
pub const MAX_EDITS: usize = 500;
/// The name error messages give the plan's own roadmap.
pub const PLAN_ROADMAP_NAME: &str = "your plan's roadmap";

impl Roadmap {
    /// This roadmap as a plan with these options `chosen` and these `edits` has it: resolved
    /// for the options from every topic as written, then edited. Refused, with the validator's
    /// sentence, when an edit breaks a rule or names a topic the roadmap does not have.
    pub fn for_plan(&self, chosen: &[String], edits: &[TopicEdit]) -> Result<Roadmap, CoreError> {
        // From the roadmap as written (this one may be resolved or edited already).
        let base = match &self.all {
            Some(all) => {
                let mut choices = self.choices.clone();
                for c in &mut choices {
                    if let Some(first) = c.options.first() {
                        c.chosen = first.id.clone();
                    }
                }
                Roadmap::with_choices(
                    self.title.clone(),
                    self.description.clone(),
                    self.skills.clone(),
                    self.steps.clone(),
                    choices,
                    Arc::clone(all),
                )
            }
            None => self.clone(),
        };
        let resolved = match base.chosen(chosen)? {
            Some(r) => r,
            None => base,
        };
        if edits.is_empty() {
            return Ok(resolved);
        }
        resolved.edited(edits)
    }

    /// This roadmap with `edits` applied, validated as a file.
    fn edited(&self, edits: &[TopicEdit]) -> Result<Roadmap, CoreError> {
        if edits.len() > MAX_EDITS {
            return Err(CoreError::InvalidSettings(format!(
                "a plan keeps at most {MAX_EDITS} changes to its roadmap (it has {})",
                edits.len()
            )));
        }
        let written = |id: &str| {
            self.all
                .as_ref()
                .is_some_and(|a| a.iter().any(|t| t.id == id))
        };
        let mut topics = self.topics.clone();
        for edit in edits {
            let at = topics.iter().position(|t| t.id == edit.topic());
            match (edit, at) {
                (TopicEdit::Add { topic }, None) => topics.push(Topic {
                    id: topic.id.clone(),
                    step: topic.step.clone(),
                    title: topic.title.clone(),
                    summary: topic.summary.clone(),
                    hours: hours(topic.hours),
                    skills: topic.skills.clone(),
                    requires: topic.requires.clone(),
                    optional: topic.optional,
                    review: true,
                    resources: resources(&topic.resources)?,
                    option: None,
                    role: None,
                }),
                (TopicEdit::Add { topic }, Some(_)) => {
                    return Err(CoreError::InvalidSettings(format!(
                        "the roadmap already has a topic {:?}; give the new topic another id",
                        topic.id
                    )));
                }
                (TopicEdit::Change { change, .. }, Some(i)) => {
                    let t = &mut topics[i];
                    if let Some(v) = &change.title {
                        t.title = v.clone();
                    }
                    if let Some(v) = &change.summary {
                        t.summary = v.clone();
                    }
                    if let Some(v) = change.hours {
                        t.hours = hours(v);
                    }
                    if let Some(v) = &change.requires {
                        t.requires = v.clone();
                    }
                    if let Some(v) = &change.resources {
                        t.resources = resources(v)?;
                    }
                }
                (TopicEdit::Remove { .. }, Some(i)) => {
                    topics.remove(i);
                }
                // A topic of a track not chosen: the edit waits for that track.
                (TopicEdit::Change { id, .. } | TopicEdit::Remove { id }, None) if written(id) => {}
                (TopicEdit::Change { id, .. } | TopicEdit::Remove { id }, None) => {
                    return Err(CoreError::NotFound(format!(
                        "the plan's roadmap has no topic {id:?}"
                    )));
                }
            }
        }
        let mut plain = self.clone();
        plain.topics = topics;
        let text = plain.to_toml();
        let mut parsed = Roadmap::parse(PLAN_ROADMAP_NAME, &text).map_err(|errors| {
            CoreError::InvalidSettings(
                errors
                    .0
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        // The file has no choices: each topic keeps its option and role, and the roadmap its
        // choices and every topic as written, so the track can still be switched.
        for t in &mut parsed.topics {
            if let Some(before) = plain.topic(&t.id) {
                t.option.clone_from(&before.option);
                t.role.clone_from(&before.role);
            }
        }
        parsed.choices = self.choices.clone();
        parsed.all = Some(match &self.all {
            Some(all) => Arc::clone(all),
            None => Arc::new(self.topics.clone()),
        });
        Ok(parsed)
    }

    /// This roadmap as a roadmap file, choices resolved (a plain file of its topics as they
    /// are): what `roadmap validate` and [`Roadmap::parse`] read back to the same topics.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Written by Roadmap Planner: a plan's own roadmap.");
        let _ = writeln!(out, "title = {}", quoted(&self.title));
        let _ = writeln!(out, "description = {}", quoted(&self.description));
        for s in &self.skills {
            let _ = writeln!(
                out,
                "\n[[skills]]\nid = {}\nname = {}",
                quoted(&s.id),
                quoted(&s.name)
            );
        }
        for s in &self.steps {
            let _ = writeln!(
                out,
                "\n[[steps]]\nid = {}\ntitle = {}\nsummary = {}",
                quoted(&s.id),
                quoted(&s.title),
                quoted(&s.summary)
            );
            if let Some(m) = &s.milestone {
                let _ = writeln!(
                    out,
                    "\n[steps.milestone]\ntitle = {}\ncriteria = {}",
                    quoted(&m.title),
                    list(&m.criteria)
                );
            }
        }
        for t in &self.topics {
            let _ = writeln!(
                out,
                "\n[[topics]]\nid = {}\nstep = {}\ntitle = {}\nsummary = {}",
                quoted(&t.id),
                quoted(&t.step),
                quoted(&t.title),
                quoted(&t.summary)
            );
            let _ = writeln!(
                out,
                "hours = {{ low = {}, expected = {}, high = {} }}",
                t.hours.low, t.hours.expected, t.hours.high
            );
            let _ = writeln!(out, "skills = {}", list(&t.skills));
            if !t.requires.is_empty() {
                let _ = writeln!(out, "requires = {}", list(&t.requires));
            }
            if t.optional {
                let _ = writeln!(out, "optional = true");
            }
            if !t.review {
                let _ = writeln!(out, "review = false");
            }
            if !t.resources.is_empty() {
                let _ = writeln!(out, "resources = [");
                for r in &t.resources {
                    let kind = serde_json::to_value(r.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let minutes = r
                        .minutes
                        .map_or(String::new(), |m| format!(", minutes = {m}"));
                    let _ = writeln!(
                        out,
                        "  {{ title = {}, url = {}, kind = {}{minutes} }},",
                        quoted(&r.title),
                        quoted(&r.url),
                        quoted(&kind)
                    );
                }
                let _ = writeln!(out, "]");
            }
        }
        out
    }
}

fn hours(h: HoursSpec) -> Hours {
    Hours {
        low: h.low,
        expected: h.expected,
        high: h.high,
    }
}

fn resources(specs: &[ResourceSpec]) -> Result<Vec<Resource>, CoreError> {
    specs
        .iter()
        .map(|r| {
            let kind = serde_json::from_value(serde_json::Value::String(r.kind.clone())).map_err(|_| {
                CoreError::InvalidSettings(format!(
                    "resource {:?}: kind {:?} is not one of docs, book, course, video, article, tutorial, exercise",
                    r.title, r.kind
                ))
            })?;
            Ok(Resource {
                title: r.title.clone(),
                url: r.url.clone(),
                kind,
                minutes: None,
            })
        })
        .collect()
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// An id for a topic titled `title`, of the learner's own: `own-` and the title's words in
/// lower case joined by dashes, numbered when `taken`.
pub fn own_id(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = format!(
        "{OWN_PREFIX}{}",
        if slug.is_empty() { "topic" } else { slug }
    );
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}
