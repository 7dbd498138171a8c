//! The HTTP/1.1 server: a tokio runtime on a background thread, hyper on each connection.

use std::net::TcpListener as StdListener;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::handler::{self, Dropped, Received};
use super::responses::Reply;
use super::state::State;

/// The largest request body read; a larger one closes the connection.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A running server: stop it by [`Server::stop`] (or by dropping it).
pub(crate) struct Server {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `state` on `listener` from a new background thread.
    ///
    /// # Errors
    /// When the runtime cannot be built or the listener cannot be registered with it.
    pub(crate) fn start(listener: StdListener, state: Arc<State>) -> std::io::Result<Server> {
        listener.set_nonblocking(true)?;
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let (shutdown, shutdown_rx) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("twilio-verify-emulator".into())
            .spawn(move || run(listener, state, &ready_tx, shutdown_rx))?;
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
    listener: StdListener,
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
    let listener = match runtime.block_on(async { TcpListener::from_std(listener) }) {
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

/// Accepts connections until the runtime is dropped, each served by its own task.
async fn accept(listener: TcpListener, state: Arc<State>) {
    loop {
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
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| serve(Arc::clone(&state), request));
            // A connection's end (closed, reset, dropped by a fault) is not the server's error.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Reads the request's body (bounded) and hands it to the handler.
async fn serve(state: Arc<State>, request: Request<Incoming>) -> Result<Reply, Dropped> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|_| Dropped)?
        .to_bytes();
    let received = Received {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body: body.to_vec(),
    };
    handler::handle(&state, received).await
}
