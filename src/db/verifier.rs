//! The signed context's verifier, compiled. migrations/tenancy/V230 defines
//! `platform.context_field()` in PL/pgSQL; the policies call it once per table
//! a statement reads, and there it costs 20-50 µs, most of what RLS adds to a
//! cheap query. `pgext/tenantbase_context.c` is the same check in C (~2 µs): this
//! binary carries it (compiled by build.rs) and `migrate` swaps it in for the
//! PL/pgSQL body wherever the server can load it: on the private cluster from the
//! cluster's own directory, on another server from its `$libdir` if an operator
//! installed it there. Anywhere else the PL/pgSQL verifier stays, same answers.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::Digest;
use tokio_postgres::Client;

use super::Target;

/// The PostgreSQL version the library was compiled for; empty without one.
pub const BUILT_FOR: &str = env!("TENANTBASE_VERIFIER_BUILT_FOR");

/// Empty when the build found no PostgreSQL server headers.
const LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tenantbase_context.so"));

const NATIVE_DEFINITION: &str = "
    CREATE OR REPLACE FUNCTION platform.context_field(p_field integer) RETURNS text
        LANGUAGE c STABLE STRICT PARALLEL SAFE SECURITY INVOKER
        AS '{library}', 'tenantbase_context_field';
    ALTER FUNCTION platform.context_field(integer) RESET ALL;
    COMMENT ON FUNCTION platform.context_field(integer) IS
        'tenantbase:platform verifies the caller''s own context (native: pgext/tenantbase_context.c) with a key the caller cannot read and answers one of its fields (1 tenant, 2 user, 3 expires, 4 API key, 5 impersonator, 6 request id, 7 client address, 8 user agent); NULL unless authentic and unexpired.';";

/// Which verifier answers `platform.context_field()` in this database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Verifier {
    /// The compiled one, loaded from this library.
    Native(String),
    /// The PL/pgSQL one of the migrations.
    PlPgSql,
}

/// Puts the compiled verifier in place when the server can load it; else keeps
/// the PL/pgSQL one and says why. Needs a superuser connection (C functions).
pub async fn install(client: &mut Client, target: &Target) -> Result<std::result::Result<Verifier, String>> {
    if LIBRARY.is_empty() {
        return Ok(Err("this tenantbase was built without PostgreSQL's server headers".into()));
    }
    let library = match &target.cluster {
        Some(cluster) => place_library(fs::canonicalize(cluster.root())?.join("lib"))?,
        None => "$libdir/tenantbase_context".to_string(),
    };
    if installed(client).await? == Verifier::Native(library.clone()) {
        return Ok(Ok(Verifier::Native(library)));
    }
    let tx = client.transaction().await?;
    if let Err(e) = tx.batch_execute(&NATIVE_DEFINITION.replace("{library}", &library.replace('\'', "''"))).await {
        let why = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string());
        tx.rollback().await?;
        fall_back_from_a_missing_library(client).await?;
        return Ok(Err(why));
    }
    tx.commit().await?;
    Ok(Ok(Verifier::Native(library)))
}

/// A native verifier whose library this server cannot load (a database copied
/// from another cluster points at that cluster's file) answers every tenant
/// statement with an error: the PL/pgSQL one takes its place.
async fn fall_back_from_a_missing_library(client: &Client) -> Result<()> {
    if matches!(installed(client).await?, Verifier::Native(_)) {
        let loads = client.query_one("SELECT platform.context_field(1)", &[]).await.is_ok();
        if !loads {
            install_plpgsql(client).await?;
        }
    }
    Ok(())
}

/// The PL/pgSQL verifier of the migrations, as the last one to define it does
/// (V350; its text is taken from the embedded migration, never copied here).
pub fn plpgsql_definition() -> Result<String> {
    let migration = super::migrate::embedded_migrations()
        .into_iter()
        .rev()
        .filter_map(|m| m.sql().map(str::to_string))
        .find(|sql| sql.contains(PLPGSQL_START))
        .context("no migration defines platform.context_field()")?;
    let start = migration.find(PLPGSQL_START).expect("filtered on it");
    let end = migration[start..].find("\n$$;").context("the definition of platform.context_field() has no end")?;
    let comment_start =
        migration.find(PLPGSQL_COMMENT).context("the comment of platform.context_field() is missing")?;
    let comment_end = comment_start + migration[comment_start..].find("';\n").context("unterminated comment")? + 2;
    Ok(format!(
        "CREATE OR REPLACE {}\n$$;\n{}\n{PLPGSQL_GRANTS}",
        &migration[start..start + end],
        &migration[comment_start..comment_end]
    ))
}

const PLPGSQL_START: &str = "FUNCTION platform.context_field(p_field integer)";
const PLPGSQL_COMMENT: &str = "COMMENT ON FUNCTION platform.context_field(integer) IS";
const PLPGSQL_GRANTS: &str = "ALTER FUNCTION platform.context_field(integer) OWNER TO tenantbase_platform;
    REVOKE ALL ON FUNCTION platform.context_field(integer) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION platform.context_field(integer) TO PUBLIC;";

/// Puts the PL/pgSQL verifier in place (creating or replacing the function).
pub async fn install_plpgsql(client: &Client) -> Result<()> {
    client.batch_execute(&plpgsql_definition()?).await.context("installing the PL/pgSQL context verifier")
}

/// The verifier in place.
pub async fn installed(client: &Client) -> Result<Verifier> {
    let row = client
        .query_one(
            "SELECT l.lanname, p.probin FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
             WHERE p.oid = 'platform.context_field(integer)'::regprocedure",
            &[],
        )
        .await
        .context("reading platform.context_field()")?;
    Ok(match row.get::<_, &str>(0) {
        "c" => Verifier::Native(row.get(1)),
        _ => Verifier::PlPgSql,
    })
}

/// Writes the library where the cluster's server reads it, once per build: the
/// name carries its hash, so a library a running backend has loaded is never
/// overwritten, and databases still pointing at an older build keep working.
fn place_library(dir: PathBuf) -> Result<String> {
    let hash = hex::encode(&sha2::Sha256::digest(LIBRARY)[..6]);
    let path = dir.join(format!("tenantbase_context-{hash}.so"));
    if !path.exists() {
        fs::create_dir_all(&dir)?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
        let partial = dir.join(format!(".tenantbase_context-{hash}.{}", std::process::id()));
        write_library(&partial)?;
        fs::rename(&partial, &path)?;
    }
    path.to_str().map(str::to_string).context("the cluster's directory is not valid UTF-8")
}

/// Writes the compiled verifier to `path`, for a server tenantbase does not run:
/// installed in that server's `pg_config --pkglibdir` as `tenantbase_context.so`,
/// the next `migrate` puts it in place.
pub fn write_library(path: &Path) -> Result<()> {
    if LIBRARY.is_empty() {
        bail!("this tenantbase was built without PostgreSQL's server headers: no compiled verifier to write");
    }
    fs::write(path, LIBRARY).with_context(|| format!("writing {}", path.display()))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_plpgsql_verifier_is_the_migrations_own_text() {
        let sql = super::plpgsql_definition().unwrap();
        assert!(sql.starts_with("CREATE OR REPLACE FUNCTION platform.context_field(p_field integer) RETURNS text"));
        assert!(sql
            .contains("LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"));
        assert!(sql.contains("\n$$;\nCOMMENT ON FUNCTION platform.context_field(integer) IS"), "{sql}");
        assert!(sql.ends_with("GRANT EXECUTE ON FUNCTION platform.context_field(integer) TO PUBLIC;"), "{sql}");
    }
}
