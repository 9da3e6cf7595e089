//! Suggestions for typos: "did you mean `title`?", and lists of what is allowed.

/// `` `a`, `b`, `c` ``
pub fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// "did you mean `x`?" for the candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean(word: &str, candidates: &[String]) -> Option<String> {
    closest(word, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate closest to `word` by edit distance (edits and swaps of two neighbouring letters count one
/// each), if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, c)| *d <= c.chars().count().div_ceil(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_ignores_far_words() {
        let keys = vec!["title".to_string(), "description".to_string()];
        assert_eq!(closest("descripton", &keys), Some("description"));
        assert_eq!(closest("colour", &keys), None);
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        let keys = vec!["title".to_string()];
        assert_eq!(closest("titel", &keys), Some("title"));
    }
}
