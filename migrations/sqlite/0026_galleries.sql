-- An article's gallery: photos from the library in the order the editor set. Captions and
-- credits are the photos' own, in each language (media_texts).
CREATE TABLE gallery_photos (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, position),
    UNIQUE (article_id, media_id)
);
CREATE INDEX gallery_photos_by_media ON gallery_photos (media_id);
