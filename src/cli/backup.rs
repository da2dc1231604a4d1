//! `newsdesk backup`: the whole site (database, photos, settings) in one file, taken while the
//! site serves. See [`crate::io::backup`] for what it holds.

use super::Global;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The backup file to write (a .tar.gz archive; written in full, then moved into place).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let settings = global.config.clone().unwrap_or_else(|| config.data_dir.join("newsdesk.toml"));
    let started = std::time::Instant::now();
    let summary = crate::io::backup::backup(&store, &config.data_dir, Some(&settings), &opts.out).await?;
    store.close().await;
    let rows: u64 = summary.manifest.tables.values().sum();
    let articles = summary.manifest.tables.get("articles").copied().unwrap_or(0);
    let people = summary.manifest.tables.get("users").copied().unwrap_or(0);
    eprintln!(
        "backed up {articles} articles, {people} people and {rows} rows in all, and {} photo files, to {} in {:.1} s",
        summary.manifest.media_files - summary.vanished,
        opts.out.display(),
        started.elapsed().as_secs_f64()
    );
    if summary.vanished > 0 {
        eprintln!(
            "note: {} photo files were deleted while the backup ran and are not in it",
            summary.vanished
        );
    }
    Ok(())
}
