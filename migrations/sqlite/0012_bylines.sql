-- Bylines: the people (or desks, "Press Service") an article is credited to, per language like
-- tags: `authors` holds each once with the address of their page (/{lang}/author/{slug}),
-- `article_authors` links articles in credit order, and the names are kept on the article row
-- (`articles.bylines`, JSON) so an article reads whole in one query.
CREATE TABLE authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (lang, slug)
);
CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors (author_id, article_id);
ALTER TABLE articles ADD COLUMN bylines TEXT NOT NULL DEFAULT '[]';
