//! The commands that are not the pipeline itself: `new`, `status` and `mark-translated`.

pub mod diff;
pub mod git;
pub mod import;
pub mod mark;
pub mod scaffold;
pub mod status;
