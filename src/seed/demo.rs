//! The demo seed: the designs' sample tenants and users, created the way
//! the product creates them. Users and tenants go through the platform functions;
//! each tenant's owner invites its members and roles inside a tenant-scoped
//! transaction, under RLS, the invitees accept through the platform function, and
//! every tenant's business data is written by its own users (see
//! [`super::business`]). Running it again changes nothing.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::auth::{hash_token, new_invitation_token};
use crate::api::invitations::INVITATION_TTL;
use crate::credentials::hash_password;
use crate::db::{Db, Target, TenantCtx};
use crate::secrets::Sealer;

use super::business::{self, People};

/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "tenantbase-demo";

pub struct DemoTenant {
    pub name: &'static str,
    pub slug: &'static str,
    pub plan: &'static str,
    pub owner: &'static str,
}

pub struct DemoMember {
    pub email: &'static str,
    pub full_name: &'static str,
    pub tenant: &'static str,
    pub role: &'static str,
}

pub const TENANTS: &[DemoTenant] = &[
    DemoTenant { name: "Acme Corporation", slug: "acme", plan: "enterprise", owner: "olivia@acme.com" },
    DemoTenant { name: "Tech Startup Inc", slug: "tech-startup", plan: "pro", owner: "tom@techstartup.io" },
    DemoTenant { name: "Healthcare Co", slug: "healthcare-co", plan: "free", owner: "hana@healthcare.com" },
    DemoTenant { name: "Demo Workspace", slug: "demo-workspace", plan: "growth", owner: "demo@bizq.com" },
];

pub const MEMBERS: &[DemoMember] = &[
    DemoMember { email: "olivia@acme.com", full_name: "Olivia Owner", tenant: "acme", role: "owner" },
    DemoMember { email: "alice@acme.com", full_name: "Alice Anderson", tenant: "acme", role: "admin" },
    DemoMember { email: "bob@acme.com", full_name: "Bob Brown", tenant: "acme", role: "member" },
    DemoMember { email: "victor@acme.com", full_name: "Victor Viewer", tenant: "acme", role: "viewer" },
    DemoMember { email: "tom@techstartup.io", full_name: "Tom Founder", tenant: "tech-startup", role: "owner" },
    DemoMember { email: "charlie@techstartup.io", full_name: "Charlie Chen", tenant: "tech-startup", role: "admin" },
    DemoMember { email: "hana@healthcare.com", full_name: "Hana Owner", tenant: "healthcare-co", role: "owner" },
    DemoMember { email: "diana@healthcare.com", full_name: "Diana Davis", tenant: "healthcare-co", role: "admin" },
    DemoMember { email: "demo@bizq.com", full_name: "Demo User", tenant: "demo-workspace", role: "owner" },
];

/// What the seed created, for printing and for tests.
pub struct Seeded {
    pub tenants: Vec<(String, Uuid)>,
    pub users: Vec<(String, Uuid)>,
}

impl Seeded {
    pub fn tenant(&self, slug: &str) -> Uuid {
        self.tenants.iter().find(|(s, _)| s == slug).map(|(_, id)| *id).expect("a demo tenant")
    }

    pub fn user(&self, email: &str) -> Uuid {
        self.users.iter().find(|(e, _)| e == email).map(|(_, id)| *id).expect("a demo user")
    }
}

pub async fn seed(target: &Target, db: &Db) -> Result<Seeded> {
    let admin = target.connect_admin().await?;
    // Demo store credentials are fake: without a configured key they are sealed with a throwaway one.
    let sealer = Sealer::from_env()?.unwrap_or_else(Sealer::throwaway);
    let mut users = Vec::new();
    let password_hash = hash_password(DEMO_PASSWORD)?;
    for member in MEMBERS {
        let id: Uuid = match admin
            .query_opt("SELECT id FROM tenancy.users WHERE email = $1::text::citext", &[&member.email])
            .await?
        {
            Some(row) => row.get(0),
            None => admin
                .query_one(
                    "SELECT platform.create_user($1::text::citext, $2, $3)",
                    &[&member.email, &member.full_name, &password_hash],
                )
                .await
                .with_context(|| format!("creating demo user {}", member.email))?
                .get(0),
        };
        users.push((member.email.to_string(), id));
    }
    let user_id = |email: &str| users.iter().find(|(e, _)| e == email).map(|(_, id)| *id).expect("seeded user");

    let mut tenants = Vec::new();
    for tenant in TENANTS {
        let id: Uuid = match admin
            .query_opt("SELECT id FROM tenancy.tenants WHERE slug = $1::text::citext", &[&tenant.slug])
            .await?
        {
            Some(row) => row.get(0),
            None => admin
                .query_one(
                    "SELECT platform.create_tenant($1, $2::text::citext, $3::text::tenancy.plan, $4)",
                    &[&tenant.name, &tenant.slug, &tenant.plan, &user_id(tenant.owner)],
                )
                .await
                .with_context(|| format!("creating demo tenant {}", tenant.slug))?
                .get(0),
        };
        tenants.push((tenant.slug.to_string(), id));

        let owner = TenantCtx::new(id, user_id(tenant.owner));
        let now = db.clock().now();
        // Members join as the product has them join: the owner invites, the invitee
        // accepts (here the operator presents their token). Only those not yet members.
        let mut tx = db.tenant_tx(&owner).await?;
        let mut tokens = Vec::new();
        for member in MEMBERS.iter().filter(|m| m.tenant == tenant.slug && m.role != "owner") {
            let joined = tx
                .query_opt(
                    "SELECT 1 FROM tenancy.memberships WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'",
                    &[&id, &user_id(member.email)],
                )
                .await?
                .is_some();
            if joined {
                continue;
            }
            let token = new_invitation_token();
            tx.execute(
                "INSERT INTO tenancy.invitations (tenant_id, email, role, token_hash, expires_at)
                 VALUES ($1, $2::text::citext, $3::text::tenancy.member_role, $4, $5)",
                &[&id, &member.email, &member.role, &hash_token(&token).as_slice(), &(now + INVITATION_TTL)],
            )
            .await
            .with_context(|| format!("inviting {} to {}", member.email, tenant.slug))?;
            tokens.push((token, user_id(member.email)));
        }
        // One invitation stays open, so that every tenant table has rows of every demo
        // tenant; its token was never kept, so nobody can accept it.
        let newcomer = format!("newcomer@{}", tenant.owner.split_once('@').map_or("example.com", |(_, domain)| domain));
        tx.execute(
            "INSERT INTO tenancy.invitations (tenant_id, email, role, token_hash, expires_at)
             SELECT $1::uuid, $2::text::citext, 'member'::tenancy.member_role, $3::bytea, $4::timestamptz
             WHERE NOT EXISTS (SELECT 1 FROM tenancy.invitations
                               WHERE tenant_id = $1 AND email = $2::text::citext AND accepted_at IS NULL AND revoked_at IS NULL)",
            &[&id, &newcomer, &hash_token(&new_invitation_token()).as_slice(), &(now + INVITATION_TTL)],
        )
        .await?;
        tx.commit().await?;
        for (token, member) in tokens {
            admin
                .query_one(
                    "SELECT tenant_id FROM platform.accept_invitation($1, $2, $3)",
                    &[&hash_token(&token).as_slice(), &member, &now],
                )
                .await
                .context("accepting a demo invitation")?;
        }

        let mut tx = db.tenant_tx(&owner).await?;
        // Writes only what is missing: every write is on the audit trail.
        tx.execute(
            "INSERT INTO tenancy.roles (tenant_id, name, description)
             VALUES ($1, 'agent_user', 'Can run AI agents')
             ON CONFLICT (tenant_id, name) DO NOTHING",
            &[&id],
        )
        .await?;
        let role_id: Uuid = tx
            .query_one("SELECT id FROM tenancy.roles WHERE tenant_id = $1 AND name = 'agent_user'", &[&id])
            .await?
            .get(0);
        tx.execute(
            "INSERT INTO tenancy.role_permissions (tenant_id, role_id, permission_id)
             SELECT $1, $2, p.id FROM tenancy.permissions p WHERE (p.resource, p.action) = ('agents', 'run')
             ON CONFLICT DO NOTHING",
            &[&id, &role_id],
        )
        .await?;
        // A revoked key: the demo shows API keys exist without printing a usable secret.
        let key_hash = Sha256::digest(format!("demo-key:{}:{}", tenant.slug, Uuid::new_v4())).to_vec();
        tx.execute(
            "INSERT INTO tenancy.api_keys (tenant_id, name, prefix, key_hash, scopes, created_by, revoked_at, revoked_by)
             VALUES ($1, 'Demo key (revoked)', 'demokey1', $2, '{read}', $3, now(), $3)
             ON CONFLICT (tenant_id, prefix) DO NOTHING",
            &[&id, &key_hash, &owner.user_id],
        )
        .await?;
        for member in MEMBERS.iter().filter(|m| m.tenant == tenant.slug && m.role != "viewer") {
            tx.execute(
                "INSERT INTO tenancy.user_roles (tenant_id, user_id, role_id, granted_by)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&id, &user_id(member.email), &role_id, &owner.user_id],
            )
            .await?;
        }
        tx.commit().await?;

        let people = People {
            owner: user_id(tenant.owner),
            members: MEMBERS.iter().filter(|m| m.tenant == tenant.slug).map(|m| (user_id(m.email), m.role)).collect(),
        };
        business::seed_tenant(db, id, tenant.slug, &people, &sealer)
            .await
            .with_context(|| format!("seeding the business data of {}", tenant.slug))?;
    }
    Ok(Seeded { tenants, users })
}
