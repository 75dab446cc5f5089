//! Backup and restore, one command each, as an operator runs them: a private
//! cluster backed up, deleted, and restored into another data directory.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tenantbase::api::{self, AppState};
use tenantbase::db::backup::{self, Manifest};
use tenantbase::db::cluster::{Cluster, Durability};
use tenantbase::db::{migrate, Target};
use tenantbase::isolation::{attack, check};
use tenantbase::secrets::Sealer;
use tenantbase::seed::demo::{self, DEMO_PASSWORD};
use uuid::Uuid;

const PASSPHRASE: &str = "a long backup passphrase";

fn tenantbase(data_dir: &Path, operator_key: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(args)
        .env("TENANTBASE_DATA_DIR", data_dir)
        .env("TENANTBASE_OPERATOR_KEY", operator_key)
        .env("TENANTBASE_BACKUP_PASSPHRASE", PASSPHRASE)
        .env_remove("DATABASE_URL")
        .env_remove("TENANTBASE_SECRET_KEY")
        .env_remove("TENANTBASE_CONTEXT_KEY")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// The clusters a test started stop with it, passed or failed.
struct StopOnDrop(Vec<Cluster>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.iter().for_each(Cluster::stop_immediately);
    }
}

/// A server on a loopback port over `target`, sealing with the data directory's key.
async fn serve(target: &Target, data_dir: &Path) -> String {
    let sealer = Sealer::from_env_or_file(Some(&data_dir.join("secret.key"))).unwrap();
    let state =
        AppState::new(target.app_db(4).await.unwrap(), target.account_db(2).await.unwrap(), sealer).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(api::serve(listener, state));
    base
}

async fn call(
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

async fn login(base: &str, email: &str) -> String {
    let body = json!({ "email": email, "password": DEMO_PASSWORD });
    let (status, body) = call(base, reqwest::Method::POST, "/v1/auth/login", None, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_with_one_command_into_a_fresh_cluster_and_an_altered_one_is_refused() {
    let dir = tempfile::Builder::new().prefix("tenantbase-backup-").tempdir().unwrap();
    // PostgreSQL runs as another user when the tests run as root: it must reach the clusters.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let (source_dir, restored_dir) = (dir.path().join("source"), dir.path().join("restored"));
    let (backup_dir, operator_key) = (dir.path().join("backup"), dir.path().join("keys/operator.key"));

    let source = Cluster::new(&source_dir, Durability::Ephemeral).unwrap();
    // Durable, as the restore command makes it: it archives its WAL.
    let restored = Cluster::new(&restored_dir, Durability::Durable).unwrap();
    let _stop = StopOnDrop(vec![source.clone(), restored.clone()]);

    // The source: migrated, seeded, and a store whose credentials the server sealed.
    let target = Target::private(source.clone()).unwrap();
    migrate::migrate(&target).await.unwrap();
    let seeded = demo::seed(&target, &target.app_db(2).await.unwrap()).await.unwrap();
    let acme = seeded.tenant("acme");
    let base = serve(&target, &source_dir).await;
    let olivia = login(&base, "olivia@acme.com").await;
    let credentials = json!({ "api_token": "shpat_kept_across_restores" });
    let body = json!({ "name": "Backed-up shop", "platform": "shopify", "store_url": "https://backed.example",
                       "credentials": credentials });
    let (status, store) =
        call(&base, reqwest::Method::POST, &format!("/v1/tenants/{acme}/stores"), Some(&olivia), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{store}");
    let store_id = Uuid::parse_str(store["id"].as_str().unwrap()).unwrap();
    let stores: i64 = target
        .connect_admin()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM commerce.stores", &[])
        .await
        .unwrap()
        .get(0);

    let (ok, out) = tenantbase(&source_dir, &operator_key, &["backup", "--to", backup_dir.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("in the backup, wrapped under the passphrase"), "{out}");
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(backup_dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.tables.iter().find(|t| t.table == "commerce.stores").map(|t| t.rows), Some(stores));
    assert!(manifest.audit_heads.iter().any(|h| h.chain == acme && h.head_id > 0), "{:?}", manifest.audit_heads);

    // The source cluster is gone.
    source.stop_immediately();
    std::fs::remove_dir_all(&source_dir).unwrap();

    // An altered manifest is refused before anything is created.
    let altered = dir.path().join("altered");
    std::fs::create_dir(&altered).unwrap();
    for entry in std::fs::read_dir(&backup_dir).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), altered.join(entry.file_name())).unwrap();
    }
    let mut forged = manifest.clone();
    forged.tables.iter_mut().find(|t| t.table == "commerce.stores").unwrap().rows += 1;
    std::fs::write(altered.join("manifest.json"), serde_json::to_vec_pretty(&forged).unwrap()).unwrap();
    let (ok, out) = tenantbase(&restored_dir, &operator_key, &["restore", "--from", altered.to_str().unwrap()]);
    assert!(!ok && out.contains("the backup's manifest is not the operator's: refused"), "{out}");
    assert!(!restored_dir.exists(), "nothing was created for a refused backup");

    // One command restores into a fresh cluster in another data directory.
    let (ok, out) = tenantbase(&restored_dir, &operator_key, &["restore", "--from", backup_dir.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("check: no finding") && out.contains("context verifier: compiled"), "{out}");
    let target = Target::private(restored.clone()).unwrap();
    let mut admin = target.connect_admin().await.unwrap();

    // Ground truth, as the superuser: the same rows in every table of the manifest.
    let sums = backup::table_sums(&admin, &indicatif::ProgressBar::hidden()).await.unwrap();
    for want in &manifest.tables {
        assert_eq!(sums.iter().find(|t| t.table == want.table), Some(want), "{}", want.table);
    }
    assert_eq!(check::run(&admin).await.unwrap(), vec![], "check is clean");
    let report = tenantbase::audit::verify(&mut admin, None, target.clock.today(), &indicatif::ProgressBar::hidden())
        .await
        .unwrap();
    assert!(report.is_intact());
    assert_eq!(
        report.chain(acme).and_then(|c| c.head.clone()),
        manifest.audit_heads.iter().find(|h| h.chain == acme).map(|h| (h.head_id, h.head_hash.clone()))
    );

    // The attack runs after: its controls write to Acme's chain.
    let actors = attack::Actors::demo(&admin).await.unwrap();
    let findings = attack::run(&admin, &target.app, &target.signer().await.unwrap(), actors).await.unwrap();
    assert!(attack::all_blocked(&findings), "{}", attack::summary(&findings));

    // The restored server: login works, the store reads back, its sealed credentials open.
    let base = serve(&target, &restored_dir).await;
    let olivia = login(&base, "olivia@acme.com").await;
    let (status, got) =
        call(&base, reqwest::Method::GET, &format!("/v1/tenants/{acme}/stores/{store_id}"), Some(&olivia), None).await;
    assert_eq!((status, got["name"].as_str()), (StatusCode::OK, Some("Backed-up shop")), "{got}");
    let sealed: Vec<u8> = admin
        .query_one("SELECT credentials_sealed FROM commerce.stores WHERE id = $1", &[&store_id])
        .await
        .unwrap()
        .get(0);
    let sealer = Sealer::from_env_or_file(Some(&restored_dir.join("secret.key"))).unwrap().unwrap();
    let opened: Value = serde_json::from_slice(&sealer.open(acme, store_id, &sealed).unwrap()).unwrap();
    assert_eq!(opened, credentials);

    // The restored cluster archives its write-ahead log beside its data directory.
    let archive = restored.wal_archive().unwrap().to_path_buf();
    assert_eq!(archive, dir.path().join("restored-wal-archive"));
    admin.batch_execute("SELECT pg_switch_wal()").await.unwrap();
    let segments = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&archive)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.len() == 24)
            .collect();
        names.sort();
        names
    };
    for _ in 0..200 {
        if !segments().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!segments().is_empty(), "a full segment is archived");

    // Scheduled backups: a new directory each, the newest kept, the WAL before it dropped.
    let scheduled = dir.path().join("scheduled");
    for _ in 0..2 {
        let args = ["backup", "--into", scheduled.to_str().unwrap(), "--keep", "1"];
        let (ok, out) = tenantbase(&restored_dir, &operator_key, &args);
        assert!(ok, "{out}");
        admin.batch_execute("SELECT pg_switch_wal()").await.unwrap();
    }
    let kept: Vec<_> = std::fs::read_dir(&scheduled).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept: Manifest = serde_json::from_slice(&std::fs::read(kept[0].join("manifest.json")).unwrap()).unwrap();
    let oldest_needed = kept.wal_file.unwrap();
    assert!(segments().iter().all(|s| s[8..] >= oldest_needed[8..]), "{:?} from {oldest_needed}", segments());
}
