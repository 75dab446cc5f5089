//! `tenant export` and `tenant import` at scale: the largest sample tenant exported in
//! one snapshot, then imported as a new tenant into a fresh scratch database of the same
//! server, verification and every constraint included (target: >= 100,000 rows/s).

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;
use tenantbase::db::Target;
use tenantbase::signing::OperatorKey;
use tenantbase::transfer;
use uuid::Uuid;

use super::dataset::{self, Dataset};

/// The scratch database the tenant is imported into.
pub const IMPORT_DATABASE: &str = "tenantbase_bench_import";

#[derive(Clone, Debug, Default, Serialize)]
pub struct TransferReport {
    pub rows: u64,
    pub tables: usize,
    pub export_seconds: f64,
    pub import_seconds: f64,
}

impl TransferReport {
    pub fn export_rows_per_s(&self) -> f64 {
        self.rows as f64 / self.export_seconds.max(1e-9)
    }

    pub fn import_rows_per_s(&self) -> f64 {
        self.rows as f64 / self.import_seconds.max(1e-9)
    }
}

pub async fn measure(target: &Target, data: &Dataset) -> Result<TransferReport> {
    let largest = &data.samples[0];
    let dir = tempfile::tempdir()?;
    let exported = dir.path().join("export");
    let key = OperatorKey::generate();
    let mut source = data.target.connect_admin().await?;
    let started = Instant::now();
    let manifest = transfer::export(&mut source, &key, largest.tenant_id, &exported, data.target.clock.now()).await?;
    let export_seconds = started.elapsed().as_secs_f64();
    let into = dataset::recreate(target, IMPORT_DATABASE).await?;
    let mut destination = into.connect_admin().await?;
    let started = Instant::now();
    let imported =
        transfer::import(&mut destination, &exported, &key.public(), Some((Uuid::new_v4(), "bench-import"))).await?;
    Ok(TransferReport {
        rows: imported.rows,
        tables: manifest.files.len(),
        export_seconds,
        import_seconds: started.elapsed().as_secs_f64(),
    })
}
