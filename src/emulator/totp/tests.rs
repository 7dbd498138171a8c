use super::*;
use proptest::prelude::*;

const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// RFC 6238 Appendix B: (time, SHA1, SHA256, SHA512), 8 digits, 30-second steps.
const RFC6238: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

fn config(algorithm: Algorithm, code_length: u32, skew: u32) -> TotpConfig {
    TotpConfig {
        algorithm,
        time_step: 30,
        code_length,
        skew,
    }
}

fn vectors() -> impl Iterator<Item = (Algorithm, &'static [u8], u64, &'static str)> {
    RFC6238.iter().flat_map(|&(time, sha1, sha256, sha512)| {
        [
            (Algorithm::Sha1, SEED_SHA1, time, sha1),
            (Algorithm::Sha256, SEED_SHA256, time, sha256),
            (Algorithm::Sha512, SEED_SHA512, time, sha512),
        ]
    })
}

#[test]
fn code_matches_every_rfc6238_appendix_b_vector() {
    let mut checked = 0;
    for (algorithm, seed, time, expected) in vectors() {
        assert_eq!(
            code(seed, &config(algorithm, 8, 1), time),
            expected,
            "{algorithm:?} at {time}"
        );
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn six_digit_code_is_the_last_six_digits_of_the_rfc_vector() {
    for (algorithm, seed, time, expected) in vectors() {
        assert_eq!(
            code(seed, &config(algorithm, 6, 1), time),
            &expected[2..],
            "{algorithm:?} at {time}"
        );
    }
    // Spelled out once, leading zero included.
    assert_eq!(
        code(SEED_SHA1, &config(Algorithm::Sha1, 6, 1), 1_111_111_109),
        "081804"
    );
}

#[test]
fn three_digit_code_keeps_its_leading_zeros() {
    // 07081804 → 804.
    assert_eq!(
        code(SEED_SHA1, &config(Algorithm::Sha1, 3, 1), 1_111_111_109),
        "804"
    );
    // 69279037 → "037": the zero is kept.
    assert_eq!(
        code(SEED_SHA1, &config(Algorithm::Sha1, 3, 1), 2_000_000_000),
        "037"
    );
}

#[test]
fn verify_accepts_every_rfc6238_vector_at_its_own_time() {
    for (algorithm, seed, time, expected) in vectors() {
        assert!(verify(seed, &config(algorithm, 8, 0), time, expected));
        assert!(verify(seed, &config(algorithm, 6, 0), time, &expected[2..]));
    }
}

#[test]
fn verify_rejects_another_algorithms_code() {
    // The SHA256 code of the SHA1 seed at 59 is not 94287082.
    let sha256 = config(Algorithm::Sha256, 8, 2);
    assert!(!verify(SEED_SHA1, &sha256, 59, "94287082"));
    assert!(verify(
        SEED_SHA1,
        &config(Algorithm::Sha1, 8, 2),
        59,
        "94287082"
    ));
}

/// Codes of steps `now_step - 3 ..= now_step + 3`, asserted pairwise distinct so that an
/// accept/reject below is about the step, not a coincidence of codes.
fn window_codes(config: &TotpConfig, now: u64) -> Vec<String> {
    let step = now / config.time_step;
    let codes: Vec<String> = (step - 3..=step + 3)
        .map(|s| code(SEED_SHA1, config, s * config.time_step))
        .collect();
    for (i, a) in codes.iter().enumerate() {
        for b in &codes[i + 1..] {
            assert_ne!(a, b, "test precondition: distinct codes");
        }
    }
    codes
}

#[test]
fn skew_accepts_exactly_the_steps_within_it() {
    let now = 1_234_567_890;
    for skew in 0..=2u32 {
        let config = config(Algorithm::Sha1, 6, skew);
        let codes = window_codes(&config, now);
        for (offset, code) in (-3i64..=3).zip(&codes) {
            assert_eq!(
                verify(SEED_SHA1, &config, now, code),
                offset.unsigned_abs() <= u64::from(skew),
                "skew {skew}, step offset {offset}"
            );
        }
    }
}

#[test]
fn skew_window_is_measured_from_the_step_not_the_second() {
    // At the last second of a step, the next step's code is one step away: with skew 1 it
    // is accepted, the one after is not.
    let config = config(Algorithm::Sha1, 6, 1);
    let last_second = 1_234_567_919; // 1234567890 is in step 41152263, which ends at …919
    assert_eq!(last_second / 30, 1_234_567_890 / 30);
    assert_eq!((last_second + 1) / 30, last_second / 30 + 1);
    let next = code(SEED_SHA1, &config, last_second + 1);
    let after_next = code(SEED_SHA1, &config, last_second + 31);
    assert!(verify(SEED_SHA1, &config, last_second, &next));
    assert!(!verify(SEED_SHA1, &config, last_second, &after_next));
}

#[test]
fn code_rolls_over_exactly_at_the_step_boundary() {
    let config = config(Algorithm::Sha1, 8, 0);
    // 59 is the last second of step 1; 60 starts step 2.
    assert_eq!(code(SEED_SHA1, &config, 30), "94287082");
    assert_eq!(code(SEED_SHA1, &config, 59), "94287082");
    let step2 = code(SEED_SHA1, &config, 60);
    assert_ne!(step2, "94287082");
    assert_eq!(code(SEED_SHA1, &config, 89), step2);
    assert!(verify(SEED_SHA1, &config, 59, "94287082"));
    assert!(!verify(SEED_SHA1, &config, 60, "94287082"));
    assert!(verify(SEED_SHA1, &config, 60, &step2));
}

#[test]
fn time_step_changes_the_step_number() {
    // With 60-second steps, 59 is in step 0, 60 in step 1 (whose code is the RFC's for 59).
    let sixty = TotpConfig {
        time_step: 60,
        ..config(Algorithm::Sha1, 8, 0)
    };
    assert_eq!(code(SEED_SHA1, &sixty, 60), "94287082");
    assert_eq!(code(SEED_SHA1, &sixty, 119), "94287082");
    assert_ne!(code(SEED_SHA1, &sixty, 59), "94287082");
}

#[test]
fn verify_rejects_candidates_that_are_not_exactly_code_length_digits() {
    let config = config(Algorithm::Sha1, 8, 1);
    assert!(verify(SEED_SHA1, &config, 59, "94287082"));
    for candidate in [
        "",
        "9428708",
        "942870820",
        " 94287082",
        "94287082 ",
        "+4287082",
        "9428708a",
        "９4287082",
        "94287082\n",
        "-94287082",
    ] {
        assert!(!verify(SEED_SHA1, &config, 59, candidate), "{candidate:?}");
    }
}

#[test]
fn verify_accepts_nothing_under_a_configuration_twilio_refuses() {
    let good = config(Algorithm::Sha1, 8, 1);
    assert!(verify(SEED_SHA1, &good, 59, "94287082"));
    for bad in [
        TotpConfig {
            time_step: 19,
            ..good
        },
        TotpConfig {
            time_step: 61,
            ..good
        },
        TotpConfig {
            time_step: 0,
            ..good
        },
        TotpConfig {
            code_length: 2,
            ..good
        },
        TotpConfig {
            code_length: 9,
            ..good
        },
        TotpConfig { skew: 3, ..good },
        TotpConfig {
            skew: u32::MAX,
            ..good
        },
    ] {
        assert!(bad.invalid_parameter().is_some(), "{bad:?}");
        let candidate = code(SEED_SHA1, &bad, 59);
        assert!(!verify(SEED_SHA1, &bad, 59, &candidate), "{bad:?}");
    }
}

#[test]
fn invalid_parameter_names_the_first_field_out_of_range() {
    let good = TotpConfig::default();
    assert_eq!(good.invalid_parameter(), None);
    let edges = [
        TotpConfig {
            time_step: 20,
            code_length: 3,
            skew: 0,
            ..good
        },
        TotpConfig {
            time_step: 60,
            code_length: 8,
            skew: 2,
            ..good
        },
    ];
    for edge in edges {
        assert_eq!(edge.invalid_parameter(), None, "{edge:?}");
    }
    assert_eq!(
        TotpConfig {
            time_step: 19,
            code_length: 9,
            skew: 3,
            ..good
        }
        .invalid_parameter(),
        Some("Config.TimeStep")
    );
    assert_eq!(
        TotpConfig {
            code_length: 9,
            skew: 3,
            ..good
        }
        .invalid_parameter(),
        Some("Config.CodeLength")
    );
    assert_eq!(
        TotpConfig { skew: 3, ..good }.invalid_parameter(),
        Some("Config.Skew")
    );
}

#[test]
fn code_clamps_out_of_range_settings_instead_of_panicking() {
    let eight = config(Algorithm::Sha1, 8, 1);
    let wide = TotpConfig {
        code_length: u32::MAX,
        ..eight
    };
    assert_eq!(code(SEED_SHA1, &wide, 59), "94287082");
    let narrow = TotpConfig {
        code_length: 0,
        ..eight
    };
    assert_eq!(code(SEED_SHA1, &narrow, 59), "082");
    let zero_step = TotpConfig {
        time_step: 0,
        ..eight
    };
    assert_eq!(code(SEED_SHA1, &zero_step, 1), "94287082");
}

#[test]
fn verify_at_the_ends_of_time_uses_only_steps_that_exist() {
    let config = config(Algorithm::Sha1, 6, 2);
    // Step 0: steps -2 and -1 do not exist; 0, 1 and 2 are accepted.
    for time in [0, 30, 60] {
        assert!(verify(
            SEED_SHA1,
            &config,
            0,
            &code(SEED_SHA1, &config, time)
        ));
    }
    assert!(!verify(
        SEED_SHA1,
        &config,
        0,
        &code(SEED_SHA1, &config, 90)
    ));
    // The last second there is.
    let end = u64::MAX;
    assert!(verify(
        SEED_SHA1,
        &config,
        end,
        &code(SEED_SHA1, &config, end)
    ));
    assert!(verify(
        SEED_SHA1,
        &config,
        end,
        &code(SEED_SHA1, &config, end - 60)
    ));
}

#[test]
fn algorithm_names_on_the_wire_and_in_the_uri() {
    for (wire, algorithm, uri) in [
        ("sha1", Algorithm::Sha1, "SHA1"),
        ("sha256", Algorithm::Sha256, "SHA256"),
        ("sha512", Algorithm::Sha512, "SHA512"),
    ] {
        assert_eq!(Algorithm::from_wire(wire), Some(algorithm));
        assert_eq!(algorithm.wire_name(), wire);
        assert_eq!(algorithm.otpauth_name(), uri);
    }
    for other in ["", "SHA1", "sha-1", "sha384", "md5", "sha1 "] {
        assert_eq!(Algorithm::from_wire(other), None, "{other:?}");
    }
}

#[test]
fn default_config_is_twilios_sha1_30_seconds_6_digits_skew_1() {
    assert_eq!(
        TotpConfig::default(),
        TotpConfig {
            algorithm: Algorithm::Sha1,
            time_step: 30,
            code_length: 6,
            skew: 1
        }
    );
}

#[test]
fn base32_matches_rfc4648_vectors_without_padding() {
    for (bytes, encoded) in [
        ("", ""),
        ("f", "MY"),
        ("fo", "MZXQ"),
        ("foo", "MZXW6"),
        ("foob", "MZXW6YQ"),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ] {
        assert_eq!(base32(bytes.as_bytes()), encoded);
        assert_eq!(from_base32(encoded).as_deref(), Some(bytes.as_bytes()));
    }
}

#[test]
fn from_base32_takes_any_case_and_optional_padding() {
    let foobar = Some(b"foobar".to_vec());
    assert_eq!(from_base32("MZXW6YTBOI======"), foobar);
    assert_eq!(from_base32("mzxw6ytboi"), foobar);
    assert_eq!(from_base32("mZxW6yTbOi=="), foobar);
    assert_eq!(from_base32("MY======"), Some(b"f".to_vec()));
}

#[test]
fn from_base32_rejects_what_is_not_base32() {
    for bad in [
        "MZXW6YTBO1", // 1 is not in the alphabet
        "MZXW6YTBO",  // 9 characters cannot end a base32 string
        "M",
        "MZ", // non-zero bits after the last byte ("MY" is "f")
        "MZXW 6YTB",
        "MZXW=6YTB",
        "MZXW6YTBOIé",
    ] {
        assert_eq!(from_base32(bad), None, "{bad:?}");
    }
}

#[test]
fn twilios_example_secret_is_the_rfc_sha1_seed() {
    assert_eq!(base32(SEED_SHA1), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(
        from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").as_deref(),
        Some(SEED_SHA1)
    );
}

#[test]
fn new_secret_is_20_random_bytes_of_32_base32_characters() {
    let a = new_secret().expect("system random");
    let b = new_secret().expect("system random");
    assert_eq!(a.len(), 20);
    assert_eq!(base32(&a).len(), 32);
    // Two 160-bit draws coincide with probability 2^-160.
    assert_ne!(a, b);
}

#[test]
fn otpauth_uri_matches_twilios_create_totp_example_exactly() {
    // verify_push.json, CreateNewFactor 201 example `createTotp`, `binding.uri`.
    assert_eq!(
        otpauth_uri(
            "test-issuer",
            "John\u{2019}s Account Name",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            &TotpConfig::default(),
        ),
        "otpauth://totp/test-issuer:John%E2%80%99s%20Account%20Name?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=test-issuer&algorithm=SHA1&digits=6&period=30"
    );
}

#[test]
fn otpauth_uri_carries_the_configuration_and_encodes_reserved_characters() {
    let config = TotpConfig {
        algorithm: Algorithm::Sha512,
        time_step: 45,
        code_length: 8,
        skew: 2,
    };
    assert_eq!(
        otpauth_uri("A&B:C", "a+b@x.io/?#=", "MZXW6YTBOI", &config),
        "otpauth://totp/A%26B%3AC:a%2Bb%40x.io%2F%3F%23%3D?secret=MZXW6YTBOI&issuer=A%26B%3AC&algorithm=SHA512&digits=8&period=45"
    );
}

fn any_config() -> impl Strategy<Value = TotpConfig> {
    (
        prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ],
        prop_oneof![
            Just(0u64),
            Just(1),
            15u64..=65,
            Just(u64::MAX),
            any::<u64>()
        ],
        prop_oneof![0u32..=10, Just(u32::MAX), any::<u32>()],
        prop_oneof![0u32..=3, Just(u32::MAX), any::<u32>()],
    )
        .prop_map(|(algorithm, time_step, code_length, skew)| TotpConfig {
            algorithm,
            time_step,
            code_length,
            skew,
        })
}

fn any_time() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..=120, (u64::MAX - 120)..=u64::MAX, any::<u64>()]
}

proptest! {
    #[test]
    fn odd_input_never_panics(
        secret in proptest::collection::vec(any::<u8>(), 0..80),
        config in any_config(),
        time in any_time(),
        candidate in "\\PC{0,12}|[0-9]{3,8}",
    ) {
        let code = code(&secret, &config, time);
        prop_assert!(u32::try_from(code.len()).is_ok_and(|n| CODE_LENGTHS.contains(&n)));
        prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
        let _ = verify(&secret, &config, time, &candidate);
        let _ = from_base32(&candidate);
        let _ = otpauth_uri(&candidate, &candidate, &candidate, &config);
    }

    #[test]
    fn verify_accepts_the_current_code_under_any_valid_configuration(
        secret in proptest::collection::vec(any::<u8>(), 0..80),
        algorithm in prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ],
        time_step in TIME_STEPS,
        code_length in CODE_LENGTHS,
        skew in SKEWS,
        time in any_time(),
    ) {
        let config = TotpConfig { algorithm, time_step, code_length, skew };
        prop_assert!(verify(&secret, &config, time, &code(&secret, &config, time)));
    }

    #[test]
    fn base32_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        let encoded = base32(&bytes);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        prop_assert_eq!(from_base32(&encoded), Some(bytes.clone()));
        prop_assert_eq!(from_base32(&encoded.to_ascii_lowercase()), Some(bytes));
    }
}
