//! The shape of a server's XML answer, checked before anything parses it.
//!
//! A WebDAV answer is parsed into a tree and then searched (`libdav` over `roxmltree`): an
//! answer of tiny elements takes about fifteen times its size in memory, and elements nested
//! inside each other make the searches quadratic. Answers are already capped in bytes; this
//! caps them in elements and depth, counting tags as they come in one pass, with no parse,
//! no recursion and no allocation. A real answer is a handful of levels deep (multistatus >
//! response > propstat > prop > resourcetype > collection) and about ten elements per object.

/// The most a server's answer may nest: a real answer needs 7 levels.
pub const MAX_ANSWER_DEPTH: usize = 32;
/// The most elements a server's answer may hold: some 25,000 objects, half the stretches a
/// busy calendar may block (`busy::MAX_INTERVALS`); about 30 MB once parsed.
pub const MAX_ANSWER_ELEMENTS: usize = 250_000;

/// The bounds [`check_answer`] holds an answer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    pub depth: usize,
    pub elements: usize,
}

impl Default for AnswerLimits {
    fn default() -> AnswerLimits {
        AnswerLimits {
            depth: MAX_ANSWER_DEPTH,
            elements: MAX_ANSWER_ELEMENTS,
        }
    }
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerShape {
    /// Its elements nest deeper than the limit (the byte offset where it went past).
    TooDeep { limit: usize, at: usize },
    /// It holds more elements than the limit.
    TooMany { limit: usize, at: usize },
}

impl std::fmt::Display for AnswerShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerShape::TooDeep { limit, at } => write!(
                f,
                "its answer nests more than {limit} levels deep (byte {at}); a calendar server's needs 7"
            ),
            AnswerShape::TooMany { limit, at } => write!(
                f,
                "its answer holds more than {limit} elements (byte {at}), more than any calendar needs"
            ),
        }
    }
}

impl std::error::Error for AnswerShape {}

/// Checks that the XML in `bytes` stays within `limits`. Comments, CDATA sections, processing
/// instructions and declarations are stepped over; a quoted attribute value may hold `>`.
/// What is not XML passes (the parser refuses it); what passes is never deeper nor larger than
/// the limits when parsed (the property tests hold it to a real parser).
pub fn check_answer(bytes: &[u8], limits: AnswerLimits) -> Result<(), AnswerShape> {
    let mut i = 0;
    let mut depth = 0usize;
    let mut elements = 0usize;
    let n = bytes.len();
    let after = |from: usize, end: &[u8]| -> usize {
        bytes[from.min(n)..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(n, |p| from + p + end.len())
    };
    while i < n {
        let Some(p) = bytes[i..].iter().position(|&b| b == b'<') else {
            break;
        };
        let open = i + p;
        let rest = &bytes[open + 1..];
        i = if rest.starts_with(b"!--") {
            after(open + 4, b"-->")
        } else if rest.starts_with(b"![CDATA[") {
            after(open + 9, b"]]>")
        } else if rest.starts_with(b"?") {
            after(open + 2, b"?>")
        } else if rest.starts_with(b"!") {
            after(open + 2, b">")
        } else if rest.starts_with(b"/") {
            depth = depth.saturating_sub(1);
            after(open + 2, b">")
        } else {
            // A start tag: to its `>`, outside quoted values.
            let mut quote = None;
            let mut j = open + 1;
            while j < n {
                match (quote, bytes[j]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[j]),
                    (Some(q), b) if b == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            elements += 1;
            if elements > limits.elements {
                return Err(AnswerShape::TooMany {
                    limit: limits.elements,
                    at: open,
                });
            }
            let empty = j < n && j > open + 1 && bytes[j - 1] == b'/';
            if depth + 1 > limits.depth {
                return Err(AnswerShape::TooDeep {
                    limit: limits.depth,
                    at: open,
                });
            }
            if !empty {
                depth += 1;
            }
            j + 1
        };
    }
    Ok(())
}
