//! Compiles the theme's tera templates, and turns tera's errors into diagnostics at `template:line:col`.

use std::collections::HashMap;

use tera::{ErrorKind, Tera};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::site::theme::Template;

/// Template name → its source, to point diagnostics at the template's file and line.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    by_name: HashMap<String, SourceText>,
}

impl Sources {
    pub fn new(templates: &[Template]) -> Self {
        let by_name =
            templates.iter().map(|t| (t.name.clone(), SourceText::new(t.path.clone(), t.source.clone()))).collect();
        Sources { by_name }
    }

    fn locate(&self, name: &str, line: usize, column: usize) -> Location {
        match self.by_name.get(name) {
            Some(source) => source.at_line(line, column),
            None => Location { path: name.to_string(), line, column, source_line: None },
        }
    }

    /// A diagnostic for a tera error. `while_rendering` names the page being rendered, if any.
    pub fn diagnostic(&self, err: &tera::Error, while_rendering: Option<&str>) -> Diagnostic {
        let suffix = while_rendering.map(|p| format!(" (while rendering {p})")).unwrap_or_default();
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let at = self.locate(report.filename(), report.span().start_line, report.span().start_col + 1);
                let code = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                    Code::TemplateSyntax
                } else {
                    Code::TemplateError
                };
                let mut message = report.message().to_string();
                if let Some(source) = std::error::Error::source(err) {
                    message = format!("{message}: {source}");
                }
                Diagnostic::error(code, at, format!("{message}{suffix}"))
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                Code::TemplateError,
                self.locate(current, 0, 0),
                format!("`{current}` extends `{parent}`, which does not exist"),
            )
            .with_help("check the name in {% extends %}"),
            ErrorKind::TemplateNotFound(name) => Diagnostic::error(
                Code::TemplateError,
                Location::file(name.clone()),
                format!("template `{name}` not found{suffix}"),
            )
            .with_help("add it to the theme's templates/ folder, or to templates/ in the site"),
            _ => {
                let text = err.to_string();
                let mut located = parse_reports(&text).into_iter();
                match located.next() {
                    Some((name, line, column, message)) => Diagnostic::error(
                        Code::TemplateError,
                        self.locate(&name, line, column),
                        format!("{message}{suffix}"),
                    ),
                    None => {
                        Diagnostic::error(Code::TemplateError, Location::file("templates/"), format!("{text}{suffix}"))
                    }
                }
            }
        }
    }
}

/// Tera joins some errors into one text of reports: `error: MESSAGE` then `--> NAME:LINE:COL`.
fn parse_reports(text: &str) -> Vec<(String, usize, usize, String)> {
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(m) = trimmed.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let (Some(loc), Some(m)) = (trimmed.strip_prefix("--> "), &message) {
            let mut parts = loc.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(column), Some(line_no), Some(name)) = (column, line_no, parts.next()) {
                found.push((name.to_string(), line_no, column, m.clone()));
            }
            message = None;
        }
    }
    found
}

/// Compiles every template. Each template is first parsed alone, so every syntax error is reported,
/// then all together, which checks inheritance and the filters and functions they call.
pub fn compile(templates: &[Template], register: impl Fn(&mut Tera)) -> Result<Tera, Diagnostics> {
    let sources = Sources::new(templates);
    let mut problems = Diagnostics::default();
    for template in templates {
        let mut alone = Tera::new();
        register(&mut alone);
        if let Err(err) = alone.add_raw_template(&template.name, &template.source)
            && matches!(err.kind(), ErrorKind::SyntaxError(_))
        {
            problems.push(sources.diagnostic(&err, None));
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register(&mut tera);
    if let Err(err) = tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.source.as_str()))) {
        let text = err.to_string();
        let reports = parse_reports(&text);
        if reports.len() > 1 {
            for (name, line, column, message) in reports {
                problems.push(Diagnostic::error(Code::TemplateError, sources.locate(&name, line, column), message));
            }
        } else {
            problems.push(sources.diagnostic(&err, None));
        }
        return Err(problems);
    }
    Ok(tera)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, source: &str) -> Template {
        Template { name: name.into(), path: format!("themes/t/templates/{name}"), source: source.into() }
    }

    #[test]
    fn reports_every_syntax_error_with_its_line() {
        let templates = [template("a.html", "ok\n{% if %}\n"), template("b.html", "{{ x }\n")];
        let problems = compile(&templates, |_| {}).unwrap_err().into_sorted();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].path.as_str(), problems[0].line), ("themes/t/templates/a.html", 2));
        assert_eq!(problems[1].path, "themes/t/templates/b.html");
    }

    #[test]
    fn unknown_filters_are_located() {
        let templates = [template("a.html", "line\n{{ x | nosuch }}\n")];
        let problems = compile(&templates, |_| {}).unwrap_err().into_sorted();
        assert_eq!(problems[0].line, 2, "{problems:?}");
        assert!(problems[0].message.contains("nosuch"), "{}", problems[0].message);
    }

    #[test]
    fn rendering_error_names_template_line_and_page() {
        let templates = [template("a.html", "one\n{{ missing.value }}\n")];
        let tera = compile(&templates, |_| {}).unwrap();
        let err = tera.render("a.html", &tera::Context::new()).unwrap_err();
        let d = Sources::new(&templates).diagnostic(&err, Some("content/x.md"));
        assert_eq!((d.path.as_str(), d.line, d.code), ("themes/t/templates/a.html", 2, Code::TemplateError));
        assert!(d.message.ends_with("(while rendering content/x.md)"), "{}", d.message);
    }
}
