//! The register of official documents: number, date and kind; a title and summary in each
//! language; files (their bytes live in the media store under `file_key`); the news each is
//! linked to. Every write logs a public change in its transaction, so every node's pages
//! follow (documents show on their register, their own pages and the news they belong to).

use super::{BeginWrite, Result, Store, with_pool};
use jiff::Timestamp;

/// Every write is a public change of the site's pages (kind `page`: each node's page cache
/// lets go of everything; documents are few and change seldom).
const LOG_CHANGE: &str =
    "INSERT INTO changes (article_id, kind, public, user_id, at) VALUES (NULL, 'page', 1, $1, $2)";

/// Writes a document's texts, new files and article links inside a transaction.
macro_rules! write_parts {
    ($tx:ident, $id:expr, $texts:expr, $files:expr, $articles:expr, $now:expr) => {
        for t in $texts {
            sqlx::query(
                "INSERT INTO document_texts (document_id, lang, title, summary) VALUES ($1, $2, $3, $4)",
            )
            .bind($id)
            .bind(&t.lang)
            .bind(&t.title)
            .bind(&t.summary)
            .execute(&mut *$tx)
            .await?;
        }
        for f in $files {
            sqlx::query(
                "INSERT INTO document_files (document_id, file_key, file_name, media_type, bytes, sha256, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind($id)
            .bind(&f.file_key)
            .bind(&f.file_name)
            .bind(&f.media_type)
            .bind(f.bytes)
            .bind(&f.sha256)
            .bind($now.as_second())
            .execute(&mut *$tx)
            .await?;
        }
        for a in $articles {
            sqlx::query("INSERT INTO article_documents (article_id, document_id) VALUES ($1, $2)")
                .bind(*a)
                .bind($id)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// One document as stored, with its texts and files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub head: DocumentHead,
    /// Its title and summary in each language it has them in.
    pub texts: Vec<DocumentText>,
    pub files: Vec<DocumentFile>,
    /// The articles it is linked to.
    pub articles: Vec<i64>,
}

/// What identifies a document in the register.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DocumentHead {
    /// `statement`, `decision`, `agreement` or `report`.
    pub kind: String,
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DocumentText {
    pub lang: String,
    pub title: String,
    pub summary: String,
}

/// A file of a document, as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DocumentFile {
    pub id: i64,
    pub document_id: i64,
    /// Its name in the media store (`doc-<random>.pdf`).
    pub file_key: String,
    /// The name readers download it under.
    pub file_name: String,
    pub media_type: String,
    pub bytes: i64,
    /// Hex, lowercase.
    pub sha256: String,
}

/// A new file, already in the media store.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file_key: String,
    pub file_name: String,
    pub media_type: String,
    pub bytes: i64,
    pub sha256: String,
}

/// A row of the register's list: the document in one language (its own title there, else
/// the first it has).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub issued_on: String,
    pub title: String,
    pub summary: String,
    /// The language of `title` and `summary`.
    pub lang: String,
}

/// Which documents a list shows.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub kind: Option<String>,
    pub year: Option<i32>,
}

/// The language's title where it has one, else the first language's.
const ROW: &str = "SELECT d.id, d.kind, d.number, d.issued_on, t.title, t.summary, t.lang FROM documents d \
     JOIN document_texts t ON t.document_id = d.id AND t.lang = COALESCE(\
     (SELECT lang FROM document_texts WHERE document_id = d.id AND lang = $1), \
     (SELECT MIN(lang) FROM document_texts WHERE document_id = d.id))";

impl Store {
    /// Adds a document with its texts, files and links; returns its id.
    pub async fn create_document(
        &self,
        head: &DocumentHead,
        texts: &[DocumentText],
        files: &[NewFile],
        articles: &[i64],
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<i64> {
        const SQL: &str = "INSERT INTO documents (kind, number, issued_on, user_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
        let id = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(&head.kind).bind(&head.number).bind(&head.issued_on).bind(user_id).bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            write_parts!(tx, id, texts, files, articles, now);
            sqlx::query(LOG_CHANGE).bind(user_id).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Replaces a document's head, texts and links, adds `files` and drops the files
    /// `remove` names; `None` when there is no such document, else the keys of the files
    /// dropped (for the caller to delete from the media store once committed).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_document(
        &self,
        id: i64,
        head: &DocumentHead,
        texts: &[DocumentText],
        files: &[NewFile],
        remove: &[i64],
        articles: &[i64],
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<Option<Vec<String>>> {
        const SQL: &str =
            "UPDATE documents SET kind = $1, number = $2, issued_on = $3, updated_at = $4 WHERE id = $5";
        const DROP: &str = "DELETE FROM document_files WHERE document_id = $1 AND id = $2 RETURNING file_key";
        let dropped = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(SQL)
                .bind(&head.kind).bind(&head.number).bind(&head.issued_on).bind(now.as_second()).bind(id)
                .execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            let mut dropped = Vec::new();
            for file in remove {
                let keys: Vec<String> = sqlx::query_scalar(DROP).bind(id).bind(file).fetch_all(&mut *tx).await?;
                dropped.extend(keys);
            }
            sqlx::query("DELETE FROM document_texts WHERE document_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM article_documents WHERE document_id = $1").bind(id).execute(&mut *tx).await?;
            write_parts!(tx, id, texts, files, articles, now);
            sqlx::query(LOG_CHANGE).bind(user_id).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            dropped
        });
        Ok(Some(dropped))
    }

    /// Removes a document; `None` when there was none, else its files' keys.
    pub async fn delete_document(
        &self,
        id: i64,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<Option<Vec<String>>> {
        const KEYS: &str = "SELECT file_key FROM document_files WHERE document_id = $1";
        let keys = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let keys: Vec<String> = sqlx::query_scalar(KEYS).bind(id).fetch_all(&mut *tx).await?;
            let done = sqlx::query("DELETE FROM documents WHERE id = $1").bind(id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            sqlx::query(LOG_CHANGE).bind(user_id).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            keys
        });
        Ok(Some(keys))
    }

    pub async fn document(&self, id: i64) -> Result<Option<Document>> {
        const HEAD: &str = "SELECT kind, number, issued_on FROM documents WHERE id = $1";
        const TEXTS: &str =
            "SELECT lang, title, summary FROM document_texts WHERE document_id = $1 ORDER BY lang";
        const FILES: &str = "SELECT id, document_id, file_key, file_name, media_type, bytes, sha256 \
             FROM document_files WHERE document_id = $1 ORDER BY id";
        const ARTICLES: &str =
            "SELECT article_id FROM article_documents WHERE document_id = $1 ORDER BY article_id";
        let document = with_pool!(self, p => {
            let Some(head) = sqlx::query_as::<_, DocumentHead>(HEAD).bind(id).fetch_optional(p).await? else {
                return Ok(None);
            };
            Document {
                id,
                head,
                texts: sqlx::query_as(TEXTS).bind(id).fetch_all(p).await?,
                files: sqlx::query_as(FILES).bind(id).fetch_all(p).await?,
                articles: sqlx::query_scalar(ARTICLES).bind(id).fetch_all(p).await?,
            }
        });
        Ok(Some(document))
    }

    /// A page of the register in `lang`, newest first, and how many there are.
    pub async fn documents_page(
        &self,
        lang: &str,
        filter: &DocumentFilter,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        const WHERE: &str = "WHERE ($2 = '' OR d.kind = $2) AND ($3 = '' OR d.issued_on LIKE $3)";
        let sql = format!("{ROW} {WHERE} ORDER BY d.issued_on DESC, d.id DESC LIMIT $4 OFFSET $5");
        let count = format!("SELECT COUNT(*) FROM documents d {WHERE} AND $1 = $1");
        let kind = filter.kind.clone().unwrap_or_default();
        let year = filter.year.map(|y| format!("{y:04}-%")).unwrap_or_default();
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = with_pool!(self, p => {
            let rows: Vec<DocumentRow> = sqlx::query_as(&sql)
                .bind(lang).bind(&kind).bind(&year).bind(i64::from(limit)).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(&count).bind(lang).bind(&kind).bind(&year).fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }

    /// The years the register has documents of, newest first, with how many.
    pub async fn document_years(&self) -> Result<Vec<(String, i64)>> {
        const SQL: &str = "SELECT SUBSTR(issued_on, 1, 4) AS year, COUNT(*) FROM documents \
             GROUP BY SUBSTR(issued_on, 1, 4) ORDER BY year DESC";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?))
    }

    /// Every document in `lang` (as [`Store::documents_page`] words them), for searching the
    /// register; it is small beside the news.
    pub async fn all_documents(&self, lang: &str) -> Result<Vec<DocumentRow>> {
        let sql = format!("{ROW} ORDER BY d.issued_on DESC, d.id DESC");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(lang).fetch_all(p).await?))
    }

    /// The documents linked to article `id`, in `lang`, newest first.
    pub async fn documents_of_article(&self, article_id: i64, lang: &str) -> Result<Vec<DocumentRow>> {
        let sql = format!(
            "{ROW} WHERE d.id IN (SELECT document_id FROM article_documents WHERE article_id = $2) \
             ORDER BY d.issued_on DESC, d.id DESC"
        );
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(lang).bind(article_id).fetch_all(p).await?))
    }

    /// The files of these documents, by document, in upload order.
    pub async fn document_files(&self, ids: &[i64]) -> Result<Vec<DocumentFile>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, document_id, file_key, file_name, media_type, bytes, sha256 FROM document_files \
             WHERE document_id IN ({}) ORDER BY document_id, id",
            placeholders.join(", ")
        );
        let rows = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows)
    }

    /// The media-store keys of every document's files (backups of a bucket copy them).
    pub async fn document_file_keys(&self) -> Result<Vec<String>> {
        const SQL: &str = "SELECT file_key FROM document_files ORDER BY id";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).fetch_all(p).await?))
    }

    /// A document's file by its key in the media store.
    pub async fn document_file_by_key(&self, key: &str) -> Result<Option<DocumentFile>> {
        const SQL: &str = "SELECT id, document_id, file_key, file_name, media_type, bytes, sha256 \
             FROM document_files WHERE file_key = $1";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(key).fetch_optional(p).await?))
    }
}
