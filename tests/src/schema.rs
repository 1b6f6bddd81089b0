//! A small JSON Schema checker for the subset `openapi.yaml` uses: `$ref` (local), `type`
//! (including type lists with "null"), `required`, `properties`, `additionalProperties: false`,
//! `items`, `enum`, `minimum`, `maximum`, `maxLength`. Enough to keep the API document honest.

use serde_json::Value;

/// Every way `value` breaks `schema`, as readable paths; empty when it conforms.
pub fn check(value: &Value, schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    walk(value, schema, doc, "$", &mut errors, 0);
    errors
}

fn resolve<'a>(schema: &'a Value, doc: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            doc.pointer(pointer).unwrap_or(&Value::Null)
        }
        None => schema,
    }
}

fn type_matches(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn walk(value: &Value, schema: &Value, doc: &Value, path: &str, errors: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        errors.push(format!("{path}: schema nests too deep"));
        return;
    }
    let schema = resolve(schema, doc);
    if schema.is_null() {
        errors.push(format!("{path}: unresolvable schema reference"));
        return;
    }
    if let Some(expected) = schema.get("type") {
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
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Some(n) = value.as_f64() {
        if schema.get("minimum").and_then(Value::as_f64).is_some_and(|min| n < min) {
            errors.push(format!("{path}: {n} is below the minimum"));
        }
        if schema.get("maximum").and_then(Value::as_f64).is_some_and(|max| n > max) {
            errors.push(format!("{path}: {n} is above the maximum"));
        }
    }
    if let (Some(text), Some(max)) = (value.as_str(), schema.get("maxLength").and_then(Value::as_u64))
        && text.chars().count() as u64 > max
    {
        errors.push(format!("{path}: longer than {max}"));
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{path}: missing required {name}"));
            }
        }
        for (name, field) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(field_schema) => walk(field, field_schema, doc, &format!("{path}.{name}"), errors, depth + 1),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: {name} is not documented"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            walk(item, item_schema, doc, &format!("{path}[{i}]"), errors, depth + 1);
        }
    }
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
}
