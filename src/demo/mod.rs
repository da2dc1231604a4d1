//! Demo content: a small, hand-written bilingual site for first runs and screenshots
//! ([`site`]) with photos drawn at run time ([`photos`]), and large generated corpora for
//! benchmarks ([`corpus`]).

mod corpus;
pub mod documents;
pub mod photos;
mod site;

pub use corpus::corpus_chunk;
pub use site::{DemoEvent, clippings, demo_site, events, sections};
