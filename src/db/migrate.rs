//! Migrations: SQL files grouped by module under `migrations/<module>/`, embedded
//! in the binary by refinery, applied in version order, each in its own
//! transaction and recorded with a checksum. refinery refuses a changed
//! (divergent) or missing applied migration; an advisory lock serializes migrators.

use anyhow::{bail, Context, Result};
use refinery::{Migration, Report};
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

use super::{connect, verifier, ContextKey, Target, OWNER_ROLE};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The cluster-wide roles (docs/threat-model.md, "The boundary"), created or corrected idempotently.
const ROLES_SQL: &str = include_str!("roles.sql");

/// Any constant: the key of the advisory lock that serializes migrators.
const MIGRATION_LOCK: i64 = 0x7465_6e61_6e74;

/// The migrations compiled into this binary, in order.
pub fn embedded_migrations() -> Vec<Migration> {
    let mut all = embedded::migrations::runner().get_migrations().clone();
    all.sort();
    all
}

/// Creates the database if needed, the roles, then applies the embedded
/// migrations, installs the context key (the configured one, else a new one
/// when there is none) and the compiled context verifier where the server can load it.
pub async fn migrate(target: &Target) -> Result<Report> {
    migrate_these(target, &embedded_migrations()).await
}

/// `migrate`, stopping after version `last`: a database as an older release left it,
/// to test upgrades.
pub async fn migrate_through(target: &Target, last: u32) -> Result<Report> {
    let migrations: Vec<Migration> = embedded_migrations().into_iter().filter(|m| m.version() <= last).collect();
    migrate_these(target, &migrations).await
}

async fn migrate_these(target: &Target, migrations: &[Migration]) -> Result<Report> {
    ensure_database(target).await?;
    let mut client = target.connect_admin().await?;
    bootstrap(&client, target.database_name()).await?;
    let report = run(&mut client, migrations).await?;
    install_embeddings(&client).await?;
    ContextKey::provision(&client, target.context_key.as_ref()).await?;
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    let verifier = verifier::install(&mut client, target).await;
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await?;
    if let Err(why) = verifier? {
        tracing::info!(%why, "the compiled context verifier cannot be loaded here; the PL/pgSQL one stays");
    }
    // Every migrate run also creates the audit log's coming months.
    crate::audit::ensure_partitions(&client, target.clock.today()).await?;
    Ok(report)
}

/// The variable that sets the embeddings' dimension, fixed by the first migrate that installs them.
pub const EMBEDDING_DIMENSION_VAR: &str = "TENANTBASE_EMBEDDING_DIMENSION";

/// The dimension when [`EMBEDDING_DIMENSION_VAR`] is unset (small sentence-embedding models).
pub const DEFAULT_EMBEDDING_DIMENSION: i32 = 384;

/// Whether this database has the embeddings module (pgvector was available at some migrate).
pub async fn has_embeddings(client: &Client) -> Result<bool> {
    Ok(client.query_one("SELECT to_regclass('embeddings.content_projects') IS NOT NULL", &[]).await?.get(0))
}

/// Creates the embeddings module (docs/embeddings.md) where the server offers pgvector and the
/// migrations define `embeddings.install`. pgvector is not a trusted extension, so the superuser
/// creates it; the owner role creates the rest. Where pgvector is missing, nothing happens.
async fn install_embeddings(client: &Client) -> Result<()> {
    let ready: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')
                    AND to_regprocedure('embeddings.install(integer)') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !ready {
        return Ok(());
    }
    let dimension = match std::env::var(EMBEDDING_DIMENSION_VAR) {
        Ok(value) => value.trim().parse::<i32>().with_context(|| format!("{EMBEDDING_DIMENSION_VAR}={value:?}"))?,
        Err(_) => DEFAULT_EMBEDDING_DIMENSION,
    };
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    let result = async {
        client.batch_execute("CREATE EXTENSION IF NOT EXISTS vector SCHEMA embeddings").await?;
        client.batch_execute(&format!("SET ROLE {OWNER_ROLE}")).await?;
        let installed = client.execute("SELECT embeddings.install($1)", &[&dimension]).await;
        client.batch_execute("RESET ROLE").await?;
        installed.context("installing the embeddings module")
    }
    .await;
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await?;
    result.map(|_| ())
}

/// How long a migration's statement waits for a lock before giving up, by
/// default. A statement waiting for a lock queues every later writer of that
/// table behind it: a migration on a busy table must fail fast and try again,
/// never stall the writers for as long as a long transaction holds the table.
pub const MIGRATION_LOCK_TIMEOUT: Duration = Duration::from_secs(2);

/// Attempts at a migration that keeps meeting a held lock.
const LOCK_ATTEMPTS: u32 = 30;

/// Applies `migrations` as the owner role, one transaction each, under the migration lock.
pub async fn run(client: &mut Client, migrations: &[Migration]) -> Result<Report> {
    Ok(run_with_lock_timeout(client, migrations, MIGRATION_LOCK_TIMEOUT).await?.0)
}

/// [`run`], each statement waiting at most `lock_timeout` for a lock; a migration
/// that timed out (rolled back whole) is tried again after a pause, up to
/// [`LOCK_ATTEMPTS`] times. Also returns how many attempts it took.
pub async fn run_with_lock_timeout(
    client: &mut Client,
    migrations: &[Migration],
    lock_timeout: Duration,
) -> Result<(Report, u32)> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    client
        .batch_execute(&format!("SET ROLE {OWNER_ROLE}; SET lock_timeout = {}", lock_timeout.as_millis().max(1)))
        .await?;
    let mut attempt = 1;
    let result = loop {
        let result = match build_concurrently(client, migrations).await {
            Ok(()) => refinery::Runner::new(migrations)
                .set_abort_divergent(true)
                .set_abort_missing(true)
                .run_async(client)
                .await
                .map_err(|e| (refinery_lock_timed_out(&e), anyhow::anyhow!("migration refused: {e}"))),
            Err(e) => Err((lock_timed_out(&e), e)),
        };
        match result {
            Err((true, e)) if attempt < LOCK_ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "a migration met a held lock; trying again");
                tokio::time::sleep(lock_timeout.min(Duration::from_secs(1)) * attempt.min(5)).await;
                attempt += 1;
            }
            other => break other,
        }
    };
    client.batch_execute("RESET lock_timeout; RESET ROLE").await?;
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await?;
    Ok((result.map_err(|(_, e)| e)?, attempt))
}

/// The line that marks a migration's next statement, a `CREATE [UNIQUE] INDEX IF
/// NOT EXISTS ... ;`, for building ahead of the migration with `CONCURRENTLY`.
pub const CONCURRENTLY_MARK: &str = "-- tenantbase: concurrently";

/// Builds the marked indexes of the migrations not yet applied, each outside any
/// transaction with `CONCURRENTLY` (writers go on meanwhile), before refinery
/// runs the migrations in their transactions: there the same statement finds the
/// index and builds nothing. An invalid index left by a failed concurrent build
/// is dropped and built again.
async fn build_concurrently(client: &Client, migrations: &[Migration]) -> Result<()> {
    let history: Option<String> =
        client.query_one("SELECT to_regclass('refinery_schema_history')::text", &[]).await?.get(0);
    let applied: Vec<i32> = match history {
        Some(_) => {
            client.query("SELECT version FROM refinery_schema_history", &[]).await?.iter().map(|r| r.get(0)).collect()
        }
        None => Vec::new(),
    };
    for migration in migrations.iter().filter(|m| !applied.contains(&(m.version() as i32))) {
        let Some(sql) = migration.sql() else { continue };
        for marked in sql.split(CONCURRENTLY_MARK).skip(1) {
            let statement = marked.split(';').next().unwrap_or_default().trim();
            let words: Vec<&str> = statement.split_whitespace().collect();
            let unique = usize::from(words.get(1).is_some_and(|w| w.eq_ignore_ascii_case("UNIQUE")));
            let shape = ["CREATE", "INDEX", "IF", "NOT", "EXISTS"];
            let is_index = words.len() > 5 + unique
                && words[..2]
                    .iter()
                    .chain(&words[2 + unique..5 + unique])
                    .zip(shape)
                    .all(|(w, s)| w.eq_ignore_ascii_case(s));
            if !is_index {
                bail!(
                    "{}: {CONCURRENTLY_MARK} must precede a CREATE [UNIQUE] INDEX IF NOT EXISTS statement",
                    migration
                );
            }
            let name = words[5 + unique].trim_matches('"');
            let invalid = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i
                           JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE c.relname = $1 AND NOT i.indisvalid";
            for row in client.query(invalid, &[&name]).await? {
                let index: String = row.get(0);
                client.batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}")).await?;
            }
            let concurrently = words[..2 + unique].join(" ") + " CONCURRENTLY " + &words[2 + unique..].join(" ");
            tracing::info!(%migration, index = name, "building an index concurrently");
            client.batch_execute(&concurrently).await.with_context(|| format!("{migration}: {concurrently}"))?;
        }
    }
    Ok(())
}

/// Whether a concurrent build failed waiting for a lock (`lock_timeout`, SQLSTATE 55P03).
fn lock_timed_out(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<tokio_postgres::Error>().and_then(|e| e.code()) == Some(&SqlState::LOCK_NOT_AVAILABLE)
    })
}

/// Whether a migration failed waiting for a lock.
fn refinery_lock_timed_out(error: &refinery::Error) -> bool {
    let refinery::error::Kind::Connection(_, source) = error.kind() else { return false };
    source.downcast_ref::<tokio_postgres::Error>().and_then(|e| e.code()) == Some(&SqlState::LOCK_NOT_AVAILABLE)
}

/// Roles are cluster-wide but advisory locks are per database: migrators of two
/// databases may run this at once, and PostgreSQL then refuses one with "tuple
/// concurrently updated". It is idempotent, so the loser runs it again.
pub async fn create_roles(client: &Client) -> Result<()> {
    let mut attempt = 1;
    loop {
        match client.batch_execute(ROLES_SQL).await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < 5 && e.as_db_error().is_some() => {
                tracing::debug!(error = %e, attempt, "retrying the role set-up");
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("creating the tenantbase roles")),
        }
    }
}

/// On a private cluster the database may not exist yet; create it owned by the owner role.
async fn ensure_database(target: &Target) -> Result<()> {
    if target.cluster.is_none() {
        return Ok(());
    }
    let maintenance = target.with_database("postgres");
    let client = maintenance.connect_admin().await?;
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    create_roles(&client).await?;
    let name = target.database_name();
    let exists = client.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).await?.is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {} OWNER {OWNER_ROLE}", quote_ident(name)))
            .await
            .with_context(|| format!("creating database {name}"))?;
    }
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await?;
    Ok(())
}

/// Built-in functions that reach other sessions, withheld from PUBLIC in this
/// database (every tenant's connections are the same role, and a role may signal
/// or read its own sessions):
/// - other sessions' SQL text, which carries their signed context (`SET LOCAL
///   app.context`): only monitoring roles keep pg_stat_activity's query text;
/// - cancelling or terminating another backend: one tenant could end another's
///   requests;
/// - advisory locks: keys are shared by every session, so one tenant could hold
///   the key another's work waits on (tenantbase's own definer code keeps them);
/// - large objects: one namespace and one owner for every tenant;
/// - whole-table counters and sizes (live and dead rows, scans, inserts since
///   vacuum, bytes): they count every tenant's rows. What cannot be withheld
///   (`pg_class.reltuples`, the planner's estimates) is in docs/threat-model.md.
const SHARED_BACKEND_SQL: &str = "
    REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer),
                               pg_catalog.pg_stat_get_backend_activity(integer) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer),
                              pg_catalog.pg_stat_get_backend_activity(integer) TO pg_read_all_stats;
    DO $$
    DECLARE
        fn regprocedure;
    BEGIN
        FOR fn IN
            SELECT p.oid::regprocedure FROM pg_proc p
            WHERE p.pronamespace = 'pg_catalog'::regnamespace
              AND (p.proname ~ '^pg_(try_)?advisory_' OR p.proname IN ('pg_cancel_backend', 'pg_terminate_backend')
                   OR p.proname ~ '^lo_' OR p.proname IN ('loread', 'lowrite')
                   OR p.proname ~ '^pg_stat_get_(xact_)?(live_tuples|dead_tuples|tuples_|numscans|blocks_|ins_since_vacuum|mod_since_analyze)'
                   OR p.proname ~ '^pg_(relation|table|indexes|total_relation)_size$')
        LOOP
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tenantbase_owner, tenantbase_platform, tenantbase_audit, pg_read_all_stats', fn);
        END LOOP;
    END
    $$;";

/// Roles and database-level grants; needs a superuser (roles with BYPASSRLS need one).
async fn bootstrap(client: &Client, dbname: &str) -> Result<()> {
    let is_super: bool =
        client.query_one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", &[]).await?.get(0);
    if !is_super {
        bail!("tenantbase migrate needs a superuser connection (it creates the tenantbase roles)");
    }
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    let grants = database_grants_sql(dbname);
    let result = async {
        create_roles(client).await?;
        client
            .batch_execute(&format!(
                "{grants}
                 REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                 GRANT USAGE, CREATE ON SCHEMA public TO {OWNER_ROLE};
                 {SHARED_BACKEND_SQL}"
            ))
            .await
            .context("granting database privileges")
    }
    .await;
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await?;
    result
}

/// Who may use the database: the owner role creates in it, the login roles only
/// connect. CREATE DATABASE ... TEMPLATE does not copy a database's privileges.
pub fn database_grants_sql(dbname: &str) -> String {
    let db = quote_ident(dbname);
    format!(
        "REVOKE ALL ON DATABASE {db} FROM PUBLIC;
         GRANT CONNECT, TEMPORARY, CREATE ON DATABASE {db} TO {OWNER_ROLE};
         GRANT CONNECT ON DATABASE {db} TO tenantbase_app, tenantbase_account, tenantbase_readonly;"
    )
}

/// Quotes an identifier for SQL text (database names come from configuration).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Names of the applied migrations, in order.
pub async fn applied(target: &Target) -> Result<Vec<String>> {
    let client = connect(&target.admin).await?;
    let rows = client
        .query("SELECT name FROM refinery_schema_history ORDER BY version", &[])
        .await
        .context("reading refinery_schema_history")?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}
