//! What templates see of an office, in one page language: every text with its language, what is not yet
//! confirmed, the hours as a table, and the links (phone, map, vCard).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::render::office_export;
use crate::site::config::{Config, Language};
use crate::site::date::Date;
use crate::site::frontmatter::Source;
use crate::site::offices::hours::{self, Schedule};
use crate::site::offices::{Office, Offices, Phone, Texts, text};
use crate::urls::{office_path, vcard_path};

/// A text in some language, and whether it is trustworthy.
#[derive(Clone, Debug, Serialize)]
pub struct LocalText {
    pub text: String,
    pub lang: String,
    pub lang_tag: String,
    /// Not yet confirmed: declared so in the data.
    pub unconfirmed: bool,
    /// In another language than the page's, because the page's is missing.
    pub fallback: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DayRow {
    pub day: String,
    pub sessions: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub highlighted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct OfficeView {
    pub id: String,
    pub url: String,
    pub vcard_url: String,
    pub name: LocalText,
    /// The name in the other languages, for readers who need the other script.
    pub other_names: Vec<LocalText>,
    pub district: LocalText,
    /// The district in the other languages.
    pub other_districts: Vec<LocalText>,
    /// Whether the data has an address, a phone or hours: without, the office has no page (`url` is empty).
    pub contact_confirmed: bool,
    /// The address in the place's own language (Chinese in Shanghai): the one to show a driver.
    pub address_local: Option<LocalText>,
    /// The same as HTML in which numbers such as `8-9` never break across lines.
    pub address_local_html: Option<String>,
    /// The address in the other languages.
    pub address_other: Vec<LocalText>,
    pub phones: Vec<Phone>,
    pub hours: Vec<DayRow>,
    pub closes_on_public_holidays: Option<bool>,
    pub opens_on_makeup_workdays: Option<bool>,
    pub services: Vec<ServiceView>,
    /// Offers the service the directory highlights.
    pub highlighted: bool,
    pub metro: Option<LocalText>,
    pub note: Option<LocalText>,
    pub map_url: Option<String>,
    pub sources: Vec<Source>,
    /// Field names not yet confirmed (`address`, `address.zh`, `hours`, …).
    pub unconfirmed: Vec<String>,
    /// The main facts not yet confirmed, named in the page's language, for one notice at the top.
    pub unconfirmed_facts: Vec<String>,
    /// Dated opening intervals for "open now", as JSON.
    pub schedule: Option<String>,
    /// schema.org `GovernmentOffice`, as JSON-LD.
    pub jsonld: String,
}

/// A holiday as the office pages list it.
#[derive(Clone, Debug, Serialize)]
pub struct HolidayView {
    pub name: String,
    pub from: Date,
    pub to: Date,
    pub makeup_workdays: Vec<Date>,
}

/// The place's own language: Chinese where the site has it, else the default language.
pub fn local_language(config: &Config) -> &Language {
    let code = config.offices.local_language.as_deref().unwrap_or("zh");
    config.language(code).unwrap_or(&config.languages[0])
}

/// The text in the page's language, else in the first language that has it, marked as a stand-in.
fn local_text(office: &Office, field: &str, texts: &Texts, lang: &Language, config: &Config) -> Option<LocalText> {
    exact_text(office, field, texts, lang).or_else(|| {
        let mut stand_in = config.languages.iter().find_map(|l| exact_text(office, field, texts, l))?;
        stand_in.fallback = true;
        // Shown in another language because the page's is missing: say that the page's is not yet confirmed.
        stand_in.unconfirmed |= office.is_unconfirmed(field, Some(&lang.code));
        Some(stand_in)
    })
}

fn exact_text(office: &Office, field: &str, texts: &Texts, lang: &Language) -> Option<LocalText> {
    text(texts, &lang.code).map(|t| LocalText {
        text: t.to_string(),
        lang: lang.code.clone(),
        lang_tag: lang.lang_tag.clone(),
        unconfirmed: office.is_unconfirmed(field, Some(&lang.code)),
        fallback: false,
    })
}

pub fn office_view(
    office: &Office,
    offices: &Offices,
    config: &Config,
    lang: &Language,
    strings: &BTreeMap<String, String>,
) -> OfficeView {
    let local = local_language(config);
    let name = local_text(office, "name", &office.name, lang, config).unwrap_or_else(|| LocalText {
        text: office.id.clone(),
        lang: lang.code.clone(),
        lang_tag: lang.lang_tag.clone(),
        unconfirmed: true,
        fallback: false,
    });
    let others = |field: &str, texts: &Texts, except: &str| -> Vec<LocalText> {
        config
            .languages
            .iter()
            .filter(|l| l.code != except)
            .filter_map(|l| exact_text(office, field, texts, l))
            .collect()
    };
    let address_local = exact_text(office, "address", &office.address, local);
    let address_other = others("address", &office.address, &local.code);
    let path = office_path(config, &lang.code, &office.id);
    let confirmed = office.contact_confirmed();
    let district = local_text(office, "district", &office.district, lang, config).unwrap_or_else(|| name.clone());
    let schedule: Option<Schedule> = if office.is_unconfirmed("hours", None) && office.week.is_empty() {
        None
    } else {
        let openings = hours::Openings {
            week: &office.week,
            follows_holidays: office.closes_on_public_holidays,
            opens_on_makeup: office.opens_on_makeup_workdays,
        };
        hours::schedule(openings, &offices.calendar)
    };
    OfficeView {
        id: office.id.clone(),
        url: if confirmed { config.url(&path) } else { String::new() },
        vcard_url: if confirmed { config.url(&vcard_path(&office.id)) } else { String::new() },
        other_names: others("name", &office.name, &name.lang),
        district: district.clone(),
        other_districts: others("district", &office.district, &district.lang),
        contact_confirmed: confirmed,
        name,
        map_url: map_url(config, office, local),
        address_local_html: address_local.as_ref().map(|a| unbroken_numbers(&a.text)),
        address_local,
        address_other,
        phones: office.phones.clone(),
        hours: hour_rows(office, strings),
        closes_on_public_holidays: office.closes_on_public_holidays,
        opens_on_makeup_workdays: office.opens_on_makeup_workdays,
        services: offices
            .services
            .iter()
            .filter(|s| office.services.contains(&s.id))
            .map(|s| ServiceView {
                id: s.id.clone(),
                name: text(&s.name, &lang.code).unwrap_or(&s.id).to_string(),
                highlighted: offices.highlight.as_ref() == Some(&s.id),
            })
            .collect(),
        highlighted: offices.highlight.as_ref().is_some_and(|h| office.services.contains(h)),
        metro: local_text(office, "metro", &office.metro, lang, config),
        note: local_text(office, "note", &office.note, lang, config),
        sources: office.sources.clone(),
        unconfirmed: office.unconfirmed.iter().cloned().collect(),
        unconfirmed_facts: [
            ("name", "office_name"),
            ("address", "office_address"),
            ("phones", "office_phone"),
            ("hours", "office_hours"),
            ("services", "office_services"),
        ]
        .into_iter()
        .filter(|(field, _)| office.is_unconfirmed(field, if *field == "name" { Some(&lang.code) } else { None }))
        .map(|(_, key)| strings.get(key).cloned().unwrap_or_else(|| key.to_string()))
        .collect(),
        schedule: schedule.map(|s| office_export::json_in_script(&serde_json::to_string(&s).unwrap_or_default())),
        jsonld: if confirmed { office_export::jsonld(office, offices, config, lang) } else { String::new() },
    }
}

/// One row per weekday, Monday first, with the day's sessions; an empty list means closed.
fn hour_rows(office: &Office, strings: &BTreeMap<String, String>) -> Vec<DayRow> {
    if office.week.is_empty() {
        return Vec::new();
    }
    hours::DAY_NAMES
        .iter()
        .zip(&office.week.0)
        .map(|(day, sessions)| DayRow {
            day: strings.get(&format!("day_{day}")).cloned().unwrap_or_else(|| day.to_string()),
            sessions: sessions
                .iter()
                .map(|&(o, c)| format!("{}–{}", hours::format_time(o), hours::format_time(c)))
                .collect(),
        })
        .collect()
}

/// The configured map link, with the place's own address (or coordinates where the pattern asks for them).
fn map_url(config: &Config, office: &Office, local: &Language) -> Option<String> {
    let pattern = &config.offices.map_url;
    let address = text(&office.address, &local.code)
        .or_else(|| config.languages.iter().find_map(|l| text(&office.address, &l.code)))?;
    let mut url = pattern.replace("{query}", &crate::urls::encode(address));
    if url.contains("{lat}") || url.contains("{lon}") {
        let c = office.coordinates?;
        url = url.replace("{lat}", &c.lat.to_string()).replace("{lon}", &c.lon.to_string());
    }
    Some(url)
}

/// Escapes `text` as HTML and keeps each run of Latin letters, digits and hyphens (`8-9`, `No.`) on one line,
/// so a driver never reads half a house number at the end of a line.
pub fn unbroken_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() > 1 {
            out.push_str("<span class=\"nowrap\">");
            out.push_str(&crate::html::escape(run));
            out.push_str("</span>");
        } else {
            out.push_str(&crate::html::escape(run));
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push_str(&crate::html::escape(&c.to_string()));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The holidays of one year of the calendar.
#[derive(Clone, Debug, Serialize)]
pub struct HolidayYear {
    pub year: i32,
    pub holidays: Vec<HolidayView>,
}

/// The calendar's holidays by year, the latest year first, each year in date order.
pub fn holiday_views(offices: &Offices, lang: &Language) -> Vec<HolidayYear> {
    let mut years: Vec<HolidayYear> = Vec::new();
    for h in &offices.calendar.holidays {
        let view = HolidayView {
            name: text(&h.name, &lang.code)
                .or_else(|| h.name.values().next().map(String::as_str))
                .unwrap_or("")
                .to_string(),
            from: h.from,
            to: h.to,
            makeup_workdays: h.makeup_workdays.clone(),
        };
        match years.iter_mut().find(|y| y.year == h.from.year) {
            Some(year) => year.holidays.push(view),
            None => years.push(HolidayYear { year: h.from.year, holidays: vec![view] }),
        }
    }
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    years
}
