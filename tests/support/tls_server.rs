//! A TLS server on 127.0.0.1 presenting `tests/fixtures/tls/server.pem`, a self-signed
//! certificate that no test client trusts: every handshake fails on the client's side. It counts
//! the connections it accepts.
//!
//! Include it with `#[path = "support/tls_server.rs"] mod tls_server;`.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use ureq::tls::{PemItem, parse_pem};

/// The CA the test clients trust; the server's certificate is not issued by it.
pub const TRUSTED_CA_PEM: &str = include_str!("../fixtures/tls/trusted_ca.pem");
const SERVER_PEM: &str = include_str!("../fixtures/tls/server.pem");
const SERVER_KEY: &str = include_str!("../fixtures/tls/server.key");

/// A running server; its accept thread lives as long as the test process.
pub struct TlsServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl TlsServer {
    pub fn start() -> TlsServer {
        let cert = match parse_pem(SERVER_PEM.as_bytes()).next() {
            Some(Ok(PemItem::Certificate(c))) => CertificateDer::from(c.der().to_vec()),
            _ => panic!("server.pem holds no certificate"),
        };
        let key = match parse_pem(SERVER_KEY.as_bytes()).next() {
            Some(Ok(PemItem::PrivateKey(k))) => PrivateKeyDer::try_from(k.der().to_vec()).unwrap(),
            _ => panic!("server.key holds no private key"),
        };
        let config =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
                .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let config = Arc::clone(&config);
                thread::spawn(move || {
                    let connection = ServerConnection::new(config).unwrap();
                    let mut tls = StreamOwned::new(connection, stream);
                    // The client refuses the certificate and closes: the handshake errors.
                    let _ = tls.conn.complete_io(&mut tls.sock);
                    let _ = std::io::Read::read(&mut tls, &mut [0; 64]);
                });
            }
        });
        TlsServer { addr, connections }
    }

    /// `https://127.0.0.1:{port}`, to use as the base URL.
    pub fn base_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}
