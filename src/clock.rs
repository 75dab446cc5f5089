//! The time that tenantbase's own code reads. Everything that depends on the date
//! or the time of day (retention, partitions, context and session expiry,
//! lockout windows) takes a [`Clock`], so tests set the time instead of depending
//! on the day they run. PostgreSQL's `now()` is left to what it does well: stamping
//! rows (`created_at`, `updated_at`, the audit trail's `occurred_at`).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A source of the current time: the system's, or one a test holds.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The machine's clock.
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    /// A clock that stays at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(move || at))
    }

    /// A clock that reads `at` until the returned [`ManualClock`] moves it.
    pub fn manual(at: DateTime<Utc>) -> (Self, ManualClock) {
        let time = Arc::new(Mutex::new(at));
        let read = time.clone();
        (Clock(Arc::new(move || *read.lock().expect("the clock's lock is never poisoned"))), ManualClock(time))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// The current day in UTC, the calendar that partitions and retention use.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    pub fn system_time(&self) -> SystemTime {
        self.now().into()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock({})", self.now().to_rfc3339())
    }
}

/// The hand that moves a [`Clock::manual`].
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("the clock's lock is never poisoned") = at;
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("the clock's lock is never poisoned") += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2024-02-29T23:59:00Z").unwrap().with_timezone(&Utc);
        let (clock, hand) = Clock::manual(start);
        assert_eq!(clock.now(), start);
        hand.advance(Duration::minutes(2));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(Clock::fixed(start).today(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    }
}
