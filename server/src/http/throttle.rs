//! Throttling, in memory: failed staff logins, wrong invite codes, and how often one
//! client may submit answers or exchange invite codes.
//!
//! Clients are known only by a keyed hash of their address, under a key that lives in
//! this process alone and is replaced every day (with everything recorded under it):
//! nothing here is stored, logged, or comparable across days or restarts.
//!
//! A login attempt is reserved before its password is checked, as if it had failed, so
//! that guesses sent at once are counted at once rather than after their hashing.
//! Failures are counted per username and client together (someone else guessing an
//! account's password does not lock its owner out), per client (one client trying
//! many accounts), and over all clients (many clients guessing); the last does not
//! apply to a username and client that have logged in successfully before.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Failures allowed before waits begin: per username and client together...
const FREE_PER_PAIR: u32 = 5;
/// ...and per client (trying many accounts, or several staff behind one address).
const FREE_PER_CLIENT: u32 = 20;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// The window the global budget of failed logins is counted over.
pub const GLOBAL_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Entries untouched this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const PRUNE_ABOVE: usize = 10_000;
/// How long one key hashes client addresses.
const KEY_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

type Key = [u8; 32];

/// How much the throttle allows: `NANSEN_LOGIN_FAILURES`, `NANSEN_SUBMISSIONS_PER_MINUTE`
/// and `NANSEN_INVITES_PER_MINUTE` (zero: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Failed logins over all clients per [`GLOBAL_WINDOW`], beyond which only a username
    /// and client that have logged in before may try.
    pub login_failures: u32,
    pub submissions_per_minute: u32,
    pub invites_per_minute: u32,
}

impl Default for Allowance {
    /// A classroom, a village or a busy VPN exit behind one address sends a few answers
    /// a minute; 600 is far above that and far below a script's pace. Invite codes are
    /// typed by people.
    fn default() -> Self {
        Self { login_failures: 200, submissions_per_minute: 600, invites_per_minute: 60 }
    }
}

/// Something a client does that is limited per minute.
#[derive(Debug, Clone, Copy)]
pub enum Rate {
    Submissions,
    Invites,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The hashed username of a username and client pair's entry.
    user: Option<Key>,
    failures: u32,
    blocked_until: Instant,
    last: Instant,
}

/// A token bucket: `tokens` refilled at the allowance per minute, up to it.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

struct State {
    secret: [u8; 32],
    born: Instant,
    failures: HashMap<Key, Entry>,
    /// Username and client pairs that have logged in since the key was made.
    known: HashSet<Key>,
    /// Failed logins in the current global window, and when it began.
    global: (u32, Instant),
    buckets: HashMap<Key, Bucket>,
}

impl State {
    fn new(now: Instant) -> anyhow::Result<Self> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
        Ok(Self {
            secret,
            born: now,
            failures: HashMap::new(),
            known: HashSet::new(),
            global: (0, now),
            buckets: HashMap::new(),
        })
    }

    fn key(&self, parts: &[&str]) -> Key {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        for part in parts {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        mac.finalize().into_bytes().into()
    }

    fn prune(&mut self, now: Instant) {
        if self.failures.len() > PRUNE_ABOVE {
            self.failures.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
        }
        if self.buckets.len() > PRUNE_ABOVE {
            self.buckets.retain(|_, b| now.duration_since(b.last) < FORGET_AFTER);
        }
        if self.known.len() > PRUNE_ABOVE {
            self.known.clear();
        }
    }

    fn wait(&self, keys: &[Key], now: Instant) -> Duration {
        keys.iter()
            .filter_map(|key| self.failures.get(key))
            .map(|entry| entry.blocked_until.saturating_duration_since(now))
            .max()
            .unwrap_or_default()
    }

    /// Counts a failure against each key, starting its wait once `free` failures are
    /// reached.
    fn fail(&mut self, keys: &[(Key, u32, Option<Key>)], now: Instant) {
        for &(key, free, user) in keys {
            let entry = self.failures.entry(key).or_insert(Entry {
                user,
                failures: 0,
                blocked_until: now,
                last: now,
            });
            entry.failures += 1;
            entry.last = now;
            restamp(entry, free, now);
        }
    }
}

/// Sets the wait an entry's failures have earned, counted from `now` (never shortened).
fn restamp(entry: &mut Entry, free: u32, now: Instant) {
    if let Some(over) = (entry.failures + 1).checked_sub(free).filter(|&n| n > 0) {
        // 1 s, 2 s, 4 s … up to a quarter of an hour.
        let wait = Duration::from_secs(1u64 << (over - 1).min(10)).min(LONGEST_WAIT);
        entry.blocked_until = entry.blocked_until.max(now + wait);
    }
}

pub struct Throttle {
    state: Mutex<State>,
    allowance: Allowance,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle(..)")
    }
}

/// A login attempt reserved by [`Throttle::reserve_login`], counted as a failure until
/// [`LoginAttempt::succeeded`] says otherwise.
#[must_use]
pub struct LoginAttempt<'a> {
    throttle: &'a Throttle,
    username: String,
    client: String,
}

impl LoginAttempt<'_> {
    /// The password was right: the reservation is taken back, the pair's failures are
    /// forgotten and the pair is known from now on.
    pub fn succeeded(self) {
        let mut state = self.throttle.lock(Instant::now());
        let pair = self.take_back(&mut state);
        state.failures.remove(&pair);
        state.known.insert(pair);
    }

    /// The password could not be checked (the server was too busy): the attempt does
    /// not count.
    pub fn withdrawn(self) {
        let mut state = self.throttle.lock(Instant::now());
        let pair = self.take_back(&mut state);
        if let Some(entry) = state.failures.get_mut(&pair) {
            entry.failures = entry.failures.saturating_sub(1);
        }
    }

    /// Takes back the failure the reservation counted for the client and overall;
    /// returns the pair's key.
    fn take_back(&self, state: &mut State) -> Key {
        let client = state.key(&["client", &self.client]);
        if let Some(entry) = state.failures.get_mut(&client) {
            entry.failures = entry.failures.saturating_sub(1);
        }
        state.global.0 = state.global.0.saturating_sub(1);
        state.key(&["pair", &self.username, &self.client])
    }

    /// The password was wrong: the waits earned start now, after the hashing, so that
    /// guesses sent meanwhile do not find them over.
    pub fn failed(self) {
        let now = Instant::now();
        let mut state = self.throttle.lock(now);
        let keys = [
            (state.key(&["pair", &self.username, &self.client]), FREE_PER_PAIR),
            (state.key(&["client", &self.client]), FREE_PER_CLIENT),
        ];
        for (key, free) in keys {
            if let Some(entry) = state.failures.get_mut(&key) {
                restamp(entry, free, now);
            }
        }
    }
}

impl Throttle {
    pub fn new(allowance: Allowance) -> anyhow::Result<Self> {
        Ok(Self { state: Mutex::new(State::new(Instant::now())?), allowance })
    }

    /// The state, under a fresh key (and forgetting everything) once a day.
    fn lock(&self, now: Instant) -> MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if now.duration_since(state.born) >= KEY_LIFETIME
            && let Ok(fresh) = State::new(now)
        {
            *state = fresh;
        }
        state
    }

    /// Reserves a login attempt for `username` from `client`, counted as failed until
    /// it succeeds; `Err(wait)` when they must wait first.
    pub fn reserve_login(&self, username: &str, client: &str) -> Result<LoginAttempt<'_>, Duration> {
        let now = Instant::now();
        let mut state = self.lock(now);
        state.prune(now);
        let pair = state.key(&["pair", username, client]);
        let client_key = state.key(&["client", client]);
        let wait = state.wait(&[pair, client_key], now);
        if !wait.is_zero() {
            return Err(wait);
        }
        let (spent, began) = state.global;
        let window_left = GLOBAL_WINDOW.saturating_sub(now.duration_since(began));
        if window_left.is_zero() {
            state.global = (0, now);
        } else if self.allowance.login_failures > 0
            && spent >= self.allowance.login_failures
            && !state.known.contains(&pair)
        {
            return Err(window_left);
        }
        state.global.0 += 1;
        let user = Some(state.key(&["user", username]));
        state.fail(&[(pair, FREE_PER_PAIR, user), (client_key, FREE_PER_CLIENT, None)], now);
        Ok(LoginAttempt { throttle: self, username: username.to_owned(), client: client.to_owned() })
    }

    /// Forgets the failed logins of `username` from every client, as when an admin
    /// sets a new password: waits earned against the old one are not for the new one.
    pub fn forgive(&self, username: &str) {
        let mut state = self.lock(Instant::now());
        let user = Some(state.key(&["user", username]));
        state.failures.retain(|_, entry| entry.user != user);
    }

    /// `Err(wait)` when `client` must wait (for secrets that are not per account, such
    /// as invite codes).
    pub fn check_client(&self, client: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let state = self.lock(now);
        let wait = state.wait(&[state.key(&["client", client])], now);
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Records a failed attempt by `client` alone.
    pub fn client_failed(&self, client: &str) {
        let now = Instant::now();
        let mut state = self.lock(now);
        state.prune(now);
        let key = state.key(&["client", client]);
        state.fail(&[(key, FREE_PER_CLIENT, None)], now);
    }

    /// Takes one of `client`'s allowance of `rate` a minute; `Err(wait)` when it is
    /// spent, with how long until there is one again.
    pub fn take(&self, rate: Rate, client: &str) -> Result<(), Duration> {
        let per_minute = match rate {
            Rate::Submissions => self.allowance.submissions_per_minute,
            Rate::Invites => self.allowance.invites_per_minute,
        };
        if per_minute == 0 || is_this_machine(client) {
            return Ok(());
        }
        let now = Instant::now();
        let mut state = self.lock(now);
        state.prune(now);
        let key = state.key(&[
            match rate {
                Rate::Submissions => "submissions",
                Rate::Invites => "invites",
            },
            client,
        ]);
        let capacity = f64::from(per_minute);
        let bucket = state.buckets.entry(key).or_insert(Bucket { tokens: capacity, last: now });
        let refill = now.duration_since(bucket.last).as_secs_f64() * capacity / 60.0;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) * 60.0 / capacity))
        }
    }
}

/// A client on this machine: the operator's own tools and benchmarks, or a reverse proxy
/// that `NANSEN_BEHIND_PROXY` was not set for, where one key would hold everyone's
/// allowance. Neither is limited per client.
fn is_this_machine(client: &str) -> bool {
    client.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(login_failures: u32) -> Throttle {
        Throttle::new(Allowance { login_failures, ..Allowance::default() }).unwrap()
    }

    #[test]
    fn waits_begin_after_the_free_failures_and_double() {
        let throttle = throttle(1000);
        for _ in 0..FREE_PER_PAIR {
            throttle.reserve_login("admin", "a").unwrap().failed();
        }
        let first = throttle.reserve_login("admin", "a").err().unwrap();
        assert!(first <= Duration::from_secs(1) && !first.is_zero(), "{first:?}");
        // Someone else's guesses leave the owner's client alone; success clears the pair.
        throttle.reserve_login("admin", "b").unwrap().succeeded();
        throttle.reserve_login("alice", "c").unwrap().succeeded();
    }

    #[test]
    fn reserved_attempts_count_before_their_outcome() {
        let throttle = throttle(1000);
        let held: Vec<_> =
            (0..FREE_PER_PAIR).map(|_| throttle.reserve_login("admin", "a").ok().unwrap()).collect();
        assert!(throttle.reserve_login("admin", "a").is_err(), "five guesses in flight are five failures");
        drop(held);
    }

    #[test]
    fn one_client_trying_many_accounts_is_slowed() {
        let throttle = throttle(1000);
        for i in 0..FREE_PER_CLIENT {
            throttle.reserve_login(&format!("user{i}"), "mallory").unwrap().failed();
        }
        assert!(throttle.reserve_login("someone-new", "mallory").is_err());
        assert!(throttle.reserve_login("someone-new", "alice").is_ok());
    }

    #[test]
    fn the_global_budget_spares_known_pairs() {
        let throttle = throttle(3);
        throttle.reserve_login("admin", "home").unwrap().succeeded();
        for i in 0..3 {
            throttle.reserve_login("admin", &format!("bot{i}")).unwrap().failed();
        }
        assert!(throttle.reserve_login("admin", "bot9").is_err(), "the budget is spent");
        assert!(throttle.reserve_login("admin", "cafe").is_err(), "for unknown pairs");
        assert!(throttle.reserve_login("admin", "home").is_ok(), "not for the admin's own client");
    }

    #[test]
    fn rates_refill_over_the_minute() {
        let throttle =
            Throttle::new(Allowance { submissions_per_minute: 2, ..Allowance::default() }).unwrap();
        assert!(throttle.take(Rate::Submissions, "a").is_ok());
        assert!(throttle.take(Rate::Submissions, "a").is_ok());
        let wait = throttle.take(Rate::Submissions, "a").unwrap_err();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30), "{wait:?}");
        assert!(throttle.take(Rate::Submissions, "b").is_ok(), "per client");
        assert!(throttle.take(Rate::Invites, "a").is_ok(), "per kind");
        for _ in 0..5 {
            assert!(throttle.take(Rate::Submissions, "127.0.0.1").is_ok(), "this machine is not limited");
        }
    }

    #[test]
    fn after_a_day_the_key_is_new_and_everything_under_the_old_one_forgotten() {
        let throttle = throttle(1000);
        for _ in 0..FREE_PER_PAIR {
            throttle.reserve_login("admin", "a").unwrap().failed();
        }
        let born = throttle.lock(Instant::now()).born;
        let (old_key, recorded) = {
            let state = throttle.lock(born);
            (state.key(&["client", "a"]), state.failures.len())
        };
        assert!(recorded > 0);
        // A second short of a day: the same key, the same records.
        let almost = throttle.lock(born + KEY_LIFETIME - Duration::from_secs(1));
        assert_eq!((almost.key(&["client", "a"]), almost.failures.len()), (old_key, recorded));
        drop(almost);
        // A day on: the same address hashes to something else, and nothing is left.
        let next_day = throttle.lock(born + KEY_LIFETIME);
        assert_ne!(next_day.key(&["client", "a"]), old_key);
        assert!(next_day.failures.is_empty() && next_day.buckets.is_empty() && next_day.known.is_empty());
    }

    #[test]
    fn a_new_password_forgives_the_old_ones_failures_from_every_client() {
        let throttle = throttle(1000);
        for client in ["a", "b"] {
            for _ in 0..FREE_PER_PAIR {
                throttle.reserve_login("ada", client).unwrap().failed();
            }
        }
        throttle.reserve_login("bob", "a").unwrap().failed();
        throttle.forgive("ada");
        assert!(throttle.reserve_login("ada", "a").is_ok() && throttle.reserve_login("ada", "b").is_ok());
    }
}
