//! Every kind of problem diptych reports, each with a stable name (`broken-link`) and a one-line explanation.

use serde::Serialize;

/// The kind of a problem. Its kebab-case name is stable: tools and `[check] allow` use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A page's alias is not a plain path from the base URL, or is published where something else is.
    BadAlias,
    /// `site.toml` has a value that cannot work (a base URL that is not absolute, an unknown default language, …).
    BadConfig,
    /// An office's coordinates are outside the range of latitude and longitude.
    BadCoordinates,
    /// A holiday date is impossible, outside its file's year, or a make-up working day that is not a weekend day.
    BadDate,
    /// An office's opening hours are malformed, close before they open, or overlap.
    BadHours,
    /// An office id is not lowercase letters, digits and hyphens, or does not match its file name.
    BadId,
    /// An office phone number is not a number a reader can dial.
    BadPhone,
    /// A time is not written as HH:MM between 00:00 and 24:00.
    BadTime,
    /// A link points to an id (`#part`) that the target page does not have.
    BrokenAnchor,
    /// A link points to a page or file that is not published.
    BrokenLink,
    /// The holiday calendar ends soon: add next year's from the State Council's notice.
    CalendarEnding,
    /// The holiday calendar misses a year between two years it has.
    CalendarGap,
    /// Two offices have the same id.
    DuplicateId,
    /// Two sources would be published at the same URL.
    DuplicateUrl,
    /// Two holiday files describe the same year.
    DuplicateYear,
    /// A finder's answer leads nowhere, both to a question and to results, or to a question that does not exist.
    FinderAnswer,
    /// A finder's questions lead back to a question already asked.
    FinderCycle,
    /// A finder's translation does not ask the same questions, with the same answers, as its original.
    FinderTranslation,
    /// A page of a finder's section is no answer's result, or a question is no answer's next.
    FinderUnreachable,
    /// A page's front matter is not on its first line, not closed, not TOML, or the file is empty.
    FrontMatter,
    /// A page's `reviewed` date is in the future.
    FutureReview,
    /// A TOML file or front matter has a syntax error.
    InvalidToml,
    /// A file is not valid UTF-8 text.
    InvalidUtf8,
    /// A page declares a content kind without the table that kind needs, or a table of another kind.
    KindMismatch,
    /// A file has the default language's suffix (`page.en.md`), which the default language does not use.
    LanguageSuffix,
    /// A link always leads to one language's page, whatever the reader's language.
    LinkLanguage,
    /// A published page links to a draft, which is not published.
    LinkToDraft,
    /// A front-matter key is in the wrong place (a section key on a page).
    MisplacedKey,
    /// An office leaves out a fact without declaring it `unconfirmed`.
    MissingFact,
    /// A required key is missing.
    MissingKey,
    /// A theme string is missing in a language.
    MissingString,
    /// An office's or holiday's text is missing in a language.
    MissingText,
    /// The folder has no `site.toml`.
    NoConfig,
    /// The site has no `content/` folder.
    NoContent,
    /// The site has offices but no `content/offices/_index.md` for the directory.
    NoDirectoryPage,
    /// A page has no front matter: its title comes from its first heading or its file name.
    NoFrontMatter,
    /// The site has no home page, `content/_index.md`.
    NoHome,
    /// A translation has no original in the default language.
    NoOriginal,
    /// A page cites no `[[sources]]`.
    NoSources,
    /// The theme named in `site.toml` does not exist.
    NoTheme,
    /// A page has no `reviewed` date.
    NotReviewed,
    NumbersDiffer,
    /// A translation's original changed since the translation was marked up to date.
    OutdatedTranslation,
    /// A link leaves the base URL's sub-path, or works only at the root of the host.
    OutsideBase,
    /// A shortcode is unknown, malformed or fails to render.
    Shortcode,
    /// A page was last reviewed longer ago than `review_max_age_months`.
    Stale,
    /// A symbolic link loops or points nowhere.
    SymlinkLoop,
    /// A template fails to render, or a page names a template that does not exist.
    TemplateError,
    /// A template has a syntax error.
    TemplateSyntax,
    /// A fact an office declares not yet confirmed: the pages say so instead of guessing.
    Unconfirmed,
    /// A name in a list of fields (an office's `unconfirmed`, a category's fields) is not a field.
    UnknownFieldName,
    /// A key that the file format does not have, often a typo.
    UnknownKey,
    /// A language suffix or code that the site does not configure.
    UnknownLanguage,
    /// A page names an office id that no office has.
    UnknownOffice,
    /// An office offers a service that `site.toml` does not declare.
    UnknownService,
    /// A translation was never marked up to date with its original.
    UnmarkedTranslation,
    /// A file or folder cannot be read.
    Unreadable,
    /// Content would run script in a reader's browser.
    UnsafeHtml,
    /// A path or slug would leave its folder, is hidden, or has characters a URL path cannot carry.
    UnsafePath,
    /// A URL field holds a URL with a scheme other than http, https, mailto or tel.
    UnsafeUrl,
    /// A page has no translation in a language, so that language shows the original.
    Untranslated,
    /// A file in `content/` is not used by any page.
    UnusedFile,
    /// A value has the wrong type (text where a number is expected, …).
    WrongType,
}

impl Code {
    /// Every code, in alphabetical order of its name.
    pub const ALL: &[Code] = &[
        Code::BadAlias,
        Code::BadConfig,
        Code::BadCoordinates,
        Code::BadDate,
        Code::BadHours,
        Code::BadId,
        Code::BadPhone,
        Code::BadTime,
        Code::BrokenAnchor,
        Code::BrokenLink,
        Code::CalendarEnding,
        Code::CalendarGap,
        Code::DuplicateId,
        Code::DuplicateUrl,
        Code::DuplicateYear,
        Code::FinderAnswer,
        Code::FinderCycle,
        Code::FinderTranslation,
        Code::FinderUnreachable,
        Code::FrontMatter,
        Code::FutureReview,
        Code::InvalidToml,
        Code::InvalidUtf8,
        Code::KindMismatch,
        Code::LanguageSuffix,
        Code::LinkLanguage,
        Code::LinkToDraft,
        Code::MisplacedKey,
        Code::MissingFact,
        Code::MissingKey,
        Code::MissingString,
        Code::MissingText,
        Code::NoConfig,
        Code::NoContent,
        Code::NoDirectoryPage,
        Code::NoFrontMatter,
        Code::NoHome,
        Code::NoOriginal,
        Code::NoSources,
        Code::NoTheme,
        Code::NotReviewed,
        Code::NumbersDiffer,
        Code::OutdatedTranslation,
        Code::OutsideBase,
        Code::Shortcode,
        Code::Stale,
        Code::SymlinkLoop,
        Code::TemplateError,
        Code::TemplateSyntax,
        Code::Unconfirmed,
        Code::UnknownFieldName,
        Code::UnknownKey,
        Code::UnknownLanguage,
        Code::UnknownOffice,
        Code::UnknownService,
        Code::UnmarkedTranslation,
        Code::Unreadable,
        Code::UnsafeHtml,
        Code::UnsafePath,
        Code::UnsafeUrl,
        Code::Untranslated,
        Code::UnusedFile,
        Code::WrongType,
    ];

    /// The stable name: `broken-link`.
    pub fn name(self) -> &'static str {
        match self {
            Code::BadAlias => "bad-alias",
            Code::BadConfig => "bad-config",
            Code::BadCoordinates => "bad-coordinates",
            Code::BadDate => "bad-date",
            Code::BadHours => "bad-hours",
            Code::BadId => "bad-id",
            Code::BadPhone => "bad-phone",
            Code::BadTime => "bad-time",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenLink => "broken-link",
            Code::CalendarEnding => "calendar-ending",
            Code::CalendarGap => "calendar-gap",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateUrl => "duplicate-url",
            Code::DuplicateYear => "duplicate-year",
            Code::FinderAnswer => "finder-answer",
            Code::FinderCycle => "finder-cycle",
            Code::FinderTranslation => "finder-translation",
            Code::FinderUnreachable => "finder-unreachable",
            Code::FrontMatter => "front-matter",
            Code::FutureReview => "future-review",
            Code::InvalidToml => "invalid-toml",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::KindMismatch => "kind-mismatch",
            Code::LanguageSuffix => "language-suffix",
            Code::LinkLanguage => "link-language",
            Code::LinkToDraft => "link-to-draft",
            Code::MisplacedKey => "misplaced-key",
            Code::MissingFact => "missing-fact",
            Code::MissingKey => "missing-key",
            Code::MissingString => "missing-string",
            Code::MissingText => "missing-text",
            Code::NoConfig => "no-config",
            Code::NoContent => "no-content",
            Code::NoDirectoryPage => "no-directory-page",
            Code::NoFrontMatter => "no-front-matter",
            Code::NoHome => "no-home",
            Code::NoOriginal => "no-original",
            Code::NoSources => "no-sources",
            Code::NoTheme => "no-theme",
            Code::NotReviewed => "not-reviewed",
            Code::NumbersDiffer => "numbers-differ",
            Code::OutdatedTranslation => "outdated-translation",
            Code::OutsideBase => "outside-base",
            Code::Shortcode => "shortcode",
            Code::Stale => "stale",
            Code::SymlinkLoop => "symlink-loop",
            Code::TemplateError => "template-error",
            Code::TemplateSyntax => "template-syntax",
            Code::Unconfirmed => "unconfirmed",
            Code::UnknownFieldName => "unknown-field-name",
            Code::UnknownKey => "unknown-key",
            Code::UnknownLanguage => "unknown-language",
            Code::UnknownOffice => "unknown-office",
            Code::UnknownService => "unknown-service",
            Code::UnmarkedTranslation => "unmarked-translation",
            Code::Unreadable => "unreadable",
            Code::UnsafeHtml => "unsafe-html",
            Code::UnsafePath => "unsafe-path",
            Code::UnsafeUrl => "unsafe-url",
            Code::Untranslated => "untranslated",
            Code::UnusedFile => "unused-file",
            Code::WrongType => "wrong-type",
        }
    }

    /// What the problem is, in one line.
    pub fn explanation(self) -> &'static str {
        match self {
            Code::BadAlias => {
                "A page's alias is not a plain path from the base URL, or is published where something else is."
            }
            Code::BadConfig => {
                "`site.toml` has a value that cannot work (a base URL that is not absolute, an unknown default language, …)."
            }
            Code::BadCoordinates => "An office's coordinates are outside the range of latitude and longitude.",
            Code::BadDate => {
                "A holiday date is impossible, outside its file's year, or a make-up working day that is not a weekend day."
            }
            Code::BadHours => "An office's opening hours are malformed, close before they open, or overlap.",
            Code::BadId => {
                "An office id is not lowercase letters, digits and hyphens, or does not match its file name."
            }
            Code::BadPhone => "An office phone number is not a number a reader can dial.",
            Code::BadTime => "A time is not written as HH:MM between 00:00 and 24:00.",
            Code::BrokenAnchor => "A link points to an id (`#part`) that the target page does not have.",
            Code::BrokenLink => "A link points to a page or file that is not published.",
            Code::CalendarEnding => "The holiday calendar ends soon: add next year's from the State Council's notice.",
            Code::CalendarGap => "The holiday calendar misses a year between two years it has.",
            Code::DuplicateId => "Two offices have the same id.",
            Code::DuplicateUrl => "Two sources would be published at the same URL.",
            Code::DuplicateYear => "Two holiday files describe the same year.",
            Code::FinderAnswer => {
                "A finder's answer leads nowhere, both to a question and to results, or to a question that does not exist."
            }
            Code::FinderCycle => "A finder's questions lead back to a question already asked.",
            Code::FinderTranslation => {
                "A finder's translation does not ask the same questions, with the same answers, as its original."
            }
            Code::FinderUnreachable => {
                "A page of a finder's section is no answer's result, or a question is no answer's next."
            }
            Code::FrontMatter => {
                "A page's front matter is not on its first line, not closed, not TOML, or the file is empty."
            }
            Code::FutureReview => "A page's `reviewed` date is in the future.",
            Code::InvalidToml => "A TOML file or front matter has a syntax error.",
            Code::InvalidUtf8 => "A file is not valid UTF-8 text.",
            Code::KindMismatch => {
                "A page declares a content kind without the table that kind needs, or a table of another kind."
            }
            Code::LanguageSuffix => {
                "A file has the default language's suffix (`page.en.md`), which the default language does not use."
            }
            Code::LinkLanguage => "A link always leads to one language's page, whatever the reader's language.",
            Code::LinkToDraft => "A published page links to a draft, which is not published, so the link would break.",
            Code::MisplacedKey => "A front-matter key is in the wrong place (a section key on a page).",
            Code::MissingFact => "An office leaves out a fact without declaring it `unconfirmed`.",
            Code::MissingKey => "A required key is missing.",
            Code::MissingString => "A theme string is missing in a language.",
            Code::MissingText => "An office's or holiday's text is missing in a language.",
            Code::NoConfig => "The folder has no `site.toml`.",
            Code::NoContent => "The site has no `content/` folder.",
            Code::NoDirectoryPage => "The site has offices but no `content/offices/_index.md` for the directory.",
            Code::NoFrontMatter => {
                "A page has no front matter: its title comes from its first heading or its file name."
            }
            Code::NoHome => "The site has no home page, `content/_index.md`.",
            Code::NoOriginal => "A translation has no original in the default language.",
            Code::NoSources => "A page cites no `[[sources]]`.",
            Code::NoTheme => "The theme named in `site.toml` does not exist.",
            Code::NotReviewed => "A page has no `reviewed` date.",
            Code::NumbersDiffer => {
                "A translation and its original do not state the same numbers, dates or phone numbers."
            }
            Code::OutdatedTranslation => {
                "A translation's original changed since the translation was marked up to date."
            }
            Code::OutsideBase => "A link leaves the base URL's sub-path, or works only at the root of the host.",
            Code::Shortcode => "A shortcode is unknown, malformed or fails to render.",
            Code::Stale => "A page was last reviewed longer ago than `review_max_age_months`.",
            Code::SymlinkLoop => "A symbolic link loops or points nowhere.",
            Code::TemplateError => "A template fails to render, or a page names a template that does not exist.",
            Code::TemplateSyntax => "A template has a syntax error.",
            Code::Unconfirmed => "A fact an office declares not yet confirmed: the pages say so instead of guessing.",
            Code::UnknownFieldName => {
                "A name in a list of fields (an office's `unconfirmed`, a category's fields) is not a field."
            }
            Code::UnknownKey => "A key that the file format does not have, often a typo.",
            Code::UnknownLanguage => "A language suffix or code that the site does not configure.",
            Code::UnknownOffice => "A page names an office id that no office has.",
            Code::UnknownService => "An office offers a service that `site.toml` does not declare.",
            Code::UnmarkedTranslation => "A translation was never marked up to date with its original.",
            Code::Unreadable => "A file or folder cannot be read.",
            Code::UnsafeHtml => "Content would run script in a reader's browser.",
            Code::UnsafePath => {
                "A path or slug would leave its folder, is hidden, or has characters a URL path cannot carry."
            }
            Code::UnsafeUrl => "A URL field holds a URL with a scheme other than http, https, mailto or tel.",
            Code::Untranslated => "A page has no translation in a language, so that language shows the original.",
            Code::UnusedFile => "A file in `content/` is not used by any page.",
            Code::WrongType => "A value has the wrong type (text where a number is expected, …).",
        }
    }

    /// The code with this name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The code with this name, or why there is none: `unknown code `x``, with the closest name.
    pub fn parse_name(name: &str) -> Result<Code, String> {
        Code::from_name(name).ok_or_else(|| {
            let names: Vec<String> = Code::ALL.iter().map(|c| c.name().to_string()).collect();
            let hint = crate::diag::suggest::did_you_mean(name, &names)
                .unwrap_or_else(|| "`diptych explain` lists every code".to_string());
            format!("unknown diagnostic code `{name}`: {hint}")
        })
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_and_round_trip() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.name()), Some(*code));
            assert_eq!(serde_json::to_string(code).unwrap(), format!("\"{}\"", code.name()));
        }
    }
}
