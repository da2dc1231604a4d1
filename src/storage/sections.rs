//! Section queries.

use super::rows::SectionRow;
use super::{Result, Store, StoreError, with_pool};
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

impl Store {
    /// All sections in navigation order.
    pub async fn sections(&self) -> Result<Vec<Section>> {
        const SQL: &str = "SELECT id, slug, names, position FROM sections ORDER BY position, id";
        let rows: Vec<SectionRow> = with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?);
        rows.into_iter().map(Section::try_from).collect()
    }

    /// Creates a section, or renames and reorders the one with the same slug.
    pub async fn upsert_section(&self, input: &SectionInput) -> Result<()> {
        let names = serde_json::to_string(&input.names).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        with_pool!(self, p => sqlx::query(UPSERT_SECTION)
            .bind(&input.slug)
            .bind(&names)
            .bind(input.position)
            .execute(p)
            .await
            .map(|_| ())?);
        Ok(())
    }
}
