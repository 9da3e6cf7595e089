//! The loaded site: configuration, content and theme read from a folder, with every problem found.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::{self, Content};
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::theme::{self, Theme};
use crate::{frontmatter, fsutil};

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub theme: Theme,
}

/// Why a site could not be loaded at all.
#[derive(Debug)]
pub enum LoadError {
    /// Not a site folder, or an option is wrong: exit code 2.
    Usage(String),
    /// The configuration itself has errors: exit code 1.
    Config(Diagnostics),
}

/// Options that change how a site is read.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub base_url: Option<String>,
}

/// Reads the site at `root`. The problems returned may include errors; the site holds what could be read.
pub fn load(root: &Path, options: &LoadOptions) -> Result<(Site, Diagnostics), LoadError> {
    let config = load_config(root, options)?;
    let (theme, mut problems) = theme::load(root, &config);
    let (content, content_problems) = content::load(root, &config);
    problems.extend(content_problems);
    Ok((Site { root: root.to_path_buf(), config, content, theme }, problems))
}

pub fn load_config(root: &Path, options: &LoadOptions) -> Result<Config, LoadError> {
    let path = root.join(config::FILE_NAME);
    if !path.is_file() {
        return Err(LoadError::Usage(format!(
            "{} is not a diptych site: it has no {}\n  help: run `diptych new {}` to start one, or pass --root",
            root.display(),
            config::FILE_NAME,
            root.display()
        )));
    }
    let bytes = fsutil::read(&path, config::FILE_NAME).map_err(|d| LoadError::Config(Diagnostics::from_iter([d])))?;
    let text = frontmatter::normalize(bytes).map_err(|_| {
        LoadError::Config(Diagnostics::from_iter([Diagnostic::error(
            "invalid-utf8",
            Location::file(config::FILE_NAME),
            "site.toml is not valid UTF-8",
        )]))
    })?;
    let mut config = Config::parse(&SourceText::new(config::FILE_NAME, text)).map_err(LoadError::Config)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|e| LoadError::Usage(format!("--base-url: {e}")))?;
    }
    Ok(config)
}
