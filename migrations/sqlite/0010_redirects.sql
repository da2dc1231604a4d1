-- Addresses content had on a site imported into this one (`/2024/05/17/slug`, `/?p=123`,
-- `/category/news/feed`), each answered by a permanent redirect: to an article (followed to
-- wherever it lives now) or to a path of this site. `source` is the normalized key
-- (domain::redirect::source_key).
CREATE TABLE redirects (
    source TEXT PRIMARY KEY,
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    target TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((article_id IS NULL) <> (target IS NULL))
);
CREATE INDEX redirects_article ON redirects (article_id);
