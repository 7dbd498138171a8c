//! A user's webhook handler on 127.0.0.1, as an app would write it: each POST is validated
//! with `SignatureValidator` (JSON or form by `Content-Type`) and read as an `Event`.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use tiny_http::{Header, Request, Response, Server};
use twilio_verify::webhook::{Event, SIGNATURE_HEADER, SignatureValidator};

/// One request as the handler saw it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The URL rebuilt as an app does: `http://` + `Host` + the request line's target.
    pub url: String,
    pub content_type: String,
    pub idempotency_token: String,
    /// `Ok(())` when the signature (and, for JSON, the body hash) validated.
    pub validated: Result<(), String>,
    pub event: Option<Event>,
}

/// A running handler; dropping it stops it.
pub struct Receiver {
    server: Arc<Server>,
    seen: Arc<Mutex<Vec<Received>>>,
    thread: Option<JoinHandle<()>>,
    pub base: String,
}

impl Receiver {
    /// Answers every request with `status` after validating it with `auth_token`.
    pub fn start(auth_token: &str, status: u16) -> Receiver {
        Receiver::start_with(auth_token, move |_| Response::empty(status).boxed())
    }

    /// Answers with what `answer` makes of the request's path.
    pub fn start_with(
        auth_token: &str,
        answer: impl Fn(&str) -> tiny_http::ResponseBox + Send + 'static,
    ) -> Receiver {
        let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let validator = SignatureValidator::new(auth_token);
        let thread = {
            let (server, seen) = (Arc::clone(&server), Arc::clone(&seen));
            thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let received = read(&validator, &mut request);
                    let path = request.url().to_owned();
                    seen.lock().unwrap().push(received);
                    let _ = request.respond(answer(&path));
                }
            })
        };
        Receiver {
            server,
            seen,
            thread: Some(thread),
            base,
        }
    }

    /// What it received so far, in order.
    pub fn seen(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }

    /// The types of the events received, in order.
    pub fn types(&self) -> Vec<String> {
        self.seen()
            .iter()
            .map(|r| r.event.as_ref().unwrap().event_type.as_str().to_owned())
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn header(request: &Request, name: &'static str) -> String {
    request
        .headers()
        .iter()
        .find(|h: &&Header| h.field.equiv(name))
        .map_or_else(String::new, |h| h.value.as_str().to_owned())
}

fn read(validator: &SignatureValidator, request: &mut Request) -> Received {
    let url = format!("http://{}{}", header(request, "Host"), request.url());
    let signature = header(request, SIGNATURE_HEADER);
    let content_type = header(request, "Content-Type");
    let idempotency_token = header(request, "I-Twilio-Idempotency-Token");
    let mut body = Vec::new();
    request.as_reader().read_to_end(&mut body).unwrap();
    let (validated, event) = if content_type.starts_with("application/json") {
        (
            validator.check_json(&url, &body, &signature),
            Event::from_json(&body).ok(),
        )
    } else {
        let params: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap();
        (
            validator.check_form(&url, &params, &signature),
            Event::from_form(&params).ok(),
        )
    };
    Received {
        url,
        content_type,
        idempotency_token,
        validated: validated.map_err(|e| e.to_string()),
        event,
    }
}
