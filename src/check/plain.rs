//! Pages written as plain Markdown, without front matter: they build, and a warning says where their title came
//! from and how to give them front matter.

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::site::frontmatter::TitleFrom;

/// A warning at the first line of every page without front matter, in every language.
pub fn check(site: &Site) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for doc in &site.content.docs {
        let from = match doc.title_from {
            TitleFrom::FrontMatter => continue,
            TitleFrom::Heading => "its first heading",
            TitleFrom::FileName => "its file name",
        };
        let title = doc.title();
        problems.push(
            Diagnostic::warning(
                Code::NoFrontMatter,
                doc.source.locate(0),
                format!("this page has no front matter: its title \"{title}\" comes from {from}"),
            )
            .with_help(format!(
                "start the file with a line `+++`, then `title = {}`, then a line `+++`",
                toml::Value::String(title.to_string())
            )),
        );
    }
    problems
}
