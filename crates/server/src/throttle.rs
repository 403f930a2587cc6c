//! Login throttles (per email and per client address) and the bound on concurrent
//! password hashing.
//!
//! Both throttles count attempts inside a fixed window that starts at the first attempt:
//! an attempt is counted before its password is checked, so a burst of concurrent
//! guesses cannot slip past the limit while the first ones are still being hashed. A
//! successful login clears its email's count and takes its own attempt back from the
//! address's count, so only failures stay counted against an address.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// The most keys a throttle remembers. Beyond it, expired entries are dropped first;
/// if every entry is live the new key is not tracked (the other throttle still is).
const CAPACITY: usize = 100_000;

#[derive(Debug)]
struct Entry {
    since: Instant,
    attempts: u32,
}

/// At most `max` attempts per key in `window`.
#[derive(Debug)]
pub struct Throttle<K> {
    max: u32,
    window: Duration,
    entries: Mutex<HashMap<K, Entry>>,
}

impl<K: Eq + Hash + Clone> Throttle<K> {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt, or says how many seconds remain until one is allowed.
    pub fn attempt(&self, key: &K) -> Result<(), u64> {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if !entries.contains_key(key) && entries.len() >= CAPACITY {
            let window = self.window;
            entries.retain(|_, e| now.duration_since(e.since) < window);
            if entries.len() >= CAPACITY {
                return Ok(());
            }
        }
        let entry = entries.entry(key.clone()).or_insert(Entry {
            since: now,
            attempts: 0,
        });
        if now.duration_since(entry.since) >= self.window {
            *entry = Entry {
                since: now,
                attempts: 0,
            };
        }
        if entry.attempts >= self.max {
            let left = self.window.saturating_sub(now.duration_since(entry.since));
            return Err(left.as_secs().max(1));
        }
        entry.attempts += 1;
        Ok(())
    }

    /// Forgets the key (a successful login for an email).
    pub fn clear(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(key);
    }

    /// Takes one attempt back (a successful login from an address).
    pub fn forgive_one(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get_mut(key) {
            entry.attempts = entry.attempts.saturating_sub(1);
        }
    }
}

/// A bounded number of password hashes at once: each argon2id check takes 19 MiB, so
/// an unbounded number of concurrent logins would take unbounded memory.
/// Each slot keeps its argon2 memory (`memory`) and hands it to the next check, so the
/// memory taken is the slots' buffers however many logins arrive.
#[derive(Debug, Clone)]
pub struct HashSlots {
    slots: Arc<Semaphore>,
    wait: Duration,
    memory: Arc<Mutex<Vec<Vec<argon2::Block>>>>,
}

impl HashSlots {
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
            memory: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Runs `work` on the blocking pool once a slot is free; 503 when none frees up in
    /// time. The slot is held until the work ends, even if the request is dropped.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<argon2::Block>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit: OwnedSemaphorePermit =
            match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_)) | Err(_) => {
                    return Err(ApiError::Busy {
                        message: "the server is busy checking passwords; try again shortly".into(),
                        retry_after: 1,
                    })
                }
            };
        let pool = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            // At most one buffer per permit exists: taken here, given back after.
            let mut memory = pool
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop()
                .unwrap_or_default();
            let out = work(&mut memory);
            pool.lock().unwrap_or_else(|p| p.into_inner()).push(memory);
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_beyond_the_limit_wait_for_the_window() {
        let t = Throttle::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(t.attempt(&"a"), Ok(()));
        }
        let wait = t.attempt(&"a").expect_err("fourth attempt");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(t.attempt(&"b"), Ok(()), "other keys are not affected");
        t.clear(&"a");
        assert_eq!(t.attempt(&"a"), Ok(()));
        t.forgive_one(&"a");
        for _ in 0..3 {
            assert_eq!(t.attempt(&"a"), Ok(()));
        }
        assert!(t.attempt(&"a").is_err());
    }

    #[test]
    fn an_expired_window_starts_again() {
        let t = Throttle::new(1, Duration::from_millis(30));
        assert_eq!(t.attempt(&1), Ok(()));
        assert!(t.attempt(&1).is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(t.attempt(&1), Ok(()));
    }

    #[tokio::test]
    async fn hashing_beyond_the_slots_is_refused_after_the_wait() {
        let slots = HashSlots::new(1, Duration::from_millis(50));
        let busy = slots.clone();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let holder = tokio::spawn(async move {
            busy.run(move |_| {
                let _ = rx.recv_timeout(Duration::from_secs(5));
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let refused = slots.run(|_| 1).await;
        assert!(matches!(refused, Err(ApiError::Busy { .. })), "{refused:?}");
        let _ = tx.send(());
        assert!(holder.await.expect("join").is_ok());
        assert_eq!(slots.run(|_| 2).await.expect("free again"), 2);
    }
}
