//! Login throttling, in memory. After a few failures for a username or from a client,
//! each further failure doubles the wait before the next attempt is even checked.
//!
//! Clients are known only by a keyed hash of their address, under a key that lives in
//! this process alone: nothing here is stored, logged, or comparable across restarts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Failures allowed before waits begin: per username (guessing one account)...
const FREE_PER_USER: u32 = 5;
/// ...and per client (trying many accounts, or several staff behind one address).
const FREE_PER_CLIENT: u32 = 20;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Entries untouched this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const PRUNE_ABOVE: usize = 10_000;

type Key = [u8; 32];

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    blocked_until: Instant,
    last: Instant,
}

pub struct Throttle {
    secret: [u8; 32],
    entries: Mutex<HashMap<Key, Entry>>,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle(..)")
    }
}

impl Throttle {
    pub fn new() -> anyhow::Result<Self> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
        Ok(Self { secret, entries: Mutex::new(HashMap::new()) })
    }

    fn key(&self, kind: &str, value: &str) -> Key {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `Err(wait)` when `username` or `client` must wait before trying again.
    pub fn check(&self, username: &str, client: &str) -> Result<(), Duration> {
        self.wait(&[self.key("user", username), self.key("client", client)])
    }

    /// Records a failed login.
    pub fn failed(&self, username: &str, client: &str) {
        self.record(&[
            (self.key("user", username), FREE_PER_USER),
            (self.key("client", client), FREE_PER_CLIENT),
        ]);
    }

    /// `Err(wait)` when `client` must wait (for secrets that are not per account, such
    /// as invite codes).
    pub fn check_client(&self, client: &str) -> Result<(), Duration> {
        self.wait(&[self.key("client", client)])
    }

    /// Records a failed attempt by `client` alone.
    pub fn client_failed(&self, client: &str) {
        self.record(&[(self.key("client", client), FREE_PER_CLIENT)]);
    }

    fn wait(&self, keys: &[Key]) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(entries) = self.entries.lock() else {
            return Ok(());
        };
        let wait = keys
            .iter()
            .filter_map(|key| entries.get(key))
            .map(|entry| entry.blocked_until.saturating_duration_since(now))
            .max()
            .unwrap_or_default();
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Counts a failure against each key, starting its wait once past `free` failures.
    fn record(&self, keys: &[(Key, u32)]) {
        let now = Instant::now();
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() > PRUNE_ABOVE {
            entries.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
        }
        for (key, free) in keys {
            let entry = entries.entry(*key).or_insert(Entry { failures: 0, blocked_until: now, last: now });
            entry.failures += 1;
            entry.last = now;
            if let Some(over) = entry.failures.checked_sub(*free).filter(|&n| n > 0) {
                // 1 s, 2 s, 4 s … up to a quarter of an hour.
                let wait = Duration::from_secs(1u64 << (over - 1).min(10)).min(LONGEST_WAIT);
                entry.blocked_until = now + wait;
            }
        }
    }

    /// A successful login clears the username's record (the client's stays).
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&self.key("user", username));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_begin_after_the_free_failures_and_double() {
        let throttle = Throttle::new().unwrap();
        for _ in 0..FREE_PER_USER {
            assert!(throttle.check("admin", "a").is_ok());
            throttle.failed("admin", "a");
        }
        assert!(throttle.check("admin", "a").is_ok(), "the free failures bring no wait");
        throttle.failed("admin", "a");
        let first = throttle.check("admin", "b").unwrap_err();
        assert!(first <= Duration::from_secs(1) && !first.is_zero());
        throttle.failed("admin", "a");
        let second = throttle.check("admin", "b").unwrap_err();
        assert!(second > Duration::from_secs(1) && second <= Duration::from_secs(2), "{second:?}");
        // Other accounts from another client are not affected; success clears the user.
        assert!(throttle.check("alice", "c").is_ok());
        throttle.succeeded("admin");
        assert!(throttle.check("admin", "c").is_ok());
    }

    #[test]
    fn one_client_trying_many_accounts_is_slowed() {
        let throttle = Throttle::new().unwrap();
        for i in 0..=FREE_PER_CLIENT {
            throttle.failed(&format!("user{i}"), "mallory");
        }
        assert!(throttle.check("someone-new", "mallory").is_err());
        assert!(throttle.check("someone-new", "alice").is_ok());
    }
}
