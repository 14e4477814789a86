//! Typed string formats: the Rust types a config's `[formats]` gives `date-time`, `date`,
//! `time`, `duration`, `uuid`, `byte`, `decimal` and `uri` strings, and how they travel.
//!
//! The generated types hold the libraries' own types (`jiff::Timestamp`, `uuid::Uuid`, ...)
//! and write their serde impls through [`Wire`] rather than the libraries' serde support,
//! for three reasons: not every library's serde form is the document's (`time` writes a
//! date-time as its own text, not RFC 3339; a `Vec<u8>` is a list of numbers, not base64);
//! real servers send values the strict parsers refuse (below); and a value that does not
//! parse must be an error naming the property and the value.
//!
//! What is accepted besides the strict form, each from a rule of RFC 3339 or a habit of
//! real servers:
//!
//! - `date-time`: a lower-case `t` or `z` (RFC 3339 §5.6 allows them), a space for the `T`
//!   (the same note allows it "for readability"), and no offset at all, read as UTC. The
//!   last is what Python's `datetime.isoformat()` writes for a naive value, so FastAPI
//!   documents such as the PI API's send it; UTC is what those servers mean. The values are
//!   instants: `jiff::Timestamp`, `time::OffsetDateTime` (its offset kept as sent),
//!   `chrono::DateTime<Utc>`. They are written as RFC 3339.
//! - `time`: `HH:MM:SS[.fraction]` with an offset (RFC 3339's `full-time`), a lower-case `z`,
//!   or no offset, read as UTC. The value is the UTC time of day (a civil time type; an
//!   offset is applied, wrapping around midnight) and is written with `Z`.
//! - `date`: `YYYY-MM-DD` (`full-date`).
//! - `duration`: ISO 8601 (`P1DT2H30M`), with days taken as 24 hours; years and months
//!   have no fixed length and are refused. `jiff::SignedDuration`, written as ISO 8601.
//! - `byte`: base64 with or without padding, in the standard or the URL-safe alphabet;
//!   written in the standard one, padded (RFC 4648 §4, as OpenAPI specifies).
//! - `uuid`, `decimal` (`rust_decimal::Decimal`, from a string: its scale is kept) and `uri`
//!   (`url::Url`, absolute URIs only): the libraries' parsers.
//!
//! The libraries' code is in one file each, compiled only when the crate uses them (their
//! features in the runtime crate; a crate that embeds the runtime gets only the files its
//! config chose).

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

#[cfg(feature = "base64")]
mod with_base64;
#[cfg(feature = "chrono")]
mod with_chrono;
#[cfg(feature = "jiff")]
mod with_jiff;
#[cfg(feature = "rust_decimal")]
mod with_rust_decimal;
#[cfg(feature = "time")]
mod with_time;
#[cfg(feature = "url")]
mod with_url;
#[cfg(feature = "uuid")]
mod with_uuid;

/// A value of a typed format, with its text form.
pub trait Format: Sized {
    /// The OpenAPI format, for messages.
    const NAME: &'static str;
    /// Reads the text; the error says what is wrong, without repeating the text.
    fn parse(text: &str) -> Result<Self, String>;
    /// The text sent for the value.
    fn text(&self) -> String;
}

/// A value whose wire form goes through [`Format`]: a typed format, or an `Option`, `Vec`,
/// map or `Box` of them. The generated serde impls call it for every property whose type
/// holds a typed format, so the formats nest like any other type.
pub trait Wire: Sized {
    /// Writes the value.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value; `field` (empty when there is none) names the property in errors.
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        field: &'static str,
    ) -> Result<Self, D::Error>;
}

/// Serializes a [`Wire`] value (`&runtime::AsWire(&self.field)`).
pub struct AsWire<'a, T>(pub &'a T);

impl<T: Wire> Serialize for AsWire<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Deserializes a [`Wire`] value where no property names it (a union's branch).
pub struct FromWire<T>(pub T);

impl<'de, T: Wire> serde::Deserialize<'de> for FromWire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer, "").map(FromWire)
    }
}

/// Reads a [`Wire`] value for property `field`.
struct Seed<T>(&'static str, PhantomData<T>);

impl<'de, T: Wire> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer, self.0)
    }
}

/// Reads the value of property `name` into `slot`, as [`super::field`] does for the rest.
pub fn field_wire<'de, A: MapAccess<'de>, T: Wire>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Seed(name, PhantomData))?);
    Ok(())
}

/// Reads the value of a property the struct does not list into its map of other
/// properties, whose values hold a typed format, as [`super::additional`] does for the rest.
pub fn additional_wire<'de, A: MapAccess<'de>, T: Wire>(
    map: &mut A,
    extra: &mut BTreeMap<String, T>,
    key: super::Key<'de>,
) -> Result<(), A::Error> {
    extra.insert(
        key.into_string(),
        map.next_value_seed(Seed("", PhantomData))?,
    );
    Ok(())
}

/// A typed format's text, for a parameter.
pub fn format_text<T: Format>(value: &T) -> String {
    value.text()
}

/// Implements [`Wire`] for format types through their text; invoked in this module's
/// children, whose `super` is this module (`$crate` would be the generated crate when the
/// runtime is embedded in it).
#[allow(unused_macros)]
macro_rules! wire_by_text {
    ($($t:ty),* $(,)?) => {$(
        impl super::Wire for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&super::Format::text(self))
            }
            fn deserialize<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                field: &'static str,
            ) -> Result<Self, D::Error> {
                super::deserialize_text(deserializer, field)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use wire_by_text;

/// Reads a string and parses it as `T`; the error names the property, the format and the
/// value.
#[allow(dead_code)]
pub(crate) fn deserialize_text<'de, D: Deserializer<'de>, T: Format>(
    deserializer: D,
    field: &'static str,
) -> Result<T, D::Error> {
    struct TextVisitor<T>(&'static str, PhantomData<T>);
    impl<T: Format> Visitor<'_> for TextVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a `{}` string", T::NAME)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::parse(v).map_err(|reason| {
                let at = if self.0.is_empty() {
                    String::new()
                } else {
                    format!("`{}`: ", self.0)
                };
                E::custom(format_args!("{at}invalid {} {v:?}: {reason}", T::NAME))
            })
        }
    }
    deserializer.deserialize_str(TextVisitor(field, PhantomData))
}

impl<T: Wire> Wire for Option<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&AsWire(value)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        field: &'static str,
    ) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(&'static str, PhantomData<T>);
        impl<'de, T: Wire> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::deserialize(d, self.0).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor(field, PhantomData))
    }
}

impl<T: Wire> Wire for Box<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize(self, serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        field: &'static str,
    ) -> Result<Self, D::Error> {
        T::deserialize(deserializer, field).map(Box::new)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(AsWire))
    }
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        field: &'static str,
    ) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(&'static str, PhantomData<T>);
        impl<'de, T: Wire> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(Seed(self.0, PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(SeqVisitor(field, PhantomData))
    }
}

impl<T: Wire> Wire for BTreeMap<String, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, AsWire(v))))
    }
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        field: &'static str,
    ) -> Result<Self, D::Error> {
        struct MapVisitor<T>(&'static str, PhantomData<T>);
        impl<'de, T: Wire> Visitor<'de> for MapVisitor<T> {
            type Value = BTreeMap<String, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Seed(self.0, PhantomData))?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(MapVisitor(field, PhantomData))
    }
}

/// `date-time` text as RFC 3339 writes it: `T` and `Z` upper-case, a space read as `T`,
/// and `Z` added when the value has no offset (read as UTC; see the module docs).
#[allow(dead_code)]
pub(crate) fn rfc3339(text: &str) -> String {
    let mut out: String = text
        .char_indices()
        .map(|(i, c)| match c {
            't' | ' ' if i == 10 => 'T',
            'z' => 'Z',
            c => c,
        })
        .collect();
    let time = out.get(11..).unwrap_or("");
    if !time.is_empty() && !time.contains(['Z', '+', '-']) {
        out.push('Z');
    }
    out
}

/// A `time` value's time of day and its offset from UTC in seconds east (0 for `Z` or no
/// offset; see the module docs).
#[allow(dead_code)]
pub(crate) fn split_offset(text: &str) -> Result<(&str, i32), String> {
    if let Some(time) = text.strip_suffix(['Z', 'z']) {
        return Ok((time, 0));
    }
    let Some(at) = text.rfind(['+', '-']) else {
        return Ok((text, 0));
    };
    let (time, offset) = text.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let (h, m) = offset[1..]
        .split_once(':')
        .ok_or_else(|| "the offset is not ±HH:MM".to_string())?;
    let number = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
            .ok_or_else(|| "the offset is not ±HH:MM".to_string())
    };
    let (h, m) = (number(h)?, number(m)?);
    if h > 23 || m > 59 {
        return Err("the offset is out of range".into());
    }
    Ok((time, sign * (h * 3600 + m * 60)))
}
