//! Leases: a named job that one node at a time may do (delivering webhooks, publishing the
//! search index's snapshot), held until a time and renewed by its holder, taken over by another
//! node once it has expired.

use super::{Result, Store, with_pool};
use jiff::Timestamp;

/// A name for this process among the nodes that share a database: its process id and random
/// bytes, so two nodes on one machine (or one restarted with the same pid) never share one.
pub fn holder_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{random}", std::process::id())
}

impl Store {
    /// Takes or renews the lease `name` for `holder` until `until`; true when it is ours now.
    /// One statement either way, so two nodes asking at once cannot both get it: the row is
    /// written only if it is absent, already ours, or expired at `now`.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        const SQL: &str = "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
             WHERE leases.holder = excluded.holder OR leases.until <= $4";
        let n = with_pool!(self, p => sqlx::query(SQL)
            .bind(name).bind(holder).bind(until.as_second()).bind(now.as_second())
            .execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    /// Gives the lease up (a node that stops), so another node need not wait for it to expire.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        const SQL: &str = "UPDATE leases SET until = 0 WHERE name = $1 AND holder = $2";
        with_pool!(self, p => sqlx::query(SQL).bind(name).bind(holder).execute(p).await.map(|_| ())?);
        Ok(())
    }
}
