//! The Atom feed of each language (RFC 4287): the pages written or reviewed most recently in that language, so
//! that readers and partner organisations can follow changes to the rules.

use std::fmt::Write as _;

use crate::html::escape;
use crate::site::config::{Config, Language};
use crate::site::content::{Content, Doc, Entry};
use crate::site::date::{Date, TimeZone};
use crate::urls::{HOME, feed_path, site_path};

/// A page of the feed: its entry, its doc in the feed's language, and the last day it changed.
struct Item<'a> {
    entry: &'a Entry,
    doc: &'a Doc,
    updated: Date,
}

/// The feed of `lang`: its pages and sections (not the home page), newest first by the latest of their
/// `date`, `updated` and `reviewed`, at most `[feeds] limit` of them. Left out: a page shown in `lang`
/// untranslated (it is not new content in that language), a draft, and a page with none of those dates, which
/// cannot be placed in time.
pub fn feed(config: &Config, content: &Content, lang: &Language) -> String {
    let items = items(config, content, &lang.code);
    let zone = config.time_zone;
    let self_url = config.permalink(&feed_path(config, &lang.code));
    // An empty feed still needs an `updated`: the epoch says "nothing yet" and keeps two builds identical.
    let updated = items
        .first()
        .map_or_else(|| Date::from_days_since_epoch(0).rfc3339(TimeZone::UTC), |i| i.updated.rfc3339(zone));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", text(&lang.lang_tag));
    element(&mut xml, "  ", "title", &lang.title);
    if !lang.description.is_empty() {
        element(&mut xml, "  ", "subtitle", &lang.description);
    }
    link(&mut xml, "  ", "self", "application/atom+xml", &self_url);
    link(&mut xml, "  ", "alternate", "text/html", &config.permalink(&config.language_prefix(&lang.code)));
    element(&mut xml, "  ", "id", &self_url);
    element(&mut xml, "  ", "updated", &updated);
    // Atom requires an author of the feed or of every entry.
    let author = config.feeds.author.as_deref().unwrap_or(&lang.title);
    let _ = writeln!(xml, "  <author>\n    <name>{}</name>\n  </author>", text(author));
    element(&mut xml, "  ", "generator", "diptych");
    for item in &items {
        entry(&mut xml, config, lang, item);
    }
    xml.push_str("</feed>\n");
    xml
}

fn items<'a>(config: &Config, content: &'a Content, lang: &str) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = content
        .entries
        .iter()
        .filter(|entry| entry.key != HOME)
        .filter_map(|entry| {
            let doc = &content.docs[*entry.versions.get(lang)?];
            if doc.front.draft || content.docs[entry.original].front.draft {
                return None;
            }
            let front = &doc.front;
            let reviewed = front.reviewed.as_ref().map(|r| *r.get_ref());
            let updated = [front.date, front.updated, reviewed].into_iter().flatten().max()?;
            Some(Item { entry, doc, updated })
        })
        .collect();
    items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.entry.key.cmp(&b.entry.key)));
    items.truncate(*config.feeds.limit.get_ref());
    items
}

fn entry(xml: &mut String, config: &Config, lang: &Language, item: &Item) {
    let front = &item.doc.front;
    let url = config.permalink(&site_path(config, &lang.code, item.entry));
    let _ = writeln!(xml, "  <entry xml:lang=\"{}\">", text(&lang.lang_tag));
    element(xml, "    ", "title", item.doc.title());
    link(xml, "    ", "alternate", "text/html", &url);
    // The page's address is its identity: it stays when the page is edited, reviewed or translated.
    element(xml, "    ", "id", &url);
    if let Some(date) = front.date {
        element(xml, "    ", "published", &date.rfc3339(config.time_zone));
    }
    element(xml, "    ", "updated", &item.updated.rfc3339(config.time_zone));
    if let Some(description) = front.description.as_deref().filter(|d| !d.trim().is_empty()) {
        element(xml, "    ", "summary", description);
    }
    xml.push_str("  </entry>\n");
}

fn element(xml: &mut String, indent: &str, name: &str, value: &str) {
    let _ = writeln!(xml, "{indent}<{name}>{}</{name}>", text(value));
}

fn link(xml: &mut String, indent: &str, rel: &str, kind: &str, href: &str) {
    let _ = writeln!(xml, "{indent}<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>", text(href));
}

/// `value` escaped for XML text and attributes, without the control characters XML 1.0 cannot carry at all
/// (a title may hold one from a TOML `\u0001` escape): one such character would make the whole feed unreadable.
fn text(value: &str) -> String {
    let allowed = |c: &char| matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'));
    escape(&value.chars().filter(allowed).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_keeps_only_what_xml_can_carry() {
        assert_eq!(text("a <b> & \"c\" ]]> \u{1}\u{8}\t\u{FFFE}d"), "a &lt;b&gt; &amp; &quot;c&quot; ]]&gt; \td");
    }
}
