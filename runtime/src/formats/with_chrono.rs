//! `date-time`, `date` and `time` as chrono's types.

use super::{Format, rfc3339, split_offset, wire_by_text};

impl Format for chrono::DateTime<chrono::Utc> {
    const NAME: &'static str = "date-time";
    fn parse(text: &str) -> Result<Self, String> {
        chrono::DateTime::parse_from_rfc3339(&rfc3339(text))
            .map(|t| t.to_utc())
            .map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl Format for chrono::NaiveDate {
    const NAME: &'static str = "date";
    fn parse(text: &str) -> Result<Self, String> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl Format for chrono::NaiveTime {
    const NAME: &'static str = "time";
    fn parse(text: &str) -> Result<Self, String> {
        let (clock, offset) = split_offset(text)?;
        let clock =
            chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S%.f").map_err(|e| e.to_string())?;
        Ok(clock
            .overflowing_sub_signed(chrono::TimeDelta::seconds(offset.into()))
            .0)
    }
    fn text(&self) -> String {
        format!("{}Z", self.format("%H:%M:%S%.f"))
    }
}

wire_by_text!(
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    chrono::NaiveTime,
);
