//! No answer could be had: what part of the exchange failed.

use std::error::Error as StdError;
use std::fmt;

/// No answer could be had from Twilio: the connection, TLS, a timeout or I/O failed.
///
/// The underlying transport error is the [`source()`](StdError::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    attempts: u32,
    source: ureq::Error,
}

/// What part of the exchange a transport error happened in, for the one-line `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportKind {
    Timeout,
    Dns,
    Connect,
    Tls,
    TooLarge,
    Io,
}

impl TransportError {
    pub(crate) fn new(source: ureq::Error, attempts: u32) -> Self {
        TransportError {
            kind: TransportKind::of(&source),
            attempts,
            source,
        }
    }

    /// True when a timeout expired (connect, or the bound on the whole request).
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout
    }

    /// True when no connection could be made (refused, unreachable, DNS failure).
    pub fn is_connect(&self) -> bool {
        matches!(self.kind, TransportKind::Connect | TransportKind::Dns)
    }

    /// True when TLS failed: the server's certificate was not trusted (or not for this host), or
    /// the TLS handshake or records failed. Such a failure is never retried.
    pub fn is_tls(&self) -> bool {
        self.kind == TransportKind::Tls
    }

    /// True when the answer's body was larger than this crate reads (1 MiB).
    pub fn is_body_too_large(&self) -> bool {
        self.kind == TransportKind::TooLarge
    }

    /// How many attempts were made, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl TransportKind {
    pub(crate) fn of(error: &ureq::Error) -> Self {
        use std::io::ErrorKind;
        match error {
            ureq::Error::Timeout(_) => TransportKind::Timeout,
            ureq::Error::Other(e) if e.is::<NameResolution>() => TransportKind::Dns,
            ureq::Error::HostNotFound => TransportKind::Dns,
            // rustls reports a failed handshake or record (an untrusted certificate, say) as an
            // I/O error of kind `InvalidData` that carries the `rustls::Error`.
            ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
                TransportKind::Tls
            }
            ureq::Error::Io(e)
                if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) =>
            {
                TransportKind::Timeout
            }
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionRefused
                        | ErrorKind::HostUnreachable
                        | ErrorKind::NetworkUnreachable
                        | ErrorKind::AddrNotAvailable
                ) =>
            {
                TransportKind::Connect
            }
            ureq::Error::ConnectionFailed => TransportKind::Connect,
            ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => {
                TransportKind::Connect
            }
            ureq::Error::Tls(_)
            | ureq::Error::Rustls(_)
            | ureq::Error::Pem(_)
            | ureq::Error::TlsRequired => TransportKind::Tls,
            ureq::Error::BodyExceedsLimit(_) => TransportKind::TooLarge,
            _ => TransportKind::Io,
        }
    }
}

/// A failed name lookup, as the resolver reports it (ureq gives the system's error as plain
/// I/O, which says nothing of DNS).
#[derive(Debug)]
pub(crate) struct NameResolution(pub(crate) std::io::Error);

impl fmt::Display for NameResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("name resolution failed")
    }
}

impl StdError for NameResolution {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportKind::Timeout => "request to Twilio timed out",
            TransportKind::Dns => "could not connect to Twilio: name resolution failed",
            TransportKind::Connect => "could not connect to Twilio",
            TransportKind::Tls => "TLS with Twilio failed",
            TransportKind::TooLarge => {
                "Twilio's answer was larger than the 1 MiB this client reads"
            }
            TransportKind::Io => "the exchange with Twilio failed",
        })?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}
