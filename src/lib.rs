//! diptych: a static-site generator for multilingual public-service information sites.
//!
//! Every command runs the same steps over plain data (see `pipeline`):
//!   1. load: `site/` reads `site.toml`, the theme, `content/` and the office data into a `Site`;
//!   2. render: `render/` renders every page in memory;
//!   3. check: `check/` checks the output (links, translations, freshness);
//!   4. publish: `publish` swaps the output into the output folder, only when nothing failed.
//!
//! `watch` and `serve` keep the loaded site in memory and redo only what a change reaches; `commands/` holds
//! the commands that are not the pipeline (`new`, `status`, `mark-translated`). A module only imports the
//! layers below it: diag, fsutil, html → site → render → check → publish → pipeline → watch → serve → commands.

// A `Diagnostic` is the error type throughout: it is large, but errors are rare and collected, not hot.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod commands;
pub mod diag;
pub mod fsutil;
pub mod html;
pub mod pipeline;
pub mod precompress;
pub mod publish;
pub mod render;
pub mod serve;
pub mod site;
pub mod urls;
pub mod watch;

pub use diag::Failure;
pub use pipeline::{BuildOptions, BuildReport, build, render_in_memory};
