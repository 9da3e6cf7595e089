//! A Zola or Hugo configuration file (TOML or YAML) as a TOML table, with the line of each key for the report.

use std::path::Path;

use super::front_matter::{key_line_in, yaml_to_toml};
use super::report::{Group, Note};
use super::source::{SourceAsset, SourceSite};

pub struct ConfigFile {
    /// Its name in the source folder: `config.toml`.
    pub name: String,
    pub text: String,
    pub table: toml::Table,
    /// Problems reading it.
    pub notes: Vec<Note>,
}

impl ConfigFile {
    /// Reads the first of `names` that exists in `root`; the others that exist too are reported as not read.
    pub fn find(root: &Path, names: &[&str]) -> Result<ConfigFile, String> {
        let present: Vec<&str> = names.iter().copied().filter(|n| root.join(n).is_file()).collect();
        let Some(name) = present.first() else {
            return Err(format!("{} has none of {}: is it the right folder?", root.display(), names.join(", ")));
        };
        let path = root.join(name);
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("cannot read {}: {}", path.display(), crate::fsutil::io_reason(&e)))?;
        let text = crate::fsutil::normalize(bytes, name).map_err(|d| d.render_short())?;
        let mut config = ConfigFile::parse(name, text);
        for other in &present[1..] {
            config.notes.push(Note::new(Group::Config, *other, format!("not read: {name} comes first, as for Hugo")));
        }
        Ok(config)
    }

    /// Parses TOML, or YAML for a name ending in `.yaml`/`.yml`. A syntax error becomes an error note.
    pub fn parse(name: &str, text: String) -> ConfigFile {
        let mut notes = Vec::new();
        let table = if name.ends_with(".yaml") || name.ends_with(".yml") {
            match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) {
                Ok(value) => match yaml_to_toml(value) {
                    Some(toml::Value::Table(t)) => t,
                    _ => toml::Table::new(),
                },
                Err(e) => {
                    let line = e.location().map_or(1, |l| l.line());
                    notes.push(Note::at_line(Group::Error, name, line, format!("invalid YAML: {e}")));
                    toml::Table::new()
                }
            }
        } else {
            text.parse::<toml::Table>().unwrap_or_else(|e| {
                let line = e.span().map_or(1, |s| 1 + text[..s.start.min(text.len())].matches('\n').count());
                notes.push(Note::at_line(Group::Error, name, line, format!("invalid TOML: {}", e.message())));
                toml::Table::new()
            })
        };
        ConfigFile { name: name.to_string(), text, table, notes }
    }

    /// A top-level string, its key matched without regard to case (Hugo's keys are case-insensitive).
    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.as_str()).map(str::to_string)
    }

    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.table.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
    }

    /// A note about `key` of the table `section` (`` for the top level), located at its line.
    pub fn note(&self, group: Group, section: &str, key: &str, message: String) -> Note {
        Note::at_line(group, &self.name, key_line_in(&self.text, section, key), message)
    }
}

/// Copies the source's `static/` folder (if any) to the imported site's `static/`.
pub fn read_static(root: &Path, dir: &str, site: &mut SourceSite) {
    let base = root.join(dir);
    if !base.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(&base).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::site::content::display(entry.path().strip_prefix(&base).unwrap_or(entry.path()));
        match std::fs::read(entry.path()) {
            Ok(bytes) => site.assets.push(SourceAsset { display: format!("{dir}/{rel}"), bytes, static_rel: rel }),
            Err(e) => site.notes.push(Note::new(
                Group::Error,
                format!("{dir}/{rel}"),
                format!("cannot read: {}", crate::fsutil::io_reason(&e)),
            )),
        }
    }
}
