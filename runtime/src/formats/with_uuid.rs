//! `uuid` as `uuid::Uuid`.

use super::{Format, wire_by_text};

impl Format for uuid::Uuid {
    const NAME: &'static str = "uuid";
    fn parse(text: &str) -> Result<Self, String> {
        uuid::Uuid::parse_str(text).map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

wire_by_text!(uuid::Uuid);
