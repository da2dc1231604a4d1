//! `newsdesk demo`: fill an empty site with the hand-written demo content, or with
//! `--articles N` generated articles for benchmarks.

use super::Global;
use crate::config::Config;
use crate::domain::{Clock, SystemClock};
use crate::storage::{ListFilter, Store};
use anyhow::Context;
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
    let (sections, mut articles) = crate::demo::demo_site(now);
    let photos = demo_photos(store, config, now).await?;
    for article in &mut articles {
        let story = article.translation_key.as_deref().and_then(|k| k.strip_prefix("demo-"));
        let story: usize = story.and_then(|n| n.parse().ok()).unwrap_or(0);
        if let Some(index) = PHOTO_STORIES.iter().position(|n| *n == story) {
            article.extras.lead_image_id = photos.get(index).map(|p| p.id);
        }
    }
    let outcome = store.save_articles(&sections, &articles, now, &|| {}).await?;
    let clippings = crate::demo::clippings(now);
    for clipping in &clippings {
        store.create_clipping(clipping, None, now).await?;
    }
    let (events, galleries, documents) = demo_extras(store, config, now, &photos).await?;
    eprintln!(
        "added demo content: {} articles in {} sections, {} photos, {galleries} galleries, {events} events, \
         {documents} documents, \
         {} items of media about us",
        outcome.created,
        sections.len(),
        photos.len(),
        clippings.len()
    );
    Ok(true)
}

/// The demo's events, documents and galleries, written through the editorial core as an
/// editor would; returns how many of each.
async fn demo_extras(
    store: &Store,
    config: &Config,
    now: jiff::Timestamp,
    photos: &[crate::io::photos::Stored],
) -> anyhow::Result<(usize, usize, usize)> {
    use crate::newsroom::{Actor, Newsroom, NoFollowers};
    let clock = std::sync::Arc::new(crate::domain::FixedClock::new(now));
    let newsroom =
        Newsroom::new(store.clone(), clock, config.site.languages.clone(), std::sync::Arc::new(NoFollowers));
    let actor = Actor::system("demo");
    let id_of = async |story: usize, lang: &str| {
        store.article_id_by_external_id(&format!("demo-{story}-{lang}")).await
    };
    let (mut events, mut documents) = (0, 0);
    for event in crate::demo::events(now) {
        for (lang, place) in [("en", event.place_en), ("ru", event.place_ru)] {
            let Some(id) = id_of(event.story, lang).await? else { continue };
            let report = match event.report {
                Some(story) => match id_of(story, lang).await? {
                    Some(report) => store.article_by_id(report).await?.map(|a| a.slug).unwrap_or_default(),
                    None => String::new(),
                },
                None => String::new(),
            };
            let fields = crate::newsroom::events::EventFields {
                starts: event.starts.clone(),
                ends: event.ends.clone(),
                time_zone: event.time_zone.into(),
                place: place.into(),
                report,
            };
            newsroom.set_event(&actor, id, 0, &fields).await.context("cannot add a demo event")?;
            events += 1;
        }
    }
    let sections = store.sections().await?;
    let media = crate::media::settings(&config.data_dir).store;
    for document in crate::demo::documents::documents(now) {
        let mut news = Vec::new();
        for story in document.stories {
            for lang in ["en", "ru"] {
                let Some(id) = id_of(*story, lang).await? else { continue };
                let Some(a) = store.article_by_id(id).await? else { continue };
                let section =
                    sections.iter().find(|s| s.id == a.section_id).map(|s| s.slug.as_str()).unwrap_or("news");
                news.push(format!("/{lang}/{section}/{}", a.slug));
            }
        }
        let fields = crate::newsroom::documents::DocumentFields {
            kind: document.kind.into(),
            number: document.number.into(),
            date: document.date.clone(),
            texts: vec![
                ("en".into(), document.en.0.into(), document.en.1.into()),
                ("ru".into(), document.ru.0.into(), document.ru.1.into()),
            ],
            news: news.join("\n"),
        };
        let file = crate::newsroom::documents::Upload {
            name: document.file_name.into(),
            bytes: crate::demo::documents::pdf(document.en.0, document.en.1),
        };
        newsroom
            .add_document(&actor, &fields, &[file], &media)
            .await
            .context("cannot add a demo document")?;
        documents += 1;
    }
    let ids: Vec<i64> = photos.iter().map(|p| p.id).collect();
    let mut galleries = 0;
    // The photo exhibition's gallery (in Russian), and one beside the lead story's photo.
    for (story, lang, shown) in
        [(12, "ru", &ids[..]), (1, "en", ids.get(1..).unwrap_or(&[])), (1, "ru", ids.get(1..).unwrap_or(&[]))]
    {
        if let Some(id) = id_of(story, lang).await?
            && !shown.is_empty()
        {
            newsroom.set_gallery(&actor, id, &[], shown).await.context("cannot add a demo gallery")?;
            galleries += 1;
        }
    }
    Ok((events, galleries, documents))
}

/// The demo stories that have a lead photo (the others show how a story without one looks).
const PHOTO_STORIES: [usize; 6] = [1, 2, 4, 5, 7, 9];

/// Draws the demo photos and adds them to the media library, as an import would.
async fn demo_photos(
    store: &Store,
    config: &Config,
    now: jiff::Timestamp,
) -> anyhow::Result<Vec<crate::io::photos::Stored>> {
    let scratch =
        tempfile::tempdir_in(&config.data_dir).context("cannot make a scratch folder for demo photos")?;
    let mut files = Vec::new();
    for (i, story) in PHOTO_STORIES.iter().enumerate() {
        let path = scratch.path().join(format!("demo-{story}.jpg"));
        std::fs::write(&path, crate::demo::photos::photo(i)).context("cannot write a demo photo")?;
        files.push(crate::io::photos::PhotoFile {
            path,
            name: format!("demo-{story}.jpg"),
            alt: crate::demo::photos::describe(i).into(),
            caption: String::new(),
        });
    }
    Ok(crate::io::photos::store_all(store, &config.data_dir, &files, now).await?)
}
