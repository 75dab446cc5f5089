//! The OpenAPI 3 description, generated from the code: utoipa describes the
//! hand-written endpoints; the generic resources are described from the same
//! catalog metadata that drives their validation, so the document says what the
//! server does. tests/it/api_openapi.rs fails when the committed copy drifts.

use serde_json::{json, Map, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::resources::{row_schema, Resources, MAX_LIMIT};
use super::{account, actions, invitations, tenants};

#[derive(OpenApi)]
#[openapi(
    info(title = "tenantbase", description = "The multi-tenant data layer: every tenant's data behind forced Row-Level Security."),
    paths(
        account::signup, account::login, account::logout, account::me,
        tenants::create_tenant, tenants::my_tenants, tenants::get_tenant, tenants::patch_tenant,
        tenants::list_members, tenants::change_member, tenants::remove_member,
        invitations::invite, invitations::list_invitations, invitations::revoke_invitation, invitations::accept_invitation,
        tenants::grant_permission, tenants::assign_role, tenants::permissions,
        tenants::list_api_keys, tenants::create_api_key, tenants::revoke_api_key,
        actions::complete_ai_task, actions::fail_ai_task,
        actions::publish_content, actions::respond_to_approval,
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
    let problem = |description: &str| json!({ "description": description, "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } });
    let tenant =
        json!({ "name": "tenant", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });
    let security = json!([{ "bearer": [] }]);
    for (name, resource) in resources.0.iter() {
        let row = format!("#/components/schemas/{name}");
        let write = format!("#/components/schemas/{name}_write");
        doc["components"]["schemas"][name.to_string()] = row_schema(resource, false);
        doc["components"]["schemas"][format!("{name}_write")] = row_schema(resource, true);
        let mut list_params = vec![tenant.clone()];
        list_params.push(json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50 } }));
        list_params.push(json!({ "name": "cursor", "in": "query", "schema": { "type": "string" } }));
        let mut sorts: Vec<String> = vec!["id".into()];
        sorts.extend(resource.sorts.iter().flat_map(|s| [s.clone(), format!("-{s}")]));
        list_params.push(json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": sorts } }));
        if resource.def.search.is_some() {
            list_params.push(json!({ "name": "q", "in": "query", "description": "full-text search", "schema": { "type": "string" } }));
        }
        for filter in &resource.filters {
            list_params.push(json!({ "name": filter, "in": "query", "description": "equality filter", "schema": { "type": "string" } }));
        }
        let page = json!({ "type": "object", "properties": {
            "items": { "type": "array", "items": { "$ref": row } },
            "next_cursor": { "type": "string", "nullable": true } } });
        let ok =
            |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
        let body = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": write } } } });
        let patch_body =
            json!({ "required": true, "content": { "application/json": { "schema": { "$ref": write } } } });
        let mut errors = Map::new();
        for (status, text) in [
            ("400", "Bad request"),
            ("401", "Authentication required"),
            ("403", "Forbidden"),
            ("404", "Not found"),
            ("422", "Invalid value"),
            ("503", "Unavailable"),
        ] {
            errors.insert(status.into(), problem(text));
        }
        let with = |mut responses: Map<String, Value>| {
            responses.extend(errors.clone());
            Value::Object(responses)
        };
        let tag = json!([name]);
        doc["paths"][format!("/v1/tenants/{{tenant}}/{name}")] = json!({
            "get": { "tags": tag, "summary": format!("List {name}"), "parameters": list_params, "security": security,
                     "responses": with(Map::from_iter([("200".into(), ok(page))])) },
            "post": { "tags": tag, "summary": format!("Create a {name} row"), "parameters": [tenant], "security": security, "requestBody": body,
                      "responses": with(Map::from_iter([("201".into(), ok(json!({ "$ref": row }))), ("409".into(), problem("Conflict"))])) },
        });
        doc["paths"][format!("/v1/tenants/{{tenant}}/{name}/{{id}}")] = json!({
            "get": { "tags": tag, "summary": format!("Get a {name} row"), "parameters": [tenant, id], "security": security,
                     "responses": with(Map::from_iter([("200".into(), ok(json!({ "$ref": row })))])) },
            "patch": { "tags": tag, "summary": format!("Change a {name} row"), "parameters": [tenant, id], "security": security, "requestBody": patch_body,
                       "responses": with(Map::from_iter([("200".into(), ok(json!({ "$ref": row }))), ("409".into(), problem("Conflict"))])) },
            "delete": { "tags": tag, "summary": format!("Delete a {name} row"), "parameters": [tenant, id], "security": security,
                        "responses": with(Map::from_iter([("204".into(), json!({ "description": "Deleted" }))])) },
        });
    }
    super::lifecycle::describe(&mut doc);
    super::idempotency::describe(&mut doc);
    doc
}
