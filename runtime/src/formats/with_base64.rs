//! `byte` (base64) as `Vec<u8>`.

use super::{Format, wire_by_text};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Decoding accepts padding or none; encoding pads.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

// `Vec<u8>`'s impls do not overlap `Vec<T: Wire>`'s: `u8` is not a `Wire` type, and no
// other crate may make it one.
impl Format for Vec<u8> {
    const NAME: &'static str = "byte";
    fn parse(text: &str) -> Result<Self, String> {
        let engine = if text.contains(['-', '_']) {
            &URL_SAFE
        } else {
            &STANDARD
        };
        engine.decode(text).map_err(|e| e.to_string())
    }
    fn text(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self)
    }
}

wire_by_text!(Vec<u8>);
