-- Expiry and corrections. An article may carry the moment it takes itself off the public site
-- (a temporary notice); the scheduler unpublishes it then, once, whichever node gets there
-- first. A correction is a public note about an edit of a published article, listed with the
-- article, on the corrections page and in its feed.
ALTER TABLE articles ADD COLUMN expires_at INTEGER;
CREATE INDEX articles_expiring ON articles (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    version INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at INTEGER NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX corrections_article ON corrections (article_id, at);
CREATE INDEX corrections_lang ON corrections (lang, at);
