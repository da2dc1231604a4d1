-- Every node follows the change log. Polling alone makes a publication reach the other nodes
-- only at their next poll; a notification on the `newsdesk_changes` channel, sent when a
-- transaction that logged changes commits (whoever wrote: a node, an import, the command
-- line), wakes them at once. Notifications within one transaction are sent once, at commit.
CREATE FUNCTION newsdesk_notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('newsdesk_changes', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER changes_notify AFTER INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_notify_change();
