//! Failed logins, counted per (email, client address), per client address and
//! per email. Each count allows a burst of failures; past it, every further
//! failure makes its key wait, a minute at first and twice as long each time up to
//! a ceiling, and failures fade one at a time, so a key that stops failing is
//! clean again and a steady attacker gets about one guess per fade period. No
//! count ever locks an account: a stranger's failures from other addresses reach
//! the user's own address only through the per-email ceiling, and an address the
//! email logged in from recently is exempt from that one.
//!
//! The counts live in this server's memory (bounded caches): a throttled attempt
//! costs no database work and no argon2, the flood never reaches the account pool
//! that every authenticated request needs, and no table grows with the emails an
//! attacker makes up. The price: a restart forgets the counts, and N servers
//! allow N times the attempts (docs/threat-model.md).

use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use moka::sync::Cache;
use sha2::{Digest, Sha256};

/// What an attempt refused because others are still being decided waits.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(1);

/// One key's allowance.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Failures allowed before the first wait.
    pub burst: u32,
    /// The first wait; each further failure doubles it, up to `longest_wait`.
    pub first_wait: Duration,
    pub longest_wait: Duration,
    /// One remembered failure is forgotten per `fade`.
    pub fade: Duration,
}

impl Limit {
    fn wait_after(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(self.burst).min(31);
        self.first_wait.saturating_mul(1 << doublings).min(self.longest_wait)
    }
}

/// The three allowances and how long a successful login vouches for its address.
#[derive(Clone, Copy, Debug)]
pub struct LoginPolicy {
    pub per_email_and_address: Limit,
    pub per_address: Limit,
    /// A ceiling for distributed guessing, looser than the others.
    pub per_email: Limit,
    /// An address the email logged in from within this time is not held back by the per-email ceiling.
    pub known_address_for: Duration,
    /// Keys remembered per count (about 400 bytes each); the least used are dropped beyond it.
    pub capacity: u64,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            // A user who mistypes 5 times waits a minute; a guesser gets about 6 guesses an hour.
            per_email_and_address: Limit { burst: 5, first_wait: MINUTE, longest_wait: 15 * MINUTE, fade: 10 * MINUTE },
            // Many users behind one NAT may fail about once a minute without waiting.
            per_address: Limit { burst: 30, first_wait: MINUTE, longest_wait: 15 * MINUTE, fade: MINUTE },
            per_email: Limit { burst: 50, first_wait: MINUTE, longest_wait: 15 * MINUTE, fade: 5 * MINUTE },
            known_address_for: 30 * 24 * 60 * MINUTE,
            capacity: 20_000,
        }
    }
}

/// One key's failures.
#[derive(Clone, Debug, Default)]
struct Count {
    failures: u32,
    /// When the last forgotten failure faded (or the count started).
    faded_at: Option<DateTime<Utc>>,
    waits_until: Option<DateTime<Utc>>,
    /// Attempts admitted and not yet decided: they count as failures for admission,
    /// so concurrent guesses cannot overshoot the burst.
    in_flight: u32,
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Count {
    fn fade(&mut self, limit: &Limit, now: DateTime<Utc>) {
        let Some(since) = self.faded_at else {
            return;
        };
        let fade = delta(limit.fade).num_milliseconds().max(1);
        let periods = (now - since).num_milliseconds() / fade;
        if periods > 0 {
            self.failures = self.failures.saturating_sub(u32::try_from(periods).unwrap_or(u32::MAX));
            self.faded_at = (self.failures > 0).then(|| since + TimeDelta::milliseconds(periods * fade));
        }
    }

    fn admit(&mut self, limit: &Limit, now: DateTime<Utc>) -> Result<(), Duration> {
        self.fade(limit, now);
        if let Some(until) = self.waits_until.filter(|until| *until > now) {
            return Err((until - now).to_std().unwrap_or(IN_FLIGHT_WAIT));
        }
        // Past the burst, one attempt at a time.
        if self.in_flight >= limit.burst.saturating_sub(self.failures).max(1) {
            return Err(IN_FLIGHT_WAIT);
        }
        self.in_flight += 1;
        Ok(())
    }

    /// Counts a failure; returns the wait it imposes, past the burst.
    fn fail(&mut self, limit: &Limit, now: DateTime<Utc>) -> Option<Duration> {
        self.fade(limit, now);
        self.faded_at.get_or_insert(now);
        self.failures = self.failures.saturating_add(1);
        (self.failures >= limit.burst).then(|| {
            let wait = limit.wait_after(self.failures);
            self.waits_until = Some(now + delta(wait));
            wait
        })
    }

    fn forgive(&mut self) {
        *self = Count { in_flight: self.in_flight, ..Count::default() };
    }
}

type Shared = Arc<Mutex<Count>>;
type EmailKey = [u8; 32];

/// The counts of one server. Clones share them.
#[derive(Clone)]
pub struct LoginThrottle {
    policy: LoginPolicy,
    pairs: Cache<(EmailKey, Option<IpAddr>), Shared>,
    addresses: Cache<Option<IpAddr>, Shared>,
    emails: Cache<EmailKey, Shared>,
    known: Cache<(EmailKey, Option<IpAddr>), DateTime<Utc>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(LoginPolicy::default())
    }
}

impl LoginThrottle {
    pub fn new(policy: LoginPolicy) -> Self {
        LoginThrottle {
            pairs: counts(policy.per_email_and_address, policy.capacity),
            addresses: counts(policy.per_address, policy.capacity),
            emails: counts(policy.per_email, policy.capacity),
            known: Cache::builder().max_capacity(policy.capacity).time_to_live(policy.known_address_for).build(),
            policy,
        }
    }

    /// Whether an attempt for `email` (as submitted) from `client` would be
    /// admitted now, or how long it must wait. It remembers nothing: a refused
    /// attempt adds no key, so an attacker cannot evict other counts for free.
    /// Nothing here depends on whether the email has an account.
    pub fn check(&self, email: &str, client: Option<IpAddr>, now: DateTime<Utc>) -> Result<(), Duration> {
        let keys = self.keys(email, client, now);
        let mut counts = vec![
            (self.pairs.get(&(keys.email, keys.client)), self.policy.per_email_and_address),
            (self.addresses.get(&keys.client), self.policy.per_address),
        ];
        if !keys.known {
            counts.push((self.emails.get(&keys.email), self.policy.per_email));
        }
        let waits = counts.into_iter().filter_map(|(count, limit)| {
            let count = count?;
            let mut probe = lock(&count).clone();
            probe.admit(&limit, now).err()
        });
        waits.max().map_or(Ok(()), Err)
    }

    /// Takes a place in each count for an attempt that will be decided (its password
    /// checked): only such attempts add keys. Call [`Self::check`] first.
    pub fn admit(&self, email: &str, client: Option<IpAddr>, now: DateTime<Utc>) -> Result<Attempt, Duration> {
        let keys = self.keys(email, client, now);
        let fresh = || Arc::new(Mutex::new(Count::default()));
        let mut counts = vec![
            (self.pairs.get_with((keys.email, keys.client), fresh), self.policy.per_email_and_address),
            (self.addresses.get_with(keys.client, fresh), self.policy.per_address),
        ];
        if !keys.known {
            counts.push((self.emails.get_with(keys.email, fresh), self.policy.per_email));
        }
        let mut attempt =
            Attempt { throttle: self.clone(), email: keys.email, client: keys.client, admitted: Vec::new() };
        let mut wait = None;
        for (count, limit) in counts {
            let admitted = lock(&count).admit(&limit, now);
            match admitted {
                Ok(()) => attempt.admitted.push((count, limit)),
                Err(w) => wait = wait.max(Some(w)),
            }
        }
        // Dropping the attempt gives back the places it took.
        wait.map_or(Ok(attempt), Err)
    }

    fn keys(&self, email: &str, client: Option<IpAddr>, now: DateTime<Utc>) -> Keys {
        let (email, client) = (email_key(email), client.map(address_key));
        let known = self.known.get(&(email, client)).is_some_and(|at| now - at <= delta(self.policy.known_address_for));
        Keys { email, client, known }
    }
}

struct Keys {
    email: EmailKey,
    client: Option<IpAddr>,
    /// The email logged in from this client recently.
    known: bool,
}

/// The caches' expiry only frees memory, once a key has long faded; what a count
/// means is decided by the server's clock.
fn counts<K: std::hash::Hash + Eq + Send + Sync + 'static>(limit: Limit, capacity: u64) -> Cache<K, Shared> {
    let faded = limit.fade.saturating_mul(limit.burst.saturating_add(16)).max(limit.longest_wait);
    Cache::builder().max_capacity(capacity).time_to_idle(faded).build()
}

fn lock(count: &Mutex<Count>) -> std::sync::MutexGuard<'_, Count> {
    count.lock().expect("a count's lock is never poisoned")
}

/// Emails as submitted, trimmed and lowercased (the lookup ignores case), hashed:
/// an attacker's made-up emails take a fixed size and are not kept readable.
fn email_key(email: &str) -> EmailKey {
    Sha256::digest(email.trim().to_lowercase().as_bytes()).into()
}

/// An IPv6 client owns its whole /64: counting single addresses would give it 2^64 tries.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

/// An admitted attempt; say how it ended, or drop it when it was abandoned.
pub struct Attempt {
    throttle: LoginThrottle,
    email: EmailKey,
    client: Option<IpAddr>,
    admitted: Vec<(Shared, Limit)>,
}

impl Attempt {
    /// Counts the failure; returns the longest wait it imposed (a lockout of its
    /// email, its address or both), if any.
    pub fn failed(self, now: DateTime<Utc>) -> Option<Duration> {
        self.admitted.iter().filter_map(|(count, limit)| lock(count).fail(limit, now)).max()
    }

    /// The password was right: this address's count for the email starts afresh and
    /// the address is known to the email. The per-address and per-email counts stay,
    /// so an attacker's own account cannot wash away their failures.
    pub fn succeeded(self, now: DateTime<Utc>) {
        if let Some((pair, _)) = self.admitted.first() {
            lock(pair).forgive();
        }
        self.throttle.known.insert((self.email, self.client), now);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        for (count, _) in &self.admitted {
            let mut count = lock(count);
            count.in_flight = count.in_flight.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    fn addr(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    fn fail(throttle: &LoginThrottle, email: &str, client: Option<IpAddr>, now: DateTime<Utc>) {
        throttle.check(email, client, now).expect("admitted");
        throttle.admit(email, client, now).expect("admitted").failed(now);
    }

    #[test]
    fn past_the_burst_each_failure_doubles_the_wait_and_failures_fade() {
        let limit = Limit { burst: 3, first_wait: MINUTE, longest_wait: 4 * MINUTE, fade: 10 * MINUTE };
        let mut count = Count::default();
        for _ in 0..3 {
            count.admit(&limit, at(0)).unwrap();
            count.in_flight -= 1;
            count.fail(&limit, at(0));
        }
        assert_eq!(count.admit(&limit, at(0)), Err(MINUTE));
        count.admit(&limit, at(1)).unwrap();
        count.fail(&limit, at(1));
        assert_eq!(count.admit(&limit, at(1)), Err(2 * MINUTE));
        count.in_flight = 0;
        for failures in [5, 6] {
            count.fail(&limit, at(1));
            assert_eq!(count.failures, failures);
        }
        assert_eq!(count.admit(&limit, at(1)), Err(4 * MINUTE), "the wait stops growing at its ceiling");
        assert!(count.admit(&limit, at(5)).is_ok());
        assert_eq!(count.failures, 6, "not yet faded");
        count.in_flight = 0;
        assert!(count.admit(&limit, at(30)).is_ok());
        assert_eq!(count.failures, 3, "three fade periods forget three failures");
        count.in_flight = 0;
        count.admit(&limit, at(60)).unwrap();
        assert_eq!((count.failures, count.faded_at), (0, None), "all forgotten");
    }

    #[test]
    fn concurrent_attempts_cannot_overshoot_the_burst() {
        let limit = Limit { burst: 2, first_wait: MINUTE, longest_wait: MINUTE, fade: MINUTE };
        let mut count = Count::default();
        count.admit(&limit, at(0)).unwrap();
        count.admit(&limit, at(0)).unwrap();
        assert_eq!(count.admit(&limit, at(0)), Err(IN_FLIGHT_WAIT));
    }

    #[test]
    fn a_strangers_failures_do_not_hold_back_the_users_own_address() {
        let policy =
            LoginPolicy { per_email: Limit { burst: 8, ..LoginPolicy::default().per_email }, ..LoginPolicy::default() };
        let throttle = LoginThrottle::new(policy);
        let (home, attacker) = (addr("192.0.2.10"), addr("198.51.100.66"));
        throttle.admit("bob@example.com", home, at(0)).unwrap().succeeded(at(0));
        for _ in 0..5 {
            fail(&throttle, "Bob@Example.com ", attacker, at(1));
        }
        assert!(throttle.check("bob@example.com", attacker, at(1)).is_err(), "case and spaces do not evade the count");
        assert!(throttle.check("bob@example.com", addr("203.0.113.1"), at(1)).is_ok());
        for n in 0..3 {
            fail(&throttle, "bob@example.com", addr(&format!("203.0.113.{}", 100 + n)), at(1));
        }
        assert!(
            throttle.check("bob@example.com", addr("203.0.113.1"), at(1)).is_err(),
            "the per-email ceiling holds back new addresses"
        );
        assert!(throttle.check("bob@example.com", home, at(1)).is_ok(), "not the address Bob logs in from");
    }

    #[test]
    fn a_refused_attempt_adds_no_key() {
        let policy = LoginPolicy {
            per_address: Limit { burst: 1, ..LoginPolicy::default().per_address },
            ..LoginPolicy::default()
        };
        let throttle = LoginThrottle::new(policy);
        let attacker = addr("198.51.100.66");
        fail(&throttle, "first@example.com", attacker, at(0));
        for n in 0..100 {
            assert!(throttle.check(&format!("made-up-{n}@example.com"), attacker, at(0)).is_err());
        }
        throttle.pairs.run_pending_tasks();
        throttle.emails.run_pending_tasks();
        assert_eq!((throttle.pairs.entry_count(), throttle.emails.entry_count()), (1, 1));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_slash_64() {
        assert_eq!(address_key("2001:db8:1:2:aaaa::1".parse().unwrap()), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(address_key("192.0.2.7".parse().unwrap()), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
