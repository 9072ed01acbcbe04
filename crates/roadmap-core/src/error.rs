//! The core's one error type.

use crate::api::{ApiError, ErrorKind};
use crate::content::ContentErrors;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// Plan settings the scheduler cannot work with; the message says which and why.
    #[error("{0}")]
    InvalidSettings(String),
    /// A roadmap file that does not validate.
    #[error("{0}")]
    Content(#[from] ContentErrors),
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let kind = match e {
            CoreError::InvalidSettings(_) => ErrorKind::InvalidInput,
            CoreError::Content(_) => ErrorKind::Content,
        };
        ApiError {
            kind,
            message: e.to_string(),
        }
    }
}
