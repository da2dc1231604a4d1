//! Site rules an admin changes in the back office (not in the configuration file, so every
//! node sees a change at once): one row per key in `settings`.

use super::{Result, Store, with_pool};

/// How strict the accessibility check before publishing is (`warn` or `block`).
const ACCESSIBILITY_KEY: &str = "accessibility_check";

impl Store {
    /// `block` when every accessibility finding stops a publication, else `warn` (the default).
    pub async fn accessibility_strictness(&self) -> Result<String> {
        Ok(self.setting(ACCESSIBILITY_KEY).await?.unwrap_or_else(|| "warn".to_string()))
    }

    pub async fn set_accessibility_strictness(&self, value: &str) -> Result<()> {
        self.set_setting(ACCESSIBILITY_KEY, value).await
    }

    /// A setting's value, if it was ever set.
    pub(crate) async fn setting(&self, key: &str) -> Result<Option<String>> {
        const SQL: &str = "SELECT value FROM settings WHERE key = $1";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).bind(key).fetch_optional(p).await?))
    }

    /// Sets a setting (insert or replace).
    pub(crate) async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        const SQL: &str = "INSERT INTO settings (key, value) VALUES ($1, $2) \
                           ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        with_pool!(self, p => sqlx::query(SQL).bind(key).bind(value).execute(p).await.map(|_| ())?);
        Ok(())
    }
}
