//! `newsdesk reindex`: rebuild the node's search index (`DATA/search`) from the database.
//!
//! A running node keeps its index current by itself and rebuilds a damaged one on start, so
//! this is for operators: after restoring a database backup, or to rebuild ahead of a start.
//! The index has one writer at a time; while a node serves from the same data directory this
//! command refuses and says so.

use super::Global;
use crate::domain::{Clock, SystemClock};
use crate::search::Search;
use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Opts {}

#[derive(Debug, clap::Args)]
pub struct CopyOpts {
    /// A new (or empty) directory; give it to the new node as DATA/search.
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
}

/// Copies the index of the node whose data directory is `--data`; the node may be serving.
pub fn copy(global: &Global, opts: CopyOpts) -> anyhow::Result<()> {
    let from = global.data.join("search");
    let copied = crate::search::copy::copy_index(&from, &opts.out)?;
    println!(
        "{} the search index ({} files, {:.1} MiB) into {}; start a new node with it as DATA/search",
        if copied.linked { "linked" } else { "copied" },
        copied.files,
        copied.bytes as f64 / 1_048_576.0,
        opts.out.display()
    );
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct SnapshotOpts {}

/// Publishes the index of the node whose data directory is `--data` (serving or not) to the
/// shared media store, as the nodes do by themselves every `[search] snapshot_hours`.
pub async fn snapshot(global: &Global, _opts: SnapshotOpts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let media = crate::media::settings(&config.data_dir).store;
    anyhow::ensure!(
        matches!(*media, crate::media::MediaStore::S3(_)),
        "a snapshot is published to a store the nodes share; set [media] store = \"s3\" (a node with \
         its photos on its own disk can give its index to another with copy-index)"
    );
    let dir = config.data_dir.join("search");
    let work = crate::search::snapshot::sibling(&dir, "snapshot-cli");
    let started = std::time::Instant::now();
    let manifest = crate::search::snapshot::publish(&dir, &work, &media, &store, SystemClock.now())
        .await
        .context("cannot publish the search index's snapshot")?;
    store.close().await;
    println!(
        "published the search index ({} files, {:.1} MiB, up to change {}) as {} in {:.1} s; new nodes start from it",
        manifest.files.len(),
        manifest.bytes() as f64 / 1_048_576.0,
        manifest.done,
        manifest.dir,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn run(global: &Global, _opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    rebuild(&config, &store).await?;
    store.close().await;
    Ok(())
}

/// Rebuilds the index in the data directory from the database, with a progress bar.
pub(crate) async fn rebuild(
    config: &crate::config::Config,
    store: &crate::storage::Store,
) -> anyhow::Result<()> {
    let dir = config.data_dir.join("search");
    let search = Search::open(&dir)?;
    let total = store.count_all_published().await?;
    let bar = super::progress_bar(total, "indexing");
    let started = std::time::Instant::now();
    let count = search
        .rebuild(store, &|n| bar.inc(n))
        .await
        .with_context(|| format!("cannot rebuild the search index in {}", dir.display()))?;
    bar.finish_and_clear();
    eprintln!(
        "indexed {count} published articles into {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
