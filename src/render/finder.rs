//! Renders a finder in one language: a small page per question and per answer that leads to results, whose
//! answers are links (so the guide works without JavaScript), and every step as JSON for the script that runs
//! the guide in place.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::pages::LinkContext;
use crate::diag::{Diagnostic, Location};
use crate::render::OutFile;
use crate::render::markdown;
use crate::render::office_export::json_in_script;
use crate::render::views;
use crate::site::config::Language;
use crate::site::finder::{Answer, Finder, Leads, Question, page_key};
use crate::urls::file_for;

/// One page of the guide: a question, or the results of an answer.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// `question` or `result`.
    pub kind: &'static str,
    /// Below the finder's own path: `` for the first question, `who/` for another, `who/1/` for results.
    pub suffix: String,
    pub url: String,
    pub heading: String,
    pub help: Option<String>,
    pub answers: Vec<AnswerLink>,
    /// For results: the question and the answer that led here.
    pub asked: Option<String>,
    pub answered: Option<String>,
    pub results: Vec<ResultView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnswerLink {
    pub text: String,
    pub url: String,
}

/// A matching page: its title and link, why it matched, and the conditions to check on it.
#[derive(Clone, Debug, Serialize)]
pub struct ResultView {
    pub title: String,
    pub url: String,
    pub reason: String,
    pub summary: Option<String>,
    pub conditions: Vec<String>,
    /// Where the page is not translated: the language its texts are in.
    pub lang_tag: Option<String>,
}

/// What the templates get as `finder`: the step the page shows, and where the guide starts.
#[derive(Serialize)]
struct FinderView<'a> {
    step: &'a Step,
    start_url: &'a str,
    /// The JSON file of every step, for the script.
    steps_url: String,
    is_start: bool,
}

/// The steps of a finder in one language, the first question first.
pub struct Steps {
    pub steps: Vec<Step>,
    start_url: String,
}

const STEPS_FILE: &str = "steps.json";

impl Steps {
    /// Puts step `i` in the context as `finder`.
    pub fn insert(&self, i: usize, ctx: &mut Context) {
        let view = FinderView {
            step: &self.steps[i],
            start_url: &self.start_url,
            steps_url: format!("{}{STEPS_FILE}", self.start_url),
            is_start: i == 0,
        };
        ctx.insert("finder", &view);
    }
}

impl Renderer<'_> {
    /// Every step of the finder at `start_url`: the questions and answers of `finder`, the original, with the
    /// texts of `texts`, the doc shown in `lang`, where it has them. A translation that misses a question is an
    /// error (`site::finder`), but its pages still have the original's URLs, so no link to them breaks.
    pub(super) fn finder_steps(
        &self,
        finder: &Finder,
        texts: &Finder,
        lang: &Language,
        start_url: &str,
        links: &LinkContext,
    ) -> Steps {
        let url_of = |suffix: &str| format!("{start_url}{suffix}");
        let question_suffix =
            |q: &Question, first: bool| if first { String::new() } else { format!("{}/", q.id.get_ref()) };
        let first = finder.questions.first().map(|q| q.id.get_ref().as_str());
        let suffix_of = |id: &str| finder.question(id).map(|q| question_suffix(q, Some(id) == first));
        let mut steps = Vec::new();
        let mut results = Vec::new();
        for (qi, q) in finder.questions.iter().enumerate() {
            let shown = texts.question(q.id.get_ref()).filter(|t| t.answers.len() == q.answers.len()).unwrap_or(q);
            let mut answers = Vec::new();
            for (ai, (answer, text)) in q.answers.iter().zip(&shown.answers).enumerate() {
                let (a, text) = (answer.get_ref(), text.get_ref());
                let suffix = match a.leads() {
                    Leads::Question(next) => suffix_of(next).unwrap_or_default(),
                    Leads::Results(_) => {
                        let suffix = format!("{}/{}/", q.id.get_ref(), ai + 1);
                        let at = (shown, a, text);
                        results.push(self.result_step(at, &suffix, url_of(&suffix), &lang.code, links));
                        suffix
                    }
                    Leads::Nowhere => continue,
                };
                answers.push(AnswerLink { text: text.text.clone(), url: url_of(&suffix) });
            }
            let suffix = question_suffix(q, qi == 0);
            steps.push(Step {
                kind: "question",
                url: url_of(&suffix),
                suffix,
                heading: shown.text.clone(),
                help: shown.help.clone(),
                answers,
                asked: None,
                answered: None,
                results: Vec::new(),
            });
        }
        steps.extend(results);
        Steps { steps, start_url: start_url.to_string() }
    }

    /// The results of answer `a` to question `q`, with the texts of `text`, the same answer in the language shown.
    fn result_step(
        &self,
        (q, a, text): (&Question, &Answer, &Answer),
        suffix: &str,
        url: String,
        lang: &str,
        links: &LinkContext,
    ) -> Step {
        let reason = |i: usize| text.reason(i).or_else(|| a.reason(i)).unwrap_or("");
        let results = a
            .results
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, r)| self.result_view(page_key(r.page.get_ref()), reason(i), lang, links))
            .collect();
        Step {
            kind: "result",
            suffix: suffix.to_string(),
            url,
            heading: String::new(),
            help: None,
            answers: Vec::new(),
            asked: Some(q.text.clone()),
            answered: Some(text.text.clone()),
            results,
        }
    }

    /// A result page's title, link, summary and conditions in `lang`. Problems in its conditions are reported
    /// by its own page, so they are not reported again here.
    fn result_view(&self, key: &str, reason: &str, lang: &str, links: &LinkContext) -> Option<ResultView> {
        let site = self.site;
        let index = site.find(key)?;
        let (doc, fallback) = site.doc_for(site.entry(index), lang);
        let mut ignored = markdown::Rendered::default();
        let locate = |_: &str, _: usize| Location::file(&doc.source.path);
        let mut inline = |text: &str| views::inline_markdown(text, links, &locate, &mut ignored);
        let category = doc.front.category.as_ref().map(|c| c.get_ref());
        Some(ResultView {
            title: doc.title().to_string(),
            url: self.index.url(lang, index).unwrap_or_default().to_string(),
            reason: reason.to_string(),
            summary: category.and_then(|c| c.summary.as_deref()).map(&mut inline),
            conditions: category.map(|c| c.conditions.iter().map(|t| inline(t)).collect()).unwrap_or_default(),
            lang_tag: fallback.then(|| site.config.language(&doc.lang).map(|l| l.lang_tag.clone())).flatten(),
        })
    }

    /// The pages of every step but the first (which is the finder's own page, already rendered with `ctx`),
    /// and the JSON of every step. `ctx` is the first page's context; `path` its site path.
    pub(super) fn finder_files(
        &self,
        steps: &Steps,
        ctx: &Context,
        template: &str,
        path: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<OutFile> {
        let mut files = Vec::new();
        let mut json = serde_json::Map::new();
        for (i, step) in steps.steps.iter().enumerate() {
            let mut ctx = ctx.clone();
            steps.insert(i, &mut ctx);
            if i > 0 {
                self.retarget(&mut ctx, &step.suffix);
                match self.tera.render(template, &ctx) {
                    Ok(html) => {
                        files.push(OutFile { path: file_for(&format!("{path}{}", step.suffix)), bytes: html.into() })
                    }
                    Err(err) => {
                        problems.push(self.sources.diagnostic(&err, None));
                        continue;
                    }
                }
            }
            match self.tera.render("partials/finder-step.html", &ctx) {
                Ok(html) => {
                    json.insert(step.url.clone(), serde_json::json!({ "html": html }));
                }
                Err(err) => problems.push(self.sources.diagnostic(&err, None)),
            }
        }
        let json = json_in_script(&serde_json::Value::Object(json).to_string());
        files.push(OutFile { path: format!("{path}{STEPS_FILE}"), bytes: json.into_bytes() });
        files
    }

    /// The alternates, `x-default` and canonical of a step's page: the finder's own, with the step's suffix.
    fn retarget(&self, ctx: &mut Context, suffix: &str) {
        for key in ["canonical", "x_default"] {
            if let Some(url) = ctx.get(key).and_then(|v| v.as_str()).map(str::to_string) {
                ctx.insert(key, &format!("{url}{suffix}"));
            }
        }
        if let Some(alternates) = ctx.get("alternates").cloned() {
            let json: serde_json::Value = serde_json::to_value(&alternates).unwrap_or_default();
            let mut list = json.as_array().cloned().unwrap_or_default();
            for alt in &mut list {
                for field in ["url", "permalink"] {
                    if let Some(serde_json::Value::String(s)) = alt.get_mut(field) {
                        s.push_str(suffix);
                    }
                }
            }
            ctx.insert("alternates", &list);
        }
    }
}
