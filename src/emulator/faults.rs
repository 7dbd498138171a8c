//! Faults a test can inject into the emulator's next answers.

use std::collections::VecDeque;
use std::time::Duration;

/// A misbehaviour the emulator applies to a request instead of (or before) answering it
/// normally; queue one with [`Emulator::inject`](super::Emulator::inject).
///
/// Faults apply only to requests that pass authentication (an unauthenticated request is
/// answered `401` and leaves the queue alone), and before the route, method, resource and form
/// fields are looked at: a [`Fault::Status`] answers any authenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this HTTP status and Twilio's error body
    /// `{"code":…,"message":…,"more_info":"https://www.twilio.com/docs/errors/{code}","status":…}`,
    /// with a `Retry-After` header (whole seconds, rounded up, saturating at `u64::MAX`) when
    /// `retry_after` is set.
    ///
    /// A `2xx` status gives a success status with an error body, which a client cannot decode.
    Status {
        /// The HTTP status, 200..=599 (`429`, `500`, `503`…).
        status: u16,
        /// Twilio's error code for the body (`20429` for 429, `20500` for 500…).
        code: u32,
        /// The delay to ask for in a `Retry-After` header, if any.
        retry_after: Option<Duration>,
    },
    /// Wait this long, then answer normally: for testing timeouts. A delay over a year never
    /// ends: the request waits until the client gives up or the emulator is dropped.
    Delay(Duration),
    /// Close the connection without answering.
    DropConnection,
}

impl Fault {
    /// Twilio's answer to too many requests: `429` with code 20429 and `Retry-After`.
    pub fn too_many_requests(retry_after: Option<Duration>) -> Fault {
        Fault::Status {
            status: 429,
            code: 20429,
            retry_after,
        }
    }

    /// Panics unless the fault can be served.
    pub(crate) fn check(&self) {
        if let Fault::Status { status, .. } = self {
            assert!(
                (200..=599).contains(status),
                "Fault::Status status {status} is not a final HTTP status (200..=599)"
            );
        }
    }
}

/// The faults still to apply, in the order they were injected, as runs of one fault and how
/// many requests it still applies to: `inject(fault, usize::MAX)` takes one slot, not
/// `usize::MAX` copies.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    runs: VecDeque<(Fault, usize)>,
}

impl FaultQueue {
    /// Queues `fault` for the next `times` requests after those already queued.
    pub(crate) fn push(&mut self, fault: Fault, times: usize) {
        if times == 0 {
            return;
        }
        match self.runs.back_mut() {
            // The same fault again extends the last run (saturating: usize::MAX is "forever").
            Some((last, remaining)) if *last == fault => {
                *remaining = remaining.saturating_add(times);
            }
            _ => self.runs.push_back((fault, times)),
        }
    }

    /// The fault for this request, if one is queued.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        let (fault, remaining) = self.runs.front_mut()?;
        if *remaining > 1 {
            *remaining -= 1;
            return Some(fault.clone());
        }
        self.runs.pop_front().map(|(fault, _)| fault)
    }

    /// How many requests still have a fault waiting, saturating at `usize::MAX`.
    pub(crate) fn len(&self) -> usize {
        self.runs.iter().fold(0usize, |total, (_, remaining)| {
            total.saturating_add(*remaining)
        })
    }

    /// Forgets every queued fault.
    pub(crate) fn clear(&mut self) {
        self.runs.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_injection_order_each_the_given_number_of_times() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::too_many_requests(None), 2);
        queue.push(Fault::DropConnection, 1);
        queue.push(Fault::Delay(Duration::ZERO), 0);
        assert_eq!(queue.len(), 3);
        assert_eq!(queue.next(), Some(Fault::too_many_requests(None)));
        assert_eq!(queue.next(), Some(Fault::too_many_requests(None)));
        assert_eq!(queue.next(), Some(Fault::DropConnection));
        assert_eq!(queue.next(), None);
        assert_eq!(queue.len(), 0);
    }

    #[test]
    fn a_huge_count_is_one_run_and_the_count_saturates() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::DropConnection, usize::MAX);
        queue.push(Fault::DropConnection, 5);
        assert_eq!(queue.runs.len(), 1);
        assert_eq!(queue.len(), usize::MAX);
        queue.push(Fault::too_many_requests(None), usize::MAX);
        assert_eq!(queue.runs.len(), 2);
        assert_eq!(queue.len(), usize::MAX);
        assert_eq!(queue.next(), Some(Fault::DropConnection));
        assert_eq!(queue.runs[0].1, usize::MAX - 1);
    }

    #[test]
    fn runs_of_different_faults_keep_their_order_and_counts() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::DropConnection, 2);
        queue.push(Fault::Delay(Duration::ZERO), 1);
        queue.push(Fault::DropConnection, 1);
        assert_eq!(queue.len(), 4);
        let order: Vec<_> = std::iter::from_fn(|| queue.next()).collect();
        assert_eq!(
            order,
            [
                Fault::DropConnection,
                Fault::DropConnection,
                Fault::Delay(Duration::ZERO),
                Fault::DropConnection
            ]
        );
    }

    #[test]
    #[should_panic(expected = "Fault::Status status 42 is not a final HTTP status")]
    fn a_status_outside_200_to_599_is_refused() {
        Fault::Status {
            status: 42,
            code: 1,
            retry_after: None,
        }
        .check();
    }
}
