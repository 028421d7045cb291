//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian, no time zone).
//!
//! Every date in a manifest is a civil date: audit periods, certificate expiry and surveillance
//! deadlines are all stated by day. Keeping our own tiny type (instead of a full time library)
//! keeps the wasm bundle small and makes "today" an explicit parameter everywhere.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A calendar date such as `2026-11-28`.
///
/// Ordering is chronological. Arithmetic is done on the day count since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a string is not a valid `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateParseError {
    /// The text that was rejected.
    pub input: String,
}

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a date in the form YYYY-MM-DD (for example 2026-03-31)",
            self.input
        )
    }
}

impl std::error::Error for DateParseError {}

impl Date {
    /// Builds a date, or `None` when the day does not exist (for example 2025-02-29).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// The year, e.g. 2026.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil algorithm.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let m = i64::from(self.month);
        let day_of_year =
            (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01, if it lies in years 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::from_ymd(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The date `days` days later (or earlier, when negative). Saturates at the ends of the range.
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(days))
            .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
    }

    /// The same day `months` calendar months later (or earlier), clamped to the month's last day:
    /// 2025-01-31 plus one month is 2025-02-28.
    pub fn add_months(self, months: i32) -> Date {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) + 1;
        match (i32::try_from(year), u8::try_from(month)) {
            (Ok(year), Ok(month)) if (1..=9999).contains(&year) => {
                let day = self.day.min(days_in_month(year, month));
                Date { year, month, day }
            }
            _ if months < 0 => Date::MIN,
            _ => Date::MAX,
        }
    }

    /// Whole days from `self` until `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    /// The earliest representable date, 0001-01-01.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// The latest representable date, 9999-12-31.
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse_iso(text).ok_or_else(|| DateParseError {
            input: text.to_owned(),
        })
    }
}

impl Date {
    /// `YYYY-MM-DD`, if `text` is exactly that and the day exists: [`FromStr`] without the
    /// error value, for readers that give their own message (no copy of the text is made).
    pub(crate) fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| text.get(range).and_then(crate::digits::value);
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        Date::from_ymd(year, month, day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// For the differential tests' serde oracle only (feature `serde-oracle`).
#[cfg(feature = "serde-oracle")]
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> String {
        "Date".to_owned()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date".to_owned()),
            string: Some(Box::new(schemars::schema::StringValidation {
                pattern: Some(r"^\d{4}-\d{2}-\d{2}$".to_owned()),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().expect("valid test date")
    }

    #[test]
    fn round_trips_through_day_numbers() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
        for days in (-719_162..2_932_896).step_by(997) {
            let date = Date::from_days_since_epoch(days).expect("in range");
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-01-01",
            "2026/01/01",
            "2026-1-01",
            "+026-01-01",
            "2026-01-0a",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad} should be rejected");
        }
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(d("2025-01-31").add_months(1), d("2025-02-28"));
        assert_eq!(d("2024-02-29").add_months(12), d("2025-02-28"));
        assert_eq!(d("2026-11-28").add_months(-12), d("2025-11-28"));
        assert_eq!(d("2026-12-15").add_months(1), d("2027-01-15"));
    }

    #[test]
    fn day_arithmetic_and_differences() {
        assert_eq!(d("2026-11-28").add_days(60), d("2027-01-27"));
        assert_eq!(d("2026-11-28").days_until(d("2026-12-01")), 3);
        assert_eq!(d("2026-12-01").days_until(d("2026-11-28")), -3);
    }
}
