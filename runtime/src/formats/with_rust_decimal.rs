//! `decimal` as `rust_decimal::Decimal`.

use super::{Format, wire_by_text};

impl Format for rust_decimal::Decimal {
    const NAME: &'static str = "decimal";
    fn parse(text: &str) -> Result<Self, String> {
        text.parse::<rust_decimal::Decimal>()
            .map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

wire_by_text!(rust_decimal::Decimal);
