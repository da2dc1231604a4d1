//! `newsdesk media sync --to s3`: copies a photo library kept on the node's disk
//! (`DATA/media`) into the bucket that `[media]` names, so a site can move its photos to
//! shared object storage and then run several nodes. Files already in the bucket with the same
//! size are skipped, so an interrupted sync is simply run again; nothing is deleted anywhere.
//!
//! `newsdesk media sweep`: removes from the store in use the files no photo or document names
//! any more (left by a process killed between writing a file and its row; see
//! [`crate::media::sweep`]).

use super::Global;
use crate::media::{MediaStore, StoreConfig};
use anyhow::{Context, bail};

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(subcommand)]
    pub command: MediaCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum MediaCommand {
    /// Copy the photos in DATA/media into the object storage that [media] names.
    Sync(SyncOpts),
    /// Remove files from the media store (DATA/media or the bucket) that no photo or document
    /// names, once they are older than --older-than hours.
    Sweep(SweepOpts),
}

#[derive(Debug, clap::Args)]
pub struct SweepOpts {
    /// Leave files younger than this many hours: an upload may still be on its way to its row.
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub older_than: u32,
    /// Count what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct SyncOpts {
    /// Where to copy to: `s3` (the bucket of `[media]` / `NEWSDESK_MEDIA_S3_*`).
    #[arg(long, value_name = "STORE")]
    pub to: String,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    match opts.command {
        MediaCommand::Sync(sync) => run_sync(global, sync).await,
        MediaCommand::Sweep(sweep) => run_sweep(global, sweep).await,
    }
}

async fn run_sweep(global: &Global, opts: SweepOpts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let media = crate::media::settings(&config.data_dir).store;
    // The listing first, then the names in use: a row inserted in between is seen.
    let listed = media.list().await.context("cannot list the media store")?;
    let in_use = store.file_keys_in_use().await;
    store.close().await;
    let (photos, documents) = in_use?;
    let in_use = crate::media::sweep::InUse {
        photos: photos.into_iter().collect(),
        documents: documents.into_iter().collect(),
    };
    let cutoff = crate::domain::Clock::now(&crate::domain::SystemClock).as_second()
        - i64::from(opts.older_than) * 3600;
    let (gone, swept) = crate::media::sweep::removable(&listed, &in_use, cutoff);
    if !opts.dry_run {
        let bar = super::progress_bar(gone.len() as u64, "removing files");
        crate::media::sweep::remove(&media, &gone, &|| bar.inc(1))
            .await
            .context("cannot remove a file from the media store")?;
        bar.finish_and_clear();
    }
    let verb = if opts.dry_run { "would remove" } else { "removed" };
    println!(
        "{verb} {} file(s) ({:.1} MiB) that no photo or document names; {} in use; {} such file(s) \
         younger than {} h left for a later sweep; {} file(s) Newsdesk did not name left alone",
        swept.removed,
        swept.removed_bytes as f64 / 1_048_576.0,
        swept.in_use,
        swept.too_young,
        opts.older_than,
        swept.foreign
    );
    Ok(())
}

async fn run_sync(global: &Global, sync: SyncOpts) -> anyhow::Result<()> {
    if sync.to != "s3" {
        bail!("--to {}: the only place photos can be copied to is s3", sync.to);
    }
    let (config, store) = super::open(global).await?;
    store.close().await;
    if !matches!(config.media, StoreConfig::S3(_)) {
        bail!(
            "no bucket to copy to: set [media] store = \"s3\" with endpoint and bucket (or \
             NEWSDESK_MEDIA_STORE=s3, NEWSDESK_MEDIA_S3_ENDPOINT, NEWSDESK_MEDIA_S3_BUCKET) and the \
             credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        );
    }
    let bucket = crate::media::settings(&config.data_dir).store;
    let dir = config.data_dir.join("media");
    let local = MediaStore::Local { dir: dir.clone() };
    let mut names = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Only files this program named; leftovers of interrupted writes stay behind.
            if entry.file_type()?.is_file() && crate::media::parse_file_name(&name).is_some() {
                names.push(name);
            }
        }
    }
    names.sort();
    let bar = super::progress_bar(names.len() as u64, "copying photos");
    let (mut copied, mut skipped) = (0u64, 0u64);
    for name in &names {
        let bytes = local.read(name).await?.with_context(|| format!("{name} vanished while copying"))?;
        if bucket.size(name).await? == Some(bytes.len() as u64) {
            skipped += 1;
        } else {
            let kind =
                crate::media::parse_file_name(name).map(|n| n.kind()).unwrap_or(crate::media::Kind::Jpeg);
            bucket.put(name, &bytes, kind.mime()).await?;
            copied += 1;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("copied {copied} file(s) to the bucket; {skipped} were there already");
    Ok(())
}
