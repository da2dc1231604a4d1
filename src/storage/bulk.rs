//! What a bulk save needs to know of the database before its chunk, read in a few statements.
//!
//! Saving an imported article asks three questions of the database: is it there already (by
//! its external id), is its slug taken, does its translation key already have this language.
//! Asked one article at a time that is three round trips per article, most of an import's
//! time on PostgreSQL. [`known_before!`] asks them for a whole chunk at once, with `IN` lists
//! of at most [`MAX_IN`] names. What the chunk itself then writes is noted in
//! [`Known::touched`]; an article whose names an earlier article of the same chunk touched is
//! asked about one at a time, as before, so the answers are never stale.

use super::rows::ArticleRow;
use std::collections::{HashMap, HashSet};

/// The most names in one `IN` list: well under both backends' bind limits.
pub(crate) const MAX_IN: usize = 500;

/// Which kind of name a chunk touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Name {
    ExternalId,
    /// A (language, slug) held by an article.
    Slug,
    /// A (translation key, language).
    Translation,
    /// A (language, slug) that redirects to an article.
    Redirect,
}

/// The database's answers for one chunk, before it was saved.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// Articles by external id.
    pub existing: HashMap<String, ArticleRow>,
    /// Which article holds each (language, slug).
    pub holders: HashMap<(String, String), i64>,
    /// Which article (id, external id) has each (translation key, language).
    pub translations: HashMap<(String, String), (i64, String)>,
    /// The (language, slug)s that redirect somewhere.
    pub redirects: HashSet<(String, String)>,
    /// Names the chunk has written so far.
    touched: HashSet<(Name, String, String)>,
}

impl Known {
    /// Notes a name the chunk wrote (or released); later questions about it go to the database.
    pub fn touch(&mut self, name: Name, a: &str, b: &str) {
        self.touched.insert((name, a.to_string(), b.to_string()));
    }

    pub fn is_touched(&self, name: Name, a: &str, b: &str) -> bool {
        self.touched.contains(&(name, a.to_string(), b.to_string()))
    }
}

/// `$first, $first+1, …` for `n` binds.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Reads [`Known`] for the chunk whose articles have these `(external id, language, wanted
/// slug, translation key)`s, inside the transaction `$tx`. Evaluates to
/// `Result<Known, sqlx::Error>`.
macro_rules! known_before {
    ($tx:expr, $keys:expr) => {
        async {
            use $crate::storage::bulk::{Known, MAX_IN, placeholders};
            use $crate::storage::rows::{ARTICLE_COLUMNS, ArticleRow};
            let keys: &[(String, String, String, String)] = $keys;
            let mut known = Known::default();
            let external: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
            for part in external.chunks(MAX_IN) {
                let sql = format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id IN ({})",
                    placeholders(1, part.len())
                );
                let mut query = sqlx::query_as::<_, ArticleRow>(&sql);
                for e in part {
                    query = query.bind(*e);
                }
                for row in query.fetch_all(&mut *$tx).await? {
                    known.existing.insert(row.external_id.clone(), row);
                }
            }
            let translation: Vec<&str> = keys.iter().map(|k| k.3.as_str()).collect();
            for part in translation.chunks(MAX_IN) {
                let sql = format!(
                    "SELECT translation_key, lang, id, external_id FROM articles WHERE translation_key IN ({})",
                    placeholders(1, part.len())
                );
                let mut query = sqlx::query_as::<_, (String, String, i64, String)>(&sql);
                for t in part {
                    query = query.bind(*t);
                }
                for (key, lang, id, external) in query.fetch_all(&mut *$tx).await? {
                    known.translations.insert((key, lang), (id, external));
                }
            }
            // Slugs are unique per language and indexed as (lang, slug): one list per language.
            let mut langs: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
            langs.sort_unstable();
            langs.dedup();
            for lang in langs {
                let slugs: Vec<&str> = keys.iter().filter(|k| k.1 == lang).map(|k| k.2.as_str()).collect();
                for part in slugs.chunks(MAX_IN) {
                    let list = placeholders(2, part.len());
                    let sql = format!("SELECT slug, id FROM articles WHERE lang = $1 AND slug IN ({list})");
                    let mut query = sqlx::query_as::<_, (String, i64)>(&sql).bind(lang);
                    for s in part {
                        query = query.bind(*s);
                    }
                    for (slug, id) in query.fetch_all(&mut *$tx).await? {
                        known.holders.insert((lang.to_string(), slug), id);
                    }
                    let sql = format!("SELECT slug FROM slug_redirects WHERE lang = $1 AND slug IN ({list})");
                    let mut query = sqlx::query_scalar::<_, String>(&sql).bind(lang);
                    for s in part {
                        query = query.bind(*s);
                    }
                    for slug in query.fetch_all(&mut *$tx).await? {
                        known.redirects.insert((lang.to_string(), slug));
                    }
                }
            }
            Ok::<Known, sqlx::Error>(known)
        }
    };
}
pub(crate) use known_before;
