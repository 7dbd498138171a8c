//! A small synchronous endpoint for Verify Push webhooks: it checks each POST's
//! `X-Twilio-Signature` against `TWILIO_AUTH_TOKEN` (a form or a JSON body, by `Content-Type`),
//! then prints the event. Unsigned or tampered requests get `403` and are not read.
//!
//! ```text
//! TWILIO_AUTH_TOKEN=your_auth_token \
//! WEBHOOK_PUBLIC_URL=https://your-tunnel.example \
//!     cargo run --example webhook_receiver -- 127.0.0.1:8080
//! ```
//!
//! `WEBHOOK_PUBLIC_URL` is the scheme and host Twilio calls (the webhook's URL without its
//! path); Twilio signs that URL, not the address this server listens on. Without it the URL
//! is rebuilt as `http://` + the request's `Host` header, which is right only when Twilio
//! reaches this server directly over plain HTTP (as the emulator does).
//!
//! With no account, against the crate's emulator:
//!
//! ```text
//! cargo run --example webhook_receiver --features emulator -- --emulator
//! ```
//!
//! starts an emulator and this endpoint on a free port of `127.0.0.1`, registers the endpoint
//! as a webhook for every event, then runs a push login (enroll a phone, approve one
//! challenge, deny another): the endpoint validates and prints each of the four events the
//! emulator delivers, signed with its auth token, and the program exits.
//!
//! The printed event holds the user's identity and the challenge details (PII): this is a
//! demonstration, not a logging policy.

use std::io::Read as _;

use tiny_http::{Header, Method, Request, Response, Server};
use twilio_verify::webhook::{Event, SIGNATURE_HEADER, SignatureValidator};

/// Bodies larger than this are refused: a Verify Push event is a few hundred bytes.
const MAX_BODY: u64 = 64 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("--emulator") {
        return emulator_demo::run();
    }
    let token = std::env::var("TWILIO_AUTH_TOKEN")
        .map_err(|_| "set TWILIO_AUTH_TOKEN to the account's auth token")?;
    let validator = SignatureValidator::new(token);
    let public_url = std::env::var("WEBHOOK_PUBLIC_URL").ok();
    let addr = arg.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let server = Server::http(&addr)?;
    eprintln!("listening on http://{addr}");
    serve(&server, &validator, public_url.as_deref());
    Ok(())
}

/// Answers each request until the server is unblocked.
fn serve(server: &Server, validator: &SignatureValidator, public_url: Option<&str>) {
    for mut request in server.incoming_requests() {
        let (status, text) = handle(validator, public_url, &mut request);
        let _ = request.respond(Response::from_string(text).with_status_code(status));
    }
}

fn handle(
    validator: &SignatureValidator,
    public_url: Option<&str>,
    request: &mut Request,
) -> (u16, String) {
    if *request.method() != Method::Post {
        return (405, "POST only\n".to_owned());
    }
    let url = match public_url {
        Some(base) => format!("{}{}", base.trim_end_matches('/'), request.url()),
        None => format!("http://{}{}", header(request, "Host"), request.url()),
    };
    let path = request.url().to_owned();
    let signature = header(request, SIGNATURE_HEADER);
    let is_json = header(request, "Content-Type")
        .to_ascii_lowercase()
        .starts_with("application/json");

    let mut body = Vec::new();
    if request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .is_err()
        || body.len() as u64 > MAX_BODY
    {
        return (413, "body unreadable or too large\n".to_owned());
    }

    let event = if is_json {
        if let Err(rejection) = validator.check_json(&url, &body, &signature) {
            eprintln!("403 {path}: {rejection}");
            return (403, "invalid signature\n".to_owned());
        }
        Event::from_json(&body)
    } else {
        let params: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        if let Err(rejection) = validator.check_form(&url, &params, &signature) {
            eprintln!("403 {path}: {rejection}");
            return (403, "invalid signature\n".to_owned());
        }
        Event::from_form(&params)
    };
    match event {
        Ok(event) => {
            println!("{} {path}: validated", event.event_type.as_str());
            if let (Some(sid), Some(status)) = (&event.challenge_sid, event.challenge_status()) {
                println!("challenge {sid} is now {status}");
            }
            if let (Some(sid), Some(status)) = (&event.factor_sid, event.factor_status()) {
                println!("factor {sid} is now {status}");
            }
            println!("{event:#?}");
            (200, "ok\n".to_owned())
        }
        Err(e) => {
            eprintln!("400 {path}: {e}");
            (400, format!("{e}\n"))
        }
    }
}

/// A header's value, or `""` when the request has none.
fn header(request: &Request, name: &'static str) -> String {
    request
        .headers()
        .iter()
        .find(|h: &&Header| h.field.equiv(name))
        .map_or_else(String::new, |h| h.value.as_str().to_owned())
}

/// `--emulator`: the crate's emulator delivers a push login's events to this endpoint.
#[cfg(feature = "emulator")]
mod emulator_demo {
    use std::sync::Arc;
    use std::thread;
    use std::time::Duration;

    use tiny_http::Server;
    use twilio_verify::emulator::Emulator;
    use twilio_verify::webhook::SignatureValidator;
    use twilio_verify::{
        CreateAccessToken, CreateChallenge, CreateWebhook, FactorType, WebhookEvent,
    };

    use super::BoxError;

    pub(super) fn run() -> Result<(), BoxError> {
        let emulator = Emulator::start()?;
        let server = Arc::new(Server::http("127.0.0.1:0")?);
        let hook_url = format!("http://{}/verify-events", server.server_addr());
        eprintln!("emulator at {}, webhook at {hook_url}", emulator.base_url());
        let endpoint = {
            let server = Arc::clone(&server);
            let validator = SignatureValidator::new(emulator.auth_token());
            thread::spawn(move || super::serve(&server, &validator, None))
        };

        let client = emulator.client();
        let service = emulator.service_sid();
        let webhook = CreateWebhook::new("demo", hook_url, [WebhookEvent::All]);
        client.webhooks(service)?.create(&webhook)?;
        let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
        let token = client
            .access_tokens(service)?
            .create(&CreateAccessToken::new(identity, FactorType::Push))?;
        let phone = emulator.phone(token.token.expose_secret())?; // factor.created, .verified
        let challenges = client.challenges(service, identity)?;
        let ask = |message: &str| {
            challenges.create(&CreateChallenge::new(phone.factor_sid()).message(message))
        };
        phone.approve(&ask("Log in to Owl Bank?")?.sid)?; // challenge.approved
        phone.deny(&ask("Log in from an unknown browser?")?.sid)?; // challenge.denied

        let deliveries = emulator.wait_for_deliveries(4, Duration::from_secs(15));
        server.unblock();
        let _ = endpoint.join();
        for delivery in &deliveries {
            eprintln!("{} -> {:?}", delivery.event_type.as_str(), delivery.status);
        }
        if deliveries.len() == 4 {
            Ok(())
        } else {
            Err(format!("{} of 4 events delivered", deliveries.len()).into())
        }
    }
}

#[cfg(not(feature = "emulator"))]
mod emulator_demo {
    pub(super) fn run() -> Result<(), super::BoxError> {
        Err("--emulator needs the emulator: cargo run --example webhook_receiver --features emulator -- --emulator".into())
    }
}
