-- The home page asks for its language's pinned story on every render. Without an index that
-- was a scan of every article: 177 ms at a million articles on PostgreSQL, paid by the first
-- reader after each publication. Few articles are ever pinned, so the index is partial.
CREATE INDEX IF NOT EXISTS articles_pinned ON articles (lang, pinned_at DESC) WHERE pinned_at IS NOT NULL;
