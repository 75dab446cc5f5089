//! The generic resource path's pure parts: validation of values, cursors, identifier quoting, the SQL texts.

use serde_json::json;
use uuid::Uuid;

use super::{check_value, contains_nul, insert_sql, is_inet, is_timestamp, list_sql, quote, Column, Cursor};

fn column(name: &str, type_name: &str) -> Column {
    Column {
        name: name.into(),
        sql_type: type_name.into(),
        type_name: type_name.into(),
        is_array: false,
        enum_labels: None,
        not_null: false,
        has_default: false,
        generated: false,
        max_length: None,
        insertable: true,
        updatable: true,
    }
}

fn refusal(column: &Column, value: serde_json::Value) -> String {
    format!("{:?}", check_value(column, &value).expect_err("refused"))
}

#[test]
fn values_are_checked_against_their_column() {
    assert!(check_value(&column("n", "int4"), &json!(2_147_483_647)).is_ok());
    assert!(refusal(&column("n", "int4"), json!(2_147_483_648_i64)).contains("must be a valid int4"));
    assert!(refusal(&column("n", "int2"), json!(40_000)).contains("must be a valid int2"));
    assert!(check_value(&column("id", "uuid"), &json!(Uuid::nil().to_string())).is_ok());
    assert!(refusal(&column("id", "uuid"), json!("not-a-uuid")).contains("must be a valid uuid"));
    assert!(check_value(&column("d", "date"), &json!("2026-02-28")).is_ok());
    assert!(refusal(&column("d", "date"), json!("2026-02-30")).contains("must be a valid date"));
    assert!(refusal(&column("b", "bool"), json!("true")).contains("must be a valid bool"));
    assert!(check_value(&column("x", "text"), &json!(null)).is_ok());
    let required = Column { not_null: true, ..column("x", "text") };
    assert!(refusal(&required, json!(null)).contains("must not be null"));
}

#[test]
fn vocabularies_lengths_arrays_and_nul_are_refused_with_the_field() {
    let status = Column { enum_labels: Some(vec!["draft".into(), "done".into()]), ..column("status", "work_status") };
    assert!(check_value(&status, &json!("done")).is_ok());
    assert!(refusal(&status, json!("lost")).contains("must be one of: draft, done"));
    let short = Column { max_length: Some(3), ..column("code", "varchar") };
    assert!(check_value(&short, &json!("abc")).is_ok());
    assert!(check_value(&short, &json!("äöü")).is_ok(), "characters, not bytes");
    assert!(refusal(&short, json!("abcd")).contains("at most 3 characters"));
    let tags = Column { is_array: true, ..column("tags", "text") };
    assert!(check_value(&tags, &json!(["a", "b"])).is_ok());
    assert!(refusal(&tags, json!("a")).contains("must be an array"));
    assert!(refusal(&tags, json!(["a", null])).contains("must not be null"), "elements are never null");
    assert!(refusal(&column("x", "text"), json!("a\u{0}b")).contains("NUL"));
    assert!(refusal(&column("doc", "jsonb"), json!({ "k\u{0}": 1 })).contains("must be a valid jsonb"));
    assert!(contains_nul(&json!([{ "a": ["\u{0}"] }])));
    assert!(!contains_nul(&json!({ "a": [1, "b"] })));
}

#[test]
fn times_and_addresses_take_what_postgresql_takes() {
    assert!(is_timestamp("2026-01-01T00:00:00+15:59"));
    assert!(!is_timestamp("2026-01-01T00:00:00+16:00"), "PostgreSQL refuses offsets from 16 hours");
    assert!(!is_timestamp("2026-01-01 00:00"));
    assert!(is_inet("10.0.0.0/8") && is_inet("::1") && is_inet("2001:db8::/128"));
    assert!(!is_inet("10.0.0.0/33") && !is_inet("::/129") && !is_inet("host.example"));
}

#[test]
fn a_cursor_round_trips_and_belongs_to_its_sort() {
    let cursor = Cursor {
        sort: "created_at".into(),
        descending: false,
        value: "2026-01-01 00:00:00+00".into(),
        id: Uuid::from_u128(7),
    };
    let text = cursor.encode();
    assert!(text.bytes().all(|b| b.is_ascii_hexdigit()), "safe in a URL as is: {text}");
    let Ok(back) = Cursor::decode(&text, "created_at", false) else { panic!("its own sort refused") };
    assert_eq!((back.value.as_str(), back.id), ("2026-01-01 00:00:00+00", Uuid::from_u128(7)));
    assert!(Cursor::decode(&text, "name", false).is_err(), "another sort's cursor");
    assert!(Cursor::decode(&text, "created_at", true).is_err(), "the other direction's cursor");
    assert!(Cursor::decode("zz", "created_at", false).is_err());
    assert!(Cursor::decode(&hex::encode("{\"sort\":\"created_at\"}"), "created_at", false).is_err());
}

#[test]
fn identifiers_are_quoted_and_values_never_enter_the_text() {
    assert_eq!(quote("name"), "\"name\"");
    assert_eq!(quote("a\"b"), "\"a\"\"b\"", "an inner quote is doubled");
    let sql = list_sql("work.tasks", "created_at", true, " AND t.\"status\" = $3::text::text", 4);
    assert_eq!(
        sql,
        "SELECT to_jsonb(t) - $2::text[], t.\"created_at\"::text, t.id FROM work.tasks t WHERE t.tenant_id = $1 \
         AND t.\"status\" = $3::text::text ORDER BY t.\"created_at\" DESC, t.id DESC LIMIT $4"
    );
    let insert = insert_sql("work.tasks", &["title".into(), "weird\"name".into()]);
    assert!(insert.contains("(tenant_id, \"title\", \"weird\"\"name\")"), "{insert}");
    assert!(insert.contains("SELECT $1, p.\"title\", p.\"weird\"\"name\" FROM jsonb_populate_record"), "{insert}");
}
