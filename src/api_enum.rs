//! The string enums of the API, written once: [`api_enum!`] gives each its wire names,
//! `as_str`, `Display`, `Serialize` and a checked `FromStr` (and, for an open enum, a
//! `Deserialize` that keeps unknown values). Used by `types.rs` (`Platform`, `Period`,
//! `OrderDirection`) and by the resources' sort keys; it depends on nothing but `Error`.

/// A string enum of the API: the variants with their wire names, `as_str`, `Display`,
/// `Serialize` and (unless `manual_from_str`) a `FromStr` that accepts the wire names
/// case-insensitively and names the field in its error. With `open Other`, values the SDK does
/// not know deserialize into `Other(String)` instead of failing.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $field:literal $(, $manual:ident)? {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            #[doc = concat!("The API's name for the value (", $( "`", $wire, "` ", )+ ").")]
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $wire ),+
                }
            }
        }

        $crate::api_enum::api_enum!(@common $name, $field, $( $variant = $wire ),+);
        $crate::api_enum::api_enum!(@from_str $name $(, $manual)?);
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $field:literal, open $other:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, as the API spelled it.
            $other(String),
        }

        impl $name {
            #[doc = concat!("The API's name for the value (", $( "`", $wire, "` ", )+ "or the unknown one as sent).")]
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::$other(s) => s,
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct Name;

                impl ::serde::de::Visitor<'_> for Name {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", $field, " name"))
                    }

                    // Read from the borrowed text: only a name this version does not know is
                    // copied. A known name spelled otherwise (`"TikTok"`) is that value, as
                    // `parse` reads it, so `Other` only ever holds an unknown name.
                    fn visit_str<E>(self, s: &str) -> ::std::result::Result<$name, E> {
                        Ok($name::from_wire(s).unwrap_or_else(|| $name::$other(s.to_owned())))
                    }
                }

                d.deserialize_str(Name)
            }
        }

        $crate::api_enum::api_enum!(@common $name, $field, $( $variant = $wire ),+);
        $crate::api_enum::api_enum!(@from_str $name);
    };
    // What every API enum has: lookup by wire name, the refusal message, Display, Serialize.
    (@common $name:ident, $field:literal, $( $variant:ident = $wire:literal ),+) => {
        impl $name {
            /// The known value with this wire name (compared case-insensitively).
            #[allow(dead_code)]
            pub(crate) fn from_wire(s: &str) -> Option<Self> {
                let s = s.trim();
                $( if s.eq_ignore_ascii_case($wire) { return Some($name::$variant); } )+
                None
            }

            /// The refusal of a text that is no known wire name; it lists the accepted ones.
            #[allow(dead_code)]
            pub(crate) fn unknown(s: &str) -> $crate::Error {
                $crate::Error::InvalidInput(format!(
                    "{}: expected {}, got {s:?}",
                    $field,
                    $crate::api_enum::one_of(&[$($wire),+])
                ))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
    (@from_str $name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;

            /// Parses the API's name of a known value, case-insensitively, as a user would
            /// type it.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`](crate::Error::InvalidInput) for any other text; the
            /// message lists the accepted names.
            fn from_str(s: &str) -> $crate::Result<Self> {
                $name::from_wire(s).ok_or_else(|| $name::unknown(s))
            }
        }
    };
    (@from_str $name:ident, manual_from_str) => {};
}
pub(crate) use api_enum;

/// "`a`, `b` or `c`".
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_name_spelled_otherwise_is_the_known_value_not_other() {
        use crate::types::Platform;
        let read = |json: &str| serde_json::from_str::<Platform>(json).unwrap();
        assert_eq!(read(r#""tiktok""#), Platform::TikTok);
        assert_eq!(read(r#""TikTok""#), Platform::TikTok);
        assert_eq!(read(r#"" Instagram ""#), Platform::Instagram);
        assert_eq!(read(r#""youtube""#), Platform::Other("youtube".into()));
        assert_eq!("TikTok".parse::<Platform>().unwrap(), read(r#""TikTok""#));
    }

    #[test]
    fn names_are_listed_for_people() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a", "b"]), "`a` or `b`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
