//! The error index: `docs/diagnostics.md` has a section per code (what it means, an example, the fix), and
//! `diptych explain CODE` prints that section, so the command and the document cannot say different things.

use super::Code;

const INDEX: &str = include_str!("../../docs/diagnostics.md");

/// The section of `docs/diagnostics.md` about `code`, from its `## `code`` heading to the next heading; the
/// one-line explanation if the document has no section (a test keeps that from happening).
pub fn explain(code: Code) -> String {
    section(INDEX, code).map_or_else(|| format!("{}: {}\n", code.name(), code.explanation()), str::to_string)
}

/// Every code with its one-line explanation, in order.
pub fn list() -> String {
    Code::ALL.iter().map(|c| format!("{:<24} {}\n", c.name(), c.explanation())).collect()
}

fn section(index: &str, code: Code) -> Option<&str> {
    let heading = format!("## `{}`\n", code.name());
    let start = index.find(&heading)?;
    let rest = &index[start..];
    let end = rest[heading.len()..].find("\n## ").map_or(rest.len(), |i| heading.len() + i + 1);
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_has_a_section_for_every_code() {
        let missing: Vec<&str> = Code::ALL.iter().filter(|c| section(INDEX, **c).is_none()).map(|c| c.name()).collect();
        assert!(missing.is_empty(), "docs/diagnostics.md has no section for {missing:?}");
    }

    #[test]
    fn a_section_ends_at_the_next_heading() {
        let index = "# Index\n## `stale`\nold\n\n## `unused-file`\nnot used\n";
        assert_eq!(section(index, Code::Stale), Some("## `stale`\nold\n\n"));
        assert_eq!(section(index, Code::UnusedFile), Some("## `unused-file`\nnot used\n"));
    }
}
