//! Turns TOML syntax and type errors into located diagnostics with a suggestion where one helps.

use serde::de::DeserializeOwned;

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
        let mut d = Diagnostic::error("unknown-key", at, format!("unknown key `{field}`"));
        let help = match closest(&field, &expected) {
            Some(best) => format!("did you mean `{best}`? Free-form data goes under [extra]"),
            None if expected.is_empty() => "remove it".to_string(),
            None => format!("the keys allowed here are {}; free-form data goes under [extra]", quote_list(&expected)),
        };
        d = d.with_help(help);
        return d;
    }
    if let Some(field) = raw.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
        return Diagnostic::error("missing-key", at, format!("missing required key `{field}`"))
            .with_help(format!("add `{field} = …`"));
    }
    let code =
        if raw.starts_with("invalid type") || raw.starts_with("invalid value") || raw.starts_with("unknown variant") {
            "wrong-type"
        } else {
            "invalid-toml"
        };
    let full_width = at.source_line.as_deref().and_then(|line| line.chars().find(|c| FULL_WIDTH.contains(c)));
    let d = Diagnostic::error(code, at, tidy_message(&raw));
    match full_width {
        // A Chinese input method types these in place of TOML's ASCII punctuation.
        Some(c) if code == "invalid-toml" => d.with_help(format!(
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

pub fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// "did you mean `x`?" for the candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean(word: &str, candidates: &[String]) -> Option<String> {
    closest(word, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= c.chars().count().div_ceil(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Optimal string alignment distance: edits and swaps of two neighbouring letters count one each.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

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
        assert_eq!((d.line, d.column, d.code), (2, 1, "unknown-key"));
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`? Free-form data goes under [extra]"));
    }

    #[test]
    fn offset_shifts_the_position_into_the_file() {
        let file = "+++\nweight = \"x\"\ntitle = \"a\"\n+++\n";
        let d = parse::<Probe>(&source(file), 4, &file[4..file.len() - 4]).unwrap_err();
        assert_eq!((d.line, d.code), (2, "wrong-type"));
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

    #[test]
    fn distance_ignores_far_words() {
        let keys = vec!["title".to_string(), "description".to_string()];
        assert_eq!(closest("descripton", &keys), Some("description"));
        assert_eq!(closest("colour", &keys), None);
    }
}
