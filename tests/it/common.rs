//! The test cluster: one private PostgreSQL per test run, a template database
//! migrated once, and a fresh clone of it for each test.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::OnceLock;

use tenantbase::db::cluster::{Cluster, Durability};
use tenantbase::db::{migrate, AccountDb, ContextKey, Db, Signer, Target};
use tenantbase::seed::demo::{self, Seeded};
pub use tenantbase_test_support::proxy::{self, FlightCounter};

const TEMPLATE: &str = "tb_template";

struct Shared {
    target: Target,
    cluster: Cluster,
}

static SHARED: OnceLock<Shared> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

extern "C" fn stop_cluster() {
    if let Some(shared) = SHARED.get() {
        shared.cluster.stop_immediately();
        let _ = std::fs::remove_dir_all(shared.cluster.root());
    }
}

fn shared() -> &'static Shared {
    SHARED.get_or_init(|| {
        // Built on its own thread: tests run inside runtimes that cannot nest.
        std::thread::spawn(|| {
            let dir = tempfile::Builder::new().prefix("tenantbase-test-").tempdir().expect("a temp dir").keep();
            let cluster = Cluster::new(&dir, Durability::Ephemeral).expect("PostgreSQL binaries");
            let target = Target::private(cluster.clone()).expect("the test cluster starts").with_database(TEMPLATE);
            unsafe { nix::libc::atexit(stop_cluster) };
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                migrate::migrate(&target).await.expect("migrations apply to the template");
            });
            Shared { target, cluster }
        })
        .join()
        .expect("test cluster set-up")
    })
}

/// A database of its own, cloned from the migrated template.
pub struct TestDb {
    pub target: Target,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let shared = shared();
        let name = format!("t_{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
        let admin = shared.target.with_database("postgres").connect_admin().await.unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER tenantbase_owner"))
            .await
            .expect("cloning the template");
        admin.batch_execute(&migrate::database_grants_sql(&name)).await.expect("the clone's database privileges");
        let mut target = shared.target.with_database(&name);
        target.context_key = Some(target.context_key().await.expect("the template has a context key"));
        TestDb { target }
    }

    /// An empty database on the test cluster, not migrated; migrating it installs
    /// this TestDb's context key.
    pub async fn empty() -> TestDb {
        let shared = shared();
        let name = format!("e_{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
        let admin = shared.target.with_database("postgres").connect_admin().await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let mut target = shared.target.with_database(&name);
        target.context_key = Some(ContextKey::generate());
        TestDb { target }
    }

    pub fn app_pool(&self, size: usize) -> Db {
        Db::new(self.target.app.clone(), self.context_key(), size)
    }

    pub fn context_key(&self) -> ContextKey {
        self.target.context_key.clone().expect("a TestDb knows its context key")
    }

    /// The account role's pool, as the server has it.
    pub fn account_pool(&self) -> AccountDb {
        AccountDb::new(self.target.account.clone(), self.signer(), 2)
    }

    /// Signs contexts as this database's server would.
    pub fn signer(&self) -> Signer {
        Signer::new(self.context_key(), self.target.clock.clone())
    }

    pub async fn admin(&self) -> tokio_postgres::Client {
        self.target.connect_admin().await.unwrap()
    }

    /// The demo seed, its audit entries sealed.
    pub async fn seeded(&self) -> Seeded {
        let seeded = demo::seed(&self.target, &self.app_pool(2)).await.expect("demo seed");
        seal_everything(&self.admin().await).await;
        seeded
    }
}

/// Seals every audit entry of the transactions ended so far. The sealer stops below the
/// oldest transaction that may be this database's, and the tests' shared cluster runs other
/// tests' transactions that touch only shared catalogs (roles): so it seals until none is left.
pub async fn seal_everything(admin: &tokio_postgres::Client) {
    for _ in 0..400 {
        tenantbase::audit::seal(admin).await.expect("sealing the audit trail");
        if tenantbase::audit::lag(admin).await.expect("the sealing lag").unsealed == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("audit entries stayed unsealed for 10 s");
}

/// The SQLSTATE of a failed statement.
pub fn sqlstate<T: std::fmt::Debug>(result: Result<T, tokio_postgres::Error>) -> String {
    result.expect_err("the statement should fail").code().map(|c| c.code().to_string()).unwrap_or_default()
}

/// The round-trip counting proxy (also how the tests play a database outage).
pub fn start_proxy(real_socket: PathBuf, dir: &Path, port: u16) -> Arc<FlightCounter> {
    proxy::start_proxy(real_socket, dir, port).expect("the proxy listens")
}

/// The app role's connection settings through a proxy socket directory.
pub fn app_config_via(db: &TestDb, proxy_dir: &Path) -> tokio_postgres::Config {
    let mut config = tokio_postgres::Config::new();
    config.host_path(proxy_dir).port(db.port()).user("tenantbase_app").dbname(db.target.database_name());
    config
}

impl TestDb {
    pub fn socket(&self) -> PathBuf {
        match &self.target.app.get_hosts()[0] {
            tokio_postgres::config::Host::Unix(dir) => dir.join(format!(".s.PGSQL.{}", self.port())),
            other => panic!("the test cluster listens on a socket, not {other:?}"),
        }
    }

    pub fn port(&self) -> u16 {
        self.target.app.get_ports()[0]
    }
}

/// The first column of every row `sql` returns.
pub async fn column<T>(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Vec<T>
where
    T: for<'a> tokio_postgres::types::FromSql<'a>,
{
    client.query(sql, params).await.unwrap().iter().map(|r| r.get(0)).collect()
}

/// Waits until `n` backends of this database wait for a lock (the other side holds it).
pub async fn until_waiting_for_a_lock(admin: &tokio_postgres::Client, n: i64) {
    for _ in 0..500 {
        let waiting: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if waiting >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no backend started waiting for the lock");
}
