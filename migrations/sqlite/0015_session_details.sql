-- What a person sees of their sessions to recognise them (and sign one out): the browser's
-- description and the address it signed in from.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
