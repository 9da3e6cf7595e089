//! Whether a page and its translation state the same numbers: phone numbers, amounts, percentages, years and
//! dates, compared after normalising how each language writes them (`877,000` = `87.7万`, `2026-11-27` =
//! `2026年11月27日` = `27 November 2026`, `20%` = `百分之二十`, full-width digits).
//!
//! Only the translatable text is read (see `text`): link targets, URLs and heading ids are left out. Whole
//! numbers below 10 are left out too, since languages write them as words ("two documents", "两份").

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Location};
use crate::site::content::Doc;
use crate::site::date::MONTHS;

/// A number as compared, and how it was first written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub key: String,
    pub written: String,
}

/// A warning where `original` and `translation` do not state the same numbers (`ours` and `theirs`, as
/// `numbers` reads them from each translatable text), or nothing.
pub fn check(original: &Doc, translation: &Doc, ours: &[Found], theirs: &[Found]) -> Option<Diagnostic> {
    let (only_original, only_translation) = difference(ours, theirs);
    if only_original.is_empty() && only_translation.is_empty() {
        return None;
    }
    let from = &original.source.path;
    let list = |found: &[&Found]| found.iter().map(|f| f.written.as_str()).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !only_original.is_empty() {
        parts.push(format!("{from} says {} and this translation does not", list(&only_original)));
    }
    if !only_translation.is_empty() {
        parts.push(format!("this translation says {} and {from} does not", list(&only_translation)));
    }
    let at = only_translation
        .first()
        .and_then(|f| translation.source.text[translation.body_start..].find(&f.written))
        .map_or_else(
            || translation.source.locate(translation.body_start.min(translation.source.text.len())),
            |i| translation.source.locate(translation.body_start + i),
        );
    let at = if at.line == 0 { Location::file(&translation.source.path) } else { at };
    Some(Diagnostic::warning(Code::NumbersDiffer, at, format!("numbers differ: {}", parts.join("; "))).with_help(
        format!("check each number against {from} and the official source, and correct the one that is wrong"),
    ))
}

/// What is in `a` and not in `b`, and in `b` and not in `a`, each number once. Presence is compared, not
/// counts: one language often repeats a figure (or a Chinese name with its figure) that the other writes once.
fn difference<'a>(a: &'a [Found], b: &'a [Found]) -> (Vec<&'a Found>, Vec<&'a Found>) {
    let first = |list: &'a [Found]| {
        let mut m: BTreeMap<&str, &'a Found> = BTreeMap::new();
        for f in list {
            m.entry(f.key.as_str()).or_insert(f);
        }
        m
    };
    let (fa, fb) = (first(a), first(b));
    let extra = |x: &BTreeMap<&str, &'a Found>, y: &BTreeMap<&str, &'a Found>| {
        x.iter().filter(|(k, _)| !y.contains_key(*k)).map(|(_, f)| *f).collect::<Vec<_>>()
    };
    (extra(&fa, &fb), extra(&fb, &fa))
}

/// The numbers that matter in a translatable text, in order.
pub fn numbers(translatable: &str) -> Vec<Found> {
    let mut found = Vec::new();
    // Sources are cited as published, often untranslated, so their titles and notes are not compared.
    let mut in_sources = false;
    for line in translatable.lines() {
        if line.starts_with("== ") && line.ends_with(" ==") {
            in_sources = line.starts_with("== sources[");
            continue;
        }
        if in_sources {
            continue;
        }
        let chars: Vec<char> = without_targets(line).chars().map(half_width).collect();
        let mut i = 0;
        while i < chars.len() {
            match read_at(&chars, i) {
                Some((f, next)) => {
                    found.extend(f);
                    i = next;
                }
                None => i += 1,
            }
        }
    }
    found
}

/// The line without link targets, URLs and heading ids, which are not read as numbers.
fn without_targets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let skip_to = if rest.starts_with("](") {
            out.push(']');
            rest.find(')').map(|i| i + 1)
        } else if rest.starts_with("{#") {
            rest.find('}').map(|i| i + 1)
        } else if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("@/") {
            Some(rest.find(|c: char| c.is_whitespace() || c == ')' || c == '>').unwrap_or(rest.len()))
        } else {
            None
        };
        match skip_to {
            Some(n) => rest = &rest[n..],
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '٠'..='٩' => char::from_u32(c as u32 - '٠' as u32 + '0' as u32).unwrap_or(c),
        '۰'..='۹' => char::from_u32(c as u32 - '۰' as u32 + '0' as u32).unwrap_or(c),
        '％' => '%',
        '，' => ',',
        '．' => '.',
        '－' => '-',
        _ => c,
    }
}

/// The month names of Modern Standard Arabic as written in Egypt and the Gulf.
const MONTHS_AR: [&str; 12] =
    ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];

/// The number (or date) starting at `i`, and where reading goes on; `None` where no number starts there.
fn read_at(chars: &[char], i: usize) -> Option<(Option<Found>, usize)> {
    if chars[i..].starts_with(&['百', '分', '之']) {
        let (value, next) = chinese_numeral(chars, i + 3)?;
        let written: String = chars[i..next].iter().collect();
        return Some((Some(Found { key: format!("{value}%"), written }), next));
    }
    if chars[i] == '第' {
        let (value, next) = chinese_numeral(chars, i + 1)?;
        let written: String = chars[i..next].iter().collect();
        return Some(((value >= 10).then(|| Found { key: value.to_string(), written }), next));
    }
    if let Some(r) = month_first(chars, i) {
        return Some(r);
    }
    let c = chars[i];
    if !c.is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.')) {
        return None;
    }
    if let Some(r) = date(chars, i) {
        return Some(r);
    }
    if let Some(r) = phone(chars, i) {
        return Some(r);
    }
    let (value, mut next) = decimal(chars, i);
    let mut value = value;
    let mut key_suffix = "";
    match chars.get(next) {
        Some('万') => (value, next) = (value * 1e4, next + 1),
        Some('亿') => (value, next) = (value * 1e8, next + 1),
        Some('%') => (key_suffix, next) = ("%", next + 1),
        _ => {}
    }
    if chars.get(next) == Some(&' ') && word_at(chars, next + 1, "percent") {
        (key_suffix, next) = ("%", next + 1 + "percent".len());
    } else if word_at(chars, next, " million") {
        (value, next) = (value * 1e6, next + " million".len());
    }
    let written: String = chars[i..next].iter().collect::<String>().trim().to_string();
    if key_suffix.is_empty() && value < 10.0 && value.fract() == 0.0 {
        return Some((None, next));
    }
    let key = format!("{}{key_suffix}", (value * 1000.0).round() / 1000.0);
    Some((Some(Found { key, written }), next))
}

fn word_at(chars: &[char], i: usize, word: &str) -> bool {
    let n = word.chars().count();
    chars.len() >= i + n && chars[i..i + n].iter().map(|c| c.to_ascii_lowercase()).eq(word.chars())
}

/// `877,000` or `1.5`: the value and where it ends.
fn decimal(chars: &[char], i: usize) -> (f64, usize) {
    let mut digits = String::new();
    let mut j = i;
    while j < chars.len() {
        let c = chars[j];
        let grouped = c == ','
            && chars.get(j + 1..j + 4).is_some_and(|g| g.iter().all(char::is_ascii_digit))
            && !chars.get(j + 4).is_some_and(char::is_ascii_digit);
        let point = c == '.' && !digits.contains('.') && chars.get(j + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || point {
            digits.push(c);
        } else if !grouped {
            break;
        }
        j += 1;
    }
    (digits.parse().unwrap_or(0.0), j)
}

fn digits_at(chars: &[char], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = chars[i.min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n < min || n > max {
        return None;
    }
    let value = chars[i..i + n].iter().collect::<String>().parse().ok()?;
    Some((value, i + n))
}

/// `2026-11-27`, `2026年11月27日`, `27 November 2026`, `November 27, 2026`; also `11月27日` = `27 November`.
fn date(chars: &[char], i: usize) -> Option<(Option<Found>, usize)> {
    let found = |y: Option<u32>, m: u32, d: u32, next: usize| {
        let written: String = chars[i..next].iter().collect();
        let key = match y {
            Some(y) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("--{m:02}-{d:02}"),
        };
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((Some(Found { key, written }), next))
    };
    if let Some((y, n)) = digits_at(chars, i, 4, 4) {
        if chars.get(n) == Some(&'-') {
            let (m, n) = digits_at(chars, n + 1, 1, 2)?;
            if chars.get(n) == Some(&'-') {
                let (d, n) = digits_at(chars, n + 1, 1, 2)?;
                return found(Some(y), m, d, n);
            }
        }
        if chars.get(n) == Some(&'年') {
            let (m, n) = digits_at(chars, n + 1, 1, 2)?;
            if chars.get(n) == Some(&'月') {
                if let Some((d, n)) = digits_at(chars, n + 1, 1, 2).filter(|(_, n)| chars.get(*n) == Some(&'日')) {
                    return found(Some(y), m, d, n + 1);
                }
                // 2026年11月至12月 = November and December 2026
                let to = n + 1;
                let second = digits_at(chars, to + 1, 1, 2).filter(|(_, e)| chars.get(*e) == Some(&'月'));
                if let (Some('至' | '到' | '-' | '–'), Some((m2, end))) = (chars.get(to), second) {
                    return month_range(chars, i, y, (m, m2), end + 1);
                }
                return month_of_year(chars, i, y, m, n + 1);
            }
        }
        return None;
    }
    let (first, n) = digits_at(chars, i, 1, 2)?;
    if chars.get(n) == Some(&'月') {
        let (d, n) = digits_at(chars, n + 1, 1, 2)?;
        return if chars.get(n) == Some(&'日') { found(None, first, d, n + 1) } else { None };
    }
    // 27 November 2026
    if chars.get(n) == Some(&' ') {
        let (m, n) = month_at(chars, n + 1)?;
        if let (Some(' '), Some((y, n2))) = (chars.get(n), digits_at(chars, n + 1, 4, 4)) {
            return found(Some(y), m, first, n2);
        }
        return found(None, m, first, n);
    }
    None
}

/// `2023年12月` = `December 2023`.
fn month_of_year(chars: &[char], i: usize, y: u32, m: u32, next: usize) -> Option<(Option<Found>, usize)> {
    let written: String = chars[i..next].iter().collect();
    (1..=12).contains(&m).then_some((Some(Found { key: format!("{y:04}-{m:02}"), written }), next))
}

fn month_range(chars: &[char], i: usize, y: u32, (m1, m2): (u32, u32), next: usize) -> Option<(Option<Found>, usize)> {
    let written: String = chars[i..next].iter().collect();
    let key = format!("{y:04}-{m1:02}..{m2:02}");
    ((1..=12).contains(&m1) && (1..=12).contains(&m2)).then_some((Some(Found { key, written }), next))
}

/// `December 2023` and `November 27, 2026`, which start with the month.
fn month_first(chars: &[char], i: usize) -> Option<(Option<Found>, usize)> {
    if i > 0 && chars[i - 1].is_alphanumeric() {
        return None;
    }
    let (m, n) = month_at(chars, i)?;
    if chars.get(n) != Some(&' ') {
        return None;
    }
    if let Some((y, end)) = digits_at(chars, n + 1, 4, 4) {
        return month_of_year(chars, i, y, m, end);
    }
    for joint in [" and ", " to ", "–", "-"] {
        if word_at(chars, n, joint) {
            let second = n + joint.chars().count();
            let (m2, after) = month_at(chars, second)?;
            let (y, end) = digits_at(chars, after + 1, 4, 4).filter(|_| chars.get(after) == Some(&' '))?;
            return month_range(chars, i, y, (m, m2), end);
        }
    }
    let (d, after_day) = digits_at(chars, n + 1, 1, 2)?;
    if chars.get(after_day..after_day + 2) != Some(&[',', ' ']) {
        return None;
    }
    let (y, end) = digits_at(chars, after_day + 2, 4, 4)?;
    let written: String = chars[i..end].iter().collect();
    ((1..=31).contains(&d)).then_some((Some(Found { key: format!("{y:04}-{m:02}-{d:02}"), written }), end))
}

fn month_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    // Every name starts with a capital Latin letter or an Arabic one: most characters are neither, and this is
    // asked at every character of every text.
    let first = *chars.get(i)?;
    if !(first.is_ascii_uppercase() || ('\u{0600}'..='\u{06FF}').contains(&first)) {
        return None;
    }
    // Capitalised only: "18 may apply" is not a date.
    MONTHS.iter().chain(&MONTHS_AR).zip((1..=12).chain(1..=12)).find_map(|(name, m)| {
        let n = name.chars().count();
        (chars.len() >= i + n && chars[i..i + n].iter().copied().eq(name.chars())).then_some((m, i + n))
    })
}

/// `021-6854 1199`, `+86 21 6854 1199`, `12345`: digits joined by `-` or spaces, 7 or more, or a 5-digit
/// hotline written alone; compared as the digits after any `+86` and leading `0`.
fn phone(chars: &[char], i: usize) -> Option<(Option<Found>, usize)> {
    let plus86 = i >= 4 && chars[i - 4..i].iter().collect::<String>() == "+86 ";
    let mut digits = String::new();
    let mut j = i;
    let mut groups = 0;
    while j < chars.len() {
        let n = chars[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            break;
        }
        digits.extend(&chars[j..j + n]);
        groups += 1;
        j += n;
        let joined = matches!(chars.get(j), Some('-' | ' '));
        if !(joined && chars.get(j + 1).is_some_and(char::is_ascii_digit)) {
            break;
        }
        j += 1;
    }
    if (groups == 1 && digits.len() < 7)
        || digits.len() < 7
        || chars.get(j).is_some_and(|c| matches!(c, '.' | ',' | '%' | '万' | '亿' | '年')) && groups == 1
    {
        return None;
    }
    let digits = if plus86 { digits.clone() } else { digits.trim_start_matches('0').to_string() };
    let written: String = chars[i..j].iter().collect();
    Some((Some(Found { key: format!("tel:{digits}"), written }), j))
}

/// A Chinese numeral below 10,000 (`二十`, `十五`, `一百`), and where it ends.
fn chinese_numeral(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let digit =
        |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32).or((c == '两').then_some(2));
    let (mut total, mut current, mut j) = (0u32, 0u32, i);
    while let Some(&c) = chars.get(j) {
        if let Some(d) = digit(c) {
            current = d;
        } else if let Some(unit) = match c {
            '十' => Some(10),
            '百' => Some(100),
            '千' => Some(1000),
            _ => None,
        } {
            total += current.max(1) * unit;
            current = 0;
        } else {
            break;
        }
        j += 1;
    }
    (j > i).then_some((total + current, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        numbers(text).into_iter().map(|f| f.key).collect()
    }

    #[test]
    fn amounts_agree_however_each_language_writes_them() {
        assert_eq!(keys("877,000 people"), keys("87.7万人"));
        assert_eq!(keys("RMB 1,500"), keys("1500元"));
        assert_eq!(keys("１５００元"), keys("RMB 1500"));
        assert_eq!(keys("1.2 million"), keys("120万"));
    }

    #[test]
    fn dates_agree_in_every_form() {
        let iso = keys("by 2026-11-27");
        assert_eq!(iso, vec!["2026-11-27"]);
        assert_eq!(keys("2026年11月27日前"), iso);
        assert_eq!(keys("by 27 November 2026"), iso);
        assert_eq!(keys("on 1 October"), keys("10月1日"));
        assert_eq!(keys("November 27, 2026"), iso);
        assert_eq!(keys("since December 2023"), keys("2023年12月起"));
        assert_eq!(keys("Art. 49"), keys("第四十九条"));
        assert_eq!(keys("in November and December 2026"), keys("于2026年11月至12月"));
        assert_eq!(keys("في ١ ديسمبر ٢٠٢٦"), keys("on 1 December 2026"));
    }

    #[test]
    fn percentages_agree_in_figures_and_in_words() {
        assert_eq!(keys("20%"), vec!["20%"]);
        assert_eq!(keys("百分之二十"), vec!["20%"]);
        assert_eq!(keys("２０％"), vec!["20%"]);
        assert_eq!(keys("20 percent"), vec!["20%"]);
        assert_ne!(keys("20%"), keys("20"));
    }

    #[test]
    fn phone_numbers_agree_with_or_without_area_code_punctuation() {
        assert_eq!(keys("call 021-6854 1199"), keys("电话：02168541199"));
        assert_eq!(keys("call 12345"), keys("拨打12345"));
    }

    #[test]
    fn small_counts_links_and_ids_are_not_compared() {
        assert!(keys("6 times, 2 documents").is_empty());
        assert!(
            keys("[form](https://example.gov/2026/form-2024.pdf) and [x](@/a-2026.md) ## Step {#step-2026}").is_empty()
        );
        assert!(keys("== rule.cases[12].title ==").is_empty());
        assert!(keys("== sources[1].title ==\nThe 2012 measures\n").is_empty(), "sources are cited as published");
        assert!(keys("those aged 18 may apply").iter().all(|k| !k.contains('-')), "not a date");
    }

    #[test]
    fn reports_what_each_side_lacks() {
        let a = numbers("fee 1,500 and 2026-11-27");
        let b = numbers("费用1600元，2026年11月27日");
        let (only_a, only_b) = difference(&a, &b);
        assert_eq!(difference(&numbers("60, 60 and 60"), &numbers("60")), (vec![], vec![]), "presence, not counts");
        assert_eq!(only_a.iter().map(|f| f.written.as_str()).collect::<Vec<_>>(), ["1,500"]);
        assert_eq!(only_b.iter().map(|f| f.written.as_str()).collect::<Vec<_>>(), ["1600"]);
    }
}
