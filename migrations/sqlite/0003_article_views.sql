-- Article views per day, counted on the server without cookies or personal data, for the
-- "most read" lists. Only the article and the day are kept.
CREATE TABLE article_views (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    views INTEGER NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_day ON article_views (day);
