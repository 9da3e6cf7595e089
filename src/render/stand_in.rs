//! When templates do not compile, the site is still rendered with a stand-in for each broken template, so
//! that one template error does not hide the rest: broken links, unsafe HTML and collisions in content are
//! found in the same run (issue 10). The stand-in writes only the page's content; nothing it renders is
//! published, as the template errors stop the build.

use crate::diag::{Code, Diagnostic};
use crate::site::Site;
use crate::site::theme::Theme;

/// What a broken template is replaced with: the page's rendered Markdown alone.
const STAND_IN: &str = "{{ page.content | safe }}";

/// The site with each template named in `problems` replaced by the stand-in, or `None` if none is.
pub fn with_stand_ins(site: &Site, problems: &[Diagnostic]) -> Option<Site> {
    let broken = |path: &str| problems.iter().any(|d| d.code == Code::TemplateError && d.path == path);
    if !site.theme.templates.iter().any(|t| broken(&t.path)) {
        return None;
    }
    let mut templates = site.theme.templates.clone();
    for t in templates.iter_mut().filter(|t| broken(&t.path)) {
        t.source = STAND_IN.to_string();
    }
    Some(Site {
        root: site.root.clone(),
        config: site.config.clone(),
        content: site.content.clone(),
        theme: Theme { templates, ..site.theme.clone() },
        offices: site.offices.clone(),
    })
}

/// Whether `problem` comes from a stand-in rather than from the site: errors in the templates replaced.
pub fn is_artifact(problem: &Diagnostic, original: &[Diagnostic]) -> bool {
    problem.code == Code::TemplateError
        && original.iter().any(|d| d.code == Code::TemplateError && d.path == problem.path)
}
