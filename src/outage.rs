//! How a background job (following the change log, the scheduler, webhook deliveries) reports
//! failures that repeat, as during a database outage: the first failure at once, then one
//! summary a minute while it lasts, then the recovery, instead of a warning every round
//! (several a second). Failures that clear within one round are the same single line.

use std::fmt::Display;
use std::time::{Duration, Instant};

/// How often a lasting failure is summed up.
pub const SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// The state of one job's failures.
#[derive(Debug)]
pub struct Outage {
    job: &'static str,
    since: Option<Instant>,
    failures: u64,
    last_said: Instant,
}

impl Outage {
    /// For the job named `job` in the log lines (`"following changes"`).
    pub fn new(job: &'static str) -> Outage {
        Outage { job, since: None, failures: 0, last_said: Instant::now() }
    }

    /// A round of the job failed with `error`.
    pub fn failed(&mut self, error: &dyn Display) {
        self.failures += 1;
        let now = Instant::now();
        match self.since {
            None => {
                self.since = Some(now);
                self.last_said = now;
                tracing::warn!(job = self.job, error = %error, "failing; retrying quietly until it works again");
            }
            Some(since) if now.duration_since(self.last_said) >= SUMMARY_EVERY => {
                self.last_said = now;
                tracing::warn!(
                    job = self.job,
                    error = %error,
                    failures = self.failures,
                    seconds = now.duration_since(since).as_secs(),
                    "still failing"
                );
            }
            Some(_) => tracing::debug!(job = self.job, error = %error, "still failing"),
        }
    }

    /// A round of the job worked: says so once if it had been failing.
    pub fn worked(&mut self) {
        if let Some(since) = self.since.take() {
            tracing::info!(
                job = self.job,
                failures = self.failures,
                seconds = format_args!("{:.1}", since.elapsed().as_secs_f64()),
                "working again"
            );
            self.failures = 0;
        }
    }

    /// Whether the job is failing now.
    pub fn is_failing(&self) -> bool {
        self.since.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_one_episode_until_it_ends() {
        let mut o = Outage::new("test");
        assert!(!o.is_failing());
        o.failed(&"refused");
        o.failed(&"refused");
        assert!(o.is_failing());
        assert_eq!(o.failures, 2);
        o.worked();
        assert!(!o.is_failing());
        assert_eq!(o.failures, 0);
        o.worked();
        assert!(!o.is_failing());
    }
}
