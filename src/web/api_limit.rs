//! How fast each API token may call: a token bucket per token, kept in memory on each node.
//!
//! The bucket is kept as one instant per token (the "generic cell rate algorithm"): the time at
//! which the bucket would be full again. A request of cost `c` pushes that time `c` intervals
//! later and is allowed while it stays within one full bucket of now; otherwise the answer is
//! how long to wait. A token whose bucket has refilled is indistinguishable from one never
//! seen, so forgetting it changes nothing: that is how memory stays bounded.
//!
//! The limit is per node; behind a load balancer a token gets it on each node, which is fine
//! for its purpose (one runaway script must not starve the others on a node).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Sustained requests per second per token.
pub const PER_SECOND: u32 = 100;
/// Requests a token may make at once after being idle.
pub const BURST: u32 = 200;
/// What a write (create, update, publish, upload) costs, in requests: writes take locks, touch
/// the search index and invalidate caches, so a token writes at most `PER_SECOND / WRITE_COST`
/// times a second sustained.
pub const WRITE_COST: u32 = 2;
/// Tokens remembered at most; past this, refilled buckets are forgotten first, then the least
/// recently used.
pub const MAX_KEYS: usize = 10_000;
/// How often idle buckets are swept out even when there is room.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Per-token token buckets; share one per node (it is `Sync`).
#[derive(Debug)]
pub struct ApiLimit {
    /// Time that one request's worth of bucket takes to refill.
    interval: Duration,
    /// Time a whole bucket takes to refill: `burst` intervals.
    window: Duration,
    max_keys: usize,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Per token id: when its bucket will be full again.
    full_at: HashMap<i64, Instant>,
    last_sweep: Option<Instant>,
}

impl Default for ApiLimit {
    fn default() -> Self {
        ApiLimit::new(PER_SECOND, BURST, MAX_KEYS)
    }
}

impl ApiLimit {
    /// `per_second` sustained, up to `burst` at once, remembering at most `max_keys` tokens.
    /// Zeros are taken as one.
    pub fn new(per_second: u32, burst: u32, max_keys: usize) -> Self {
        let interval = Duration::from_secs(1) / per_second.max(1);
        ApiLimit {
            interval,
            window: interval * burst.max(1),
            max_keys: max_keys.max(1),
            state: Mutex::new(State { full_at: HashMap::new(), last_sweep: None }),
        }
    }

    /// Takes one request from `token_id`'s bucket, or says how long to wait (for
    /// `Retry-After`) when it is empty. A refused request takes nothing.
    pub fn check(&self, token_id: i64, now: Instant) -> Result<(), Duration> {
        self.check_cost(token_id, 1, now)
    }

    /// As [`check`](Self::check) for a request worth `cost` requests (see [`WRITE_COST`]). A
    /// cost above the burst is taken as the burst, so every request can pass eventually.
    pub fn check_cost(&self, token_id: i64, cost: u32, now: Instant) -> Result<(), Duration> {
        let cost = self.interval * cost.max(1);
        let cost = cost.min(self.window);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.last_sweep.is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY) {
            state.sweep(now);
        }
        let full_at = state.full_at.get(&token_id).copied().filter(|at| *at > now).unwrap_or(now);
        let next = full_at + cost;
        let ahead = next - now;
        if ahead > self.window {
            return Err(ahead - self.window);
        }
        if !state.full_at.contains_key(&token_id) && state.full_at.len() >= self.max_keys {
            state.make_room(now, self.max_keys);
        }
        state.full_at.insert(token_id, next);
        Ok(())
    }

    /// Tokens currently remembered.
    pub fn len(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).full_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl State {
    /// Forgets every bucket that has refilled.
    fn sweep(&mut self, now: Instant) {
        self.full_at.retain(|_, full_at| *full_at > now);
        self.last_sweep = Some(now);
    }

    /// Makes room for one more token: refilled buckets go first; if every bucket is in use,
    /// the one that will be full soonest (the least recently busy) goes, which only makes the
    /// limit kinder to that token.
    fn make_room(&mut self, now: Instant, max_keys: usize) {
        self.sweep(now);
        while self.full_at.len() >= max_keys {
            let Some(soonest) = self.full_at.iter().min_by_key(|(_, at)| **at).map(|(id, _)| *id) else {
                break;
            };
            self.full_at.remove(&soonest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_burst_then_the_sustained_rate() {
        let limit = ApiLimit::new(20, 40, 100);
        let t0 = Instant::now();
        for i in 0..40 {
            assert_eq!(limit.check(1, t0), Ok(()), "request {i} of the burst");
        }
        assert_eq!(limit.check(1, t0), Err(50 * MS), "one interval to wait");
        assert_eq!(limit.check(1, t0 + 20 * MS), Err(30 * MS), "refused requests take nothing");
        assert_eq!(limit.check(1, t0 + 50 * MS), Ok(()));
        assert!(limit.check(1, t0 + 50 * MS).is_err());
        // Sustained: one request every 50 ms passes for as long as it goes on.
        for i in 2..200 {
            assert_eq!(limit.check(1, t0 + 50 * MS * i), Ok(()), "sustained request {i}");
        }
        // After two idle seconds the whole burst is back.
        let later = t0 + 50 * MS * 200 + Duration::from_secs(2);
        for _ in 0..40 {
            assert_eq!(limit.check(1, later), Ok(()));
        }
        assert!(limit.check(1, later).is_err());
    }

    #[test]
    fn tokens_do_not_share_a_bucket() {
        let limit = ApiLimit::new(20, 40, 100);
        let t0 = Instant::now();
        while limit.check(1, t0).is_ok() {}
        assert_eq!(limit.check(2, t0), Ok(()), "another token is not held back");
        assert!(limit.check(1, t0).is_err());
    }

    #[test]
    fn writes_cost_more() {
        let limit = ApiLimit::new(20, 40, 100);
        let t0 = Instant::now();
        for _ in 0..40 / WRITE_COST {
            assert_eq!(limit.check_cost(1, WRITE_COST, t0), Ok(()));
        }
        assert_eq!(
            limit.check_cost(1, WRITE_COST, t0),
            Err(WRITE_COST * 50 * MS),
            "a write's intervals to wait"
        );
        assert_eq!(limit.check(1, t0 + 50 * MS), Ok(()), "a read fits sooner than a write");
        // A cost beyond the burst is capped, so it passes once the bucket is full.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(limit.check_cost(1, 1_000, later), Ok(()));
        assert_eq!(limit.check(1, later), Err(50 * MS));
    }

    #[test]
    fn memory_is_bounded_and_idle_tokens_are_forgotten() {
        let limit = ApiLimit::new(20, 40, 3);
        let t0 = Instant::now();
        for id in 0..3 {
            limit.check(id, t0).unwrap();
        }
        assert_eq!(limit.len(), 3);
        // Full with busy buckets: a new token evicts the least busy and never exceeds the bound.
        limit.check(0, t0).unwrap();
        limit.check(0, t0).unwrap();
        for id in 3..50 {
            assert_eq!(limit.check(id, t0), Ok(()));
            assert!(limit.len() <= 3);
        }
        // A minute later everything has refilled and the next call sweeps it all out.
        let later = t0 + Duration::from_secs(61);
        limit.check(99, later).unwrap();
        assert_eq!(limit.len(), 1);
        assert!(!limit.is_empty());
    }

    #[test]
    fn forgetting_a_refilled_bucket_changes_nothing() {
        let limit = ApiLimit::new(20, 40, 1);
        let t0 = Instant::now();
        while limit.check(1, t0).is_ok() {}
        // Token 2 can take the only place once token 1's bucket is full again (two seconds)...
        let refilled = t0 + Duration::from_secs(2);
        limit.check(2, refilled).unwrap();
        assert_eq!(limit.len(), 1);
        // ...and token 1 comes back with the full burst it would have had anyway.
        let mut passed = 0;
        while limit.check(1, refilled).is_ok() {
            passed += 1;
        }
        assert_eq!(passed, 40);
    }

    #[test]
    fn shared_between_threads() {
        let limit = std::sync::Arc::new(ApiLimit::new(20, 40, 100));
        let t0 = Instant::now();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let limit = limit.clone();
                std::thread::spawn(move || (0..30).filter(|_| limit.check(7, t0).is_ok()).count())
            })
            .collect();
        let passed: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(passed, 40, "exactly the burst passes, however the threads interleave");
    }
}
