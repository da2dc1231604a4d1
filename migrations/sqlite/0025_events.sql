-- Events an article announces (a briefing, a visit, a conference): when (stored in UTC, with
-- the time zone the organizers gave), where, and, afterwards, the article that reports on it.
-- One event per article; each language's announcement has its own row, as its place is
-- written in that language.
CREATE TABLE events (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    place TEXT NOT NULL,
    report_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_by_time ON events (ends_at, starts_at);

-- `/{lang}/events` is now the calendar: a section that had this address moves to
-- `events-news` (its articles' old addresses answer a permanent redirect to the new ones).
UPDATE sections SET slug = 'events-news'
WHERE slug = 'events' AND NOT EXISTS (SELECT 1 FROM sections WHERE slug = 'events-news');
