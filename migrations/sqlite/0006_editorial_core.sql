-- The editorial core: a typed change log and API tokens.
--
-- Each change says what happened (`kind`: created, updated, published, unpublished, scheduled,
-- trashed, restored, deleted, section, photo), the status before and after, and whether readers
-- can see a difference (`public`), so followers apply only what concerns them. Rows written by
-- older releases keep `public = 1`: followers treat them as public, as those releases did.
ALTER TABLE changes ADD COLUMN status_before TEXT;
ALTER TABLE changes ADD COLUMN status_after TEXT;
ALTER TABLE changes ADD COLUMN public INTEGER NOT NULL DEFAULT 1;
ALTER TABLE changes ADD COLUMN user_id INTEGER;
ALTER TABLE changes ADD COLUMN lang TEXT;
ALTER TABLE changes ADD COLUMN section_id INTEGER;
-- Pruning after the retention period deletes by time.
CREATE INDEX changes_at ON changes (at);

-- Bearer tokens for the JSON API. Each token acts as its own account (a user without a
-- password), so authorship, permissions and the audit log work as for people. Only a hash of
-- the token is stored; `prefix` is its first characters, shown so a person can tell tokens apart.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
