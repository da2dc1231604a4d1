//! `newsdesk export`: the whole site as JSON Lines, to standard output or a file.

use super::Global;
use anyhow::Context;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Write to this file instead of standard output (written in full, then moved into place).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let count = match &opts.out {
        Some(path) => {
            let tmp = path.with_extension("partial");
            let file =
                std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut out = BufWriter::new(file);
            let count = crate::io::export::export(&store, &config.site, &mut out).await?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
            count
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let count = crate::io::export::export(&store, &config.site, &mut out).await?;
            out.flush()?;
            count
        }
    };
    eprintln!("exported {count} articles");
    store.close().await;
    Ok(())
}
