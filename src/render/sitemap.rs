//! `sitemap.xml` with `hreflang` alternates, and `robots.txt`.

use std::fmt::Write as _;

use crate::html::escape;
use crate::site::config::Config;
use crate::site::content::Content;
use crate::urls::site_path;

/// Every translated page once per language it is written in, with its translations as alternates.
/// Pages shown untranslated are left out: their canonical is the original; so are drafts (`--drafts`).
pub fn sitemap(config: &Config, content: &Content) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for entry in &content.entries {
        for lang in &config.languages {
            let Some(&doc) = entry.versions.get(&lang.code) else { continue };
            let front = &content.docs[doc].front;
            if front.draft || content.docs[entry.original].front.draft {
                continue;
            }
            let _ = writeln!(
                xml,
                "  <url>\n    <loc>{}</loc>",
                escape(&config.permalink(&site_path(config, &lang.code, entry)))
            );
            if let Some(date) = front.updated.or(front.reviewed.as_ref().map(|r| *r.get_ref())).or(front.date) {
                let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
            }
            for other in config.languages.iter().filter(|l| entry.versions.contains_key(&l.code)) {
                let _ = writeln!(
                    xml,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    other.lang_tag,
                    escape(&config.permalink(&site_path(config, &other.code, entry)))
                );
            }
            xml.push_str("  </url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(config: &Config) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", config.base_url)
}
