//! The shipped guide's category finder, walked as a reader would: from the first question, every answer link of
//! every published step, in every language. No step is a dead end, every category is a result, and no result is
//! more than five answers deep.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CATEGORIES: usize = 12;
const MAX_ANSWERS: usize = 5;

/// The `href`s of the links in the part of `html` between `start` and the next `</ul>` or `</section>`.
fn links_in(html: &str, start: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(start) {
        let block = &rest[at..];
        let end = block.find("</ul>").into_iter().chain(block.find("</h3>")).min().unwrap_or(block.len());
        let mut part = &block[..end];
        while let Some(i) = part.find("href=\"") {
            let tail = &part[i + 6..];
            let close = tail.find('"').expect("a closed attribute");
            links.push(tail[..close].to_string());
            part = &tail[close..];
        }
        rest = &block[end..];
    }
    links
}

#[test]
fn every_path_of_the_shipped_finder_ends_in_categories_within_five_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (output, _) = diptych::render_in_memory(root, None).expect("the shipped guide builds");
    let pages: BTreeMap<String, String> = output
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (format!("/{}", f.path.trim_end_matches("index.html")), String::from_utf8_lossy(&f.bytes).into()))
        .collect();
    for lang in ["en", "zh"] {
        let start = format!("/{lang}/finder/");
        let categories = format!("/{lang}/categories/");
        let mut reached = BTreeSet::new();
        let mut deepest = 0;
        // (page, answers given to reach it)
        let mut todo = vec![(start.clone(), 0)];
        let mut seen = BTreeSet::new();
        while let Some((url, depth)) = todo.pop() {
            assert!(seen.insert(url.clone()), "{url} is reached twice: a loop or a shared step");
            let html = pages.get(&url).unwrap_or_else(|| panic!("{url} is linked but not published"));
            let answers = links_in(html, "<ul class=\"finder-answers\">");
            let results = links_in(html, "<h3 id=\"finder-result-");
            assert!(!answers.is_empty() || !results.is_empty(), "{url} is a dead end");
            for result in &results {
                assert!(result.starts_with(&categories) && pages.contains_key(result), "{url} names {result}");
                reached.insert(result.clone());
                deepest = deepest.max(depth);
            }
            if !results.is_empty() {
                assert!(html.contains("href=\"tel:12367\""), "{url} offers no hotline");
            }
            todo.extend(answers.into_iter().map(|next| (next, depth + 1)));
        }
        assert_eq!(reached.len(), CATEGORIES, "{lang}: the categories reached are {reached:?}");
        assert!(deepest <= MAX_ANSWERS, "{lang}: a result is {deepest} answers deep");
    }
}
