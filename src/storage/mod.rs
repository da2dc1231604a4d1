//! Storage: the only module that speaks SQL.
//!
//! One concrete [`Store`] holds either a SQLite or a PostgreSQL pool, chosen at run time from the
//! database URL. Queries are runtime-checked (`sqlx::query_as` with `FromRow` rows), and the SQL
//! text is shared where the dialects agree; both accept `$1` placeholders, `ON CONFLICT` and
//! `RETURNING`. We do not use `sqlx::Any` (it lacks types we need later) nor make handlers
//! generic over the database (monomorphization cost, awkward signatures); instead the
//! [`with_pool!`] macro expands the same code once per backend.
//!
//! Errors are translated at this boundary into [`StoreError`]; nothing above this module
//! matches on `sqlx::Error`.

mod articles;
pub mod autosaves;
pub mod backup;
mod bulk;
pub mod changes;
pub mod clippings;
pub mod corrections;
pub mod documents;
pub mod editorial;
pub mod events;
pub mod feeds;
pub mod galleries;
pub mod leases;
pub mod media;
pub mod notes;
pub mod notify;
pub mod pages;
pub mod previews;
pub mod redirects;
mod rows;
mod sections;
pub mod settings;
mod statistics;
pub mod tags;
pub mod timeline;
pub mod tokens;
pub mod two_factor;
pub mod users;
mod views;
pub mod webhooks;

pub use articles::{ArticleSummary, ImportOutcome, ItemError, ListFilter, TranslationLink};
pub use sections::SectionInput;
pub use timeline::Timeline;
pub use tokens::{ApiToken, NewApiToken, TokenUser};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Runs the same block against whichever pool the store holds. The block is type-checked once
/// per backend, so it may only use SQL both dialects accept.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::storage::Pool::Sqlite($pool) => $body,
            $crate::storage::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: a deferred
/// transaction that reads first and then writes fails at once with "database is locked" when
/// another connection wrote in between, whereas an immediate one waits its turn (up to the busy
/// timeout). PostgreSQL needs nothing special.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Keeps a SQLite connection that is still inside a transaction out of the pool.
///
/// A future dropped at the wrong moment (a client that hangs up while its save runs) can leave
/// `BEGIN IMMEDIATE` executed with no `Transaction` left to roll it back: sqlx's SQLite begin
/// checks the transaction state in a second step after the `BEGIN` is acknowledged. Returned to
/// the pool, such a connection would hold the write lock for ever and every later write would
/// fail with "database is locked". The ping first lets the connection's worker finish whatever
/// was queued (a rollback from a dropped `Transaction` included); a connection still in a
/// transaction after that is closed instead of reused, and closing rolls the transaction back.
async fn release_outside_transaction(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::{Connection, TransactionManager};
    conn.ping().await?;
    let depth = <sqlx::Sqlite as sqlx::Database>::TransactionManager::get_transaction_depth(conn);
    if depth > 0 {
        tracing::warn!(depth, "a database connection came back inside a transaction; closing it");
        return Ok(false);
    }
    Ok(true)
}

/// What went wrong in storage, in terms the callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (a slug, an external id, a translation already present).
    #[error("{0}")]
    Conflict(String),
    /// Another article in the language already has this address.
    #[error("the address '{0}' is already used by another article")]
    SlugTaken(String),
    /// An article names a section that does not exist (any more).
    #[error("there is no section {0}")]
    NoSuchSection(i64),
    /// The database URL is not one we can use.
    #[error("{0}")]
    BadUrl(String),
    /// The database cannot be reached or opened.
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value no longer makes sense (edited by hand, or a bug).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// Anything else; logged, never shown to readers.
    #[error("database error: {0}")]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Other(error),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The schema against this binary's migrations (see [`Store::schema_status`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// How many migrations the database records as applied.
    pub applied: usize,
    /// This binary's migrations not applied yet: version and description.
    pub pending: Vec<(i64, String)>,
    /// Versions applied by a newer release that this binary does not know (it serves the
    /// database all the same: migrations are expand-then-contract).
    pub newer: Vec<i64>,
}

/// Which backend a store talks to.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database, whichever it is.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Rows written in bulk, for fresh statistics (see `statistics.rs`).
    pub(crate) bulk: std::sync::Arc<statistics::BulkRows>,
}

/// The migrations of one backend. Migrations applied by a newer release that this binary does
/// not know are allowed (`ignore_missing`): migrations are written expand-then-contract, so the
/// previous release keeps serving on a database the next one migrated, and a rolling upgrade
/// or a rollback does not stop at "previously applied but is missing".
fn migrator(backend: &str) -> sqlx::migrate::Migrator {
    let mut migrator = if backend == "sqlite" {
        sqlx::migrate!("./migrations/sqlite")
    } else {
        sqlx::migrate!("./migrations/postgres")
    };
    migrator.set_ignore_missing(true);
    migrator
}

impl Store {
    /// Opens the database named by `url` (`sqlite://PATH` or `postgres://...`), creating a SQLite
    /// file if needed, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(format!("'{url}' is not a SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .after_release(|conn, _| Box::pin(release_outside_transaction(conn)))
                .connect_with(options)
                .await
                .map_err(|e| StoreError::Connect(describe_connect_error(url, &e)))?;
            Ok(Store { pool: Pool::Sqlite(pool), bulk: Default::default() })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(format!("'{}' is not a PostgreSQL URL: {e}", redact(url))))?;
            // Without a name the server picks one (the user's), and the schema would land in
            // a database nobody meant, such as `postgres`.
            if options.get_database().is_none_or(|d| d.trim().is_empty()) {
                return Err(StoreError::BadUrl(format!(
                    "'{}' names no database; add it: postgres://USER@HOST/DATABASE",
                    redact(url)
                )));
            }
            // One plain attempt first: the pool retries a refused connection until its timeout,
            // and an operator should hear "connection refused" at once, not "timed out" later.
            {
                use sqlx::Connection;
                match tokio::time::timeout(
                    Duration::from_secs(10),
                    sqlx::PgConnection::connect_with(&options),
                )
                .await
                {
                    Ok(Ok(probe)) => {
                        let _ = probe.close().await;
                    }
                    Ok(Err(e)) => return Err(StoreError::Connect(describe_connect_error(url, &e))),
                    Err(_) => {
                        return Err(StoreError::Connect(format!(
                            "{}: no answer within 10 s (is the host reachable?)",
                            redact(url)
                        )));
                    }
                }
            }
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|e| StoreError::Connect(describe_connect_error(url, &e)))?;
            Ok(Store { pool: Pool::Postgres(pool), bulk: Default::default() })
        } else {
            Err(StoreError::BadUrl(format!(
                "'{}' is not a database URL; use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            )))
        }
    }

    /// Applies the embedded migrations for this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => migrator("sqlite").run(p).await?,
            Pool::Postgres(p) => migrator("postgres").run(p).await?,
        }
        Ok(())
    }

    /// Where the schema stands against this binary's migrations, read without changing it.
    pub async fn schema_status(&self) -> Result<SchemaStatus> {
        const SQLITE_HAS: &str =
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'";
        const PG_HAS: &str = "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations' \
             AND schemaname = current_schema()";
        const APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
        let has: i64 = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(SQLITE_HAS).fetch_one(p).await?,
            Pool::Postgres(p) => sqlx::query_scalar(PG_HAS).fetch_one(p).await?,
        };
        let applied: Vec<i64> = if has == 0 {
            Vec::new()
        } else {
            with_pool!(self, p => sqlx::query_scalar(APPLIED).fetch_all(p).await?)
        };
        let known = migrator(self.backend());
        let pending = known
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        let newer = applied.iter().copied().filter(|v| !known.iter().any(|m| m.version == *v)).collect();
        Ok(SchemaStatus { applied: applied.len(), pending, newer })
    }

    /// The newest migration this binary knows: a backup made with a newer schema is refused.
    pub fn known_schema_version(&self) -> i64 {
        migrator(self.backend()).iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Open connections and how many of them are idle, for the metrics.
    pub fn pool_usage(&self) -> (u32, usize) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle()),
            Pool::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// `sqlite` or `postgres`, for logs and health checks.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// The id of the newest entry in the change log (0 when empty). Caches compare it to know
    /// whether anything public has changed.
    pub async fn latest_change(&self) -> Result<i64> {
        const SQL: &str = "SELECT COALESCE(MAX(id), 0) FROM changes";
        let id: i64 = with_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await?);
        Ok(id)
    }

    /// Closes every connection (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Hides a password in a URL before it reaches a message or a log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn describe_connect_error(url: &str, error: &sqlx::Error) -> String {
    let detail = match error {
        sqlx::Error::Io(e) => e.to_string(),
        sqlx::Error::Database(db) => db.message().to_string(),
        sqlx::Error::PoolTimedOut => "timed out".to_string(),
        other => other.to_string(),
    };
    format!("{}: {detail}", redact(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn migration_folders_mirror_each_other() {
        let names = |dir: &str| {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let root = env!("CARGO_MANIFEST_DIR");
        assert_eq!(
            names(&format!("{root}/migrations/sqlite")),
            names(&format!("{root}/migrations/postgres"))
        );
    }
}
