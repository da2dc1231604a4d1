-- The register of official documents: statements, decisions, agreements and reports, each with
-- its number and date, a title and summary per language, its files (PDF, DOCX) with their
-- type, size and SHA-256, and the news it is linked to.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('statement', 'decision', 'agreement', 'report')),
    number TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX documents_by_date ON documents (issued_on DESC, id DESC);
CREATE TABLE document_texts (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, lang)
);
CREATE TABLE document_files (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    file_key TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX document_files_by_document ON document_files (document_id, id);
CREATE TABLE article_documents (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, document_id)
);
CREATE INDEX article_documents_by_document ON article_documents (document_id);

-- `/{lang}/documents` is now the register and `/{lang}/events` the calendar: a section or a
-- static page that had one of these addresses moves aside (a section's articles' old
-- addresses answer a permanent redirect to the new ones).
UPDATE sections SET slug = 'documents-news'
WHERE slug = 'documents' AND NOT EXISTS (SELECT 1 FROM sections WHERE slug = 'documents-news');
UPDATE pages SET slug = slug || '-page'
WHERE slug IN ('events', 'documents')
  AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.lang = pages.lang AND p.slug = pages.slug || '-page');
