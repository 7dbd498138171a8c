//! The HTTP/1.1 server: a tokio runtime on a background thread, hyper on each connection.

use std::sync::Arc;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::Request;
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{Semaphore, oneshot};
use tokio::time::Instant;

use super::handler::{self, Dropped, Received, TooLarge};
use super::responses::Reply;
use super::state::State;

/// The largest request body kept; a larger one is answered `413`.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of a too-large body is read (and thrown away) so the client gets its `413`; past
/// this the connection is closed after the answer.
const MAX_DRAINED_BYTES: usize = 16 * 1024 * 1024;
/// How many connections are served at once.
const MAX_CONNECTIONS: usize = 1024;
/// How many connections the kernel queues for accepting (the standard library's listeners
/// queue 128, which a burst of connections from a test overflows: the kernel then drops their
/// handshakes and the clients retry after a second or more).
const BACKLOG: u32 = 1024;

/// A running server: stop it by [`Server::stop`] (or by dropping it).
pub(crate) struct Server {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `state` on `socket` (bound, not yet listening) from a new background thread.
    ///
    /// # Errors
    /// When the runtime cannot be built or the socket cannot listen.
    pub(crate) fn start(socket: TcpSocket, state: Arc<State>) -> std::io::Result<Server> {
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let (shutdown, shutdown_rx) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("twilio-verify-emulator".into())
            .spawn(move || run(socket, state, &ready_tx, shutdown_rx))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Server {
                shutdown: Some(shutdown),
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => Err(std::io::Error::other(
                "the emulator's thread ended at start",
            )),
        }
    }

    /// Stops accepting, closes every connection and frees the port, then waits for the thread.
    pub(crate) fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The background thread: a single-threaded runtime that serves until told to stop, then is
/// dropped, which cancels every connection task and closes the listener.
fn run(
    socket: TcpSocket,
    state: Arc<State>,
    ready: &mpsc::SyncSender<std::io::Result<()>>,
    shutdown: oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let listener = match runtime.block_on(async { socket.listen(BACKLOG) }) {
        Ok(listener) => listener,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.spawn(accept(listener, state));
    let _ = ready.send(Ok(()));
    let _ = runtime.block_on(shutdown);
    drop(runtime);
}

/// Accepts connections until the runtime is dropped, each served by its own task, at most
/// [`MAX_CONNECTIONS`] at once (further ones wait in the listen backlog).
async fn accept(listener: TcpListener, state: Arc<State>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        // The semaphore is never closed, so this only waits for a slot.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors or similar: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Answers go out in one write; without this, small ones could wait on Nagle.
        let _ = stream.set_nodelay(true);
        state.connection_accepted();
        let read_timeout = state.read_timeout();
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service =
                service_fn(move |request| serve(Arc::clone(&state), request, read_timeout));
            // A connection's end (closed, reset, timed out, dropped by a fault) is not the
            // server's error.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// Reads the request's body (bounded in size and time) and hands it to the handler.
///
/// A body that fails, or does not arrive in full within `read_timeout`, closes the connection
/// without an answer and is not recorded — unless it is already over [`MAX_BODY_BYTES`]: that
/// one is recorded and answered `413`, then the connection is closed.
async fn serve(
    state: Arc<State>,
    request: Request<Incoming>,
    read_timeout: Duration,
) -> Result<Reply, Dropped> {
    let (parts, body) = request.into_parts();
    let body = read_body(body, Instant::now() + read_timeout).await?;
    let (body, too_large) = match body {
        Body::Kept(body) => (body, None),
        Body::TooLarge { drained } => (
            Vec::new(),
            Some(TooLarge {
                limit: MAX_BODY_BYTES,
                drained,
            }),
        ),
    };
    let received = Received {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts.headers,
        body,
        too_large,
    };
    handler::handle(&state, received).await
}

/// A request body as read.
enum Body {
    /// At most [`MAX_BODY_BYTES`], all of it.
    Kept(Vec<u8>),
    /// Over [`MAX_BODY_BYTES`]: thrown away, `drained` if it was read to its end (so the
    /// connection can carry on), not if it is over [`MAX_DRAINED_BYTES`] too.
    TooLarge {
        /// Whether the body was read to its end.
        drained: bool,
    },
}

/// Reads `body` until `deadline`, keeping at most [`MAX_BODY_BYTES`] and reading at most
/// [`MAX_DRAINED_BYTES`].
///
/// # Errors
/// [`Dropped`] when the body fails, or is not over [`MAX_BODY_BYTES`] and not complete by
/// `deadline`.
async fn read_body(mut body: Incoming, deadline: Instant) -> Result<Body, Dropped> {
    // A declared length over the drain limit is not worth reading.
    if body.size_hint().lower() > MAX_DRAINED_BYTES as u64 {
        return Ok(Body::TooLarge { drained: false });
    }
    let mut kept = Vec::new();
    let mut seen = 0usize;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(_) if seen > MAX_BODY_BYTES => return Ok(Body::TooLarge { drained: false }),
            Err(_) => return Err(Dropped),
        };
        let Ok(data) = frame.map_err(|_| Dropped)?.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if seen > MAX_DRAINED_BYTES {
            return Ok(Body::TooLarge { drained: false });
        }
        if seen <= MAX_BODY_BYTES {
            kept.extend_from_slice(&data);
        } else if !kept.is_empty() {
            kept = Vec::new();
        }
    }
    if seen > MAX_BODY_BYTES {
        return Ok(Body::TooLarge { drained: true });
    }
    Ok(Body::Kept(kept))
}
