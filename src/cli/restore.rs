//! `newsdesk restore`: rebuild an empty site from a backup made by `newsdesk backup`, then its
//! search index.

use super::Global;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The backup file (made by `newsdesk backup`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let started = std::time::Instant::now();
    let summary = crate::io::backup::restore(&store, &config.data_dir, &opts.file).await?;
    let rows: u64 = summary.manifest.tables.values().sum();
    eprintln!(
        "restored {rows} rows and {} photo files from a backup taken {} (schema {}, from {})",
        summary.manifest.media_files,
        summary.manifest.created_at,
        summary.manifest.schema,
        summary.manifest.backend
    );
    super::reindex::rebuild(&config, &store).await?;
    store.close().await;
    eprintln!("done in {:.1} s; people sign in again with their passwords", started.elapsed().as_secs_f64());
    Ok(())
}
