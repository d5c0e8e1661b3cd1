//! Small types shared by several endpoints: [`Platform`], [`Period`], [`OrderDirection`],
//! [`Date`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::api_enum::api_enum;
use crate::{Error, Result};

api_enum! {
    /// A social platform that CreatorAudit tracks.
    ///
    /// Values the API adds later arrive as [`Platform::Other`] instead of failing the call.
    ///
    /// ```
    /// use creatoraudit::Platform;
    ///
    /// let p: Platform = "tiktok".parse()?;
    /// assert_eq!(p, Platform::TikTok);
    /// assert_eq!(p.to_string(), "tiktok");
    /// # Ok::<(), creatoraudit::Error>(())
    /// ```
    #[non_exhaustive]
    pub enum Platform as "platform", open Other {
        /// `instagram`
        Instagram = "instagram",
        /// `tiktok`
        TikTok = "tiktok",
    }
}

api_enum! {
    /// An analytics period preset.
    ///
    /// `/overview` and `/creators/top` accept only these three. The batch metrics endpoints
    /// also accept an explicit range of dates, which their request types take as a
    /// [`DateRange`](crate::DateRange) so that a "custom" period without dates cannot be built.
    ///
    /// ```
    /// use creatoraudit::Period;
    ///
    /// assert_eq!("30d".parse::<Period>()?, Period::Last30Days);
    /// assert_eq!(Period::Last90Days.to_string(), "90d");
    /// assert!("custom".parse::<Period>().is_err());
    /// # Ok::<(), creatoraudit::Error>(())
    /// ```
    #[derive(Default)]
    #[non_exhaustive]
    pub enum Period as "period", manual_from_str {
        /// `7d`: the last 7 days (the API's default for `/overview`).
        #[default]
        Last7Days = "7d",
        /// `30d`: the last 30 days (the API's default for the batch metrics).
        Last30Days = "30d",
        /// `90d`: the last 90 days.
        Last90Days = "90d",
    }
}

impl FromStr for Period {
    type Err = Error;

    /// Parses `"7d"`, `"30d"` or `"90d"`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for anything else, including `"custom"`: a custom period needs
    /// its dates, which the batch requests take through their `date_range` setter.
    fn from_str(s: &str) -> Result<Self> {
        if s.trim() == "custom" {
            return Err(Error::InvalidInput(
                "period: `custom` needs start_date and end_date; use the request's \
                 `date_range(DateRange::new(start, end)?)` setter"
                    .into(),
            ));
        }
        Period::from_wire(s).ok_or_else(|| Period::unknown(s))
    }
}

api_enum! {
    /// The direction of a sort.
    pub enum OrderDirection as "order_direction" {
        /// `asc`: smallest first.
        Asc = "asc",
        /// `desc`: largest (or newest) first.
        Desc = "desc",
    }
}

/// A calendar date (`YYYY-MM-DD`, UTC), as the analytics endpoints take them.
///
/// ```
/// use creatoraudit::Date;
///
/// let d: Date = "2026-06-15".parse()?;
/// assert_eq!(d, Date::new(2026, 6, 15)?);
/// assert_eq!(d.to_string(), "2026-06-15");
/// assert!(Date::new(2026, 2, 30).is_err());
/// # Ok::<(), creatoraudit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the parts are not a real date between years 1 and 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if !(1..=9999).contains(&year) || day == 0 || day > days_in_month {
            return Err(Error::InvalidInput(format!(
                "date: {year:04}-{month:02}-{day:02} is not a valid date"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Today's date in UTC, by the system clock (1970-01-01 if the clock is set before it).
    ///
    /// ```
    /// use creatoraudit::{Date, DateRange};
    ///
    /// let today = Date::today();
    /// let last_two_weeks = DateRange::new(today.add_days(-13)?, today)?;
    /// # let _ = last_two_weeks;
    /// # Ok::<(), creatoraudit::Error>(())
    /// ```
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_secs(secs)
    }

    /// The day (UTC) of a Unix time, or 9999-12-31 for one past it.
    pub(crate) fn from_unix_secs(secs: u64) -> Date {
        let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
        Date::from_days_since_epoch(days).unwrap_or(Date {
            year: 9999,
            month: 12,
            day: 31,
        })
    }

    /// The date `days` days later (earlier for a negative count).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the result is outside the years 1 to 9999.
    pub fn add_days(self, days: i64) -> Result<Date> {
        let total = self.days_since_epoch().checked_add(days);
        total.map_or_else(|| Err(out_of_range(days)), Date::from_days_since_epoch)
    }

    /// The number of days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // H. Hinnant's `days_from_civil`.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it for a negative count).
    ///
    /// ```
    /// use creatoraudit::Date;
    ///
    /// assert_eq!(Date::from_days_since_epoch(20_619)?.to_string(), "2026-06-15");
    /// assert_eq!(Date::new(2026, 6, 15)?.days_since_epoch(), 20_619);
    /// # Ok::<(), creatoraudit::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the date is outside the years 1 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Result<Date> {
        // 0001-01-01 and 9999-12-31.
        if !(-719_162..=2_932_896).contains(&days) {
            return Err(out_of_range(days));
        }
        // H. Hinnant's `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // In range by the check above: each part fits.
        Date::new(year as u16, month as u8, day as u8)
    }
}

fn out_of_range(days: i64) -> Error {
    Error::InvalidInput(format!(
        "date: {days} days from 1970-01-01 is outside the years 1 to 9999"
    ))
}

impl FromStr for Date {
    type Err = Error;

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the text is not a valid date in that form.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidInput(format!("date: expected YYYY-MM-DD, got {s:?}"));
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u16> {
            b.get(r.clone())
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .and_then(|_| s[r].parse().ok())
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => Date::new(y, m as u8, d as u8),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip_over_the_whole_range_and_refuse_beyond_it() {
        let first = Date::new(1, 1, 1).unwrap();
        let last = Date::new(9999, 12, 31).unwrap();
        assert_eq!(
            Date::from_days_since_epoch(first.days_since_epoch()).unwrap(),
            first
        );
        assert_eq!(
            Date::from_days_since_epoch(last.days_since_epoch()).unwrap(),
            last
        );
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        for days in (-719_162..=2_932_896).step_by(997) {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
        let leap = Date::new(2024, 2, 28).unwrap();
        assert_eq!(leap.add_days(1).unwrap().to_string(), "2024-02-29");
        assert_eq!(leap.add_days(2).unwrap().to_string(), "2024-03-01");
        assert_eq!(leap.add_days(-59).unwrap().to_string(), "2023-12-31");
        assert!(last.add_days(1).is_err());
        assert!(first.add_days(-1).is_err());
        let e = last.add_days(i64::MAX).unwrap_err();
        assert!(e.to_string().contains("outside the years 1 to 9999"), "{e}");
        assert!(Date::from_days_since_epoch(i64::MIN).is_err());
        assert!(Date::today() > Date::new(2020, 1, 1).unwrap());
    }

    #[test]
    fn platform_round_trips_and_keeps_unknown_values() {
        let p: Platform = serde_json::from_str("\"youtube\"").unwrap();
        assert_eq!(p, Platform::Other("youtube".into()));
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"youtube\"");
        assert_eq!(" TikTok ".parse::<Platform>().unwrap(), Platform::TikTok);
        let err = "myspace".parse::<Platform>().unwrap_err().to_string();
        assert!(err.contains("platform"), "{err}");
    }

    #[test]
    fn dates_are_validated() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(2026, 13, 1).is_err());
        assert!(Date::new(0, 1, 1).is_err());
        for bad in [
            "2026-6-15",
            "2026/06/15",
            "20260615xx",
            "２０２６-06-15",
            "+026-06-15",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        let d: Date = serde_json::from_str("\"2026-06-15\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-06-15\"");
        assert!(Date::new(2026, 1, 2).unwrap() < Date::new(2026, 2, 1).unwrap());
    }

    #[test]
    fn period_and_direction_parse() {
        assert_eq!("7d".parse::<Period>().unwrap(), Period::Last7Days);
        let err = "custom".parse::<Period>().unwrap_err().to_string();
        assert!(err.contains("start_date"), "{err}");
        assert_eq!(
            "DESC".parse::<OrderDirection>().unwrap(),
            OrderDirection::Desc
        );
        assert!("up".parse::<OrderDirection>().is_err());
    }
}
