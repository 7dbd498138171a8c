//! Socket timeouts rounded up to a coarse step, so a pooled connection does not pay a
//! `setsockopt` before every read and write.
//!
//! With a whole-request bound (`timeout_global`), ureq hands each read and write the time left
//! until the deadline, and its TCP transport sets the socket timeout whenever that value differs
//! from the last one it set — which, measured in nanoseconds, is every time. Rounding the time
//! left up to [`STEP`] keeps it equal across the quick calls of a keep-alive connection (each
//! starts with the full bound), so the socket timeout is set once per connection. A deadline can
//! then fire at most one step late.

use std::time::Duration;

use ureq::Error;
use ureq::unversioned::transport::time::Duration as Budget;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The granularity of socket timeouts.
pub(crate) const STEP: Duration = Duration::from_millis(10);

/// Wraps the transport made by the connectors before it in the chain.
#[derive(Debug)]
pub(crate) struct CoarseTimeouts;

impl<In: Transport> Connector<In> for CoarseTimeouts {
    type Out = CoarseTransport<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        Ok(chained.map(CoarseTransport))
    }
}

/// A transport whose reads and writes see their time left rounded up to [`STEP`].
#[derive(Debug)]
pub(crate) struct CoarseTransport<T>(T);

/// Rounds the time left up to a whole number of steps; zero and "never" stay as they are.
fn coarse(mut timeout: NextTimeout) -> NextTimeout {
    if let Budget::Exact(left) = timeout.after {
        let step = STEP.as_nanos();
        let steps = left.as_nanos().div_ceil(step);
        let rounded = u64::try_from(steps * step).unwrap_or(u64::MAX);
        timeout.after = Budget::Exact(Duration::from_nanos(rounded));
    }
    timeout
}

impl<T: Transport> Transport for CoarseTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        self.0.transmit_output(amount, coarse(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.0.await_input(coarse(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(timeout: NextTimeout) -> Budget {
        timeout.after
    }

    fn exact(d: Duration) -> NextTimeout {
        NextTimeout {
            after: Budget::Exact(d),
            ..NextTimeout::default()
        }
    }

    #[test]
    fn time_left_rounds_up_to_the_step_so_quick_calls_see_the_same_value() {
        let full = Duration::from_secs(30);
        for elapsed in [1, 1_000, 1_000_000, 9_999_999] {
            let left = full - Duration::from_nanos(elapsed);
            assert_eq!(
                after(coarse(exact(left))),
                Budget::Exact(full),
                "{elapsed} ns"
            );
        }
        let left = full - Duration::from_millis(15);
        assert_eq!(after(coarse(exact(left))), Budget::Exact(full - STEP));
    }

    #[test]
    fn zero_and_never_are_kept() {
        assert_eq!(
            after(coarse(exact(Duration::ZERO))),
            Budget::Exact(Duration::ZERO)
        );
        assert_eq!(after(coarse(NextTimeout::default())), Budget::NotHappening);
    }
}
