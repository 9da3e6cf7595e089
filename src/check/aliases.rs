//! Aliases that would be published where something else is: a page, an office page, a vCard, a static or
//! generated file, or another alias. Each is reported at the alias, naming what it collides with.

use std::collections::{HashMap, HashSet};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::render::{self, aliases};
use crate::site::Site;

/// The output paths aliases are written to: the generic collision check leaves them to `check`.
pub fn paths(site: &Site) -> HashSet<String> {
    aliases::list(&site.content).into_iter().map(|a| a.file).collect()
}

/// Every alias that collides, with `origins` (output path → the content files published there).
pub fn check(site: &Site, output: &render::Output, origins: &HashMap<String, Vec<(String, String)>>) -> Diagnostics {
    let list = aliases::list(&site.content);
    let mut problems = Diagnostics::default();
    for (i, alias) in list.iter().enumerate() {
        let url = site.config.url(alias.written.trim_start_matches('/'));
        let other = if let Some(first) = list[..i].iter().find(|a| a.file == alias.file) {
            Some(format!("the alias `{}` of {}:{}:{}", first.written, first.at.path, first.at.line, first.at.column))
        } else if let Some((file, _)) = origins.get(&alias.file).and_then(|o| o.first()) {
            Some(file.clone())
        } else if site.theme.static_files.iter().any(|f| f.out_path == alias.file) {
            Some(format!("the static file {}", alias.file))
        } else if output.files.iter().filter(|f| f.path == alias.file).count()
            > list.iter().filter(|a| a.file == alias.file).count()
        {
            Some(format!("the generated file {}", alias.file))
        } else {
            None
        };
        if let Some(other) = other {
            problems.push(
                Diagnostic::error(
                    Code::BadAlias,
                    alias.at.clone(),
                    format!("the alias `{}` would be published at {url}, where {other} is published", alias.written),
                )
                .with_help("remove the alias, or move the page it collides with: one URL can show only one page"),
            );
        }
    }
    problems
}
