//! Rewrites links between pages to diptych's `@/` form, and links to a page bundle's files to where they are
//! published in `static/`.

use std::collections::BTreeMap;

use super::report::Group;

/// Finds the diptych page a Zola `@/` path, a Hugo `ref`, or a site path (`/docs/a/`) names.
#[derive(Debug, Default)]
pub struct PageIndex {
    /// `docs/a` (no `.md`, no language, no `/index`) → `docs/a.md` (or `docs/_index.md`).
    by_path: BTreeMap<String, String>,
    /// `a` → every key whose last part is `a`, for Hugo's `ref "a"`.
    by_name: BTreeMap<String, Vec<String>>,
}

impl PageIndex {
    /// From the diptych keys of the pages: `docs/a.md`, `docs/_index.md`.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> PageIndex {
        let mut index = PageIndex::default();
        for key in keys {
            let path = normalize(key);
            let name = path.rsplit('/').next().unwrap_or("").to_string();
            index.by_name.entry(name).or_default().push(key.to_string());
            index.by_path.insert(path, key.to_string());
        }
        for keys in index.by_name.values_mut() {
            keys.sort();
            keys.dedup();
        }
        index
    }

    /// The key that `target` (without its `#anchor`) names, seen from the page `from_key`.
    pub fn resolve(&self, target: &str, from_key: &str) -> Option<&str> {
        let target = target.trim();
        if let Some(rooted) = target.strip_prefix("@/").or_else(|| target.strip_prefix('/')) {
            return self.by_path.get(&normalize(rooted)).map(String::as_str);
        }
        let dir = from_key.rsplit_once('/').map_or("", |(d, _)| d);
        if let Some(joined) = join(dir, target)
            && let Some(key) = self.by_path.get(&normalize(&joined))
        {
            return Some(key);
        }
        if let Some(key) = self.by_path.get(&normalize(target)) {
            return Some(key);
        }
        match self.by_name.get(normalize(target).rsplit('/').next().unwrap_or("")) {
            Some(keys) if keys.len() == 1 => Some(&keys[0]),
            _ => None,
        }
    }
}

/// `docs/a/index.fr.md`, `/docs/a/`, `docs/a.md` → `docs/a`; `_index.md` → ``.
fn normalize(path: &str) -> String {
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".md").unwrap_or(path);
    let path = match path.rsplit_once('.') {
        Some((stem, suffix)) if crate::site::config::is_language_code(suffix) && !stem.ends_with('/') => stem,
        _ => path,
    };
    let path = path.trim_end_matches('/');
    for index in ["_index", "index"] {
        if path == index {
            return String::new();
        }
        if let Some(dir) = path.strip_suffix(&format!("/{index}")) {
            return dir.to_string();
        }
    }
    path.to_string()
}

/// `dir` + a relative `target`, with `.` and `..` resolved; `None` if it climbs above the root.
fn join(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What a page's links are rewritten against.
pub struct LinkContext<'a> {
    pub index: &'a PageIndex,
    /// The page's own key.
    pub key: &'a str,
    /// The page bundle's files: name → path under `static/`.
    pub assets: &'a BTreeMap<String, String>,
    /// How many folders deep the page is published (`/fr/blog/a/` is 3), for links to `static/`.
    pub depth: usize,
}

/// Splits a link destination into its target and its `#anchor` (with the `#`).
fn split_anchor(dest: &str) -> (&str, &str) {
    match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

/// The new destination of a Markdown link, or `Err(message)` where it should be reported.
pub fn rewrite_destination(dest: &str, ctx: &LinkContext) -> Result<Option<String>, String> {
    let (target, anchor) = split_anchor(dest);
    if target.is_empty() || target.contains("://") || target.starts_with("//") || target.starts_with("mailto:") {
        return Ok(None);
    }
    if let Some(file) = ctx.assets.get(target.trim_start_matches("./")) {
        return Ok(Some(format!("{}{file}{anchor}", "../".repeat(ctx.depth))));
    }
    match ctx.index.resolve(target, ctx.key) {
        Some(key) => Ok(Some(format!("@/{key}{anchor}"))),
        None if target.starts_with("@/") => Err(format!("`{dest}` points to no imported page; the link was removed")),
        None if target.starts_with('/') => {
            Err(format!("`{dest}` is not an imported page; kept as it is (diptych warns about `/` links)"))
        }
        None => Ok(None),
    }
}

/// Rewrites the inline links of a Markdown body, outside code. Returns the new body and, for each link it
/// could not rewrite, the line in the body (from 0) and a message.
pub fn rewrite(body: &str, ctx: &LinkContext) -> (String, Vec<(usize, Group, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        out.push_str(&rewrite_line(line, ctx, |msg| notes.push((n, Group::Link, msg))));
    }
    (out, notes)
}

/// One line's `[text](dest)` links, skipping inline code.
fn rewrite_line(line: &str, ctx: &LinkContext, mut report: impl FnMut(String)) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(i) = rest.find(['`', ']']) {
        let (before, after) = rest.split_at(i);
        if let Some(code_rest) = after.strip_prefix('`') {
            in_code = !in_code;
            out.push_str(before);
            out.push('`');
            rest = code_rest;
            continue;
        }
        out.push_str(before);
        let Some(link) = after.strip_prefix("](").filter(|_| !in_code) else {
            out.push(']');
            rest = &after[1..];
            continue;
        };
        let end = link.find([')', ' ']).unwrap_or(link.len());
        let dest = &link[..end];
        match rewrite_destination(dest, ctx) {
            Ok(Some(new)) => out.push_str(&format!("]({new}")),
            Ok(None) => out.push_str(&format!("]({dest}")),
            Err(message) if dest.starts_with("@/") => {
                report(message);
                out.push_str("](#");
            }
            Err(message) => {
                report(message);
                out.push_str(&format!("]({dest}"));
            }
        }
        rest = &link[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> PageIndex {
        PageIndex::new(["_index.md", "blog/_index.md", "blog/with-assets.md", "docs/content/pages.md", "base.md"])
    }

    fn rewrite_one(body: &str, key: &str) -> (String, usize) {
        let index = index();
        let assets = BTreeMap::from([("some.js".to_string(), "blog/with-assets/some.js".to_string())]);
        let ctx = LinkContext { index: &index, key, assets: &assets, depth: 3 };
        let (out, notes) = rewrite(body, &ctx);
        (out, notes.len())
    }

    #[test]
    fn zola_links_to_bundles_and_translations_resolve() {
        let (out, _) = rewrite_one("[a](@/blog/with-assets/index.fr.md#top) [b](@/blog/_index.fr.md)\n", "base.md");
        assert_eq!(out, "[a](@/blog/with-assets.md#top) [b](@/blog/_index.md)\n");
    }

    #[test]
    fn hugo_site_paths_and_relative_files_become_page_links() {
        let (out, problems) =
            rewrite_one("See [P](/docs/content/pages/#x), [B](../base.md), [C](/nope/).\n", "blog/a.md");
        assert_eq!(out, "See [P](@/docs/content/pages.md#x), [B](@/base.md), [C](/nope/).\n");
        assert_eq!(problems, 1);
    }

    #[test]
    fn bundle_files_point_into_static_and_code_is_left_alone() {
        let (out, _) =
            rewrite_one("[js](some.js) `[x](/docs/content/pages/)`\n```\n[y](@/base.md)\n```\n", "blog/with-assets.md");
        assert_eq!(
            out,
            "[js](../../../blog/with-assets/some.js) `[x](/docs/content/pages/)`\n```\n[y](@/base.md)\n```\n"
        );
    }

    #[test]
    fn broken_internal_link_is_removed_and_reported() {
        let (out, problems) = rewrite_one("[gone](@/old.md)\n", "base.md");
        assert_eq!((out.as_str(), problems), ("[gone](#)\n", 1));
    }

    #[test]
    fn hugo_refs_by_name_and_relative_path() {
        let index = index();
        assert_eq!(index.resolve("pages", "_index.md"), Some("docs/content/pages.md"));
        assert_eq!(index.resolve("pages.md", "docs/content/_index.md"), Some("docs/content/pages.md"));
        assert_eq!(index.resolve("/docs/content/pages", "_index.md"), Some("docs/content/pages.md"));
        assert_eq!(index.resolve("/", "blog/a.md"), Some("_index.md"));
    }
}
