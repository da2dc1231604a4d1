-- Webhooks: subscriptions, their deliveries, where the dispatcher stands in the change log, and
-- a lease so that one node at a time delivers.
--
-- `leases` is general: a named job that one node of several may run holds the row until
-- `until` (Unix seconds) and renews it; another node takes it only once it has expired.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until INTEGER NOT NULL
);

-- How far a follower of the change log has come: every change up to `done` is handled. The
-- webhook dispatcher starts at the end of the log as it is now, not at its beginning.
CREATE TABLE log_followers (
    name TEXT PRIMARY KEY,
    done INTEGER NOT NULL
);
INSERT INTO log_followers (name, done) SELECT 'webhooks', COALESCE(MAX(id), 0) FROM changes;

-- `events` is space-separated (`article.published section.changed`). `secret` is the signing
-- secret (`whsec_…`); it must be kept to sign, so it is stored as is. `after_change` is the
-- newest change id when the subscription was made: older changes are not sent to it.
-- A subscription is `active` until its deliveries fail for a day (`failing_since`), or until
-- an admin turns it off; re-enabling clears both.
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failing_since INTEGER,
    after_change INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER
);

-- One event for one subscription. The payload is built once, when the change is dispatched,
-- and sent byte for byte on every attempt. A change gives at most one event, so
-- (subscription, change) is unique, and dispatching the same change twice adds nothing.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    change_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    last_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    last_duration_ms INTEGER,
    UNIQUE (subscription_id, change_id)
);
-- The sender asks, per subscription, for the oldest delivery not yet made.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, id) WHERE delivered_at IS NULL;
-- Pruning after the retention period deletes by age.
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);
