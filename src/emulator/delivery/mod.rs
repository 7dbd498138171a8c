//! Webhook deliveries: the events the emulator posts to a service's webhooks, a background
//! worker that posts them, and the record of each (see the module docs' "Webhooks").
//!
//! An event is built and handed over while the store is still locked by the call that caused
//! it, so deliveries are queued in the order the changes happened; one worker thread posts
//! them in that order. The call never waits for a delivery: handing over is a `try_send` on a
//! bounded channel (a full queue records the delivery as not delivered instead).

pub(crate) mod events;
mod send;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use super::Emulator;
use crate::webhook::Event;
use crate::webhooks::model::WebhookEvent;

/// How many deliveries may wait for the worker; past this a delivery is recorded
/// [`DeliveryStatus::NotDelivered`] and dropped, so a slow receiver cannot grow memory.
pub(crate) const QUEUE_CAPACITY: usize = 256;

/// One webhook delivery the emulator made, or decided not to make.
///
/// It holds the event as posted (the user's identity and challenge details included), never
/// the auth token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delivery {
    /// The webhook (`YW…`) it was for.
    pub webhook_sid: String,
    /// The URL as posted: the webhook's `webhook_url`, with `bodySHA256=…` added to the query
    /// for a JSON body (a `v2` webhook). The `X-Twilio-Signature` was computed over it.
    pub url: String,
    /// The event's type.
    pub event_type: WebhookEvent,
    /// The event, read back from the body with [`Event`]'s own parser.
    pub event: Event,
    /// The body as posted: JSON for a `v2` webhook, form-encoded for `v1`.
    pub body: String,
    /// When the event happened, by the emulator's clock.
    pub time: SystemTime,
    /// What became of it.
    pub status: DeliveryStatus,
}

/// What became of a [`Delivery`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Posted; the receiver answered this `2xx` status.
    Delivered {
        /// The HTTP status of the answer.
        http_status: u16,
    },
    /// Posted (or tried), without a `2xx` answer: another status (redirects are not
    /// followed), or a transport error or timeout. Not retried.
    Failed {
        /// The HTTP status of the answer, when there was one.
        http_status: Option<u16>,
        /// One line: `HTTP 500`, or the transport error.
        reason: String,
    },
    /// Never sent, so nothing was contacted: `not a loopback URL`, `the delivery queue is
    /// full`, or `the emulator has stopped`.
    NotDelivered {
        /// One line saying why.
        reason: String,
    },
}

/// A delivery waiting for the worker: what to post, already signed.
pub(crate) struct Job {
    pub(crate) uri: ureq::http::Uri,
    pub(crate) content_type: &'static str,
    pub(crate) signature: String,
    pub(crate) idempotency_token: String,
    /// The record, its status to be filled in.
    pub(crate) delivery: Delivery,
}

/// The most deliveries remembered; older ones are forgotten first.
pub(crate) const MAX_RECORDED_DELIVERIES: usize = 10_000;

/// What the worker and the emulator share.
#[derive(Default)]
struct Shared {
    records: Mutex<Vec<Delivery>>,
    recorded: Condvar,
    stopped: AtomicBool,
}

impl Shared {
    fn records(&self) -> MutexGuard<'_, Vec<Delivery>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, delivery: Delivery) {
        let mut records = self.records();
        // Bounded: a long-running emulator keeps the most recent deliveries only.
        if records.len() >= MAX_RECORDED_DELIVERIES {
            records.remove(0);
        }
        records.push(delivery);
        drop(records);
        self.recorded.notify_all();
    }
}

/// The record of deliveries and the queue to the worker (started on the first delivery).
#[derive(Default)]
pub(crate) struct Deliveries {
    shared: Arc<Shared>,
    sender: Mutex<Option<SyncSender<Job>>>,
}

fn not_delivered(mut delivery: Delivery, reason: &str) -> Delivery {
    delivery.status = DeliveryStatus::NotDelivered {
        reason: reason.to_owned(),
    };
    delivery
}

impl Deliveries {
    /// Records `delivery` as not delivered, for `reason`, at once.
    pub(crate) fn refuse(&self, delivery: Delivery, reason: &str) {
        self.shared.record(not_delivered(delivery, reason));
    }

    /// Queues `job` for the worker without waiting (starting the worker if needed); when it
    /// cannot be queued it is recorded as not delivered at once.
    pub(crate) fn submit(&self, job: Job) {
        if self.shared.stopped.load(Ordering::Acquire) {
            return self.refuse(job.delivery, "the emulator has stopped");
        }
        let mut sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        if sender.is_none() {
            let (tx, rx) = mpsc::sync_channel(QUEUE_CAPACITY);
            let shared = Arc::clone(&self.shared);
            let started = thread::Builder::new()
                .name("twilio-verify-emulator-webhooks".into())
                .spawn(move || work(&shared, &rx));
            if started.is_err() {
                return self.refuse(job.delivery, "the delivery thread could not be started");
            }
            *sender = Some(tx);
        }
        let Some(tx) = sender.as_ref() else {
            return;
        };
        match tx.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => self.refuse(job.delivery, "the delivery queue is full"),
            Err(TrySendError::Disconnected(job)) => {
                *sender = None;
                self.refuse(job.delivery, "the delivery thread has stopped");
            }
        }
    }

    /// Stops delivering: what is still queued is recorded as not delivered, and the worker
    /// ends after the delivery it is making (bounded by its timeouts). Does not wait for it.
    pub(crate) fn stop(&self) {
        self.shared.stopped.store(true, Ordering::Release);
        self.sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    fn all(&self) -> Vec<Delivery> {
        self.shared.records().clone()
    }

    fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Delivery> {
        let deadline = Instant::now().checked_add(timeout);
        let mut records = self.shared.records();
        while records.len() < count {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(3600),
            };
            if left.is_zero() {
                break;
            }
            records = self
                .shared
                .recorded
                .wait_timeout(records, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        records.clone()
    }

    fn clear(&self) {
        self.shared.records().clear();
    }
}

/// The worker: posts each job in turn until the emulator stops (then records the rest).
fn work(shared: &Shared, jobs: &Receiver<Job>) {
    let agent = send::agent();
    for job in jobs {
        if shared.stopped.load(Ordering::Acquire) {
            shared.record(not_delivered(job.delivery, "the emulator has stopped"));
            continue;
        }
        let status = send::post(&agent, &job);
        let mut delivery = job.delivery;
        delivery.status = status;
        shared.record(delivery);
    }
}

/// Webhook deliveries on [`Emulator`].
impl Emulator {
    /// Every webhook delivery so far, in the order each was settled: refused ones (not a
    /// loopback URL, a full queue) at once, posted ones when the receiver answered or the
    /// post failed. The most recent 10,000 are kept; older ones are forgotten first.
    ///
    /// A push enrollment seen by the app's own handler (here a `tiny_http` server on
    /// `127.0.0.1`), which validates the request before reading it:
    ///
    /// ```
    /// use std::time::Duration;
    /// use twilio_verify::emulator::{DeliveryStatus, Emulator};
    /// use twilio_verify::webhook::{Event, SIGNATURE_HEADER, SignatureValidator};
    /// use twilio_verify::{CreateAccessToken, CreateWebhook, FactorType, WebhookEvent};
    ///
    /// let emulator = Emulator::start()?;
    /// let server = tiny_http::Server::http("127.0.0.1:0")?;
    /// let hook_url = format!("http://{}/verify-events", server.server_addr());
    /// let events = [WebhookEvent::FactorCreated];
    /// let client = emulator.client();
    /// client
    ///     .webhooks(emulator.service_sid())?
    ///     .create(&CreateWebhook::new("backend", hook_url, events))?;
    /// let token = client
    ///     .access_tokens(emulator.service_sid())?
    ///     .create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push))?;
    /// let phone = emulator.phone(token.token.expose_secret())?; // queues factor.created
    ///
    /// // The handler: the URL as requested, the signature header, the raw body.
    /// let validator = SignatureValidator::new(emulator.auth_token());
    /// let mut request = server.recv()?;
    /// let url = format!("http://{}{}", server.server_addr(), request.url());
    /// let signature = request
    ///     .headers()
    ///     .iter()
    ///     .find(|h| h.field.equiv(SIGNATURE_HEADER))
    ///     .map_or_else(String::new, |h| h.value.to_string());
    /// let mut body = Vec::new();
    /// request.as_reader().read_to_end(&mut body)?;
    /// assert!(validator.validate_json(&url, &body, &signature));
    /// let event = Event::from_json(&body)?;
    /// assert_eq!(event.event_type, WebhookEvent::FactorCreated);
    /// assert_eq!(event.factor_sid.as_ref(), Some(phone.factor_sid()));
    /// request.respond(tiny_http::Response::empty(200))?;
    ///
    /// let deliveries = emulator.wait_for_deliveries(1, Duration::from_secs(10));
    /// assert_eq!(deliveries[0].status, DeliveryStatus::Delivered { http_status: 200 });
    /// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    /// ```
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.state.deliveries.all()
    }

    /// Waits until at least `count` deliveries are [recorded](Self::deliveries), or `timeout`
    /// has passed, and returns them all (fewer than `count` when the time ran out). It wakes as
    /// each delivery is recorded, without polling.
    pub fn wait_for_deliveries(&self, count: usize, timeout: Duration) -> Vec<Delivery> {
        self.state.deliveries.wait_for(count, timeout)
    }

    /// Forgets the deliveries recorded so far (the count starts again from zero); deliveries
    /// still queued are recorded when they settle.
    pub fn clear_deliveries(&self) {
        self.state.deliveries.clear();
    }
}
