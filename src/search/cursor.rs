//! Where the index stands in the change log.
//!
//! Usually that is one number: every change up to `done` is applied. But on PostgreSQL a
//! change id is taken when its row is inserted and becomes visible when its transaction
//! commits, so id 11 can be visible while id 10 is not yet (or never will be: a rolled-back
//! transaction leaves a hole for good). The cursor therefore also remembers which ids above
//! `done` it has applied, and reads the holes again until the store says every transaction
//! that could still fill them has ended (see `Store::write_horizon`).

/// The index's position in the change log. Only `done` is persisted (in the index's commit
/// payload); after a restart, everything above it is read again, which is harmless because
/// applying a change means re-reading the article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Every change up to and including this id is applied, or will never appear.
    done: i64,
    /// Changes above `done` already applied: inclusive ranges, ascending, neither touching nor
    /// overlapping. Non-empty exactly when a hole follows `done`.
    seen: Vec<(i64, i64)>,
    /// Set while holes are open: the horizon taken after they were seen, and the highest id
    /// applied then. Once the horizon has passed, holes up to `upto` are given up.
    pub pending: Option<Pending>,
}

/// A wait for unfinished transactions that may fill the holes in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub horizon: Option<i64>,
    pub upto: i64,
}

impl Cursor {
    /// A cursor that has applied every change up to `done`.
    pub fn at(done: i64) -> Cursor {
        Cursor { done, seen: Vec::new(), pending: None }
    }

    /// The cursor after a full rebuild that read the log up to `latest`. `recent` holds the
    /// newest change ids up to `latest`; `complete` says whether they are all the ids there
    /// are. Holes among them may still fill, so they stay open.
    pub fn after_rebuild(latest: i64, recent: &[i64], complete: bool) -> Cursor {
        let lowest = recent.iter().copied().min().unwrap_or(latest + 1);
        let mut cursor = Cursor::at(if complete { 0 } else { lowest - 1 });
        for &id in recent {
            cursor.mark(id);
        }
        if latest > cursor.highest() {
            // The log ends at `latest` even if the id itself was not among `recent`.
            cursor.mark(latest);
        }
        cursor
    }

    /// Every change up to this id is applied (or lost for good).
    pub fn done(&self) -> i64 {
        self.done
    }

    /// The highest id applied.
    pub fn highest(&self) -> i64 {
        self.seen.last().map(|r| r.1).unwrap_or(self.done)
    }

    /// Whether some change below [`highest`](Self::highest) has not been seen.
    pub fn has_holes(&self) -> bool {
        !self.seen.is_empty()
    }

    /// Records that change `id` is applied.
    pub fn mark(&mut self, id: i64) {
        if id <= self.done {
            return;
        }
        let at = self.seen.partition_point(|r| r.0 <= id);
        if at > 0 && self.seen[at - 1].1 >= id {
            return;
        }
        let joins_prev = at > 0 && self.seen[at - 1].1 + 1 == id;
        let joins_next = at < self.seen.len() && self.seen[at].0 == id + 1;
        match (joins_prev, joins_next) {
            (true, true) => {
                self.seen[at - 1].1 = self.seen[at].1;
                self.seen.remove(at);
            }
            (true, false) => self.seen[at - 1].1 = id,
            (false, true) => self.seen[at].0 = id,
            (false, false) => self.seen.insert(at, (id, id)),
        }
        self.settle();
    }

    /// Treats every id up to `upto` as applied: the holes there will never fill.
    pub fn give_up_to(&mut self, upto: i64) {
        if upto > self.done {
            self.done = upto;
            self.seen.retain(|r| r.1 > upto);
            if let Some(first) = self.seen.first_mut() {
                first.0 = first.0.max(upto + 1);
            }
            self.settle();
        }
    }

    /// The parts of the log not applied yet, as `(after, up_to)` id bounds for the store: the
    /// holes first (`up_to` set), then everything after the highest applied id.
    pub fn unread(&self) -> Vec<(i64, Option<i64>)> {
        let mut out = Vec::with_capacity(self.seen.len() + 1);
        let mut after = self.done;
        for &(lo, hi) in &self.seen {
            out.push((after, Some(lo - 1)));
            after = hi;
        }
        out.push((after, None));
        out
    }

    /// Moves `done` over the applied ids that now follow it directly.
    fn settle(&mut self) {
        while let Some(&(lo, hi)) = self.seen.first() {
            if lo > self.done + 1 {
                break;
            }
            self.done = self.done.max(hi);
            self.seen.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_changes_just_advance() {
        let mut c = Cursor::at(0);
        for id in 1..=3 {
            c.mark(id);
        }
        assert_eq!((c.done(), c.has_holes()), (3, false));
        assert_eq!(c.unread(), vec![(3, None)]);
        c.mark(2);
        assert_eq!(c.done(), 3);
    }

    #[test]
    fn holes_are_read_again_until_filled() {
        let mut c = Cursor::at(9);
        c.mark(11);
        c.mark(12);
        c.mark(15);
        assert_eq!(c.done(), 9);
        assert_eq!(c.highest(), 15);
        assert_eq!(c.unread(), vec![(9, Some(10)), (12, Some(14)), (15, None)]);
        c.mark(10);
        assert_eq!(c.done(), 12);
        c.mark(14);
        c.mark(13);
        assert_eq!((c.done(), c.has_holes()), (15, false));
    }

    #[test]
    fn holes_can_be_given_up() {
        let mut c = Cursor::at(0);
        c.mark(2);
        c.mark(5);
        c.give_up_to(4);
        assert_eq!((c.done(), c.has_holes()), (5, false));
        let mut c = Cursor::at(0);
        c.mark(3);
        c.mark(7);
        c.give_up_to(3);
        assert_eq!(c.done(), 3);
        assert_eq!(c.unread(), vec![(3, Some(6)), (7, None)]);
    }

    #[test]
    fn a_rebuild_keeps_recent_holes_open() {
        let c = Cursor::after_rebuild(10, &[10, 9, 7, 6], false);
        assert_eq!(c.done(), 7, "everything below the recent window counts as done");
        assert_eq!(c.unread(), vec![(7, Some(8)), (10, None)]);
        let c = Cursor::after_rebuild(3, &[3, 2], true);
        assert_eq!(c.done(), 0);
        assert_eq!(c.unread(), vec![(0, Some(1)), (3, None)]);
        let c = Cursor::after_rebuild(0, &[], true);
        assert_eq!((c.done(), c.has_holes()), (0, false));
        let c = Cursor::after_rebuild(4, &[4, 3, 2, 1], true);
        assert_eq!((c.done(), c.has_holes()), (4, false));
    }
}
