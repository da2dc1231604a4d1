//! When a failed delivery is tried again: sooner at first (a receiver restarting), then ever
//! more rarely, for about a day in all. After the last attempt the subscription is marked
//! failing and waits for an admin.
//!
//! Times are computed from the injected clock, so a test moves the clock instead of waiting a
//! day.

use jiff::{SignedDuration, Timestamp};

/// The waits after the first, second, … failed attempt: 5 s, 30 s, 2 min, 10 min, 30 min,
/// 1 h, 2 h, 4 h, 8 h, 8 h (23 h 42 min in all).
pub const WAITS: [i64; 10] = [5, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800];

/// Attempts a delivery gets before its subscription is marked failing.
pub const MAX_ATTEMPTS: i64 = WAITS.len() as i64 + 1;

/// When to try again after `attempts` attempts (this one included) have failed at `now`;
/// `None` when that was the last.
pub fn next_attempt(attempts: i64, now: Timestamp) -> Option<Timestamp> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    WAITS.get(index).map(|&wait| now + SignedDuration::from_secs(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_a_day_then_give_up() {
        let total: i64 = WAITS.iter().sum();
        assert!((22 * 3600..=26 * 3600).contains(&total), "{total} s");
        let now = Timestamp::from_second(1_000_000).unwrap();
        assert_eq!(next_attempt(1, now).unwrap().as_second(), 1_000_005);
        assert_eq!(next_attempt(2, now).unwrap().as_second(), 1_000_030);
        assert_eq!(next_attempt(10, now).unwrap().as_second(), 1_028_800);
        assert_eq!(next_attempt(MAX_ATTEMPTS, now), None);
        assert_eq!(next_attempt(0, now), None);
    }
}
