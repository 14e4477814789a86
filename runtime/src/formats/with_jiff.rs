//! `date-time`, `date`, `time` and `duration` as jiff's types.

use super::{Format, rfc3339, split_offset, wire_by_text};

impl Format for jiff::Timestamp {
    const NAME: &'static str = "date-time";
    fn parse(text: &str) -> Result<Self, String> {
        rfc3339(text)
            .parse()
            .map_err(|e: jiff::Error| e.to_string())
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Format for jiff::civil::Date {
    const NAME: &'static str = "date";
    fn parse(text: &str) -> Result<Self, String> {
        text.parse().map_err(|e: jiff::Error| e.to_string())
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Format for jiff::civil::Time {
    const NAME: &'static str = "time";
    fn parse(text: &str) -> Result<Self, String> {
        let (time, offset) = split_offset(text)?;
        let time: jiff::civil::Time = time.parse().map_err(|e: jiff::Error| e.to_string())?;
        Ok(time.wrapping_sub(jiff::SignedDuration::from_secs(offset.into())))
    }
    fn text(&self) -> String {
        format!("{self}Z")
    }
}

impl Format for jiff::SignedDuration {
    const NAME: &'static str = "duration";
    fn parse(text: &str) -> Result<Self, String> {
        let span: jiff::Span = text.parse().map_err(|e: jiff::Error| e.to_string())?;
        if span.get_years() != 0 || span.get_months() != 0 {
            return Err("years and months have no fixed length".into());
        }
        span.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
            .map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        jiff::fmt::temporal::SpanPrinter::new().duration_to_string(self)
    }
}

wire_by_text!(
    jiff::Timestamp,
    jiff::civil::Date,
    jiff::civil::Time,
    jiff::SignedDuration,
);
