//! A circuit breaker per provider: after a run of failures the provider is skipped for a
//! cool-down, so later turns do not each wait out the same dead server; after the
//! cool-down one trial call decides whether it closes again.

use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    failures: u32,
    open_until: Option<Instant>,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            failures: 0,
            open_until: None,
        }
    }

    /// Whether a call may go through at `now` (closed, or open with the cool-down over:
    /// the half-open trial).
    pub fn allows(&self, now: Instant) -> bool {
        self.open_until.is_none_or(|until| now >= until)
    }

    pub fn success(&mut self) {
        self.failures = 0;
        self.open_until = None;
    }

    /// Counts a failure; at the threshold (or on a failed trial) the breaker opens.
    pub fn failure(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= self.threshold {
            self.open_until = Some(now + self.cooldown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_at_the_threshold_and_closes_after_a_good_trial() {
        let t0 = Instant::now();
        let mut b = Breaker::new(2, Duration::from_secs(10));
        assert!(b.allows(t0));
        b.failure(t0);
        assert!(b.allows(t0), "one failure is not a run");
        b.failure(t0);
        assert!(!b.allows(t0 + Duration::from_secs(9)));
        assert!(b.allows(t0 + Duration::from_secs(10)), "half-open trial");
        b.failure(t0 + Duration::from_secs(10));
        assert!(
            !b.allows(t0 + Duration::from_secs(11)),
            "a failed trial reopens"
        );
        b.success();
        assert!(b.allows(t0 + Duration::from_secs(11)));
    }
}
