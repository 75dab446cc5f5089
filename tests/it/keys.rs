//! Key rotation while the server serves: no request fails, and afterwards every
//! sealed value opens with the new sealing key and old signatures still verify.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use reqwest::Method;
use serde_json::json;
use tenantbase::keys;
use tenantbase::secrets::{self, Sealer};
use tenantbase::signing::{self, OperatorKey, PublicKey};
use uuid::Uuid;

use crate::api::Server;
use crate::common::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotating_the_sealing_and_operator_keys_while_serving_fails_no_request() {
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
    let (old_id, new_id, resealed, unknown) = keys::rotate_sealing(&mut admin, &key_file).await.unwrap();
    assert_eq!(unknown, demo.len() as u64);
    let (old_operator, new_operator) = keys::rotate_operator(&operator_path).unwrap();
    let at_rotation = served.load(Ordering::Relaxed);
    while served.load(Ordering::Relaxed) < at_rotation + 20 {
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    assert_eq!(failed.load(Ordering::Relaxed), 0, "of {} requests", served.load(Ordering::Relaxed));
    assert!(resealed >= 20, "{resealed}");

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
}
