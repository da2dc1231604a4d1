//! Full-text search (placeholder: the index lands with the search work).

use crate::storage::Store;
use std::path::Path;

/// The node's search index.
#[derive(Debug)]
pub struct Search;

/// Why the index could not be opened, updated or queried.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
}

impl Search {
    /// Opens the index in `dir`, creating it if missing.
    pub fn open(_dir: &Path) -> Result<Search, SearchError> {
        Ok(Search)
    }

    /// Brings the index up to date with the store's change log; returns how many articles
    /// were (re)indexed.
    pub async fn catch_up(&self, _store: &Store) -> Result<usize, SearchError> {
        Ok(0)
    }
}
