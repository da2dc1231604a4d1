//! Export: the whole site as Newsdesk JSON Lines, sections first, then every article in id
//! order, in any status, with its old addresses, then the static pages, then the old
//! addresses of lists and feeds.
//! Importing the output into an empty site recreates its text and every redirect.

use super::jsonl::{ArticleRecord, SectionRecord};
use crate::config::SiteConfig;
use crate::domain::dates;
use crate::storage::{Store, StoreError};
use std::io::Write;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

/// Articles fetched per query, so memory stays flat on large sites.
const BATCH: u32 = 500;

/// Writes every section and article to `out`; returns the number of articles.
pub async fn export(store: &Store, site: &SiteConfig, out: &mut dyn Write) -> Result<usize, ExportError> {
    let tz = &site.time_zone;
    let sections = store.sections().await?;
    let slugs: std::collections::HashMap<i64, String> =
        sections.iter().map(|s| (s.id, s.slug.clone())).collect();
    for s in sections {
        let record = SectionRecord { slug: s.slug, names: s.names, position: s.position };
        write_line(out, "section", &record)?;
    }
    let mut count = 0;
    let mut after = 0;
    loop {
        let articles = store.articles_after(after, BATCH).await?;
        let Some(last) = articles.last() else { break };
        let (paths, old_slugs) = store.old_addresses_between(after, last.id).await?;
        after = last.id;
        for a in articles {
            let section = slugs.get(&a.section_id).cloned();
            let mut old_paths: Vec<String> =
                paths.iter().filter(|(id, _)| *id == a.id).map(|(_, p)| p.clone()).collect();
            if let Some(section) = &section {
                let earlier = old_slugs.iter().filter(|(id, _)| *id == a.id);
                old_paths.extend(earlier.map(|(_, slug)| format!("/{}/{section}/{slug}", a.lang)));
            }
            let record = ArticleRecord {
                external_id: Some(a.external_id),
                translation_key: Some(a.translation_key),
                lang: Some(a.lang.to_string()),
                section,
                slug: Some(a.slug),
                title: a.title,
                lead: a.lead,
                body_html: Some(a.body_html),
                body_markdown: None,
                status: Some(a.status.to_string()),
                published_at: dates::rfc3339(a.publish_at, tz),
                created_at: Some(dates::rfc3339(a.created_at, tz)),
                updated_at: Some(dates::rfc3339(a.updated_at, tz)),
                tags: a.tags,
                bylines: a.bylines,
                old_paths,
            };
            write_line(out, "article", &record)?;
            count += 1;
        }
    }
    for page in store.pages().await? {
        let record = super::jsonl::PageRecord {
            // A page written here has none; an import finds it again by language and slug.
            external_id: page.external_id,
            lang: Some(page.lang),
            slug: Some(page.slug),
            title: page.title,
            body_html: page.body_html,
            status: Some(page.status),
        };
        write_line(out, "page", &record)?;
    }
    for (from, to) in store.path_redirects().await? {
        write_line(out, "redirect", &super::jsonl::RedirectRecord { from, to })?;
    }
    out.flush()?;
    Ok(count)
}

fn write_line(out: &mut dyn Write, kind: &str, record: &impl serde::Serialize) -> Result<(), ExportError> {
    let mut value = serde_json::to_value(record).map_err(std::io::Error::other)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("type".into(), kind.into());
    }
    serde_json::to_writer(&mut *out, &value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    Ok(())
}
