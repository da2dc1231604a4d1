//! Which articles are related to which, remembered for a while: finding them is a search over
//! the whole index (a few hundred microseconds at 100,000 articles), while the answer hardly
//! changes when something else is published. Only ids are kept; what a page shows of them (and
//! whether they are still published) is read fresh from the listing on every render.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an article's related ids are reused before they are looked for again, so that
/// newer articles join the list.
pub const KEEP: Duration = Duration::from_secs(600);
/// Articles remembered at most; past this the memo starts over.
const MAX_ARTICLES: usize = 20_000;

/// Related article ids per article.
#[derive(Debug, Default)]
pub struct RelatedMemo {
    ids: Mutex<HashMap<i64, (Instant, Vec<i64>)>>,
}

impl RelatedMemo {
    /// The ids remembered for an article, unless older than [`KEEP`].
    pub fn get(&self, article: i64) -> Option<Vec<i64>> {
        let ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        ids.get(&article).filter(|(at, _)| at.elapsed() < KEEP).map(|(_, ids)| ids.clone())
    }

    pub fn put(&self, article: i64, related: Vec<i64>) {
        let mut ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        if ids.len() >= MAX_ARTICLES {
            ids.clear();
        }
        ids.insert(article, (Instant::now(), related));
    }

    /// Forgets an article's related ids (after it was edited: its title may say something else).
    pub fn forget(&self, article: i64) {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).remove(&article);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_forgets_and_stays_bounded() {
        let memo = RelatedMemo::default();
        assert_eq!(memo.get(1), None);
        memo.put(1, vec![2, 3]);
        assert_eq!(memo.get(1), Some(vec![2, 3]));
        memo.forget(1);
        assert_eq!(memo.get(1), None);
        for i in 0..(MAX_ARTICLES as i64 + 10) {
            memo.put(i, vec![i]);
        }
        assert!(memo.ids.lock().unwrap().len() <= MAX_ARTICLES);
    }
}
