//! Demo content: a small, hand-written bilingual site for first runs and screenshots
//! ([`site`]), and large generated corpora for benchmarks ([`corpus`]).

mod corpus;
mod site;

pub use corpus::corpus_chunk;
pub use site::{demo_site, sections};
