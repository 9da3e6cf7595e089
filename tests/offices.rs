//! The office directory: pages and files generated from office data, and each validation error.

mod common;

use common::Site;

/// The one warning of the fixture: its district office declares the facts that are not yet confirmed.
const DECLARED_GAP: &str = "content/offices/district.toml:5:16: warning: office `district`: not yet confirmed: name.zh, address, phones, hours, services\n  help: the pages show these as not yet confirmed; confirm them with an official source and remove them from `unconfirmed`\n";

fn built() -> Site {
    let site = Site::fixture("offices");
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(run.stderr, DECLARED_GAP, "a site whose gaps are declared warns of them and of nothing else");
    site
}

#[test]
fn directory_groups_offices_by_district_and_service() {
    let site = built();
    let en = site.out("en/offices/index.html");
    assert!(en.contains("<h3>Pudong New Area</h3>"), "a district heading");
    assert!(!en.contains("<h3>Huangpu District</h3>"), "the district office without contact facts is listed apart");
    assert!(en.contains("<a href=\"#service-residence\">Permanent residence</a>"), "a filter that needs no script");
    let section = &en[en.find("<h2 id=\"service-residence\">").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("/en/offices/centre/") && !section.contains("/en/offices/district/"), "{section}");
    assert!(en.contains("Service Centre</a> <span class=\"tag tag-highlight\">"), "the highlighted service is marked");
    assert!(site.out("zh/offices/index.html").contains("<h3>浦东新区</h3>"));
}

#[test]
fn office_page_shows_both_scripts_phone_hours_and_map() {
    let site = built();
    let en = site.out("en/offices/centre/index.html");
    assert!(
        en.contains("<p class=\"address-big\" lang=\"zh-Hans\">浦东新区示例路1号</p>"),
        "the Chinese address, large, on the English page"
    );
    assert!(en.contains("<p class=\"address-other\">No. 1, Example Road</p>"));
    assert!(en.contains("<a href=\"tel:+862112345678\">021-12345678</a>"));
    assert!(en.contains("<tr><th scope=\"row\">Monday</th><td><span class=\"nowrap\">09:00–11:30</span>, <span class=\"nowrap\">13:30–17:00</span></td></tr>"), "{en}");
    assert!(en.contains("<tr><th scope=\"row\">Saturday</th><td>Closed</td></tr>"));
    assert!(en.contains(
        "href=\"https://maps.example.com/?q=%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA%E7%A4%BA%E4%BE%8B%E8%B7%AF1%E5%8F%B7\""
    ));
    assert!(
        en.contains("<td>1 October 2026 – 7 October 2026</td><td>20 September 2026, 10 October 2026</td>"),
        "the holiday list"
    );
    assert!(!en.contains("<iframe"), "nothing third-party is embedded");
    let zh = site.out("zh/offices/centre/index.html");
    assert!(zh.contains("<tr><th scope=\"row\">星期一</th><td><span class=\"nowrap\">09:00–11:30</span>、<span class=\"nowrap\">13:30–17:00</span></td></tr>"));
    assert!(zh.contains("<p class=\"address-other\" lang=\"en\">No. 1, Example Road</p>"));
}

#[test]
fn office_page_carries_government_office_json_ld() {
    let site = built();
    let en = site.out("en/offices/centre/index.html");
    let start =
        en.find("<script type=\"application/ld+json\">").unwrap() + "<script type=\"application/ld+json\">".len();
    let json: serde_json::Value =
        serde_json::from_str(&en[start..start + en[start..].find("</script>").unwrap()]).unwrap();
    assert_eq!(json["@type"], "GovernmentOffice");
    assert_eq!(json["name"], "Service Centre");
    assert_eq!(json["alternateName"][0], "服务中心");
    assert_eq!(json["telephone"], "+862112345678");
    let hours = &json["openingHoursSpecification"];
    assert_eq!(hours[0]["dayOfWeek"][0], "https://schema.org/Monday");
    assert_eq!((hours[1]["opens"].as_str(), hours[1]["closes"].as_str()), (Some("13:30"), Some("17:00")));
    assert_eq!(json["specialOpeningHoursSpecification"][0]["validFrom"], "2026-10-01");
}

#[test]
fn open_now_data_is_dated_intervals_for_the_browser() {
    let site = built();
    let en = site.out("en/offices/centre/index.html");
    let start = en.find("<script type=\"application/json\" id=\"office-schedule\">").unwrap();
    let body = &en[start..];
    let json: serde_json::Value =
        serde_json::from_str(&body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()]).unwrap();
    assert_eq!(json["from"], "2026-01-01");
    assert_eq!(json["patterns"][1], serde_json::json!([[540, 690], [810, 1020]]));
    let days = json["days"].as_str().unwrap();
    assert_eq!(days.len(), 365);
    let day = |date: i64| days.chars().nth(date as usize).unwrap();
    assert_eq!(day(272), '1', "Wednesday 30 September 2026, an ordinary day");
    assert_eq!(day(273), '0', "Thursday 1 October 2026, the first day of the holiday");
    assert_eq!(day(282), '!', "Saturday 10 October 2026, a make-up working day the centre may not open on");
    assert!(en.contains("<p class=\"open-now\" id=\"open-now\" hidden"), "hidden until the script fills it");
}

#[test]
fn an_office_that_opens_on_make_up_days_opens_with_weekday_hours() {
    let site = Site::fixture("offices");
    let file = site.path("content/offices/centre.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    site.write(
        "content/offices/centre.toml",
        &text.replace(
            "closes_on_public_holidays = true",
            "closes_on_public_holidays = true\nopens_on_makeup_workdays = true",
        ),
    );
    site.build(&[]).assert_ok();
    let en = site.out("en/offices/centre/index.html");
    let days = &en[en.find("\"days\":\"").unwrap() + 8..];
    assert_eq!(days.chars().nth(282), Some('1'), "Saturday 10 October 2026 opens like a weekday");
    assert!(en.contains("Open on make-up working days"), "the hours say so too");
}

#[test]
fn the_calendar_ending_within_sixty_days_is_a_warning_of_check_and_build() {
    let site = Site::fixture("offices");
    let root = site.root();
    let check = |today: &str| {
        common::diptych(&["check", "--root", root.to_str().unwrap(), "--format", "short", "--today", today]).stdout
    };
    assert!(!check("2026-11-01").contains("calendar-ending"));
    let soon = check("2026-11-02");
    assert!(
        soon.contains(
            "content/holidays/: warning: the holiday calendar runs until 2026-12-31, 59 days from today (2026-11-02)"
        ),
        "{soon}"
    );
    let run = site.build(&["--today", "2027-01-03"]);
    run.assert_ok();
    assert!(run.stderr.contains("the holiday calendar ended on 2026-12-31, 3 days ago"), "{}", run.stderr);
    assert!(run.stderr.contains("add content/holidays/2027.toml"), "{}", run.stderr);
}

#[test]
fn writes_offices_json_and_a_vcard_per_office() {
    let site = built();
    let json: serde_json::Value = serde_json::from_str(&site.out("offices.json")).unwrap();
    assert_eq!(json["version"], 2);
    let centre = &json["offices"][0];
    assert_eq!(centre["id"], "centre");
    assert_eq!(centre["address"]["zh"], "浦东新区示例路1号");
    assert_eq!(
        centre["hours"][0],
        serde_json::json!({ "days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "11:30" })
    );
    assert_eq!(centre["urls"]["zh"], "https://example.org/zh/offices/centre/");
    assert_eq!(
        json["offices"][1]["unconfirmed"],
        serde_json::json!(["address", "hours", "name.zh", "phones", "services"])
    );
    assert_eq!(json["holidays"][0]["makeup_workdays"], serde_json::json!(["2026-09-20", "2026-10-10"]));
    let vcard = site.out("offices/centre.vcf");
    assert!(vcard.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Service Centre\r\n"), "{vcard}");
    assert!(vcard.contains("ADR;TYPE=work;LANGUAGE=zh-Hans:;;浦东新区示例路1号;浦东新区;;;\r\n"));
    assert!(vcard.contains("TEL;TYPE=work,voice;VALUE=uri:tel:+862112345678\r\n"));
    assert!(vcard.ends_with("END:VCARD\r\n"));
    assert_eq!(centre["contact_confirmed"], true);
}

#[test]
fn pages_embed_the_office_card_and_link_to_office_pages() {
    let site = built();
    let zh = site.out("zh/index.html");
    assert!(
        zh.contains(
            "<div class=\"office-card\">\n<p class=\"office-name\"><a href=\"/zh/offices/centre/\">服务中心</a>"
        ),
        "{zh}"
    );
    assert!(zh.contains("<a href=\"/zh/offices/centre/\">中心页面</a>"));
    assert!(zh.contains("<a href=\"/zh/offices/\">全部机构</a>"));
}

#[test]
fn an_office_without_contact_facts_has_no_page_vcard_or_json_ld_but_a_line_in_the_directory() {
    let site = built();
    assert!(!site.dist().join("zh/offices/district").exists() && !site.dist().join("en/offices/district").exists());
    assert!(!site.dist().join("offices/district.vcf").exists());
    let zh = site.out("zh/offices/index.html");
    let section = &zh[zh.find("<section aria-labelledby=\"without-contact\">").expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("<li><span lang=\"en\">District Office</span> <span class=\"muted\">(黄浦区 · <span lang=\"en\">Huangpu District</span>)</span></li>"),
        "the English name stands in, marked as English, with the district in both scripts: {section}"
    );
    assert!(!zh.contains("/zh/offices/district/"), "no link to a page it does not have");
    let json: serde_json::Value = serde_json::from_str(&site.out("offices.json")).unwrap();
    let district = &json["offices"][1];
    assert_eq!(district["id"], "district");
    assert_eq!(district["contact_confirmed"], false);
    assert_eq!((district["urls"].clone(), district["vcard"].clone()), (serde_json::json!({}), serde_json::Value::Null));
    assert_eq!(district["unconfirmed"], serde_json::json!(["address", "hours", "name.zh", "phones", "services"]));
    assert!(!zh.contains("District Office\",\"@type\""), "no JSON-LD of its own");
}

/// Writes a broken data file into the offices fixture and returns `build`'s diagnostics.
fn build_with(file: &str, text: &str) -> String {
    let site = Site::fixture("offices");
    site.build(&[]).assert_ok();
    let before = common::tree(&site.dist());
    site.write(file, text);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(common::tree(&site.dist()), before, "dist/ changed after a failed build");
    errors_only(&run.stderr)
}

/// The errors in a run's report, each with its help lines: the warnings the edit brings along (a page
/// without a `reviewed` date, a translation now outdated) are other tests' business.
fn errors_only(stderr: &str) -> String {
    let mut kept = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if !line.starts_with(' ') {
            in_error = line.contains(": error: ") || line.starts_with("error: ");
        }
        if in_error {
            kept.push(line);
        }
    }
    kept.join("\n")
}

const OFFICE: &str = "id = \"extra\"\nname = { en = \"Extra\", zh = \"另一个\" }\ndistrict = { en = \"Xuhui District\", zh = \"徐汇区\" }\n\
    address = { en = \"1 Road\", zh = \"1路\" }\nphones = [\"021-87654321\"]\nclosed_on_holidays = true\nservices = [\"visas\"]\n\
    hours = [{ days = \"mon-fri\", open = \"09:00\", close = \"17:00\" }]\n";

#[test]
fn unknown_field_is_an_error() {
    let out = build_with("content/offices/extra.toml", OFFICE);
    assert_eq!(
        out,
        "content/offices/extra.toml:6:1: error: unknown key `closed_on_holidays`\n  help: did you mean `closes_on_public_holidays`? Free-form data goes under [extra]"
    );
}

/// The office above, valid, with `hours` replaced by `hours` if given.
fn office_with(hours: &str) -> String {
    let office = OFFICE.replace("closed_on_holidays", "closes_on_public_holidays");
    if hours.is_empty() {
        office
    } else {
        office.replace("hours = [{ days = \"mon-fri\", open = \"09:00\", close = \"17:00\" }]\n", hours)
    }
}

#[test]
fn bad_times_are_errors() {
    let out = build_with(
        "content/offices/extra.toml",
        &office_with(
            "hours = [\n  { days = \"mon\", open = \"25:00\", close = \"26:00\" },\n  { days = \"tue\", open = \"17:00\", close = \"09:00\" },\n]\n",
        ),
    );
    assert_eq!(
        out,
        "content/offices/extra.toml:9:26: error: `25:00` is not a time of day: hours run from 00 to 23 and minutes from 00 to 59\n\
         content/offices/extra.toml:9:43: error: `26:00` is not a time of day: hours run from 00 to 23 and minutes from 00 to 59\n\
         content/offices/extra.toml:10:43: error: the session closes (09:00) before it opens (17:00)\n  help: a session that runs past midnight is two sessions, one on each day"
    );
}

#[test]
fn overlapping_sessions_are_an_error() {
    let out = build_with(
        "content/offices/extra.toml",
        &office_with(
            "hours = [\n  { days = \"mon-fri\", open = \"09:00\", close = \"12:00\" },\n  { days = \"fri\", open = \"11:00\", close = \"17:00\" },\n]\n",
        ),
    );
    assert_eq!(
        out,
        "content/offices/extra.toml:10:3: error: on fri this session (11:00–17:00) overlaps the one on line 9 (09:00–12:00)\n  help: make the sessions of a day follow each other, e.g. 09:00–11:30 and 13:30–17:00"
    );
}

#[test]
fn bad_holiday_dates_are_errors() {
    let out = build_with(
        "content/holidays/2026.toml",
        "year = 2026\n\n[[holidays]]\nname = { en = \"Spring Festival\", zh = \"春节\" }\nfrom = 2026-02-15\nto = 2026-02-30\n\n\
         [[holidays]]\nname = { en = \"National Day\", zh = \"国庆节\" }\nfrom = 2026-10-01\nto = 2026-10-07\nmakeup_workdays = [2026-10-12, 2027-01-02]\n",
    );
    assert_eq!(out, "content/holidays/2026.toml:6:6: error: invalid date, expected day between 01 and 28");
    let out = build_with(
        "content/holidays/2026.toml",
        "year = 2026\n\n[[holidays]]\nname = { en = \"National Day\", zh = \"国庆节\" }\nfrom = 2026-10-07\nto = 2026-10-01\nmakeup_workdays = [2026-10-12]\n",
    );
    assert_eq!(
        out,
        "content/holidays/2026.toml:6:6: error: the holiday ends (2026-10-01) before it starts (2026-10-07)\n  help: swap `from` and `to`\n\
         content/holidays/2026.toml:7:20: error: 2026-10-12 is a Monday; a make-up working day is a Saturday or Sunday\n  help: check the date against the State Council's notice"
    );
}

#[test]
fn duplicate_office_id_is_an_error() {
    let out = build_with("content/offices/copy.toml", &office_with("").replace("\"extra\"", "\"centre\""));
    assert_eq!(
        out,
        "content/offices/copy.toml: error: office id `centre` is also used by content/offices/centre.toml\n  help: give each office its own id"
    );
}

#[test]
fn a_mistake_in_one_field_of_an_office_is_reported_once() {
    let out = build_with(
        "content/offices/centre.toml",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/offices/content/offices/centre.toml"),
        )
        .unwrap()
        .replace("021-12345678", "021-1234567O"),
    );
    assert_eq!(
        out,
        "content/offices/centre.toml:7:11: error: `021-1234567O` is not a phone number: it contains `O`\n  help: write the number with its area code, e.g. 021-28951900, or +86 21 2895 1900",
        "the pages that show the office's card do not report it as missing"
    );
}

#[test]
fn unknown_service_is_an_error() {
    let out = build_with("content/offices/extra.toml", &office_with("").replace("[\"visas\"]", "[\"visa\"]"));
    assert_eq!(out, "content/offices/extra.toml:7:13: error: unknown service `visa`\n  help: did you mean `visas`?");
}

#[test]
fn a_phone_number_must_be_a_phone_number() {
    let out = build_with("content/offices/extra.toml", &office_with("").replace("021-87654321", "ask at the desk"));
    assert_eq!(
        out,
        "content/offices/extra.toml:5:11: error: `ask at the desk` is not a phone number: it contains `a`\n  help: write the number with its area code, e.g. 021-28951900, or +86 21 2895 1900"
    );
}

#[test]
fn unknown_office_referenced_from_a_page_is_an_error() {
    let out =
        build_with("content/_index.md", "+++\ntitle = \"Guide\"\n+++\nApply here:\n\n{{ office(id=\"centr\") }}\n");
    assert!(
        out.starts_with("content/_index.md:6:1: error: shortcode `office`: there is no office with id `centr`"),
        "{out}"
    );
    let out = build_with(
        "content/apply.md",
        "+++\ntitle = \"Apply\"\nkind = \"category\"\n[category]\nconditions = [\"Be here.\"]\noffices = [\"centre\", \"centr\"]\n+++\n",
    );
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        ["content/apply.md:6:22: error: there is no office with id `centr`"],
        "reported once, where it is written"
    );
}

#[test]
fn missing_translation_of_a_text_field_is_a_warning_shown_as_unconfirmed() {
    let site = Site::fixture("offices");
    site.write(
        "content/offices/extra.toml",
        &office_with("")
            .replace(", zh = \"另一个\"", "")
            .replace("hours = [{ days = \"mon-fri\", open = \"09:00\", close = \"17:00\" }]\n", ""),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(
        run.stderr,
        DECLARED_GAP.to_string()
            + "content/offices/extra.toml: warning: office `extra` has no hours\n  help: add it, or list \"hours\" in `unconfirmed` so the page says it is not yet confirmed\n\
         content/offices/extra.toml:2:8: warning: `name` has no 中文 text\n  help: add `zh = \"…\"`, or list \"name.zh\" in `unconfirmed`; the page shows it as not yet confirmed\n"
    );
    assert!(site.out("zh/offices/extra/index.html").contains("<strong>下列信息尚未确认：正式名称、办公时间</strong>"));
}

/// `check --strict --format short` on the site, as of the day the fixtures were written; stdout and stderr.
fn check_strict(site: &Site) -> (i32, String) {
    let root = site.root();
    let args = ["check", "--root", root.to_str().unwrap(), "--format", "short", "--strict", "--today", "2026-11-27"];
    let run = common::diptych(&args);
    (run.code, format!("{}{}", run.stdout, run.stderr))
}

#[test]
fn check_lists_declared_gaps_as_warnings_that_strict_accepts() {
    let site = built();
    let (_, out) = check_strict(&site);
    let gaps: Vec<&str> = out.lines().filter(|l| l.contains("not yet confirmed:")).collect();
    assert_eq!(
        gaps,
        [
            "content/offices/district.toml:5:16: warning: office `district`: not yet confirmed: name.zh, address, phones, hours, services"
        ],
        "{out}"
    );
    site.write("content/offices/district.toml", "id = \"district\"\nname = { en = \"District Office\" }\ndistrict = { en = \"Huangpu District\", zh = \"黄浦区\" }\n");
    let (code, out) = check_strict(&site);
    assert_eq!(code, 1, "an undeclared missing fact fails --strict");
    assert!(out.contains("content/offices/district.toml: error: office `district` has no address"), "{out}");
}
