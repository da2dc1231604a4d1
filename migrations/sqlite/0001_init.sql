-- Sections, articles, slug redirects and the change log. Timestamps are Unix seconds (UTC).
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    names TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

INSERT INTO sections (slug, names, position) VALUES ('news', '{"en":"News","ru":"Новости"}', 0);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    translation_key TEXT NOT NULL,
    lang TEXT NOT NULL,
    section_id INTEGER NOT NULL REFERENCES sections (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    publish_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (lang, slug),
    UNIQUE (translation_key, lang)
);

CREATE INDEX articles_public ON articles (lang, status, publish_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (lang, section_id, status, publish_at DESC, id DESC);
CREATE INDEX articles_due ON articles (status, publish_at);

CREATE TABLE slug_redirects (
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (lang, slug)
);

-- Every change to public content, in commit order; caches and search indexes follow it.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL
);
