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
    let full_width = at.source_line.as_deref().and_then(|line| line.chars().find(|c| is_full_width(*c)));
    let line = at.source_line.clone().unwrap_or_default();
    let (message, help) = match plain_type_error(&raw, &line) {
        Some((message, help)) => (message, help),
        None => (tidy_message(&raw), None),
    };
    let d = Diagnostic::error(code, at, message);
    match (full_width, help) {
        // A Chinese input method types these in place of TOML's ASCII digits and punctuation: whatever the
        // parser says, that is the cause to name.
        (Some(c), _) => d.with_help(format!(
            "this line has the full-width `{c}`; TOML needs ASCII digits and punctuation (0-9 = \" , : [ ] {{ }}) outside quoted text"
        )),
        (None, Some(help)) => d.with_help(help),
        (None, None) => d,
    }
}

/// serde's `invalid type: string "2", expected i64` in plain words: `expected a whole number, found the text
/// "2"`, with the fix (issue 11). `line` is the source line, which names a table written the wrong way.
fn plain_type_error(raw: &str, line: &str) -> Option<(String, Option<String>)> {
    let first = raw.lines().next().unwrap_or(raw).trim().trim_end_matches('.');
    let (found, expected) = first.strip_prefix("invalid type: ")?.split_once(", expected ")?;
    let found_words = if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(n) = found.strip_prefix("integer ").or_else(|| found.strip_prefix("floating point ")) {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        format!("`{}`", b.trim_matches('`'))
    } else {
        match found {
            "map" => "a table".to_string(),
            "sequence" => "a list".to_string(),
            other => other.to_string(),
        }
    };
    let expected_words = match expected {
        "i64" | "i32" | "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number",
        "f64" | "f32" => "a number",
        "a string" | "string" => "text in quotes",
        "a boolean" | "bool" => "true or false",
        "a sequence" => "a list",
        "a map" | "struct" => "a table",
        other => other,
    };
    let help = match (found, expected_words) {
        // Only where the quoted text is what was expected: `"2"` for a number, `"true"` for true or false.
        (f, want @ ("a whole number" | "a number" | "true or false")) if f.starts_with("string ") => {
            let text = f["string ".len()..].trim_matches('"');
            let fits = match want {
                "true or false" => text == "true" || text == "false",
                "a whole number" => text.parse::<i64>().is_ok(),
                _ => text.parse::<f64>().is_ok(),
            };
            fits.then(|| "remove the quotes".to_string())
        }
        (f, "text in quotes") if f.starts_with("integer ") || f.starts_with("floating point ") => {
            Some("put the value in quotes".to_string())
        }
        ("map", "a list") => Some(match table_name(line) {
            Some(name) => format!("`{name}` is a list: write `[[{name}]]`"),
            None => "this is a list: write each item as a `[[name]]` table, or as `[ … ]`".to_string(),
        }),
        _ => None,
    };
    Some((format!("expected {expected_words}, found {found_words}"), help))
}

/// `sources` for the line `[sources]`.
fn table_name(line: &str) -> Option<&str> {
    let name = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    (!name.starts_with('[') && !name.is_empty()).then_some(name)
}

fn is_full_width(c: char) -> bool {
    FULL_WIDTH.contains(&c) || ('０'..='９').contains(&c)
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

const FULL_WIDTH: &[char] = &['＝', '“', '”', '，', '［', '］', '｛', '｝', '＂', '：', '．'];

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
        assert_eq!(d.message, "expected a whole number, found the text \"x\"");
        assert_eq!(d.help, None, "the quotes are not the only problem");
        let file = "+++\nweight = \"2\"\ntitle = \"a\"\n+++\n";
        let d = parse::<Probe>(&source(file), 4, &file[4..file.len() - 4]).unwrap_err();
        assert_eq!(d.help.as_deref(), Some("remove the quotes"));
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
                "this line has the full-width `＝`; TOML needs ASCII digits and punctuation (0-9 = \" , : [ ] { }) outside quoted text"
            )
        );
    }

    #[test]
    fn type_errors_are_in_plain_words() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Listed {
            sources: Vec<String>,
        }
        let text = "[sources]\ntitle = \"x\"\n";
        let d = parse::<Listed>(&source(text), 0, text).unwrap_err();
        assert_eq!(d.message, "expected a list, found a table");
        assert_eq!(d.help.as_deref(), Some("`sources` is a list: write `[[sources]]`"));
        let text = "title = \"a\"\nweight = ２\n";
        let d = parse::<Probe>(&source(text), 0, text).unwrap_err();
        assert!(d.help.as_deref().unwrap().starts_with("this line has the full-width `２`"), "{d:?}");
    }
}
