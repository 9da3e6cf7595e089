//! Reads Zola and Hugo front matter (YAML between `---`, TOML between `+++`, or none) and maps its keys to
//! diptych's, saying what could not be carried.

use toml::Value;
use toml::value::{Date as TomlDate, Datetime};

use super::report::Group;
use crate::site::date::Date;

/// A page split into its front matter, already as a TOML table, and its body.
#[derive(Debug, Default)]
pub struct Parsed {
    pub table: toml::Table,
    /// The text of the front matter, to find the line of a key.
    pub front_text: String,
    /// The line of the file (from 1) where the front matter text starts.
    pub front_line: usize,
    pub body: String,
    /// The line of the file (from 1) where the body starts.
    pub body_line: usize,
}

/// Splits and parses `text` (`\n` line endings). A problem is its line in the file and a message.
pub fn parse(text: &str) -> Result<Parsed, (usize, String)> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok(Parsed { body: text.to_string(), body_line: 1, front_line: 1, ..Parsed::default() }),
    };
    let start = first.len() + 1;
    let mut pos = start.min(text.len());
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == fence {
            let front_text = &text[start..pos];
            let table = if fence == "---" { yaml_table(front_text) } else { toml_table(front_text) }
                .map_err(|(l, m)| (l + 1, m))?;
            let body = text.get(end + 1..).unwrap_or("").to_string();
            return Ok(Parsed { table, front_text: front_text.to_string(), front_line: 2, body, body_line: line + 1 });
        }
        pos = end + 1;
        line += 1;
    }
    Err((1, format!("the front matter opened with `{fence}` is never closed")))
}

fn toml_table(text: &str) -> Result<toml::Table, (usize, String)> {
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map_or(1, |s| 1 + text[..s.start.min(text.len())].matches('\n').count());
        (line, format!("invalid TOML front matter: {}", e.message()))
    })
}

fn yaml_table(text: &str) -> Result<toml::Table, (usize, String)> {
    if text.trim().is_empty() {
        return Ok(toml::Table::new());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line());
        (line, format!("invalid YAML front matter: {e}"))
    })?;
    match yaml_to_toml(value) {
        Some(Value::Table(table)) => Ok(table),
        None => Ok(toml::Table::new()),
        Some(_) => Err((1, "the YAML front matter is not a mapping of keys to values".to_string())),
    }
}

/// YAML as TOML: `null` has no TOML counterpart and is dropped, keys become strings.
pub fn yaml_to_toml(value: serde_yaml_ng::Value) -> Option<Value> {
    use serde_yaml_ng::Value as Y;
    Some(match value {
        Y::Null => return None,
        Y::Bool(b) => Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().filter_map(yaml_to_toml).collect()),
        Y::Mapping(map) => Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml_ng::to_string(&other).ok()?.trim().to_string(),
                    };
                    Some((key, yaml_to_toml(v)?))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => return yaml_to_toml(tagged.value),
    })
}

/// The line (from 1, within `text`) where `key` is set below the table `section` (`languages.fr`, or `` for
/// the top level), in TOML or YAML; 1 if it is not found.
pub fn key_line_in(text: &str, section: &str, key: &str) -> usize {
    if section.is_empty() {
        return key_line(text, key);
    }
    let last = section.rsplit('.').next().unwrap_or(section);
    let start = text.lines().position(|l| {
        let t = l.trim();
        t == format!("[{section}]") || t == format!("{last}:") || t.starts_with(&format!("{section}."))
    });
    match start {
        Some(i) => {
            let rest: String = text.lines().skip(i).map(|l| format!("{l}\n")).collect();
            i + key_line(&rest, key)
        }
        None => key_line(text, key),
    }
}

/// The line (from 1, within `front_text`) where `key` is set, or 1.
pub fn key_line(front_text: &str, key: &str) -> usize {
    front_text
        .lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('[').trim_start_matches('"');
            l.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['"', ']']).trim_start();
                rest.starts_with('=') || rest.starts_with(':') || rest.is_empty()
            })
        })
        .map_or(1, |i| i + 1)
}

/// Front matter in diptych's keys, with what was not carried.
#[derive(Debug, Default)]
pub struct Mapped {
    pub front: toml::Table,
    pub draft: bool,
    /// Each with the key it is about (to find its line), its group and a message.
    pub notes: Vec<(String, Group, String)>,
}

/// Engine settings of Zola or Hugo that mean nothing to diptych.
const ENGINE_KEYS: &[&str] = &[
    "insert_anchor_links",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "render",
    "redirect_to",
    "in_search_index",
    "transparent",
    "generate_feeds",
    "expiryDate",
    "expirydate",
    "publishDate",
    "publishdate",
    "headless",
    "outputs",
    "cascade",
    "build",
    "markup",
    "translationKey",
    "linkTitle",
    "menu",
    "menus",
    "sitemap",
    "resources",
];

/// Taxonomy keys Hugo and Zola sites commonly put at the top of front matter.
const TAXONOMY_KEYS: &[&str] = &["tags", "categories", "series", "authors", "auteurs"];

/// Maps Zola or Hugo front matter to diptych's. `is_section` for `_index.md`.
pub fn map(table: toml::Table, is_section: bool) -> Mapped {
    let mut m = Mapped::default();
    let mut extra = toml::Table::new();
    for (key, value) in table {
        match key.as_str() {
            "title" | "description" => {
                m.front.insert(key, Value::String(plain_string(&value)));
            }
            "summary" => {
                m.front.entry("description").or_insert(Value::String(plain_string(&value)));
            }
            "date" | "updated" | "lastmod" | "modified" => {
                let target = if key == "date" { "date" } else { "updated" };
                match normalize_date(&value) {
                    Some(date) => {
                        m.front.insert(target.to_string(), date);
                    }
                    None => m.notes.push((key.clone(), Group::FrontMatter, format!("`{key}` is not a date: {value}"))),
                }
            }
            "weight" => match value {
                Value::Integer(_) => {
                    m.front.insert(key, value);
                }
                Value::Float(f) => {
                    m.front.insert(key, Value::Integer(f.round() as i64));
                }
                other => m.notes.push((key, Group::FrontMatter, format!("`weight` is not a number: {other}"))),
            },
            "draft" => m.draft = matches!(value, Value::Boolean(true)),
            "slug" | "path" | "url" => map_path(&mut m, key, &value, is_section),
            "aliases" => {
                for alias in value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]) {
                    m.notes.push((key.clone(), Group::Alias, format!("alias {} not carried", plain_string(&alias))));
                }
            }
            "template" | "layout" | "type" | "page_template" => {
                m.notes.push((key.clone(), Group::Template, format!("`{key} = {value}` not carried")));
            }
            "sort_by" if is_section => match value.as_str() {
                Some(s @ ("weight" | "title" | "date" | "none")) => {
                    m.front.insert(key, Value::String(s.to_string()));
                }
                _ => m.notes.push((
                    key,
                    Group::FrontMatter,
                    format!("`sort_by = {value}`: diptych sorts by weight, title, date or none; weight is used"),
                )),
            },
            "taxonomies" => {
                m.notes.push((key.clone(), Group::Taxonomy, format!("{value} kept as [extra.taxonomies]")));
                extra.insert(key, value);
            }
            k if TAXONOMY_KEYS.contains(&k) => {
                m.notes.push((key.clone(), Group::Taxonomy, format!("`{key} = {value}` kept in [extra]")));
                extra.insert(key, value);
            }
            "extra" | "params" => {
                if let Value::Table(t) = value {
                    extra.extend(t);
                }
            }
            k if ENGINE_KEYS.contains(&k) => {
                m.notes.push((key.clone(), Group::FrontMatter, format!("`{key}` not carried: {value}")));
            }
            _ => {
                m.notes.push((key.clone(), Group::Extra, format!("`{key}` kept as extra.{key}")));
                extra.insert(key, value);
            }
        }
    }
    if !extra.is_empty() {
        m.front.insert("extra".to_string(), Value::Table(extra));
    }
    m
}

fn map_path(m: &mut Mapped, key: String, value: &Value, is_section: bool) {
    let text = plain_string(value);
    if is_section {
        m.notes.push((
            key.clone(),
            Group::FrontMatter,
            format!("`{key} = {text:?}` not carried: a section's URL is its folder's name"),
        ));
        return;
    }
    let (target, cleaned) = match key.as_str() {
        "slug" => ("slug", text.trim_matches('/').to_string()),
        _ => ("path", text.trim_matches('/').to_string()),
    };
    let safe = !cleaned.is_empty() && crate::site::content::check_url_path(&cleaned).is_ok();
    if safe && (target == "path" || !cleaned.contains('/')) {
        m.front.insert(target.to_string(), Value::String(cleaned));
    } else {
        let message = format!("`{key} = {text:?}` is not a plain URL path; not carried");
        m.notes.push((key, Group::FrontMatter, message));
    }
}

fn plain_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `2018-10-09`, `2018-10-09T10:00:00Z` (TOML or text) → the TOML date `2018-10-09`.
pub fn normalize_date(value: &Value) -> Option<Value> {
    let text = match value {
        Value::Datetime(dt) => dt.date.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))?,
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let day = Date::parse(text.get(..10)?).ok()?;
    let (year, month, day) = (day.year, day.month, day.day);
    Some(Value::Datetime(Datetime {
        date: Some(TomlDate { year: u16::try_from(year).ok()?, month: month as u8, day: day as u8 }),
        time: None,
        offset: None,
    }))
}

/// A front matter table as TOML text, `title` first (a `toml::Table` sorts its keys).
pub fn to_text(front: &toml::Table) -> String {
    const FIRST: &[&str] = &["title", "description", "date", "updated", "weight", "slug", "path", "sort_by"];
    let mut out = String::new();
    for key in FIRST {
        if let Some(v) = front.get(*key) {
            out.push_str(&format!("{key} = {v}\n"));
        }
    }
    let rest: toml::Table =
        front.iter().filter(|(k, _)| !FIRST.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    out.push_str(&toml::to_string(&rest).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_maps_to_diptych_keys() {
        let text = "---\ntitle: \"Example\"\ndate: 2025-01-15T10:00:00Z\nlastmod: 2025-02-01\ntags: [\"a\", \"b\"]\naliases: [/old/]\nbookToC: true\nweight: 20\nlayout: landing\n---\n\nBody\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.body_line, 11);
        let mapped = map(parsed.table, false);
        let out = to_text(&mapped.front);
        assert!(
            out.starts_with("title = \"Example\"\ndate = 2025-01-15\nupdated = 2025-02-01\nweight = 20\n"),
            "{out}"
        );
        assert!(out.contains("[extra]\nbookToC = true\ntags = [\"a\", \"b\"]\n"), "{out}");
        let groups: Vec<Group> = mapped.notes.iter().map(|n| n.1).collect();
        assert!(groups.contains(&Group::Alias) && groups.contains(&Group::Template), "{groups:?}");
        assert_eq!(key_line(&parsed.front_text, "aliases"), 5);
        let config = "taxonomies = []\n[languages.fr]\nname = 1\ntaxonomies = []\n";
        assert_eq!(key_line_in(config, "languages.fr", "taxonomies"), 4);
        assert_eq!(
            key_line_in("languages:\n  he:\n    label: x\n    direction: rtl\n", "languages.he", "direction"),
            4
        );
    }

    #[test]
    fn toml_front_matter_with_zola_keys() {
        let text = "+++\ntitle = \"S\"\ndate = 2018-10-09\ndraft = true\nslug = \"x\"\n[taxonomies]\ntags = [\"hello\"]\n+++\nA\n";
        let mapped = map(parse(text).unwrap().table, false);
        assert!(mapped.draft);
        let out = to_text(&mapped.front);
        assert!(out.contains("slug = \"x\""), "{out}");
        assert!(out.contains("[extra.taxonomies]\ntags = [\"hello\"]"), "{out}");
    }

    #[test]
    fn sections_keep_sort_by_but_not_slug() {
        let mapped = map(parse("+++\nsort_by = \"date\"\nslug = \"b\"\n+++\n").unwrap().table, true);
        assert_eq!(to_text(&mapped.front), "sort_by = \"date\"\n");
        assert_eq!(mapped.notes[0].1, Group::FrontMatter);
    }

    #[test]
    fn no_front_matter_and_broken_front_matter() {
        let parsed = parse("# Hello\n").unwrap();
        assert!(parsed.table.is_empty());
        assert_eq!(parsed.body, "# Hello\n");
        assert_eq!(parse("---\ntitle: [\n---\n").unwrap_err().0, 3);
        assert!(parse("+++\ntitle = 1\n").unwrap_err().1.contains("never closed"));
    }
}
