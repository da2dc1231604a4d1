-- Sign-in attempts, counted per account and per address in one atomic upsert, so parallel
-- attempts cannot all slip past the check (the old login_failures table stays for releases
-- that still read it).
CREATE TABLE login_attempts (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);

-- Indexes that lists and deletes need once the archive is large.
CREATE INDEX articles_author ON articles (author_id);
CREATE INDEX articles_lead_image ON articles (lead_image_id);
CREATE INDEX articles_back_office ON articles (updated_at DESC, id DESC);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX password_tokens_expiry ON password_tokens (expires_at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
