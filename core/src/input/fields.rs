//! Helpers for turning raw JSON into validated values while collecting *every* bad field.
//!
//! Parse, don't validate: each input type has one `parse` that takes the raw bytes and returns
//! either the validated value or the complete list of [`FieldError`]s.

use crate::limits::MAX_COMMENT_CHARS;
use serde::Serialize;
use serde_json::{Map, Value};

/// One bad field: where it is (a dotted path such as `contact.email`) and what is wrong, in
/// words a developer can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Why a body could not be read at all, before any field was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    NotUtf8,
    NotJson(String),
    NotObject,
}

impl BodyError {
    /// A sentence for the `detail` of the problem response.
    pub fn detail(&self) -> String {
        match self {
            BodyError::NotUtf8 => "The request body is not valid UTF-8.".to_owned(),
            BodyError::NotJson(why) => format!("The request body is not valid JSON: {why}."),
            BodyError::NotObject => "The request body must be a JSON object.".to_owned(),
        }
    }
}

/// Why an input was refused: unreadable, or readable with bad fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Body(BodyError),
    Fields(Vec<FieldError>),
}

/// Reads a body as a JSON object. Duplicate keys are refused (different parsers keep different
/// copies, so a duplicate can mean one thing to us and another to a proxy or a log reader), and
/// nesting is bounded by serde_json's recursion limit.
pub fn parse_object(body: &[u8]) -> Result<Map<String, Value>, BodyError> {
    let text = std::str::from_utf8(body).map_err(|_| BodyError::NotUtf8)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(StrictValue, &mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(BodyError::NotObject),
        Err(err) => Err(BodyError::NotJson(err.to_string())),
    }
}

/// A `serde_json::Value` that refuses objects with the same key twice.
struct StrictValue;

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("the key \"{key}\" appears twice")));
            }
            let value = map.next_value_seed(StrictValue)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Walks one JSON object, remembering which fields were read so unknown ones can be reported.
pub struct Fields<'a> {
    prefix: String,
    map: &'a Map<String, Value>,
    seen: Vec<&'static str>,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self::nested("", map)
    }

    pub fn nested(prefix: &str, map: &'a Map<String, Value>) -> Self {
        Fields { prefix: prefix.to_owned(), map, seen: Vec::new(), errors: Vec::new() }
    }

    pub fn path(&self, name: &str) -> String {
        match (self.prefix.is_empty(), name.is_empty()) {
            (true, _) => name.to_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{name}", self.prefix),
        }
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        let field = self.path(name);
        self.errors.push(FieldError { field, message: message.into() });
    }

    /// The raw value of a field; `null` counts as absent.
    pub fn take(&mut self, name: &'static str) -> Option<&'a Value> {
        self.seen.push(name);
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(value) => Some(value),
        }
    }

    pub fn string(&mut self, name: &'static str, max_chars: usize) -> Option<String> {
        let value = self.take(name)?;
        match value.as_str() {
            Some(text) => {
                let text = text.trim();
                if text.chars().count() > max_chars {
                    self.error(name, format!("must be at most {max_chars} characters"));
                    None
                } else if text.chars().any(is_forbidden_char) {
                    self.error(name, "must not contain control characters");
                    None
                } else {
                    Some(text.to_owned())
                }
            }
            None => {
                self.error(name, "must be a string");
                None
            }
        }
    }

    pub fn required_string(&mut self, name: &'static str, max_chars: usize) -> Option<String> {
        match self.string(name, max_chars) {
            Some(text) if text.is_empty() => {
                self.error(name, "must not be empty");
                None
            }
            Some(text) => Some(text),
            None => {
                if !self.map.contains_key(name) || self.map.get(name) == Some(&Value::Null) {
                    self.error(name, "is required");
                }
                None
            }
        }
    }

    /// A whole number in `min..=max`. `1.0` is the whole number 1, as JSON Schema says and as
    /// some JSON writers print every number; `1.5` is not.
    pub fn integer(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64> {
        let value = self.take(name)?;
        let whole = value
            .as_i64()
            .or_else(|| value.as_f64().filter(|n| n.fract() == 0.0 && n.abs() < 9.0e18).map(|n| n as i64));
        match whole {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) => {
                self.error(name, format!("must be between {min} and {max}"));
                None
            }
            None => {
                self.error(name, format!("must be a whole number between {min} and {max}"));
                None
            }
        }
    }

    pub fn boolean(&mut self, name: &'static str) -> Option<bool> {
        let value = self.take(name)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(name, "must be true or false");
                None
            }
        }
    }

    pub fn object(&mut self, name: &'static str) -> Option<&'a Map<String, Value>> {
        let value = self.take(name)?;
        match value.as_object() {
            Some(map) => Some(map),
            None => {
                self.error(name, "must be an object");
                None
            }
        }
    }

    pub fn array(&mut self, name: &'static str, max_items: usize) -> Option<&'a Vec<Value>> {
        let value = self.take(name)?;
        match value.as_array() {
            Some(items) if items.len() <= max_items => Some(items),
            Some(_) => {
                self.error(name, format!("must have at most {max_items} items"));
                None
            }
            None => {
                self.error(name, "must be a list");
                None
            }
        }
    }

    /// Merges the errors of a nested object's walk into this one.
    pub fn absorb(&mut self, nested: Fields<'_>) {
        self.errors.extend(nested.finish());
    }

    /// Reports every field that was present but never read, and returns all errors.
    pub fn finish(mut self) -> Vec<FieldError> {
        let mut unknown: Vec<&String> = self.map.keys().filter(|key| !self.seen.contains(&key.as_str())).collect();
        unknown.sort();
        for key in unknown {
            let field = self.path(key);
            self.errors.push(FieldError { field, message: "is not a known field".to_owned() });
        }
        self.errors
    }
}

/// Control characters other than tab and newline are refused in text fields; so are the
/// bidirectional overrides that can make stored text display as something else.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The one-field body of an owner's action: `{"note": "…"}` for fix (optional note),
/// `{"text": "…"}` for reply (required).
pub fn parse_text_body(body: &[u8], field: &'static str, required: bool) -> Result<String, InputError> {
    parse_text_field(body, field, required, MAX_COMMENT_CHARS)
}

/// [`parse_text_body`] with its own length limit.
pub fn parse_text_field(
    body: &[u8],
    field: &'static str,
    required: bool,
    max_chars: usize,
) -> Result<String, InputError> {
    let map = parse_object(body).map_err(InputError::Body)?;
    let mut fields = Fields::new(&map);
    let text = if required {
        fields.required_string(field, max_chars)
    } else {
        Some(fields.string(field, max_chars).unwrap_or_default())
    };
    let errors = fields.finish();
    match text {
        Some(text) if errors.is_empty() => Ok(text),
        _ => Err(InputError::Fields(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn duplicate_keys_and_deep_nesting_are_refused() {
        assert!(
            matches!(parse_object(br#"{"rating":1,"rating":5}"#), Err(BodyError::NotJson(why)) if why.contains("twice"))
        );
        assert!(matches!(parse_object(br#"{"a":{"b":1,"b":2}}"#), Err(BodyError::NotJson(_))));
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(parse_object(deep.as_bytes()), Err(BodyError::NotJson(_))));
        assert!(matches!(parse_object(br#"{"a":1} trailing"#), Err(BodyError::NotJson(_))));
        assert_eq!(parse_object(br#"{"a":[1,{"b":null}],"c":1.5}"#).map(|m| m.len()), Ok(2));
    }

    /// Any JSON value a few levels deep: every kind of number, strings with escapes and
    /// non-ASCII text, nested arrays and objects.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "\\PC{0,12}|[\"\\\\/\u{0}-\u{1f}]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::btree_map("\\PC{0,6}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    fn json_object() -> impl Strategy<Value = Map<String, Value>> {
        proptest::collection::btree_map("\\PC{0,6}", json_value(), 0..6).prop_map(|map| map.into_iter().collect())
    }

    proptest! {
        /// On every object without a repeated key, the strict parser reads what serde_json
        /// reads: the same values, numbers and strings, at every depth.
        #[test]
        fn the_strict_parser_agrees_with_serde_json_on_objects_without_duplicates(object in json_object()) {
            let text = serde_json::to_string(&object).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected: Map<String, Value> =
                serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parse_object(text.as_bytes()), Ok(expected));
        }

        /// The same object with one of its keys written again at its end is refused (a nested
        /// repeat is checked in `duplicate_keys_and_deep_nesting_are_refused`).
        #[test]
        fn a_repeated_key_is_refused(object in json_object(), value in json_value()) {
            prop_assume!(!object.is_empty());
            let mut text = serde_json::to_string(&object).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let (key, _) = object.iter().next().ok_or_else(|| TestCaseError::fail("empty"))?;
            let repeated = serde_json::to_string(&serde_json::json!({ key.as_str(): value }))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            // `{"k":v,...}` becomes `{"k":v,...,"k":w}`.
            text.truncate(text.len() - 1);
            text.push(',');
            text.push_str(&repeated[1..]);
            prop_assert!(matches!(parse_object(text.as_bytes()), Err(BodyError::NotJson(why)) if why.contains("twice")));
        }

        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_object(&body);
        }
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_zero_fraction() {
        let map = parse_object(br#"{"a":1.0,"b":2.5,"c":-0.0,"d":1e3,"e":1e300,"f":7}"#).unwrap();
        let mut fields = Fields::new(&map);
        let read: Vec<Option<i64>> = ["a", "b", "c", "d", "e", "f"].map(|n| fields.integer(n, -5, 1_000)).into();
        assert_eq!(read, vec![Some(1), None, Some(0), Some(1_000), None, Some(7)]);
        assert_eq!(fields.finish().len(), 2, "2.5 and 1e300 are reported");
    }

    #[test]
    fn bidi_overrides_are_forbidden() {
        assert!(is_forbidden_char('\u{202E}'));
        assert!(is_forbidden_char('\u{0000}'));
        assert!(!is_forbidden_char('\n'));
        assert!(!is_forbidden_char('ä'));
    }
}
