-- Static pages (about, contacts, accreditation rules): outside the news lists, feeds and the
-- news sitemap, each at /{lang}/{slug}, with a revision per change like articles.
CREATE TABLE pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (lang, slug)
);
CREATE TABLE page_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at INTEGER NOT NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX page_revisions_page ON page_revisions (page_id, version);
