//! The accept loop. `axum::serve` has no timeouts and no connection limit, so a client that
//! sends half a request line and then a byte a minute (slowloris) held a connection forever;
//! here hyper's own HTTP/1 connection (the one axum uses) gets:
//!
//! - a header-read timeout: the whole request head must arrive within it, however slowly the
//!   bytes trickle (it also bounds a kept-alive connection waiting for its next request);
//! - an idle timeout: a connection on which nothing was read or written for that long is asked
//!   to finish, and closed after as long again;
//! - a connection limit: past it, new connections wait in the kernel's backlog.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::Service;

/// Timeouts and the connection limit; the defaults suit an office server behind a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits { header_timeout: Duration::from_secs(20), idle_timeout: Duration::from_secs(120), max_connections: 512 }
    }
}

/// Serves `router` on `listener` until Ctrl-C, then lets open requests finish.
pub async fn run(listener: TcpListener, router: Router, limits: ServerLimits) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little instead of spinning, and go on serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let stopped = stopped.clone();
        tokio::spawn(async move {
            connection(stream, peer, router, limits, stopped).await;
            drop(permit);
        });
    }
    let _ = stop.send(true);
    // Every connection holds a permit until it ends: having them all back means all are done.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(30), permits.acquire_many(all)).await;
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

async fn connection(stream: TcpStream, peer: SocketAddr, router: Router, limits: ServerLimits, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let epoch = Instant::now();
    let last = Arc::new(AtomicU64::new(0));
    let io = TokioIo::new(Tracked { inner: stream, epoch, last: last.clone() });
    let service = TowerToHyperService::new(WithPeer { router, peer });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let conn = builder.serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut finishing = false;
    loop {
        let quiet_since = epoch + Duration::from_millis(last.load(Ordering::Relaxed));
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until((quiet_since + limits.idle_timeout).into()) => {
                let quiet = epoch + Duration::from_millis(last.load(Ordering::Relaxed));
                if quiet.elapsed() < limits.idle_timeout {
                    continue;
                }
                if finishing {
                    tracing::debug!(%peer, "idle connection closed");
                    return;
                }
                conn.as_mut().graceful_shutdown();
                finishing = true;
                last.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
            }
            changed = stopped.changed(), if !finishing => {
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                    finishing = true;
                }
            }
        }
    }
}

/// The router, with the peer address in each request's extensions as `ConnectInfo` (what
/// `into_make_service_with_connect_info` did).
#[derive(Clone)]
struct WithPeer {
    router: Router,
    peer: SocketAddr,
}

impl tower::Service<hyper::Request<Incoming>> for WithPeer {
    type Response = <Router as tower::Service<hyper::Request<Incoming>>>::Response;
    type Error = <Router as tower::Service<hyper::Request<Incoming>>>::Error;
    type Future = <Router as tower::Service<hyper::Request<Incoming>>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Service::<hyper::Request<Incoming>>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut req: hyper::Request<Incoming>) -> Self::Future {
        req.extensions_mut().insert(ConnectInfo(self.peer));
        self.router.call(req)
    }
}

/// A stream that notes when it last moved a byte, in milliseconds since `epoch`.
struct Tracked {
    inner: TcpStream,
    epoch: Instant,
    last: Arc<AtomicU64>,
}

impl Tracked {
    fn touch(&self) {
        self.last.store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        poll
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
