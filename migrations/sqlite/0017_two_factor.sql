-- Two-factor sign-in. A person's TOTP secret (NULL: not set up) and the last 30-second step
-- whose code they used, so no code is accepted twice; their unused recovery codes, as SHA-256
-- digests; the half-finished sign-ins waiting for a code (password right, code not yet given),
-- each with a few tries; and site-wide settings an admin changes in the back office (whether
-- editors and admins must use a second factor).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE two_factor_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
