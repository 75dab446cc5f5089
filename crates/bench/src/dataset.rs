//! The benchmark's data: a scratch database of the same server (never the demo
//! database), migrated like the real one and loaded by `seed scale`: Zipf-skewed
//! tenants (a few large, a long tail of small ones) over the business tables.
//! The benchmark measures in two tenants: the largest and the median one.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget};
use serde::Serialize;
use tokio_postgres::Client;
use uuid::Uuid;

use super::workload::{ID_TABLES, SIZE_TABLE};
use tenantbase::db::migrate::{self, quote_ident};
use tenantbase::db::{Target, DATABASE};
use tenantbase::seed::scale::{seed_scale, ScaleOptions};

/// How big a data set is, in `seed scale`'s terms.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Scale {
    pub tenants: usize,
    /// Average rows per tenant over all loaded tables.
    pub rows_per_tenant: usize,
}

/// A tenant the benchmark measures in, with ids of its rows to look up.
#[derive(Clone, Debug, Serialize)]
pub struct TenantSample {
    /// "largest" or "median".
    pub label: &'static str,
    pub tenant_id: Uuid,
    /// Its owner: the user the benchmark acts as.
    pub owner: Uuid,
    /// Its rows in [`SIZE_TABLE`].
    pub rows: i64,
    #[serde(skip)]
    pub ids: HashMap<&'static str, Vec<Uuid>>,
}

/// A loaded scratch database.
pub struct Dataset {
    pub target: Target,
    pub samples: Vec<TenantSample>,
    /// Rows per loaded table.
    pub table_rows: Vec<(String, i64)>,
    pub reused: bool,
}

/// The scratch database `name` on the server of `target`, created anew and migrated.
pub async fn recreate(target: &Target, name: &str) -> Result<Target> {
    refuse_demo_database(target, name)?;
    let maintenance = target.with_database("postgres").connect_admin().await?;
    // Separate messages: a multi-statement message is one transaction, which these refuse.
    for statement in ["DROP DATABASE IF EXISTS {db} WITH (FORCE)", "CREATE DATABASE {db}"] {
        maintenance
            .batch_execute(&statement.replace("{db}", &quote_ident(name)))
            .await
            .with_context(|| format!("creating the scratch database {name}"))?;
    }
    let scratch = target.with_database(name);
    migrate::migrate(&scratch).await?;
    Ok(scratch)
}

fn refuse_demo_database(target: &Target, name: &str) -> Result<()> {
    if name == DATABASE || name == target.database_name() || name == "postgres" {
        bail!("the benchmark writes only to a scratch database, never to {name}");
    }
    Ok(())
}

/// What identifies a data set: its scale and the schema it was loaded into.
fn fingerprint(scale: Scale) -> String {
    let schema: u64 = migrate::embedded_migrations().iter().fold(0u64, |acc, m| acc.rotate_left(7) ^ m.checksum());
    format!("tenantbase bench v2 tenants={} rows_per_tenant={} schema={schema:x}", scale.tenants, scale.rows_per_tenant)
}

/// Opens the scratch database `name`, reusing it when it holds exactly this data
/// set (same scale, same migrations) unless `fresh`; otherwise builds it anew.
pub async fn open(target: &Target, name: &str, scale: Scale, fresh: bool, progress: &ProgressBar) -> Result<Dataset> {
    refuse_demo_database(target, name)?;
    let wanted = fingerprint(scale);
    let maintenance = target.with_database("postgres").connect_admin().await?;
    let found: Option<String> = maintenance
        .query_opt("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", &[&name])
        .await?
        .and_then(|r| r.get(0));
    let reused = !fresh && found.as_deref() == Some(wanted.as_str());
    let scratch = if reused {
        let scratch = target.with_database(name);
        // Applies nothing new (the fingerprint matched) but puts this binary's context verifier in place.
        migrate::migrate(&scratch).await?;
        scratch
    } else {
        progress.set_message(format!("creating {name}"));
        let scratch = recreate(target, name).await?;
        load(&scratch, scale, progress).await?;
        let client = scratch.connect_admin().await?;
        let samples = sample_tenants(&client).await?;
        activate_owners(&client, &samples).await?;
        progress.set_message("VACUUM ANALYZE");
        client.batch_execute("VACUUM ANALYZE").await?;
        maintenance
            .batch_execute(&format!("COMMENT ON DATABASE {} IS {}", quote_ident(name), quote_literal(&wanted)))
            .await?;
        scratch
    };
    let client = scratch.connect_admin().await?;
    let samples = sample_tenants(&client).await?;
    let mut table_rows = Vec::new();
    for row in client
        .query(
            "SELECT c.oid::regclass::text, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.reltuples > 0
               AND n.nspname IN ('content', 'work', 'agents', 'commerce', 'analytics')
             ORDER BY 2 DESC",
            &[],
        )
        .await?
    {
        table_rows.push((row.get(0), row.get(1)));
    }
    Ok(Dataset { target: scratch, samples, table_rows, reused })
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `seed scale` into `target`, its own progress bar shown instead of ours meanwhile.
async fn load(target: &Target, scale: Scale, progress: &ProgressBar) -> Result<()> {
    progress.set_draw_target(ProgressDrawTarget::hidden());
    // The benchmark only reads these rows; its write phase measures auditing with rows of its own.
    let options = ScaleOptions {
        tenants: scale.tenants,
        rows_per_tenant: scale.rows_per_tenant,
        seed: 1,
        progress: true,
        audit: false,
    };
    let loaded = seed_scale(target, &options).await;
    progress.set_draw_target(ProgressDrawTarget::stderr());
    loaded.context("loading the data set with seed scale")?;
    Ok(())
}

/// The largest tenant and the median one by their rows in [`SIZE_TABLE`], with
/// ids of their rows to look up.
pub async fn sample_tenants(client: &Client) -> Result<Vec<TenantSample>> {
    let sizes = client
        .query(
            &format!(
                "SELECT s.tenant_id, s.n, t.created_by FROM (SELECT tenant_id, count(*) AS n FROM {SIZE_TABLE} GROUP BY tenant_id) s
                 JOIN tenancy.tenants t ON t.id = s.tenant_id ORDER BY s.n DESC, s.tenant_id"
            ),
            &[],
        )
        .await?;
    if sizes.is_empty() {
        bail!("the data set has no rows in {SIZE_TABLE}");
    }
    let mut samples = Vec::new();
    for (label, row) in [("largest", &sizes[0]), ("median", &sizes[sizes.len() / 2])] {
        let tenant_id: Uuid = row.get(0);
        let mut ids = HashMap::new();
        for table in ID_TABLES {
            let found: Vec<Uuid> = client
                .query(&format!("SELECT id FROM {table} WHERE tenant_id = $1 ORDER BY id LIMIT 256"), &[&tenant_id])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            ids.insert(*table, found);
        }
        samples.push(TenantSample { label, tenant_id, owner: row.get(2), rows: row.get(1), ids });
    }
    Ok(samples)
}

/// What the API benchmark needs in the measured tenants: owners who can log in.
async fn activate_owners(client: &Client, samples: &[TenantSample]) -> Result<()> {
    let hash = tenantbase::credentials::hash_password("bench-owner-password")?;
    for sample in samples {
        client
            .execute(
                "UPDATE tenancy.users SET password_hash = $2, status = 'active' WHERE id = $1",
                &[&sample.owner, &hash],
            )
            .await?;
    }
    Ok(())
}
