//! The one integration test binary. Each module is a group of tests; most run on both backends
//! (`on_both_backends!`), against the real server over real HTTP.

// The guard rails of clippy.toml are for the server: tests read the wall clock to make content
// and sleep in synchronous helpers.
#![allow(clippy::disallowed_methods)]

/// The back office over HTTP: roles, CSRF, throttling, editing, history, conflicts.
mod admin;
/// The JSON API: tokens, the workflow, versions, problems, paging, caching, the OpenAPI document.
mod api;
/// Backup and restore of the whole site, across both backends.
mod backup;
/// The back office end to end in a real headless Chromium, over WebDriver.
mod browser;
/// HTTP caching: ETags, 304s, compression, invalidation, several nodes.
mod caching;
/// The command line: import, export, demo and bad input, running the real binary.
mod cli;
/// "Media about us": clippings kept in the back office, shown apart from the news.
mod clippings;
/// Three real nodes behind a real HAProxy: a node killed under load, sessions kept.
mod cluster;
/// The register of official documents: files, kinds and years, search, links to the news.
mod documents;
/// The editor's safety net over HTTP: autosaved text kept apart, brought back, never in the way.
mod editor;
/// Events announced by articles: the calendar, the upcoming list, iCalendar, schema.org Event.
mod events;
/// Feeds, sitemaps and robots.txt over HTTP.
mod feeds;
/// Moving in from Ghost: a real export imported by the command line, walked as readers would.
mod ghost;
/// What an attacker tried: dropped saves, slow bodies, parallel guesses, off-site redirects,
/// markup in structured data and feeds, and mistakes that must not be 500s.
mod hardening;
/// Real databases and the real server on an ephemeral port.
mod harness;
/// Every import format streams: large files checked whole, saved in chunks, resumed.
mod imports;
/// After publication: expiry that unpublishes once across nodes, and public corrections.
mod lifecycle;
/// Photos: uploads, variants, serving, refusals, lead photos on pages, lists and feeds.
mod media;
/// Photos on real S3-compatible object storage (Garage): shared by every node, synced from disk.
mod object_store;
/// What an operator sees: the request log (text and JSON, request ids) and `/metrics`.
mod observability;
/// The public site over HTTP: lists, pagination, archive, articles, languages, errors.
mod public_site;
/// Full-text search over HTTP and the index following changes.
mod search;
/// A browser-like HTTP client (cookie jar) for the back office tests.
mod session;
/// The storage story: every Store operation in one sequence, on each backend.
mod story;
/// Tags: written, shown, listed with feeds, filtered, kept in revisions, refused when invalid.
mod tags;
/// API tokens: the command line, authentication on both backends, the back-office page.
mod tokens;
/// Translating in the editor: empty beside the source, outdated only when the source's text changes.
mod translation;
/// Two-factor sign-in with codes from an independent TOTP implementation (pyotp).
mod two_factor;
/// A small WebDriver client (chromedriver as a child process) for the browser tests.
mod webdriver;
/// Webhooks: signed deliveries to a real receiver, retries in order, the SSRF guard, two nodes.
mod webhooks;
/// Moving in from WordPress: a real export imported by the command line, walked as readers would.
mod wordpress;
