-- "Media about us": what other outlets published about the organization (outlet, date, title,
-- link, an optional quote), per language. Kept apart from the organization's own news: never in
-- its lists, feeds, sitemaps or NewsArticle data.
CREATE TABLE clippings (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    outlet TEXT NOT NULL,
    published_on TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    quote TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX clippings_by_language_and_date ON clippings (lang, published_on DESC, id DESC);
