-- The size in bytes of each resized copy of a photo ("480:31337 960:90210 1600:201234"), so a
-- feed's enclosures need no look-up in the media store. Empty for photos stored before: those
-- are looked up once per render. Expand-only: an older release ignores the column.
ALTER TABLE media ADD COLUMN variant_bytes TEXT NOT NULL DEFAULT '';
