//! A JSON Schema checker for exactly the subset `openapi.yaml` uses (OpenAPI 3.1, so JSON Schema
//! 2020-12 semantics), and a refusal of everything else: a keyword this checker does not
//! implement is an error, never silently ignored, so the contract test cannot pass by skipping a
//! rule the document states.
//!
//! Implemented: `$ref` (local, with sibling keywords applying too), `type` (one name or a list,
//! `"null"` included), `enum`, `const`, `minimum`, `maximum`, `minLength`, `maxLength` (in
//! characters, i.e. Unicode code points), `pattern` (unanchored, as JSON Schema says; the
//! `regex` crate's syntax, which agrees with ECMA-262 on the classes, ranges and `\uXXXX`
//! escapes the document uses), `format: date` (RFC 3339 `full-date`, a real calendar day; no
//! other format), `required`, `properties`, `additionalProperties` (`false` or a schema),
//! `items`, `minItems`, `maxItems`, `if`/`then`/`else`. Annotations (`description`, `title`,
//! `example`, `examples`, `default`) are read as such.

use serde_json::Value;

/// Keywords that only annotate: they never make a value invalid.
const ANNOTATIONS: [&str; 5] = ["description", "title", "example", "examples", "default"];

/// Keywords the checker applies.
const IMPLEMENTED: [&str; 19] = [
    "$ref",
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "if",
    "then",
    "else",
];

/// Every way `value` breaks `schema`, as readable paths; empty when it conforms.
pub fn check(value: &Value, schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    walk(value, schema, doc, "$", &mut errors, 0);
    errors
}

/// Every schema in the document that uses a keyword this checker does not implement, a
/// `format` other than `date`, a `pattern` that does not compile or a `$ref` that leads
/// nowhere, as readable locations; empty when the checker understands all of it.
pub fn unsupported(doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        audit(schema, doc, &format!("components.schemas.{name}"), &mut errors);
    }
    for (name, parameter) in doc.pointer("/components/parameters").and_then(Value::as_object).into_iter().flatten() {
        audit(&parameter["schema"], doc, &format!("components.parameters.{name}"), &mut errors);
    }
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let parameters = item["parameters"].as_array().into_iter().flatten();
        let operations = item.as_object().into_iter().flatten().filter(|(key, _)| *key != "parameters");
        for parameter in parameters {
            if parameter.get("schema").is_some() {
                audit(&parameter["schema"], doc, &format!("{path} parameter"), &mut errors);
            }
        }
        for (method, operation) in operations {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                audit(&parameter["schema"], doc, &format!("{method} {path} parameter"), &mut errors);
            }
            for (media, content) in
                operation.pointer("/requestBody/content").and_then(Value::as_object).into_iter().flatten()
            {
                audit(&content["schema"], doc, &format!("{method} {path} request {media}"), &mut errors);
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                for (media, content) in response["content"].as_object().into_iter().flatten() {
                    audit(&content["schema"], doc, &format!("{method} {path} {status} {media}"), &mut errors);
                }
            }
        }
    }
    errors
}

fn audit(schema: &Value, doc: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        if !schema.is_boolean() {
            errors.push(format!("{at}: a schema must be an object"));
        }
        return;
    };
    for (keyword, value) in map {
        if ANNOTATIONS.contains(&keyword.as_str()) {
            continue;
        }
        if !IMPLEMENTED.contains(&keyword.as_str()) {
            errors.push(format!("{at}: the checker does not implement `{keyword}`"));
            continue;
        }
        match keyword.as_str() {
            "$ref" if value.as_str().and_then(|r| doc.pointer(r.trim_start_matches('#'))).is_none() => {
                errors.push(format!("{at}: $ref {value} leads nowhere"));
            }
            "format" if value != "date" => errors.push(format!("{at}: the checker does not implement format {value}")),
            "pattern" => match value.as_str().map(regex::Regex::new) {
                Some(Ok(_)) => {}
                _ => errors.push(format!("{at}: pattern {value} does not compile")),
            },
            "properties" => {
                for (name, property) in value.as_object().into_iter().flatten() {
                    audit(property, doc, &format!("{at}.{name}"), errors);
                }
            }
            "items" | "if" | "then" | "else" => audit(value, doc, &format!("{at}.{keyword}"), errors),
            "additionalProperties" if value.is_object() => audit(value, doc, &format!("{at}.{keyword}"), errors),
            _ => {}
        }
    }
}

fn type_matches(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a day that exists.
pub fn is_full_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range.clone()].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn walk(value: &Value, schema: &Value, doc: &Value, path: &str, errors: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        errors.push(format!("{path}: schema nests too deep"));
        return;
    }
    let Some(map) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{path}: no value is allowed here"));
        } else if !schema.is_boolean() {
            errors.push(format!("{path}: the schema is not an object"));
        }
        return;
    };
    for keyword in map.keys() {
        if !IMPLEMENTED.contains(&keyword.as_str()) && !ANNOTATIONS.contains(&keyword.as_str()) {
            errors.push(format!("{path}: the checker does not implement `{keyword}`"));
        }
    }
    if let Some(reference) = map.get("$ref") {
        match reference.as_str().and_then(|r| doc.pointer(r.trim_start_matches('#'))) {
            Some(target) => walk(value, target, doc, path, errors, depth + 1),
            None => errors.push(format!("{path}: unresolvable schema reference {reference}")),
        }
    }
    if let Some(expected) = map.get("type") {
        let names: Vec<&str> = match expected {
            Value::String(name) => vec![name.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|name| type_matches(value, name)) {
            errors.push(format!("{path}: expected {names:?}, got {value}"));
            return;
        }
    }
    if let Some(options) = map.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Some(constant) = map.get("const")
        && constant != value
    {
        errors.push(format!("{path}: {value} is not {constant}"));
    }
    if let Some(n) = value.as_f64() {
        if map.get("minimum").and_then(Value::as_f64).is_some_and(|min| n < min) {
            errors.push(format!("{path}: {n} is below the minimum"));
        }
        if map.get("maximum").and_then(Value::as_f64).is_some_and(|max| n > max) {
            errors.push(format!("{path}: {n} is above the maximum"));
        }
    }
    if let Some(text) = value.as_str() {
        let chars = text.chars().count() as u64;
        if map.get("minLength").and_then(Value::as_u64).is_some_and(|min| chars < min) {
            errors.push(format!("{path}: shorter than {}", map["minLength"]));
        }
        if map.get("maxLength").and_then(Value::as_u64).is_some_and(|max| chars > max) {
            errors.push(format!("{path}: longer than {}", map["maxLength"]));
        }
        if let Some(pattern) = map.get("pattern") {
            match pattern.as_str().map(regex::Regex::new) {
                Some(Ok(regex)) if regex.is_match(text) => {}
                Some(Ok(_)) => errors.push(format!("{path}: {value} does not match {pattern}")),
                _ => errors.push(format!("{path}: pattern {pattern} does not compile")),
            }
        }
        match map.get("format").and_then(Value::as_str) {
            None => {}
            Some("date") if is_full_date(text) => {}
            Some("date") => errors.push(format!("{path}: {value} is not a date (YYYY-MM-DD)")),
            Some(other) => errors.push(format!("{path}: the checker does not implement format {other}")),
        }
    }
    if let Some(object) = value.as_object() {
        let properties = map.get("properties").and_then(Value::as_object);
        for name in map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{path}: missing required {name}"));
            }
        }
        for (name, field) in object {
            let at = format!("{path}.{name}");
            match (properties.and_then(|p| p.get(name)), map.get("additionalProperties")) {
                (Some(field_schema), _) => walk(field, field_schema, doc, &at, errors, depth + 1),
                (None, Some(Value::Bool(false))) => errors.push(format!("{path}: {name} is not documented")),
                (None, Some(extra)) if extra.is_object() => walk(field, extra, doc, &at, errors, depth + 1),
                (None, _) => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        if map.get("minItems").and_then(Value::as_u64).is_some_and(|min| (items.len() as u64) < min) {
            errors.push(format!("{path}: fewer than {} items", map["minItems"]));
        }
        if map.get("maxItems").and_then(Value::as_u64).is_some_and(|max| items.len() as u64 > max) {
            errors.push(format!("{path}: more than {} items", map["maxItems"]));
        }
        if let Some(item_schema) = map.get("items") {
            for (i, item) in items.iter().enumerate() {
                walk(item, item_schema, doc, &format!("{path}[{i}]"), errors, depth + 1);
            }
        }
    }
    if let Some(condition) = map.get("if") {
        let branch = if check_at(value, condition, doc, depth).is_empty() { map.get("then") } else { map.get("else") };
        if let Some(branch) = branch {
            walk(value, branch, doc, path, errors, depth + 1);
        }
    }
}

fn check_at(value: &Value, schema: &Value, doc: &Value, depth: usize) -> Vec<String> {
    let mut errors = Vec::new();
    walk(value, schema, doc, "$", &mut errors, depth + 1);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_missing_wrong_and_undocumented_fields() {
        let doc = json!({"components": {"schemas": {"N": {"type": "integer", "minimum": 1}}}});
        let schema = json!({"type": "object", "required": ["a", "b"], "additionalProperties": false,
            "properties": {"a": {"$ref": "#/components/schemas/N"}, "b": {"type": ["string", "null"]}}});
        assert!(check(&json!({"a": 2, "b": null}), &schema, &doc).is_empty());
        let errors = check(&json!({"a": 0, "c": 1}), &schema, &doc);
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn patterns_lengths_and_dates_count() {
        let doc = json!({});
        let key = json!({"type": "string", "pattern": "^tlk_", "minLength": 5, "maxLength": 6});
        assert!(check(&json!("tlk_ab"), &key, &doc).is_empty());
        assert_eq!(check(&json!("tlk_"), &key, &doc).len(), 1, "too short");
        assert_eq!(check(&json!("whsec_a"), &key, &doc).len(), 2, "wrong prefix, too long");
        assert!(check(&json!("tlk_ä"), &key, &doc).is_empty(), "lengths count characters, not bytes");
        let date = json!({"type": "string", "format": "date"});
        for good in ["2026-01-31", "2024-02-29", "0001-01-01"] {
            assert!(check(&json!(good), &date, &doc).is_empty(), "{good}");
        }
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "2026-01-32", "26-01-01", "2026/01/01", ""] {
            assert_eq!(check(&json!(bad), &date, &doc).len(), 1, "{bad}");
        }
        let list = json!({"type": "array", "minItems": 1, "maxItems": 2, "items": {"const": 1}});
        assert!(check(&json!([1, 1]), &list, &doc).is_empty());
        assert_eq!(check(&json!([]), &list, &doc).len(), 1);
        assert_eq!(check(&json!([1, 1, 2]), &list, &doc).len(), 2);
    }

    #[test]
    fn refs_keep_their_siblings_and_conditions_choose_a_branch() {
        let doc = json!({"components": {"schemas": {"Text": {"type": "string", "pattern": "^[^<]*$"}}}});
        let name = json!({"$ref": "#/components/schemas/Text", "maxLength": 3});
        assert!(check(&json!("abc"), &name, &doc).is_empty());
        assert_eq!(check(&json!("abcd"), &name, &doc).len(), 1);
        assert_eq!(check(&json!("<a"), &name, &doc).len(), 1);
        let consent = json!({"type": "object", "if": {"required": ["contact"]},
            "then": {"required": ["consent"], "properties": {"consent": {"const": true}}}});
        assert!(check(&json!({}), &consent, &doc).is_empty());
        assert!(check(&json!({"contact": {}, "consent": true}), &consent, &doc).is_empty());
        assert_eq!(check(&json!({"contact": {}, "consent": false}), &consent, &doc).len(), 1);
        assert_eq!(check(&json!({"contact": {}}), &consent, &doc).len(), 1);
    }

    #[test]
    fn keywords_the_checker_does_not_implement_are_refused() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "string", "format": "email"},
            "B": {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}]}}},
            "C": {"type": "string", "pattern": "("},
            "D": {"$ref": "#/components/schemas/Missing"},
            "E": {"type": "string", "description": "fine", "maxLength": 2}
        }}});
        let errors = unsupported(&doc);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(check(&json!({"x": "y"}), &doc["components"]["schemas"]["B"], &doc).len(), 1);
        assert_eq!(check(&json!("a@b"), &doc["components"]["schemas"]["A"], &doc).len(), 1);
    }
}

#[cfg(test)]
mod document {
    use super::*;

    fn openapi() -> Value {
        let text = std::fs::read_to_string(crate::paths::root().join("openapi.yaml")).unwrap();
        serde_yaml::from_str(&text).unwrap()
    }

    /// The contract test can only keep the document true if the checker reads all of it.
    #[test]
    fn openapi_yaml_uses_only_what_the_checker_implements() {
        let errors = unsupported(&openapi());
        assert!(errors.is_empty(), "{errors:#?}");
    }

    /// Every request body's example is one its schema allows (the e2e contract test sends them).
    #[test]
    fn every_documented_example_fits_its_schema() {
        let doc = openapi();
        let mut examples = 0;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Some(content) = op.pointer("/requestBody/content/application~1json") else { continue };
                let example = content.get("example").unwrap_or_else(|| panic!("{method} {path} has no example"));
                let errors = check(example, &content["schema"], &doc);
                assert!(errors.is_empty(), "{method} {path}: {errors:?}");
                examples += 1;
            }
        }
        assert!(examples >= 8, "{examples}");
    }

    /// The document's text and address rules say what the API's parsers say (a few cases each;
    /// the e2e contract test sends the boundaries to the live Worker).
    #[test]
    fn the_documents_patterns_take_what_they_should() {
        let doc = openapi();
        let schema = |name: &str| doc["components"]["schemas"][name].clone();
        let cases: &[(&str, &str, bool)] = &[
            ("Text", "", true),
            ("Text", "tab\tand\nline", true),
            ("Text", "a\u{202e}b", false),
            ("Text", "a\u{0}b", false),
            ("RequiredText", "x", true),
            ("RequiredText", " ä ", true),
            ("RequiredText", "", false),
            ("RequiredText", " \t\u{3000}", false),
            ("Origin", "https://shop.example", true),
            ("Origin", "http://127.0.0.1:8787", true),
            ("Origin", "https://shop.example/", true),
            ("Origin", "https://shop.example/path", false),
            ("Origin", "https://999.1.1.1", false),
            ("Origin", "https://shop.example:65536", false),
            ("ReviewUrl", "https://g.example/r?x=1#y", true),
            ("ReviewUrl", "http://localhost:8787/review", true),
            ("ReviewUrl", "http://localhost.attacker.example/", false),
            ("ReviewUrl", "https://user@shop.example/", false),
            ("ReviewUrl", "https://shop.example/a b", false),
            ("CallbackUrl", "https://hooks.example/tellus", true),
            ("CallbackUrl", "http://hooks.example/tellus", false),
            ("CallbackUrl", "https://hooks.example/a\\b", false),
        ];
        for (name, text, valid) in cases {
            let errors = check(&Value::String((*text).to_owned()), &schema(name), &doc);
            assert_eq!(errors.is_empty(), *valid, "{name} {text:?}: {errors:?}");
        }
    }
}
