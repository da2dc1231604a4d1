//! `newsdesk user add EMAIL --role admin|editor|author`: creates a back-office account. The
//! password is read from standard input when it is piped in; otherwise a one-time link to set
//! it is printed (valid for 72 hours).

use super::Global;
use crate::accounts::{hash_password, new_token, token_hash};
use crate::domain::user::{MIN_PASSWORD, Role, normalize_email};
use crate::domain::{Clock, SystemClock};
use anyhow::{Context, bail};
use std::io::{IsTerminal, Read};

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create a user. Pipe the password in (`echo … | newsdesk user add …`) or use the printed link.
    Add {
        /// Sign-in e-mail address.
        email: String,
        /// author (writes drafts), editor (publishes), admin (also users, sections, audit log).
        #[arg(long, value_parser = ["admin", "editor", "author"])]
        role: String,
        /// Display name [default: the e-mail address].
        #[arg(long)]
        name: Option<String>,
    },
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let Action::Add { email, role, name } = opts.action;
    let (config, store) = super::open(global).await?;
    let email = normalize_email(&email).with_context(|| format!("'{email}' is not an e-mail address"))?;
    let role = Role::parse(&role).context("unknown role")?;
    let now = SystemClock.now();
    let password = if std::io::stdin().is_terminal() {
        None
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read the password from standard input")?;
        let line = text.lines().next().unwrap_or("").to_string();
        (!line.is_empty()).then_some(line)
    };
    let hash = match &password {
        Some(p) if p.chars().count() < MIN_PASSWORD => {
            bail!("the password must be at least {MIN_PASSWORD} characters long")
        }
        Some(p) => Some(hash_password(p)?),
        None => None,
    };
    let id = store
        .create_user(&email, name.as_deref().unwrap_or(&email), role, hash.as_deref(), now)
        .await
        .map_err(|e| match e {
        crate::storage::StoreError::Conflict(_) => {
            anyhow::anyhow!("a user with the e-mail {email} already exists")
        }
        other => other.into(),
    })?;
    store.audit(None, "user.create", &email, role.as_str(), "command line", now).await?;
    if hash.is_some() {
        eprintln!("created {role} {email}");
    } else {
        let token = new_token();
        store
            .create_password_token(&token_hash(&token), id, now + jiff::SignedDuration::from_hours(72))
            .await?;
        eprintln!("created {role} {email}; set the password within 72 hours at:");
        println!("{}/admin/set-password/{token}", config.site.base_url);
    }
    store.close().await;
    Ok(())
}
