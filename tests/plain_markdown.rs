//! Markdown without front matter builds (issue 15): a folder of notes from another tool becomes a site as it is.
//! Each page's title comes from its leading `# heading`, which the page then shows once, or from its file name,
//! and a `no-front-matter` warning at the file's first line says how to add front matter. `check --strict`
//! accepts it where `[check] allow` or `--allow` names the code.

mod common;

use common::{Site, diptych};

/// The `<h1>` elements of a built page, as text.
fn headings(html: &str) -> Vec<String> {
    html.split("<h1").skip(1).map(|h| h.split_once('>').unwrap().1.split("</h1>").next().unwrap().to_string()).collect()
}

#[test]
fn builds_with_titles_from_the_first_heading_or_the_file_name() {
    let site = Site::fixture("plain-markdown");
    site.build(&[]).assert_ok();
    for (page, title) in [
        ("en/index.html", "Welcome to the notes"),
        ("en/guides/index.html", "Guides"),
        ("en/guides/setup/index.html", "Setting up"),
        ("en/guides/code-sample/index.html", "Code sample"),
    ] {
        let html = site.out(page);
        assert_eq!(headings(&html), [title], "{page}: the title once, and the heading it came from not again");
        // The home page's <title> is the site's.
        assert!(page == "en/index.html" || html.contains(&format!("<title>{title} · Notes</title>")), "{page}");
    }
    let setup = site.out("en/guides/setup/index.html");
    assert!(setup.contains("<code>setup</code> steps") && setup.contains("id=\"step-one\""), "{setup}");
    let started = site.out("en/getting-started/index.html");
    assert_eq!(
        headings(&started)[..2],
        ["Getting started".to_string(), "Not the title".to_string()],
        "a heading after the first paragraph stays in the text"
    );
    assert!(started.contains("<a href=\"/en/guides/setup/\">setup notes</a>"), "@/ links work as in any page");
    let sample = site.out("en/guides/code-sample/index.html");
    assert!(sample.contains("+++\ntitle = \"Not this\"\n+++"), "a `+++` in a code block is code: {sample}");
}

#[test]
fn warns_at_each_files_first_line_with_the_front_matter_to_add() {
    let site = Site::fixture("plain-markdown");
    let run = site.build(&[]);
    run.assert_ok();
    for expected in [
        "content/guides/setup.md:1:1: warning: this page has no front matter: its title \"Setting up\" comes from its first heading\n  help: start the file with a line `+++`, then `title = \"Setting up\"`, then a line `+++`\n",
        "content/getting-started.md:1:1: warning: this page has no front matter: its title \"Getting started\" comes from its file name\n",
    ] {
        assert!(run.stderr.contains(expected), "{expected} not in\n{}", run.stderr);
    }
    assert_eq!(run.stderr.matches("warning: this page has no front matter").count(), 5, "{}", run.stderr);
}

#[test]
fn strict_check_accepts_it_where_allowed() {
    let site = Site::fixture("plain-markdown");
    let root = site.root();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--root", root.to_str().unwrap(), "--strict", "--format", "short"];
        args.extend(extra);
        diptych(&args)
    };
    // The notes have no `reviewed` dates or sources either, which the site's freshness rules ask for.
    let freshness = ["--allow", "not-reviewed", "--allow", "no-sources"];
    let strict = check(&freshness);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(strict.stdout.contains("content/guides/setup.md:1:1: error: this page has no front matter"));
    let allowed = check(&[&freshness[..], &["--allow", "no-front-matter"]].concat());
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);

    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{config}\n[check]\nallow = [\"no-front-matter\", \"not-reviewed\", \"no-sources\"]\n"),
    );
    let allowed = check(&[]);
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);
}

#[test]
fn a_file_whose_front_matter_is_not_on_its_first_line_is_still_an_error() {
    let site = Site::fixture("plain-markdown");
    site.write("content/late.md", "Intro.\n\n+++\ntitle = \"Late\"\n+++\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/late.md:3:1: error: the front matter does not start on the file's first line"),
        "{}",
        run.stderr
    );
}
