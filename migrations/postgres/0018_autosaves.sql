-- Autosaved editor forms: what a person typed and has not saved, one per person and article
-- (article 0: a new article not yet created). Kept apart from the article, so an autosave
-- never overwrites anyone's save nor moves the version another person's save is checked
-- against. A save deletes it; old ones are pruned.
CREATE TABLE autosaves (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    base_version BIGINT NOT NULL,
    form TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, article_id)
);
CREATE INDEX autosaves_saved_at ON autosaves (saved_at);
