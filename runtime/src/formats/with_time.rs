//! `date-time`, `date` and `time` as the `time` crate's types.

use super::{Format, rfc3339, split_offset, wire_by_text};
use time::format_description::well_known::{Iso8601, Rfc3339};

impl Format for time::OffsetDateTime {
    const NAME: &'static str = "date-time";
    fn parse(text: &str) -> Result<Self, String> {
        time::OffsetDateTime::parse(&rfc3339(text), &Rfc3339).map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        // Every value with a four-digit year formats; others have no RFC 3339 form.
        self.format(&Rfc3339).unwrap_or_else(|_| self.to_string())
    }
}

impl Format for time::Date {
    const NAME: &'static str = "date";
    fn parse(text: &str) -> Result<Self, String> {
        time::Date::parse(text, &Iso8601::DATE).map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.format(&Iso8601::DATE)
            .unwrap_or_else(|_| self.to_string())
    }
}

impl Format for time::Time {
    const NAME: &'static str = "time";
    fn parse(text: &str) -> Result<Self, String> {
        let (clock, offset) = split_offset(text)?;
        let clock = time::Time::parse(clock, &Iso8601::TIME).map_err(|e| e.to_string())?;
        Ok(clock - time::Duration::seconds(offset.into()))
    }
    fn text(&self) -> String {
        let (h, m, s, nanos) = self.as_hms_nano();
        let mut text = format!("{h:02}:{m:02}:{s:02}");
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            text.push('.');
            text.push_str(fraction.trim_end_matches('0'));
        }
        text.push('Z');
        text
    }
}

wire_by_text!(time::OffsetDateTime, time::Date, time::Time);
