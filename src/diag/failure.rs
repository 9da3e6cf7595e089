//! How a command failed, which decides its exit code: the outcome type of every command.

use super::{Diagnostic, Diagnostics};

#[derive(Debug)]
pub enum Failure {
    /// Wrong options, not a site, or an I/O error writing the output: exit code 2.
    Usage(String),
    /// The site has errors, sorted: exit code 1. Nothing was written.
    Content(Vec<Diagnostic>),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Content(_) => 1,
        }
    }
}

/// The site's problems, sorted, as a failure.
impl From<Diagnostics> for Failure {
    fn from(problems: Diagnostics) -> Self {
        Failure::Content(problems.into_sorted())
    }
}

impl From<Diagnostic> for Failure {
    fn from(problem: Diagnostic) -> Self {
        Failure::Content(vec![problem])
    }
}
