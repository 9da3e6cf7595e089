//! A page's old URLs (`aliases` in its front matter): a redirect page at each, and the `_redirects` file that
//! lists them for hosts that read one (Netlify, Cloudflare Pages), unless the site ships its own.

use crate::diag::Location;
use crate::html::escape;
use crate::render::OutFile;
use crate::site::config::Config;
use crate::site::content::{Content, Doc, Entry};
use crate::urls::{alias_file, site_path};

/// The file name hosts read redirects from.
pub const REDIRECTS_FILE: &str = "_redirects";

/// One old URL of a page in one language.
pub struct Alias<'a> {
    /// As the editor wrote it: `/en/categories/old-name/`.
    pub written: &'a str,
    /// The output file: `en/categories/old-name/index.html`.
    pub file: String,
    /// The doc that lists it, whose language the redirect leads to.
    pub doc: &'a Doc,
    pub entry: &'a Entry,
    /// Where the alias is written in the doc's front matter.
    pub at: Location,
}

/// Every alias of every published doc, by output file, then by where it is written.
pub fn list(content: &Content) -> Vec<Alias<'_>> {
    let mut aliases: Vec<Alias> = content
        .entries
        .iter()
        .flat_map(|entry| entry.versions.values().map(move |&doc| (entry, &content.docs[doc])))
        .flat_map(|(entry, doc)| {
            doc.front.aliases.iter().map(move |alias| Alias {
                written: alias.get_ref(),
                file: alias_file(alias.get_ref()),
                doc,
                entry,
                at: doc.front_location(alias.span().start),
            })
        })
        .collect();
    aliases.sort_by(|a, b| (&a.file, &a.at.path, a.at.line).cmp(&(&b.file, &b.at.path, b.at.line)));
    aliases
}

/// The redirect pages, and `_redirects` unless `own_redirects` (the site's static files have one).
pub fn render(config: &Config, content: &Content, own_redirects: bool) -> Vec<OutFile> {
    let aliases = list(content);
    let mut files: Vec<OutFile> =
        aliases.iter().map(|a| OutFile { path: a.file.clone(), bytes: page(config, a).into_bytes() }).collect();
    if !own_redirects && !aliases.is_empty() {
        let lines: String = aliases
            .iter()
            .map(|a| format!("{} {} 301\n", config.url(a.written.trim_start_matches('/')), target(config, a)))
            .collect();
        files.push(OutFile { path: REDIRECTS_FILE.to_string(), bytes: lines.into_bytes() });
    }
    files
}

/// The root-relative URL an alias leads to.
fn target(config: &Config, alias: &Alias) -> String {
    config.url(&site_path(config, &alias.doc.lang, alias.entry))
}

/// A page that sends the reader on at once, tells search engines where the page lives now, and is not
/// indexed itself; without refresh, the reader follows the link.
fn page(config: &Config, alias: &Alias) -> String {
    let url = escape(&target(config, alias));
    let canonical = escape(&config.permalink(&site_path(config, &alias.doc.lang, alias.entry)));
    let lang = config.language(&alias.doc.lang).map_or(alias.doc.lang.as_str(), |l| l.lang_tag.as_str());
    let title = escape(alias.doc.title());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<main>\n\
         <h1><a href=\"{url}\">{title}</a></h1>\n</main>\n</body>\n</html>\n"
    )
}
