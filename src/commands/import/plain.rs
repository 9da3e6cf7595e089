//! Reads a plain folder of Markdown files, without configuration or front matter, as a one-language site.

use std::path::Path;

use super::source::{LanguageRule, SourceLanguage, SourceSite, read_content};

pub fn read(root: &Path) -> Result<SourceSite, String> {
    if !root.is_dir() {
        return Err(format!("{} is not a folder", root.display()));
    }
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "Imported notes".to_string());
    let mut site = SourceSite {
        base_url: "https://example.org/".to_string(),
        default_language: "en".to_string(),
        languages: vec![SourceLanguage { code: "en".to_string(), title: Some(name), ..SourceLanguage::default() }],
        ..SourceSite::default()
    };
    let known = vec!["en".to_string()];
    read_content(root, "", &LanguageRule { fixed: Some("en"), default: "en", known: &known }, &mut site);
    if site.pages.is_empty() {
        return Err(format!("{} has no .md files", root.display()));
    }
    Ok(site)
}
