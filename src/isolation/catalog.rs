//! What the live catalog says about tenant data. Every isolation proof starts
//! here, so a table added later can never be forgotten by a hand-kept list.

use anyhow::Result;
use tokio_postgres::Client;

/// A table that holds tenant data, and the column naming its tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantTable {
    /// Schema-qualified, quoted as needed (`tenancy.memberships`).
    pub name: String,
    pub tenant_column: String,
    /// A partition, reached by the app only through its parent.
    pub is_partition: bool,
}

/// Every table with a `tenant_id` column (partitions included) outside the system
/// schemas, plus `tenancy.tenants`, whose own `id` is the tenant: the one
/// definition of "tenant table" that `check` and `attack` share.
pub const TENANT_TABLES_SQL: &str = "
    SELECT c.oid, c.oid::regclass::text AS name, a.attname::text AS tenant_column, a.attnum AS tenant_attnum,
           a.attnotnull AS tenant_not_null, c.relispartition AS is_partition,
           c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
      AND (a.attname = 'tenant_id' OR (c.oid = pg_catalog.to_regclass('tenancy.tenants') AND a.attname = 'id'))";

pub async fn tenant_tables(client: &Client) -> Result<Vec<TenantTable>> {
    let rows = client
        .query(&format!("SELECT name, tenant_column, is_partition FROM ({TENANT_TABLES_SQL}) t ORDER BY name"), &[])
        .await?;
    Ok(rows.iter().map(|r| TenantTable { name: r.get(0), tenant_column: r.get(1), is_partition: r.get(2) }).collect())
}

/// The columns an INSERT may name: not generated, not dropped.
pub async fn insertable_columns(client: &Client, table: &str) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT quote_ident(attname) FROM pg_attribute
             WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped
               AND attgenerated = '' AND attidentity <> 'a'
             ORDER BY attnum",
            &[&table],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The insertable columns that have a default, quoted as `insertable_columns` quotes them.
pub async fn defaulted_columns(client: &Client, table: &str) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT quote_ident(attname) FROM pg_attribute
             WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped
               AND attgenerated = '' AND attidentity <> 'a' AND atthasdef
             ORDER BY attnum",
            &[&table],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The primary key's columns.
pub async fn primary_key(client: &Client, table: &str) -> Result<Vec<(String, String)>> {
    let rows = client
        .query(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod)
             FROM pg_constraint con
             CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             WHERE con.conrelid = $1::text::regclass AND con.contype = 'p'
             ORDER BY k.ord",
            &[&table],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A foreign key from a tenant table to another tenant table.
#[derive(Clone, Debug)]
pub struct TenantForeignKey {
    pub name: String,
    pub parent: String,
    pub columns: Vec<String>,
    pub parent_columns: Vec<String>,
}

pub async fn tenant_foreign_keys(
    client: &Client,
    table: &str,
    tenant_tables: &[TenantTable],
) -> Result<Vec<TenantForeignKey>> {
    let rows = client
        .query(
            "SELECT con.conname::text, con.confrelid::regclass::text,
                    array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k (n, i)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
                    array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k (n, i)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)
             FROM pg_constraint con
             WHERE con.conrelid = $1::text::regclass AND con.contype = 'f' AND con.conparentid = 0
             ORDER BY 1",
            &[&table],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| TenantForeignKey { name: r.get(0), parent: r.get(1), columns: r.get(2), parent_columns: r.get(3) })
        .filter(|fk| tenant_tables.iter().any(|t| t.name == fk.parent))
        .collect())
}
