//! Roadmap content: the TOML format described in `content/README.md`, parsed and validated.
//!
//! Loading is two passes. The first lets serde read the TOML into raw structs that keep the
//! byte span of every value and refuse unknown fields; the second checks what serde cannot
//! (references, duplicates, cycles, ranges) and reports *every* problem it finds, each with the
//! file, line and column it is about. Nothing here panics on any input: the property tests in
//! `tests/it/content.rs` feed it random bytes and mutations of the real file.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde::{Deserialize, Serialize};
use toml::Spanned;

mod edit;
mod fast;

pub use crate::api::{HoursSpec, NewTopic, ResourceSpec, TopicChange, TopicEdit};
pub use edit::{MAX_EDITS, OWN_PREFIX, PLAN_ROADMAP_NAME, own_id};

/// The roadmap that ships with the app.
pub const BUNDLED_ROADMAP: &str = include_str!("../../../content/backend-developer.toml");
/// The name error messages use for the bundled roadmap.
pub const BUNDLED_ROADMAP_NAME: &str = "content/backend-developer.toml";

/// A validated roadmap: every reference resolves, ids are unique, prerequisites form no cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roadmap {
    pub title: String,
    pub description: String,
    pub skills: Vec<Skill>,
    pub steps: Vec<Step>,
    /// The topics of this roadmap as chosen: shared ones and those of each choice's chosen
    /// option, every `requires` naming a topic among them.
    pub topics: Vec<Topic>,
    /// The choices the roadmap offers (a language track, say), each with the option in force.
    pub choices: Vec<Choice>,
    /// Every topic, those of options not chosen included, as written (a `requires` may name a
    /// choice's role): what [`Roadmap::choose`] resolves again.
    #[serde(skip)]
    all: Option<Arc<Vec<Topic>>>,
    /// Each topic's position by id, so [`Roadmap::topic`] is a lookup, not a search: views and
    /// exports call it inside loops over every session.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// A choice the roadmap offers: one of its options is studied, each a set of topics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub options: Vec<ChoiceOption>,
    /// The option in force (the first, unless chosen otherwise).
    pub chosen: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    pub id: String,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skill {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub milestone: Option<Milestone>,
}

/// The project that closes a step, and how the learner knows it is finished.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub title: String,
    pub criteria: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub id: String,
    pub step: String,
    pub title: String,
    pub summary: String,
    pub hours: Hours,
    pub skills: Vec<String>,
    pub requires: Vec<String>,
    pub optional: bool,
    /// Whether a finished topic gets spaced review sessions (`review = false` opts out, for
    /// a project milestone, say).
    pub review: bool,
    pub resources: Vec<Resource>,
    /// The option of a choice this topic belongs to; `None` for a shared topic.
    pub option: Option<String>,
    /// What the topic stands for within its option (`testing`, say), so that a `requires`
    /// can name `choice.role`: the chosen option's topic of that role.
    pub role: Option<String>,
}

/// An effort estimate in hours; `low <= expected <= high`, all positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hours {
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub title: String,
    pub url: String,
    pub kind: ResourceKind,
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Docs,
    Book,
    Course,
    Video,
    Article,
    Tutorial,
    Exercise,
}

/// One problem in a roadmap file, located by 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every problem found in a roadmap file, in the order they appear in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl Roadmap {
    /// Parses and validates a roadmap. `file` only names the source in error messages.
    pub fn parse(file: &str, text: &str) -> Result<Roadmap, ContentErrors> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ContentErrors(vec![ContentError {
                file: file.to_string(),
                line: 1,
                column: 1,
                message: format!(
                    "the file is {:.1} MB; a roadmap file is at most {} MB (split the roadmap, or check that this is the right file)",
                    text.len() as f64 / 1_048_576.0,
                    MAX_FILE_BYTES / 1_048_576
                ),
            }]));
        }
        let locator = Locator::new(file, text);
        // The common case, read without the `toml` crate; anything it declines, and any file
        // with a problem, is read again below so that errors are worded in one place.
        if let Some(raw) = fast::parse(text)
            && let Ok(roadmap) = Validator::new(&locator).validate(raw)
        {
            return Ok(roadmap);
        }
        parse_toml(&locator, text)
    }

    /// The roadmap bundled with the app. It is validated by the test suite, so a failure here
    /// means the build itself is broken; callers still get an error rather than a panic.
    pub fn bundled() -> Result<Roadmap, ContentErrors> {
        Roadmap::parse(BUNDLED_ROADMAP_NAME, BUNDLED_ROADMAP)
    }

    /// A roadmap from its parts (the parser's way, and tests'), with its index.
    pub fn new(
        title: String,
        description: String,
        skills: Vec<Skill>,
        steps: Vec<Step>,
        topics: Vec<Topic>,
    ) -> Roadmap {
        let index = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        Roadmap {
            title,
            description,
            skills,
            steps,
            topics,
            choices: Vec::new(),
            all: None,
            index,
        }
    }

    /// A roadmap with `choices`, from `all` its topics, resolved for each choice's `chosen`
    /// option: the topics of the other options left out, and each `choice.role` in a
    /// `requires` replaced by the chosen option's topic of that role. The topics are checked
    /// by the validator first.
    fn with_choices(
        title: String,
        description: String,
        skills: Vec<Skill>,
        steps: Vec<Step>,
        choices: Vec<Choice>,
        all: Arc<Vec<Topic>>,
    ) -> Roadmap {
        let chosen: HashSet<&str> = choices.iter().map(|c| c.chosen.as_str()).collect();
        let option_of: HashMap<&str, &Choice> = choices
            .iter()
            .flat_map(|c| c.options.iter().map(move |o| (o.id.as_str(), c)))
            .collect();
        let mut by_role: HashMap<(&str, &str), &str> = HashMap::new();
        for t in all.iter() {
            if let (Some(o), Some(r)) = (&t.option, &t.role)
                && chosen.contains(o.as_str())
                && let Some(c) = option_of.get(o.as_str())
            {
                by_role.insert((c.id.as_str(), r.as_str()), t.id.as_str());
            }
        }
        let topics = all
            .iter()
            .filter(|t| t.option.as_deref().is_none_or(|o| chosen.contains(o)))
            .map(|t| Topic {
                requires: t
                    .requires
                    .iter()
                    .map(|r| match r.split_once('.') {
                        Some((c, role)) => by_role
                            .get(&(c, role))
                            .map_or_else(|| r.clone(), |id| (*id).to_string()),
                        None => r.clone(),
                    })
                    .collect(),
                ..t.clone()
            })
            .collect();
        let mut roadmap = Roadmap::new(title, description, skills, steps, topics);
        roadmap.choices = choices;
        roadmap.all = Some(all);
        roadmap
    }

    /// This roadmap with `option` chosen for the choice that offers it; refused for an
    /// option no choice offers.
    pub fn choose(&self, option: &str) -> Result<Roadmap, crate::CoreError> {
        let known: Vec<&str> = self
            .choices
            .iter()
            .flat_map(|c| c.options.iter().map(|o| o.id.as_str()))
            .collect();
        let mut choices = self.choices.clone();
        let (Some(all), Some(choice)) = (
            &self.all,
            choices
                .iter_mut()
                .find(|c| c.options.iter().any(|o| o.id == option)),
        ) else {
            return Err(crate::CoreError::NotFound(if known.is_empty() {
                format!("the roadmap offers no choice, so there is no option {option:?}")
            } else {
                format!(
                    "the roadmap has no option {option:?}; its options are {}",
                    known.join(", ")
                )
            }));
        };
        choice.chosen = option.to_string();
        Ok(Roadmap::with_choices(
            self.title.clone(),
            self.description.clone(),
            self.skills.clone(),
            self.steps.clone(),
            choices,
            Arc::clone(all),
        ))
    }

    /// This roadmap with each of `options` chosen (option ids, one per choice at most; a
    /// choice not named keeps its first option); `None` when that is this roadmap as it is.
    pub fn chosen(&self, options: &[String]) -> Result<Option<Roadmap>, crate::CoreError> {
        let defaults = self
            .choices
            .iter()
            .all(|c| c.options.first().is_some_and(|o| o.id == c.chosen));
        if options.is_empty() && defaults {
            return Ok(None);
        }
        let mut roadmap: Option<Roadmap> = None;
        // From the defaults, so the result depends on `options` alone.
        for c in &self.choices {
            if let Some(first) = c.options.first() {
                roadmap = Some(roadmap.as_ref().unwrap_or(self).choose(&first.id)?);
            }
        }
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for option in options {
            roadmap = Some(roadmap.as_ref().unwrap_or(self).choose(option)?);
            if let Some(c) = self
                .choices
                .iter()
                .find(|c| c.options.iter().any(|o| &o.id == option))
                && let Some(other) = seen.insert(c.id.as_str(), option.as_str())
            {
                return Err(crate::CoreError::InvalidSettings(format!(
                    "options {other:?} and {option:?} are both of the choice {:?}; choose one",
                    c.id
                )));
            }
        }
        Ok(roadmap)
    }

    /// Each option of each choice: the choice, the option, and the expected hours of the
    /// roadmap with that option chosen.
    pub fn options_hours(&self) -> Vec<(&Choice, &ChoiceOption, f64)> {
        self.choices
            .iter()
            .flat_map(|c| c.options.iter().map(move |o| (c, o)))
            .map(|(c, o)| {
                let hours = self.choose(&o.id).map_or(0.0, |r| r.total_hours());
                (c, o, hours)
            })
            .collect()
    }

    /// The topic with this id, or else the topic of an option not chosen with this id: what a
    /// plan's history (study recorded on a track it left) is titled by.
    pub fn any_topic(&self, id: &str) -> Option<&Topic> {
        self.topic(id)
            .or_else(|| self.all.as_ref()?.iter().find(|t| t.id == id))
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.position(id).map(|i| &self.topics[i])
    }

    /// Where the topic with this id is in `topics`.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        match self.index.get(id) {
            Some(&i) if self.topics.get(i).is_some_and(|t| t.id == id) => Some(i),
            // `topics` is public: should someone have changed it since, search.
            _ => self.topics.iter().position(|t| t.id == id),
        }
    }

    pub fn topics_of<'a>(&'a self, step: &'a str) -> impl Iterator<Item = &'a Topic> + 'a {
        self.topics.iter().filter(move |t| t.step == step)
    }

    /// Expected hours of the topics that are not optional.
    pub fn required_hours(&self) -> f64 {
        self.topics
            .iter()
            .filter(|t| !t.optional)
            .map(|t| t.hours.expected)
            .sum()
    }

    /// Expected hours of every topic, optional ones included.
    pub fn total_hours(&self) -> f64 {
        self.topics.iter().map(|t| t.hours.expected).sum()
    }
}

/// A roadmap read by the `toml` crate, which words every error, and validated.
fn parse_toml(locator: &Locator<'_>, text: &str) -> Result<Roadmap, ContentErrors> {
    let raw: RawRoadmap = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ContentErrors(vec![locator.error(&span, parse_message(e.message()))])
    })?;
    Validator::new(locator).validate(raw)
}

// ---------------------------------------------------------------------------------------------
// Raw form: what serde reads, spans kept, unknown fields refused.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoadmap {
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    skills: Vec<RawSkill>,
    #[serde(default)]
    steps: Vec<RawStep>,
    #[serde(default)]
    topics: Vec<RawTopic>,
    #[serde(default)]
    choices: Vec<RawChoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    options: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkill {
    id: Spanned<String>,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    summary: String,
    milestone: Option<Spanned<RawMilestone>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    title: Spanned<String>,
    #[serde(default)]
    criteria: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    step: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    summary: String,
    hours: Spanned<toml::Value>,
    skills: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    optional: bool,
    #[serde(default = "yes")]
    review: bool,
    #[serde(default)]
    resources: Vec<Spanned<RawResource>>,
    #[serde(default)]
    option: Option<Spanned<String>>,
    #[serde(default)]
    role: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResource {
    title: Spanned<String>,
    url: Spanned<String>,
    kind: ResourceKind,
    minutes: Option<Spanned<i64>>,
}

/// Whether `text` is a link a browser can open: parsed by a real URL parser, `http` or
/// `https`, with a host, and written as it parses (no spaces or other characters a parser
/// would have to guess about). `Err` says what is wrong.
fn web_address(text: &str) -> Result<(), &'static str> {
    if text.len() > MAX_URL_CHARS {
        return Err("is longer than 2,048 characters");
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("has spaces or control characters in it");
    }
    let url = url::Url::parse(text).map_err(|_| "is not a web address")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("is not an http or https address");
    }
    match url.host_str() {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err("has no host"),
    }
}

// ---------------------------------------------------------------------------------------------
// Locating spans and wording parse errors.

/// Turns byte offsets into 1-based line and column (columns count characters, not bytes).
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
    /// Where each line starts, found the first time a location is asked for: a file without
    /// problems is never searched for its lines.
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Locator<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Locator {
            file,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The 1-based line of a byte offset: a binary search, cheap at any size.
    fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts().partition_point(|&s| s <= offset).max(1)
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        self.positions(&[offset])[0]
    }

    /// Lines and columns of many offsets in one pass over the text, so that a file with many
    /// problems on one long line costs the length of the file, not that times the problems.
    /// `offsets` must be sorted.
    fn positions(&self, offsets: &[usize]) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(offsets.len());
        // The last position found: its line, the byte it stands at and its column there.
        let mut at: Option<(usize, usize, usize)> = None;
        for &offset in offsets {
            let offset = offset.min(self.text.len());
            let line = self.line(offset);
            let start = self.line_starts()[line - 1];
            let (from, column) = match at {
                Some((l, byte, column)) if l == line && byte <= offset => (byte, column),
                _ => (start, 1),
            };
            // A span from the parser may point inside a multi-byte character in malformed
            // input: count only whole characters before it.
            let ahead = self
                .text
                .get(from..)
                .unwrap_or("")
                .char_indices()
                .take_while(|(i, _)| from + i < offset)
                .count();
            let column = column + ahead;
            // Where that count stopped: the start of the character at or after `offset`.
            let byte = self
                .text
                .get(from..)
                .unwrap_or("")
                .char_indices()
                .nth(ahead)
                .map_or(self.text.len(), |(i, _)| from + i);
            at = Some((line, byte, column));
            out.push((line, column));
        }
        out
    }

    fn error(&self, span: &Range<usize>, message: impl Into<String>) -> ContentError {
        let (line, column) = self.position(span.start);
        ContentError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// The TOML library's messages are good but end with a newline and say nothing about what to
/// do about an unknown field; make them one line and add the hint.
fn parse_message(message: &str) -> String {
    let one_line = message.trim().replace('\n', " ");
    if one_line.starts_with("unknown field") {
        format!("{one_line}; check the spelling, or remove the field")
    } else if one_line.starts_with("missing field") {
        format!("{one_line}; add it to this table")
    } else {
        one_line
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: the checks serde cannot make.

/// The most problems one file reports: a hostile or badly broken file gets the first ones and
/// a count of the rest, never an error list (or a wait) as long as the file.
pub const MAX_REPORTED_ERRORS: usize = 100;

struct Validator<'a> {
    locator: &'a Locator<'a>,
    /// Each problem at the byte it is about; located only when reported.
    errors: Vec<(usize, String)>,
}

impl<'a> Validator<'a> {
    fn new(locator: &'a Locator<'a>) -> Self {
        Validator {
            locator,
            errors: Vec::new(),
        }
    }

    fn report(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.errors.push((span.start, message.into()));
    }

    /// The problems in file order, located in one pass, at most [`MAX_REPORTED_ERRORS`] of
    /// them and a last one that counts the rest.
    fn located(mut self) -> ContentErrors {
        self.errors.sort_by_key(|(offset, _)| *offset);
        let total = self.errors.len();
        let shown = total.min(MAX_REPORTED_ERRORS);
        let mut offsets: Vec<usize> = self.errors.iter().take(shown).map(|(o, _)| *o).collect();
        if total > shown {
            offsets.push(self.errors[shown].0);
        }
        let positions = self.locator.positions(&offsets);
        let file = self.locator.file.to_string();
        let mut out: Vec<ContentError> = self
            .errors
            .into_iter()
            .take(shown)
            .zip(&positions)
            .map(|((_, message), &(line, column))| ContentError {
                file: file.clone(),
                line,
                column,
                message,
            })
            .collect();
        if total > shown
            && let Some(&(line, column)) = positions.last()
        {
            out.push(ContentError {
                file,
                line,
                column,
                message: format!(
                    "and {} more problems from here on, not listed; fix the ones above first",
                    total - shown
                ),
            });
        }
        ContentErrors(out)
    }

    /// Checks a required title: not blank, printable, at most [`MAX_TITLE_CHARS`].
    fn text(&mut self, value: &Spanned<String>, what: &str) {
        self.text_within(value, what, MAX_TITLE_CHARS);
    }

    /// Checks a required text: not blank, printable, at most `limit` characters.
    fn text_within(&mut self, value: &Spanned<String>, what: &str, limit: usize) {
        if value.get_ref().trim().is_empty() {
            self.report(&value.span(), format!("{what} is empty; write some text"));
        }
        self.printable(&value.span(), value.get_ref(), what);
        self.length(&value.span(), value.get_ref(), limit, what);
    }

    /// Refuses text longer than `limit` characters.
    fn length(&mut self, span: &Range<usize>, text: &str, limit: usize, what: &str) {
        // Counting stops just past the limit, so a huge value costs no more than a short one.
        if text.len() > limit && text.chars().take(limit + 1).count() > limit {
            self.report(
                span,
                format!("{what} is longer than {limit} characters; shorten it"),
            );
        }
    }

    /// Refuses more than `limit` items, pointing at the first one too many.
    fn at_most(&mut self, mut spans: impl Iterator<Item = Range<usize>>, limit: usize, what: &str) {
        if let Some(span) = spans.nth(limit) {
            self.report(
                &span,
                format!("a roadmap holds at most {limit} {what}; this is one too many (split the roadmap)"),
            );
        }
    }

    /// Refuses control characters (NUL, BEL, ESC…): calendar files may not carry them, and in
    /// a terminal they can retitle the window or change its colours. Line breaks and tabs are
    /// text. `span` is where to point, which for an unlocated field is its table's title.
    fn printable(&mut self, span: &Range<usize>, text: &str, what: &str) {
        // Printable ASCII, the common case, in one pass over the bytes.
        if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return;
        }
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.report(
                span,
                format!(
                    "{what} contains the control character U+{:04X}; remove it",
                    u32::from(c)
                ),
            );
        }
    }

    /// Checks an id; returns it as messages name it (cut short when too long).
    fn id<'v>(&mut self, value: &'v Spanned<String>, what: &str) -> &'v str {
        let id = value.get_ref();
        if id.len() > MAX_ID_CHARS {
            self.report(
                &value.span(),
                format!("{what} id is longer than {MAX_ID_CHARS} characters; shorten it"),
            );
            let end = id
                .char_indices()
                .nth(MAX_ID_CHARS)
                .map_or(id.len(), |(i, _)| i);
            return &id[..end];
        }
        let valid = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            self.report(
                &value.span(),
                format!(
                    "{what} id {id:?} is not valid; use lowercase letters, digits and hyphens, \
                     starting with a letter or digit (for example \"sql-basics\")"
                ),
            );
        }
        id
    }

    fn unique<'v>(&mut self, ids: impl Iterator<Item = &'v Spanned<String>>, what: &str) {
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.get_ref().as_str()) {
                let line = self.locator.line(first.start);
                self.report(
                    &id.span(),
                    format!(
                        "duplicate {what} id {:?} (first defined on line {line}); give each {what} its own id",
                        id.get_ref()
                    ),
                );
            } else {
                seen.insert(id.get_ref(), id.span());
            }
        }
    }

    fn validate(mut self, raw: RawRoadmap) -> Result<Roadmap, ContentErrors> {
        self.text(&raw.title, "the roadmap title");
        self.unique(raw.skills.iter().map(|s| &s.id), "skill");
        self.unique(raw.steps.iter().map(|s| &s.id), "step");
        self.unique(raw.topics.iter().map(|t| &t.id), "topic");

        if raw.steps.is_empty() {
            self.report(
                &raw.title.span(),
                "the roadmap has no steps; add at least one [[steps]] table",
            );
        }
        if raw.topics.is_empty() {
            self.report(
                &raw.title.span(),
                "the roadmap has no topics; add at least one [[topics]] table",
            );
        }

        self.at_most(raw.skills.iter().map(|s| s.id.span()), MAX_SKILLS, "skills");
        self.at_most(raw.steps.iter().map(|s| s.id.span()), MAX_STEPS, "steps");
        self.at_most(raw.topics.iter().map(|t| t.id.span()), MAX_TOPICS, "topics");

        for s in &raw.skills {
            self.id(&s.id, "skill");
            self.text(&s.name, "the skill name");
        }
        for s in &raw.steps {
            self.step(s);
        }

        let skill_ids: HashSet<&str> = raw.skills.iter().map(|s| s.id.get_ref().as_str()).collect();
        let step_ids: HashSet<&str> = raw.steps.iter().map(|s| s.id.get_ref().as_str()).collect();
        let topic_ids: HashSet<&str> = raw.topics.iter().map(|t| t.id.get_ref().as_str()).collect();

        let hours: Vec<Hours> = raw
            .topics
            .iter()
            .map(|t| self.topic(t, &skill_ids, &step_ids, &topic_ids))
            .collect();
        drop((skill_ids, step_ids, topic_ids));
        self.choices(&raw);
        self.cycles(&raw.topics, &raw.choices);
        self.printable(
            &raw.title.span(),
            &raw.description,
            "the roadmap description",
        );
        self.length(
            &raw.title.span(),
            &raw.description,
            MAX_TEXT_CHARS,
            "the roadmap description",
        );
        let total: f64 = hours.iter().map(|h| h.expected).sum();
        if total > MAX_TOTAL_HOURS {
            self.report(
                &raw.title.span(),
                format!(
                    "the topics add up to {total:.0} expected hours; a roadmap holds at most {MAX_TOTAL_HOURS:.0} (split it into several roadmaps)"
                ),
            );
        }

        if !self.errors.is_empty() {
            return Err(self.located());
        }
        // Checked: the roadmap is the raw one's text, moved, not copied.
        let skills = raw
            .skills
            .into_iter()
            .map(|s| Skill {
                id: s.id.into_inner(),
                name: s.name.into_inner(),
            })
            .collect();
        let steps = raw.steps.into_iter().map(step).collect();
        let topics: Vec<Topic> = raw
            .topics
            .into_iter()
            .zip(hours)
            .map(|(t, hours)| topic(t, hours))
            .collect();
        if raw.choices.is_empty() {
            return Ok(Roadmap::new(
                raw.title.into_inner(),
                raw.description,
                skills,
                steps,
                topics,
            ));
        }
        let choices = raw
            .choices
            .into_iter()
            .map(|c| {
                let options: Vec<ChoiceOption> = c
                    .options
                    .into_iter()
                    .map(|o| ChoiceOption {
                        id: o.id.into_inner(),
                        title: o.title.into_inner(),
                        summary: o.summary,
                    })
                    .collect();
                Choice {
                    id: c.id.into_inner(),
                    title: c.title.into_inner(),
                    summary: c.summary,
                    chosen: options.first().map(|o| o.id.clone()).unwrap_or_default(),
                    options,
                }
            })
            .collect();
        Ok(Roadmap::with_choices(
            raw.title.into_inner(),
            raw.description,
            skills,
            steps,
            choices,
            Arc::new(topics),
        ))
    }

    fn step(&mut self, raw: &RawStep) {
        if let Some(m) = &raw.milestone {
            let inner = m.get_ref();
            if inner.criteria.is_empty() {
                self.report(
                    &m.span(),
                    "the milestone has no acceptance criteria; add a `criteria` list",
                );
            }
            self.text(&inner.title, "the milestone title");
            for c in &inner.criteria {
                self.text_within(c, "an acceptance criterion", MAX_TEXT_CHARS);
            }
        }
        self.printable(&raw.title.span(), &raw.summary, "the step summary");
        self.length(
            &raw.title.span(),
            &raw.summary,
            MAX_TEXT_CHARS,
            "the step summary",
        );
        self.id(&raw.id, "step");
        self.text(&raw.title, "the step title");
    }

    fn topic(
        &mut self,
        raw: &RawTopic,
        skill_ids: &HashSet<&str>,
        step_ids: &HashSet<&str>,
        topic_ids: &HashSet<&str>,
    ) -> Hours {
        let id = self.id(&raw.id, "topic");
        if !step_ids.contains(raw.step.get_ref().as_str()) {
            self.report(
                &raw.step.span(),
                format!(
                    "topic {id:?} is in unknown step {:?}; use the id of a [[steps]] table",
                    raw.step.get_ref()
                ),
            );
        }
        if raw.skills.get_ref().is_empty() {
            self.report(
                &raw.skills.span(),
                format!("topic {id:?} has no skills; list at least one skill id"),
            );
        }
        for skill in raw.skills.get_ref() {
            if !skill_ids.contains(skill.get_ref().as_str()) {
                self.report(
                    &skill.span(),
                    format!(
                        "topic {id:?} names unknown skill {:?}; use the id of a [[skills]] table",
                        skill.get_ref()
                    ),
                );
            }
        }
        for req in &raw.requires {
            if req.get_ref() == raw.id.get_ref() {
                self.report(
                    &req.span(),
                    format!("topic {id:?} requires itself; remove it from `requires`"),
                );
            } else if !req.get_ref().contains('.') && !topic_ids.contains(req.get_ref().as_str()) {
                self.report(
                    &req.span(),
                    format!(
                        "topic {id:?} requires unknown topic {:?}; use the id of a [[topics]] table",
                        req.get_ref()
                    ),
                );
            }
        }
        for r in &raw.resources {
            self.resource(r);
        }
        self.printable(&raw.title.span(), &raw.summary, "the topic summary");
        self.length(
            &raw.title.span(),
            &raw.summary,
            MAX_TEXT_CHARS,
            "the topic summary",
        );
        self.at_most(
            raw.resources.iter().map(|r| r.span()),
            MAX_RESOURCES,
            "resources per topic",
        );
        self.text(&raw.title, "the topic title");
        self.hours(&raw.hours, id)
    }

    fn resource(&mut self, raw: &Spanned<RawResource>) {
        let r = raw.get_ref();
        let url = r.url.get_ref();
        if let Err(why) = web_address(url) {
            self.report(
                &r.url.span(),
                format!("resource link {url:?} {why}; write a full https:// link such as https://example.org/guide"),
            );
        }
        if let Some(m) = &r.minutes
            && resource_minutes(m).is_none()
        {
            self.report(
                &m.span(),
                format!(
                    "resource length {} minutes is not a positive whole number; fix it or leave `minutes` out",
                    m.get_ref()
                ),
            );
        }
        self.text(&r.title, "the resource title");
    }

    fn hours(&mut self, raw: &Spanned<toml::Value>, topic: &str) -> Hours {
        let span = raw.span();
        let number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let fallback = Hours {
            low: 1.0,
            expected: 1.0,
            high: 1.0,
        };
        let hours = match raw.get_ref() {
            v @ (toml::Value::Integer(_) | toml::Value::Float(_)) => {
                let h = number(v).unwrap_or(0.0);
                Hours {
                    low: h,
                    expected: h,
                    high: h,
                }
            }
            toml::Value::Table(table) => {
                let mut parts = [0.0; 3];
                let mut ok = true;
                for (i, key) in ["low", "expected", "high"].iter().enumerate() {
                    match table.get(*key).map(number) {
                        Some(Some(v)) => parts[i] = v,
                        Some(None) => {
                            self.report(
                                &span,
                                format!("topic {topic:?}: hours.{key} is not a number"),
                            );
                            ok = false;
                        }
                        None => {
                            self.report(
                                &span,
                                format!(
                                    "topic {topic:?}: hours has no `{key}`; write {{ low = .., expected = .., high = .. }} or a single number"
                                ),
                            );
                            ok = false;
                        }
                    }
                }
                if let Some(extra) = table
                    .keys()
                    .find(|k| !["low", "expected", "high"].contains(&k.as_str()))
                {
                    self.report(
                        &span,
                        format!(
                            "topic {topic:?}: unknown field `{extra}` in hours; use only low, expected and high"
                        ),
                    );
                    ok = false;
                }
                if !ok {
                    return fallback;
                }
                Hours {
                    low: parts[0],
                    expected: parts[1],
                    high: parts[2],
                }
            }
            _ => {
                self.report(
                    &span,
                    format!(
                        "topic {topic:?}: hours must be a number or a table {{ low = .., expected = .., high = .. }}"
                    ),
                );
                return fallback;
            }
        };
        let all = [hours.low, hours.expected, hours.high];
        if all.iter().any(|h| !h.is_finite() || *h <= 0.0) {
            self.report(
                &span,
                format!("topic {topic:?}: hours must be positive numbers"),
            );
        } else if all.iter().any(|h| *h > MAX_TOPIC_HOURS) {
            self.report(
                &span,
                format!(
                    "topic {topic:?}: more than {MAX_TOPIC_HOURS} hours for one topic; split it into smaller topics"
                ),
            );
        } else if hours.low > hours.expected || hours.expected > hours.high {
            self.report(
                &span,
                format!(
                    "topic {topic:?}: hours must satisfy low <= expected <= high (got {} / {} / {})",
                    hours.low, hours.expected, hours.high
                ),
            );
        }
        hours
    }

    /// Reports each prerequisite cycle once, naming every topic in it.
    /// The choices and what topics say of them: ids, two to eight options each, option ids
    /// unique across the roadmap; a topic's `option` names one, a `role` only within an
    /// option and once per option; a `requires` of `choice.role` names a choice whose every
    /// option has that role, and a topic of an option is required by id only from the same
    /// option (from elsewhere, by its role).
    fn choices(&mut self, raw: &RawRoadmap) {
        self.unique(raw.choices.iter().map(|c| &c.id), "choice");
        self.unique(
            raw.choices
                .iter()
                .flat_map(|c| c.options.iter().map(|o| &o.id)),
            "option",
        );
        self.at_most(
            raw.choices.iter().map(|c| c.id.span()),
            MAX_CHOICES,
            "choices",
        );
        let mut option_choice: HashMap<&str, &str> = HashMap::new();
        for c in &raw.choices {
            self.id(&c.id, "choice");
            self.text(&c.title, "the choice title");
            self.printable(&c.title.span(), &c.summary, "the choice summary");
            self.length(
                &c.title.span(),
                &c.summary,
                MAX_TEXT_CHARS,
                "the choice summary",
            );
            if !(2..=MAX_OPTIONS).contains(&c.options.len()) {
                self.report(
                    &c.id.span(),
                    format!(
                        "choice {:?} offers {} option{}; a choice offers 2 to {MAX_OPTIONS} ([[choices.options]] tables)",
                        c.id.get_ref(),
                        c.options.len(),
                        if c.options.len() == 1 { "" } else { "s" }
                    ),
                );
            }
            for o in &c.options {
                self.id(&o.id, "option");
                self.text(&o.title, "the option title");
                self.printable(&o.title.span(), &o.summary, "the option summary");
                self.length(
                    &o.title.span(),
                    &o.summary,
                    MAX_TEXT_CHARS,
                    "the option summary",
                );
                option_choice.insert(o.id.get_ref(), c.id.get_ref());
            }
        }
        let topic_option: HashMap<&str, Option<&str>> = raw
            .topics
            .iter()
            .map(|t| {
                (
                    t.id.get_ref().as_str(),
                    t.option.as_ref().map(|o| o.get_ref().as_str()),
                )
            })
            .collect();
        // (option, role) → topic
        let mut roles: HashMap<(&str, &str), &str> = HashMap::new();
        for t in &raw.topics {
            let id = t.id.get_ref().as_str();
            if let Some(o) = &t.option
                && !option_choice.contains_key(o.get_ref().as_str())
            {
                self.report(
                    &o.span(),
                    format!(
                        "topic {id:?} is in unknown option {:?}; use the id of a [[choices.options]] table",
                        o.get_ref()
                    ),
                );
            }
            if let Some(r) = &t.role {
                self.id(r, "role");
                match &t.option {
                    None => self.report(
                        &r.span(),
                        format!("topic {id:?} has a role but no option; a role names a topic within an option"),
                    ),
                    Some(o) => {
                        if let Some(first) =
                            roles.insert((o.get_ref().as_str(), r.get_ref().as_str()), id)
                        {
                            self.report(
                                &r.span(),
                                format!(
                                    "topics {first:?} and {id:?} both have role {:?} in option {:?}; give each role to one topic",
                                    r.get_ref(),
                                    o.get_ref()
                                ),
                            );
                        }
                    }
                }
            }
        }
        for t in &raw.topics {
            let id = t.id.get_ref().as_str();
            let own = t.option.as_ref().map(|o| o.get_ref().as_str());
            for req in &t.requires {
                let text = req.get_ref().as_str();
                if let Some((choice, role)) = text.split_once('.') {
                    let Some(c) = raw.choices.iter().find(|c| c.id.get_ref() == choice) else {
                        self.report(
                            &req.span(),
                            format!(
                                "topic {id:?} requires {text:?}, but the roadmap has no choice {choice:?}; write `choice.role` with the id of a [[choices]] table"
                            ),
                        );
                        continue;
                    };
                    let missing: Vec<&str> = c
                        .options
                        .iter()
                        .map(|o| o.id.get_ref().as_str())
                        .filter(|o| !roles.contains_key(&(*o, role)))
                        .collect();
                    if !missing.is_empty() {
                        self.report(
                            &req.span(),
                            format!(
                                "topic {id:?} requires {text:?}, but option {} has no topic with role {role:?}; give one topic of each option that role",
                                missing.join(", ")
                            ),
                        );
                    }
                } else if let Some(Some(theirs)) = topic_option.get(text)
                    && own != Some(*theirs)
                {
                    self.report(
                        &req.span(),
                        format!(
                            "topic {id:?} requires {text:?}, which only option {theirs:?} has; require it by its role (`choice.role`) instead, or put both in the same option"
                        ),
                    );
                }
            }
        }
    }

    fn cycles(&mut self, topics: &[RawTopic], choices: &[RawChoice]) {
        let index: HashMap<&str, usize> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.get_ref().as_str(), i))
            .collect();
        // `choice.role` stands for each option's topic of that role: a cycle through any of
        // them is one some learner's choice would meet.
        let mut role_topics: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in topics.iter().enumerate() {
            if let (Some(o), Some(r)) = (&t.option, &t.role)
                && let Some(c) = choices
                    .iter()
                    .find(|c| c.options.iter().any(|x| x.id.get_ref() == o.get_ref()))
            {
                role_topics
                    .entry(format!("{}.{}", c.id.get_ref(), r.get_ref()))
                    .or_default()
                    .push(i);
            }
        }
        // Each topic's edges: (the topic it requires, which `requires` entry says so).
        let edges: Vec<Vec<(usize, usize)>> = topics
            .iter()
            .map(|t| {
                t.requires
                    .iter()
                    .enumerate()
                    .flat_map(|(r, req)| {
                        let text = req.get_ref().as_str();
                        let deps: Vec<usize> = match index.get(text) {
                            Some(&d) => vec![d],
                            None => role_topics.get(text).cloned().unwrap_or_default(),
                        };
                        deps.into_iter().map(move |d| (d, r))
                    })
                    .collect()
            })
            .collect();
        // 0 = unvisited, 1 = on the current path, 2 = finished.
        let mut state = vec![0u8; topics.len()];
        let mut reported: HashSet<Vec<usize>> = HashSet::new();
        for root in 0..topics.len() {
            if state[root] != 0 {
                continue;
            }
            // Iterative depth-first search, so a very deep prerequisite chain cannot overflow
            // the stack.
            let mut path: Vec<usize> = vec![root];
            let mut next_edge: Vec<usize> = vec![0];
            state[root] = 1;
            while let Some(&node) = path.last() {
                let edge = next_edge.last().copied().unwrap_or(0);
                let requires = &topics[node].requires;
                if edge < edges[node].len() {
                    if let Some(n) = next_edge.last_mut() {
                        *n += 1;
                    }
                    let (dep, entry) = edges[node][edge];
                    if dep == node {
                        continue; // Reported as "requires itself".
                    }
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            path.push(dep);
                            next_edge.push(0);
                        }
                        1 => {
                            let from = path.iter().position(|&p| p == dep).unwrap_or(0);
                            let cycle: Vec<usize> = path[from..].to_vec();
                            let mut key = cycle.clone();
                            key.sort_unstable();
                            if reported.insert(key) {
                                let names: Vec<&str> = cycle
                                    .iter()
                                    .chain(std::iter::once(&dep))
                                    .map(|&i| topics[i].id.get_ref().as_str())
                                    .collect();
                                self.report(
                                    &requires[entry].span(),
                                    format!(
                                        "prerequisite cycle: {}; remove one of these `requires` entries",
                                        names.join(" requires ")
                                    ),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    path.pop();
                    next_edge.pop();
                }
            }
        }
    }
}

/// A step as checked: its text moved from the raw one.
fn step(raw: RawStep) -> Step {
    Step {
        id: raw.id.into_inner(),
        title: raw.title.into_inner(),
        summary: raw.summary,
        milestone: raw.milestone.map(|m| {
            let m = m.into_inner();
            Milestone {
                title: m.title.into_inner(),
                criteria: m.criteria.into_iter().map(Spanned::into_inner).collect(),
            }
        }),
    }
}

/// A topic as checked, with the hours validation read.
fn topic(raw: RawTopic, hours: Hours) -> Topic {
    Topic {
        id: raw.id.into_inner(),
        step: raw.step.into_inner(),
        title: raw.title.into_inner(),
        summary: raw.summary,
        hours,
        skills: raw
            .skills
            .into_inner()
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        requires: raw.requires.into_iter().map(Spanned::into_inner).collect(),
        optional: raw.optional,
        review: raw.review,
        option: raw.option.map(Spanned::into_inner),
        role: raw.role.map(Spanned::into_inner),
        resources: raw
            .resources
            .into_iter()
            .map(|r| {
                let r = r.into_inner();
                Resource {
                    minutes: r.minutes.as_ref().and_then(resource_minutes),
                    title: r.title.into_inner(),
                    url: r.url.into_inner(),
                    kind: r.kind,
                }
            })
            .collect(),
    }
}

/// A resource's length in minutes, when it is a positive whole number.
fn resource_minutes(m: &Spanned<i64>) -> Option<u32> {
    u32::try_from(*m.get_ref()).ok().filter(|v| *v > 0)
}

/// A single topic longer than this is almost certainly a typo (or should be split).
pub const MAX_TOPIC_HOURS: f64 = 1000.0;

// Limits that a real roadmap never meets and a hostile one always does. Each is refused with
// a located message. Together they keep every sum of minutes a plan makes within a `u32`
// (10,000 topics of at most 1,000 hours are 6 × 10⁸ minutes).

/// The largest roadmap file read: the bundled one is about 40 KB.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_TOPICS: usize = 10_000;
/// The most choices a roadmap offers, and options a choice offers.
pub const MAX_CHOICES: usize = 4;
pub const MAX_OPTIONS: usize = 8;
pub const MAX_STEPS: usize = 200;
pub const MAX_SKILLS: usize = 200;
/// Resources of one topic.
pub const MAX_RESOURCES: usize = 100;
/// The roadmap's expected hours, all topics together: more than a decade of full-time study.
pub const MAX_TOTAL_HOURS: f64 = 100_000.0;
pub const MAX_ID_CHARS: usize = 64;
/// Titles and names.
pub const MAX_TITLE_CHARS: usize = 300;
/// Summaries, descriptions and acceptance criteria.
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_URL_CHARS: usize = 2_048;

// --- What the window shows of a roadmap (the types live in `api`) ---------------------------

impl crate::api::RoadmapView {
    pub fn new(r: &Roadmap, source: &str, notice: Option<String>) -> Self {
        crate::api::RoadmapView {
            source: source.to_string(),
            notice,
            title: r.title.clone(),
            description: r.description.clone(),
            steps: r
                .steps
                .iter()
                .map(|s| crate::api::StepView {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    summary: s.summary.clone(),
                    topic_count: crate::api::count(r.topics_of(&s.id).count()),
                    expected_hours: r.topics_of(&s.id).map(|t| t.hours.expected).sum(),
                    topics: r
                        .topics_of(&s.id)
                        .map(|t| crate::api::StepTopicView {
                            id: t.id.clone(),
                            title: t.title.clone(),
                            summary: t.summary.clone(),
                            optional: t.optional,
                            expected_hours: t.hours.expected,
                            low_hours: t.hours.low,
                            high_hours: t.hours.high,
                            skills: t.skills.clone(),
                            requires: t.requires.clone(),
                            resources: t
                                .resources
                                .iter()
                                .map(|r| crate::api::ResourceView {
                                    title: r.title.clone(),
                                    url: r.url.clone(),
                                    kind: serde_json::to_value(r.kind)
                                        .ok()
                                        .and_then(|v| v.as_str().map(str::to_string))
                                        .unwrap_or_default(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            topic_count: crate::api::count(r.topics.len()),
            expected_hours: r.total_hours(),
            skills: r
                .skills
                .iter()
                .map(|s| crate::api::SkillView {
                    id: s.id.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            choices: r
                .choices
                .iter()
                .map(|c| crate::api::ChoiceView {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    summary: c.summary.clone(),
                    default: c.chosen.clone(),
                    options: c
                        .options
                        .iter()
                        .map(|o| {
                            let with = r.choose(&o.id).ok();
                            crate::api::OptionView {
                                id: o.id.clone(),
                                title: o.title.clone(),
                                summary: o.summary.clone(),
                                expected_hours: with.as_ref().map_or(0.0, Roadmap::total_hours),
                                topics: with
                                    .iter()
                                    .flat_map(|w| w.topics.iter())
                                    .filter(|t| t.option.as_deref() == Some(o.id.as_str()))
                                    .map(|t| t.title.clone())
                                    .collect(),
                                topic_ids: with
                                    .iter()
                                    .flat_map(|w| w.topics.iter())
                                    .filter(|t| t.option.as_deref() == Some(o.id.as_str()))
                                    .map(|t| t.id.clone())
                                    .collect(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&crate::content::ContentErrors> for Vec<crate::api::LocatedError> {
    fn from(errors: &crate::content::ContentErrors) -> Self {
        errors
            .0
            .iter()
            .map(|e| crate::api::LocatedError {
                file: e.file.clone(),
                line: crate::api::count(e.line),
                column: crate::api::count(e.column),
                message: e.message.clone(),
            })
            .collect()
    }
}
