-- Which article a translation was made from, and when an article's text (title, lead, body)
-- last changed: a translation is outdated only when its source's text changed after the
-- translation was last saved, not when the source was merely pinned, moved or republished.
ALTER TABLE articles ADD COLUMN source_id INTEGER REFERENCES articles (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN text_changed_at INTEGER;
