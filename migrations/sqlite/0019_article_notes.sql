-- Review notes: a thread per article between its author and the editors ("sent back: the
-- second quote needs a source"). `kind` says what the note came with: a plain note, or a
-- draft sent back to its author (written in the same transaction as the step itself).
CREATE TABLE article_notes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX article_notes_article ON article_notes (article_id, created_at);
CREATE INDEX article_notes_kind ON article_notes (kind, created_at);
