//! Decoding helpers, and the rule for when decoding is strict and when it is lenient.
//!
//! **Strict** (plain serde, `#[serde(default)]` on optional members): the models whose schema
//! the API documents field by field (`Account`, `Video`, `Creator`, `Whoami`, `ApiMeta`, the
//! list envelope). A documented member of the wrong type is a server bug worth surfacing, so it
//! fails the call with [`Error::Decode`](crate::Error::Decode). Unknown members are ignored.
//!
//! **Lenient** (the helpers below): answers the docs describe only in part or not at all
//! (account videos, search sections, batch metrics, leaderboard entries). There a member of an
//! unexpected shape reads as `None` (or its default) instead of failing the call, because the
//! SDK's types are an informed guess and one odd member must not lose the rest.
//!
//! Counts whose type the docs leave open (the `Overview` figures: the docs' example shows only
//! `0`) are read with [`count`]: an integer, a float or a numeric string.
//!
//! A member a strict model carries although its schema does not document it (the `platform`
//! of `Account`, `Video` and `Creator`, known only from prose and examples), or whose format
//! the docs leave open (`ApiMeta`'s `deprecation` and `sunset` dates), is read leniently
//! ([`lenient_name`] for a name, [`string_or_number`] for those dates): the rule follows the
//! docs, field by field.
//!
//! A maintainer adding a field follows the model's rule; a new model follows the docs: a
//! documented schema is strict, anything else lenient.
//!
//! The six engagement counts the `Account` and `Video` schemas both list are declared once,
//! by `with_engagement_counts!` (strict, like the rest of those models).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Reads `null` (or a missing member, with `#[serde(default)]`) as the type's default, so that
/// a documented object that comes back `null` does not fail a call.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A value of type `T`, or `None` when it is missing, `null` or of another shape (a string
/// where a number was expected), so that one odd member never fails a call.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| T::deserialize(v).ok()))
}

/// As [`lenient`] for an API name (a [`Platform`](crate::Platform), say), without building a
/// `Value`: the value for a string (a name the type does not know reads as its fallback
/// variant), `None` for `null`, a missing member or any other shape (a number, an object).
pub(crate) fn lenient_name<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::value::{BorrowedStrDeserializer, Error as ValueError, StrDeserializer};
    use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};

    struct Name<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Name<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a name")
        }

        fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
            Ok(T::deserialize(BorrowedStrDeserializer::<ValueError>::new(s)).ok())
        }

        fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
            Ok(T::deserialize(StrDeserializer::<ValueError>::new(s)).ok())
        }

        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    d.deserialize_any(Name(std::marker::PhantomData))
}

/// As [`lenient`], with the type's default instead of `None`.
pub(crate) fn lenient_or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(lenient(d)?.unwrap_or_default())
}

/// A count, whether the API sends it as an integer (`12`), a float (`12.0`, rounded) or a
/// numeric string; `None` when it is missing, `null`, negative, not finite or of another
/// shape, so that one odd member never fails a call.
pub(crate) fn count<'de, D>(d: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    // 2^64 as a float: every non-negative float below it rounds into a u64.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    let float = |f: f64| (f.is_finite() && f >= 0.0 && f.round() < LIMIT).then(|| f.round() as u64);
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().and_then(float)),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.parse::<u64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(float))
        }
        _ => None,
    })
}

/// A string, also when the API sends a number (`42` becomes `"42"`); `None` when missing,
/// `null` or another shape.
pub(crate) fn string_or_number<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| id_string(&v)))
}

/// As [`string_or_number`], empty when missing.
pub(crate) fn id_or_empty<'de, D>(d: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(string_or_number(d)?.unwrap_or_default())
}

/// A JSON string or number as text (an id the API may send either way).
pub(crate) fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of ids as strings, numbers included; anything else is skipped.
pub(crate) fn ids_as_strings<'de, D>(d: D) -> Result<Vec<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items.iter().filter_map(id_string).collect(),
        _ => Vec::new(),
    })
}

/// The items of a list that decode; `null`, a missing list or an item of another shape never
/// fails the call.
pub(crate) fn lenient_items<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| T::deserialize(item).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// A JSON object keyed by id (a batch answer's `data`, a member the docs require: the batch
/// answers do not default it); `null` is empty, and a `null` entry is the value type's
/// default. An entry that does not decode as `T` fails the
/// call, naming its id (the value types are lenient objects, so that is an entry that is not
/// an object at all; a raw `Value` takes anything).
pub(crate) fn keyed_by_id<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let raw = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
    raw.into_iter()
        .map(|(id, v)| {
            let value = match v {
                Value::Null => T::default(),
                v => T::deserialize(v)
                    .map_err(|e| serde::de::Error::custom(format!("data[{id:?}]: {e}")))?,
            };
            Ok((id, value))
        })
        .collect()
}

/// A JSON object's entries whose values decode as `T`; an entry of another shape (a `null`
/// where a number was expected) is left out, and `null` (or a missing object) is empty.
pub(crate) fn lenient_entries<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let raw = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .filter_map(|(key, v)| Some((key, T::deserialize(v).ok()?)))
        .collect())
}

/// Splits `{"data": d, ...rest}` into `d` and the other members; any other body is returned
/// whole, with no other members.
pub(crate) fn split_data(body: Value) -> (Value, Map<String, Value>) {
    match body {
        Value::Object(mut members) if members.contains_key("data") => {
            let data = members.remove("data").unwrap_or(Value::Null);
            (data, members)
        }
        other => (other, Map::new()),
    }
}

/// Defines a documented (strict) model that carries the six engagement counts, `view_count`
/// … `saved_count`, which the `Account` and `Video` schemas both list in the same order.
/// `..engagement_counts("…");` in the field list stands for them, where the schema has
/// them, so that the struct, its `Debug` and its JSON keep the schema's order; the text is
/// what each count is of, after "Views", "Likes", … in its doc (`""` for a video's own).
macro_rules! with_engagement_counts {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $( $(#[$head_attr:meta])* pub $head:ident: $head_ty:ty, )*
            ..engagement_counts($of:literal);
            $( $(#[$tail_attr:meta])* pub $tail:ident: $tail_ty:ty, )*
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[$head_attr])* pub $head: $head_ty, )*
            #[doc = concat!("Views", $of, ".")]
            #[serde(default)]
            pub view_count: Option<u64>,
            #[doc = concat!("Likes", $of, ".")]
            #[serde(default)]
            pub like_count: Option<u64>,
            #[doc = concat!("Comments", $of, ".")]
            #[serde(default)]
            pub comment_count: Option<u64>,
            #[doc = concat!("Shares", $of, ".")]
            #[serde(default)]
            pub share_count: Option<u64>,
            #[doc = concat!("Plays", $of, ".")]
            #[serde(default)]
            pub play_count: Option<u64>,
            #[doc = concat!("Saves", $of, " (Instagram only; `None` on TikTok).")]
            #[serde(default)]
            pub saved_count: Option<u64>,
            $( $(#[$tail_attr])* pub $tail: $tail_ty, )*
        }
    };
}
pub(crate) use with_engagement_counts;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::types::Platform;

    #[derive(Deserialize)]
    struct Model {
        #[serde(default, deserialize_with = "super::lenient_name")]
        platform: Option<Platform>,
        #[serde(default)]
        after: Option<u32>,
    }

    #[test]
    fn a_name_of_another_shape_reads_as_none_and_the_rest_still_decodes() {
        let read = |json: &str| serde_json::from_str::<Model>(json).unwrap();
        assert_eq!(
            read(r#"{"platform":"tiktok"}"#).platform,
            Some(Platform::TikTok)
        );
        // An escaped string is not borrowed: the owned path reads it too.
        assert_eq!(
            read(r#"{"platform":"tik\u0074ok"}"#).platform,
            Some(Platform::TikTok)
        );
        assert_eq!(
            read(r#"{"platform":"youtube"}"#).platform,
            Some(Platform::Other("youtube".into()))
        );
        for odd in ["5", "true", "null", "[1,[2]]", r#"{"a":{"b":1}}"#, "1.5"] {
            let m = read(&format!(r#"{{"platform":{odd},"after":7}}"#));
            assert_eq!(m.platform, None, "{odd}");
            assert_eq!(
                m.after,
                Some(7),
                "{odd}: the members after it are still read"
            );
        }
        assert_eq!(read("{}").platform, None);
    }
}
