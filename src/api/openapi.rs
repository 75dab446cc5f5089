//! The OpenAPI 3 description, generated from the code: utoipa describes the
//! hand-written endpoints; the generic resources are described from the same
//! catalog metadata that drives their validation, so the document says what the
//! server does. tests/it/api_openapi.rs fails when the committed copy drifts.

use serde_json::{json, Map, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::page::{DEFAULT_LIMIT, MAX_LIMIT};
use super::resources::{row_schema, Resources, Write};
use super::{account, actions, audit, embeddings, invitations, tenants};

#[derive(OpenApi)]
#[openapi(
    info(title = "tenantbase", description = "The multi-tenant data layer: every tenant's data behind forced Row-Level Security."),
    paths(
        account::signup, account::login, account::logout, account::me,
        tenants::create_tenant, tenants::my_tenants, tenants::get_tenant, tenants::patch_tenant,
        tenants::delete_tenant, tenants::restore_tenant,
        tenants::list_members, tenants::change_member, tenants::remove_member,
        invitations::invite, invitations::list_invitations, invitations::revoke_invitation, invitations::accept_invitation,
        tenants::grant_permission, tenants::assign_role, tenants::permissions,
        tenants::list_api_keys, tenants::create_api_key, tenants::revoke_api_key,
        actions::complete_ai_task, actions::fail_ai_task,
        actions::publish_content, actions::respond_to_approval,
        audit::list_entries,
        embeddings::put_embedding, embeddings::similar,
    ),
    components(schemas(super::error::Problem)),
    modifiers(&BearerAuth),
)]
struct Described;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document as JSON.
pub fn document(resources: &Resources) -> Value {
    let mut doc = serde_json::to_value(Described::openapi()).expect("the OpenAPI document serializes");
    doc["info"]["version"] = json!(env!("CARGO_PKG_VERSION"));
    let tenant = json!({ "name": "tenant", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });
    let if_match = json!({ "name": "If-Match", "in": "header", "required": false, "schema": { "type": "string" },
        "description": "The ETag of the version read: the write happens only if the row is still that version (else 412). `*`: any." });
    let security = json!([{ "bearer": [] }]);
    let etag = json!({ "ETag": { "description": "The row's version", "schema": { "type": "string" } } });
    for (name, resource) in resources.0.iter() {
        let row = format!("#/components/schemas/{name}");
        doc["components"]["schemas"][name.to_string()] = row_schema(resource, None);
        let mut list_params = vec![tenant.clone()];
        list_params.push(json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT } }));
        list_params.push(json!({ "name": "cursor", "in": "query", "description": "the next_cursor of the previous page, with the same sort", "schema": { "type": "string" } }));
        let mut sorts: Vec<String> = vec!["id".into(), "-id".into()];
        sorts.extend(resource.sorts.iter().flat_map(|s| [s.clone(), format!("-{s}")]));
        list_params.push(json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": sorts } }));
        if resource.def.search.is_some() {
            list_params.push(json!({ "name": "q", "in": "query", "description": "full-text search", "schema": { "type": "string" } }));
        }
        for filter in resource.filters.iter().filter_map(|f| resource.column(f)) {
            let mut schema = row_schema_of(resource, &filter.name);
            if let Some(object) = schema.as_object_mut() {
                object.remove("maxLength");
            }
            list_params.push(
                json!({ "name": filter.name, "in": "query", "description": "equality filter", "schema": schema }),
            );
        }
        let ok = |schema: Value, headers: &Value| json!({ "description": "OK", "headers": headers, "content": { "application/json": { "schema": schema } } });
        let body = |schema: String| json!({ "required": true, "content": { "application/json": { "schema": { "$ref": schema } } } });
        let tag = json!([name]);
        let mut collection = Map::new();
        collection.insert(
            "get".into(),
            json!({ "tags": tag, "operationId": format!("list-{name}"), "summary": format!("List {name}"),
            "parameters": list_params, "security": security,
            "responses": { "200": ok(page_schema(&row), &json!({})) } }),
        );
        if resource.allows(Write::Create) {
            doc["components"]["schemas"][format!("{name}_create")] = row_schema(resource, Some(Write::Create));
            let mut created = ok(json!({ "$ref": row }), &etag);
            created["description"] = json!("Created");
            created["headers"]["Location"] = json!({ "description": "The new row", "schema": { "type": "string" } });
            collection.insert("post".into(), json!({ "tags": tag, "operationId": format!("create-{name}"), "summary": format!("Create a {name} row"),
                "parameters": [tenant], "security": security, "requestBody": body(format!("#/components/schemas/{name}_create")),
                "responses": { "201": created, "409": problem("Conflict") } }));
        }
        doc["paths"][format!("/v1/tenants/{{tenant}}/{name}")] = Value::Object(collection);
        let mut item = Map::new();
        item.insert(
            "get".into(),
            json!({ "tags": tag, "operationId": format!("get-{name}"), "summary": format!("Get a {name} row"),
            "parameters": [tenant, id], "security": security,
            "responses": { "200": ok(json!({ "$ref": row }), &etag) } }),
        );
        if resource.allows(Write::Change) {
            doc["components"]["schemas"][format!("{name}_patch")] = row_schema(resource, Some(Write::Change));
            item.insert("patch".into(), json!({ "tags": tag, "operationId": format!("change-{name}"), "summary": format!("Change a {name} row"),
                "parameters": [tenant, id, if_match], "security": security, "requestBody": body(format!("#/components/schemas/{name}_patch")),
                "responses": { "200": ok(json!({ "$ref": row }), &etag), "409": problem("Conflict"), "412": problem("The row changed since the version named in If-Match") } }));
        }
        if resource.deletable {
            item.insert("delete".into(), json!({ "tags": tag, "operationId": format!("delete-{name}"), "summary": format!("Delete a {name} row"),
                "parameters": [tenant, id, if_match], "security": security,
                "responses": { "204": { "description": "Deleted" }, "409": problem("Other rows refer to this one"), "412": problem("The row changed since the version named in If-Match") } }));
        }
        doc["paths"][format!("/v1/tenants/{{tenant}}/{name}/{{id}}")] = Value::Object(item);
    }
    super::lifecycle::describe(&mut doc);
    super::idempotency::describe(&mut doc);
    complete(&mut doc);
    doc
}

/// The schema of one column, as in its row.
fn row_schema_of(resource: &super::resources::Resource, column: &str) -> Value {
    row_schema(resource, None)["properties"][column].clone()
}

/// The list envelope of items of `item` (a schema reference).
pub fn page_schema(item: &str) -> Value {
    json!({ "type": "object", "required": ["items", "next_cursor"], "properties": {
        "items": { "type": "array", "items": { "$ref": item } },
        "next_cursor": { "type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last page." } } })
}

fn problem(description: &str) -> Value {
    json!({ "description": description, "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

/// What every operation may answer besides its own statuses, added where an
/// operation does not say it: the document lists every status and content type
/// the server sends (the seeded fuzz run checks it).
fn complete(doc: &mut Value) {
    let retry_after =
        json!({ "Retry-After": { "description": "Seconds to wait before retrying", "schema": { "type": "integer" } } });
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for (template, operations) in paths.iter_mut() {
        let Some(operations) = operations.as_object_mut() else { continue };
        for operation in operations.values_mut() {
            let secured = operation.get("security").is_some_and(|s| s.as_array().is_some_and(|s| !s.is_empty()));
            let has_body = operation.get("requestBody").is_some();
            let has_params = template.contains('{')
                || operation["parameters"].as_array().is_some_and(|p| p.iter().any(|p| p["in"] == "query"));
            // Path parameters: a tenant is named by its id or its slug.
            if let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) {
                for parameter in parameters.iter_mut().filter(|p| p["name"] == "tenant" && p["in"] == "path") {
                    parameter["schema"] = json!({ "type": "string" });
                    parameter["description"] = json!("The tenant's id or slug.");
                }
            }
            let responses = operation["responses"].as_object_mut().expect("an operation has responses");
            for response in responses.values_mut() {
                // Errors are sent as application/problem+json, whatever utoipa assumed.
                let content = response.get_mut("content").and_then(Value::as_object_mut);
                if let Some(content) = content {
                    if let Some(schema) = content.get("application/json").map(|c| c["schema"].clone()) {
                        if schema["$ref"] == "#/components/schemas/Problem" {
                            content.remove("application/json");
                            content.insert("application/problem+json".into(), json!({ "schema": schema }));
                        }
                    }
                }
            }
            let mut add = |status: &str, description: &str| {
                responses.entry(status.to_string()).or_insert_with(|| problem(description));
            };
            add("500", "Internal error");
            add("503", "Unavailable: the database or the server is busy");
            if has_body || has_params {
                add("400", "Bad request");
                add("422", "Invalid value: the problem's `field` names it");
            }
            if has_body {
                add("408", "The body did not arrive in time");
                add("413", "The body is larger than the server accepts");
            }
            if secured {
                add("401", "Authentication required");
                add("403", "Forbidden");
            }
            if template.contains('{') {
                add("404", "Not found");
            }
            // Every path that acts in a tenant (its restore acts outside it).
            if template.contains("{tenant}") && !template.ends_with("/restore") {
                add("410", "The tenant moved to another database: `Location` names where it is served now");
            }
            for (status, response) in responses.iter_mut() {
                if status == "503" || status == "429" {
                    response["headers"] = retry_after.clone();
                }
            }
        }
    }
}
