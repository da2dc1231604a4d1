-- A photo's texts in each language: the alternative text, caption and credit readers of that
-- language see. The `media` row's own texts stay the fallback for a language without its own
-- (and for each field left empty here).
CREATE TABLE media_texts (
    media_id BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (media_id, lang)
);
