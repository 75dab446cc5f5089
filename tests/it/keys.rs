//! Key rotation while the server serves: no request fails, the server signs
//! contexts with the new context key without a restart, and afterwards every
//! sealed value opens with the new sealing key and old signatures still verify.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;
use reqwest::Method;
use serde_json::json;
use tenantbase::audit::{self, checkpoints, Checkpointer};
use tenantbase::clock::Clock;
use tenantbase::db::context::{self, ContextKey};
use tenantbase::keys;
use tenantbase::secrets::{self, Sealer};
use tenantbase::signing::{self, OperatorKey, PublicKey};
use uuid::Uuid;

use crate::api::Server;
use crate::common::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotating_each_key_while_serving_fails_no_request() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("secret.key");
    secrets::write_key_file(&key_file, &[7; 32]).unwrap();
    let operator_path = dir.path().join("operator.key");
    let operator = OperatorKey::load_or_create(&operator_path).unwrap();
    let signed = dir.path().join("manifest.json");
    std::fs::write(&signed, b"{}").unwrap();
    signing::sign_file(&operator, &signed).unwrap();

    let db = TestDb::new().await;
    let (pool, accounts) = (db.app_pool(8), db.account_pool());
    // As `serve` does with a key read from the database, re-read more often to keep the test short.
    let signer = pool.signer().clone();
    context::spawn_key_refresh(
        db.target.admin.clone(),
        vec![signer.clone(), accounts.signer().clone()],
        Duration::from_millis(100),
    );
    let s = Arc::new(
        Server::start_configured(db, pool, accounts, |state| state.sealer = Some(Arc::new(Sealer::new([7; 32])))).await,
    );
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let (stop, served, failed) =
        (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let clients: Vec<_> = (0..3)
        .map(|_| {
            let (s, olivia, stop, served, failed) =
                (s.clone(), olivia.clone(), stop.clone(), served.clone(), failed.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = Uuid::new_v4();
                    let body = json!({ "name": format!("shop {n}"), "platform": "shopify",
                                       "store_url": format!("https://{n}.example"),
                                       "credentials": { "api_token": format!("token-{n}") } });
                    let (status, store) =
                        s.call(Method::POST, &format!("/v1/tenants/{acme}/stores"), Some(&olivia), Some(body)).await;
                    let ok = status == reqwest::StatusCode::CREATED && {
                        let path = format!("/v1/tenants/{acme}/stores/{}", store["id"].as_str().unwrap_or_default());
                        s.call(Method::GET, &path, Some(&olivia), None).await.0 == reqwest::StatusCode::OK
                    };
                    served.fetch_add(1, Ordering::Relaxed);
                    if !ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();

    let mut admin = s.db.admin().await;
    // The demo's stores are sealed with a throwaway key no rotation can open.
    let demo: Vec<Uuid> = crate::common::column(&admin, "SELECT id FROM commerce.stores", &[]).await;
    while served.load(Ordering::Relaxed) < 20 {
        tokio::task::yield_now().await;
    }
    // Audit checkpoints, signed with the operator key as `serve` signs them (it re-reads the key file).
    let checkpoint_dir = dir.path().join("checkpoints");
    let mut checkpointer =
        Checkpointer::open(&checkpoint_dir, OperatorKey::load(&operator_path).unwrap(), Clock::system())
            .unwrap()
            .following(&operator_path);
    audit::seal(&admin).await.unwrap();
    assert!(checkpointer.write(&admin).await.unwrap() > 0);
    let (old_id, new_id, resealed, unknown) = keys::rotate_sealing(&mut admin, &key_file).await.unwrap();
    assert_eq!(unknown, demo.len() as u64);
    let (old_operator, new_operator) = keys::rotate_operator(&operator_path).unwrap();
    let old_context = signer.key();
    let new_context = ContextKey::rotate(&admin, context::ROTATION_OVERLAP).await.unwrap();
    let at_rotation = served.load(Ordering::Relaxed);
    while served.load(Ordering::Relaxed) < at_rotation + 20 || signer.key() != new_context {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The server signs with the new key without a restart: retiring the old one
    // (the compiled verifier notices within a second) fails nothing.
    admin.execute("UPDATE platform.context_keys SET retires_at = now() WHERE retires_at > now()", &[]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let after_retirement = served.load(Ordering::Relaxed);
    while served.load(Ordering::Relaxed) < after_retirement + 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    audit::seal(&admin).await.unwrap();
    assert!(checkpointer.write(&admin).await.unwrap() > 0, "the chains moved while serving");
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    assert_eq!(failed.load(Ordering::Relaxed), 0, "of {} requests", served.load(Ordering::Relaxed));
    assert!(resealed >= 20, "{resealed}");
    assert_ne!(old_context, new_context);

    // The server still sealed with the old key (until a restart): reseal catches those.
    keys::reseal(&mut admin, &key_file).await.unwrap();
    let new = Sealer::new(secrets::read_key_file(&key_file).unwrap());
    assert_eq!((new.key_id(), old_id.as_str()), (new_id.as_str(), Sealer::new([7; 32]).key_id()));
    let rows = admin
        .query(
            "SELECT tenant_id, id, credentials_sealed, credentials_key_id FROM commerce.stores WHERE NOT id = ANY ($1)",
            &[&demo],
        )
        .await
        .unwrap();
    assert_eq!(rows.len() as u64, served.load(Ordering::Relaxed));
    for row in rows {
        assert_eq!(row.get::<_, String>(3), new_id);
        new.open(row.get(0), row.get(1), &row.get::<_, Vec<u8>>(2)).unwrap();
    }

    // The operator key: a new pair; what the old one signed verifies with its kept public half.
    assert_ne!(old_operator, new_operator);
    assert_eq!(OperatorKey::load(&operator_path).unwrap().public().key_id(), new_operator);
    let retired = signing::public_path(&dir.path().join(format!("operator.key.retired-{old_operator}")));
    signing::verify_file(&PublicKey::load(&retired).unwrap(), &signed).unwrap();
    // Checkpoints signed before and after the rotation all verify, and hold.
    let signers: std::collections::HashSet<String> = std::fs::read_dir(&checkpoint_dir)
        .unwrap()
        .flat_map(|f| {
            std::fs::read_to_string(f.unwrap().path()).unwrap().lines().map(str::to_string).collect::<Vec<_>>()
        })
        .map(|line| serde_json::from_str::<serde_json::Value>(&line).unwrap()["key_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(signers, [old_operator.clone(), new_operator.clone()].into(), "checkpoints under both keys");
    audit::seal(&admin).await.unwrap();
    let mut report = audit::verify(&mut admin, None, Clock::system().today(), &ProgressBar::hidden()).await.unwrap();
    checkpoints::check(&admin, &mut report, &checkpoint_dir, &keys::trusted_operator_keys(&operator_path).unwrap())
        .await
        .unwrap();
    assert!(report.is_intact(), "{:?}", report.broken().map(|c| c.to_string()).collect::<Vec<_>>());
}
