//! What the emulator received and what it does to the next requests: the request record,
//! connection count, read timeout and fault injection of [`Emulator`].

use std::time::Duration;

use super::Emulator;
use super::faults::Fault;
use super::state::RecordedRequest;

impl Emulator {
    /// Every request received so far, in order of arrival (rejected and faulted ones included)
    /// — the most recent 100,000, or 64 MiB of form data, whichever is less: older ones are
    /// forgotten first, so a long-running emulator does not grow without bound.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// How many requests have been received so far (since the last
    /// [`clear_requests`](Emulator::clear_requests)), the forgotten ones included.
    pub fn request_count(&self) -> usize {
        self.state.request_count()
    }

    /// Forgets the requests received so far (the count starts again from zero).
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// How many TCP connections have been accepted so far.
    pub fn connection_count(&self) -> usize {
        self.state.connection_count()
    }

    /// Sets how long a connection may take to send a complete request head — from when it is
    /// accepted, and again after each answer on a kept-alive connection — and then its body,
    /// before the emulator closes it without answering (default 10 seconds; clamped to
    /// 1 millisecond..=1 hour). It applies to connections accepted after the call; a short one
    /// lets a test see idle connections closed.
    pub fn set_read_timeout(&self, timeout: Duration) {
        self.state.set_read_timeout(timeout);
    }

    /// Applies `fault` to the next `times` authenticated requests, after any faults already
    /// queued. Requests that fail authentication (or whose body is too large) are answered
    /// `401` (`413`) and do not use up a fault; any authenticated request does, whatever its
    /// path, method or fields.
    ///
    /// Any `times` takes the same small memory: `usize::MAX` applies the fault to every request
    /// from now on (in practice), and `0` queues nothing.
    ///
    /// # Panics
    /// When `fault` is a [`Fault::Status`] whose status is outside 200..=599, which no HTTP/1.1
    /// server can send as a final answer: a mistake in the test, reported where it was made
    /// rather than as a confusing answer later. Nothing else about a fault panics.
    pub fn inject(&self, fault: Fault, times: usize) {
        fault.check();
        self.state.inject(fault, times);
    }

    /// How many requests still have a fault waiting for them, saturating at `usize::MAX`.
    pub fn pending_faults(&self) -> usize {
        self.state.pending_faults()
    }

    /// Forgets every fault not yet applied.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }
}
