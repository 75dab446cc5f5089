//! Invitations: an email alone joins nothing; the holder of an invitation's token
//! joins once, while the invitation is open; the app role neither creates a
//! membership nor accepts an invitation itself; accepting is on the audit trail.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenantbase::api::invitations::INVITATION_TTL;
use tenantbase::clock::{Clock, ManualClock};
use tenantbase::db::{AccountDb, Signer, TenantCtx};
use uuid::Uuid;

use crate::api::{problem_type, Server};
use crate::common::TestDb;

const PASSWORD: &str = "a long enough password";

impl Server {
    async fn sign_up_and_log_in(&self, email: &str) -> String {
        let (status, body) = self
            .call(Method::POST, "/v1/auth/signup", None, Some(json!({ "email": email, "password": PASSWORD })))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, session) = self
            .call(Method::POST, "/v1/auth/login", None, Some(json!({ "email": email, "password": PASSWORD })))
            .await;
        assert_eq!(status, StatusCode::OK, "{session}");
        session["token"].as_str().unwrap().to_string()
    }

    async fn invite(&self, inviter: &str, tenant: Uuid, email: &str, role: &str) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            &format!("/v1/tenants/{tenant}/invitations"),
            Some(inviter),
            Some(json!({ "email": email, "role": role })),
        )
        .await
    }

    async fn accept(&self, session: &str, token: &Value) -> (StatusCode, Value) {
        self.call(Method::POST, "/v1/invitations/accept", Some(session), Some(json!({ "token": token }))).await
    }

    async fn memberships_of(&self, email: &str) -> i64 {
        self.db
            .admin()
            .await
            .query_one(
                "SELECT count(*) FROM tenancy.memberships m JOIN tenancy.users u ON u.id = m.user_id
                 WHERE u.email = $1::text::citext",
                &[&email],
            )
            .await
            .unwrap()
            .get(0)
    }
}

#[tokio::test]
async fn signing_up_with_an_invited_email_grants_nothing() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;

    // Invited first, registered after: what sign-up used to activate.
    let (status, invited) = s.invite(&olivia, acme, "mallory@example.com", "admin").await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    assert!(invited["token"].as_str().unwrap().starts_with("tbi_"), "{invited}");
    let mallory = s.sign_up_and_log_in("mallory@example.com").await;
    // Registered first, invited after: what adding an existing account used to do.
    let early = s.sign_up_and_log_in("early@example.com").await;
    let (status, _) = s.invite(&olivia, acme, "early@example.com", "admin").await;
    assert_eq!(status, StatusCode::CREATED);

    for (email, session) in [("mallory@example.com", &mallory), ("early@example.com", &early)] {
        let (status, me) = s.call(Method::GET, "/v1/me", Some(session), None).await;
        assert_eq!((status, &me["tenants"]), (StatusCode::OK, &json!([])), "{email}");
        let (status, body) = s.call(Method::GET, &format!("/v1/tenants/{acme}"), Some(session), None).await;
        assert_eq!((status, problem_type(&body)), (StatusCode::NOT_FOUND, "not-found"), "{email}");
        let (status, _) = s
            .call(
                Method::POST,
                &format!("/v1/tenants/{acme}/api-keys"),
                Some(session),
                Some(json!({ "name": "mine", "scopes": ["admin"] })),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{email} mints no key");
        assert_eq!(s.memberships_of(email).await, 0, "{email}: no membership row at all");
    }
    let pending: i64 =
        s.db.admin()
            .await
            .query_one("SELECT count(*) FROM tenancy.users WHERE status = 'pending'", &[])
            .await
            .unwrap()
            .get(0);
    assert_eq!(pending, 0, "inviting creates no user");

    // Adding a member directly is no longer a route: an invitation is the way in.
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/members"),
            Some(&olivia),
            Some(json!({ "email": "early@example.com", "role": "admin" })),
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(s.memberships_of("early@example.com").await, 0);
}

#[tokio::test]
async fn sign_up_claims_a_pending_identity_only_when_it_belongs_to_no_tenant() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    // Pending identities (no password) are an operator's: the scale seed's owners, the old invitations' users.
    admin
        .batch_execute(
            "SELECT platform.create_tenant('Pending Owned', 'pending-owned', 'free',
                                           platform.create_user('owner@pending.test', NULL, NULL));
             SELECT platform.create_user('loose@pending.test', NULL, NULL);",
        )
        .await
        .unwrap();
    let signup = |email: &str| {
        s.call(Method::POST, "/v1/auth/signup", None, Some(json!({ "email": email, "password": PASSWORD })))
    };
    let (status, body) = signup("owner@pending.test").await;
    assert_eq!(
        (status, problem_type(&body)),
        (StatusCode::CONFLICT, "conflict"),
        "a tenant's owner is nobody's to claim"
    );
    let (status, body) = signup("loose@pending.test").await;
    assert_eq!(status, StatusCode::CREATED, "an identity that belongs nowhere is claimed: {body}");
}

#[tokio::test]
async fn only_the_tokens_holder_joins_and_only_once() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let (status, invited) = s.invite(&olivia, acme, "Pat@Example.com", "member").await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    assert_eq!((invited["email"].as_str(), invited["role"].as_str()), (Some("pat@example.com"), Some("member")));
    let token = invited["token"].clone();
    let id = invited["id"].as_str().unwrap().to_string();

    // The invited email without the token: guessing joins nothing.
    let pat = s.sign_up_and_log_in("pat@example.com").await;
    let forged = format!("tbi_{}", "0".repeat(64));
    for guess in [json!(forged), json!(""), json!(id)] {
        let (status, body) = s.accept(&pat, &guess).await;
        assert_eq!((status, problem_type(&body)), (StatusCode::NOT_FOUND, "not-found"), "{guess}: {body}");
    }
    assert_eq!(s.memberships_of("pat@example.com").await, 0);

    // The token is the authority: its holder joins with the invited role, whatever their email.
    let holder = s.sign_up_and_log_in("sam@example.com").await;
    let (status, joined) = s.accept(&holder, &token).await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    assert_eq!(joined, json!({ "id": acme, "name": "Acme Corporation", "slug": "acme", "role": "member" }));
    let (_, me) = s.call(Method::GET, "/v1/me", Some(&holder), None).await;
    assert_eq!(me["tenants"][0]["role"], "member", "{me}");

    // Once.
    for session in [&holder, &pat] {
        let (status, body) = s.accept(session, &token).await;
        assert_eq!((status, problem_type(&body)), (StatusCode::GONE, "gone"), "{body}");
        assert_eq!(body["detail"], "this invitation was already accepted");
    }
    assert_eq!(s.memberships_of("pat@example.com").await, 0);
    let (status, _) =
        s.call(Method::DELETE, &format!("/v1/tenants/{acme}/invitations/{id}"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "an accepted invitation is not revoked");
    let (_, open) = s.call(Method::GET, &format!("/v1/tenants/{acme}/invitations"), Some(&olivia), None).await;
    let open = open["items"].as_array().unwrap();
    assert!(open.iter().all(|i| i["id"] != id.as_str()), "accepted: no longer listed");
    assert!(open.iter().all(|i| i.get("token").is_none() && i.get("token_hash").is_none()), "{open:?}");

    // A member invited again is told so, and the token stays unused.
    let (_, again) = s.invite(&olivia, acme, "sam@example.com", "admin").await;
    let (status, body) = s.accept(&holder, &again["token"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = s.accept(&pat, &again["token"]).await;
    assert_eq!(status, StatusCode::CREATED, "the refused acceptance wrote nothing: the token is still open");

    // A member who left comes back on the same membership row, by a new invitation only.
    let sam = me["id"].as_str().unwrap().to_string();
    let (status, _) = s.call(Method::DELETE, &format!("/v1/tenants/{acme}/members/{sam}"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, back) = s.invite(&olivia, acme, "sam@example.com", "viewer").await;
    let (status, joined) = s.accept(&holder, &back["token"]).await;
    assert_eq!((status, joined["role"].as_str()), (StatusCode::CREATED, Some("viewer")), "{joined}");
    assert_eq!(s.memberships_of("sam@example.com").await, 1);

    // An API key acts in its own tenant: it accepts nothing.
    let (_, key) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/api-keys"),
            Some(&olivia),
            Some(json!({ "name": "ci", "scopes": ["admin"] })),
        )
        .await;
    let (_, other) = s.invite(&olivia, acme, "kim@example.com", "member").await;
    let (status, _) = s.accept(key["token"].as_str().unwrap(), &other["token"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A server whose pools read a clock the test moves. It starts a minute ahead of
/// the database's: a session starts at the database's now() and is seen at the server's.
async fn server_with_clock() -> (Server, ManualClock) {
    let (clock, hand) = Clock::manual(Utc::now() + Duration::minutes(1));
    let db = TestDb::new().await;
    let pool = db.app_pool(8).with_clock(clock.clone());
    let accounts = AccountDb::new(db.target.account.clone(), Signer::new(db.context_key(), clock), 2);
    (Server::start_with_pools(db, pool, accounts).await, hand)
}

#[tokio::test]
async fn expired_and_revoked_invitations_are_refused() {
    let (s, hand) = server_with_clock().await;
    let acme = s.tenant("acme");
    let alice = s.login("alice@acme.com").await;
    let (_, expiring) = s.invite(&alice, acme, "late@example.com", "member").await;
    let (_, revoked) = s.invite(&alice, acme, "unlucky@example.com", "member").await;
    let joiner = s.sign_up_and_log_in("joiner@example.com").await;

    let revoke = format!("/v1/tenants/{acme}/invitations/{}", revoked["id"].as_str().unwrap());
    let victor = s.login("victor@acme.com").await;
    let (status, _) = s.call(Method::DELETE, &revoke, Some(&victor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer revokes nothing");
    let (status, _) = s.call(Method::DELETE, &revoke, Some(&alice), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s.call(Method::DELETE, &revoke, Some(&alice), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "revoking twice changes nothing");
    let (status, _) =
        s.call(Method::DELETE, &format!("/v1/tenants/{acme}/invitations/{}", Uuid::new_v4()), Some(&alice), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = s.accept(&joiner, &revoked["token"]).await;
    assert_eq!((status, body["detail"].as_str()), (StatusCode::GONE, Some("this invitation was revoked")));

    let listed = |body: Value| -> Vec<String> {
        body["items"].as_array().unwrap().iter().map(|i| i["email"].as_str().unwrap().to_string()).collect()
    };
    let (_, open) = s.call(Method::GET, &format!("/v1/tenants/{acme}/invitations"), Some(&alice), None).await;
    assert!(listed(open.clone()).contains(&"late@example.com".to_string()), "{open}");
    assert!(!listed(open).contains(&"unlucky@example.com".to_string()));

    hand.advance(INVITATION_TTL);
    let (status, body) = s.accept(&joiner, &expiring["token"]).await;
    assert_eq!((status, body["detail"].as_str()), (StatusCode::GONE, Some("this invitation has expired")), "{body}");
    let (_, open) = s.call(Method::GET, &format!("/v1/tenants/{acme}/invitations"), Some(&alice), None).await;
    assert!(!listed(open).contains(&"late@example.com".to_string()), "an expired invitation is not listed");
    assert_eq!(s.memberships_of("joiner@example.com").await, 0);
}

#[tokio::test]
async fn only_owners_and_admins_invite_and_only_owners_invite_owners() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let count = || async {
        s.db.admin().await.query_one("SELECT count(*) FROM tenancy.invitations", &[]).await.unwrap().get::<_, i64>(0)
    };
    let before = count().await;
    for (email, role) in [("victor@acme.com", "viewer"), ("bob@acme.com", "member")] {
        let session = s.login(email).await;
        let (status, body) = s.invite(&session, acme, "friend@example.com", "viewer").await;
        assert_eq!((status, problem_type(&body)), (StatusCode::FORBIDDEN, "forbidden"), "a {role}: {body}");
    }
    let alice = s.login("alice@acme.com").await;
    let (status, body) = s.invite(&alice, acme, "boss@example.com", "owner").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an admin makes no owner: {body}");
    let (status, body) = s.invite(&alice, acme, "not an email", "member").await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")));
    let (status, body) = s.invite(&alice, acme, "ok@example.com", "superuser").await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("role")));
    assert_eq!(count().await, before, "nothing was written");
    let olivia = s.login("olivia@acme.com").await;
    let (status, _) = s.invite(&olivia, acme, "boss@example.com", "owner").await;
    assert_eq!(status, StatusCode::CREATED, "an owner invites an owner");
}

#[tokio::test]
async fn the_app_role_neither_creates_memberships_nor_accepts_invitations() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia, bob) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"), seeded.user("bob@acme.com"));
    let tom = seeded.user("tom@techstartup.io");
    let pool = db.app_pool(1);
    let owner = TenantCtx::new(acme, olivia);

    let insert = pool
        .tenant_query(
            &owner,
            "INSERT INTO tenancy.memberships (tenant_id, user_id, role, status) VALUES ($1, $2, 'admin', 'active')",
            &[&acme, &tom],
        )
        .await
        .unwrap_err();
    assert_eq!(insert.code().unwrap().code(), "42501", "{insert:?}");
    let moved = pool
        .tenant_query(&owner, "UPDATE tenancy.memberships SET user_id = $2 WHERE user_id = $1", &[&bob, &tom])
        .await
        .unwrap_err();
    assert_eq!(moved.code().unwrap().code(), "42501", "a membership never moves to another user: {moved:?}");

    let left = pool
        .tenant_query(
            &owner,
            "UPDATE tenancy.memberships SET status = 'left', left_at = now() WHERE user_id = $1 RETURNING 1",
            &[&bob],
        )
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    let back = pool
        .tenant_query(
            &owner,
            "UPDATE tenancy.memberships SET status = 'active', left_at = NULL WHERE user_id = $1",
            &[&bob],
        )
        .await
        .unwrap_err();
    assert_eq!(back.constraint(), Some("memberships_joined_by_invitation"), "{back:?}");

    let hash = vec![0u8; 32];
    let accept = pool
        .tenant_query(&owner, "SELECT * FROM platform.accept_invitation($1, $2, now())", &[&hash, &olivia])
        .await
        .unwrap_err();
    assert_eq!(accept.code().unwrap().code(), "42501", "{accept:?}");
    let admin = db.admin().await;
    let may: bool = admin
        .query_one(
            "SELECT has_function_privilege('tenantbase_app', 'platform.accept_invitation(bytea, uuid, timestamptz)', 'EXECUTE')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!may);
    // Nor does it mark an invitation accepted: it only creates pending ones and revokes them.
    let marked = pool
        .tenant_query(&owner, "UPDATE tenancy.invitations SET accepted_at = now(), accepted_by = $1", &[&olivia])
        .await
        .unwrap_err();
    assert_eq!(marked.code().unwrap().code(), "42501", "{marked:?}");
}

#[tokio::test]
async fn accepting_is_on_the_audit_trail_with_the_acceptor_and_the_request() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let (_, invited) = s.invite(&olivia, acme, "audited@example.com", "member").await;
    let acceptor = s.sign_up_and_log_in("audited@example.com").await;
    let response = s
        .http
        .post(format!("{}/v1/invitations/accept", s.base))
        .bearer_auth(&acceptor)
        .header("x-request-id", "req-accept-invitation")
        .json(&json!({ "token": invited["token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let admin = s.db.admin().await;
    crate::common::seal_everything(&admin).await;
    let user: Uuid =
        admin.query_one("SELECT id FROM tenancy.users WHERE email = 'audited@example.com'", &[]).await.unwrap().get(0);
    let entries: Vec<(String, Option<Uuid>, String, Value)> = admin
        .query(
            "SELECT event_action, user_id, db_role, new_values FROM audit.log
             WHERE tenant_id = $1 AND request_id = 'req-accept-invitation' ORDER BY id",
            &[&acme],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let actions: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, ["memberships.created", "invitations.updated"], "{entries:?}");
    assert!(entries.iter().all(|e| e.1 == Some(user) && e.2 == "tenantbase_account"), "{entries:?}");
    let olivia_id = s.seeded.user("olivia@acme.com").to_string();
    assert_eq!(entries[0].3["invited_by"], olivia_id.as_str(), "the membership names its inviter");
    assert_eq!(entries[1].3["accepted_by"], user.to_string());
    let mut admin = admin;
    let report =
        tenantbase::audit::verify(&mut admin, Some("acme"), Clock::system().today(), &indicatif::ProgressBar::hidden())
            .await
            .unwrap();
    assert!(report.is_intact());
}
