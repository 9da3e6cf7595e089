//! The loaded site: configuration, content and theme read from a folder, with every problem found.

pub mod config;
pub mod content;
pub mod date;
pub mod finder;
pub mod frontmatter;
pub mod offices;
pub mod theme;
pub mod url_field;

use std::path::{Path, PathBuf};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Failure, Location, SourceText};
use crate::fsutil;
use config::Config;
use content::Content;
use offices::Offices;
use theme::Theme;

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub theme: Theme,
    pub offices: Offices,
}

/// Options that change how a site is read.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub base_url: Option<String>,
    /// Publish drafts, marked as drafts (`--drafts`).
    pub drafts: bool,
}

/// Office ids named by pages exist, the directory has its page, and no page takes an office page's URL.
pub fn check_office_links(content: &Content, offices: &Offices, config: &Config, problems: &mut Diagnostics) {
    for doc in &content.docs {
        let Some(category) = &doc.front.category else { continue };
        for id in &category.get_ref().offices {
            if offices.get(id.get_ref()).is_none() && !offices.is_broken(id.get_ref()) {
                problems.push(unknown_office(id.get_ref(), offices, doc.front_location(id.span().start)));
            }
        }
    }
    if offices.is_empty() {
        return;
    }
    if !content.by_key.contains_key("offices/_index.md") {
        problems.push(
            Diagnostic::error(
                Code::NoDirectoryPage,
                Location::file("content/offices/_index.md"),
                "the office directory has no page",
            )
            .with_help(
                "create content/offices/_index.md (and its translations) with the directory's title and introduction",
            ),
        );
    }
    let mut office_at = std::collections::HashMap::new();
    for office in &offices.offices {
        office_at.entry(format!("offices/{}/", office.id)).or_insert(office);
    }
    for entry in &content.entries {
        for (lang, path) in &entry.paths {
            if let Some(office) = office_at.get(path) {
                let doc = &content.docs[entry.doc_for(lang).0];
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateUrl,
                        Location::file(&doc.source.path),
                        format!(
                            "this page and the office `{}` ({}) are both published at /{}{path}",
                            office.id,
                            office.file,
                            config.language_prefix(lang)
                        ),
                    )
                    .with_help("rename the page or the office id"),
                );
            }
        }
    }
}

pub fn unknown_office(id: &str, offices: &Offices, at: Location) -> Diagnostic {
    let known: Vec<String> = offices.offices.iter().map(|o| o.id.clone()).collect();
    let help = crate::diag::suggest::did_you_mean(id, &known).unwrap_or_else(|| {
        if known.is_empty() {
            "there are no offices yet: add content/offices/<id>.toml".to_string()
        } else {
            "the office ids are the `id` keys of content/offices/*.toml".to_string()
        }
    });
    Diagnostic::error(Code::UnknownOffice, at, format!("there is no office with id `{id}`")).with_help(help)
}

/// Reads `site.toml`. A folder without one is not a site (a usage failure); a `site.toml` with errors fails
/// with them, as nothing else can be read without it.
pub fn load_config(root: &Path, options: &LoadOptions) -> Result<Config, Failure> {
    let path = root.join(config::FILE_NAME);
    if !path.is_file() {
        return Err(Failure::Usage(format!(
            "{} is not a diptych site: it has no {}\n  help: run `diptych new {}` to start one, or pass --root",
            root.display(),
            config::FILE_NAME,
            root.display()
        )));
    }
    let text = fsutil::read_text(&path, config::FILE_NAME)?;
    let mut config = Config::parse(&SourceText::new(config::FILE_NAME, text))?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
    }
    config.drafts = options.drafts;
    Ok(config)
}
