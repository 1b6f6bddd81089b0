//! Every public input of core, fed arbitrary JSON: it never panics, and it either parses into a
//! valid value or names the bad fields.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use tellus_core::callbacks::{EndpointInput, UrlRules};
use tellus_core::entry::Scale;
use tellus_core::input::fields::{FieldError, InputError, parse_text_body};
use tellus_core::site::SiteSettings;
use tellus_core::storage::filter::EntryFilter;
use tellus_core::submission::Submission;

/// Arbitrary JSON, a few levels deep, biased towards the field names the inputs know.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("https://shop.example"),
            Just("#1f5fbf"),
            Just("nps"),
            Just("csat"),
            Just("failure.reported"),
            Just("reliability"),
            Just("http://127.0.0.1:9/x"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((field_name(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("rating"),
            Just("comment"),
            Just("dimensions"),
            Just("touchpoint"),
            Just("contact"),
            Just("consent"),
            Just("lang"),
            Just("idempotency_key"),
            Just("website"),
            Just("name"),
            Just("allowed_origins"),
            Just("scale"),
            Just("failure_threshold"),
            Just("sla"),
            Just("review_links"),
            Just("theme_color"),
            Just("retention_days"),
            Just("url"),
            Just("events"),
            Just("format"),
            Just("description"),
            Just("note"),
            Just("text"),
            Just("email"),
            Just("page"),
            Just("id"),
            Just("label"),
            Just("acknowledge_minutes"),
            Just("fix_minutes"),
        ]
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ]
}

/// One query parameter of the owner's entries list: mostly a parameter the filter knows with a
/// value that is often valid, sometimes anything.
fn filter_parameter() -> impl Strategy<Value = (String, String)> {
    let known = prop_oneof![
        Just("status"),
        Just("kind"),
        Just("touchpoint"),
        Just("from"),
        Just("to"),
        Just("limit"),
        Just("cursor"),
        Just("format"),
    ]
    .prop_map(str::to_owned);
    let likely = prop_oneof![
        Just("open"),
        Just("fixed"),
        Just("failure"),
        Just("praise"),
        Just("2025-12-01"),
        Just("2026-01-31"),
        Just("2026-02-30"),
        Just("10"),
        Just("0"),
        Just("101"),
        Just("/checkout"),
        Just(""),
    ]
    .prop_map(str::to_owned);
    (prop_oneof![4 => known, 1 => "[a-z_]{1,10}"], prop_oneof![3 => likely, 1 => ".{0,30}"])
}

fn object() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((field_name(), json_value()), 0..8).prop_map(|pairs| {
        let map: Map<String, Value> = pairs.into_iter().collect();
        serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
    })
}

/// An accepted input's error list is empty; a refused readable object names at least one field.
fn named(result: Result<(), InputError>) -> Result<(), TestCaseError> {
    match result {
        Ok(()) => Ok(()),
        Err(InputError::Fields(errors)) => {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
            Ok(())
        }
        Err(InputError::Body(body)) => {
            // Objects we serialised ourselves are readable, except for duplicate keys, which
            // serde_json's map never produces.
            prop_assert!(false, "a well-formed object was unreadable: {:?}", body);
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn submissions(body in object(), nps in any::<bool>()) {
        let scale = if nps { Scale::Nps } else { Scale::Csat };
        named(Submission::parse(&body, scale).map(|s| assert!(s.rating <= scale.max())))?;
    }

    #[test]
    fn site_settings(body in object()) {
        named(SiteSettings::parse(&body).map(|s| {
            assert!(!s.name.is_empty() && !s.allowed_origins.is_empty());
            assert!(tellus_core::site::parse_hex_color(&s.theme_color).is_some());
        }))?;
    }

    #[test]
    fn site_patches(body in object()) {
        let base = SiteSettings::parse(br#"{"name":"Shop","allowed_origins":["https://shop.example"]}"#)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        named(base.patched(&body).map(drop))?;
    }

    #[test]
    fn callback_endpoints(body in object(), loopback in any::<bool>()) {
        let rules = UrlRules { allow_loopback: loopback, own_host: "tellus.example" };
        named(EndpointInput::parse(&body, &rules).map(drop))?;
    }

    #[test]
    fn owner_text_bodies(body in object(), required in any::<bool>()) {
        named(parse_text_body(&body, "text", required).map(drop))?;
    }

    /// A query is judged parameter by parameter: it is refused exactly when one of its
    /// parameters is refused on its own (or `from` is after `to`), naming those parameters in
    /// order; otherwise each filter field is the last value given for it.
    #[test]
    fn entry_filters(pairs in proptest::collection::vec(filter_parameter(), 0..6)) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let alone: Vec<Result<EntryFilter, Vec<FieldError>>> =
            pairs.iter().map(|pair| EntryFilter::parse([*pair], 100)).collect();
        // Alone, an unknown parameter is refused and the enumerated ones take exactly their
        // documented values (dates, limits and cursors have their own unit tests).
        for ((name, value), parsed) in pairs.iter().zip(&alone) {
            let valid = match *name {
                "status" => Some(["open", "acknowledged", "fixed"].contains(value)),
                "kind" => Some(["failure", "neutral", "praise"].contains(value)),
                "format" => Some(true),
                "touchpoint" | "from" | "to" | "limit" | "cursor" => None,
                _ => Some(false),
            };
            if let Some(valid) = valid {
                prop_assert_eq!(parsed.is_ok(), valid, "{}={:?}", name, value);
            }
        }
        let last = |get: &dyn Fn(&EntryFilter) -> bool| alone.iter().rev().flatten().find(|filter| get(filter));
        let mut expected = EntryFilter::parse([], 100).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        expected.status = last(&|f| f.status.is_some()).and_then(|f| f.status);
        expected.kind = last(&|f| f.kind.is_some()).and_then(|f| f.kind);
        expected.touchpoint = last(&|f| f.touchpoint.is_some()).and_then(|f| f.touchpoint.clone());
        expected.from_day = last(&|f| f.from_day.is_some()).and_then(|f| f.from_day);
        expected.to_day = last(&|f| f.to_day.is_some()).and_then(|f| f.to_day);
        expected.cursor = last(&|f| f.cursor.is_some()).and_then(|f| f.cursor.clone());
        let limit_given = pairs.iter().zip(&alone).rev().find(|((name, _), parsed)| *name == "limit" && parsed.is_ok());
        if let Some((_, Ok(filter))) = limit_given {
            expected.limit = filter.limit;
        }
        let mut refused: Vec<String> = alone.iter().filter_map(|parsed| parsed.as_ref().err()).flatten().map(|e| e.field.clone()).collect();
        if expected.from_day.zip(expected.to_day).is_some_and(|(from, to)| from > to) {
            refused.push("from".to_owned());
        }
        match EntryFilter::parse(pairs.iter().copied(), 100) {
            Ok(filter) => {
                prop_assert!(refused.is_empty(), "{:?} were accepted together", refused);
                prop_assert!((1..=100).contains(&filter.limit));
                prop_assert_eq!(filter, expected);
            }
            Err(errors) => {
                prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
                let fields: Vec<String> = errors.into_iter().map(|e| e.field).collect();
                prop_assert_eq!(fields, refused);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_anywhere(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Submission::parse(&body, Scale::Csat);
        let _ = SiteSettings::parse(&body);
        let _ = EndpointInput::parse(&body, &UrlRules { allow_loopback: false, own_host: "tellus.example" });
        let _ = parse_text_body(&body, "note", false);
    }
}

#[test]
fn known_hostile_values_are_named() {
    let cases = [
        json!({"rating": 1e300}),
        json!({"rating": -9223372036854775808i64}),
        json!({"rating": 3, "comment": "\u{202E}gnp.exe"}),
        json!({"rating": 3, "touchpoint": {"page": "x".repeat(10_000)}}),
        json!({"rating": 3, "dimensions": ["reliability", "reliability", "empathy", "assurance", "tangibles", "responsiveness"]}),
    ];
    for case in cases {
        let body = serde_json::to_vec(&case).unwrap_or_default();
        assert!(matches!(Submission::parse(&body, Scale::Csat), Err(InputError::Fields(_))), "{case}");
    }
}
