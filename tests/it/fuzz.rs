//! A seeded fuzz run driven by the server's own /openapi.json: for every operation,
//! request bodies, query strings and path values drawn from the schemas (valid
//! values, the edges PostgreSQL refuses, hostile text, wrong types, unknown
//! fields), as the owner, as a viewer and with no token. No answer may be a 5xx,
//! and every answer's status and content type must be documented for its
//! operation, with a body that matches the documented schema.
//! The seed is fixed (TENANTBASE_FUZZ_SEED overrides it): a failure replays.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::api::Server;

/// Examples per operation and caller: about 2,000 requests in all.
const EXAMPLES: usize = 8;

const HOSTILE_TEXT: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "nul \u{0} inside",
    "'; DROP TABLE tenancy.tenants; --",
    "\\'\\\\",
    "%s%n%x",
    "../../etc/passwd",
    "é ünïcødé 𝔘 \u{202e}",
    "9999-12-31T23:59:59+23:59",
    "-infinity",
    "NaN",
    "{\"a\":",
];

struct Fuzzer {
    rng: StdRng,
    schemas: Map<String, Value>,
}

impl Fuzzer {
    fn resolve<'v>(&'v self, schema: &'v Value) -> &'v Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => &self.schemas[reference.trim_start_matches("#/components/schemas/")],
            None => schema,
        }
    }

    fn text(&mut self) -> String {
        match self.rng.gen_range(0..4) {
            0 => HOSTILE_TEXT[self.rng.gen_range(0..HOSTILE_TEXT.len())].to_string(),
            1 => "x".repeat(self.rng.gen_range(200..6000)),
            _ => format!("fuzz-{}", self.rng.gen::<u32>()),
        }
    }

    fn value(&mut self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema).clone();
        // Now and then a value of another type, or null, whatever the schema says.
        match self.rng.gen_range(0..12) {
            0 => return Value::Null,
            1 => return json!(self.rng.gen::<i64>()),
            2 => return Value::String(self.text()),
            _ => {}
        }
        if let Some(labels) = schema.get("enum").and_then(Value::as_array) {
            if !labels.is_empty() && self.rng.gen_bool(0.8) {
                return labels[self.rng.gen_range(0..labels.len())].clone();
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("uuid") if self.rng.gen_bool(0.7) => json!(uuid::Uuid::new_v4()),
                Some("date-time") if self.rng.gen_bool(0.7) => {
                    let offset = ["Z", "+15:59", "+16:00", "-23:59", "+05:30"][self.rng.gen_range(0..5)];
                    json!(format!("{:04}-06-15T12:00:00{offset}", self.rng.gen_range(1..10000)))
                }
                Some("date") if self.rng.gen_bool(0.7) => json!(format!("{:04}-02-29", self.rng.gen_range(1..10000))),
                _ => Value::String(self.text()),
            },
            Some("integer") => json!(
                [0i64, -1, 1, i32::MAX as i64 + 1, i64::MIN, self.rng.gen_range(-5..500)][self.rng.gen_range(0..6)]
            ),
            Some("number") => json!([0.0, -0.5, 1e300, -1e300, 12345.678, 1e-300][self.rng.gen_range(0..6)]),
            Some("boolean") => json!(self.rng.gen_bool(0.5)),
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                let n = if depth > 2 { 0 } else { self.rng.gen_range(0..4) };
                Value::Array((0..n).map(|_| self.value(&items, depth + 1)).collect())
            }
            Some("object") | None if depth < 3 => {
                let mut object = Map::new();
                if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                    let required: Vec<&str> = schema
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    for (name, property) in properties {
                        if required.contains(&name.as_str()) || self.rng.gen_bool(0.5) {
                            let value = self.value(property, depth + 1);
                            object.insert(name.clone(), value);
                        }
                    }
                }
                if self.rng.gen_bool(0.15) {
                    object.insert(self.text(), json!(self.text()));
                }
                Value::Object(object)
            }
            _ => json!({}),
        }
    }

    fn query(&mut self, parameters: &[Value]) -> String {
        let mut pairs = Vec::new();
        for parameter in parameters.iter().filter(|p| p["in"] == "query") {
            if self.rng.gen_bool(0.5) {
                continue;
            }
            let value = match self.value(&parameter["schema"], 0) {
                Value::String(s) => s,
                other => other.to_string(),
            };
            pairs.push(format!("{}={}", parameter["name"].as_str().unwrap(), encode(&value)));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// A call answering its status, content type (without parameters; empty when
/// there is no body) and body.
async fn send(
    s: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (reqwest::StatusCode, String, Value) {
    let mut request = s.http.request(method, format!("{}{path}", s.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_string())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    let content_type = if text.is_empty() { String::new() } else { content_type };
    (status, content_type, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

impl Fuzzer {
    /// Where `value` breaks `schema` (the JSON Schema the document uses: $ref,
    /// type or type arrays, enum, properties, required, additionalProperties,
    /// items, oneOf, maxLength, formats uuid and date-time), if it does.
    fn violation(&self, schema: &Value, value: &Value, at: &str) -> Option<String> {
        let schema = self.resolve(schema);
        let fail = |what: String| Some(format!("{at}: {what} in {value}"));
        if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
            let fits = options.iter().filter(|o| self.violation(o, value, at).is_none()).count();
            return if fits == 1 { None } else { fail(format!("fits {fits} of oneOf")) };
        }
        if let Some(kinds) = schema.get("type") {
            let kinds: Vec<&str> = match kinds {
                Value::String(kind) => vec![kind.as_str()],
                Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let fits = |kind: &str| match kind {
                "null" => value.is_null(),
                "boolean" => value.is_boolean(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "string" => value.is_string(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => true,
            };
            if !kinds.iter().any(|k| fits(k)) {
                return fail(format!("not of type {kinds:?}"));
            }
        }
        if let Some(labels) = schema.get("enum").and_then(Value::as_array) {
            if !value.is_null() && !labels.contains(value) {
                return fail("not in its enum".into());
            }
        }
        if let Value::String(text) = value {
            if schema.get("maxLength").and_then(Value::as_u64).is_some_and(|max| text.chars().count() as u64 > max) {
                return fail("longer than its maxLength".into());
            }
            let format_ok = match schema.get("format").and_then(Value::as_str) {
                Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
                Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
                _ => true,
            };
            if !format_ok {
                return fail("not of its format".into());
            }
        }
        if let Value::Array(items) = value {
            if let Some(item) = schema.get("items") {
                return items.iter().enumerate().find_map(|(i, v)| self.violation(item, v, &format!("{at}[{i}]")));
            }
        }
        if let Value::Object(fields) = value {
            let properties = schema.get("properties").and_then(Value::as_object);
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                if !fields.contains_key(name) {
                    return fail(format!("{name} missing"));
                }
            }
            for (name, field) in fields {
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => {
                        if let Some(why) = self.violation(property, field, &format!("{at}.{name}")) {
                            return Some(why);
                        }
                    }
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return fail(format!("{name} is not a property"));
                    }
                    None => {}
                }
            }
        }
        None
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_seeded_fuzz_run_from_the_openapi_document_meets_no_server_error() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let seed: u64 = std::env::var("TENANTBASE_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20261201);
    let callers = [Some(s.login("olivia@acme.com").await), Some(s.login("victor@acme.com").await), None];
    let (_, document) = s.call(Method::GET, "/openapi.json", None, None).await;
    let mut fuzzer = Fuzzer {
        rng: StdRng::seed_from_u64(seed),
        schemas: document["components"]["schemas"].as_object().unwrap().clone(),
    };
    // The checker itself catches a body that breaks its schema.
    let problem = json!({ "$ref": "#/components/schemas/Problem" });
    assert!(fuzzer
        .violation(&problem, &json!({ "type": 1, "title": "t", "status": 400, "detail": "d" }), "")
        .is_some());
    assert!(fuzzer
        .violation(&problem, &json!({ "type": "t", "title": "t", "status": 400, "detail": "d" }), "")
        .is_none());
    let mut failures = Vec::new();
    let (mut sent, mut bodies) = (0, 0);
    for (template, operations) in document["paths"].as_object().unwrap() {
        // Logout would end the sessions the run uses; it takes no input.
        if template == "/v1/auth/logout" {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
            let body_schema = operation["requestBody"]["content"]["application/json"]["schema"].clone();
            for token in &callers {
                for _ in 0..EXAMPLES {
                    let path: String = template
                        .split('/')
                        .map(|part| match part {
                            "{tenant}" => acme.to_string(),
                            p if p.starts_with('{') => match fuzzer.rng.gen_range(0..3) {
                                0 => encode(&fuzzer.text()),
                                _ => uuid::Uuid::new_v4().to_string(),
                            },
                            p => p.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join("/");
                    let path = format!("{path}{}", fuzzer.query(&parameters));
                    let body = (!body_schema.is_null()).then(|| fuzzer.value(&body_schema, 0));
                    let (status, content_type, answer) =
                        send(&s, method.clone(), &path, token.as_deref(), body.clone()).await;
                    sent += 1;
                    let documented = &operation["responses"][status.as_str()];
                    let schema = &documented["content"][content_type.as_str()]["schema"];
                    let why = if status.is_server_error() {
                        Some("a server error".to_string())
                    } else if documented.is_null() {
                        Some("an undocumented status".to_string())
                    } else if documented.get("content").is_none() != content_type.is_empty()
                        || (!content_type.is_empty() && schema.is_null())
                    {
                        Some(format!("an undocumented content type {content_type:?}"))
                    } else if content_type.is_empty() {
                        None
                    } else {
                        bodies += 1;
                        fuzzer.violation(schema, &answer, "")
                    };
                    if let Some(why) = why {
                        failures.push(format!("{why}: {method} {path} {body:?} -> {status} {content_type} {answer}"));
                    }
                }
            }
        }
    }
    assert!(sent > 1000 && bodies > 1000, "{sent} requests, {bodies} bodies checked");
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {sent} answers broke the document:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
