//! Calendar dates: parsed from TOML (`2026-11-27` or `"2026-11-27"`), validated, and counted in days.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} does not exist"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!("{} {year} has {last} days, so day {day} does not exist", MONTHS[month as usize - 1]));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27");
        let mut parts = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        let day = d.parse().map_err(|_| bad())?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.days_since_epoch() + 3).rem_euclid(7) as u32
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier), counting a month only once its day is reached.
    pub fn months_until(self, later: Date) -> i32 {
        let months = (later.year - self.year) * 12 + later.month as i32 - self.month as i32;
        if later.day < self.day { months - 1 } else { months }
    }

    /// Today in the time zone `zone`, from the system clock.
    pub fn today(zone: TimeZone) -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::at(secs as i64, zone)
    }

    /// The start of the day in `zone`, in RFC 3339: `2026-11-27T00:00:00+08:00`, `…Z` in UTC.
    pub fn rfc3339(self, zone: TimeZone) -> String {
        let minutes = zone.offset_minutes;
        let offset = if minutes == 0 {
            "Z".to_string()
        } else {
            let sign = if minutes < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
        };
        format!("{self}T00:00:00{offset}")
    }

    /// The date in `zone` at `unix_secs` seconds after 1970-01-01T00:00Z.
    pub fn at(unix_secs: i64, zone: TimeZone) -> Date {
        Date::from_days_since_epoch((unix_secs + i64::from(zone.offset_minutes) * 60).div_euclid(86_400))
    }
}

/// A site's time zone, as a fixed offset from UTC: the zones a site of this kind needs have no daylight saving
/// (China has had none since 1991), so a small table of names stands in for a tz database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TimeZone {
    pub offset_minutes: i32,
}

/// IANA names diptych knows, with their fixed offsets in minutes: zones without daylight saving only.
const KNOWN_ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("Etc/UTC", 0),
    ("Asia/Shanghai", 480),
    ("Asia/Chongqing", 480),
    ("Asia/Harbin", 480),
    ("Asia/Urumqi", 360),
    ("Asia/Hong_Kong", 480),
    ("Asia/Macau", 480),
    ("Asia/Taipei", 480),
    ("Asia/Singapore", 480),
    ("Asia/Kuala_Lumpur", 480),
    ("Asia/Manila", 480),
    ("Asia/Tokyo", 540),
    ("Asia/Seoul", 540),
    ("Asia/Kolkata", 330),
    ("Asia/Bangkok", 420),
    ("Asia/Ho_Chi_Minh", 420),
    ("Asia/Jakarta", 420),
    ("Asia/Dubai", 240),
];

/// What `TimeZone::parse` accepts, for its error message.
pub const TIME_ZONE_FORMS: &str =
    "an IANA name without daylight saving such as \"Asia/Shanghai\", \"UTC+8\", or an offset such as \"+08:00\"";

impl TimeZone {
    pub const UTC: TimeZone = TimeZone { offset_minutes: 0 };

    /// `Asia/Shanghai` (a known zone without daylight saving), `UTC`, `UTC+8`, `UTC+05:30`, `+08:00` or `-03:00`.
    pub fn parse(text: &str) -> Result<TimeZone, String> {
        let text = text.trim();
        if let Some(&(_, offset)) = KNOWN_ZONES.iter().find(|(name, _)| *name == text) {
            return Ok(TimeZone { offset_minutes: offset });
        }
        let offset = text.strip_prefix("UTC").or_else(|| text.strip_prefix("GMT")).unwrap_or(text);
        parse_offset(offset).map(|offset_minutes| TimeZone { offset_minutes }).ok_or_else(|| {
            if text.contains('/') {
                format!("`{text}` is not a time zone diptych knows (it knows only zones without daylight saving)")
            } else {
                format!("`{text}` is not a time zone")
            }
        })
    }
}

/// `+8`, `+08`, `+08:00`, `-03:30` → minutes east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "00"));
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// TOML gives a date either as a native date or as a string; both are accepted.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateInput {
    Native(toml::value::Datetime),
    Text(String),
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = DateInput::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom("expected a date like 2026-11-27"))?;
        let parsed = match input {
            DateInput::Native(dt) => match (dt.date, dt.time) {
                (Some(d), _) => Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
                (None, _) => Err(format!("`{dt}` is a time, not a date; write a date like 2026-11-27")),
            },
            DateInput::Text(text) => Date::parse(&text),
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 11, 27), (1969, 12, 31), (2400, 3, 1)] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        }
    }

    #[test]
    fn knows_weekdays() {
        assert_eq!(Date::new(2026, 11, 27).unwrap().weekday(), 4); // a Friday
        assert_eq!(Date::new(2026, 1, 4).unwrap().weekday(), 6); // the make-up Sunday
    }

    #[test]
    fn writes_the_start_of_a_day_in_rfc_3339() {
        let day = Date::new(2026, 11, 27).unwrap();
        assert_eq!(day.rfc3339(TimeZone::UTC), "2026-11-27T00:00:00Z");
        assert_eq!(day.rfc3339(TimeZone { offset_minutes: 480 }), "2026-11-27T00:00:00+08:00");
        assert_eq!(day.rfc3339(TimeZone { offset_minutes: -210 }), "2026-11-27T00:00:00-03:30");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(Date::parse("2026-02-30").unwrap_err(), "February 2026 has 28 days, so day 30 does not exist");
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("27/11/2026").is_err());
    }

    #[test]
    fn reads_native_and_quoted_toml_dates() {
        #[derive(Deserialize)]
        struct T {
            a: Date,
            b: Date,
        }
        let t: T = toml::from_str("a = 2026-11-27\nb = \"2025-01-02\"").unwrap();
        assert_eq!((t.a.to_string(), t.b.to_string()), ("2026-11-27".into(), "2025-01-02".into()));
    }

    #[test]
    fn today_is_the_site_zone_today_around_midnight() {
        // 2026-12-31T16:30Z is 00:30 on 1 January 2027 in Shanghai.
        let instant = Date::new(2026, 12, 31).unwrap().days_since_epoch() * 86_400 + 16 * 3600 + 30 * 60;
        let shanghai = TimeZone::parse("Asia/Shanghai").unwrap();
        assert_eq!(Date::at(instant, shanghai).to_string(), "2027-01-01");
        assert_eq!(Date::at(instant, TimeZone::UTC).to_string(), "2026-12-31");
        assert_eq!(Date::at(instant - 3600, shanghai).to_string(), "2026-12-31", "23:30 in Shanghai");
    }

    #[test]
    fn reads_time_zones_as_fixed_offsets() {
        for form in ["Asia/Shanghai", "UTC+8", "+08:00", "UTC+08", "GMT+8"] {
            assert_eq!(TimeZone::parse(form), Ok(TimeZone { offset_minutes: 480 }), "{form}");
        }
        assert_eq!(TimeZone::parse("-03:30").unwrap().offset_minutes, -210);
        assert_eq!(TimeZone::parse("UTC").unwrap(), TimeZone::UTC);
        assert!(TimeZone::parse("Europe/Paris").unwrap_err().contains("without daylight saving"));
        for bad in ["+8:0", "+25:00", "Shanghai", "", "+"] {
            assert!(TimeZone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_whole_months() {
        let a = Date::new(2025, 11, 27).unwrap();
        assert_eq!(a.months_until(Date::new(2026, 11, 27).unwrap()), 12);
        assert_eq!(a.months_until(Date::new(2026, 11, 26).unwrap()), 11);
    }
}
