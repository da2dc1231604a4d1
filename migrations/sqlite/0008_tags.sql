-- Tags: free keywords per language, besides an article's one section.
--
-- `tags` names each tag once per language; its slug is the transliterated name and its
-- address (`/{lang}/tag/{slug}`). `article_tags` links articles to tags in the order the
-- writer gave them; tag pages and feeds read it. The article row also keeps its tags' names
-- (`articles.tags`, a JSON array) so an article reads whole in one query, and every revision
-- keeps them, so restoring a revision restores its tags.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (lang, slug)
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE revisions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
