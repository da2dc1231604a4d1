//! `newsdesk import FILE...`: bring content in, all or nothing.

use super::Global;
use crate::domain::{Clock, Lang, SystemClock};
use crate::io::{self, Format, ImportOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Files to import (Newsdesk JSON Lines, a WordPress or Ghost export, RSS 2.0, Atom or JSON Feed).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read the files as this format instead of detecting it.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language for items that do not state one (for feeds and WordPress: overrides the
    /// export's language).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Section slug for items that do not state one [default: news].
    #[arg(long, value_name = "SLUG")]
    pub section: Option<String>,
    /// Put a WordPress category's posts (or those whose primary Ghost tag it is) in a section
    /// (`--map-category press-releases=news`); repeat for several. Unmapped WordPress
    /// categories become sections of the same slug.
    #[arg(long, value_name = "FROM=TO", value_parser = parse_mapping)]
    pub map_category: Vec<(String, String)>,
    /// A local copy of the old site's images: WordPress's `wp-content/uploads` or Ghost's
    /// `content/images` (`--images`); featured images become lead photos and images in the text
    /// come into the media library from it. Nothing is fetched over the network.
    #[arg(long, visible_alias = "images", value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// Read and check everything, print what would happen, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Says how many of the old site's authors became people here, and what they need.
fn say_people(added: usize) {
    if added > 0 {
        eprintln!(
            "  {added} people added as authors who cannot sign in until an admin invites them \
             (Users in the back office: Invite gives each a one-time set-password link)"
        );
    }
}

/// A progress bar over a file's bytes.
fn bytes_bar(total: u64, what: &'static str) -> indicatif::ProgressBar {
    let bar = super::progress_bar(total, what);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn parse_mapping(s: &str) -> Result<(String, String), String> {
    let (from, to) = s.split_once('=').ok_or("expected FROM=TO, e.g. press-releases=news")?;
    let (from, to) = (from.trim().to_lowercase(), to.trim().to_string());
    if from.is_empty() || !crate::domain::slug::is_valid(&to) {
        return Err(format!("'{s}': TO must be a section slug (lowercase letters, digits, hyphens)"));
    }
    Ok((from, to))
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let lang = opts.lang.as_deref().map(Lang::parse).transpose()?;
    if let Some(l) = &lang
        && !config.site.languages.contains(l)
    {
        anyhow::bail!("--lang: '{l}' is not one of the site's languages");
    }
    let category_map: BTreeMap<String, String> = opts.map_category.into_iter().collect();
    if let Some(dir) = &opts.uploads
        && !dir.is_dir()
    {
        anyhow::bail!("--uploads: {} is not a folder", dir.display());
    }
    let options = ImportOptions {
        format: opts.format,
        lang,
        section: opts.section,
        category_map,
        uploads: opts.uploads,
    };
    let now = SystemClock.now();
    if opts.dry_run {
        let mut plan = io::Plan::default();
        for path in &opts.files {
            io::plan_file(&store, &config.site, path, &options, now, &mut plan).await?;
        }
        println!("{}", plan.lines().join("\n"));
        println!("nothing was written (--dry-run)");
        store.close().await;
        return Ok(());
    }
    // Every file is read through and checked before the first chunk is saved: broken input
    // anywhere leaves the site as it was. What only saving can find stops the import with the
    // chunks before it saved; running the command again resumes.
    let total: u64 = opts.files.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum();
    let bar = bytes_bar(total, "checking");
    io::check(&store, &config.site, &opts.files, &options, now, &|bytes| bar.set_position(bytes)).await?;
    bar.finish_and_clear();
    for path in &opts.files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let bar = bytes_bar(size, "importing");
        let done = io::import_file(&store, &config.site, &config.data_dir, path, &options, now, &|bytes| {
            bar.set_position(bytes)
        })
        .await?;
        bar.finish_and_clear();
        eprintln!(
            "imported {} articles from {}: {} new, {} updated, {} unchanged",
            done.articles,
            path.display(),
            done.outcome.created,
            done.outcome.updated,
            done.outcome.unchanged
        );
        if done.sections > 0 {
            eprintln!("  {} section(s) created or updated", done.sections);
            if done.articles == 0 && done.pages == 0 {
                eprintln!("  the file holds sections only: no articles were in it");
            }
        }
        for line in done.report.lines() {
            eprintln!("  {line}");
        }
        say_people(done.outcome.people_added);
    }
    store.close().await;
    Ok(())
}
