//! The `newsdesk` command line: one clap enum, one file per subcommand (each with its `Opts`
//! and `run`). `anyhow` is used here, at the binary's edge, to print one clear message and
//! exit non-zero; everything below returns typed errors.

mod backup;
mod demo;
mod export;
mod import;
mod media;
mod migrate;
mod redirects;
mod reindex;
mod restore;
mod serve;
mod token;
mod user;

use crate::config::Config;
use crate::storage::Store;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Newsdesk: the publishing system behind an organization's news website.
#[derive(Debug, Parser)]
#[command(name = "newsdesk", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Data directory: the SQLite database, settings (newsdesk.toml), theme and media.
    #[arg(long, global = true, env = "NEWSDESK_DATA", default_value = "newsdesk-data", value_name = "DIR")]
    pub data: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: the SQLite file in the
    /// data directory].
    #[arg(long, global = true, env = "NEWSDESK_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Settings file [default: DIR/newsdesk.toml, if present].
    #[arg(long, global = true, env = "NEWSDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site over HTTP.
    Serve(serve::Opts),
    /// Import articles from Newsdesk JSON Lines, a WordPress (WXR) or Ghost export, RSS 2.0, Atom or JSON Feed.
    Import(import::Opts),
    /// Export the whole site as Newsdesk JSON Lines.
    Export(export::Opts),
    /// Back up the whole site (database, photos, settings) into one file while it serves.
    Backup(backup::Opts),
    /// Rebuild an empty site from a backup.
    Restore(restore::Opts),
    /// Fill an empty site with demo content, or with a large generated corpus.
    Demo(demo::Opts),
    /// Create or update the database schema, then exit (`--check`: only say whether it is needed, exit 3 if so).
    Migrate(migrate::Opts),
    /// Manage back-office users.
    User(user::Opts),
    /// Rebuild the search index from the database.
    Reindex(reindex::Opts),
    /// Copy this node's search index, while it serves, for a new node to start from.
    CopyIndex(reindex::CopyOpts),
    /// Publish this node's search index, while it serves, to the shared (S3) media store; new nodes start from it.
    SnapshotIndex(reindex::SnapshotOpts),
    /// Photo storage: copy a library kept on disk into S3-compatible object storage.
    Media(media::Opts),
    /// Manage bearer tokens for the JSON API.
    Token(token::Opts),
    /// Old addresses of an imported site: import a list, or print them.
    Redirects(redirects::Opts),
}

/// Parses the command line, runs the command and turns any error into a message and exit code.
pub fn main() -> ExitCode {
    let kept = crate::memory::keep_freed_memory_for_reuse();
    let cli = Cli::parse();
    let log_writer = init_tracing();
    if !kept {
        tracing::warn!(
            "the C library refused the allocator's settings: publications may be slower to process"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    drop(runtime);
    // Every log line is written before the closing message.
    drop(log_writer);
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let done = match cli.command {
        // The one command whose exit status says more than success or failure.
        Command::Migrate(opts) => return migrate::run(&cli.global, opts).await,
        Command::Serve(opts) => serve::run(&cli.global, opts).await,
        Command::Import(opts) => import::run(&cli.global, opts).await,
        Command::Export(opts) => export::run(&cli.global, opts).await,
        Command::Backup(opts) => backup::run(&cli.global, opts).await,
        Command::Restore(opts) => restore::run(&cli.global, opts).await,
        Command::Demo(opts) => demo::run(&cli.global, opts).await,
        Command::User(opts) => user::run(&cli.global, opts).await,
        Command::Reindex(opts) => reindex::run(&cli.global, opts).await,
        Command::CopyIndex(opts) => reindex::copy(&cli.global, opts),
        Command::SnapshotIndex(opts) => reindex::snapshot(&cli.global, opts).await,
        Command::Token(opts) => token::run(&cli.global, opts).await,
        Command::Media(opts) => media::run(&cli.global, opts).await,
        Command::Redirects(opts) => redirects::run(&cli.global, opts).await,
    };
    done.map(|()| ExitCode::SUCCESS)
}

/// Libraries that speak far more at `debug` than an operator can use (the HTML parser logs
/// every token): kept at `info` unless `NEWSDESK_LOG` names them.
const QUIET: &[&str] = &["html5ever", "markup5ever", "selectors", "tantivy", "hyper", "h2", "rustls"];

/// Logs go to standard error: `info` and the request log by default, `NEWSDESK_LOG` to choose
/// (`debug`, `warn,newsdesk::access=info`, …); one JSON object per line with
/// `NEWSDESK_LOG_FORMAT=json`. Colours only on a terminal, so files and journals get plain
/// text. Lines go through a writer thread, so a slow terminal or journal never holds up a
/// request (past 64,000 lines waiting, new ones are dropped rather than block); the returned
/// guard writes what is left when dropped.
fn init_tracing() -> tracing_appender::non_blocking::WorkerGuard {
    use std::io::IsTerminal;
    let asked = std::env::var("NEWSDESK_LOG").ok().filter(|v| !v.trim().is_empty());
    let mut directives = asked.clone().unwrap_or_else(|| "info,sqlx=warn".into());
    for target in QUIET {
        if !directives.contains(target) {
            directives.push_str(&format!(",{target}=info"));
        }
    }
    let filter = tracing_subscriber::EnvFilter::try_new(&directives).unwrap_or_else(|e| {
        eprintln!("NEWSDESK_LOG: {e}; logging at info");
        tracing_subscriber::EnvFilter::new("info,sqlx=warn")
    });
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(64_000)
        .lossy(true)
        .thread_name("newsdesk-log")
        // Buffered: the writer thread writes what piled up in one go and flushes whenever the
        // queue is empty, so a busy node makes one write per batch, not one per line.
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    let format = std::env::var("NEWSDESK_LOG_FORMAT").unwrap_or_default();
    let json = format.trim().eq_ignore_ascii_case("json");
    crate::web::access_log::install_sink(writer.clone(), json);
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    match format.trim().to_ascii_lowercase().as_str() {
        "json" => {
            let _ =
                builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init();
        }
        other => {
            if !other.is_empty() && other != "text" {
                eprintln!("NEWSDESK_LOG_FORMAT: '{other}' is neither text nor json; logging text");
            }
            let _ = builder.with_ansi(std::io::stderr().is_terminal()).try_init();
        }
    }
    guard
}

/// Loads the settings and opens (and migrates) the database, making sure the data directory
/// exists and can be written first.
pub(crate) async fn open(global: &Global) -> anyhow::Result<(Config, Store)> {
    ensure_writable_dir(&global.data)?;
    let config = Config::load(&global.data, global.database_url.clone(), global.config.as_deref())?;
    crate::media::configure(&config.data_dir, &config.media)?;
    let store = Store::open(&config.database_url).await?;
    Ok((config, store))
}

pub(crate) fn ensure_writable_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    let probe = dir.join(format!(".newsdesk-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .with_context(|| format!("the data directory {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// A progress bar on standard error for long jobs; hidden when stderr is not a terminal or
/// the job is small.
pub(crate) fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if len < 200 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let style =
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
