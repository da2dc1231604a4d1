//! Generated corpora for benchmarks (placeholder).

use crate::domain::ArticleInput;
use jiff::Timestamp;

/// Articles `start .. start + count` of a deterministic corpus of `total` articles.
pub fn corpus_chunk(_start: usize, _count: usize, _total: usize, _now: Timestamp) -> Vec<ArticleInput> {
    Vec::new()
}
