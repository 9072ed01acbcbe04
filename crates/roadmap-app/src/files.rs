//! Files the learner names (a busy calendar, a roadmap, a calendar to check), read bounded:
//! a regular file only (a FIFO blocked the reader, `/dev/zero` filled memory), checked for its
//! size before it is read and read no further than the limit, whatever it grows to meanwhile.

use std::io::Read;
use std::path::Path;

use crate::AppError;

/// The text of the regular file at `path`, at most `limit` bytes of UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, AppError> {
    let file = |source| AppError::File {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(file)?;
    if !meta.is_file() {
        return Err(AppError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = |size: u64| AppError::FileTooLarge {
        path: path.to_path_buf(),
        megabytes: size / (1024 * 1024),
        limit: limit / (1024 * 1024),
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(file)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(file)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| AppError::NotText {
        path: path.to_path_buf(),
        byte: e.utf8_error().valid_up_to(),
    })
}
