-- Bylines are part of what a revision keeps, so restoring one brings its credits back.
ALTER TABLE revisions ADD COLUMN bylines TEXT NOT NULL DEFAULT '[]';
