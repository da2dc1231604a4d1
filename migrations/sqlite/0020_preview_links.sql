-- Secret preview links: an unpublished article shown to someone outside the back office (a
-- journalist under embargo) until the link expires or is withdrawn. Only the SHA-256 of the
-- link's token is kept.
CREATE TABLE preview_links (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX preview_links_article ON preview_links (article_id, expires_at);
