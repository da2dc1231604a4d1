//! `newsdesk migrate`: bring the database schema up to date and exit (the other commands do
//! this too; this one is for release scripts).

use super::Global;

pub async fn run(global: &Global) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    eprintln!("database is up to date ({})", crate::storage::redact(&config.database_url));
    store.close().await;
    Ok(())
}
