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
    /// A change the plan as it stands does not allow (a session in the past, a blocked-out
    /// day, a slot that is taken); the message says why and what to do instead.
    #[error("{0}")]
    Refused(String),
    /// Something asked for that the plan does not have; the message names it.
    #[error("{0}")]
    NotFound(String),
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let kind = match e {
            CoreError::InvalidSettings(_) => ErrorKind::InvalidInput,
            CoreError::Content(_) => ErrorKind::Content,
            CoreError::Refused(_) => ErrorKind::InvalidInput,
            CoreError::NotFound(_) => ErrorKind::NotFound,
        };
        ApiError {
            kind,
            message: e.to_string(),
        }
    }
}
