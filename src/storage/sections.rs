//! Section queries.

use super::rows::SectionRow;
use super::{BeginWrite, Result, Store, StoreError, with_pool};
use crate::domain::Section;
use std::collections::BTreeMap;

/// A section to create or update, matched by slug.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SectionInput {
    pub slug: String,
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub position: i64,
}

pub(crate) const UPSERT_SECTION: &str = "INSERT INTO sections (slug, names, position) VALUES ($1, $2, $3) \
     ON CONFLICT (slug) DO UPDATE SET names = excluded.names, position = excluded.position";

/// A change to a section touches no article, but every page's navigation; the entry names the
/// section (by its slug, `$1`) so webhooks can say which.
pub(crate) const LOG_SECTION_CHANGE: &str = "INSERT INTO changes (article_id, kind, section_id, at) \
     SELECT NULL, 'section', id, $2 FROM sections WHERE slug = $1";

impl Store {
    /// All sections in navigation order.
    pub async fn sections(&self) -> Result<Vec<Section>> {
        const SQL: &str = "SELECT id, slug, names, position FROM sections ORDER BY position, id";
        let rows: Vec<SectionRow> = with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?);
        rows.into_iter().map(Section::try_from).collect()
    }

    /// Creates a section, or renames and reorders the one with the same slug. The change is
    /// logged, so every node refreshes its navigation.
    pub async fn upsert_section(&self, input: &SectionInput, now: jiff::Timestamp) -> Result<()> {
        let names = serde_json::to_string(&input.names).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(UPSERT_SECTION)
                .bind(&input.slug)
                .bind(&names)
                .bind(input.position)
                .execute(&mut *tx)
                .await?;
            sqlx::query(LOG_SECTION_CHANGE).bind(&input.slug).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
