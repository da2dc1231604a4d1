//! "Related news": articles whose titles share the most telling words with a given title.
//!
//! This runs on the first render of every article page, so it must cost a fraction of a
//! millisecond at 100,000 articles. Three habits keep it there:
//! - only the title's rarest words are asked for (common words say little and have the longest
//!   posting lists);
//! - the query is a pure disjunction of title terms with no filter and no total count, which
//!   lets Tantivy skip whole blocks of documents that cannot reach the top (block-max WAND);
//! - candidates are ranked by recency and section from fast fields; the document store is not
//!   read at all.

use super::{Analyzer, Search, SearchError};
use jiff::Timestamp;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

/// Title words asked for at most.
const MAX_TERMS: usize = 3;
/// Best-scoring candidates ranked by recency and section before the few shown are picked.
const CANDIDATES: usize = 12;
/// Candidates published within this distance of the article come before older ones.
const RECENT: i64 = 365 * 86_400;

/// The article the similar ones are sought for.
#[derive(Debug, Clone, Copy)]
pub struct Like<'a> {
    pub id: i64,
    pub lang: &'a str,
    pub title: &'a str,
    pub section_id: i64,
    pub publish_at: Timestamp,
}

impl Search {
    /// Up to `limit` articles in the same language whose titles share words with `like`'s,
    /// the article itself excluded. Those published within a year of it come first, and among
    /// them those of the same section; within each group the better match comes first.
    /// Only ids are returned: pages read the rest from the database, and not reading the
    /// document store keeps its pages out of memory.
    pub fn similar(&self, like: &Like<'_>, limit: usize) -> Result<Vec<i64>, SearchError> {
        let analyzer = Analyzer::for_lang(like.lang);
        let field = self.fields.title[analyzer.index()];
        let searcher = self.reader.searcher();

        let mut words = Vec::new();
        let mut tokens = self.analyzers[analyzer.index()].clone();
        let mut stream = tokens.token_stream(like.title);
        while let Some(token) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            if token.text.chars().count() > 2 && !words.contains(&token.text) {
                words.push(token.text.clone());
            }
        }
        let mut terms = Vec::with_capacity(words.len());
        for word in words {
            let term = Term::from_field_text(field, &word);
            // A word only this article has finds nothing else.
            let df = searcher.doc_freq(&term)?;
            if df > 1 {
                terms.push((df, term));
            }
        }
        terms.sort_by_key(|(df, _)| *df);
        terms.truncate(MAX_TERMS);
        if terms.is_empty() {
            return Ok(Vec::new());
        }

        // First the articles that have the rarest word, the others adding to their score: the
        // rarest word's postings drive the search, so it costs little however common the
        // other words are. Too few of those, and any of the words will do.
        let mut top = self.similar_query(&searcher, like, &terms, Occur::Must)?;
        if top.len() <= limit && terms.len() > 1 {
            for hit in self.similar_query(&searcher, like, &terms, Occur::Should)? {
                if !top.iter().any(|(_, a)| *a == hit.1) {
                    top.push(hit);
                }
            }
        }

        // Rank by (outside the year, other section), keeping score order within each group.
        let mut ranked = Vec::with_capacity(top.len());
        for (rank, (_, address)) in top.into_iter().enumerate() {
            let fast = searcher.segment_reader(address.segment_ord).fast_fields();
            let value = |name: &str| -> Result<Option<i64>, SearchError> {
                Ok(fast.i64(name)?.first(address.doc_id))
            };
            let (Some(id), Some(section_id), Some(published)) =
                (value("id")?, value("section")?, value("publish_at")?)
            else {
                continue;
            };
            if id == like.id {
                continue;
            }
            let distant = (published - like.publish_at.as_second()).abs() > RECENT;
            ranked.push(((distant, section_id != like.section_id, rank), id));
        }
        ranked.sort_by_key(|r| r.0);

        let found = ranked.into_iter().take(limit).map(|(_, id)| id).collect();
        Ok(found)
    }

    /// The best candidates for the terms (rarest first); `first` is how the rarest one counts.
    fn similar_query(
        &self,
        searcher: &tantivy::Searcher,
        like: &Like<'_>,
        terms: &[(u64, Term)],
        first: Occur,
    ) -> Result<Vec<(tantivy::Score, tantivy::DocAddress)>, SearchError> {
        let term_query =
            |t: &Term| Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)) as Box<dyn Query>;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .enumerate()
            .map(|(i, (_, t))| (if i == 0 { first } else { Occur::Should }, term_query(t)))
            .collect();
        if Analyzer::for_lang(like.lang) == Analyzer::Plain {
            // Several languages share the plain fields; the language filter costs the block
            // skipping, but only for languages without their own analyzer.
            let lang = Term::from_field_text(self.fields.lang, like.lang);
            let filter = ConstScoreQuery::new(Box::new(TermQuery::new(lang, IndexRecordOption::Basic)), 0.0);
            clauses.push((Occur::Must, Box::new(filter)));
        }
        let query = BooleanQuery::new(clauses);
        Ok(searcher.search(&query, &TopDocs::with_limit(CANDIDATES).order_by_score())?)
    }
}
