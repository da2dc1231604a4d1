//! The timeline: every published article's language, section, publication time and id, small
//! enough to hold in memory (about 24 bytes an article). List pages find any page — page 2,000
//! of all news included — and its total by index arithmetic and binary search, then load just
//! that page's rows by id: no OFFSET scans, no COUNT(*) over the archive.

use super::articles::{ArticleSummary, ListFilter};
use super::rows::SummaryRow;
use super::{Result, Store, StoreError, with_pool};
use std::collections::HashMap;

/// `(publish_at, id)` pairs, newest first.
type List = Vec<(i64, i64)>;

/// Published articles in list order (newest first), per language and per language and section.
#[derive(Debug, Default)]
pub struct Timeline {
    lists: HashMap<(String, Option<i64>), List>,
}

impl Timeline {
    /// The total a filter matches and the ids of one page of it, in list order.
    pub fn page(&self, filter: &ListFilter, limit: u32, offset: u64) -> (u64, Vec<i64>) {
        let key = (filter.lang.as_str().to_string(), filter.section_id);
        let Some(list) = self.lists.get(&key) else { return (0, Vec::new()) };
        // Sorted by publication time descending: entries at or after `to` come first, entries
        // before `from` come last.
        let start = filter.to.map_or(0, |to| list.partition_point(|(at, _)| *at >= to.as_second()));
        let end =
            filter.from.map_or(list.len(), |from| list.partition_point(|(at, _)| *at >= from.as_second()));
        let matched = list.get(start..end.max(start)).unwrap_or(&[]);
        let from = usize::try_from(offset).unwrap_or(usize::MAX).min(matched.len());
        let to = from.saturating_add(limit as usize).min(matched.len());
        (matched.len() as u64, matched[from..to].iter().map(|(_, id)| *id).collect())
    }

    /// Keyset paging: up to `limit` ids after `after` (a `(publish_at, id)` already seen), in
    /// list order, and whether more follow. Stable while articles are published meanwhile.
    pub fn page_after(
        &self,
        filter: &ListFilter,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> (Vec<(i64, i64)>, bool) {
        let key = (filter.lang.as_str().to_string(), filter.section_id);
        let Some(list) = self.lists.get(&key) else { return (Vec::new(), false) };
        let start = filter.to.map_or(0, |to| list.partition_point(|(at, _)| *at >= to.as_second()));
        let end =
            filter.from.map_or(list.len(), |from| list.partition_point(|(at, _)| *at >= from.as_second()));
        let matched = list.get(start..end.max(start)).unwrap_or(&[]);
        let from = after.map_or(0, |(at, id)| matched.partition_point(|&(a, i)| (a, i) >= (at, id)));
        let to = from.saturating_add(limit as usize).min(matched.len());
        (matched[from..to].to_vec(), to < matched.len())
    }

    /// Whether an article is in the timeline (published) with this publication time.
    pub fn contains(&self, lang: &str, publish_at: i64, id: i64) -> bool {
        let Some(list) = self.lists.get(&(lang.to_string(), None)) else { return false };
        // Newest first: reverse the order of (publish_at, id) for the search.
        list.binary_search_by(|&(at, other)| (publish_at, id).cmp(&(at, other))).is_ok()
    }

    /// The first and last publication times in a language, for the archive's calendar.
    pub fn span(&self, lang: &str) -> Option<(i64, i64)> {
        let list = self.lists.get(&(lang.to_string(), None))?;
        Some((list.last()?.0, list.first()?.0))
    }

    /// How many published articles it holds.
    pub fn len(&self) -> usize {
        self.lists.iter().filter(|((_, section), _)| section.is_none()).map(|(_, v)| v.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes an article out of every list it is in. `hint` is where the caller believes it
    /// is (language, section, publication time): found by binary search when right, by a scan
    /// of the language's lists otherwise (a change made on another node).
    pub fn remove(&mut self, id: i64, hint: Option<(&str, i64, i64)>) {
        if let Some((lang, section, at)) = hint {
            let all = self.remove_from(&(lang.to_string(), None), at, id);
            let one = self.remove_from(&(lang.to_string(), Some(section)), at, id);
            if all && one {
                return;
            }
        }
        for list in self.lists.values_mut() {
            list.retain(|(_, other)| *other != id);
        }
        self.lists.retain(|_, list| !list.is_empty());
    }

    fn remove_from(&mut self, key: &(String, Option<i64>), at: i64, id: i64) -> bool {
        let Some(list) = self.lists.get_mut(key) else { return false };
        match list.binary_search_by(|&(a, other)| (at, id).cmp(&(a, other))) {
            Ok(i) => {
                list.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Puts a published article into its language's list and its section's list.
    pub fn insert(&mut self, id: i64, lang: &str, section: i64, at: i64) {
        for key in [(lang.to_string(), None), (lang.to_string(), Some(section))] {
            let list = self.lists.entry(key).or_default();
            if let Err(i) = list.binary_search_by(|&(a, other)| (at, id).cmp(&(a, other))) {
                list.insert(i, (at, id));
            }
        }
    }
}

/// Unpacks `lang section publish_at id …` (newest first) into per-list vectors.
fn parse_timeline(packed: &str) -> Result<Timeline> {
    let mut lists: HashMap<(&str, Option<i64>), List> = HashMap::new();
    let mut fields = packed.split(' ');
    let corrupt = || StoreError::Corrupt("the article timeline could not be read".into());
    while let Some(lang) = fields.next().filter(|l| !l.is_empty()) {
        let mut number = || -> Result<i64> { fields.next().and_then(|f| f.parse().ok()).ok_or_else(corrupt) };
        let (section_id, publish_at, id) = (number()?, number()?, number()?);
        lists.entry((lang, None)).or_default().push((publish_at, id));
        lists.entry((lang, Some(section_id))).or_default().push((publish_at, id));
    }
    let lists =
        lists.into_iter().map(|((lang, section), list)| ((lang.to_string(), section), list)).collect();
    Ok(Timeline { lists })
}

/// Where a published article stands in the timeline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TimelineEntry {
    pub id: i64,
    pub lang: String,
    pub section_id: i64,
    pub publish_at: i64,
}

impl Store {
    /// Those of the given articles that are published, with their place in the timeline.
    pub async fn timeline_entries(&self, ids: &[i64]) -> Result<Vec<TimelineEntry>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, lang, section_id, publish_at FROM articles WHERE status = 'published' \
                 AND deleted_at IS NULL AND id IN ({})",
                placeholders.join(", ")
            );
            let rows: Vec<TimelineEntry> = with_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// Reads the timeline of every published article.
    ///
    /// This runs after every change to public content, so it must be quick at 100,000
    /// articles: the rows come packed into one string (`lang section publish_at id`, space
    /// separated, newest first) from a covering index, instead of as 100,000 rows each paying
    /// the driver's per-row cost.
    pub async fn load_timeline(&self) -> Result<Timeline> {
        const SQL: &str = "SELECT COALESCE(group_concat(lang || ' ' || section_id || ' ' || publish_at || ' ' || id, ' ' \
                           ORDER BY publish_at DESC, id DESC), '') FROM articles WHERE status = 'published'";
        const SQL_PG: &str = "SELECT COALESCE(string_agg(lang || ' ' || section_id || ' ' || publish_at || ' ' || id, ' ' \
                              ORDER BY publish_at DESC, id DESC), '') FROM articles WHERE status = 'published'";
        let packed: String = match &self.pool {
            super::Pool::Sqlite(p) => sqlx::query_scalar(SQL).fetch_one(p).await?,
            super::Pool::Postgres(p) => sqlx::query_scalar(SQL_PG).fetch_one(p).await?,
        };
        // Parsing 100,000 entries takes milliseconds: off the request threads.
        tokio::task::spawn_blocking(move || parse_timeline(&packed))
            .await
            .map_err(|e| StoreError::Corrupt(format!("reading the timeline failed: {e}")))?
    }

    /// List rows for the given ids, in the order given (missing ids are skipped).
    pub async fn summaries_by_ids(&self, ids: &[i64]) -> Result<Vec<ArticleSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {}, {} FROM articles WHERE id IN ({})",
            super::articles::SUMMARY_COLUMNS,
            super::media::LEAD_IMAGE_COLUMNS,
            placeholders.join(", ")
        );
        let rows: Vec<SummaryRow> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        let mut by_id: HashMap<i64, SummaryRow> = rows.into_iter().map(|r| (r.id, r)).collect();
        ids.iter().filter_map(|id| by_id.remove(id)).map(ArticleSummary::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn timeline() -> Timeline {
        let mut t = Timeline::default();
        // ids 10..1, times 1000, 900, ... 100; sections alternate 1, 2.
        for i in (1..=10).rev() {
            t.lists.entry(("en".into(), None)).or_default().push((i * 100, i));
            t.lists.entry(("en".into(), Some(i % 2))).or_default().push((i * 100, i));
        }
        t
    }

    #[test]
    fn pages_and_totals() {
        let t = timeline();
        let all = ListFilter::all(Lang::parse("en").unwrap());
        assert_eq!(t.page(&all, 3, 0), (10, vec![10, 9, 8]));
        assert_eq!(t.page(&all, 3, 9), (10, vec![1]));
        assert_eq!(t.page(&all, 3, 50), (10, vec![]));
        let section = ListFilter { section_id: Some(0), ..all.clone() };
        assert_eq!(t.page(&section, 10, 0), (5, vec![10, 8, 6, 4, 2]));
        let ru = ListFilter::all(Lang::parse("ru").unwrap());
        assert_eq!(t.page(&ru, 10, 0), (0, vec![]));
        assert_eq!(t.len(), 10);
    }

    #[test]
    fn packed_timelines_parse_and_damage_is_an_error() {
        let t = parse_timeline("en 1 300 3 ru 2 250 9 en 2 200 2").unwrap();
        let en = ListFilter::all(Lang::parse("en").unwrap());
        assert_eq!(t.page(&en, 10, 0), (2, vec![3, 2]));
        assert_eq!(t.page(&ListFilter { section_id: Some(2), ..en }, 10, 0), (1, vec![2]));
        assert!(parse_timeline("").unwrap().is_empty());
        assert!(parse_timeline("en 1 300").is_err());
        assert!(parse_timeline("en 1 x 3").is_err());
    }

    #[test]
    fn keyset_pages_continue_where_the_last_ended() {
        let t = timeline();
        let all = ListFilter::all(Lang::parse("en").unwrap());
        let (first, more) = t.page_after(&all, None, 4);
        assert_eq!(first.iter().map(|e| e.1).collect::<Vec<_>>(), vec![10, 9, 8, 7]);
        assert!(more);
        let (next, more) = t.page_after(&all, first.last().copied(), 4);
        assert_eq!(next.iter().map(|e| e.1).collect::<Vec<_>>(), vec![6, 5, 4, 3]);
        assert!(more);
        let (last, more) = t.page_after(&all, next.last().copied(), 4);
        assert_eq!(last.iter().map(|e| e.1).collect::<Vec<_>>(), vec![2, 1]);
        assert!(!more);
    }

    #[test]
    fn articles_move_in_and_out_in_order() {
        let mut t = timeline();
        let en = ListFilter::all(Lang::parse("en").unwrap());
        t.insert(11, "en", 1, 550);
        assert_eq!(t.page(&en, 7, 0).1, vec![10, 9, 8, 7, 6, 11, 5]);
        let section = ListFilter { section_id: Some(1), ..en.clone() };
        assert_eq!(t.page(&section, 4, 0).1, vec![9, 7, 11, 5]);
        t.insert(11, "en", 1, 550);
        assert_eq!(t.len(), 11, "inserting twice keeps one");
        t.remove(11, Some(("en", 1, 550)));
        t.remove(4, None);
        t.remove(6, Some(("en", 1, 999)));
        assert_eq!(t.page(&en, 10, 0).1, vec![10, 9, 8, 7, 5, 3, 2, 1]);
        assert!(!t.contains("en", 400, 4));
        t.remove(12, None);
        assert_eq!(t.len(), 8);
    }

    #[test]
    fn membership_is_by_time_and_id() {
        let t = timeline();
        assert!(t.contains("en", 1000, 10) && t.contains("en", 100, 1) && t.contains("en", 500, 5));
        assert!(!t.contains("en", 500, 6), "the right time with another id");
        assert!(!t.contains("en", 550, 5), "the right id at another time (edited since)");
        assert!(!t.contains("ru", 500, 5));
    }

    #[test]
    fn date_ranges_are_half_open() {
        let t = timeline();
        let ts = |s| jiff::Timestamp::from_second(s).unwrap();
        let f = ListFilter {
            from: Some(ts(300)),
            to: Some(ts(600)),
            ..ListFilter::all(Lang::parse("en").unwrap())
        };
        assert_eq!(t.page(&f, 10, 0), (3, vec![5, 4, 3]));
        let empty = ListFilter { from: Some(ts(700)), to: Some(ts(300)), ..f.clone() };
        assert_eq!(t.page(&empty, 10, 0).0, 0);
    }
}
