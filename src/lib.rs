//! Newsdesk: the publishing system behind an organization's multilingual news website.
//!
//! The module tree is the architecture:
//!
//! * [`domain`]: the newsroom vocabulary (articles, sections, languages, slugs, markup, the clock).
//!   Pure rules, no I/O: it imports neither axum, sqlx nor minijinja.
//! * [`storage`]: the only module that speaks SQL; one concrete [`storage::Store`] over SQLite or
//!   PostgreSQL, chosen at run time by the database URL.
//! * [`web`]: the HTTP server: one route table, the public site, error mapping, templates.
//! * [`io`]: bulk content in and out (JSON Lines, RSS and Atom imports, export).
//! * [`demo`]: realistic demo content for a new site and large corpora for benchmarks.
//! * [`newsroom`]: the editorial core: every write to articles (back office, API, importers,
//!   scheduler, command line) goes through it: permissions, validation, the workflow, one
//!   post-commit step.
//! * [`media`]: photos: checking uploads, resized WebP variants, file names under `DATA/media`.
//! * [`metrics`]: the node's counters and levels for Prometheus (`/metrics`).
//! * [`search`]: the full-text index (Tantivy) with Russian and English stemming.
//! * [`outage`]: how background jobs report failures that last (once, then a summary).
//! * [`server`]: one node: the HTTP server plus its background jobs (scheduled publishing).
//! * [`webhooks`]: signed event deliveries to subscribed URLs, following the change log.
//! * [`cli`]: the `newsdesk` command line, one file per subcommand.
//! * [`accounts`]: password hashes (argon2id) and tokens for sessions and CSRF.
//! * [`config`] and [`i18n`]: site settings, UI strings and locale-aware dates.
//! * [`memory`]: the allocator's settings for the process (freed memory kept for reuse).

pub mod accounts;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod io;
pub mod media;
pub mod memory;
pub mod metrics;
pub mod newsroom;
pub mod outage;
pub mod search;
pub mod server;
pub mod storage;
pub mod web;
pub mod webhooks;
