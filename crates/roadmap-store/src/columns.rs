//! How values that are not plain SQLite types are kept in a column: dates as ISO text, lists
//! as one item a line. Every table module reads and writes them through here, so the format
//! is decided once and no table module needs another.

use crate::StoreError;

pub(crate) fn date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{text:?} is not a date")))
}

pub(crate) fn join_lines(items: &[String]) -> String {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The estimates in force as stored: `topic=percent`, one a line, in topic order.
pub(crate) fn pace_text(pace: Option<&std::collections::BTreeMap<String, u32>>) -> Option<String> {
    pace.map(|p| {
        p.iter()
            .map(|(topic, percent)| format!("{topic}={percent}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// [`pace_text`] read back; a line that is not `topic=percent` (1 to 10,000) is named.
pub(crate) fn pace_map(
    text: Option<&str>,
) -> Result<Option<std::collections::BTreeMap<String, u32>>, StoreError> {
    let Some(text) = text else { return Ok(None) };
    let mut pace = std::collections::BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let parsed = line
            .split_once('=')
            .and_then(|(t, p)| Some((t.trim(), p.trim().parse::<u32>().ok()?)))
            .filter(|(t, p)| !t.is_empty() && (1..=10_000).contains(p));
        let Some((topic, percent)) = parsed else {
            return Err(StoreError::Corrupt(format!(
                "the plan's pace line {line:?} is not topic=percent"
            )));
        };
        pace.insert(topic.to_string(), percent);
    }
    Ok(Some(pace))
}
