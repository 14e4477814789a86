//! Serde support for the generated types. Their `Serialize` and `Deserialize` impls are
//! written out by the generator rather than derived: serde's derive emits a field enum, an
//! identifier visitor, a sequence visitor and a map visitor per struct, and buffers every
//! value of an untagged enum through its private `Content` type. That code is most of what
//! a generated crate costs to check and build; these helpers are shared by every struct
//! instead. Structs are written and read as maps (in any format, so a value round-trips
//! through non-self-describing formats too); unknown keys are skipped.

use std::fmt;

/// A struct's field decoding, called with the map of its wire form.
pub trait Object: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// Reads the fields from `map`.
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every generated struct.
pub fn deserialize_object<'de, T: Object, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: Object> serde::de::Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", T::NAME)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// An object key, borrowed from the input when the input allows.
pub struct Key<'de>(pub(super) std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of field `name` into `slot`; a second occurrence is an error.
pub fn field<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field, or the missing-field error.
pub fn required<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Skips the value of a key the struct does not know.
pub fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// Reads the value of a key the struct does not list into its map of other properties.
pub fn additional<'de, A: serde::de::MapAccess<'de>, V: serde::Deserialize<'de>>(
    map: &mut A,
    extra: &mut std::collections::BTreeMap<String, V>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    extra.insert(key.into_string(), map.next_value()?);
    Ok(())
}

/// A struct being written as a map. It keeps the first error and writes nothing after it,
/// which [`end`](Self::end) returns: a generated `Serialize` then calls [`entry`](Self::entry)
/// once per field with no `?` (an early return per field is code rustc checks and
/// optimises in every struct of the API).
pub struct Entries<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

/// Starts writing a struct of `len` entries with `serializer`.
pub fn entries<S: serde::Serializer>(
    serializer: S,
    len: usize,
) -> Result<Entries<S::SerializeMap>, S::Error> {
    Ok(Entries {
        map: serializer.serialize_map(Some(len))?,
        error: None,
    })
}

impl<M: serde::ser::SerializeMap> Entries<M> {
    /// Writes one entry, unless an earlier one failed.
    pub fn entry<K: serde::Serialize + ?Sized, V: serde::Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) {
        if self.error.is_none()
            && let Err(e) = self.map.serialize_entry(key, value)
        {
            self.error = Some(e);
        }
    }

    /// Ends the map, or returns the first entry's error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// Buffers a value of a union: an untagged one then tries each variant, a tagged one reads
/// the tag first.
pub fn buffer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<serde_json::Value, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

/// The error of an untagged value that matches none of the enum's variants.
pub fn no_variant<E: serde::de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    ))
}
