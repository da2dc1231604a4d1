//! `newsdesk import FILE...`: bring content in, all or nothing.

use super::Global;
use crate::domain::{Clock, Lang, SystemClock};
use crate::io::{self, Format, ImportOptions};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Files to import (Newsdesk JSON Lines, RSS 2.0, Atom or JSON Feed).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read the files as this format instead of detecting it.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language for items that do not state one (for feeds: overrides the feed's language).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Section slug for items that do not state one [default: news].
    #[arg(long, value_name = "SLUG")]
    pub section: Option<String>,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let lang = opts.lang.as_deref().map(Lang::parse).transpose()?;
    if let Some(l) = &lang {
        if !config.site.languages.contains(l) {
            anyhow::bail!("--lang: '{l}' is not one of the site's languages");
        }
    }
    let options = ImportOptions { format: opts.format, lang, section: opts.section };
    let now = SystemClock.now();
    let batch = io::read_all(&store, &config.site, now, &opts.files, &options).await?;
    let bar = super::progress_bar(batch.articles.len() as u64, "importing");
    let outcome = io::save(&store, &batch, now, &|| bar.inc(1)).await?;
    bar.finish_and_clear();
    eprintln!(
        "imported {} articles: {} new, {} updated, {} unchanged",
        batch.articles.len(),
        outcome.created,
        outcome.updated,
        outcome.unchanged
    );
    store.close().await;
    Ok(())
}
