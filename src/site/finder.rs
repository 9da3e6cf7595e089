//! A finder: a decision guide declared as data in a section's `[finder]` front matter, and its checks (every
//! answer leads somewhere, no cycles, every result exists, every page of the section is a result, and every
//! translation asks the same questions).

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::diag::suggest;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::site::content::{Content, Doc};

/// The `[finder]` table: the questions, the first being where the guide starts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finder {
    /// A section (`categories`) every page of which must be a result, or be listed in `unreachable`.
    pub section: Option<Spanned<String>>,
    #[serde(default)]
    pub unreachable: Vec<Unreachable>,
    pub questions: Vec<Question>,
}

/// A page of the finder's section that no answer leads to, on purpose.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unreachable {
    pub page: Spanned<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Spanned<String>,
    pub text: String,
    pub help: Option<String>,
    pub answers: Vec<Spanned<Answer>>,
}

/// An answer leads to the question `next`, or to `results`: exactly one of them.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub text: String,
    pub next: Option<Spanned<String>>,
    pub results: Option<Vec<FinderResult>>,
    /// Why its results match, for those results that give no reason of their own.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinderResult {
    /// An internal link to the page: `@/categories/couples-reunion.md`.
    pub page: Spanned<String>,
    pub reason: Option<String>,
}

/// Where an answer leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leads<'a> {
    Question(&'a str),
    Results(Vec<&'a str>),
    Nowhere,
}

impl Answer {
    pub fn leads(&self) -> Leads<'_> {
        match (&self.next, &self.results) {
            (Some(next), None) => Leads::Question(next.get_ref()),
            (None, Some(results)) if !results.is_empty() => {
                Leads::Results(results.iter().map(|r| page_key(r.page.get_ref())).collect())
            }
            _ => Leads::Nowhere,
        }
    }

    /// The reason shown for result `i`: its own, else the answer's.
    pub fn reason(&self, i: usize) -> Option<&str> {
        let own = self.results.as_ref().and_then(|r| r.get(i)).and_then(|r| r.reason.as_deref());
        own.or(self.reason.as_deref())
    }
}

impl Finder {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id.get_ref() == id)
    }

    /// The most answers a reader gives before a result, following every path from the first question;
    /// none if a path loops.
    pub fn depth(&self) -> Option<usize> {
        let start = self.questions.first()?;
        self.depth_from(start, &mut Vec::new())
    }

    fn depth_from<'a>(&'a self, question: &'a Question, path: &mut Vec<&'a str>) -> Option<usize> {
        if path.contains(&question.id.get_ref().as_str()) {
            return None;
        }
        path.push(question.id.get_ref());
        let mut deepest = 0;
        for answer in &question.answers {
            let below = match answer.get_ref().leads() {
                Leads::Question(next) => match self.question(next) {
                    Some(q) => self.depth_from(q, path)?,
                    None => 0,
                },
                _ => 0,
            };
            deepest = deepest.max(below + 1);
        }
        path.pop();
        Some(deepest)
    }
}

/// `@/categories/a.md` → `categories/a.md`.
pub fn page_key(link: &str) -> &str {
    link.strip_prefix("@/").unwrap_or(link)
}

/// Checks every finder of the site: in the original, then in each translation against it.
pub fn check(content: &Content, problems: &mut Diagnostics) {
    for entry in &content.entries {
        let original = &content.docs[entry.original];
        let Some(finder) = &original.front.finder else { continue };
        check_original(content, original, finder.get_ref(), problems);
        for &d in entry.versions.values().filter(|&&d| d != entry.original) {
            check_translation(original, finder.get_ref(), &content.docs[d], problems);
        }
    }
}

fn check_original(content: &Content, doc: &Doc, finder: &Finder, problems: &mut Diagnostics) {
    let ids: Vec<String> = finder.questions.iter().map(|q| q.id.get_ref().clone()).collect();
    let mut seen = BTreeSet::new();
    for q in &finder.questions {
        let id = q.id.get_ref();
        let at = doc.front_location(q.id.span().start);
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            problems.push(
                Diagnostic::error(Code::BadId, at, format!("question id `{id}` cannot be part of a URL"))
                    .with_help("use letters, digits, `-` and `_`"),
            );
        } else if !seen.insert(id.as_str()) {
            problems.push(
                Diagnostic::error(Code::DuplicateId, at, format!("two questions have the id `{id}`"))
                    .with_help("give each question its own id"),
            );
        }
        for answer in &q.answers {
            check_answer(content, doc, q, answer, &ids, problems);
        }
    }
    check_cycles(doc, finder, problems);
    check_asked(doc, finder, problems);
    check_section(content, doc, finder, problems);
}

fn check_answer(
    content: &Content,
    doc: &Doc,
    q: &Question,
    answer: &Spanned<Answer>,
    ids: &[String],
    problems: &mut Diagnostics,
) {
    let a = answer.get_ref();
    let at = doc.front_location(answer.span().start);
    let label = format!("the answer \"{}\" to `{}`", a.text, q.id.get_ref());
    match (&a.next, &a.results) {
        (None, None) | (None, Some(_)) if a.results.as_ref().is_none_or(|r| r.is_empty()) => problems.push(
            Diagnostic::error(Code::FinderAnswer, at, format!("{label} leads nowhere"))
                .with_help("add `next = \"<question id>\"` or `results = [{ page = \"@/…\", reason = \"…\" }]`"),
        ),
        (Some(_), Some(_)) => problems.push(
            Diagnostic::error(Code::FinderAnswer, at, format!("{label} has both `next` and `results`"))
                .with_help("an answer leads either to another question or to results: remove one"),
        ),
        _ => {}
    }
    if let Some(next) = &a.next
        && !ids.contains(next.get_ref())
    {
        let help = suggest::did_you_mean(next.get_ref(), ids)
            .unwrap_or_else(|| format!("the questions are {}", suggest::quote_list(ids)));
        problems.push(
            Diagnostic::error(
                Code::FinderAnswer,
                doc.front_location(next.span().start),
                format!("`next = \"{}\"` names no question", next.get_ref()),
            )
            .with_help(help),
        );
    }
    for (i, result) in a.results.iter().flatten().enumerate() {
        check_result_page(content, doc, &result.page, problems);
        if a.reason(i).is_none() {
            problems.push(
                Diagnostic::error(
                    Code::MissingKey,
                    doc.front_location(result.page.span().start),
                    format!("the result `{}` gives no reason", result.page.get_ref()),
                )
                .with_help("add `reason = \"…\"` to the result, or to its answer for all its results"),
            );
        }
    }
}

/// A result or unreachable page is an `@/` link to a page of the site.
fn check_result_page(content: &Content, doc: &Doc, page: &Spanned<String>, problems: &mut Diagnostics) {
    let link = page.get_ref();
    let at = doc.front_location(page.span().start);
    if !link.starts_with("@/") {
        problems.push(
            Diagnostic::error(Code::BrokenLink, at, format!("`{link}` is not an internal link"))
                .with_help("write the page as it is in content/: `@/categories/couples-reunion.md`"),
        );
        return;
    }
    let key = page_key(link);
    if !content.by_key.contains_key(key) {
        let keys: Vec<String> = content.entries.iter().map(|e| e.key.clone()).collect();
        let help = suggest::closest(key, &keys)
            .map_or_else(|| "link to a page in content/".to_string(), |best| format!("did you mean `@/{best}`?"));
        problems.push(
            Diagnostic::error(Code::BrokenLink, at, format!("`{link}` is not a page of the site")).with_help(help),
        );
    }
}

/// Follows every `next` from every question; a question met again on the way is a cycle, reported once.
fn check_cycles(doc: &Doc, finder: &Finder, problems: &mut Diagnostics) {
    let index: HashMap<&str, &Question> = finder.questions.iter().map(|q| (q.id.get_ref().as_str(), q)).collect();
    let mut reported = BTreeSet::new();
    for q in &finder.questions {
        let mut path = Vec::new();
        walk(doc, &index, q, &mut path, &mut reported, problems);
    }
}

fn walk<'a>(
    doc: &Doc,
    index: &HashMap<&str, &'a Question>,
    q: &'a Question,
    path: &mut Vec<&'a str>,
    reported: &mut BTreeSet<Vec<String>>,
    problems: &mut Diagnostics,
) {
    path.push(q.id.get_ref());
    for answer in &q.answers {
        let Some(next) = &answer.get_ref().next else { continue };
        let Some(&to) = index.get(next.get_ref().as_str()) else { continue };
        if let Some(start) = path.iter().position(|id| id == next.get_ref()) {
            let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
            // One cycle, whichever question it was entered from: keyed by its members in order from the least.
            let least = cycle.iter().enumerate().min_by_key(|(_, id)| *id).map_or(0, |(i, _)| i);
            cycle.rotate_left(least);
            if reported.insert(cycle) {
                let shown: Vec<&str> = path[start..].iter().copied().chain([next.get_ref().as_str()]).collect();
                problems.push(
                    Diagnostic::error(
                        Code::FinderCycle,
                        doc.front_location(next.span().start),
                        format!("the questions loop: {}", shown.join(" → ")),
                    )
                    .with_help("make one of these answers lead to results or to a question not on the loop"),
                );
            }
        } else {
            walk(doc, index, to, path, reported, problems);
        }
    }
    path.pop();
}

/// A question no answer leads to, other than the first, is never asked.
fn check_asked(doc: &Doc, finder: &Finder, problems: &mut Diagnostics) {
    let asked: BTreeSet<&str> = finder
        .questions
        .iter()
        .flat_map(|q| &q.answers)
        .filter_map(|a| a.get_ref().next.as_ref().map(|n| n.get_ref().as_str()))
        .collect();
    for q in finder.questions.iter().skip(1) {
        if !asked.contains(q.id.get_ref().as_str()) {
            problems.push(
                Diagnostic::warning(
                    Code::FinderUnreachable,
                    doc.front_location(q.id.span().start),
                    format!("no answer leads to the question `{}`", q.id.get_ref()),
                )
                .with_help("the first question is the start: lead an answer here with `next`, or remove it"),
            );
        }
    }
}

/// Every page of `section` is a result of some answer, or is declared unreachable with a reason.
fn check_section(content: &Content, doc: &Doc, finder: &Finder, problems: &mut Diagnostics) {
    let Some(section) = &finder.section else { return };
    let name = section.get_ref().trim_matches('/');
    let key = format!("{name}/_index.md");
    let Some(&entry) = content.by_key.get(&key) else {
        problems.push(
            Diagnostic::error(
                Code::BrokenLink,
                doc.front_location(section.span().start),
                format!("`section = \"{name}\"` names no section: there is no content/{key}"),
            )
            .with_help("name a folder of content/ that has an _index.md"),
        );
        return;
    };
    for u in &finder.unreachable {
        check_result_page(content, doc, &u.page, problems);
    }
    let results: BTreeSet<&str> = finder
        .questions
        .iter()
        .flat_map(|q| &q.answers)
        .flat_map(|a| a.get_ref().results.iter().flatten().map(|r| &r.page))
        .chain(finder.unreachable.iter().map(|u| &u.page))
        .map(|page| page_key(page.get_ref()))
        .collect();
    let mut pages: Vec<&str> = content.entries[entry].pages.iter().map(|&p| content.entries[p].key.as_str()).collect();
    pages.sort_unstable();
    for page in pages {
        if !results.contains(page) {
            problems.push(
                Diagnostic::error(
                    Code::FinderUnreachable,
                    doc.front_location(section.span().start),
                    format!("no answer leads to `@/{page}`, a page of `{name}`"),
                )
                .with_help(format!(
                    "add it to an answer's `results`, or to `unreachable = [{{ page = \"@/{page}\", reason = \"…\" }}]`"
                )),
            );
        }
    }
}

/// A translation asks the same questions, in the same order, with the same answers leading to the same places.
fn check_translation(original: &Doc, finder: &Finder, doc: &Doc, problems: &mut Diagnostics) {
    let Some(translated) = &doc.front.finder else {
        problems.push(
            Diagnostic::error(
                Code::FinderTranslation,
                doc.source.locate(0),
                format!("this translation has no [finder] table, which {} has", original.source.path),
            )
            .with_help("copy the [finder] table of the original and translate its texts"),
        );
        return;
    };
    let table_at = doc.front_location(translated.span().start);
    let translated = translated.get_ref();
    for (i, q) in finder.questions.iter().enumerate() {
        let id = q.id.get_ref();
        let Some(t) = translated.question(id) else {
            let at = original.front_location(q.id.span().start);
            problems.push(
                Diagnostic::error(
                    Code::FinderTranslation,
                    table_at.clone(),
                    format!("the question `{id}` ({}:{}:{}) is not translated here", at.path, at.line, at.column),
                )
                .with_help(format!("add a [[finder.questions]] with `id = \"{id}\"` and its answers, translated")),
            );
            continue;
        };
        let at = doc.front_location(t.id.span().start);
        let position = translated.questions.iter().position(|x| x.id.get_ref() == id);
        if position != Some(i) {
            problems.push(
                Diagnostic::error(
                    Code::FinderTranslation,
                    at.clone(),
                    format!("the question `{id}` is number {} in the original", i + 1),
                )
                .with_help("keep the questions in the original's order"),
            );
        }
        if t.answers.len() != q.answers.len() {
            problems.push(
                Diagnostic::error(
                    Code::FinderTranslation,
                    at,
                    format!(
                        "the question `{id}` has {} answers here and {} in the original",
                        t.answers.len(),
                        q.answers.len()
                    ),
                )
                .with_help("translate each answer of the original, in its order"),
            );
            continue;
        }
        for (n, (a, b)) in q.answers.iter().zip(&t.answers).enumerate() {
            if a.get_ref().leads() != b.get_ref().leads() {
                problems.push(
                    Diagnostic::error(
                        Code::FinderTranslation,
                        doc.front_location(b.span().start),
                        format!("answer {} to `{id}` leads elsewhere than in the original", n + 1),
                    )
                    .with_help("give it the original's `next` or `results`; only the texts are translated"),
                );
            }
        }
    }
    for t in &translated.questions {
        if finder.question(t.id.get_ref()).is_none() {
            problems.push(
                Diagnostic::error(
                    Code::FinderTranslation,
                    doc.front_location(t.id.span().start),
                    format!("the question `{}` is not in the original", t.id.get_ref()),
                )
                .with_help(format!("questions are added in {} first", original.source.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(toml_text: &str) -> Finder {
        #[derive(Deserialize)]
        struct Front {
            finder: Finder,
        }
        toml::from_str::<Front>(toml_text).expect("a finder").finder
    }

    #[test]
    fn depth_counts_answers_to_the_deepest_result() {
        let f = finder(
            "[[finder.questions]]\nid = \"a\"\ntext = \"A?\"\n[[finder.questions.answers]]\ntext = \"x\"\nnext = \"b\"\n\
             [[finder.questions]]\nid = \"b\"\ntext = \"B?\"\n[[finder.questions.answers]]\ntext = \"y\"\n\
             results = [{ page = \"@/p.md\", reason = \"r\" }]\n",
        );
        assert_eq!(f.depth(), Some(2));
        assert_eq!(f.questions[1].answers[0].get_ref().leads(), Leads::Results(vec!["p.md"]));
    }

    #[test]
    fn a_loop_has_no_depth() {
        let f = finder(
            "[[finder.questions]]\nid = \"a\"\ntext = \"A?\"\n[[finder.questions.answers]]\ntext = \"x\"\nnext = \"a\"\n",
        );
        assert_eq!(f.depth(), None);
    }
}
