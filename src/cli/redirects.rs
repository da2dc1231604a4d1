//! `newsdesk redirects`: old addresses from the command line, for lists too long to paste
//! into the back office (a whole server configuration of `Redirect 301 …` or `rewrite …`
//! lines, or a CSV of old and new addresses).

use super::Global;
use crate::domain::redirect::pair;
use crate::domain::{Clock, SystemClock};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Add old addresses from a file: one per line, `old,new` (CSV), Apache's
    /// `Redirect 301 /old /new` or nginx's `rewrite ^/old/?$ /new permanent;`. All or none.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the old addresses starting with PREFIX (all when absent), one per line.
    List {
        #[arg(value_name = "PREFIX", default_value = "")]
        prefix: String,
    },
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    match opts.command {
        Sub::Import { file } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let mut pairs = Vec::new();
            for (i, line) in text.lines().enumerate() {
                match pair(line, &config.site.base_url) {
                    Ok(Some(p)) => pairs.push(p),
                    Ok(None) => {}
                    Err(e) => anyhow::bail!("{}: line {}: {e}; nothing was saved", file.display(), i + 1),
                }
            }
            store.save_redirects(&pairs, SystemClock.now()).await?;
            eprintln!("{} old addresses saved", pairs.len());
        }
        Sub::List { prefix } => {
            let key = if prefix.is_empty() {
                String::new()
            } else {
                crate::domain::redirect::source_key(&prefix).unwrap_or(prefix)
            };
            for row in store.redirects_page(&key, u32::MAX).await? {
                println!("{}\t{}", row.source, row.to.as_deref().unwrap_or("(not public)"));
            }
        }
    }
    store.close().await;
    Ok(())
}
