//! Wake-ups when the change log grows, where the database can send them: PostgreSQL notifies
//! the channel `newsdesk_changes` when a transaction that logged changes commits (a trigger,
//! migration 0009), so every node follows at once instead of at its next poll. SQLite has no
//! such thing; its nodes poll, as every node still does as a fallback.

use super::{Pool, Result, Store};

/// The notification channel.
pub const CHANNEL: &str = "newsdesk_changes";

/// A connection listening for change notifications.
pub struct ChangeListener {
    listener: sqlx::postgres::PgListener,
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeListener").finish_non_exhaustive()
    }
}

impl ChangeListener {
    /// Waits for the next notification. After a lost connection the listener reconnects and
    /// answers at once, since changes may have been missed meanwhile; an error means it could
    /// not reconnect.
    pub async fn next(&mut self) -> Result<()> {
        // `None`: the connection was lost (and is re-established); wake up all the same.
        let _ = self.listener.try_recv().await?;
        // Several commits in a row: one catch-up covers them all.
        while self.listener.next_buffered().is_some() {}
        Ok(())
    }
}

impl Store {
    /// A listener for change notifications; `None` on SQLite.
    pub async fn change_listener(&self) -> Result<Option<ChangeListener>> {
        match &self.pool {
            Pool::Sqlite(_) => Ok(None),
            Pool::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok(Some(ChangeListener { listener }))
            }
        }
    }
}
