-- A covering index for the in-memory timeline, read in full on the first request after every
-- change: published articles newest first, with the language and section, without touching
-- the table's rows (which hold the bodies).
CREATE INDEX articles_timeline ON articles (status, publish_at DESC, id DESC, lang, section_id);
