//! `uri` as `url::Url`.

use super::{Format, wire_by_text};

impl Format for url::Url {
    const NAME: &'static str = "uri";
    fn parse(text: &str) -> Result<Self, String> {
        url::Url::parse(text).map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        self.as_str().to_string()
    }
}

wire_by_text!(url::Url);
