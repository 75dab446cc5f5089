//! Lifecycle actions: one named action per documented transition of a column
//! that carries a state (orders, AI tasks, content, approval requests). Each is
//! data here and one UPDATE at run time; whether the transition is legal is the
//! database's answer (`tenancy.refuse_illegal_transition`), the same for PATCH,
//! actions and raw SQL. The columns these actions set are not PATCHable.
//! Actions that carry more than a state (complete, fail, publish, respond) live
//! in [`super::actions`].

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

use super::actions::one_change;
use super::auth::InTenant;
use super::error::ApiResult;
use super::resources::parse_id;
use super::{ApiPath, AppState};

/// A named transition: `sets` each column to its state; the first column is
/// the one the action is about, and it must change.
pub struct Transition {
    pub resource: &'static str,
    pub action: &'static str,
    pub table: &'static str,
    pub sets: &'static [(&'static str, &'static str)],
    /// Only from these states of the first column (empty: wherever its lifecycle allows).
    pub from: &'static [&'static str],
    /// Further assignments the transition makes (fixed SQL: dates it stamps).
    pub also: &'static str,
    pub summary: &'static str,
}

const fn t(
    resource: &'static str,
    action: &'static str,
    table: &'static str,
    sets: &'static [(&'static str, &'static str)],
    summary: &'static str,
) -> Transition {
    Transition { resource, action, table, sets, from: &[], also: "", summary }
}

pub const TRANSITIONS: &[Transition] = &[
    t("orders", "confirm", "commerce.orders", &[("status", "confirmed")], "Confirms a pending order."),
    t(
        "orders",
        "process",
        "commerce.orders",
        &[("status", "processing"), ("fulfillment_status", "processing")],
        "Starts fulfilling an order.",
    ),
    Transition {
        also: ", shipped_date = coalesce(shipped_date, now())",
        ..t(
            "orders",
            "ship",
            "commerce.orders",
            &[("status", "shipped"), ("fulfillment_status", "shipped")],
            "Ships an order.",
        )
    },
    Transition {
        also: ", delivered_date = coalesce(delivered_date, now())",
        ..t(
            "orders",
            "deliver",
            "commerce.orders",
            &[("status", "delivered"), ("fulfillment_status", "delivered")],
            "Records an order's delivery.",
        )
    },
    t(
        "orders",
        "cancel",
        "commerce.orders",
        &[("status", "cancelled"), ("fulfillment_status", "cancelled")],
        "Cancels an order: it leaves its customer's metrics.",
    ),
    t(
        "orders",
        "refund",
        "commerce.orders",
        &[("status", "refunded"), ("payment_status", "refunded")],
        "Refunds a paid order, once: it leaves its customer's metrics.",
    ),
    t("orders", "pay", "commerce.orders", &[("payment_status", "paid")], "Records an order's payment in full."),
    t(
        "orders",
        "void-payment",
        "commerce.orders",
        &[("payment_status", "voided")],
        "Voids an order's payment before it is paid in full.",
    ),
    t("ai-tasks", "queue", "agents.tasks", &[("status", "queued")], "Queues a task."),
    Transition {
        also: ", started_at = coalesce(started_at, now())",
        ..t("ai-tasks", "start", "agents.tasks", &[("status", "processing")], "Starts processing a task.")
    },
    t("ai-tasks", "escalate", "agents.tasks", &[("status", "escalated")], "Escalates a task to a human."),
    t("ai-tasks", "cancel", "agents.tasks", &[("status", "cancelled")], "Cancels a task that has not completed."),
    Transition {
        from: &["failed"],
        also: ", error_details = NULL",
        ..t("ai-tasks", "retry", "agents.tasks", &[("status", "pending")], "Retries a failed task: pending again.")
    },
    Transition {
        from: &["cancelled"],
        ..t("ai-tasks", "reopen", "agents.tasks", &[("status", "pending")], "Reopens a cancelled task: pending again.")
    },
    t("content", "start", "content.content_projects", &[("status", "in_progress")], "Starts work on content."),
    t("content", "submit", "content.content_projects", &[("status", "review")], "Submits content for review."),
    t("content", "approve", "content.content_projects", &[("status", "approved")], "Approves reviewed content."),
    t(
        "content",
        "redraft",
        "content.content_projects",
        &[("status", "draft")],
        "Takes content back to draft (also restores archived content).",
    ),
    t("content", "archive", "content.content_projects", &[("status", "archived")], "Archives content."),
    t(
        "approval-requests",
        "cancel",
        "work.approval_requests",
        &[("status", "cancelled")],
        "Cancels an undecided approval request.",
    ),
    t(
        "approval-requests",
        "expire",
        "work.approval_requests",
        &[("status", "expired")],
        "Marks an undecided approval request expired.",
    ),
];

/// The columns of a resource that only its actions change (they are still set
/// at creation: a row arrives in the state its source had).
pub fn action_owned(resource: &str) -> Vec<&'static str> {
    let mut owned: Vec<&'static str> = TRANSITIONS
        .iter()
        .filter(|t| t.resource == resource)
        .flat_map(|t| t.sets.iter().map(|(column, _)| *column))
        .collect();
    // Set by actions of their own (complete, fail, publish).
    if matches!(resource, "ai-tasks" | "content") {
        owned.push("status");
    }
    owned.sort_unstable();
    owned.dedup();
    owned
}

/// The UPDATE of a transition: `$1` tenant, `$2` id, then one state per column
/// of `sets`, then the allowed prior states when `from` is given.
pub fn transition_sql(t: &Transition) -> String {
    let quote = |c: &str| format!("\"{}\"", c.replace('"', "\"\""));
    let sets: Vec<String> =
        t.sets.iter().enumerate().map(|(i, (column, _))| format!("{} = ${}", quote(column), i + 3)).collect();
    let first = quote(t.sets[0].0);
    let from =
        if t.from.is_empty() { String::new() } else { format!(" AND t.{first} = ANY (${}::text[])", t.sets.len() + 3) };
    format!(
        "UPDATE {table} t SET {sets}{also}
         WHERE t.tenant_id = $1 AND t.id = $2 AND t.{first} IS DISTINCT FROM $3{from}
         RETURNING to_jsonb(t)",
        table = t.table,
        sets = sets.join(", "),
        also = t.also,
    )
}

async fn run(state: AppState, tenant: InTenant, id: String, transition: &'static Transition) -> ApiResult<Json<Value>> {
    let id: Uuid = parse_id(&id)?;
    let states: Vec<String> = transition.sets.iter().map(|(_, s)| s.to_string()).collect();
    let from: Vec<String> = transition.from.iter().map(|s| s.to_string()).collect();
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        states.iter().map(|s| s as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
    if !transition.from.is_empty() {
        params.push(&from);
    }
    one_change(&state, &tenant, transition.table, id, &transition_sql(transition), &params).await
}

/// One POST route per transition.
pub fn routes() -> Router<AppState> {
    TRANSITIONS.iter().fold(Router::new(), |router, transition| {
        router.route(
            &format!("/tenants/{{tenant}}/{}/{{id}}/{}", transition.resource, transition.action),
            post(
                move |State(state): State<AppState>, tenant: InTenant, ApiPath((_, id)): ApiPath<(String, String)>| {
                    run(state, tenant, id, transition)
                },
            ),
        )
    })
}

/// The transitions' paths in the OpenAPI document.
pub fn describe(doc: &mut Value) {
    let problem = |description: &str| json!({ "description": description, "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } });
    let uuid = |name: &str| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });
    for transition in TRANSITIONS {
        let sets: Vec<String> = transition.sets.iter().map(|(c, s)| format!("{c} = {s}")).collect();
        let from = if transition.from.is_empty() {
            String::new()
        } else {
            format!(" Only from {} {}.", transition.sets[0].0, transition.from.join(", "))
        };
        doc["paths"][format!("/v1/tenants/{{tenant}}/{}/{{id}}/{}", transition.resource, transition.action)] = json!({
            "post": {
                "tags": ["actions"],
                "summary": transition.summary,
                "description": format!("Sets {}; 409 when the row's state does not allow it.{from}", sets.join(", ")),
                "parameters": [uuid("tenant"), uuid("id")],
                "security": [{ "bearer": [] }],
                "responses": {
                    "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{}", transition.resource) } } } },
                    "403": problem("Forbidden"),
                    "404": problem("Not found"),
                    "409": problem("Conflict"),
                    "422": problem("Invalid value"),
                }
            }
        });
    }
}
