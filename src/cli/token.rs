//! `newsdesk token create|list|revoke`: bearer tokens for the JSON API. `create` prints the
//! token alone on the last line of standard output, so scripts can take it with
//! `TOKEN=$(newsdesk token create --role editor --name feed | tail -1)`; everything meant for
//! people goes to standard error.

use super::Global;
use crate::domain::user::Role;
use crate::domain::{Clock, SystemClock};
use crate::storage::StoreError;
use crate::storage::tokens::{MAX_NAME, clean_name};
use anyhow::{Context, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create a token. It acts as its own account with the given role; the token is printed
    /// once, on the last line of standard output, and stored only as a hash.
    Create {
        /// author (writes drafts), editor (publishes), admin (also users, sections, audit log).
        #[arg(long, value_parser = ["admin", "editor", "author"])]
        role: String,
        /// What the token is for (shown in lists and as the author of what it writes).
        #[arg(long)]
        name: String,
    },
    /// List every token (never the secrets): name, role, first characters, creation, last use.
    List,
    /// Revoke a token for good, by the id `token list` shows; its account is disabled too.
    Revoke {
        /// The token's id.
        id: i64,
    },
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let now = SystemClock.now();
    let result = match opts.action {
        Action::Create { role, name } => create(&store, &role, &name, now).await,
        Action::List => list(&store, &config.site.time_zone).await,
        Action::Revoke { id } => revoke(&store, id, now).await,
    };
    store.close().await;
    result
}

async fn create(store: &crate::storage::Store, role: &str, name: &str, now: Timestamp) -> anyhow::Result<()> {
    let role = Role::parse(role).context("the role must be one of: author, editor, admin")?;
    let Some(name) = clean_name(name) else {
        bail!("the name must be 1 to {MAX_NAME} characters, without line breaks")
    };
    let created = store.create_api_token(&name, role, None, now).await?;
    store.audit(None, "token.create", &name, role.as_str(), "command line", now).await?;
    let token = &created.token;
    eprintln!("created {role} token {} \"{name}\" ({}…)", token.id, token.prefix);
    eprintln!("this is the only time the token is shown; keep it secret:");
    println!("{}", created.secret);
    Ok(())
}

async fn list(store: &crate::storage::Store, tz: &TimeZone) -> anyhow::Result<()> {
    let tokens = store.api_tokens().await?;
    if tokens.is_empty() {
        eprintln!("no tokens; create one with `newsdesk token create --role ROLE --name NAME`");
        return Ok(());
    }
    let when = |at: Option<i64>| {
        at.and_then(|s| Timestamp::from_second(s).ok())
            .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string())
    };
    println!(
        "{:>4}  {:<12}  {:<7}  {:<16}  {:<16}  {:<16}  name (created by)",
        "id", "starts", "role", "created", "last used", "revoked"
    );
    for t in tokens {
        println!(
            "{:>4}  {:<12}  {:<7}  {:<16}  {:<16}  {:<16}  {} ({})",
            t.id,
            format!("{}…", t.prefix),
            t.role.as_str(),
            when(Some(t.created_at)).unwrap_or_default(),
            when(t.last_used_at).unwrap_or_else(|| "never".into()),
            when(t.revoked_at).unwrap_or_else(|| "-".into()),
            t.name,
            t.created_by.as_deref().unwrap_or("command line"),
        );
    }
    Ok(())
}

async fn revoke(store: &crate::storage::Store, id: i64, now: Timestamp) -> anyhow::Result<()> {
    let token = match store.revoke_api_token(id, now).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => bail!("there is no token {id}; `newsdesk token list` shows them"),
        Err(e) => return Err(e.into()),
    };
    store.audit(None, "token.revoke", &token.name, &token.prefix, "command line", now).await?;
    eprintln!("revoked token {id} \"{}\" ({}…); it no longer authenticates", token.name, token.prefix);
    Ok(())
}
