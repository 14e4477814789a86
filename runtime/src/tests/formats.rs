//! Typed formats: what each library's type accepts (the strict form and the tolerated
//! ones the module docs list), what it writes, and the error for a value it cannot read.

use crate::formats::{Format, Wire, field_wire, format_text, rfc3339, split_offset};
use serde::de::MapAccess;

fn parse<T: Format>(text: &str) -> Result<T, String> {
    T::parse(text)
}

#[test]
fn date_times_are_normalised_to_rfc3339() {
    assert_eq!(rfc3339("2024-05-01T10:00:00Z"), "2024-05-01T10:00:00Z");
    assert_eq!(rfc3339("2024-05-01t10:00:00z"), "2024-05-01T10:00:00Z");
    assert_eq!(
        rfc3339("2024-05-01 10:00:00+02:00"),
        "2024-05-01T10:00:00+02:00"
    );
    assert_eq!(
        rfc3339("2024-05-01T10:00:00.123456"),
        "2024-05-01T10:00:00.123456Z"
    );
    assert_eq!(
        rfc3339("2024-05-01T10:00:00-05:00"),
        "2024-05-01T10:00:00-05:00"
    );
    // Not a date-time: left for the parser to refuse.
    assert_eq!(rfc3339("yesterday"), "yesterday");
}

#[test]
fn every_library_reads_the_same_instants() {
    let forms = [
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01t10:00:00z", "2024-05-01T10:00:00Z"),
        ("2024-05-01 12:00:00+02:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00.5", "2024-05-01T10:00:00.5Z"),
    ];
    for (text, utc) in forms {
        let j: jiff::Timestamp = parse(text).unwrap();
        assert_eq!(j.text(), utc, "jiff, {text}");
        let c: chrono::DateTime<chrono::Utc> = parse(text).unwrap();
        // chrono writes fractions in whole milliseconds, microseconds or nanoseconds.
        assert_eq!(c.text(), utc.replace(".5Z", ".500Z"), "chrono, {text}");
        let t: time::OffsetDateTime = parse(text).unwrap();
        assert_eq!(t.unix_timestamp_nanos(), j.as_nanosecond(), "time, {text}");
        assert_eq!(parse::<time::OffsetDateTime>(&t.text()).unwrap(), t);
    }
    for bad in ["yesterday", "2024-13-01T00:00:00Z", "2024-05-01", ""] {
        assert!(parse::<jiff::Timestamp>(bad).is_err(), "{bad}");
        assert!(
            parse::<chrono::DateTime<chrono::Utc>>(bad).is_err(),
            "{bad}"
        );
        assert!(parse::<time::OffsetDateTime>(bad).is_err(), "{bad}");
    }
}

#[test]
fn dates_and_times_of_day() {
    let j: jiff::civil::Date = parse("2024-02-29").unwrap();
    let c: chrono::NaiveDate = parse("2024-02-29").unwrap();
    let t: time::Date = parse("2024-02-29").unwrap();
    assert_eq!(
        (j.text(), c.text(), t.text()),
        (
            "2024-02-29".into(),
            "2024-02-29".into(),
            "2024-02-29".into()
        )
    );
    assert!(parse::<jiff::civil::Date>("2023-02-29").is_err());
    assert!(parse::<chrono::NaiveDate>("2023-02-29").is_err());
    assert!(parse::<time::Date>("2023-02-29").is_err());
    // A time of day is read as UTC: an offset is applied, wrapping around midnight.
    for (text, utc) in [
        ("10:00:00", "10:00:00Z"),
        ("10:00:00z", "10:00:00Z"),
        ("10:00:00.5Z", "10:00:00.5Z"),
        ("01:30:00+02:00", "23:30:00Z"),
        ("23:00:00-01:30", "00:30:00Z"),
    ] {
        assert_eq!(
            parse::<jiff::civil::Time>(text).unwrap().text(),
            utc,
            "jiff, {text}"
        );
        assert_eq!(
            parse::<time::Time>(text).unwrap().text(),
            utc,
            "time, {text}"
        );
        let c = parse::<chrono::NaiveTime>(text).unwrap().text();
        assert_eq!(c.replace(".500", ".5"), utc, "chrono, {text}");
    }
    assert_eq!(
        split_offset("10:00:00+0200").unwrap_err(),
        "the offset is not ±HH:MM"
    );
    assert!(parse::<jiff::civil::Time>("25:00:00").is_err());
}

#[test]
fn durations_are_iso_8601_with_24_hour_days() {
    let d: jiff::SignedDuration = parse("P1DT2H30M").unwrap();
    assert_eq!(d, jiff::SignedDuration::from_mins(26 * 60 + 30));
    assert_eq!(d.text(), "PT26H30M");
    assert_eq!(
        parse::<jiff::SignedDuration>("PT0.5S").unwrap().text(),
        "PT0.5S"
    );
    assert_eq!(
        parse::<jiff::SignedDuration>("-PT1S").unwrap(),
        jiff::SignedDuration::from_secs(-1)
    );
    assert_eq!(
        parse::<jiff::SignedDuration>("P1M").unwrap_err(),
        "years and months have no fixed length"
    );
}

#[test]
fn the_other_formats() {
    let u: uuid::Uuid = parse("4F9C2B1E-8D3A-4C5B-9E7F-1A2B3C4D5E6F").unwrap();
    assert_eq!(u.text(), "4f9c2b1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f");
    assert!(parse::<uuid::Uuid>("4f9c2b1e").is_err());
    // Base64: padded or not, standard or URL-safe alphabet; written standard and padded.
    for text in ["aGk/Pz8=", "aGk/Pz8", "aGk_Pz8"] {
        assert_eq!(parse::<Vec<u8>>(text).unwrap(), b"hi???", "{text}");
    }
    assert_eq!(b"hi???".to_vec().text(), "aGk/Pz8=");
    assert!(parse::<Vec<u8>>("a$b").is_err());
    let d: rust_decimal::Decimal = parse("10.50").unwrap();
    assert_eq!(d.text(), "10.50");
    assert!(parse::<rust_decimal::Decimal>("ten").is_err());
    let url: url::Url = parse("https://example.com/a?b=1").unwrap();
    assert_eq!(format_text(&url), "https://example.com/a?b=1");
    assert!(parse::<url::Url>("/relative").is_err());
}

/// A struct with a formatted property, read as the generated `Object` impls read one.
#[derive(Debug)]
struct Row {
    at: Option<Vec<jiff::Timestamp>>,
}

impl<'de> serde::Deserialize<'de> for Row {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Row;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a row")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut at = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "at" => field_wire(&mut map, &mut at, "at")?,
                        _ => crate::skip(&mut map)?,
                    }
                }
                Ok(Row { at: at.flatten() })
            }
        }
        deserializer.deserialize_map(V)
    }
}

#[test]
fn a_value_that_does_not_parse_names_the_property_and_the_value() {
    // `null` is not a date-time: the array's items are not optional.
    assert!(serde_json::from_str::<Row>(r#"{"at": ["2024-05-01T10:00:00", null]}"#).is_err());
    let err = serde_json::from_str::<Row>(r#"{"at": ["2024-05-01T10:00:00Z", "noon"]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("`at`: invalid date-time \"noon\": "),
        "{err}"
    );
    let ok: Row =
        serde_json::from_str(r#"{"at": ["2024-05-01T10:00:00", "2024-05-01t11:00:00z"], "x": 1}"#)
            .unwrap();
    assert_eq!(ok.at.unwrap().len(), 2);
    let none: Row = serde_json::from_str(r#"{"at": null}"#).unwrap();
    assert!(none.at.is_none());
}

#[test]
fn wire_values_round_trip_through_serde() {
    let values: Vec<Option<jiff::Timestamp>> =
        vec![Some(parse("2024-05-01T10:00:00").unwrap()), None];
    let mut out = Vec::new();
    Wire::serialize(&values, &mut serde_json::Serializer::new(&mut out)).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        r#"["2024-05-01T10:00:00Z",null]"#
    );
    let back: crate::FromWire<Vec<Option<jiff::Timestamp>>> =
        serde_json::from_str(r#"["2024-05-01T10:00:00Z",null]"#).unwrap();
    assert_eq!(back.0, values);
    let map: crate::FromWire<std::collections::BTreeMap<String, uuid::Uuid>> =
        serde_json::from_str(r#"{"a": "4f9c2b1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f"}"#).unwrap();
    assert_eq!(map.0.len(), 1);
}
