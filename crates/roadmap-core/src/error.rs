//! The core's one error type. How it reaches the window (`{ kind, message }`) is decided
//! in one place, the shell's `wire.rs`.

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
