//! The register of official documents: those who may publish keep it (it is public at once).
//! A document needs a kind, a date and a title in at least one language; its files must be
//! what they say (a PDF starts `%PDF-`, a DOCX is a ZIP holding `word/document.xml`) and are
//! stored before the row that names them, so a failed write leaves no document without its
//! files (and removes the files it stored).

use super::{Actor, FieldError, Newsroom, NewsroomError, Result};
use crate::domain::user::Permission;
use crate::domain::{dates, markup};
use crate::media::MediaStore;
use crate::storage::documents::{DocumentHead, DocumentText, NewFile};
use sha2::{Digest, Sha256};

/// The kinds of documents, in the order the register lists them.
pub const KINDS: [&str; 4] = ["statement", "decision", "agreement", "report"];
pub const MAX_NUMBER: usize = 100;
pub const MAX_TITLE: usize = 500;
pub const MAX_SUMMARY: usize = 5_000;
/// Most files one document carries.
pub const MAX_FILES: usize = 10;
/// Largest file, in bytes (the back office's request limit bounds one upload in all).
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;
/// Most news one document links to.
pub const MAX_NEWS: usize = 50;

/// A document as typed in the back office's form.
#[derive(Debug, Clone, Default)]
pub struct DocumentFields {
    pub kind: String,
    pub number: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `(lang, title, summary)` for each of the site's languages the form offers.
    pub texts: Vec<(String, String, String)>,
    /// The addresses of the news it belongs to, one per line.
    pub news: String,
}

/// A file sent with the form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Newsroom {
    /// Adds a document with its files; returns its id.
    pub async fn add_document(
        &self,
        actor: &Actor,
        fields: &DocumentFields,
        uploads: &[Upload],
        media: &MediaStore,
    ) -> Result<i64> {
        may_keep_register(actor)?;
        let ((head, texts, articles), files) =
            both(self.checked_document(fields).await, checked_files(uploads, 0))?;
        let stored = store_files(media, &files).await?;
        let now = self.clock.now();
        let written = self.store.create_document(&head, &texts, &stored, &articles, actor.user_id, now).await;
        let id = match written {
            Ok(id) => id,
            Err(e) => {
                forget_files(media, stored.iter().map(|f| f.file_key.as_str())).await;
                return Err(e.into());
            }
        };
        let detail = format!("{} {} {}", head.kind, head.number, head.issued_on);
        self.store
            .audit(actor.user_id, "document.add", &format!("document {id}"), &detail, &actor.address, now)
            .await?;
        Ok(id)
    }

    /// Replaces a document's texts and links, adds `uploads` and drops the files `remove`
    /// names.
    pub async fn change_document(
        &self,
        actor: &Actor,
        id: i64,
        fields: &DocumentFields,
        uploads: &[Upload],
        remove: &[i64],
        media: &MediaStore,
    ) -> Result<()> {
        may_keep_register(actor)?;
        let current = self.store.document(id).await?.ok_or(NewsroomError::NotFound)?;
        let kept = current.files.iter().filter(|f| !remove.contains(&f.id)).count();
        let ((head, texts, articles), files) =
            both(self.checked_document(fields).await, checked_files(uploads, kept))?;
        let stored = store_files(media, &files).await?;
        let now = self.clock.now();
        let written = self
            .store
            .update_document(id, &head, &texts, &stored, remove, &articles, actor.user_id, now)
            .await;
        let dropped = match written {
            Ok(Some(dropped)) => dropped,
            other => {
                forget_files(media, stored.iter().map(|f| f.file_key.as_str())).await;
                return match other {
                    Err(e) => Err(e.into()),
                    _ => Err(NewsroomError::NotFound),
                };
            }
        };
        forget_files(media, dropped.iter().map(String::as_str)).await;
        let detail = format!("{} {} {}", head.kind, head.number, head.issued_on);
        self.store
            .audit(actor.user_id, "document.edit", &format!("document {id}"), &detail, &actor.address, now)
            .await?;
        Ok(())
    }

    /// Removes a document and its files.
    pub async fn remove_document(&self, actor: &Actor, id: i64, media: &MediaStore) -> Result<()> {
        may_keep_register(actor)?;
        let now = self.clock.now();
        let keys =
            self.store.delete_document(id, actor.user_id, now).await?.ok_or(NewsroomError::NotFound)?;
        forget_files(media, keys.iter().map(String::as_str)).await;
        self.store
            .audit(actor.user_id, "document.delete", &format!("document {id}"), "", &actor.address, now)
            .await?;
        Ok(())
    }

    /// Every field's problem at once.
    async fn checked_document(
        &self,
        f: &DocumentFields,
    ) -> Result<(DocumentHead, Vec<DocumentText>, Vec<i64>)> {
        let mut errors = Vec::new();
        let kind = f.kind.trim();
        if !KINDS.contains(&kind) {
            errors.push(FieldError::new("kind", "error_document_kind"));
        }
        let number = markup::plain_text(&f.number);
        if number.chars().count() > MAX_NUMBER {
            errors.push(
                FieldError::new("number", "error_too_long")
                    .with("len", number.chars().count())
                    .with("max", MAX_NUMBER),
            );
        }
        let date = match dates::parse_date(&f.date) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new("date", "error_clipping_date").with("value", f.date.trim()));
                None
            }
        };
        let mut texts = Vec::new();
        for (lang, title, summary) in &f.texts {
            if !self.languages.iter().any(|l| l.as_str() == lang) {
                errors.push(FieldError::new("lang", "error_page_lang"));
                continue;
            }
            let title = markup::plain_text(title);
            let summary = markup::plain_text(summary);
            if title.chars().count() > MAX_TITLE {
                errors.push(
                    FieldError::new("title", "error_too_long")
                        .with("len", title.chars().count())
                        .with("max", MAX_TITLE),
                );
            }
            if summary.chars().count() > MAX_SUMMARY {
                errors.push(
                    FieldError::new("summary", "error_too_long")
                        .with("len", summary.chars().count())
                        .with("max", MAX_SUMMARY),
                );
            }
            if title.is_empty() && !summary.is_empty() {
                errors.push(FieldError::new("title", "error_document_summary_alone").with("lang", lang));
            }
            if !title.is_empty() {
                texts.push(DocumentText { lang: lang.clone(), title, summary });
            }
        }
        if texts.is_empty() {
            errors.push(FieldError::new("title", "error_document_title"));
        }
        let mut articles = Vec::new();
        for line in f.news.lines().map(str::trim).filter(|l| !l.is_empty()).take(MAX_NEWS + 1) {
            match self.article_at(line).await? {
                Some(id) if !articles.contains(&id) => articles.push(id),
                Some(_) => {}
                None => errors.push(FieldError::new("news", "error_document_news").with("value", line)),
            }
        }
        if articles.len() > MAX_NEWS {
            errors.push(FieldError::new("news", "error_document_news_many").with("max", MAX_NEWS));
        }
        match date {
            Some(date) if errors.is_empty() => Ok((
                DocumentHead { kind: kind.to_string(), number, issued_on: date.to_string() },
                texts,
                articles,
            )),
            _ => Err(NewsroomError::Invalid(errors)),
        }
    }

    /// The article at an address of the site (`https://…/en/news/slug` or `/en/news/slug`).
    async fn article_at(&self, address: &str) -> Result<Option<i64>> {
        let path = match url::Url::parse(address) {
            Ok(u) => u.path().to_string(),
            Err(_) => address.split(['?', '#']).next().unwrap_or("").to_string(),
        };
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let [lang, _, slug] = parts[..] else { return Ok(None) };
        if !self.languages.iter().any(|l| l.as_str() == lang) {
            return Ok(None);
        }
        Ok(self.store.article_id_by_slug(lang, &slug.to_lowercase()).await?)
    }
}

/// Both checks' results, or every problem either found.
fn both<A, B>(a: Result<A>, b: Result<B>) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(NewsroomError::Invalid(mut first)), Err(NewsroomError::Invalid(second))) => {
            first.extend(second);
            Err(NewsroomError::Invalid(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// A file checked and ready to store.
struct Checked<'a> {
    name: String,
    ext: &'static str,
    media_type: &'static str,
    bytes: &'a [u8],
}

/// Names cleaned, sizes within bounds, contents what the names say.
fn checked_files(uploads: &[Upload], kept: usize) -> Result<Vec<Checked<'_>>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    if kept + uploads.len() > MAX_FILES {
        errors.push(FieldError::new("files", "error_document_files_many").with("max", MAX_FILES));
    }
    for u in uploads {
        let name = crate::media::clean_file_name(&u.name);
        let shown = if name.is_empty() { "—".to_string() } else { name.clone() };
        if u.bytes.is_empty() {
            errors.push(FieldError::new("files", "error_document_file_empty").with("name", &shown));
            continue;
        }
        if u.bytes.len() > MAX_FILE_BYTES {
            errors.push(
                FieldError::new("files", "error_document_file_size")
                    .with("name", &shown)
                    .with("mb", MAX_FILE_BYTES / (1024 * 1024)),
            );
            continue;
        }
        match kind_of(&name, &u.bytes) {
            Some((ext, media_type)) => out.push(Checked { name, ext, media_type, bytes: &u.bytes }),
            None => errors.push(FieldError::new("files", "error_document_file_type").with("name", &shown)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(NewsroomError::Invalid(errors)) }
}

/// A PDF or a DOCX, told by the name's extension and confirmed by the bytes.
fn kind_of(name: &str, bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let lower = name.to_lowercase();
    if lower.ends_with(".pdf") && bytes.starts_with(b"%PDF-") {
        return Some(("pdf", "application/pdf"));
    }
    let is_docx = bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml");
    if lower.ends_with(".docx") && is_docx {
        return Some(("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }
    None
}

/// Stores each file under a new random key; on a failure removes those already stored.
async fn store_files(media: &MediaStore, files: &[Checked<'_>]) -> Result<Vec<NewFile>> {
    let mut stored: Vec<NewFile> = Vec::with_capacity(files.len());
    for f in files {
        let key = format!("doc-{}.{}", crate::media::new_key(), f.ext);
        if let Err(e) = media.put(&key, f.bytes, f.media_type).await {
            tracing::error!(error = %e, file = %key, "cannot store a document's file");
            forget_files(media, stored.iter().map(|f| f.file_key.as_str())).await;
            return Err(NewsroomError::Store(crate::storage::StoreError::Corrupt(format!(
                "cannot store the file {}: {e}",
                f.name
            ))));
        }
        stored.push(NewFile {
            file_key: key,
            file_name: f.name.clone(),
            media_type: f.media_type.to_string(),
            bytes: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
            sha256: Sha256::digest(f.bytes).iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    Ok(stored)
}

/// Deletes files from the media store; a file that will not go is logged, not fatal (the
/// register no longer names it).
async fn forget_files<'a>(media: &MediaStore, keys: impl Iterator<Item = &'a str>) {
    for key in keys {
        if let Err(e) = media.delete(key).await {
            tracing::warn!(error = %e, file = %key, "a document's file stays in the media store");
        }
    }
}

/// The register is public at once: those who may publish keep it.
fn may_keep_register(actor: &Actor) -> Result<()> {
    if actor.role.can(Permission::Publish) { Ok(()) } else { Err(NewsroomError::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_what_their_names_say() {
        assert_eq!(kind_of("Decision 12.PDF", b"%PDF-1.7\n..."), Some(("pdf", "application/pdf")));
        assert_eq!(kind_of("decision.pdf", b"<html>"), None, "a web page called .pdf");
        assert_eq!(kind_of("decision.exe", b"%PDF-1.7"), None);
        let docx = b"PK\x03\x04....word/document.xml....";
        assert_eq!(kind_of("report.docx", docx).map(|k| k.0), Some("docx"));
        assert_eq!(kind_of("report.docx", b"PK\x03\x04 just a zip"), None);
    }

    #[test]
    fn file_checks_name_every_problem() {
        let uploads = vec![
            Upload { name: "a.pdf".into(), bytes: Vec::new() },
            Upload { name: "b.pdf".into(), bytes: b"MZ".to_vec() },
            Upload { name: "c.pdf".into(), bytes: b"%PDF-1.4".to_vec() },
        ];
        let Err(NewsroomError::Invalid(errors)) = checked_files(&uploads, 0) else { panic!("refused") };
        let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["error_document_file_empty", "error_document_file_type"]);
        assert!(checked_files(&uploads[2..], MAX_FILES - 1).is_ok());
        assert!(checked_files(&uploads[2..], MAX_FILES).is_err(), "one too many");
    }
}
