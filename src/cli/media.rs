//! `newsdesk media sync --to s3`: copies a photo library kept on the node's disk
//! (`DATA/media`) into the bucket that `[media]` names, so a site can move its photos to
//! shared object storage and then run several nodes. Files already in the bucket with the same
//! size are skipped, so an interrupted sync is simply run again; nothing is deleted anywhere.

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
}

#[derive(Debug, clap::Args)]
pub struct SyncOpts {
    /// Where to copy to: `s3` (the bucket of `[media]` / `NEWSDESK_MEDIA_S3_*`).
    #[arg(long, value_name = "STORE")]
    pub to: String,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let MediaCommand::Sync(sync) = opts.command;
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
