//! Admission: which requests this node takes on at once, how long it waits for their bodies,
//! and why a request that writes runs to its end even when its client has gone.
//!
//! Reading requests (GET, HEAD, OPTIONS) and requests that send a body have separate budgets,
//! so clients trickling bodies byte by byte can use up only their own small budget, never the
//! one readers need; one address may hold only a few body slots at once. A body must arrive
//! within a deadline that grows with its declared size, as headers must (hyper's header
//! timeout). A request that sends a body runs in a task of its own: when the client resets the
//! connection, hyper drops the request's future, and a save cut off between `BEGIN` and
//! `COMMIT`, or between the commit and the cache invalidation after it, would leave a
//! half-done write behind. Detached, it finishes (or fails) as a whole.

use super::ClientAddr;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reading requests being handled at once; past this a request is refused at once with 503
/// rather than queued, so overload sheds load instead of growing memory.
pub const MAX_IN_FLIGHT: usize = 512;
/// Requests with a body being received or handled at once, all addresses together.
pub const MAX_BODIES_IN_FLIGHT: usize = 64;
/// Requests with a body at once from one address.
pub const MAX_BODIES_PER_CLIENT: usize = 16;
/// Every body gets this long, whatever its size.
pub const BODY_BASE_TIME: Duration = Duration::from_secs(10);
/// Past the base time, a body must keep up at least this rate (bytes a second).
pub const BODY_MIN_RATE: u64 = 64 * 1024;
/// No body gets longer than this.
pub const BODY_MAX_TIME: Duration = Duration::from_secs(120);

/// The budgets of one node, shared by every connection.
#[derive(Debug)]
pub struct Admission {
    reads: Semaphore,
    bodies: Arc<Semaphore>,
    per_client: Mutex<HashMap<IpAddr, usize>>,
}

impl Default for Admission {
    fn default() -> Self {
        Admission {
            reads: Semaphore::new(MAX_IN_FLIGHT),
            bodies: Arc::new(Semaphore::new(MAX_BODIES_IN_FLIGHT)),
            per_client: Mutex::new(HashMap::new()),
        }
    }
}

/// A body slot: one of the node's and one of the client's, both given back when dropped.
struct BodySlot {
    admission: Arc<Admission>,
    client: Option<IpAddr>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for BodySlot {
    fn drop(&mut self) {
        self.admission.per_client_release(self.client);
    }
}

/// Whose budget is spent.
#[derive(Debug, PartialEq, Eq)]
enum Full {
    /// The node's: 503, the server is busy.
    Node,
    /// The client's own share: 429, this client sends too much at once.
    Client,
}

impl Admission {
    fn body_slot(self: &Arc<Self>, client: Option<IpAddr>) -> Result<BodySlot, Full> {
        if let Some(client) = client {
            let mut map = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
            let n = map.entry(client).or_insert(0);
            if *n >= MAX_BODIES_PER_CLIENT {
                return Err(Full::Client);
            }
            *n += 1;
        }
        let Ok(permit) = self.bodies.clone().try_acquire_owned() else {
            // The node has no room: the client's count taken above goes back.
            self.per_client_release(client);
            return Err(Full::Node);
        };
        Ok(BodySlot { admission: self.clone(), client, _permit: permit })
    }

    fn per_client_release(&self, client: Option<IpAddr>) {
        let Some(client) = client else { return };
        let mut map = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&client) {
            *n -= 1;
            if *n == 0 {
                map.remove(&client);
            }
        }
    }
}

/// Whether a request is one that sends a body (and so may write).
fn sends_body(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// How long a body of `length` bytes (if declared) may take to arrive.
pub fn body_deadline(length: Option<u64>) -> Duration {
    let extra = length.map_or(BODY_BASE_TIME, |n| Duration::from_secs(n / BODY_MIN_RATE));
    (BODY_BASE_TIME + extra).min(BODY_MAX_TIME)
}

/// The middleware: budgets, the body deadline, and detached writes.
pub async fn admit(State(admission): State<Arc<Admission>>, request: Request, next: Next) -> Response {
    if !sends_body(request.method()) {
        let Ok(_permit) = admission.reads.try_acquire() else { return busy() };
        return next.run(request).await;
    }
    let client = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let slot = match admission.body_slot(client) {
        Ok(slot) => slot,
        Err(Full::Node) => return busy(),
        Err(Full::Client) => return too_many(),
    };
    let length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_slow = Arc::new(AtomicBool::new(false));
    let deadline = tokio::time::Instant::now() + body_deadline(length);
    let raw = Arc::new(Mutex::new(Body::empty()));
    let request = request.map(|body| {
        *raw.lock().unwrap_or_else(|e| e.into_inner()) = body;
        Body::new(DeadlineBody {
            inner: raw.clone(),
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            too_slow: too_slow.clone(),
        })
    });
    let task = tokio::spawn(async move {
        let response = next.run(request).await;
        if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
            drain(&raw, deadline).await;
        }
        drop(slot);
        response
    });
    match task.await {
        Ok(_) if too_slow.load(Ordering::Relaxed) => {
            let mut response = (
                StatusCode::REQUEST_TIMEOUT,
                "The request's data arrived too slowly. Please try again.\n\
                 Данные запроса поступали слишком медленно. Попробуйте ещё раз.\n",
            )
                .into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a request's task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error\n").into_response()
        }
    }
}

/// 503 with `Retry-After`, in both of the site's first languages (no page is rendered: the
/// point is to spend nothing).
fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1")],
        "The server is busy; please retry in a moment.\nСервер занят; повторите запрос через минуту.\n",
    )
        .into_response()
}

/// 429 with `Retry-After`: this address has too many requests with bodies under way.
fn too_many() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "1")],
        "Too many requests from this address at once; please retry in a moment.\n\
         Слишком много одновременных запросов с этого адреса; повторите через минуту.\n",
    )
        .into_response()
}

/// The body did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly")]
struct BodyTooSlow;

/// The most of a refused body read and thrown away so that its sender can read the answer.
pub const DRAIN_LIMIT: u64 = 40 * 1024 * 1024;

/// Reads and discards what is left of a body refused as too large (up to [`DRAIN_LIMIT`] and
/// the body's deadline). Answered while still sending, a client gets its connection reset and
/// a browser shows "connection reset" instead of the page that says what to do.
async fn drain(raw: &Mutex<Body>, deadline: tokio::time::Instant) {
    use http_body::Body as _;
    let mut body = std::mem::replace(&mut *raw.lock().unwrap_or_else(|e| e.into_inner()), Body::empty());
    let mut read = 0u64;
    let frames = async {
        while read < DRAIN_LIMIT {
            match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len() as u64),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout_at(deadline, frames).await;
}

/// A request body that fails once its deadline passes. The body itself stays reachable from
/// the middleware, which may drain it after the handler has given up on it.
struct DeadlineBody {
    inner: Arc<Mutex<Body>>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    too_slow: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut *this.inner.lock().unwrap_or_else(|e| e.into_inner())).poll_frame(cx);
        match polled {
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    this.too_slow.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err(axum::Error::new(BodyTooSlow))));
                }
                Poll::Pending
            }
            ready => ready,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_grow_with_size_and_stay_bounded() {
        assert_eq!(body_deadline(Some(100)), BODY_BASE_TIME);
        assert_eq!(body_deadline(None), BODY_BASE_TIME * 2);
        assert_eq!(body_deadline(Some(64 * 1024 * 30)), BODY_BASE_TIME + Duration::from_secs(30));
        assert_eq!(body_deadline(Some(u64::MAX)), BODY_MAX_TIME);
    }

    #[test]
    fn one_address_cannot_take_every_body_slot() {
        let admission = Arc::new(Admission::default());
        let me: IpAddr = [10, 0, 0, 1].into();
        let mine: Vec<_> =
            (0..MAX_BODIES_PER_CLIENT).map(|_| admission.body_slot(Some(me)).unwrap()).collect();
        assert_eq!(admission.body_slot(Some(me)).err(), Some(Full::Client), "the address's budget is spent");
        let other = admission.body_slot(Some([10, 0, 0, 2].into()));
        assert!(other.is_ok(), "others still get in");
        drop((mine, other));
        assert!(admission.per_client.lock().unwrap().is_empty(), "slots come back");
        // When the node is full, a client's count is not left taken.
        let all: Vec<_> = (0..MAX_BODIES_IN_FLIGHT)
            .map(|i| admission.body_slot(Some([10, 1, (i / 200) as u8, (i % 200) as u8].into())).unwrap())
            .collect();
        assert_eq!(admission.body_slot(Some(me)).err(), Some(Full::Node));
        assert!(!admission.per_client.lock().unwrap().contains_key(&me));
        drop(all);
    }
}
