//! A reader for the part of TOML that roadmap files are written in, used before the `toml`
//! crate and only when it can say for certain what that crate would read.
//!
//! Reading a 1,000-topic roadmap with the `toml` crate was a third of the whole `roadmap plan`
//! process (its parser keeps every token and span, then serde walks a second tree). This reader
//! goes over the text once and builds the raw roadmap straight from a small tree. It declines
//! (returns `None`) at the first thing outside its subset or outside the roadmap's schema:
//! quoted or dotted keys, multi-line strings, escapes other than the common ones, numbers with
//! signs, underscores or exponents, dates, a table defined twice, a duplicate or unknown key, a
//! missing field, a value of the wrong type, nesting deeper than a roadmap needs. A declined
//! file is read by the `toml` crate, which also words every error; so is a file this reader
//! accepted but validation refused, so that every error message and location comes from one
//! place. A property test feeds both readers random roadmaps, written in every style and then
//! mutated, and requires the same result.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;

use super::{
    RawChoice, RawMilestone, RawOption, RawResource, RawRoadmap, RawSkill, RawStep, RawTopic,
    ResourceKind,
};

/// The raw roadmap in `text`, or `None` when the `toml` crate must read it.
pub(super) fn parse(text: &str) -> Option<RawRoadmap> {
    let root = Reader::new(text).document()?;
    roadmap(root)
}

/// More keys than any table of a roadmap has: keeps key lookups short on hostile input.
const MAX_KEYS: usize = 16;
/// Arrays and inline tables nested deeper than this are declined (a roadmap needs 2).
const MAX_DEPTH: usize = 4;
/// Header names with more parts than this are declined (a roadmap needs 2).
const MAX_HEADER_PARTS: usize = 3;

enum Node<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<(Range<usize>, Node<'a>)>),
    /// A table written inline (`{ … }`): closed once written.
    Inline(Table<'a>),
    /// A table opened by a `[header]`: the keys after it go in it.
    Header(Table<'a>),
    /// An array of tables made by `[[header]]`s.
    Tables(Vec<(Range<usize>, Table<'a>)>),
}

struct Table<'a> {
    entries: Vec<(&'a str, Range<usize>, Node<'a>)>,
}

impl Default for Table<'_> {
    /// Room for a topic's keys, so that filling one does not grow it twice.
    fn default() -> Self {
        Table {
            entries: Vec::with_capacity(8),
        }
    }
}

impl<'a> Table<'a> {
    fn get_mut(&mut self, key: &str) -> Option<&mut Node<'a>> {
        self.entries
            .iter_mut()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, node)| node)
    }

    /// Adds a key, declining a duplicate or one key too many.
    fn insert(&mut self, key: &'a str, span: Range<usize>, node: Node<'a>) -> Option<()> {
        if self.entries.len() >= MAX_KEYS || self.entries.iter().any(|(k, _, _)| *k == key) {
            return None;
        }
        self.entries.push((key, span, node));
        Some(())
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment from `#` to the end of the line (not eaten). Declines control characters,
    /// which TOML does not allow in comments.
    fn comment(&mut self) -> Option<()> {
        if !self.eat(b'#') {
            return Some(());
        }
        while let Some(b) = self.peek() {
            match b {
                b'\n' => break,
                b'\r' if self.bytes.get(self.at + 1) == Some(&b'\n') => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
            self.at += 1;
        }
        Some(())
    }

    /// The end of a line (LF or CRLF) or of the text.
    fn line_end(&mut self) -> Option<()> {
        if self.eat(b'\n') || self.at == self.bytes.len() {
            return Some(());
        }
        if self.peek() == Some(b'\r') && self.bytes.get(self.at + 1) == Some(&b'\n') {
            self.at += 2;
            return Some(());
        }
        None
    }

    /// Spaces, an optional comment and the end of the line.
    fn rest_of_line(&mut self) -> Option<()> {
        self.spaces();
        self.comment()?;
        self.line_end()
    }

    /// Spaces, comments and line ends, as allowed between the values of an array.
    fn blank(&mut self) -> Option<()> {
        loop {
            self.spaces();
            self.comment()?;
            match self.peek() {
                Some(b'\n' | b'\r') => self.line_end()?,
                _ => return Some(()),
            }
        }
    }

    fn bare_key(&mut self) -> Option<&'a str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')
        ) {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    fn document(mut self) -> Option<Table<'a>> {
        if self.text.starts_with('\u{feff}') {
            return None;
        }
        let mut root = Table::default();
        // The keys up to the first header go in the root, then each header's in its table.
        let mut current: Vec<&'a str> = Vec::new();
        loop {
            if !self.keys(table_at(&mut root, &current)?)? {
                return Some(root);
            }
            let (path, array, span) = self.header()?;
            open(&mut root, &path, array, span)?;
            current = path;
        }
    }

    /// The `key = value` lines (and blank and comment lines) up to the next header, into
    /// `table`: `Some(true)` at a header, `Some(false)` at the end of the text.
    fn keys(&mut self, table: &mut Table<'a>) -> Option<bool> {
        loop {
            self.spaces();
            match self.peek() {
                None => return Some(false),
                Some(b'#' | b'\n' | b'\r') => self.rest_of_line()?,
                Some(b'[') => return Some(true),
                Some(_) => {
                    let key = self.bare_key()?;
                    self.spaces();
                    if !self.eat(b'=') {
                        return None;
                    }
                    self.spaces();
                    let (span, node) = self.value(0)?;
                    self.rest_of_line()?;
                    table.insert(key, span, node)?;
                }
            }
        }
    }

    /// `[a.b]` or `[[a.b]]` and the rest of its line: the path, whether it adds to an array of
    /// tables, and the header's span.
    fn header(&mut self) -> Option<(Vec<&'a str>, bool, Range<usize>)> {
        let start = self.at;
        self.eat(b'[');
        let array = self.eat(b'[');
        let mut path = vec![self.bare_key()?];
        while self.eat(b'.') {
            if path.len() >= MAX_HEADER_PARTS {
                return None;
            }
            path.push(self.bare_key()?);
        }
        if !self.eat(b']') || (array && !self.eat(b']')) {
            return None;
        }
        let span = start..self.at;
        self.rest_of_line()?;
        Some((path, array, span))
    }

    fn value(&mut self, depth: usize) -> Option<(Range<usize>, Node<'a>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        let node = match self.peek()? {
            b'"' => Node::Str(self.basic_string()?),
            b'\'' => Node::Str(Cow::Borrowed(self.literal_string()?)),
            b'0'..=b'9' => self.number()?,
            b't' | b'f' => {
                let word = self.bare_key()?;
                self.delimited()?;
                match word {
                    "true" => Node::Bool(true),
                    "false" => Node::Bool(false),
                    _ => return None,
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.blank()?;
                    if self.eat(b']') {
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                    self.blank()?;
                    if self.eat(b']') {
                        break;
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
                Node::Array(items)
            }
            b'{' => {
                self.at += 1;
                let mut table = Table::default();
                self.spaces();
                if !self.eat(b'}') {
                    loop {
                        let key = self.bare_key()?;
                        self.spaces();
                        if !self.eat(b'=') {
                            return None;
                        }
                        self.spaces();
                        let (span, node) = self.value(depth + 1)?;
                        table.insert(key, span, node)?;
                        self.spaces();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                        self.spaces();
                    }
                }
                Node::Inline(table)
            }
            _ => return None,
        };
        Some((start..self.at, node))
    }

    /// What may follow a number or a boolean.
    fn delimited(&self) -> Option<()> {
        match self.peek() {
            None | Some(b' ' | b'\t' | b',' | b']' | b'}' | b'#' | b'\n' | b'\r') => Some(()),
            _ => None,
        }
    }

    /// `0`, `25`, `1.5`: no sign, underscore, exponent or leading zero.
    fn number(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at - from
        };
        let whole = digits(self);
        if whole > 1 && self.bytes[start] == b'0' {
            return None;
        }
        let float = self.eat(b'.');
        if float && digits(self) == 0 {
            return None;
        }
        self.delimited()?;
        let text = &self.text[start..self.at];
        // Longer numbers than a roadmap writes are left to the `toml` crate's own rules.
        if text.len() > 15 {
            return None;
        }
        if float {
            text.parse().ok().map(Node::Float)
        } else {
            text.parse().ok().map(Node::Int)
        }
    }

    /// A one-line basic string; borrowed when it has no escapes.
    fn basic_string(&mut self) -> Option<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            match self.peek()? {
                b'"' => {
                    let end = self.at;
                    self.at += 1;
                    return Some(match owned {
                        None => Cow::Borrowed(&self.text[start..end]),
                        Some(mut s) => {
                            s.push_str(&self.text[run..end]);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.at]);
                    let escaped = match self.bytes.get(self.at + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        _ => return None,
                    };
                    s.push(escaped);
                    self.at += 2;
                    run = self.at;
                }
                b'\t' => self.at += 1,
                0..=0x1f | 0x7f => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A one-line literal string (`'…'`): no escapes.
    fn literal_string(&mut self) -> Option<&'a str> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek()? {
                b'\'' => {
                    self.at += 1;
                    return Some(&self.text[start..self.at - 1]);
                }
                b'\t' => self.at += 1,
                0..=0x1f | 0x7f => return None,
                _ => self.at += 1,
            }
        }
    }
}

/// The table the path names, walking through the last table of each array of tables.
fn table_at<'t, 'a>(root: &'t mut Table<'a>, path: &[&'a str]) -> Option<&'t mut Table<'a>> {
    let mut table = root;
    for key in path {
        table = match table.get_mut(key)? {
            Node::Header(t) => t,
            Node::Tables(list) => &mut list.last_mut()?.1,
            _ => return None,
        };
    }
    Some(table)
}

/// Opens the table a header names: a new table at the end of an array of tables, or a table
/// defined for the first time. Declines anything TOML would refuse or define implicitly.
fn open<'a>(root: &mut Table<'a>, path: &[&'a str], array: bool, span: Range<usize>) -> Option<()> {
    let (last, parents) = path.split_last()?;
    let parent = table_at(root, parents)?;
    match (parent.get_mut(last), array) {
        (Some(Node::Tables(list)), true) => {
            list.push((span, Table::default()));
            Some(())
        }
        (Some(_), _) => None,
        (None, true) => {
            let list = vec![(span.clone(), Table::default())];
            parent.insert(last, span, Node::Tables(list))
        }
        (None, false) => parent.insert(last, span, Node::Header(Table::default())),
    }
}

// ---------------------------------------------------------------------------------------------
// The tree as the roadmap's raw form: exactly what serde would accept, or `None`.

/// The fields of one table, each taken at most once; anything left over is an unknown field.
struct Fields<'a> {
    entries: Vec<Option<(&'a str, Range<usize>, Node<'a>)>>,
}

impl<'a> Fields<'a> {
    fn new(table: Table<'a>) -> Self {
        Fields {
            entries: table.entries.into_iter().map(Some).collect(),
        }
    }

    fn take(&mut self, key: &str) -> Option<(Range<usize>, Node<'a>)> {
        self.entries
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|(k, _, _)| *k == key))
            .and_then(Option::take)
            .map(|(_, span, node)| (span, node))
    }

    /// Declines when a field was not taken (serde's `deny_unknown_fields`).
    fn done(self) -> Option<()> {
        self.entries.iter().all(Option::is_none).then_some(())
    }

    fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        match self.take(key)? {
            (span, Node::Str(s)) => Some(Spanned::new(span, s.into_owned())),
            _ => None,
        }
    }

    /// An optional field: `Some(None)` when absent, `None` (decline) when of the wrong type.
    fn maybe<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(Range<usize>, Node<'a>) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.take(key) {
            None => Some(None),
            Some((span, node)) => read(span, node).map(Some),
        }
    }
}

fn text(_: Range<usize>, node: Node<'_>) -> Option<String> {
    match node {
        Node::Str(s) => Some(s.into_owned()),
        _ => None,
    }
}

fn boolean(_: Range<usize>, node: Node<'_>) -> Option<bool> {
    match node {
        Node::Bool(b) => Some(b),
        _ => None,
    }
}

fn strings(node: Node<'_>) -> Option<Vec<Spanned<String>>> {
    let Node::Array(items) = node else {
        return None;
    };
    // Sized up front: collecting into `Option` cannot know the length.
    let mut out = Vec::with_capacity(items.len());
    for (span, item) in items {
        match item {
            Node::Str(s) => out.push(Spanned::new(span, s.into_owned())),
            _ => return None,
        }
    }
    Some(out)
}

/// An array of tables, written either way (`[[header]]`s or an array of inline tables).
fn tables<'a>(node: Node<'a>) -> Option<Vec<(Range<usize>, Table<'a>)>> {
    match node {
        Node::Tables(list) => Some(list),
        Node::Array(items) => items
            .into_iter()
            .map(|(span, item)| match item {
                Node::Inline(t) => Some((span, t)),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A table, written either way (a `[header]` or inline).
fn table(node: Node<'_>) -> Option<Table<'_>> {
    match node {
        Node::Header(t) | Node::Inline(t) => Some(t),
        _ => None,
    }
}

fn list<'a, T>(
    fields: &mut Fields<'a>,
    key: &str,
    read: impl Fn(Table<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    fields
        .maybe(key, |_, node| {
            let tables = tables(node)?;
            let mut out = Vec::with_capacity(tables.len());
            for (_, t) in tables {
                out.push(read(t)?);
            }
            Some(out)
        })
        .map(Option::unwrap_or_default)
}

fn roadmap(root: Table<'_>) -> Option<RawRoadmap> {
    let mut f = Fields::new(root);
    let raw = RawRoadmap {
        title: f.string("title")?,
        description: f.maybe("description", text)?.unwrap_or_default(),
        skills: list(&mut f, "skills", skill)?,
        steps: list(&mut f, "steps", step)?,
        topics: list(&mut f, "topics", topic)?,
        choices: list(&mut f, "choices", choice)?,
    };
    f.done()?;
    Some(raw)
}

fn choice(t: Table<'_>) -> Option<RawChoice> {
    let mut f = Fields::new(t);
    let raw = RawChoice {
        id: f.string("id")?,
        title: f.string("title")?,
        summary: f.maybe("summary", text)?.unwrap_or_default(),
        options: list(&mut f, "options", option)?,
    };
    f.done()?;
    Some(raw)
}

fn option(t: Table<'_>) -> Option<RawOption> {
    let mut f = Fields::new(t);
    let raw = RawOption {
        id: f.string("id")?,
        title: f.string("title")?,
        summary: f.maybe("summary", text)?.unwrap_or_default(),
    };
    f.done()?;
    Some(raw)
}

fn skill(t: Table<'_>) -> Option<RawSkill> {
    let mut f = Fields::new(t);
    let raw = RawSkill {
        id: f.string("id")?,
        name: f.string("name")?,
    };
    f.done()?;
    Some(raw)
}

fn step(t: Table<'_>) -> Option<RawStep> {
    let mut f = Fields::new(t);
    let raw = RawStep {
        id: f.string("id")?,
        title: f.string("title")?,
        summary: f.maybe("summary", text)?.unwrap_or_default(),
        milestone: f.maybe("milestone", |span, node| {
            Some(Spanned::new(span, milestone(table(node)?)?))
        })?,
    };
    f.done()?;
    Some(raw)
}

fn milestone(t: Table<'_>) -> Option<RawMilestone> {
    let mut f = Fields::new(t);
    let raw = RawMilestone {
        title: f.string("title")?,
        criteria: f.maybe("criteria", |_, n| strings(n))?.unwrap_or_default(),
    };
    f.done()?;
    Some(raw)
}

fn topic(t: Table<'_>) -> Option<RawTopic> {
    let mut f = Fields::new(t);
    let raw = RawTopic {
        id: f.string("id")?,
        step: f.string("step")?,
        title: f.string("title")?,
        summary: f.maybe("summary", text)?.unwrap_or_default(),
        hours: {
            let (span, node) = f.take("hours")?;
            Spanned::new(span, value(node)?)
        },
        skills: {
            let (span, node) = f.take("skills")?;
            Spanned::new(span, strings(node)?)
        },
        requires: f.maybe("requires", |_, n| strings(n))?.unwrap_or_default(),
        optional: f.maybe("optional", boolean)?.unwrap_or(false),
        review: f.maybe("review", boolean)?.unwrap_or(true),
        option: f.maybe("option", |span, n| Some(Spanned::new(span, text(0..0, n)?)))?,
        role: f.maybe("role", |span, n| Some(Spanned::new(span, text(0..0, n)?)))?,
        resources: f
            .maybe("resources", |_, node| {
                tables(node)?
                    .into_iter()
                    .map(|(span, t)| Some(Spanned::new(span, resource(t)?)))
                    .collect::<Option<Vec<_>>>()
            })?
            .unwrap_or_default(),
    };
    f.done()?;
    Some(raw)
}

fn resource(t: Table<'_>) -> Option<RawResource> {
    let mut f = Fields::new(t);
    let raw = RawResource {
        title: f.string("title")?,
        url: f.string("url")?,
        kind: match f.take("kind")? {
            (_, Node::Str(s)) => {
                ResourceKind::deserialize(
                    IntoDeserializer::<serde::de::value::Error>::into_deserializer(s.as_ref()),
                )
                .ok()?
            }
            _ => return None,
        },
        minutes: f.maybe("minutes", |span, node| match node {
            Node::Int(i) => Some(Spanned::new(span, i)),
            _ => None,
        })?,
    };
    f.done()?;
    Some(raw)
}

/// Any value, as the `toml` crate's own value type (the `hours` field takes several shapes
/// and validation words what is wrong with each).
fn value(node: Node<'_>) -> Option<toml::Value> {
    Some(match node {
        Node::Str(s) => toml::Value::String(s.into_owned()),
        Node::Int(i) => toml::Value::Integer(i),
        Node::Float(x) => toml::Value::Float(x),
        Node::Bool(b) => toml::Value::Boolean(b),
        Node::Array(items) => toml::Value::Array(
            items
                .into_iter()
                .map(|(_, n)| value(n))
                .collect::<Option<_>>()?,
        ),
        Node::Inline(t) | Node::Header(t) => toml::Value::Table(
            t.entries
                .into_iter()
                .map(|(k, _, n)| Some((k.to_string(), value(n)?)))
                .collect::<Option<_>>()?,
        ),
        Node::Tables(list) => toml::Value::Array(
            list.into_iter()
                .map(|(_, t)| value(Node::Header(t)))
                .collect::<Option<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    //! Both readers on the same text give the same result: the roadmap, or the same errors.
    //! Texts are random roadmaps written in every style TOML allows for them (and some it does
    //! not), then often mutated: bytes cut, fragments inserted, lines repeated.

    use proptest::prelude::*;

    use super::super::{Locator, Roadmap, parse_toml};

    /// How a roadmap is written: each choice is drawn per value.
    #[derive(Debug, Clone)]
    struct Style {
        crlf: bool,
        comments: bool,
        literal_strings: bool,
        inline_milestones: bool,
        header_resources: bool,
        header_hours: bool,
        inline_topics: bool,
        /// `\u` and `\U` escapes, which this reader leaves to the `toml` crate.
        unicode_escapes: bool,
        /// Tabs in strings written `\t`.
        escaped_tabs: bool,
        spaces: &'static str,
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            any::<[bool; 9]>(),
            prop_oneof![Just(" "), Just(""), Just("\t"), Just("  ")],
        )
            .prop_map(|(b, spaces)| Style {
                crlf: b[0],
                comments: b[1],
                literal_strings: b[2],
                inline_milestones: b[3],
                header_resources: b[4],
                header_hours: b[5],
                inline_topics: b[6] && !b[4] && !b[5],
                unicode_escapes: b[7],
                escaped_tabs: b[8],
                spaces,
            })
    }

    /// Text for titles and summaries: plain, or with characters that need escaping.
    fn words() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[A-Za-z][A-Za-z ,.()-]{0,20}",
            1 => "[A-Za-z\"\\\\\t\n'é€😀 #=\\[\\]{}]{1,12}",
        ]
    }

    #[derive(Debug, Clone)]
    struct Model {
        title: String,
        description: Option<String>,
        skills: Vec<String>,
        steps: Vec<(String, Option<MilestoneModel>)>,
        topics: Vec<TopicModel>,
    }

    /// A milestone's title and criteria.
    type MilestoneModel = (String, Vec<String>);

    #[derive(Debug, Clone)]
    struct TopicModel {
        step: usize,
        title: String,
        summary: Option<String>,
        hours: (u32, u32, u32, bool),
        skills: Vec<usize>,
        requires: Vec<usize>,
        optional: Option<bool>,
        review: Option<bool>,
        resources: Vec<(String, u8, Option<u32>)>,
    }

    fn model() -> impl Strategy<Value = Model> {
        let topic = (
            0usize..4,
            words(),
            proptest::option::of(words()),
            (1u32..40, 0u32..20, 0u32..20, any::<bool>()),
            proptest::collection::vec(0usize..3, 1..3),
            proptest::collection::vec(0usize..8, 0..3),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::collection::vec((words(), 0u8..7, proptest::option::of(0u32..300)), 0..3),
        )
            .prop_map(
                |(step, title, summary, hours, skills, requires, optional, review, resources)| {
                    TopicModel {
                        step,
                        title,
                        summary,
                        hours,
                        skills,
                        requires,
                        optional,
                        review,
                        resources,
                    }
                },
            );
        (
            words(),
            proptest::option::of(words()),
            proptest::collection::vec(words(), 1..4),
            proptest::collection::vec(
                (
                    words(),
                    proptest::option::of((words(), proptest::collection::vec(words(), 0..3))),
                ),
                1..5,
            ),
            proptest::collection::vec(topic, 1..8),
        )
            .prop_map(|(title, description, skills, steps, topics)| Model {
                title,
                description,
                skills,
                steps,
                topics,
            })
    }

    struct Writer<'s> {
        out: String,
        style: &'s Style,
        n: usize,
    }

    impl Writer<'_> {
        fn line(&mut self, text: &str) {
            self.out.push_str(text);
            self.n += 1;
            if self.style.comments && self.n.is_multiple_of(3) {
                self.out.push_str(" # note é");
            }
            self.out
                .push_str(if self.style.crlf { "\r\n" } else { "\n" });
        }

        fn string(&self, text: &str) -> String {
            let literal_ok = !text
                .chars()
                .any(|c| c == '\'' || (c.is_control() && c != '\t'));
            if self.style.literal_strings && literal_ok {
                return format!("'{text}'");
            }
            let mut out = String::from("\"");
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' if self.style.escaped_tabs => out.push_str("\\t"),
                    '😀' if self.style.unicode_escapes => out.push_str("\\U0001F600"),
                    '€' if self.style.unicode_escapes => out.push_str("\\u20AC"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }

        fn key(&mut self, key: &str, value: &str) {
            let s = self.style.spaces;
            self.line(&format!("{key}{s}={s}{value}"));
        }

        fn strings(&self, items: impl Iterator<Item = String>) -> String {
            let items: Vec<String> = items.map(|t| self.string(&t)).collect();
            format!("[{}]", items.join(", "))
        }
    }

    const KINDS: [&str; 7] = [
        "docs", "book", "course", "video", "article", "tutorial", "exercise",
    ];

    fn hours(h: (u32, u32, u32, bool)) -> (String, String, String) {
        let (e, lo, hi, float) = h;
        let low = e.saturating_sub(lo).max(1);
        let f = |n: u32| {
            if float {
                format!("{n}.5")
            } else {
                n.to_string()
            }
        };
        (f(low), f(e), f(e + hi))
    }

    fn render(m: &Model, style: &Style) -> String {
        let mut w = Writer {
            out: String::new(),
            style,
            n: 0,
        };
        if style.comments {
            w.line("# A roadmap for the test");
        }
        let title = w.string(&m.title);
        w.key("title", &title);
        if let Some(d) = &m.description {
            let d = w.string(d);
            w.key("description", &d);
        }
        for (i, name) in m.skills.iter().enumerate() {
            w.line("");
            w.line("[[skills]]");
            w.key("id", &format!("\"skill-{i}\""));
            let name = w.string(name);
            w.key("name", &name);
        }
        for (i, (title, milestone)) in m.steps.iter().enumerate() {
            w.line("[[steps]]");
            w.key("id", &format!("\"step-{i}\""));
            let title = w.string(title);
            w.key("title", &title);
            if let Some((mt, criteria)) = milestone {
                let mt = w.string(mt);
                let crit = w.strings(criteria.iter().cloned());
                if style.inline_milestones {
                    w.key(
                        "milestone",
                        &format!("{{ title = {mt}, criteria = {crit} }}"),
                    );
                } else {
                    w.line("[steps.milestone]");
                    w.key("title", &mt);
                    w.key("criteria", &crit);
                }
            }
        }
        let mut inline = Vec::new();
        for (i, t) in m.topics.iter().enumerate() {
            let mut fields: Vec<(String, String)> = vec![
                ("id".into(), format!("\"topic-{i}\"")),
                (
                    "step".into(),
                    format!("\"step-{}\"", t.step % m.steps.len()),
                ),
                ("title".into(), w.string(&t.title)),
            ];
            if let Some(s) = &t.summary {
                fields.push(("summary".into(), w.string(s)));
            }
            let (low, expected, high) = hours(t.hours);
            if !style.header_hours {
                fields.push((
                    "hours".into(),
                    if t.hours.1 == 0 && t.hours.2 == 0 {
                        expected.clone()
                    } else {
                        format!("{{ low = {low}, expected = {expected}, high = {high} }}")
                    },
                ));
            }
            let skills = t
                .skills
                .iter()
                .map(|s| format!("skill-{}", s % m.skills.len()));
            fields.push(("skills".into(), w.strings(skills)));
            if !t.requires.is_empty() || i % 2 == 0 {
                let requires = t
                    .requires
                    .iter()
                    .filter(|&&r| r < i)
                    .map(|r| format!("topic-{r}"));
                fields.push(("requires".into(), w.strings(requires)));
            }
            if let Some(o) = t.optional {
                fields.push(("optional".into(), o.to_string()));
            }
            if let Some(r) = t.review {
                fields.push(("review".into(), r.to_string()));
            }
            let resources: Vec<Vec<(String, String)>> = t
                .resources
                .iter()
                .enumerate()
                .map(|(j, (title, kind, minutes))| {
                    let mut r = vec![
                        ("title".to_string(), w.string(title)),
                        ("url".into(), format!("\"https://example.com/{i}/{j}\"")),
                        ("kind".into(), format!("\"{}\"", KINDS[usize::from(*kind)])),
                    ];
                    if let Some(m) = minutes {
                        r.push(("minutes".into(), m.to_string()));
                    }
                    r
                })
                .collect();
            let inline_table = |r: &Vec<(String, String)>| {
                let body: Vec<String> = r.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", body.join(", "))
            };
            if !style.header_resources && !resources.is_empty() {
                let list: Vec<String> = resources.iter().map(inline_table).collect();
                fields.push((
                    "resources".into(),
                    format!("[\n  {},\n]", list.join(",\n  ")),
                ));
            }
            // Fields in an order that depends on the topic.
            let turn = i % fields.len();
            fields.rotate_left(turn);
            if style.inline_topics {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", v.replace('\n', " ")))
                    .collect();
                inline.push(format!("{{ {} }}", body.join(", ")));
                continue;
            }
            w.line("");
            w.line("[[topics]]");
            for (k, v) in &fields {
                w.key(k, v);
            }
            if style.header_hours {
                w.line("[topics.hours]");
                w.key("low", &low);
                w.key("expected", &expected);
                w.key("high", &high);
            }
            if style.header_resources {
                for r in &resources {
                    w.line("[[topics.resources]]");
                    for (k, v) in r {
                        w.key(k, v);
                    }
                }
            }
        }
        if style.inline_topics {
            // Keys after a table header would belong to it: an inline list goes before them.
            let list = format!("topics = [\n  {},\n]\n", inline.join(",\n  "));
            w.out.insert_str(0, &list);
        }
        w.out
    }

    /// A change to the text: a cut, an insertion, a repeated line, or one piece of syntax
    /// put in place of another (at the n-th place it occurs).
    #[derive(Debug, Clone)]
    enum Mutation {
        Cut(usize, usize),
        Insert(usize, &'static str),
        RepeatLine(usize),
        Replace(usize, &'static str, &'static str),
    }

    /// Pieces of syntax and what to put in their place: each near miss of the subset.
    const REPLACEMENTS: &[(&str, &str)] = &[
        ("[[", "["),
        ("]]\n", "]\n"),
        ("[[topics]]", "[topics]"),
        ("[steps.milestone]", "[[steps.milestone]]"),
        ("[steps.milestone]", "[steps]"),
        ("= ", "= 0"),
        ("= ", "= -"),
        ("= ", "= +"),
        ("= ", "= 1979-05-27 "),
        ("= \"", "= '"),
        ("\"", "'"),
        ("\"", "\"\"\""),
        (", ", ",\n"),
        (", ", " , "),
        (", ", ",,"),
        (" }", ", }"),
        ("{ ", "{\n"),
        ("1", "01"),
        ("1", "1.0"),
        ("1", "1_1"),
        ("1", "1e1"),
        ("5", "5."),
        (".5", "e5"),
        ("\\n", "\\e"),
        ("\\n", "\\t"),
        ("\\n", "\\/"),
        ("\\t", "\\x41"),
        ("\\\"", "\\'"),
        ("\n", "\r"),
        ("\n", " \\\n"),
        ("true", "True"),
        ("false", "0"),
        ("id", "\"id\""),
        ("id", "i d"),
        ("title", "steps.title"),
        ("hours", "Hours"),
        ("]\n", "] x\n"),
        ("# ", "#\u{1}"),
        ("\"\n", "\"\u{0}\n"),
        ("docs", "podcast"),
        ("https", "ftp"),
    ];

    const FRAGMENTS: &[&str] = &[
        "\"",
        "'",
        "\\",
        "\\u0041",
        "\\x41",
        "\\e",
        "[",
        "]",
        "{",
        "}",
        ",",
        "=",
        ".",
        "#",
        "\n",
        "\r",
        "\r\n",
        "\t",
        " ",
        "\u{0}",
        "\u{7f}",
        "\u{1b}",
        "-1",
        "+1",
        "1e3",
        "1_0",
        "0x1",
        "07",
        "00.5",
        "1.",
        ".5",
        "inf",
        "nan",
        "true",
        "false",
        "\"\"\"",
        "'''",
        "[[topics]]\n",
        "[steps.milestone]\n",
        "[[steps]]\n",
        "[topics]\n",
        "x = 1\n",
        "id = \"a\"\n",
        "1979-05-27",
        "\u{feff}",
        "é",
        "a.b = 1\n",
        "\"id\" = \"q\"\n",
        "{ low = 1, expected = 2, high = 3, }",
        "99999999999999999999",
        "podcast",
    ];

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), 1usize..12).prop_map(|(a, n)| Mutation::Cut(a, n)),
            (any::<usize>(), proptest::sample::select(FRAGMENTS))
                .prop_map(|(a, f)| Mutation::Insert(a, f)),
            any::<usize>().prop_map(Mutation::RepeatLine),
            (any::<usize>(), proptest::sample::select(REPLACEMENTS))
                .prop_map(|(n, (from, to))| Mutation::Replace(n, from, to)),
        ]
    }

    /// The char boundary nearest below `i % (len + 1)`.
    fn boundary(text: &str, i: usize) -> usize {
        let mut i = i % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn mutate(mut text: String, m: &Mutation) -> String {
        match *m {
            Mutation::Cut(a, n) => {
                let start = boundary(&text, a);
                let end = boundary(&text, start + n.min(text.len() - start));
                text.replace_range(start..end.max(start), "");
            }
            Mutation::Insert(a, fragment) => {
                let at = boundary(&text, a);
                text.insert_str(at, fragment);
            }
            Mutation::RepeatLine(a) => {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = a % lines.len();
                    let mut out: String = lines[..=i].concat();
                    out.push_str(lines[i]);
                    out.push_str(&lines[i + 1..].concat());
                    text = out;
                }
            }
            Mutation::Replace(n, from, to) => {
                let places: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
                if !places.is_empty() {
                    let at = places[n % places.len()];
                    text.replace_range(at..at + from.len(), to);
                }
            }
        }
        text
    }

    fn toml_crate(text: &str) -> Result<Roadmap, super::super::ContentErrors> {
        parse_toml(&Locator::new("r.toml", text), text)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Unchanged, every style of a valid roadmap is read by this reader, to the roadmap
        /// the `toml` crate reads.
        #[test]
        fn a_roadmap_in_any_style_is_read_as_the_toml_crate_reads_it(
            m in model(),
            style in style(),
        ) {
            let text = render(&m, &style);
            let theirs = toml_crate(&text);
            prop_assert!(
                style.unicode_escapes || super::parse(&text).is_some(),
                "declined:\n{:?}",
                text
            );
            prop_assert_eq!(Roadmap::parse("r.toml", &text), theirs);
        }

        /// Changed at random, either reader's result is the other's, errors and all.
        #[test]
        fn any_text_gives_the_same_roadmap_or_errors_through_either_reader(
            m in model(),
            style in style(),
            mutations in proptest::collection::vec(mutation(), 1..4),
        ) {
            let text = mutations
                .iter()
                .fold(render(&m, &style), mutate);
            prop_assert_eq!(Roadmap::parse("r.toml", &text), toml_crate(&text), "{:?}", text);
        }
    }

    #[test]
    fn the_bundled_roadmap_is_read_by_this_reader() {
        let text = super::super::BUNDLED_ROADMAP;
        assert!(super::parse(text).is_some());
        assert_eq!(Roadmap::bundled(), toml_crate(text));
    }

    /// A roadmap with choices (options, roles, `choice.role` requires) reads the same through
    /// either reader; with a key this reader does not know, it declines.
    #[test]
    fn choices_are_read_as_the_toml_crate_reads_them() {
        let text = include_str!("../../tests/it/fixtures/tracks.toml");
        assert!(super::parse(text).is_some());
        assert_eq!(Roadmap::parse("r.toml", text), toml_crate(text));
        let odd = text.replacen(
            "summary = \"Spring Boot.\"",
            "summary = \"x\"\nextra = 1",
            1,
        );
        assert_ne!(odd, text);
        assert!(super::parse(&odd).is_none());
        assert_eq!(Roadmap::parse("r.toml", &odd), toml_crate(&odd));
        assert!(toml_crate(&odd).is_err());
    }
}
