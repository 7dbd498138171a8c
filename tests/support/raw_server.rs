//! A scripted HTTP/1.1 server on a raw `std::net::TcpListener` bound to 127.0.0.1, for faults
//! no mock server can express: a reset mid-body, a slow drip of bytes, a hung server, a body
//! that ends early, bytes that are not HTTP at all.
//!
//! Request number `n` (counted from 0 across all connections) gets `script[n]`; once the script
//! runs out its last answer repeats. Every request and every accepted connection is counted,
//! and each request is recorded (head and body) for the test to inspect.
//!
//! Include it with `#[path = "support/raw_server.rs"] mod raw_server;`.

#![allow(dead_code)]

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use twilio_verify::{AccessTokens, VerifyClient, VerifyClientBuilder};

/// The service every test talks to.
pub const SERVICE_SID: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The access token every answer describes.
pub const TOKEN_SID: &str = "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The account of the test credentials.
pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The auth token of the test credentials.
pub const AUTH_TOKEN: &str = "auth-token-7c1e0d";
/// The JWT the default answer carries.
pub const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyYXctc2VydmVyIn0.c2lnbmF0dXJlLXJhdw";

/// A client builder with the test credentials (an auth token) and nothing else set.
pub fn auth_token_builder() -> VerifyClientBuilder {
    VerifyClient::builder()
        .account_sid(ACCOUNT_SID)
        .auth_token(AUTH_TOKEN)
}

/// A client builder with the test credentials, aimed at `base_url`.
pub fn builder_at(base_url: &str) -> VerifyClientBuilder {
    auth_token_builder().base_url(base_url)
}

/// Builds `builder` and returns its handle on [`SERVICE_SID`].
pub fn handle(builder: VerifyClientBuilder) -> AccessTokens {
    builder
        .build()
        .expect("client builds")
        .access_tokens(SERVICE_SID)
        .expect("service SID is valid")
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Write these bytes and keep the connection open for the next request.
    Send(Vec<u8>),
    /// Write these bytes, then close the connection (FIN).
    SendThenClose(Vec<u8>),
    /// Write these bytes, wait a moment, then reset the connection (RST): the request is left
    /// unread in the socket, and Linux answers a close with unread data by a reset.
    SendThenReset(Vec<u8>),
    /// Write the first bytes at once, then the rest one at a time, `every` apart, then close.
    Drip {
        /// Sent at once (a status line and headers, say).
        now: Vec<u8>,
        /// Sent a byte at a time.
        then: Vec<u8>,
        /// The pause after each dripped byte.
        every: Duration,
    },
    /// Read the request and never answer; hold the connection until the server is dropped.
    Hang,
    /// Close the connection without a byte of answer.
    Close,
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The request line and headers, up to the blank line.
    pub head: String,
    /// The body, as long as `Content-Length` said.
    pub body: Vec<u8>,
    /// Which connection it came on (0 for the first accepted).
    pub connection: usize,
}

impl Recorded {
    /// The request line: `POST /v2/... HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

struct Shared {
    script: Vec<Answer>,
    requests: AtomicUsize,
    connections: AtomicUsize,
    recorded: Mutex<Vec<Recorded>>,
    stop: AtomicBool,
}

/// A running scripted server; stops when dropped.
pub struct RawServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl RawServer {
    /// Starts a server answering requests in the order of `script` (the last answer repeats).
    pub fn start(script: Vec<Answer>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        RawServer::start_on(listener, script)
    }

    /// Like [`RawServer::start`], on a listener the test bound itself (to a chosen port).
    pub fn start_on(listener: TcpListener, script: Vec<Answer>) -> RawServer {
        assert!(!script.is_empty(), "a script needs at least one answer");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            script,
            requests: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            recorded: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accepting.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let index = accepting.connections.fetch_add(1, Ordering::SeqCst);
                let shared = Arc::clone(&accepting);
                thread::spawn(move || serve(stream, index, &shared));
            }
        });
        RawServer { addr, shared }
    }

    /// Starts a server that gives every request the same answer.
    pub fn always(answer: Answer) -> RawServer {
        RawServer::start(vec![answer])
    }

    /// `http://127.0.0.1:{port}`, to use as the base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many requests were received (a request counts once its head has arrived).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Every request received so far, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.shared.recorded.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// Serves one connection: request after request, until an answer closes it or the client does.
fn serve(mut stream: TcpStream, connection: usize, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    loop {
        let Some((head, body, consumed)) = peek_request(&stream, shared) else {
            return;
        };
        let n = shared.requests.fetch_add(1, Ordering::SeqCst);
        shared.recorded.lock().unwrap().push(Recorded {
            head,
            body,
            connection,
        });
        let answer = shared.script[n.min(shared.script.len() - 1)].clone();
        if let Answer::SendThenReset(bytes) = &answer {
            // Leave the request unread: closing a socket with unread data sends a reset.
            let _ = stream.write_all(bytes);
            let _ = stream.flush();
            thread::sleep(Duration::from_millis(50));
            return;
        }
        let mut discard = vec![0; consumed];
        if stream.read_exact(&mut discard).is_err() {
            return;
        }
        match answer {
            Answer::Send(bytes) => {
                if stream.write_all(&bytes).is_err() {
                    return;
                }
            }
            Answer::SendThenClose(bytes) => {
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                let _ = stream.shutdown(Shutdown::Write);
                linger_until_closed(stream, shared);
                return;
            }
            Answer::Drip { now, then, every } => {
                if stream.write_all(&now).is_err() {
                    return;
                }
                for byte in then {
                    if shared.stop.load(Ordering::SeqCst) || stream.write_all(&[byte]).is_err() {
                        return;
                    }
                    thread::sleep(every);
                }
                let _ = stream.shutdown(Shutdown::Write);
                return;
            }
            Answer::Hang => {
                while !shared.stop.load(Ordering::SeqCst) {
                    thread::sleep(Duration::from_millis(20));
                }
                return;
            }
            Answer::Close => return,
            Answer::SendThenReset(_) => unreachable!(),
        }
    }
}

/// After a half-close, drains whatever the client still sends until it closes too, so the
/// server's close never turns into a reset that could discard the answer before it is read.
fn linger_until_closed(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let until = Instant::now() + Duration::from_secs(5);
    let mut buf = [0; 4096];
    while Instant::now() < until && !shared.stop.load(Ordering::SeqCst) {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}

/// Peeks (without consuming) until a whole request is in the socket: its head, its body and
/// how many bytes it spans. `None` when the client closed the connection first.
fn peek_request(stream: &TcpStream, shared: &Shared) -> Option<(String, Vec<u8>, usize)> {
    let mut buf = vec![0; 256 * 1024];
    let mut seen = 0;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return None;
        }
        let n = stream.peek(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        if let Some(end) = find(&buf[..n], b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length = head
                .lines()
                .skip(1)
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let total = end + 4 + length;
            if n >= total {
                return Some((head, buf[end + 4..total].to_vec(), total));
            }
        }
        if n == seen {
            // Part of the request is there; wait for the rest rather than spin.
            thread::sleep(Duration::from_millis(1));
        }
        seen = n;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A whole HTTP/1.1 answer with a correct `Content-Length`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// An answer with a JSON body.
pub fn json(status: u16, body: &str) -> Vec<u8> {
    response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

/// An access token as Twilio returns it, carrying `jwt`.
pub fn token_json(jwt: &str) -> String {
    format!(
        r#"{{"sid":"{TOKEN_SID}","account_sid":"{ACCOUNT_SID}","service_sid":"{SERVICE_SID}","entity_identity":"user-8f3a2b","factor_type":"push","factor_friendly_name":null,"token":"{jwt}","url":"https://verify.twilio.com/v2/Services/{SERVICE_SID}/AccessTokens/{TOKEN_SID}","ttl":60,"date_created":"2015-07-30T20:00:00Z"}}"#
    )
}

/// `201 Created` with an access token carrying [`JWT`].
pub fn created() -> Vec<u8> {
    json(201, &token_json(JWT))
}

/// `200 OK` with an access token carrying [`JWT`].
pub fn ok() -> Vec<u8> {
    json(200, &token_json(JWT))
}

/// Twilio's error body for `status` with `code`.
pub fn twilio_error(status: u16, code: u32, headers: &[(&str, &str)]) -> Vec<u8> {
    let body = format!(
        r#"{{"code":{code},"message":"error {code}","more_info":"https://www.twilio.com/docs/errors/{code}","status":{status}}}"#
    );
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    response(status, &all, body.as_bytes())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}
