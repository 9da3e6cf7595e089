//! Parses and renders one page file on its own, without a site: what the fuzz target and its regression
//! tests run, so that both exercise exactly the code `build` runs on every page.

use crate::diag::Code;
use crate::diag::from_toml;
use crate::diag::{Diagnostic, Location, SourceText};
use crate::html;
use crate::render::markdown::{self, ShortcodeCall};
use crate::site::frontmatter;

/// A stand-in for a site: `@/a.md` exists, every other key is missing, shortcodes echo their name.
struct Context;

impl markdown::Links for Context {
    fn office_url(&self, _: &str) -> Option<String> {
        None
    }

    fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String> {
        (key == "a.md" && matches!(lang, None | Some("en" | "zh"))).then(|| format!("/{}/a/", lang.unwrap_or("en")))
    }

    fn keys(&self) -> Vec<String> {
        vec!["a.md".into()]
    }

    fn allow_unsafe_html(&self) -> bool {
        false
    }
}

impl markdown::Context for Context {
    fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic> {
        match call.name.as_str() {
            "office" => Ok(format!("<div class=\"office\">{}</div>", call.args.len())),
            other => Err(Diagnostic::error(Code::Shortcode, at.clone(), format!("unknown shortcode `{other}`"))),
        }
    }
}

/// What one page file produced: its problems (rendered both ways) and its HTML.
#[derive(Debug, Default)]
pub struct PageResult {
    pub problems: Vec<Diagnostic>,
    pub html: String,
    /// The number of lines of the normalized text, to check that every problem points inside the file.
    pub lines: usize,
}

/// Runs a file's bytes through normalizing, splitting, front-matter parsing and Markdown rendering, the way
/// `content::load` and `render` do, and reads the HTML back as link checking does. It must never panic.
pub fn check_page(bytes: &[u8]) -> PageResult {
    let mut result = PageResult::default();
    let text = match crate::fsutil::normalize(bytes.to_vec(), "content/page.md") {
        Ok(text) => text,
        Err(_) => return result,
    };
    let source = SourceText::new("content/page.md", text);
    result.lines = source.text.split('\n').count();
    let split = frontmatter::split(&source.text).ok();
    if let Some(split) = split {
        // A site's data files go through the same TOML reader.
        let _ = from_toml::parse::<toml::Table>(
            &source,
            split.front_start,
            &source.text[split.front_start..split.front_end],
        );
    }
    let body_start = match frontmatter::parse_page(&source, "page.md", false) {
        Ok(page) => page.body_start,
        Err(problems) => {
            result.problems.extend(problems);
            split.map_or(0, |s| s.body_start)
        }
    };
    let rendered = markdown::render(&source, body_start, &Context);
    result.problems.extend(rendered.problems);
    for problem in &result.problems {
        let _ = problem.render_long();
    }
    let _ = html::ids(&rendered.html);
    let _ = html::links(&rendered.html);
    let _ = html::link_tags(&rendered.html);
    result.html = rendered.html;
    result
}
