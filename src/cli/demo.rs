//! `newsdesk demo`: fill an empty site with the hand-written demo content, or with
//! `--articles N` generated articles for benchmarks.

use super::Global;
use crate::config::Config;
use crate::domain::{Clock, SystemClock};
use crate::storage::{ListFilter, Store};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Generate this many articles (about 600 words each, both languages, ten years) instead of
    /// the hand-written demo site.
    #[arg(long, value_name = "N")]
    pub articles: Option<usize>,
}

/// Generated articles saved per transaction.
const CHUNK: usize = 2_000;

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let clock = SystemClock;
    match opts.articles {
        None => {
            if !fill_demo_if_empty(&store, &config, &clock).await? {
                anyhow::bail!("the site already has articles; demo content is only added to an empty site");
            }
        }
        Some(total) => {
            if has_articles(&store, &config).await? {
                anyhow::bail!(
                    "the site already has articles; generate a corpus into an empty data directory"
                );
            }
            let started = Instant::now();
            let now = clock.now();
            let bar = super::progress_bar(total as u64, "generating");
            let sections = crate::demo::sections();
            let mut start = 0;
            while start < total {
                let chunk = crate::demo::corpus_chunk(start, CHUNK, total, now);
                let first = if start == 0 { sections.as_slice() } else { &[] };
                store.save_articles(first, &chunk, now, &|| bar.inc(1)).await?;
                start += CHUNK;
            }
            bar.finish_and_clear();
            eprintln!("generated {total} articles in {:.1} s", started.elapsed().as_secs_f64());
        }
    }
    store.close().await;
    Ok(())
}

async fn has_articles(store: &Store, config: &Config) -> anyhow::Result<bool> {
    for lang in &config.site.languages {
        if store.count_published(&ListFilter::all(lang.clone())).await? > 0 {
            return Ok(true);
        }
    }
    Ok(store.articles_after(0, 1).await?.len() == 1)
}

/// Loads the demo site if there are no articles yet; returns whether it did.
pub async fn fill_demo_if_empty(store: &Store, config: &Config, clock: &dyn Clock) -> anyhow::Result<bool> {
    if has_articles(store, config).await? {
        return Ok(false);
    }
    let now = clock.now();
    let (sections, articles) = crate::demo::demo_site(now);
    let outcome = store.save_articles(&sections, &articles, now, &|| {}).await?;
    eprintln!("added demo content: {} articles in {} sections", outcome.created, sections.len());
    Ok(true)
}
