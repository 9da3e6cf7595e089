//! Turns TOML syntax and type errors into located diagnostics with a suggestion where one helps.

use serde::de::DeserializeOwned;

use crate::diag::Code;
use crate::diag::suggest::{closest, quote_list};
use crate::diag::{Diagnostic, SourceText};

/// Parses `text[offset..offset + len]` of `source` as `T`; an error points into the whole file.
pub fn parse<T: DeserializeOwned>(source: &SourceText, offset: usize, toml_text: &str) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|err| to_diagnostic(source, offset, &err))
}

pub fn to_diagnostic(source: &SourceText, offset: usize, err: &toml::de::Error) -> Diagnostic {
    let at = match err.span() {
        Some(span) => source.locate(offset + span.start),
        None => source.locate(offset),
    };
    let raw = err.message().trim().to_string();
    if let Some((field, expected)) = parse_unknown_field(&raw) {
        let mut d = Diagnostic::error(Code::UnknownKey, at, format!("unknown key `{field}`"));
        let help = match closest(&field, &expected) {
            Some(best) => format!("did you mean `{best}`? Free-form data goes under [extra]"),
            None if expected.is_empty() => "remove it".to_string(),
            None => format!("the keys allowed here are {}; free-form data goes under [extra]", quote_list(&expected)),
        };
        d = d.with_help(help);
        return d;
    }
    if let Some(field) = raw.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
        return Diagnostic::error(Code::MissingKey, at, format!("missing required key `{field}`"))
            .with_help(format!("add `{field} = …`"));
    }
    let code =
        if raw.starts_with("invalid type") || raw.starts_with("invalid value") || raw.starts_with("unknown variant") {
            Code::WrongType
        } else {
            Code::InvalidToml
        };
    let full_width = at.source_line.as_deref().and_then(|line| line.chars().find(|c| FULL_WIDTH.contains(c)));
    let d = Diagnostic::error(code, at, tidy_message(&raw));
    match full_width {
        // A Chinese input method types these in place of TOML's ASCII punctuation.
        Some(c) if code == Code::InvalidToml => d.with_help(format!(
            "this line has the full-width `{c}`; TOML needs ASCII punctuation (= \" , [ ] {{ }}) outside quoted text"
        )),
        _ => d,
    }
}

/// serde says "unknown field `x`, expected one of `a`, `b`" or "…, expected `a`" or "…, there are no fields".
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((field.to_string(), expected))
}

fn tidy_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let mut text = first.replace("invalid type: ", "wrong type: ").replace("unknown variant", "unknown value");
    if let Some(stripped) = text.strip_suffix('.') {
        text = stripped.to_string();
    }
    text
}

const FULL_WIDTH: &[char] = &['＝', '“', '”', '，', '［', '］', '｛', '｝', '＂'];

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        title: String,
        weight: Option<i64>,
    }

    fn source(text: &str) -> SourceText {
        SourceText::new("f.toml", text.to_string())
    }

    #[test]
    fn unknown_key_names_line_and_suggests_the_closest() {
        let text = "title = \"a\"\ntitel = \"b\"\n";
        let d = parse::<Probe>(&source(text), 0, text).unwrap_err();
        assert_eq!((d.line, d.column, d.code), (2, 1, Code::UnknownKey));
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`? Free-form data goes under [extra]"));
    }

    #[test]
    fn offset_shifts_the_position_into_the_file() {
        let file = "+++\nweight = \"x\"\ntitle = \"a\"\n+++\n";
        let d = parse::<Probe>(&source(file), 4, &file[4..file.len() - 4]).unwrap_err();
        assert_eq!((d.line, d.code), (2, Code::WrongType));
        assert!(d.message.starts_with("wrong type: string \"x\", expected i64"), "{}", d.message);
    }

    #[test]
    fn missing_field_is_named() {
        let d = parse::<Probe>(&source("weight = 1\n"), 0, "weight = 1\n").unwrap_err();
        assert_eq!(d.message, "missing required key `title`");
    }

    #[test]
    fn full_width_punctuation_gets_a_hint() {
        let text = "title ＝ \"办理地点\"\n";
        let d = parse::<Probe>(&source(text), 0, text).unwrap_err();
        assert_eq!(d.line, 1, "{d:?}");
        assert_eq!(
            d.help.as_deref(),
            Some(
                "this line has the full-width `＝`; TOML needs ASCII punctuation (= \" , [ ] { }) outside quoted text"
            )
        );
    }
}
