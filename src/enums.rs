//! Enums whose values Twilio spells in lower case, and whose unknown values decode rather than
//! fail: a value this version of the crate does not know arrives as `Other(spelling)`.

/// Declares a `#[non_exhaustive]` enum with an `Other(String)` variant, its wire spelling
/// (`as_str`, `Display`), `FromStr`, and serde in both directions.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$doc])*
        ///
        /// A value this version of the crate does not know decodes as `Other` (with Twilio's
        /// spelling) instead of failing the call.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A value this version of the crate does not know, as Twilio spelled it.
            Other(String),
        }

        impl $name {
            /// The spelling on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(other) => other,
                }
            }

            /// Every known value, in the spec's order.
            pub const KNOWN: &'static [$name] = &[$( $name::$variant, )+];

            /// The value spelled `value`, known or not.
            pub(crate) fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            /// Never fails: an unknown spelling is `Other`.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from_wire(&value))
            }
        }
    };
}

pub(crate) use wire_enum;

// `FactorType` and the list order are shared by several resources; they live here.
wire_enum!(
    /// The type of a factor.
    FactorType {
        /// A push factor, enrolled by the Verify Push SDK on a mobile device.
        Push => "push",
        /// A TOTP factor: an authenticator app's time-based one-time codes.
        Totp => "totp",
        /// A passkey (WebAuthn) factor.
        Passkeys => "passkeys",
    }
);

wire_enum!(
    /// The order a list of challenges is returned in (`Order`), by creation date.
    ListOrder {
        /// Oldest first.
        Asc => "asc",
        /// Newest first.
        Desc => "desc",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_and_unknown_ones_decode_as_other() {
        for known in FactorType::KNOWN {
            let json = serde_json::to_string(known).unwrap();
            assert_eq!(json, format!("\"{}\"", known.as_str()));
            assert_eq!(&serde_json::from_str::<FactorType>(&json).unwrap(), known);
        }
        assert_eq!(
            serde_json::from_str::<FactorType>("\"sms\"").unwrap(),
            FactorType::Other("sms".into())
        );
        assert_eq!("totp".parse::<FactorType>(), Ok(FactorType::Totp));
        assert_eq!(FactorType::Other("x".into()).to_string(), "x");
        assert_eq!(ListOrder::Desc.as_str(), "desc");
    }

    #[test]
    fn spellings_are_case_sensitive_like_the_spec() {
        assert_eq!(
            serde_json::from_str::<FactorType>("\"PUSH\"").unwrap(),
            FactorType::Other("PUSH".into())
        );
    }
}
