//! The webhook worker. It runs on every node, but only the node holding the `webhooks` lease
//! works; the others ask for the lease now and then, and one of them takes over within a
//! minute of the holder going away (at once when it stops cleanly).
//!
//! Each round, the holder
//!
//! 1. **dispatches**: reads the change log after its cursor and, for every change that makes an
//!    event, writes one delivery per subscription that wants it (with the payload, built now),
//!    in the same transaction as the cursor's new position. The cursor is the search index's
//!    gap-aware one: on PostgreSQL a change can commit after a newer one, and it is waited for
//!    rather than skipped. Only the position below every gap is stored; after a restart the
//!    changes above it are read again, and the deliveries they make exist already (one per
//!    subscription and change), so nothing is sent twice.
//! 2. **sends**: takes each active subscription's oldest undelivered delivery if it is due and
//!    POSTs it, all subscriptions at once; any 2xx is success, anything else waits for its
//!    retry, and the deliveries behind it wait too, so a receiver gets events in order.
//!
//! Every request is bounded (10 s, the response body read up to 64 KiB), and sending starts
//! only with most of the lease left, so the lease cannot expire during a round.

use super::events::{Event, event_for, payload};
use super::{guard, retry, signing};
use crate::search::cursor::{Cursor, Pending};
use crate::storage::StoreError;
use crate::storage::webhooks::{
    Attempt, AttemptOutcome, DispatchTarget, DueDelivery, LoggedChange, NewDelivery,
};
use crate::web::AppState;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The lease's name, and the change-log follower's.
pub const NAME: &str = "webhooks";
/// How long a lease lasts unless renewed.
pub const LEASE: SignedDuration = SignedDuration::from_secs(60);
/// The holder renews once this much of the lease is used.
pub const RENEW_AFTER: SignedDuration = SignedDuration::from_secs(15);
/// Sending starts only with at least this much lease left: longer than a round can take.
pub const SEND_MARGIN: SignedDuration = SignedDuration::from_secs(30);
/// How often the worker looks for work when there was none.
pub const TICK: Duration = Duration::from_millis(500);
/// The longest one delivery attempt may take, connecting and reading the answer included.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest connection set-up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of a receiver's answer is read (then the connection is dropped).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Changes read from the log at once.
const CHANGES_BATCH: u32 = 200;
/// Subscriptions sent to at once in a round.
const SEND_BATCH: u32 = 32;
/// Longest error text kept for the delivery log.
const MAX_ERROR: usize = 300;

/// Runs until `stop` turns true. Never returns early: errors are logged and retried.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let client = match client(state.site.webhooks.allow_private_targets) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot set up the HTTP client; webhooks will not be delivered by this node");
            return;
        }
    };
    let mut worker = Worker {
        state,
        holder: crate::storage::leases::holder_id(),
        client,
        lease_until: None,
        cursor: None,
    };
    let mut outage = crate::outage::Outage::new("webhook deliveries");
    loop {
        let busy = match worker.round().await {
            Ok(busy) => {
                outage.worked();
                busy
            }
            Err(e) => {
                outage.failed(&e);
                // Read the position again from the database: what was in memory may be ahead
                // of what was committed.
                worker.cursor = None;
                false
            }
        };
        if *stop.borrow() {
            break;
        }
        if !busy {
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = stop.changed() => break,
            }
        }
    }
    if worker.lease_until.is_some()
        && let Err(e) = worker.state.store.release_lease(NAME, &worker.holder).await
    {
        tracing::warn!(error = %e, "cannot release the webhook lease; another node takes it when it expires");
    }
}

/// The HTTP client for deliveries: names resolved through the guard, no proxy from the
/// environment, no redirects, bounded in time.
pub fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(guard::GuardedResolver { allow_private }))
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(ATTEMPT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(30))
        .user_agent(concat!("Newsdesk-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

struct Worker {
    state: AppState,
    holder: String,
    client: reqwest::Client,
    /// Until when this node holds the lease, as far as it knows; `None` when it does not.
    lease_until: Option<Timestamp>,
    /// Where dispatching stands; `None` until read from the database (after taking the lease).
    cursor: Option<Cursor>,
}

impl Worker {
    /// One round; true when deliveries were attempted and more may be due at once.
    async fn round(&mut self) -> Result<bool, StoreError> {
        if !self.hold_lease().await? {
            return Ok(false);
        }
        self.dispatch().await?;
        let now = self.state.clock.now();
        if self.lease_until.is_none_or(|until| until.duration_since(now) < SEND_MARGIN) {
            return Ok(false);
        }
        self.send_due().await
    }

    /// Takes or renews the lease when needed; true while this node holds it.
    async fn hold_lease(&mut self) -> Result<bool, StoreError> {
        let now = self.state.clock.now();
        if let Some(until) = self.lease_until {
            let left = until.duration_since(now);
            if left > LEASE - RENEW_AFTER && left <= LEASE {
                return Ok(true);
            }
        }
        let until = now + LEASE;
        let store = &self.state.store;
        if store.take_lease(NAME, &self.holder, now, until).await? {
            if self.lease_until.is_none() {
                tracing::info!(holder = %self.holder, "this node now delivers webhooks");
                self.cursor = None;
            }
            self.lease_until = Some(until);
            Ok(true)
        } else {
            if self.lease_until.take().is_some() {
                tracing::info!(holder = %self.holder, "another node took over webhook deliveries");
            }
            self.cursor = None;
            Ok(false)
        }
    }

    /// Turns the changes logged since the cursor into deliveries.
    async fn dispatch(&mut self) -> Result<(), StoreError> {
        let store = self.state.store.clone();
        let mut cursor = match self.cursor.take() {
            Some(c) => c,
            None => Cursor::at(store.follower_done(NAME).await?),
        };
        // Asked before reading: if every transaction that could fill the open gaps has ended,
        // what is read now is final for them.
        let give_up = match cursor.pending {
            Some(p) if store.horizon_passed(p.horizon).await? => Some(p.upto),
            _ => None,
        };
        let mut targets: Option<Vec<DispatchTarget>> = None;
        for (after, up_to) in cursor.unread() {
            let mut after = after;
            loop {
                let rows = store.logged_changes(after, up_to, CHANGES_BATCH).await?;
                let Some(last) = rows.last() else { break };
                after = last.id;
                if targets.is_none() {
                    targets = Some(store.webhook_dispatch_targets().await?);
                }
                let targets = targets.as_deref().unwrap_or_default();
                let mut next = cursor.clone();
                let mut deliveries = Vec::new();
                for change in &rows {
                    next.mark(change.id);
                    deliveries.extend(self.deliveries_for(change, targets).await?);
                }
                store.record_dispatch(NAME, &deliveries, next.done(), self.state.clock.now()).await?;
                if !deliveries.is_empty() {
                    tracing::debug!(count = deliveries.len(), "webhook deliveries queued");
                }
                cursor = next;
                if rows.len() < CHANGES_BATCH as usize {
                    break;
                }
            }
        }
        if let Some(upto) = give_up {
            let before = cursor.done();
            cursor.give_up_to(upto);
            cursor.pending = None;
            if cursor.done() != before {
                tracing::debug!(
                    from = before,
                    to = cursor.done(),
                    "gave up waiting for gaps in the change log"
                );
                store.record_dispatch(NAME, &[], cursor.done(), self.state.clock.now()).await?;
            }
        }
        if cursor.has_holes() && cursor.pending.is_none() {
            cursor.pending = Some(Pending { horizon: store.write_horizon().await?, upto: cursor.highest() });
        }
        self.cursor = Some(cursor);
        Ok(())
    }

    /// The deliveries one change makes: one per subscription that wants its event and is
    /// younger than the change.
    async fn deliveries_for(
        &self,
        change: &LoggedChange,
        targets: &[DispatchTarget],
    ) -> Result<Vec<NewDelivery>, StoreError> {
        let Some(event) = event_for(change) else { return Ok(Vec::new()) };
        let wanting: Vec<&DispatchTarget> =
            targets.iter().filter(|t| change.id > t.after_change && t.wants(event.as_str())).collect();
        if wanting.is_empty() {
            return Ok(Vec::new());
        }
        let store = &self.state.store;
        let (article, section) = match event {
            Event::SectionChanged => match change.section_id {
                Some(id) => (None, store.webhook_section(id).await?),
                None => (None, None),
            },
            _ => match change.article_id {
                Some(id) => (store.webhook_article(id).await?, None),
                None => (None, None),
            },
        };
        let body = payload(event, change, article.as_ref(), section.as_ref(), &self.state.site.base_url);
        Ok(wanting
            .into_iter()
            .map(|t| NewDelivery {
                subscription_id: t.id,
                change_id: change.id,
                event: event.as_str().to_string(),
                payload: body.clone(),
            })
            .collect())
    }

    /// Makes every due delivery (at most one per subscription) at once and records how each
    /// went; true when any was attempted.
    async fn send_due(&mut self) -> Result<bool, StoreError> {
        let due = self.state.store.due_webhook_deliveries(self.state.clock.now(), SEND_BATCH).await?;
        if due.is_empty() {
            return Ok(false);
        }
        let allow_private = self.state.site.webhooks.allow_private_targets;
        let mut set = tokio::task::JoinSet::new();
        for delivery in due {
            let client = self.client.clone();
            let clock = self.state.clock.clone();
            set.spawn(async move {
                let at = clock.now();
                let result = attempt(&client, &delivery, at, allow_private).await;
                (delivery, at, result)
            });
        }
        let mut any_delivered = false;
        while let Some(joined) = set.join_next().await {
            let Ok((delivery, at, result)) = joined else {
                tracing::error!("a webhook delivery task panicked");
                continue;
            };
            let attempts = delivery.attempts + 1;
            let outcome = if result.delivered() {
                any_delivered = true;
                AttemptOutcome::Delivered
            } else {
                match retry::next_attempt(attempts, self.state.clock.now()) {
                    Some(next) => AttemptOutcome::RetryAt(next),
                    None => AttemptOutcome::GaveUp,
                }
            };
            crate::metrics::metrics().record_delivery(match outcome {
                AttemptOutcome::Delivered => "delivered",
                AttemptOutcome::RetryAt(_) => "failed",
                AttemptOutcome::GaveUp => "gave_up",
            });
            match outcome {
                AttemptOutcome::Delivered => {}
                AttemptOutcome::RetryAt(next) => tracing::debug!(
                    delivery = delivery.id, attempts, status = ?result.status, error = ?result.error, %next,
                    "webhook delivery failed; will retry"
                ),
                AttemptOutcome::GaveUp => tracing::warn!(
                    subscription = delivery.subscription_id, url = %delivery.url, attempts,
                    status = ?result.status, error = ?result.error,
                    "webhook deliveries failed for a day; the subscription is marked failing"
                ),
            }
            let record = Attempt {
                at,
                status: result.status.map(i64::from),
                error: result.error,
                duration_ms: result.duration_ms,
                outcome,
            };
            self.state.store.record_webhook_attempt(delivery.id, &record).await?;
        }
        // A success may have made the next delivery of that subscription due at once.
        Ok(any_delivered)
    }
}

/// How one attempt went on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireResult {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

impl WireResult {
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One signed POST of a delivery's payload, bounded by [`ATTEMPT_TIMEOUT`].
pub async fn attempt(
    client: &reqwest::Client,
    d: &DueDelivery,
    now: Timestamp,
    allow_private: bool,
) -> WireResult {
    let started = Instant::now();
    let result = send(client, d, now, allow_private).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(status) => WireResult {
            status: Some(status),
            error: (!(200..300).contains(&status)).then(|| format!("HTTP {status}")),
            duration_ms,
        },
        Err(error) => WireResult { status: None, error: Some(error), duration_ms },
    }
}

async fn send(
    client: &reqwest::Client,
    d: &DueDelivery,
    now: Timestamp,
    allow_private: bool,
) -> Result<u16, String> {
    let url = guard::parse_url(&d.url).map_err(|e| e.to_string())?;
    // Names are checked by the client's resolver as they are looked up; IP literals here.
    guard::check_literal(&url, allow_private).map_err(|e| e.to_string())?;
    let id = signing::message_id(d.subscription_id, d.change_id);
    let timestamp = now.as_second();
    let signature =
        signing::signature(&d.secret, &id, timestamp, d.payload.as_bytes()).map_err(|e| e.to_string())?;
    let request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone());
    let exchange = async {
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        // Read (a bounded part of) the answer, so a keep-alive connection can be reused.
        let mut read = 0;
        while read < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        Ok(status)
    };
    // The client's own timeout covers the same; this one also bounds anything outside it.
    match tokio::time::timeout(ATTEMPT_TIMEOUT + Duration::from_secs(1), exchange).await {
        Ok(result) => result,
        Err(_) => Err("timed out".into()),
    }
}

/// An error with its causes, short enough for the delivery log.
fn describe(error: reqwest::Error) -> String {
    let mut text = if error.is_timeout() { "timed out".to_string() } else { error.to_string() };
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    if text.len() > MAX_ERROR {
        let cut = (0..=MAX_ERROR).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(cut);
        text.push('…');
    }
    text
}
