//! Answering queries: the index finds a page of hits and counts the matches, the database
//! gives the texts their snippets are cut from.

use super::highlight::Highlighter;
use super::schema::searchable_text;
use super::{Analyzer, Hit, Search, SearchError, SearchRequest, SearchResults, Sort, query, run_query};
use crate::storage::Store;
use jiff::Timestamp;
use std::ops::Bound;
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Order, Searcher, TERMINATED, TantivyDocument, Term};

/// Matches are counted up to this many: an exact count of a common word at a million articles
/// would visit every match, which the ranking no longer does. Pages beyond it are not offered.
pub const COUNT_CAP: usize = 10_000;
/// Length of a result's snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// What the index finds for a query: (id, section, slug, title, publish time) per hit.
type Found = Vec<(i64, i64, String, String, i64)>;

/// How many articles matched, as far as they were counted ([`COUNT_CAP`]).
#[derive(Debug, Clone, Copy)]
struct Total {
    n: usize,
    /// More matched than `n`: the count stopped.
    more: bool,
}

/// A search with everything owned, to hand to the blocking pool.
struct Find {
    lang: String,
    text: String,
    section_id: Option<i64>,
    tag: Option<String>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    sort: Sort,
    offset: usize,
    limit: usize,
}

impl Search {
    /// One page of results. Never fails on what the reader typed: syntax the parser cannot use
    /// is dropped (lenient parsing), and a query with no words finds nothing. The index is
    /// read on the blocking pool ([`run_query`]); snippets come from the database after.
    pub async fn search(
        self: &Arc<Self>,
        store: &Store,
        req: &SearchRequest<'_>,
    ) -> Result<SearchResults, SearchError> {
        let analyzer = Analyzer::for_lang(req.lang);
        let k = analyzer.index();
        let text = query::sanitize(req.text);
        if text.trim().is_empty() {
            return Ok(SearchResults::default());
        }
        if !self.is_ready() {
            return Err(SearchError::NotReady);
        }
        let find = Find {
            lang: req.lang.to_string(),
            text,
            section_id: req.section_id,
            tag: req.tag.map(str::to_string),
            from: req.from,
            to: req.to,
            sort: req.sort,
            offset: req.offset,
            limit: req.limit,
        };
        let this = self.clone();
        let (total, found, terms) = run_query(move || this.find(k, &find)).await?;
        self.finish(store, k, total, found, terms).await
    }

    /// The index part of [`search`](Self::search): total, hits and the query's terms (for
    /// highlighting).
    fn find(&self, k: usize, req: &Find) -> Result<(Total, Found, Vec<String>), SearchError> {
        let text = &req.text;
        let (user_query, errors) = self.parsers[k].parse_query_lenient(text);
        if !errors.is_empty() {
            tracing::debug!(query = %text, errors = ?errors, "search query parsed leniently");
        }
        let (title_field, words_field) = (self.fields.title[k], self.fields.words[k]);
        let mut terms = Vec::new();
        user_query.query_terms(&mut |term, _| {
            if term.field() == words_field
                && let Some(s) = term.value().as_str()
                && !terms.iter().any(|t| t == s)
            {
                terms.push(s.to_string());
            }
        });
        let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // English and Russian have analyzers (and so fields) of their own: only the plain
        // analyzer's fields are shared by several languages and need the language as a filter.
        if Analyzer::for_lang(&req.lang).is_shared() {
            let lang = Term::from_field_text(self.fields.lang, &req.lang);
            clauses.push(filter(Box::new(TermQuery::new(lang, IndexRecordOption::Basic))));
        }
        if let Some(section) = req.section_id {
            let term = Term::from_field_i64(self.fields.section, section);
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(tag) = &req.tag {
            let term = Term::from_field_text(self.fields.tag, tag);
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if req.from.is_some() || req.to.is_some() {
            let bound = |t: Option<Timestamp>, make: fn(Term) -> Bound<Term>| match t {
                Some(t) => make(Term::from_field_i64(self.fields.publish_at, t.as_second())),
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(bound(req.from, Bound::Included), bound(req.to, Bound::Excluded));
            clauses.push(filter(Box::new(range)));
        }
        // Without filters the parsed query is used as it is: a plain intersection of terms is
        // what Tantivy's block-max pruning recognises (a wrapping query would hide it).
        let query: Box<dyn Query> = if clauses.is_empty() {
            user_query
        } else {
            clauses.insert(0, (Occur::Must, user_query));
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let addresses: Vec<DocAddress> = match req.sort {
            Sort::Relevance => {
                searcher.search(&query, &top.order_by_score())?.into_iter().map(|(_, a)| a).collect()
            }
            Sort::Date => searcher
                .search(&query, &top.order_by_fast_field::<i64>("publish_at", Order::Desc))?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
        };
        // Always enough to tell whether a next page exists.
        let cap = COUNT_CAP.max(req.offset + req.limit + 1);
        let counted = count_up_to(&searcher, query.as_ref(), cap)?;
        let total = Total { n: counted.min(cap), more: counted > cap };
        let mut found = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let str_of =
                |f: Field| doc.get_first(f).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let int_of = |f: Field| doc.get_first(f).and_then(|v| v.as_i64()).unwrap_or_default();
            found.push((
                int_of(self.fields.id),
                int_of(self.fields.section),
                str_of(self.fields.slug),
                str_of(title_field),
                int_of(self.fields.publish_at),
            ));
        }
        Ok((total, found, terms))
    }

    /// The database part of [`search`](Self::search): snippets from the stored texts.
    async fn finish(
        &self,
        store: &Store,
        k: usize,
        total: Total,
        found: Found,
        terms: Vec<String>,
    ) -> Result<SearchResults, SearchError> {
        let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        let texts = if ids.is_empty() { Default::default() } else { store.search_texts(&ids).await? };
        let mut highlighter = Highlighter::new(self.analyzers[k].clone(), terms);
        let hits = found
            .into_iter()
            .map(|(id, section_id, slug, title, publish_at)| {
                let text = texts.get(&id).map(|(lead, body)| searchable_text(lead, body)).unwrap_or_default();
                Hit {
                    id,
                    section_id,
                    slug,
                    title_html: highlighter.mark_all(&title),
                    snippet_html: highlighter.snippet(&text, SNIPPET_CHARS),
                    title,
                    publish_at: Timestamp::from_second(publish_at).unwrap_or(Timestamp::UNIX_EPOCH),
                }
            })
            .collect();
        Ok(SearchResults { total: total.n, more: total.more, hits })
    }
}

/// How many articles match, counting no further than `cap` (one more than it at most): the
/// matches are walked without scoring, and a common word stops costing at the cap.
fn count_up_to(searcher: &Searcher, query: &dyn Query, cap: usize) -> tantivy::Result<usize> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0;
    for reader in searcher.segment_readers() {
        let mut docs = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n > cap {
                    return Ok(n);
                }
            }
            doc = docs.advance();
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::schema;
    use tantivy::query::QueryParser;
    use tantivy::{Index, IndexWriter};

    #[test]
    fn counting_stops_one_past_the_cap() {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        for a in Analyzer::ALL {
            index.tokenizers().register(&a.tokenizer_name(), a.build());
        }
        let en = Analyzer::for_lang("en");
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for n in 0..5 {
            let mut doc = TantivyDocument::new();
            doc.add_i64(fields.id, n);
            let text = if n == 4 { "annual report" } else { "annual budget report" };
            doc.add_text(fields.words[en.index()], text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![fields.words[en.index()]]);
        let both = parser.parse_query("+budget +report").unwrap();
        assert_eq!(count_up_to(&searcher, both.as_ref(), 10).unwrap(), 4, "an exact count under the cap");
        assert_eq!(count_up_to(&searcher, both.as_ref(), 2).unwrap(), 3, "cap + 1: more than the cap");
        writer.delete_term(Term::from_field_i64(fields.id, 0));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(count_up_to(&searcher, both.as_ref(), 10).unwrap(), 3, "deleted articles do not count");
    }

    #[tokio::test]
    async fn empty_and_odd_queries_find_nothing_without_failing() {
        let tmp = tempfile::tempdir().unwrap();
        let search = Arc::new(Search::open(&tmp.path().join("search")).unwrap());
        let url = format!("sqlite://{}?mode=rwc", tmp.path().join("site.db").display());
        let store = Store::open(&url).await.unwrap();
        // A new index refuses searches until it is built, rather than finding nothing.
        assert!(!search.is_ready());
        let req = SearchRequest {
            lang: "en",
            text: "anything",
            section_id: None,
            tag: None,
            from: None,
            to: None,
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
        };
        assert!(matches!(search.search(&store, &req).await, Err(SearchError::NotReady)));
        search.catch_up(&store).await.unwrap();
        assert!(search.is_ready());
        for text in ["", "   ", "!!!", "\"unclosed", "a AND OR", "-only", "title_en:x", "(((", "*"] {
            let req = SearchRequest { text, ..req.clone() };
            let results = search.search(&store, &req).await.unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(results.total, 0, "{text:?}");
        }
    }
}
