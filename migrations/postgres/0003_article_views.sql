-- Article views per day, counted on the server without cookies or personal data, for the
-- "most read" lists. Only the article and the day are kept.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_day ON article_views (day);
