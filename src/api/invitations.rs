//! Invitations: the one way into a tenant. An owner or admin invites an email and
//! receives a one-time token to deliver; whoever holds the token joins by accepting
//! it, with an account of any email. Only the token's SHA-256 is stored.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::account::{email_address, MembershipOut};
use super::auth::{hash_token, new_invitation_token, Caller, InTenant, Principal, Scope};
use super::error::{ApiError, ApiResult, Problem};
use super::page::{created, Created, Page, PageQuery};
use super::tenants::member_role;
use super::{ApiJson, ApiPath, ApiQuery, AppState};
use crate::db::{DbError, TenantCtx};

/// How long an invitation stays open.
pub const INVITATION_TTL: Duration = Duration::days(7);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// Where the token is to be delivered.
    pub email: String,
    /// owner (only an owner invites one), admin, member or viewer.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationOut {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub invited_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Only in the answer that creates the invitation: deliver it to the invitee
    /// (it is never shown again, and whoever holds it may accept it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

const INVITATION_COLUMNS: &str = "id, email::text, role::text, invited_by, created_at, expires_at";

fn invitation(r: &tokio_postgres::Row, token: Option<String>) -> InvitationOut {
    InvitationOut {
        id: r.get(0),
        email: r.get(1),
        role: r.get(2),
        invited_by: r.get(3),
        created_at: r.get(4),
        expires_at: r.get(5),
        token,
    }
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/invitations", tag = "invitations", request_body = NewInvitation,
    security(("bearer" = [])), params(("tenant" = Uuid, Path)),
    responses((status = 201, body = InvitationOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    t: InTenant,
    ApiJson(body): ApiJson<NewInvitation>,
) -> ApiResult<Created<Json<InvitationOut>>> {
    t.require(Scope::Admin)?;
    let email = email_address(&body.email)?;
    let role = member_role(&body.role)?;
    let token = new_invitation_token();
    let expires_at = state.db.clock().now() + INVITATION_TTL;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    // The policy admits holders of members:create; the database stamps invited_by.
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO tenancy.invitations (tenant_id, email, role, token_hash, expires_at)
                 VALUES ($1, $2::text::citext, $3::text::tenancy.member_role, $4, $5) RETURNING {INVITATION_COLUMNS}"
            ),
            &[&t.ctx.tenant_id, &email, &role, &hash_token(&token).as_slice(), &expires_at],
        )
        .await
        .map_err(|e| match e.constraint() {
            Some("invitations_owner_grant") => ApiError::Forbidden("only an owner can invite an owner"),
            Some("invitations_email_format") => ApiError::validation("email", "is not an email address"),
            _ => e.into(),
        })?;
    tx.commit().await?;
    let invitation = invitation(&row, Some(token));
    Ok(created(format!("/v1/tenants/{}/invitations/{}", t.ctx.tenant_id, invitation.id), Json(invitation)))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/invitations", tag = "invitations", security(("bearer" = [])),
    params(("tenant" = String, Path), PageQuery),
    responses((status = 200, body = Page<InvitationOut>), (status = 404, body = Problem)))]
pub async fn list_invitations(
    State(state): State<AppState>,
    t: InTenant,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<InvitationOut>>> {
    let (limit, (after_time, after_id)) = (page.limit()?, page.after("created_at", false)?);
    let now = state.db.clock().now();
    let rows = state
        .db
        .tenant_query(
            &t.ctx,
            &format!(
                "SELECT {INVITATION_COLUMNS} FROM tenancy.invitations
                 WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2
                   AND ($3::text IS NULL OR (created_at, id) > ($3::text::timestamptz, $4))
                 ORDER BY created_at, id LIMIT $5"
            ),
            &[&t.ctx.tenant_id, &now, &after_time, &after_id, &(limit + 1)],
        )
        .await?;
    let invitations = rows.iter().map(|r| invitation(r, None)).collect();
    Ok(Json(Page::of(invitations, limit, "created_at", false, |i: &InvitationOut| {
        (i.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), i.id)
    })))
}

#[utoipa::path(delete, path = "/v1/tenants/{tenant}/invitations/{invitation_id}", tag = "invitations",
    security(("bearer" = [])), params(("tenant" = Uuid, Path), ("invitation_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, invitation_id)): ApiPath<(String, Uuid)>,
) -> ApiResult<StatusCode> {
    t.require(Scope::Admin)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let revoked = tx
        .query_opt(
            "UPDATE tenancy.invitations SET revoked_at = $3, revoked_by = $4
             WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
               AND tenancy.has_permission('members', 'delete')
             RETURNING 1",
            &[&t.ctx.tenant_id, &invitation_id, &state.db.clock().now(), &t.user_id()],
        )
        .await?;
    if revoked.is_none() {
        let found = tx
            .query_opt(
                "SELECT accepted_at IS NOT NULL, revoked_at IS NOT NULL, tenancy.has_permission('members', 'delete')
                 FROM tenancy.invitations WHERE tenant_id = $1 AND id = $2",
                &[&t.ctx.tenant_id, &invitation_id],
            )
            .await?;
        return match found.map(|r| (r.get::<_, bool>(0), r.get::<_, bool>(1), r.get::<_, bool>(2))) {
            None => Err(ApiError::NotFound),
            Some((_, _, false)) => Err(ApiError::Forbidden("your role does not allow this")),
            Some((true, _, _)) => Err(ApiError::Conflict("the invitation was already accepted".into())),
            // Revoking twice changes nothing.
            Some((_, true, _)) => Ok(StatusCode::NO_CONTENT),
            Some(_) => Err(ApiError::Forbidden("your role does not allow this")),
        };
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The token the inviter delivered.
    pub token: String,
}

#[utoipa::path(post, path = "/v1/invitations/accept", tag = "invitations", request_body = AcceptInvitation,
    security(("bearer" = [])),
    responses((status = 201, body = MembershipOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 410, body = Problem)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> ApiResult<Created<Json<MembershipOut>>> {
    // An API key acts inside its own tenant; joining another is the user's own act.
    let Principal::Session { user_id, .. } = caller.principal else {
        return Err(ApiError::Forbidden("an invitation is accepted by a signed-in user, not an API key"));
    };
    // The acceptor's signed context: the audit trail records them and their request.
    let ctx = TenantCtx::for_user(user_id).with_meta(caller.meta);
    let rows = state
        .accounts
        .call_as(
            &ctx,
            "SELECT tenant_id, name, slug::text, role::text FROM platform.accept_invitation($1, $2, $3)",
            &[&hash_token(body.token.trim()).as_slice(), &user_id, &state.accounts.clock().now()],
        )
        .await
        .map_err(refused)?;
    let row = rows.first().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("accept_invitation returned no row")))?;
    let joined = MembershipOut { id: row.get(0), name: row.get(1), slug: row.get(2), role: row.get(3) };
    // A request made before accepting may have cached "not a member".
    state.auth.forget_membership(joined.id, user_id).await;
    Ok(created(format!("/v1/tenants/{}", joined.id), Json(joined)))
}

/// Why an acceptance was refused, as the accepting function says it.
fn refused(e: DbError) -> ApiError {
    match e.constraint() {
        Some("invitations_token_known") => ApiError::NotFound,
        Some("invitations_accepted_once") => ApiError::Gone("this invitation was already accepted".into()),
        Some("invitations_not_revoked") => ApiError::Gone("this invitation was revoked".into()),
        Some("invitations_not_expired") => ApiError::Gone("this invitation has expired".into()),
        Some("memberships_one_per_user") => ApiError::Conflict("you are already a member of this tenant".into()),
        _ => e.into(),
    }
}
