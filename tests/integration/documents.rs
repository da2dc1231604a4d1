//! The register of official documents over real HTTP on both backends: editors add documents
//! with their files in the back office (refused in words when wrong, nothing half-written),
//! readers find them by kind and year, on their own pages, beside the news they belong to and
//! in search (Russian word forms included), and download each file as it was uploaded.

use crate::admin::{make_user, sign_in, write};
use crate::harness::{Backend, TestServer, between};
use crate::media::{Multipart, post_multipart};
use crate::on_both_backends;
use crate::session::{csrf_in, location};
use newsdesk::domain::user::Role;
use sha2::{Digest, Sha256};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn docx() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(&[0; 26]);
    bytes.extend_from_slice(b"word/document.xml<w:document/>");
    bytes
}

async fn documents_are_registered_listed_searched_and_downloaded(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "author@example.org", Role::Author).await;
    let editor = sign_in(&s, "editor@example.org").await;
    let (_, news) = write(&editor, "Council adopts the civil defence decision", "publish", "").await;
    let news = news.unwrap();
    let csrf = csrf_in(&editor.page("/admin/documents").await);
    let action = format!("/admin/documents?csrf={csrf}");

    // Mistakes are refused in words, with what was typed kept, and nothing stored.
    let bad = Multipart::new()
        .text("kind", "memo")
        .text("number", "12")
        .text("date", "yesterday")
        .text("title-en", "")
        .text("summary-en", "A summary without a title")
        .text("news", "/en/news/no-such-news")
        .file("virus.pdf", "application/pdf", b"MZ\x90\x00")
        .done();
    let r = post_multipart(&editor, &action, &bad, &[]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for words in [
        "Choose the kind of document",
        "“yesterday” is not a date",
        "The summary in en has no title",
        "No news was found at “/en/news/no-such-news”",
        "virus.pdf is not a PDF or DOCX file",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    assert!(page.contains("A summary without a title"), "typed text is kept");
    assert_eq!(s.state.store.all_documents("en").await.unwrap().len(), 0, "nothing half-written");
    let stored = std::fs::read_dir(s.db.data_dir().join("media")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "no file stored for a refused document");

    // A decision in both languages with a PDF and a DOCX, linked to the news.
    let docx = docx();
    let good = Multipart::new()
        .text("kind", "decision")
        .text("number", "12-р")
        .text("date", "2026-11-20")
        .text("title-en", "Decision on civil defence cooperation")
        .text("summary-en", "The <b>Council</b> approves the model law.")
        .text("title-ru", "Решение о сотрудничестве в области гражданской обороны")
        .text("summary-ru", "Совет одобрил модельный закон.")
        .text("news", "https://news.test.example/en/news/council-adopts-the-civil-defence-decision")
        .file("Decision 12.pdf", "application/pdf", PDF)
        .file("Решение 12.docx", "application/octet-stream", &docx)
        .done();
    let r = post_multipart(&editor, &action, &good, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/admin/documents?done=added");
    let id = s.state.store.all_documents("en").await.unwrap()[0].id;
    let document = s.state.store.document(id).await.unwrap().unwrap();
    assert_eq!(document.articles, [news]);
    assert_eq!(document.texts[0].summary, "The Council approves the model law.", "plain text");
    let pdf_sum: String = Sha256::digest(PDF).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(document.files[0].sha256, pdf_sum);
    // A statement from another year, in English only, with a file larger than a form's usual
    // 2 MB (the register takes up to 25 MB a file).
    let mut big = PDF.to_vec();
    big.resize(3 * 1024 * 1024, b' ');
    let other = Multipart::new()
        .text("kind", "statement")
        .text("date", "2025-03-01")
        .text("title-en", "Statement on the anniversary")
        .file("Annex.pdf", "application/pdf", &big)
        .done();
    let r = post_multipart(&editor, &action, &other, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let statement = s.state.store.all_documents("en").await.unwrap()[1].id;
    let annex = &s.state.store.document(statement).await.unwrap().unwrap().files[0];
    assert_eq!(annex.bytes, 3 * 1024 * 1024);

    // Readers: the register by kind and year, with each file's type, size and checksum.
    let register = s.page("/en/documents").await;
    let list = between(&register, "<ol class=\"documents-list\">", "</ol>");
    assert!(list.find("Decision on civil").unwrap() < list.find("Statement on the anniversary").unwrap());
    assert!(
        list.contains("Decision No. 12-р · <time datetime=\"2026-11-20\">20 November 2026</time>"),
        "{list}"
    );
    assert!(list.contains(&format!("SHA-256: {pdf_sum}")) && list.contains("(PDF, "), "{list}");
    let decisions = s.page("/en/documents?kind=decision").await;
    assert!(decisions.contains("Decision on civil") && !decisions.contains("Statement on the anniversary"));
    let old = s.page("/en/documents?year=2025").await;
    assert!(old.contains("Statement on the anniversary") && !old.contains("Decision on civil"));
    assert!(register.contains("href=\"/en/documents?year=2025\""), "years with documents are offered");
    assert_eq!(s.get("/en/documents?kind=memo").await.status(), 400);
    assert_eq!(s.get("/en/documents?year=twenty").await.status(), 400);
    let ru = s.page("/ru/documents").await;
    assert!(ru.contains("Решение № 12-р") && ru.contains("20 ноября 2026"), "{ru}");
    assert!(
        ru.contains("<h2 lang=\"en\"><a href=\"/ru/documents/"),
        "an English-only title says its language"
    );

    // Search engines find each document's page in the languages it has a title in.
    let sitemap = s.page("/sitemaps/pages.xml").await;
    assert!(
        sitemap.contains(&format!("/en/documents/{id}</loc>"))
            && sitemap.contains(&format!("/ru/documents/{id}</loc>"))
    );
    assert!(
        !sitemap.contains(&format!("/ru/documents/{statement}</loc>")),
        "no Russian title, no Russian entry"
    );

    // Its page, and the news it belongs to, linked both ways.
    let page = s.page(&format!("/en/documents/{id}")).await;
    assert!(page.contains("<h1>Decision on civil defence cooperation</h1>"));
    assert!(page.contains("href=\"/en/news/council-adopts-the-civil-defence-decision\""), "{page}");
    let article = s.page("/en/news/council-adopts-the-civil-defence-decision").await;
    let block = between(&article, "<section class=\"article-documents\"", "</section>");
    assert!(block.contains(&format!("href=\"/en/documents/{id}\"")), "{block}");
    assert_eq!(s.get("/en/documents/999999").await.status(), 404);

    // Search finds it by its words in each language's forms, and by number.
    for (path, title) in [
        ("/ru/search?q=%D1%80%D0%B5%D1%88%D0%B5%D0%BD%D0%B8%D1%8F", "Решение о сотрудничестве"),
        ("/en/search?q=defence+decisions", "Decision on civil defence cooperation"),
        ("/en/search?q=12-%D1%80", "Decision on civil defence cooperation"),
    ] {
        let found = s.page(path).await;
        let block = between(&found, "<section class=\"search-documents\"", "</section>");
        assert!(block.contains(title), "{path}: {block}");
    }
    assert!(
        !s.page("/en/search?q=anniversary+decision").await.contains("search-documents"),
        "every word counts"
    );

    // Files download as uploaded, under their names, sandboxed.
    let files = &document.files;
    let r = s.get(&format!("/documents/files/{}", files[0].file_key)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"Decision 12.pdf\"")
    );
    assert_eq!(r.headers()["content-security-policy"], "sandbox; default-src 'none'");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    let r = s.get(&format!("/documents/files/{}", files[1].file_key)).await;
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''%D0%A0"),
        "{disposition}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), docx.as_slice());
    assert_eq!(s.get("/documents/files/doc-nothing.pdf").await.status(), 404);

    // Changing it: a file removed (and gone from the store), the English title corrected.
    let change = Multipart::new()
        .text("kind", "decision")
        .text("number", "12-р")
        .text("date", "2026-11-20")
        .text("title-en", "Decision on cooperation in civil defence")
        .text("title-ru", "Решение о сотрудничестве в области гражданской обороны")
        .text("remove", &files[1].id.to_string())
        .done();
    let r = post_multipart(&editor, &format!("/admin/documents/{id}?csrf={csrf}"), &change, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let changed = s.state.store.document(id).await.unwrap().unwrap();
    assert_eq!(changed.files.len(), 1);
    assert!(changed.articles.is_empty(), "the news link was cleared with the field");
    assert_eq!(s.get(&format!("/documents/files/{}", files[1].file_key)).await.status(), 404);
    assert!(!s.db.data_dir().join("media").join(&files[1].file_key).exists(), "the file left the store");
    assert!(
        s.page("/en/documents").await.contains("Decision on cooperation in civil defence"),
        "caches let go"
    );

    // Authors may not keep the register; deleting takes the files with it; all audited.
    let author = sign_in(&s, "author@example.org").await;
    assert_eq!(author.get("/admin/documents").await.status(), 403);
    let a_csrf = csrf_in(&author.page("/admin").await);
    let r = author.post(&format!("/admin/documents/{id}/delete"), &[("csrf", a_csrf.as_str())]).await;
    assert_eq!(r.status(), 403);
    let r = editor.post(&format!("/admin/documents/{id}/delete"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(r.status(), 303);
    assert!(s.state.store.document(id).await.unwrap().is_none());
    assert!(!s.db.data_dir().join("media").join(&files[0].file_key).exists());
    assert!(
        !s.page("/en/news/council-adopts-the-civil-defence-decision").await.contains("article-documents")
    );
    let audit = s.state.store.audit_log(None, None, 50).await.unwrap();
    let actions: Vec<&str> =
        audit.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("document.")).collect();
    assert_eq!(actions, ["document.delete", "document.edit", "document.add", "document.add"]);
    s.stop().await;
}

on_both_backends!(documents_are_registered_listed_searched_and_downloaded);
