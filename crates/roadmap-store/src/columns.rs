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
