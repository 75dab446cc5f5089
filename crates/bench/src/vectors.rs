//! Similarity search (docs/embeddings.md): recall@10 of the search function against exact
//! search, and both latencies, for the largest and the smallest tenant of a Zipf-skewed set
//! of synthetic vectors, in a scratch database of its own (migrated like any other, so its
//! dimension is the deployment's: TENANTBASE_EMBEDDING_DIMENSION). The vectors are
//! clustered, as embeddings are: uniform random vectors have no neighbours worth the name.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;
use tenantbase::db::migrate::{has_embeddings, migrate};
use tenantbase::db::{Target, TenantCtx};
use tokio_postgres::Client;
use uuid::Uuid;

use super::measure::{Latency, Samples};

/// The scratch database of this section.
pub const VECTOR_DATABASE: &str = "tenantbase_bench_vectors";

/// Cluster centres the synthetic vectors are drawn around.
const CENTRES: i32 = 1_000;

#[derive(Clone, Debug, Serialize)]
pub struct VectorRow {
    pub tenant: &'static str,
    pub tenant_vectors: i64,
    pub queries: usize,
    pub recall_at_10: f64,
    /// embeddings.similar_content_projects as the app role under RLS.
    pub search: Latency,
    /// The exact top 10 of the tenant (primary key, then a sort), as the owner.
    pub exact: Latency,
}

#[derive(Clone, Debug, Serialize)]
pub struct VectorReport {
    pub vectors: i64,
    pub tenants: usize,
    pub dimension: i32,
    pub reused: bool,
    pub load_seconds: f64,
    pub rows: Vec<VectorRow>,
}

/// Measures, or None where the server has no pgvector.
pub async fn measure(
    target: &Target,
    vectors: i64,
    tenants: usize,
    queries: usize,
    fresh: bool,
) -> Result<Option<VectorReport>> {
    let scratch = target.with_database(VECTOR_DATABASE);
    let server = target.with_database("postgres").connect_admin().await?;
    let exists: bool = server
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", &[&VECTOR_DATABASE])
        .await?
        .get(0);
    let mut reused = exists && !fresh;
    if reused {
        let admin = scratch.connect_admin().await?;
        let stored: Option<i64> = if has_embeddings(&admin).await? {
            admin.query_one("SELECT count(*) FROM embeddings.content_projects", &[]).await?.get(0)
        } else {
            None
        };
        let tenants_stored: i64 = admin.query_one("SELECT count(*) FROM tenancy.tenants", &[]).await?.get(0);
        reused = stored == Some(vectors) && tenants_stored == tenants as i64;
    }
    if exists && !reused {
        server.batch_execute(&format!("DROP DATABASE {VECTOR_DATABASE} WITH (FORCE)")).await?;
    }
    let loading = Instant::now();
    if !reused {
        migrate(&scratch).await?;
    }
    let admin = scratch.connect_admin().await?;
    if !has_embeddings(&admin).await? {
        return Ok(None);
    }
    if !reused {
        load(&admin, vectors, tenants).await?;
    }
    let load_seconds = loading.elapsed().as_secs_f64();
    let dimension: i32 = admin
        .query_one(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'embeddings.content_projects'::regclass AND attname = 'embedding'",
            &[],
        )
        .await?
        .get(0);
    let sizes = admin
        .query("SELECT tenant_id, count(*) FROM embeddings.content_projects GROUP BY 1 ORDER BY 2 DESC, 1", &[])
        .await?;
    let (largest, smallest) = (&sizes[0], &sizes[sizes.len() - 1]);
    // Queries from anywhere in the table: most are other tenants' vectors.
    let probes: Vec<String> = admin
        .query("SELECT embedding::text FROM embeddings.content_projects ORDER BY id LIMIT $1", &[&(queries as i64)])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let signer = scratch.signer().await?;
    let (app, connection) = scratch.app.connect(tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let mut rows = Vec::new();
    for (label, row) in [("largest", largest), ("smallest", smallest)] {
        let tenant: Uuid = row.get(0);
        let begin = signer.begin_sql(&TenantCtx::new(tenant, Uuid::new_v4()));
        let (mut search, mut exact, mut hits) = (Samples::default(), Samples::default(), 0usize);
        for probe in &probes {
            let started = Instant::now();
            let truth: Vec<Uuid> = admin
                .query(
                    "SELECT id FROM embeddings.content_projects WHERE tenant_id = $1
                     ORDER BY (embedding OPERATOR(embeddings.<=>) $2::text::embeddings.vector) + 0 LIMIT 10",
                    &[&tenant, probe],
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            exact.push(started.elapsed());
            app.batch_execute(&begin).await?;
            let started = Instant::now();
            let found: Vec<Uuid> = app
                .query("SELECT id FROM embeddings.similar_content_projects($1::text::embeddings.vector, 10)", &[probe])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            search.push(started.elapsed());
            app.batch_execute("COMMIT").await?;
            hits += found.iter().filter(|id| truth.contains(id)).count();
        }
        rows.push(VectorRow {
            tenant: label,
            tenant_vectors: row.get(1),
            queries: probes.len(),
            recall_at_10: hits as f64 / (10 * probes.len()).max(1) as f64,
            search: search.summary(),
            exact: exact.summary(),
        });
    }
    Ok(Some(VectorReport { vectors, tenants, dimension, reused, load_seconds, rows }))
}

/// `vectors` content projects with embeddings over `tenants` tenants, tenant i holding a
/// share proportional to 1/(i+1). Bulk test data: no audit entries, and the HNSW index is
/// built once after the load rather than row by row.
async fn load(admin: &Client, vectors: i64, tenants: usize) -> Result<()> {
    let harmonic: f64 = (1..=tenants).map(|i| 1.0 / i as f64).sum();
    let index: (String, Option<String>) = {
        let r = admin
            .query_one(
                "SELECT pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class')
                 FROM pg_index i WHERE i.indexrelid = 'embeddings.content_projects_embedding_idx'::regclass",
                &[],
            )
            .await?;
        (r.get(0), r.get(1))
    };
    admin
        .batch_execute(
            "SET session_replication_role = replica;
             SET maintenance_work_mem = '1GB';
             DROP INDEX embeddings.content_projects_embedding_idx;
             SELECT setseed(0.24);
             CREATE TEMP TABLE centres AS
                 SELECT c, array(SELECT random() - 0.5 + 0 * c FROM generate_series(1, (
                     SELECT atttypmod FROM pg_attribute
                     WHERE attrelid = 'embeddings.content_projects'::regclass AND attname = 'embedding'))) AS v
                 FROM generate_series(0, 999) c;",
        )
        .await?;
    let mut left = vectors;
    for i in 0..tenants {
        let share = if i + 1 == tenants {
            left
        } else {
            ((vectors as f64 / harmonic / (i + 1) as f64).round() as i64).min(left)
        };
        left -= share;
        let tenant = Uuid::new_v4();
        admin
            .execute(
                "INSERT INTO tenancy.tenants (id, name, slug) VALUES ($1, $2, $3)",
                &[&tenant, &format!("vectors-{i}"), &format!("vectors-{i}")],
            )
            .await?;
        admin
            .execute(
                &format!(
                    "WITH made AS (
                         INSERT INTO content.content_projects (tenant_id, name, content_type)
                         SELECT $1, 'Synthetic ' || g, 'blog_post' FROM generate_series(1, $2::bigint) g
                         RETURNING tenant_id, id)
                     INSERT INTO embeddings.content_projects (tenant_id, id, embedding)
                     SELECT m.tenant_id, m.id,
                            (SELECT array_agg(x + (random() - 0.5) * 0.4) FROM unnest(c.v) AS x)::embeddings.vector
                     FROM made m
                     CROSS JOIN LATERAL (SELECT v FROM centres
                                         WHERE c = (abs(hashtext(m.id::text)) % {CENTRES})) AS c"
                ),
                &[&tenant, &share],
            )
            .await?;
    }
    admin.batch_execute(&format!("{}; RESET session_replication_role", index.0)).await?;
    if let Some(comment) = index.1 {
        admin
            .batch_execute(&format!(
                "COMMENT ON INDEX embeddings.content_projects_embedding_idx IS '{}'",
                comment.replace('\'', "''")
            ))
            .await?;
    }
    admin.batch_execute("ANALYZE content.content_projects, embeddings.content_projects").await?;
    Ok(())
}
