-- The lead story an editor chose for the language's home page: the most recently pinned
-- published article leads (NULL: not pinned).
ALTER TABLE articles ADD COLUMN pinned_at BIGINT;
