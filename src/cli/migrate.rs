//! `newsdesk migrate`: bring the database schema up to date and exit, saying what was applied
//! (the other commands migrate too; this one is for release scripts). `--check` changes
//! nothing and answers in its exit status: 0 when the schema needs nothing from this binary,
//! 3 when migrations are pending (listed), 1 on an error such as an unreachable database
//! (and 2, as for every command, on a command-line mistake).

use super::Global;
use crate::storage::{Store, redact};
use std::process::ExitCode;

/// The exit status of `migrate --check` when migrations are pending.
pub const PENDING_EXIT: u8 = 3;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Change nothing: list pending migrations and exit with 3 if there are any, 0 if none.
    #[arg(long)]
    pub check: bool,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<ExitCode> {
    super::ensure_writable_dir(&global.data)?;
    let config =
        crate::config::Config::load(&global.data, global.database_url.clone(), global.config.as_deref())?;
    let store = Store::connect(&config.database_url).await?;
    let where_ = redact(&config.database_url);
    let before = store.schema_status().await?;
    if !before.newer.is_empty() {
        println!(
            "the database has {} migration(s) from a newer release ({}); this release serves it all the same",
            before.newer.len(),
            before.newer.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        );
    }
    if opts.check {
        store.close().await;
        if before.pending.is_empty() {
            println!("the database is up to date ({where_})");
            return Ok(ExitCode::SUCCESS);
        }
        println!("{} migration(s) pending on {where_}:", before.pending.len());
        for (version, description) in &before.pending {
            println!("  {version} {description}");
        }
        return Ok(ExitCode::from(PENDING_EXIT));
    }
    store.migrate().await?;
    store.close().await;
    if before.pending.is_empty() {
        println!("the database is up to date ({where_}); nothing to apply");
    } else {
        let fresh = if before.applied == 0 { " to a new database" } else { "" };
        println!("applied {} migration(s){fresh} ({where_}):", before.pending.len());
        for (version, description) in &before.pending {
            println!("  {version} {description}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
