//! The emulator's own clock: the wall clock plus an offset that only [`Clock::advance`] moves,
//! so a test can expire tokens and challenges and roll TOTP codes over without sleeping.

use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::{Duration, SystemTime};

/// The furthest the clock can be moved ahead in all: a thousand years, far below where
/// `SystemTime` arithmetic or RFC 3339 dates (year 9999) would fail.
pub(crate) const MAX_OFFSET: Duration = Duration::from_secs(1000 * 365 * 24 * 3600);

/// The wall clock plus an offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    /// The emulator's current time, to the whole second (as every date on the wire is, so
    /// what a record holds is what its JSON says).
    pub(crate) fn now(&self) -> SystemTime {
        let now = SystemTime::now() + self.offset();
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix(now))
    }

    fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves the clock forward by `by`, saturating at [`MAX_OFFSET`] in all.
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        *offset = offset.saturating_add(by).min(MAX_OFFSET);
    }
}

/// Seconds since the Unix epoch (0 before it).
pub(crate) fn unix(when: SystemTime) -> u64 {
    when.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `when` as Twilio writes dates (`2015-07-30T20:00:00Z`), by [`crate::timestamp::format`].
pub(crate) fn iso(when: SystemTime) -> String {
    crate::timestamp::format(when).expect("the emulator's clock stays within RFC 3339's years")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward_and_saturates() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        let after = clock.now();
        let moved = after.duration_since(before).unwrap();
        assert!(moved >= Duration::from_secs(3600) && moved < Duration::from_secs(3700));
        clock.advance(Duration::MAX);
        assert_eq!(clock.offset(), MAX_OFFSET);
        assert!(iso(clock.now()).starts_with(char::is_numeric));
        let since = clock.now().duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(since.subsec_nanos(), 0);
    }

    #[test]
    fn formats_with_the_crates_rfc_3339_writer() {
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_438_286_400);
        assert_eq!(iso(when), "2015-07-30T20:00:00Z");
        assert_eq!(unix(when), 1_438_286_400);
    }
}
