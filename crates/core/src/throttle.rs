//! The delay after failed secret checks: admin sign-in and the kiosk's admin PIN use the
//! same rule, counted in the database so that a restart does not reset it.

use chrono::{DateTime, Duration, Utc};

/// Failed attempts that are free before the delay starts.
pub const FREE_FAILURES: u32 = 2;
/// The longest wait after many failures.
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// The wait after `failures` consecutive failures: none for the first two, then 1 s,
/// 2 s, 4 s … doubling up to 15 minutes.
pub fn delay_after(failures: u32) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::zero();
    }
    let exponent = (failures - FREE_FAILURES - 1).min(20);
    Duration::seconds((1i64 << exponent).min(MAX_DELAY_SECONDS))
}

/// When the next attempt is allowed after `failures` failures, the last at `last`.
pub fn next_attempt(failures: u32, last: DateTime<Utc>) -> DateTime<Utc> {
    last + delay_after(failures)
}

/// Whole seconds still to wait at `now` (0 when an attempt is allowed).
pub fn wait_seconds(failures: u32, last: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let next = next_attempt(failures, last);
    if now >= next {
        0
    } else {
        ((next - now).num_milliseconds().max(1) + 999) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_with_each_failure_and_is_capped() {
        let waits: Vec<i64> = (0..8).map(|n| delay_after(n).num_seconds()).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(delay_after(40).num_seconds(), MAX_DELAY_SECONDS);
    }

    #[test]
    fn the_wait_rounds_up_and_ends() {
        let last = Utc::now();
        assert_eq!(wait_seconds(5, last, last), 4);
        assert_eq!(
            wait_seconds(5, last, last + Duration::milliseconds(3_500)),
            1
        );
        assert_eq!(wait_seconds(5, last, last + Duration::seconds(4)), 0);
        assert_eq!(wait_seconds(2, last, last), 0);
    }
}
