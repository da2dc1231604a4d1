//! Webhooks in the database: subscriptions, the deliveries made for them and where the
//! dispatcher stands in the change log (the lease that lets one node at a time deliver is in
//! `super::leases`). The rules (which change is which event, when to retry) live in
//! `crate::webhooks`; this module only reads and writes rows.

use super::{BeginWrite, Result, Store, StoreError, with_pool};
use jiff::Timestamp;

/// A URL subscribed to events, as shown to admins and returned by the API. The signing secret
/// is never part of it: it is shown once, when the subscription is made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Subscription {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// Deliveries are being attempted.
    pub active: bool,
    /// Every attempt of a delivery failed for a day; nothing is sent until an admin re-enables it.
    pub failing: bool,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct SubscriptionRow {
    id: i64,
    url: String,
    events: String,
    active: i64,
    failing_since: Option<i64>,
    created_at: i64,
}

impl From<SubscriptionRow> for Subscription {
    fn from(r: SubscriptionRow) -> Self {
        Subscription {
            id: r.id,
            url: r.url,
            events: split_events(&r.events),
            active: r.active != 0,
            failing: r.failing_since.is_some(),
            created_at: r.created_at,
        }
    }
}

fn split_events(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// A subscription with how its latest attempt went, for the back office's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionOverview {
    pub subscription: Subscription,
    pub failing_since: Option<i64>,
    /// Deliveries not made yet.
    pub pending: i64,
    /// The HTTP status or error of the most recent attempt, if any.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<i64>,
}

#[derive(Debug, sqlx::FromRow)]
struct OverviewRow {
    id: i64,
    url: String,
    events: String,
    active: i64,
    failing_since: Option<i64>,
    created_at: i64,
    pending: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    last_attempt_at: Option<i64>,
}

/// What the dispatcher needs of a subscription to decide whether a change concerns it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DispatchTarget {
    pub id: i64,
    pub events: String,
    /// Changes up to this id happened before the subscription and are not sent to it.
    pub after_change: i64,
}

impl DispatchTarget {
    pub fn wants(&self, event: &str) -> bool {
        self.events.split_whitespace().any(|e| e == event)
    }
}

/// One entry of the change log with everything a follower may need to know about it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedChange {
    pub id: i64,
    pub article_id: Option<i64>,
    pub kind: String,
    /// Unix seconds.
    pub at: i64,
    pub status_before: Option<String>,
    pub status_after: Option<String>,
    pub public: i64,
    pub lang: Option<String>,
    pub section_id: Option<i64>,
}

/// An article as a webhook payload describes it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArticleFacts {
    pub id: i64,
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub status: String,
    pub publish_at: i64,
    pub section: String,
    /// Set when the article is in the trash.
    pub deleted_at: Option<i64>,
}

/// A section as a webhook payload describes it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SectionFacts {
    pub id: i64,
    pub slug: String,
    /// JSON object: language code → name.
    pub names: String,
}

/// A delivery to be written by the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub subscription_id: i64,
    pub change_id: i64,
    pub event: String,
    pub payload: String,
}

/// A delivery whose turn has come, with what the sender needs to make it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueDelivery {
    pub id: i64,
    pub subscription_id: i64,
    pub change_id: i64,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: Timestamp,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub outcome: AttemptOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    /// Failed; try again at this time.
    RetryAt(Timestamp),
    /// Failed for the last time: the subscription is now failing.
    GaveUp,
}

/// One delivery in a subscription's log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryLog {
    pub id: i64,
    pub change_id: i64,
    pub event: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub delivered_at: Option<i64>,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_duration_ms: Option<i64>,
}

const SUBSCRIPTION_COLUMNS: &str = "id, url, events, active, failing_since, created_at";

impl Store {
    /// Adds a subscription; changes already in the log are not sent to it.
    pub async fn create_webhook_subscription(
        &self,
        url: &str,
        events: &[String],
        secret: &str,
        created_by: Option<i64>,
        now: Timestamp,
    ) -> Result<Subscription> {
        let sql = format!(
            "INSERT INTO webhook_subscriptions (url, events, secret, active, after_change, created_at, created_by) \
             VALUES ($1, $2, $3, 1, (SELECT COALESCE(MAX(id), 0) FROM changes), $4, $5) \
             RETURNING {SUBSCRIPTION_COLUMNS}"
        );
        let events = events.join(" ");
        let row: SubscriptionRow = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(url).bind(&events).bind(secret).bind(now.as_second()).bind(created_by)
            .fetch_one(p).await?);
        Ok(row.into())
    }

    pub async fn webhook_subscription(&self, id: i64) -> Result<Option<Subscription>> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1");
        let row: Option<SubscriptionRow> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        Ok(row.map(Into::into))
    }

    /// Every subscription, oldest first, with its pending count and latest attempt.
    pub async fn webhook_overview(&self) -> Result<Vec<SubscriptionOverview>> {
        const SQL: &str = "SELECT s.id, s.url, s.events, s.active, s.failing_since, s.created_at, \
             (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.delivered_at IS NULL) AS pending, \
             l.last_status, l.last_error, l.last_attempt_at \
             FROM webhook_subscriptions s \
             LEFT JOIN webhook_deliveries l ON l.id = (SELECT d.id FROM webhook_deliveries d \
                 WHERE d.subscription_id = s.id AND d.last_attempt_at IS NOT NULL \
                 ORDER BY d.last_attempt_at DESC, d.id DESC LIMIT 1) \
             ORDER BY s.id";
        let rows: Vec<OverviewRow> = with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|r| SubscriptionOverview {
                failing_since: r.failing_since,
                pending: r.pending,
                last_status: r.last_status,
                last_error: r.last_error,
                last_attempt_at: r.last_attempt_at,
                subscription: SubscriptionRow {
                    id: r.id,
                    url: r.url,
                    events: r.events,
                    active: r.active,
                    failing_since: r.failing_since,
                    created_at: r.created_at,
                }
                .into(),
            })
            .collect())
    }

    /// Removes a subscription and its deliveries.
    pub async fn delete_webhook_subscription(&self, id: i64) -> Result<()> {
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM webhook_deliveries WHERE subscription_id = $1").bind(id).execute(&mut *tx).await?;
            let n = sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Turns a subscription back on: clears its failing state and makes every delivery not
    /// made yet due now, from the oldest, with its attempts counted afresh.
    pub async fn reenable_webhook_subscription(&self, id: i64, now: Timestamp) -> Result<()> {
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query("UPDATE webhook_subscriptions SET active = 1, failing_since = NULL WHERE id = $1")
                .bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE webhook_deliveries SET attempts = 0, next_attempt_at = $2 \
                         WHERE subscription_id = $1 AND delivered_at IS NULL")
                .bind(id).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The newest deliveries of one subscription, newest first.
    pub async fn webhook_deliveries(&self, subscription_id: i64, limit: u32) -> Result<Vec<DeliveryLog>> {
        const SQL: &str = "SELECT id, change_id, event, created_at, attempts, next_attempt_at, delivered_at, \
             last_attempt_at, last_status, last_error, last_duration_ms \
             FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY id DESC LIMIT $2";
        let rows: Vec<DeliveryLog> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(subscription_id).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows)
    }

    /// Where the follower `name` stands in the change log (0 when it has never run).
    pub async fn follower_done(&self, name: &str) -> Result<i64> {
        const SQL: &str = "SELECT done FROM log_followers WHERE name = $1";
        let done: Option<i64> =
            with_pool!(self, p => sqlx::query_scalar(SQL).bind(name).fetch_optional(p).await?);
        Ok(done.unwrap_or(0))
    }

    /// Changes with an id above `after_id` and at most `up_to`, oldest first, with the typed
    /// columns of the change log.
    pub async fn logged_changes(
        &self,
        after_id: i64,
        up_to: Option<i64>,
        limit: u32,
    ) -> Result<Vec<LoggedChange>> {
        const SQL: &str = "SELECT id, article_id, kind, at, status_before, status_after, public, lang, section_id \
             FROM changes WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3";
        let rows: Vec<LoggedChange> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(after_id).bind(up_to.unwrap_or(i64::MAX)).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows)
    }

    /// Every subscription, active or not: deliveries are queued for failing ones too, so that
    /// re-enabling one resumes where it stopped.
    pub async fn webhook_dispatch_targets(&self) -> Result<Vec<DispatchTarget>> {
        const SQL: &str = "SELECT id, events, after_change FROM webhook_subscriptions ORDER BY id";
        let rows: Vec<DispatchTarget> = with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?);
        Ok(rows)
    }

    /// An article, in the trash or not, with its section's slug.
    pub async fn webhook_article(&self, id: i64) -> Result<Option<ArticleFacts>> {
        const SQL: &str = "SELECT a.id, a.lang, a.slug, a.title, a.lead, a.status, a.publish_at, \
             s.slug AS section, a.deleted_at \
             FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1";
        let row: Option<ArticleFacts> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await?);
        Ok(row)
    }

    pub async fn webhook_section(&self, id: i64) -> Result<Option<SectionFacts>> {
        const SQL: &str = "SELECT id, slug, names FROM sections WHERE id = $1";
        let row: Option<SectionFacts> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await?);
        Ok(row)
    }

    /// Writes the deliveries made from a batch of changes and moves the follower `name` to
    /// `done`, in one transaction: a crash leaves both or neither. A delivery already written
    /// (the same change read again after a restart) is left as it is.
    pub async fn record_dispatch(
        &self,
        name: &str,
        deliveries: &[NewDelivery],
        done: i64,
        now: Timestamp,
    ) -> Result<()> {
        const INSERT: &str = "INSERT INTO webhook_deliveries \
             (subscription_id, change_id, event, payload, created_at, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (subscription_id, change_id) DO NOTHING";
        const ADVANCE: &str = "INSERT INTO log_followers (name, done) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET done = excluded.done WHERE log_followers.done < excluded.done";
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for d in deliveries {
                sqlx::query(INSERT)
                    .bind(d.subscription_id).bind(d.change_id).bind(&d.event).bind(&d.payload).bind(now.as_second())
                    .execute(&mut *tx).await?;
            }
            sqlx::query(ADVANCE).bind(name).bind(done).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// For each active subscription, its oldest delivery not made yet, if that one is due:
    /// later deliveries wait for it, so each receiver gets events in order.
    pub async fn due_webhook_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<DueDelivery>> {
        const SQL: &str = "SELECT d.id, d.subscription_id, d.change_id, d.event, d.payload, d.attempts, s.url, s.secret \
             FROM webhook_subscriptions s JOIN webhook_deliveries d ON d.id = \
                 (SELECT MIN(h.id) FROM webhook_deliveries h WHERE h.subscription_id = s.id AND h.delivered_at IS NULL) \
             WHERE s.active = 1 AND d.next_attempt_at <= $1 \
             ORDER BY d.id LIMIT $2";
        let rows: Vec<DueDelivery> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(now.as_second()).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows)
    }

    /// Records one attempt. When it was the last one, the subscription is marked failing in
    /// the same transaction.
    pub async fn record_webhook_attempt(&self, delivery_id: i64, attempt: &Attempt) -> Result<()> {
        const FAILED: &str = "UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $2, \
             last_status = $3, last_error = $4, last_duration_ms = $5, next_attempt_at = $6 \
             WHERE id = $1 AND delivered_at IS NULL";
        const DELIVERED: &str = "UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $2, \
             last_status = $3, last_error = $4, last_duration_ms = $5, delivered_at = $2 \
             WHERE id = $1 AND delivered_at IS NULL";
        const FAILING: &str = "UPDATE webhook_subscriptions SET active = 0, failing_since = $2 \
             WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1)";
        let at = attempt.at.as_second();
        let (sql, next) = match attempt.outcome {
            AttemptOutcome::Delivered => (DELIVERED, at),
            AttemptOutcome::RetryAt(t) => (FAILED, t.as_second()),
            AttemptOutcome::GaveUp => (FAILED, at),
        };
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql)
                .bind(delivery_id).bind(at).bind(attempt.status).bind(attempt.error.as_deref())
                .bind(attempt.duration_ms).bind(next)
                .execute(&mut *tx).await?;
            if attempt.outcome == AttemptOutcome::GaveUp {
                sqlx::query(FAILING).bind(delivery_id).bind(at).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes deliveries created before `before`, made or not; returns how many.
    pub async fn prune_webhook_deliveries(&self, before: Timestamp) -> Result<u64> {
        const SQL: &str = "DELETE FROM webhook_deliveries WHERE created_at < $1";
        let n = with_pool!(self, p => sqlx::query(SQL).bind(before.as_second()).execute(p).await?.rows_affected());
        Ok(n)
    }
}
