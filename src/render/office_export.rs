//! Machine-readable office data: `offices.json` (shape in docs/offices-json.md), one vCard per office,
//! and schema.org `GovernmentOffice` JSON-LD for each office page.

use serde::Serialize;
use serde_json::{Value, json};

use crate::site::config::{Config, Language};
use crate::site::offices::hours::{DAY_NAMES, format_time};
use crate::site::offices::{Office, Offices, text};
use crate::urls::{office_path, vcard_path};

/// The version of `offices.json`'s shape. Adding fields keeps it; renaming or removing one changes it.
pub const JSON_VERSION: u32 = 2;

#[derive(Serialize)]
struct JsonSession {
    days: Vec<&'static str>,
    opens: String,
    closes: String,
}

/// `offices.json`: every office with its facts in every language, and the holiday calendar.
pub fn offices_json(offices: &Offices, config: &Config) -> String {
    let list: Vec<Value> = offices
        .offices
        .iter()
        .map(|o| {
            // An office without contact facts has no page and no vCard (version 2).
            let confirmed = o.contact_confirmed();
            let urls: serde_json::Map<String, Value> = config
                .languages
                .iter()
                .filter(|_| confirmed)
                .map(|l| (l.code.clone(), json!(config.permalink(&office_path(config, &l.code, &o.id)))))
                .collect();
            json!({
                "id": o.id,
                "name": o.name,
                "district": o.district,
                "address": o.address,
                "phones": o.phones.iter().map(|p| json!({ "display": p.display, "tel": p.tel })).collect::<Vec<_>>(),
                "hours": sessions(o),
                "closes_on_public_holidays": o.closes_on_public_holidays,
                "opens_on_makeup_workdays": o.opens_on_makeup_workdays,
                "contact_confirmed": confirmed,
                "services": o.services,
                "metro": o.metro,
                "coordinates": o.coordinates,
                "unconfirmed": o.unconfirmed,
                "urls": urls,
                "vcard": confirmed.then(|| config.permalink(&vcard_path(&o.id))),
            })
        })
        .collect();
    let holidays: Vec<Value> = offices
        .calendar
        .holidays
        .iter()
        .map(|h| json!({ "name": h.name, "from": h.from, "to": h.to, "makeup_workdays": h.makeup_workdays }))
        .collect();
    let services: Vec<Value> = offices.services.iter().map(|s| json!({ "id": s.id, "name": s.name })).collect();
    let doc = json!({
        "version": JSON_VERSION,
        "timezone": "Asia/Shanghai",
        "services": services,
        "offices": list,
        "holidays": holidays,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn sessions(office: &Office) -> Vec<JsonSession> {
    office
        .sessions
        .iter()
        .map(|s| JsonSession {
            days: DAY_NAMES.iter().zip(s.days).filter(|(_, on)| *on).map(|(d, _)| *d).collect(),
            opens: format_time(s.open),
            closes: format_time(s.close),
        })
        .collect()
}

/// A vCard 4.0 (RFC 6350) with the office's names and addresses in every language it has.
pub fn vcard(office: &Office, config: &Config) -> String {
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:4.0".to_string(), "KIND:org".to_string()];
    let default = &config.languages[0];
    let fallback_name = office.id.clone();
    let main_name = text(&office.name, &default.code).map(str::to_string).unwrap_or(fallback_name);
    lines.push(format!("FN:{}", vcard_escape(&main_name)));
    for lang in &config.languages {
        if let Some(name) = text(&office.name, &lang.code) {
            lines.push(format!("ORG;LANGUAGE={}:{}", lang.lang_tag, vcard_escape(name)));
        }
        if let Some(address) = text(&office.address, &lang.code) {
            let district = text(&office.district, &lang.code).unwrap_or("");
            lines.push(format!(
                "ADR;TYPE=work;LANGUAGE={}:;;{};{};;;",
                lang.lang_tag,
                vcard_escape(address),
                vcard_escape(district)
            ));
        }
    }
    for phone in &office.phones {
        lines.push(format!("TEL;TYPE=work,voice;VALUE=uri:tel:{}", phone.tel));
    }
    if let Some(c) = office.coordinates {
        lines.push(format!("GEO:geo:{},{}", c.lat, c.lon));
    }
    lines.push(format!("URL:{}", config.permalink(&office_path(config, &default.code, &office.id))));
    if !office.unconfirmed.is_empty() {
        let fields: Vec<&str> = office.unconfirmed.iter().map(String::as_str).collect();
        lines.push(format!("NOTE:{}", vcard_escape(&format!("Not yet confirmed: {}.", fields.join(", ")))));
    }
    lines.push("END:VCARD".to_string());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
}

/// Escapes vCard text values (RFC 6350, 3.4): a different format from HTML, hence its own escaper.
fn vcard_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace("\r\n", "\n")
        .replace(['\r', '\n'], "\\n")
        .replace(|c: char| c.is_control(), "")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character, with CRLF endings.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// schema.org `GovernmentOffice` with `openingHoursSpecification` (and holiday closures), in the page's language.
pub fn jsonld(office: &Office, offices: &Offices, config: &Config, lang: &Language) -> String {
    let name = text(&office.name, &lang.code)
        .or_else(|| office.name.values().find(|v| !v.trim().is_empty()).map(String::as_str));
    let mut node = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "@id": config.permalink(&office_path(config, &config.languages[0].code, &office.id)),
        "url": config.permalink(&office_path(config, &lang.code, &office.id)),
        "name": name.unwrap_or(&office.id),
    });
    let alternate: Vec<&str> =
        config.languages.iter().filter(|l| l.code != lang.code).filter_map(|l| text(&office.name, &l.code)).collect();
    if !alternate.is_empty() {
        node["alternateName"] = json!(alternate);
    }
    if let Some(address) = text(&office.address, &lang.code)
        .or_else(|| office.address.values().find(|v| !v.trim().is_empty()).map(String::as_str))
    {
        node["address"] = json!({
            "@type": "PostalAddress",
            "streetAddress": address,
            "addressRegion": text(&office.district, &lang.code),
            "addressCountry": "CN",
        });
    }
    if let Some(phone) = office.phones.first() {
        node["telephone"] = json!(phone.tel);
    }
    if let Some(c) = office.coordinates {
        node["geo"] = json!({ "@type": "GeoCoordinates", "latitude": c.lat, "longitude": c.lon });
    }
    let mut specs: Vec<Value> = office
        .sessions
        .iter()
        .map(|s| {
            let days: Vec<String> = DAY_NAMES
                .iter()
                .zip(s.days)
                .filter(|(_, on)| *on)
                .map(|(d, _)| format!("https://schema.org/{}", schema_day(d)))
                .collect();
            let mut spec = json!({ "@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": format_time(s.open), "closes": format_time(s.close) });
            // Hours of an office that may close on holidays hold only as far as the holiday calendar goes.
            if let (Some((_, last)), false) = (offices.calendar.span, office.closes_on_public_holidays == Some(false)) {
                spec["validThrough"] = json!(last);
            }
            spec
        })
        .collect();
    if !specs.is_empty() {
        node["openingHoursSpecification"] = json!(specs.split_off(0));
        if office.closes_on_public_holidays == Some(true) {
            let closed: Vec<Value> = offices
                .calendar
                .holidays
                .iter()
                .map(|h| json!({ "@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00", "validFrom": h.from, "validThrough": h.to }))
                .collect();
            if !closed.is_empty() {
                node["specialOpeningHoursSpecification"] = json!(closed);
            }
        }
    }
    json_in_script(&serde_json::to_string(&node).unwrap_or_default())
}

/// JSON made safe to write inside a `<script>` element: `</script>` would end the element and `<!--` would
/// change how the browser reads the rest of the page (an office name holding `<!--<script>` blanked it), so
/// `<`, `>` and `&` are written as `\u003c` escapes, which every JSON reader decodes back. U+2028 and U+2029
/// are escaped too, for readers that take the JSON as JavaScript.
pub fn json_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn schema_day(day: &str) -> &'static str {
    match day {
        "mon" => "Monday",
        "tue" => "Tuesday",
        "wed" => "Wednesday",
        "thu" => "Thursday",
        "fri" => "Friday",
        "sat" => "Saturday",
        _ => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_between_characters() {
        let line = format!("ORG;LANGUAGE=zh-Hans:{}", "上海市公安局出入境管理局".repeat(3));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{part}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn json_in_a_script_element_cannot_end_it() {
        let json = serde_json::to_string(&json!({ "name": "a</script><!--<script>&\u{2028}" })).unwrap();
        let safe = json_in_script(&json);
        assert!(!safe.contains(['<', '>', '&', '\u{2028}']), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], "a</script><!--<script>&\u{2028}");
    }

    #[test]
    fn escapes_vcard_text_values() {
        assert_eq!(vcard_escape("a\r\nb\rc\u{7}d"), "a\\nb\\ncd");
        assert_eq!(vcard_escape("No. 8-9, Lane 36; Pudong"), "No. 8-9\\, Lane 36\\; Pudong");
    }
}
