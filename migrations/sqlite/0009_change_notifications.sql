-- PostgreSQL notifies the nodes of new changes (its 0009); a SQLite database has one node,
-- which applies its own changes as it makes them. Kept so both backends number alike.
SELECT 1;
