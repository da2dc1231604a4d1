//! The database side of `newsdesk backup` and `newsdesk restore`: every table that holds the
//! site, read row by row from one consistent snapshot, and written back into an empty database
//! in one transaction.
//!
//! Rows travel as JSON objects (column → integer, text or null: the schema uses nothing else),
//! so a backup taken on SQLite restores onto PostgreSQL and back. Column names in a backup are
//! checked against the live schema before they reach SQL, and values against the column's type.

use super::{Pool, Result, Store, StoreError, with_pool};
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use sqlx::{Column, Row as _, TypeInfo, ValueRef};

/// The tables a backup carries, in an order that satisfies every foreign key on restore.
pub const TABLES: &[&str] = &[
    "sections",
    "users",
    "media",
    "media_texts",
    "articles",
    "slug_redirects",
    "changes",
    "log_followers",
    "password_tokens",
    "revisions",
    "audit_log",
    "article_views",
    "api_tokens",
    "webhook_subscriptions",
    "webhook_deliveries",
    "tags",
    "article_tags",
    "redirects",
    "pages",
    "page_revisions",
    "authors",
    "article_authors",
    "recovery_codes",
    "settings",
    "article_notes",
    "corrections",
    "clippings",
    "events",
    "gallery_photos",
    "documents",
    "document_texts",
    "document_files",
    "article_documents",
];

/// Tables deliberately left out: sign-in sessions and half-finished two-factor sign-ins
/// (people sign in again), the sign-in throttle's memory, leases that only mean something to
/// the nodes running now, the editor's autosaves (scratch copies of unsaved typing, which
/// must not come back over what was saved before the backup), and preview links (short-lived
/// secrets given to people outside; a restored site should not reopen them).
pub const LEFT_OUT: &[&str] = &[
    "sessions",
    "two_factor_challenges",
    "login_failures",
    "login_attempts",
    "leases",
    "autosaves",
    "preview_links",
    "_sqlx_migrations",
];

/// One table column as the live schema has it.
#[derive(Debug, Clone)]
struct ColumnType {
    name: String,
    integer: bool,
}

/// One row of a table: column name → integer, text or null.
pub type Row = Map<String, Value>;

/// Reads one row of any table into a JSON object: integers, text and nulls.
macro_rules! json_row {
    ($row:expr) => {{
        let row = &$row;
        let mut object = Map::new();
        for (i, column) in row.columns().iter().enumerate() {
            let raw = row.try_get_raw(i)?;
            let value = if raw.is_null() {
                Value::Null
            } else {
                let ty = raw.type_info().name().to_ascii_uppercase();
                if ty.contains("INT") {
                    Value::from(row.try_get::<i64, _>(i)?)
                } else if ty == "TEXT" || ty.contains("CHAR") || ty == "NAME" {
                    Value::from(row.try_get::<String, _>(i)?)
                } else {
                    return Err(StoreError::Corrupt(format!(
                        "column {} holds a value of type {ty}, which a backup cannot carry",
                        column.name()
                    )));
                }
            };
            object.insert(column.name().to_string(), value);
        }
        object
    }};
}

impl Store {
    /// The newest schema migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await?))
    }

    /// The tables the database has (besides SQLite's own), to check that every one is either
    /// backed up or knowingly left out.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let names: Vec<String> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(p)
                .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT table_name::TEXT FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(names)
    }

    /// Reads every backed-up table from one snapshot (a single read transaction, so a site
    /// that keeps publishing meanwhile yields a consistent copy), handing each row to `sink`
    /// in [`TABLES`] order. Rows are streamed, never all held at once.
    pub async fn snapshot<F>(&self, mut sink: F) -> Result<()>
    where
        F: FnMut(&str, Row) -> std::io::Result<()>,
    {
        let io = |e: std::io::Error| StoreError::Corrupt(format!("cannot write the backup: {e}"));
        match &self.pool {
            Pool::Sqlite(p) => {
                let mut tx = p.begin().await?;
                for table in TABLES {
                    let sql = format!("SELECT * FROM {table}");
                    let mut rows = sqlx::query(&sql).fetch(&mut *tx);
                    while let Some(row) = rows.try_next().await? {
                        sink(table, json_row!(row)).map_err(io)?;
                    }
                }
                tx.rollback().await?;
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                for table in TABLES {
                    let sql = format!("SELECT * FROM {table}");
                    let mut rows = sqlx::query(&sql).fetch(&mut *tx);
                    while let Some(row) = rows.try_next().await? {
                        sink(table, json_row!(row)).map_err(io)?;
                    }
                }
                tx.rollback().await?;
            }
        }
        Ok(())
    }

    /// Whether the site holds nothing a restore could overwrite: no people, articles, pages,
    /// photos, tags or tokens (the section and follower rows the schema starts with do not count).
    pub async fn is_blank(&self) -> Result<bool> {
        for table in TABLES {
            if matches!(*table, "sections" | "log_followers" | "changes") {
                continue;
            }
            let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS t");
            let n: i64 = with_pool!(self, p => sqlx::query_scalar(&sql).fetch_one(p).await?);
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Starts writing a backup's rows into this (blank) database, in one transaction: nothing
    /// is visible until [`Restorer::finish`], and a failure or a drop leaves the database as
    /// it was.
    pub async fn begin_restore(&self) -> Result<Restorer> {
        let mut columns = std::collections::HashMap::new();
        for table in TABLES {
            columns.insert(*table, self.columns_of(table).await?);
        }
        let tx = match &self.pool {
            Pool::Sqlite(p) => {
                use super::BeginWrite;
                let mut tx = p.begin_write().await?;
                for table in TABLES.iter().rev() {
                    sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
                }
                Tx::Sqlite(tx)
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                for table in TABLES.iter().rev() {
                    sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
                }
                Tx::Postgres(tx)
            }
        };
        Ok(Restorer { tx, columns, pending: Vec::new(), pending_table: "", rows: 0 })
    }

    async fn columns_of(&self, table: &str) -> Result<Vec<ColumnType>> {
        let cols: Vec<(String, String)> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as("SELECT name, type FROM pragma_table_info($1)")
                    .bind(table)
                    .fetch_all(p)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as(
                    "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(p)
                .await?
            }
        };
        Ok(cols
            .into_iter()
            .map(|(name, ty)| {
                let ty = ty.to_ascii_lowercase();
                ColumnType { name, integer: ty.contains("int") }
            })
            .collect())
    }
}

enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A restore in progress: rows go in batches into one open transaction.
pub struct Restorer {
    tx: Tx,
    columns: std::collections::HashMap<&'static str, Vec<ColumnType>>,
    pending: Vec<Row>,
    pending_table: &'static str,
    rows: u64,
}

/// Rows per INSERT: well under both databases' limits on bound values.
const BATCH: usize = 200;

impl Restorer {
    /// Queues one row of `table` (written in batches; the table must be one of [`TABLES`],
    /// and tables must come in that order for foreign keys to hold).
    pub async fn insert(&mut self, table: &str, row: Row) -> Result<()> {
        let Some(known) = TABLES.iter().find(|t| **t == table) else {
            return Err(StoreError::Corrupt(format!("a backup cannot restore the table '{table}'")));
        };
        if *known != self.pending_table || self.pending.len() >= BATCH {
            self.flush().await?;
            self.pending_table = known;
        }
        self.pending.push(row);
        self.rows += 1;
        Ok(())
    }

    /// Writes the queued rows.
    async fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let table = self.pending_table;
        let rows = std::mem::take(&mut self.pending);
        let schema = &self.columns[table];
        // Columns the rows name, in the schema's order; a name the schema lacks is an error.
        for row in &rows {
            for key in row.keys() {
                if !schema.iter().any(|c| &c.name == key) {
                    return Err(StoreError::Corrupt(format!(
                        "the backup's table {table} has a column '{key}' this version of Newsdesk does not know"
                    )));
                }
            }
        }
        let used: Vec<&ColumnType> =
            schema.iter().filter(|c| rows.iter().any(|r| r.contains_key(&c.name))).collect();
        let names = used.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
        let mut values = Vec::with_capacity(rows.len());
        for (n, row) in rows.iter().enumerate() {
            let mut out = Vec::with_capacity(used.len());
            for column in &used {
                out.push(Cell::of(table, column, row.get(&column.name), n)?);
            }
            values.push(out);
        }
        let head = format!("INSERT INTO {table} ({names}) ");
        macro_rules! run {
            ($db:ty, $tx:expr) => {{
                let mut query = sqlx::QueryBuilder::<$db>::new(head);
                query.push_values(values, |mut b, row| {
                    for cell in row {
                        match cell {
                            Cell::Int(v) => b.push_bind(v),
                            Cell::Text(v) => b.push_bind(v),
                        };
                    }
                });
                query.build().execute(&mut **$tx).await?;
            }};
        }
        match &mut self.tx {
            Tx::Sqlite(tx) => run!(sqlx::Sqlite, tx),
            Tx::Postgres(tx) => run!(sqlx::Postgres, tx),
        }
        Ok(())
    }

    /// Writes what is queued, moves PostgreSQL's id counters past the restored ids, and
    /// commits. Returns the number of rows restored.
    pub async fn finish(mut self) -> Result<u64> {
        self.flush().await?;
        if let Tx::Postgres(tx) = &mut self.tx {
            for table in TABLES {
                if !self.columns[table].iter().any(|c| c.name == "id") {
                    continue;
                }
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), \
                     MAX(id) IS NOT NULL) FROM {table}"
                );
                let _: Option<i64> = sqlx::query_scalar(&sql).fetch_one(&mut **tx).await?;
            }
        }
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(self.rows)
    }
}

/// One value checked against its column's type.
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Cell {
    fn of(table: &str, column: &ColumnType, value: Option<&Value>, n: usize) -> Result<Cell> {
        let wrong = || {
            StoreError::Corrupt(format!(
                "the backup's table {table} holds an unusable value in column {} (row {} of its batch)",
                column.name,
                n + 1
            ))
        };
        Ok(match (column.integer, value) {
            (true, None | Some(Value::Null)) => Cell::Int(None),
            (false, None | Some(Value::Null)) => Cell::Text(None),
            (true, Some(Value::Number(v))) => Cell::Int(Some(v.as_i64().ok_or_else(wrong)?)),
            (false, Some(Value::String(s))) => Cell::Text(Some(s.clone())),
            _ => return Err(wrong()),
        })
    }
}
