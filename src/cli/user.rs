//! `newsdesk user add EMAIL --role admin|editor|author`: creates a back-office account. The
//! password is read from standard input when it is piped in; otherwise a one-time link to set
//! it is printed (valid for 72 hours). `newsdesk user reset EMAIL` prints such a link for an
//! existing account (a forgotten password, on a site that sends no mail); with `--two-factor`
//! it also removes their second factor (a lost phone).

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
    /// Print a one-time link (valid for 72 hours) with which a person sets a new password; using
    /// it ends their sessions. For sites without mail: pass the link on yourself.
    Reset {
        /// The person's sign-in e-mail address.
        email: String,
        /// Also remove their second factor (a lost phone and no recovery codes left).
        #[arg(long)]
        two_factor: bool,
    },
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (email, role, name) = match opts.action {
        Action::Add { email, role, name } => (email, role, name),
        Action::Reset { email, two_factor } => return reset(global, &email, two_factor).await,
    };
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

/// `newsdesk user reset EMAIL [--two-factor]`.
async fn reset(global: &Global, email: &str, two_factor: bool) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let email = normalize_email(email).with_context(|| format!("'{email}' is not an e-mail address"))?;
    let Some((user, _)) = store.user_for_login(&email).await? else {
        bail!("there is no user with the e-mail {email}; `newsdesk user add` creates one");
    };
    let now = SystemClock.now();
    let token = new_token();
    store
        .create_password_token(&token_hash(&token), user.id, now + jiff::SignedDuration::from_hours(72))
        .await?;
    store.audit(None, "user.reset", &email, "", "command line", now).await?;
    if two_factor {
        store.disable_two_factor(user.id, now).await?;
        store.delete_sessions_of(user.id, None).await?;
        store.audit(None, "user.two_factor_reset", &email, "", "command line", now).await?;
        eprintln!("{email}'s second factor was removed and their sessions signed out");
    }
    eprintln!("{email} sets a new password within 72 hours at:");
    println!("{}/admin/set-password/{token}", config.site.base_url);
    store.close().await;
    Ok(())
}
