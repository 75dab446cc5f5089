//! Tenants and who belongs to them: create and list tenants, the profile,
//! members and their roles, custom roles' permissions, and API keys. Each handler
//! is one tenant transaction; the policies decide who may change what.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio_postgres::error::SqlState;
use utoipa::ToSchema;
use uuid::Uuid;

use super::account::MembershipOut;
use super::auth::{new_api_key, Caller, InTenant, Principal, Scope};
use super::error::{ApiError, ApiResult, Problem};
use super::page::{created, Created, Page, PageQuery};
use super::versions::{refusal, IfMatch, Versioned};
use super::{ApiJson, ApiPath, ApiQuery, AppState};
use crate::db::{DbError, TenantCtx, TenantTx};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    pub name: String,
    /// Lowercase letters, digits and dashes.
    pub slug: String,
}

#[utoipa::path(post, path = "/v1/tenants", tag = "tenants", request_body = NewTenant, security(("bearer" = [])),
    responses((status = 201, body = MembershipOut), (status = 403, body = Problem, description = "an API key creates no tenant"),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewTenant>,
) -> ApiResult<Created<Json<MembershipOut>>> {
    if matches!(caller.principal, Principal::ApiKey { .. }) {
        return Err(ApiError::Forbidden("an API key acts only inside its own tenant"));
    }
    if body.name.trim().is_empty() || body.name.len() > 255 {
        return Err(ApiError::validation("name", "needs 1 to 255 characters"));
    }
    let ctx = TenantCtx::for_user(caller.principal.user_id()).with_meta(caller.meta);
    let mut tx = state.db.tenant_tx(&ctx).await?;
    let id: Uuid = tx
        .query_one("SELECT platform.create_my_tenant($1, $2::text::citext)", &[&body.name.trim(), &body.slug])
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Validation { .. } => ApiError::validation("slug", "needs lowercase letters, digits and dashes"),
            ApiError::Conflict(_) => ApiError::Conflict("this slug is taken".into()),
            other => other,
        })?
        .get(0);
    tx.commit().await?;
    let tenant = MembershipOut { id, name: body.name.trim().to_string(), slug: body.slug, role: "owner".into() };
    Ok(created(format!("/v1/tenants/{id}"), Json(tenant)))
}

#[utoipa::path(get, path = "/v1/tenants", tag = "tenants", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<MembershipOut>), (status = 401, body = Problem)))]
pub async fn my_tenants(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<MembershipOut>>> {
    let (limit, (after_slug, after_id)) = (page.limit()?, page.after("slug", false)?);
    let only = caller_only_tenant(&caller);
    let ctx = TenantCtx::for_user(caller.principal.user_id()).with_meta(caller.meta.clone());
    let rows = state
        .db
        .tenant_query(
            &ctx,
            "SELECT tenant_id, name, slug::text, role::text FROM platform.my_tenants()
             WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR (slug::text, tenant_id) > ($2, $3))
             ORDER BY slug::text, tenant_id LIMIT $4",
            &[&only, &after_slug, &after_id, &(limit + 1)],
        )
        .await?;
    let tenants = rows.iter().map(membership).collect();
    Ok(Json(Page::of(tenants, limit, "slug", false, |t: &MembershipOut| (t.slug.clone(), t.id))))
}

/// An API key acts in its own tenant only; a session in all of its user's.
fn caller_only_tenant(caller: &Caller) -> Option<Uuid> {
    match &caller.principal {
        Principal::ApiKey { tenant_id, .. } => Some(*tenant_id),
        Principal::Session { .. } => None,
    }
}

fn membership(r: &tokio_postgres::Row) -> MembershipOut {
    MembershipOut { id: r.get(0), name: r.get(1), slug: r.get(2), role: r.get(3) }
}

/// The tenants the caller may act in: a session's user's, or an API key's own one.
pub async fn caller_tenants(tx: &mut crate::db::TenantTx, caller: &Caller) -> ApiResult<Vec<MembershipOut>> {
    let only = caller_only_tenant(caller);
    let rows = tx
        .query(
            "SELECT tenant_id, name, slug::text, role::text FROM platform.my_tenants()
             WHERE $1::uuid IS NULL OR tenant_id = $1",
            &[&only],
        )
        .await?;
    Ok(rows.iter().map(membership).collect())
}

/// The tenant profile as JSON; bookkeeping columns stay inside.
const TENANT_JSON: &str = "to_jsonb(t) - 'deleted_at' - 'erase_after' - 'created_by'";

#[utoipa::path(get, path = "/v1/tenants/{tenant}", tag = "tenants", security(("bearer" = [])),
    params(("tenant" = Uuid, Path)), responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn get_tenant(State(state): State<AppState>, t: InTenant) -> ApiResult<Versioned> {
    let rows = state
        .db
        .tenant_query(
            &t.ctx,
            &format!("SELECT {TENANT_JSON} FROM tenancy.tenants t WHERE id = $1"),
            &[&t.ctx.tenant_id],
        )
        .await?;
    rows.first().map(|r| Versioned(r.get(0))).ok_or(ApiError::NotFound)
}

/// The profile fields a tenant's admins may change (credits belong to business rules).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub website_url: Option<String>,
    pub domain: Option<String>,
    pub timezone: Option<String>,
    pub currency: Option<String>,
    pub branding_config: Option<Value>,
    pub settings: Option<Value>,
    pub ai_preferences: Option<Value>,
    pub billing_email: Option<String>,
    pub billing_address: Option<Value>,
}

#[utoipa::path(patch, path = "/v1/tenants/{tenant}", tag = "tenants", request_body = TenantPatch, security(("bearer" = [])),
    params(("tenant" = Uuid, Path)), responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_tenant(
    State(state): State<AppState>,
    t: InTenant,
    if_match: IfMatch,
    ApiJson(patch): ApiJson<Value>,
) -> ApiResult<Versioned> {
    t.require(Scope::Admin)?;
    // The typed form validates names and types; the JSON form says which fields were sent.
    serde_json::from_value::<TenantPatch>(patch.clone())
        .map_err(|e| ApiError::Validation { field: None, message: e.to_string() })?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let sql = format!(
        "UPDATE tenancy.tenants t SET (name, description, website_url, domain, timezone, currency, branding_config, settings,
             ai_preferences, billing_email, billing_address) =
           (SELECT p.name, p.description, p.website_url, p.domain, p.timezone, p.currency, p.branding_config, p.settings,
                   p.ai_preferences, p.billing_email, p.billing_address
            FROM jsonb_populate_record(t, $2::jsonb) p)
         WHERE id = $1 AND ($3::int8[] IS NULL OR row_version = ANY ($3)) RETURNING {TENANT_JSON}"
    );
    let row = tx.query_opt(&sql, &[&t.ctx.tenant_id, &patch, &if_match.0]).await?;
    let Some(row) = row else {
        return Err(refusal(&mut tx, "tenancy.tenants", "id", t.ctx.tenant_id, &if_match).await);
    };
    tx.commit().await?;
    Ok(Versioned(row.get(0)))
}

/// An owner's confirmation of a tenant's deletion.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteTenant {
    /// The tenant's slug, repeated.
    pub confirm: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeletedTenant {
    pub id: Uuid,
    /// Until then an owner restores it with `POST /v1/tenants/{tenant}/restore`; after, it is erased.
    pub restorable_until: DateTime<Utc>,
}

#[utoipa::path(delete, path = "/v1/tenants/{tenant}", tag = "tenants", request_body = DeleteTenant,
    security(("bearer" = [])), params(("tenant" = Uuid, Path)),
    responses((status = 200, body = DeletedTenant), (status = 403, body = Problem, description = "only an owner deletes a tenant"),
        (status = 404, body = Problem), (status = 422, body = Problem, description = "the confirmation is not the slug")))]
pub async fn delete_tenant(
    State(state): State<AppState>,
    t: InTenant,
    ApiJson(body): ApiJson<DeleteTenant>,
) -> ApiResult<Json<DeletedTenant>> {
    if !matches!(t.caller.principal, Principal::Session { .. }) {
        return Err(ApiError::Forbidden("only an owner's session deletes a tenant"));
    }
    let now = state.db.clock().now();
    let window = state.deletion_window.num_seconds() as f64;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let until: DateTime<Utc> = tx
        .query_one(
            "SELECT platform.delete_my_tenant($1::text::citext, $2, make_interval(secs => $3))",
            &[&body.confirm, &now, &window],
        )
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Validation { .. } => ApiError::validation("confirm", "must repeat the tenant's slug"),
            ApiError::Forbidden(_) => ApiError::Forbidden("only an owner deletes a tenant"),
            other => other,
        })?
        .get(0);
    tx.commit().await?;
    state.auth.forget_membership(t.ctx.tenant_id, t.user_id()).await;
    Ok(Json(DeletedTenant { id: t.ctx.tenant_id, restorable_until: until }))
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/restore", tag = "tenants", security(("bearer" = [])),
    params(("tenant" = Uuid, Path)),
    responses((status = 200, body = MembershipOut), (status = 404, body = Problem,
        description = "not a deleted tenant of which the caller is an owner, or its erasure has begun")))]
pub async fn restore_tenant(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(tenant): ApiPath<Uuid>,
) -> ApiResult<Json<MembershipOut>> {
    match &caller.principal {
        Principal::Session { .. } => {}
        // A key of another tenant learns nothing of this one, not even that it exists.
        Principal::ApiKey { tenant_id, .. } if *tenant_id != tenant => return Err(ApiError::NotFound),
        Principal::ApiKey { .. } => return Err(ApiError::Forbidden("only an owner's session restores a tenant")),
    }
    let user = caller.principal.user_id();
    let restored =
        state.accounts.call("SELECT platform.restore_my_tenant($1, $2)", &[&tenant, &user]).await.map_err(|e| {
            // Erased, or its erasure began: for the caller it is gone like a tenant that never was.
            let gone = [SqlState::NO_DATA_FOUND, SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE];
            match &e {
                DbError::Postgres(pg) if pg.code().is_some_and(|code| gone.contains(code)) => ApiError::NotFound,
                _ => ApiError::from(e),
            }
        })?;
    if !restored.first().is_some_and(|r| r.get::<_, bool>(0)) {
        return Err(ApiError::NotFound);
    }
    state.auth.forget_membership(tenant, user).await;
    let ctx = TenantCtx::for_user(user).with_meta(caller.meta);
    let rows = state
        .db
        .tenant_query(
            &ctx,
            "SELECT tenant_id, name, slug::text, role::text FROM platform.my_tenants() WHERE tenant_id = $1",
            &[&tenant],
        )
        .await?;
    rows.first().map(|r| Json(membership(r))).ok_or(ApiError::NotFound)
}

/// A write that touched no row: visible means the policy refused it (403),
/// invisible means it does not exist for this tenant (404).
pub async fn denied_or_missing<T>(tx: &mut TenantTx, row: Option<T>, table: &str, key: &str, id: Uuid) -> ApiResult<T> {
    match row {
        Some(row) => Ok(row),
        None => {
            let sql = format!("SELECT 1 FROM {table} {}", super::versions::by_tenant_and(table, key));
            let tenant = tx.tenant_id();
            let visible = tx.query_opt(&sql, &[&tenant, &id]).await?.is_some();
            Err(if visible { ApiError::Forbidden("your role does not allow this") } else { ApiError::NotFound })
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    /// The member's user id.
    pub id: Uuid,
    pub email: String,
    pub full_name: Option<String>,
    pub role: String,
    pub status: String,
    pub custom_roles: Vec<String>,
    /// The membership's version: send it back as `If-Match: "<row_version>"` to change or remove it safely.
    pub row_version: i64,
}

const MEMBER_SELECT: &str = "SELECT m.user_id, u.email::text, u.full_name, m.role::text, m.status::text,
        coalesce(array(SELECT r.name FROM tenancy.user_roles ur JOIN tenancy.roles r ON (r.tenant_id, r.id) = (ur.tenant_id, ur.role_id)
                       WHERE ur.tenant_id = m.tenant_id AND ur.user_id = m.user_id ORDER BY r.name), '{}'),
        m.row_version
    FROM tenancy.memberships m JOIN tenancy.users u ON u.id = m.user_id
    WHERE m.tenant_id = $1";

fn member(r: &tokio_postgres::Row) -> MemberOut {
    MemberOut {
        id: r.get(0),
        email: r.get(1),
        full_name: r.get(2),
        role: r.get(3),
        status: r.get(4),
        custom_roles: r.get(5),
        row_version: r.get(6),
    }
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/members", tag = "members", security(("bearer" = [])),
    params(("tenant" = String, Path), PageQuery), responses((status = 200, body = Page<MemberOut>), (status = 404, body = Problem)))]
pub async fn list_members(
    State(state): State<AppState>,
    t: InTenant,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<MemberOut>>> {
    let (limit, (after_email, after_id)) = (page.limit()?, page.after("email", false)?);
    let rows = state
        .db
        .tenant_query(
            &t.ctx,
            &format!(
                "{MEMBER_SELECT} AND m.status <> 'left' AND ($2::text IS NULL OR (u.email::text, m.user_id) > ($2, $3))
                 ORDER BY u.email::text, m.user_id LIMIT $4"
            ),
            &[&t.ctx.tenant_id, &after_email, &after_id, &(limit + 1)],
        )
        .await?;
    let members = rows.iter().map(member).collect();
    Ok(Json(Page::of(members, limit, "email", false, |m: &MemberOut| (m.email.clone(), m.id))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    pub role: String,
}

#[utoipa::path(patch, path = "/v1/tenants/{tenant}/members/{user_id}", tag = "members", request_body = MemberPatch,
    security(("bearer" = [])), params(("tenant" = Uuid, Path), ("user_id" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "The member's `row_version` as read, quoted: the change happens only if it is still that version (else 412)")),
    responses((status = 200, body = MemberOut, headers(("ETag" = String, description = "The membership's version"))),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem, description = "The membership changed since the version named in If-Match")))]
pub async fn change_member(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, user_id)): ApiPath<(String, Uuid)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<MemberPatch>,
) -> ApiResult<Versioned> {
    t.require(Scope::Admin)?;
    let role = member_role(&body.role)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let changed = tx
        .query_opt(
            "UPDATE tenancy.memberships SET role = $3::text::tenancy.member_role
             WHERE tenant_id = $1 AND user_id = $2 AND ($4::int8[] IS NULL OR row_version = ANY ($4)) RETURNING 1",
            &[&t.ctx.tenant_id, &user_id, &role, &if_match.0],
        )
        .await
        .map_err(owner_rules)?;
    if changed.is_none() {
        return Err(refusal(&mut tx, "tenancy.memberships", "user_id", user_id, &if_match).await);
    }
    let row = tx.query_one(&format!("{MEMBER_SELECT} AND m.user_id = $2"), &[&t.ctx.tenant_id, &user_id]).await?;
    tx.commit().await?;
    state.auth.forget_membership(t.ctx.tenant_id, user_id).await;
    Ok(Versioned(serde_json::to_value(member(&row)).map_err(|e| ApiError::Internal(e.into()))?))
}

#[utoipa::path(delete, path = "/v1/tenants/{tenant}/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("user_id" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "The member's `row_version` as read, quoted: removed only if it is still that version (else 412)")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem, description = "The membership changed since the version named in If-Match")))]
pub async fn remove_member(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, user_id)): ApiPath<(String, Uuid)>,
    if_match: IfMatch,
) -> ApiResult<StatusCode> {
    t.require(Scope::Admin)?;
    // A member who leaves keeps the membership row (status 'left'): the rows that
    // name them stay attributed to a member of the tenant.
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let removed = tx
        .query_opt(
            "UPDATE tenancy.memberships SET status = 'left', left_at = now()
             WHERE tenant_id = $1 AND user_id = $2 AND status <> 'left' AND tenancy.has_permission('members', 'delete')
               AND ($3::int8[] IS NULL OR row_version = ANY ($3))
             RETURNING 1",
            &[&t.ctx.tenant_id, &user_id, &if_match.0],
        )
        .await
        .map_err(owner_rules)?;
    if removed.is_none() {
        let member =
            "SELECT row_version FROM tenancy.memberships WHERE tenant_id = $1 AND user_id = $2 AND status <> 'left'";
        return Err(match tx.query_opt(member, &[&t.ctx.tenant_id, &user_id]).await? {
            None => ApiError::NotFound,
            Some(row) if !if_match.admits(row.get(0)) => IfMatch::stale(row.get(0)),
            Some(_) => ApiError::Forbidden("your role does not allow this"),
        });
    }
    tx.execute("DELETE FROM tenancy.user_roles WHERE tenant_id = $1 AND user_id = $2", &[&t.ctx.tenant_id, &user_id])
        .await?;
    tx.commit().await?;
    state.auth.forget_membership(t.ctx.tenant_id, user_id).await;
    Ok(StatusCode::NO_CONTENT)
}

fn owner_rules(e: crate::db::DbError) -> ApiError {
    match e.constraint() {
        Some("memberships_last_owner") => ApiError::Conflict("a tenant keeps at least one active owner".into()),
        Some("memberships_owner_grant") => ApiError::Forbidden("only an owner can make an owner"),
        Some("memberships_owner_change") => ApiError::Forbidden("only an owner can change or remove an owner"),
        _ => e.into(),
    }
}

pub(super) fn member_role(role: &str) -> ApiResult<&str> {
    match role {
        "owner" | "admin" | "member" | "viewer" => Ok(role),
        _ => Err(ApiError::validation("role", "must be owner, admin, member or viewer")),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionRef {
    pub resource: String,
    pub action: String,
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/roles/{role_id}/permissions", tag = "roles", request_body = PermissionRef,
    security(("bearer" = [])), params(("tenant" = Uuid, Path), ("role_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn grant_permission(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, role_id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<PermissionRef>,
) -> ApiResult<StatusCode> {
    t.require(Scope::Admin)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let permission = tx
        .query_opt(
            "SELECT id FROM tenancy.permissions WHERE resource = $1 AND action = $2",
            &[&body.resource, &body.action],
        )
        .await?
        .ok_or_else(|| ApiError::validation("resource", "no such permission (see GET /v1/permissions)"))?;
    let permission_id: Uuid = permission.get(0);
    role_exists(&mut tx, role_id).await?;
    tx.execute(
        "INSERT INTO tenancy.role_permissions (tenant_id, role_id, permission_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&t.ctx.tenant_id, &role_id, &permission_id],
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/members/{user_id}/roles/{role_id}", tag = "roles",
    security(("bearer" = [])), params(("tenant" = Uuid, Path), ("user_id" = Uuid, Path), ("role_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn assign_role(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, user_id, role_id)): ApiPath<(String, Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    t.require(Scope::Admin)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    role_exists(&mut tx, role_id).await?;
    tx.execute(
        "INSERT INTO tenancy.user_roles (tenant_id, user_id, role_id, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        &[&t.ctx.tenant_id, &user_id, &role_id, &t.user_id()],
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Validation { .. } => ApiError::NotFound,
        other => other,
    })?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn role_exists(tx: &mut TenantTx, role_id: Uuid) -> ApiResult<()> {
    let found = tx
        .query_opt("SELECT 1 FROM tenancy.roles WHERE tenant_id = $1 AND id = $2", &[&tx.tenant_id(), &role_id])
        .await?;
    found.map(|_| ()).ok_or(ApiError::NotFound)
}

#[derive(Serialize, ToSchema)]
pub struct PermissionOut {
    pub id: Uuid,
    pub resource: String,
    pub action: String,
    pub description: Option<String>,
}

#[utoipa::path(get, path = "/v1/permissions", tag = "roles", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<PermissionOut>), (status = 401, body = Problem)))]
pub async fn permissions(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<PermissionOut>>> {
    let (limit, (after_name, after_id)) = (page.limit()?, page.after("name", false)?);
    let ctx = TenantCtx::for_user(caller.principal.user_id());
    let rows = state
        .db
        .tenant_query(
            &ctx,
            "SELECT id, resource, action, description FROM tenancy.permissions
             WHERE $1::text IS NULL OR (resource || ':' || action, id) > ($1, $2)
             ORDER BY resource || ':' || action, id LIMIT $3",
            &[&after_name, &after_id, &(limit + 1)],
        )
        .await?;
    let permissions = rows
        .iter()
        .map(|r| PermissionOut { id: r.get(0), resource: r.get(1), action: r.get(2), description: r.get(3) })
        .collect();
    Ok(Json(Page::of(permissions, limit, "name", false, |p: &PermissionOut| {
        (format!("{}:{}", p.resource, p.action), p.id)
    })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    pub name: String,
    /// Any of read, write, admin (each includes the ones before it).
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyOut {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Only in the answer that creates the key: it is never shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

const KEY_COLUMNS: &str = "id, name, prefix, scopes, created_at, last_used_at, expires_at, revoked_at";

fn api_key(r: &tokio_postgres::Row, token: Option<String>) -> ApiKeyOut {
    ApiKeyOut {
        id: r.get(0),
        name: r.get(1),
        prefix: r.get(2),
        scopes: r.get(3),
        created_at: r.get(4),
        last_used_at: r.get(5),
        expires_at: r.get(6),
        revoked_at: r.get(7),
        token,
    }
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/api-keys", tag = "api keys", security(("bearer" = [])),
    params(("tenant" = String, Path), PageQuery),
    responses((status = 200, body = Page<ApiKeyOut>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    t: InTenant,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ApiKeyOut>>> {
    t.require(Scope::Admin)?;
    let (limit, (after_time, after_id)) = (page.limit()?, page.after("-created_at", true)?);
    let rows = state
        .db
        .tenant_query(
            &t.ctx,
            &format!(
                "SELECT {KEY_COLUMNS} FROM tenancy.api_keys
                 WHERE tenant_id = $1 AND ($2::text IS NULL OR (created_at, id) < ($2::text::timestamptz, $3))
                 ORDER BY created_at DESC, id DESC LIMIT $4"
            ),
            &[&t.ctx.tenant_id, &after_time, &after_id, &(limit + 1)],
        )
        .await?;
    let keys = rows.iter().map(|r| api_key(r, None)).collect();
    Ok(Json(Page::of(keys, limit, "-created_at", true, |k: &ApiKeyOut| {
        (k.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), k.id)
    })))
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/api-keys", tag = "api keys", request_body = NewApiKey, security(("bearer" = [])),
    params(("tenant" = Uuid, Path)), responses((status = 201, body = ApiKeyOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_api_key(
    State(state): State<AppState>,
    t: InTenant,
    ApiJson(body): ApiJson<NewApiKey>,
) -> ApiResult<Created<Json<ApiKeyOut>>> {
    t.require(Scope::Admin)?;
    if body.scopes.is_empty() || body.scopes.iter().any(|s| !matches!(s.as_str(), "read" | "write" | "admin")) {
        return Err(ApiError::validation("scopes", "must be a non-empty list of read, write, admin"));
    }
    let (token, prefix) = new_api_key(t.ctx.tenant_id);
    let hash = Sha256::digest(token.as_bytes()).to_vec();
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO tenancy.api_keys (tenant_id, name, prefix, key_hash, scopes, created_by, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {KEY_COLUMNS}"
            ),
            &[&t.ctx.tenant_id, &body.name, &prefix, &hash, &body.scopes, &t.user_id(), &body.expires_at],
        )
        .await?;
    tx.commit().await?;
    let key = api_key(&row, Some(token));
    Ok(created(format!("/v1/tenants/{}/api-keys/{}", t.ctx.tenant_id, key.id), Json(key)))
}

#[utoipa::path(delete, path = "/v1/tenants/{tenant}/api-keys/{key_id}", tag = "api keys", security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("key_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, key_id)): ApiPath<(String, Uuid)>,
) -> ApiResult<StatusCode> {
    t.require(Scope::Admin)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let revoked = tx
        .query_opt(
            "UPDATE tenancy.api_keys SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $3)
             WHERE tenant_id = $1 AND id = $2 RETURNING key_hash",
            &[&t.ctx.tenant_id, &key_id, &t.user_id()],
        )
        .await?;
    let row = denied_or_missing(&mut tx, revoked, "tenancy.api_keys", "id", key_id).await?;
    tx.commit().await?;
    let hash: Vec<u8> = row.get(0);
    if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
        state.auth.forget_token(&hash).await;
    }
    Ok(StatusCode::NO_CONTENT)
}
