//! Photos over real HTTP, on both backends: uploading into the library (form and drag-and-drop
//! paths), the variants on disk, serving `/media/{file}`, refusals that write nothing, CSRF and
//! sign-in, and a lead photo on the public article page, lists and feeds.
//!
//! Test images are made here with the `image` crate (decompression bombs by hand, with
//! `flate2`), in memory: no binary fixtures.

use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, header, location};
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use newsdesk::domain::user::Role;
use reqwest::Response;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long enough password";

/// A multipart POST, as the upload form sends it.
pub(crate) async fn post_multipart(
    c: &Client<'_>,
    path: &str,
    body: &Multipart,
    headers: &[(&str, &str)],
) -> Response {
    let mut request = c
        .request(reqwest::Method::POST, path)
        .header("content-type", format!("multipart/form-data; boundary={}", body.boundary))
        .body(body.bytes.clone());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    c.send(request).await
}

async fn sign_in<'a>(s: &'a TestServer, email: &str, role: Role) -> Client<'a> {
    let hash = newsdesk::accounts::hash_password(PASSWORD).unwrap();
    s.state.store.create_user(email, "Photo Desk", role, Some(&hash), jiff::Timestamp::now()).await.unwrap();
    let c = Client::new(s);
    let csrf = csrf_in(&c.page("/admin/login").await);
    let r = c
        .post(
            "/admin/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD), ("next", "/admin")],
        )
        .await;
    assert_eq!(r.status(), 303, "sign-in failed: {}", r.text().await.unwrap());
    c
}

/// A multipart body built by hand, so tests control every byte (and every lie) in it.
pub(crate) struct Multipart {
    pub(crate) boundary: String,
    pub(crate) bytes: Vec<u8>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Multipart { boundary: "newsdesk-test-boundary-7MA4YWxkTrZu0gW".into(), bytes: Vec::new() }
    }

    pub(crate) fn text(mut self, name: &str, value: &str) -> Self {
        let head = format!("--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n", self.boundary);
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(value.as_bytes());
        self.bytes.extend_from_slice(b"\r\n");
        self
    }

    pub(crate) fn file(mut self, file_name: &str, content_type: &str, data: &[u8]) -> Self {
        let head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n",
            self.boundary
        );
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\r\n");
        self
    }

    pub(crate) fn done(mut self) -> Self {
        self.bytes.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self
    }
}

/// A photo-like gradient.
fn picture(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |x, y| {
        Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, ((x + y) % 256) as u8])
    }))
}

/// Pixels that do not compress: a big file from a small image.
fn noise(w: u32, h: u32) -> DynamicImage {
    let mut seed: u32 = 12345;
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |_, _| {
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        };
        Rgb([next(), next(), next()])
    }))
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn media_dir(s: &TestServer) -> PathBuf {
    s.db.data_dir().join("media")
}

/// The files in `DATA/media` (none when it does not exist).
fn stored_files(s: &TestServer) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(media_dir(s)) {
        Ok(dir) => dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// The library page's CSRF token (the upload form carries it in its action's query).
async fn library_csrf(c: &Client<'_>) -> String {
    let page = c.page("/admin/media").await;
    let at = page.find("/admin/media?csrf=").expect("upload form") + "/admin/media?csrf=".len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// Uploads through the plain form; returns the new photo's id.
async fn upload(
    c: &Client<'_>,
    csrf: &str,
    file_name: &str,
    content_type: &str,
    data: &[u8],
    alt: &str,
) -> i64 {
    let body = Multipart::new()
        .text("alt", alt)
        .text("caption", "Delegates at the opening session.")
        .text("credit", "J. Doe")
        .file(file_name, content_type, data)
        .done();
    let r = post_multipart(c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
    assert_eq!(r.status(), 303, "upload of {file_name}: {}", r.text().await.unwrap());
    let to = location(&r);
    assert!(to.starts_with("/admin/media?uploaded="), "{to}");
    to.trim_start_matches("/admin/media?uploaded=").split('#').next().unwrap().parse().unwrap()
}

/// An upload case: name and type sent, bytes, type stored, size, variant widths.
type Case<'a> = (&'a str, &'a str, &'a [u8], &'a str, u32, u32, Vec<u32>);

/// The editor's fields for a new article in English.
fn article_form<'a>(
    csrf: &'a str,
    section: &'a str,
    lead_image: &'a str,
    action: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("lang", "en"),
        ("title", "Photo story"),
        ("lead", "A story with a photo."),
        ("body", "<p>Body.</p>"),
        ("section", section),
        ("publish_at", ""),
        ("action", action),
        ("lead_image", lead_image),
    ]
}

on_both_backends!(
    uploads_are_stored_resized_listed_and_served,
    bad_uploads_are_refused_and_nothing_is_written,
    uploads_need_a_session_and_the_csrf_token,
    a_lead_photo_shows_on_the_article_lists_and_feeds,
    authors_change_texts_only_of_their_own_photos_nothing_public_shows,
    decompression_bombs_are_refused_at_once,
    a_full_gate_answers_503_with_retry_after,
    file_names_keep_no_bidi_or_invisible_characters,
    a_photo_has_its_texts_in_each_language,
);

use newsdesk::media::test_images::bomb_png;

/// The editor's fields for an article with a title of its own, a lead photo and an action.
fn story_form<'a>(
    csrf: &'a str,
    section: &'a str,
    title: &'a str,
    lead_image: &'a str,
    action: &'a str,
    publish_at: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut form = article_form(csrf, section, lead_image, action);
    for (k, v) in &mut form {
        match *k {
            "title" => *v = title,
            "publish_at" => *v = publish_at,
            _ => {}
        }
    }
    form
}

/// The version an article is at now, as the editor form carries it.
async fn version_of(s: &TestServer, id: i64) -> String {
    s.state.store.article_by_id(id).await.unwrap().expect("the article exists").version.to_string()
}

/// The id in an editor's redirect (`/admin/articles/ID?saved=1`).
fn article_id(r: &Response) -> i64 {
    location(r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap()
}

async fn authors_change_texts_only_of_their_own_photos_nothing_public_shows(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let mut author = sign_in(&s, "author@example.org", Role::Author).await;
    let editor = sign_in(&s, "editor@example.org", Role::Editor).await;
    let (a_csrf, e_csrf) = (library_csrf(&author).await, library_csrf(&editor).await);
    let png = encoded(&picture(120, 80), ImageFormat::Png);
    let own = upload(&author, &a_csrf, "own.png", "image/png", &png, "Own").await;
    let published = upload(&author, &a_csrf, "published.png", "image/png", &png, "Published").await;
    let scheduled = upload(&author, &a_csrf, "scheduled.png", "image/png", &png, "Scheduled").await;
    let theirs = upload(&editor, &e_csrf, "theirs.png", "image/png", &png, "Theirs").await;
    let (a_csrf, e_csrf) = (a_csrf.as_str(), e_csrf.as_str());
    fn texts<'a>(csrf: &'a str, alt: &'a str) -> Vec<(&'static str, &'a str)> {
        vec![("csrf", csrf), ("alt", alt), ("caption", "c"), ("credit", "d")]
    }
    let alt_of = async |id: i64| s.state.store.media_by_id(id).await.unwrap().unwrap().alt;

    // An author's own photo that nothing public shows: theirs to change.
    let r = author.post(&format!("/admin/media/{own}"), &texts(a_csrf, "Own, described")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(alt_of(own).await, "Own, described");

    // Someone else's photo: refused, saying why.
    let r = author.post(&format!("/admin/media/{theirs}"), &texts(a_csrf, "Taken over")).await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("Authors can change the texts only of photos they uploaded themselves"), "{page}");
    assert_eq!(alt_of(theirs).await, "Theirs");

    // Their own photos once an editor publishes or schedules an article showing them.
    let section = s.state.store.sections().await.unwrap()[0].id.to_string();
    let (p, sch) = (published.to_string(), scheduled.to_string());
    let r = editor.post("/admin/articles", &story_form(e_csrf, &section, "Out now", &p, "publish", "")).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let out_now = article_id(&r);
    let r = editor
        .post(
            "/admin/articles",
            &story_form(e_csrf, &section, "Out later", &sch, "schedule", "2099-01-01 10:00"),
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    for id in [published, scheduled] {
        let r = author.post(&format!("/admin/media/{id}"), &texts(a_csrf, "Changed after the fact")).await;
        assert_eq!(r.status(), 403, "photo {id}");
        let page = r.text().await.unwrap();
        assert!(page.contains(&format!("Photo {id} is used by a published or scheduled article")), "{page}");
    }
    assert_eq!((alt_of(published).await, alt_of(scheduled).await), ("Published".into(), "Scheduled".into()));
    // In the author's language.
    author.lang = "ru";
    let r = author.post(&format!("/admin/media/{published}"), &texts(a_csrf, "x")).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("используется в опубликованной или запланированной статье"));
    let r = author.post(&format!("/admin/media/{theirs}"), &texts(a_csrf, "x")).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Авторы могут менять тексты только тех фотографий"));
    author.lang = "en";

    // Editors change any photo's texts, published or not, whoever uploaded it.
    for id in [published, scheduled, own] {
        let r = editor.post(&format!("/admin/media/{id}"), &texts(e_csrf, "Edited by the desk")).await;
        assert_eq!(r.status(), 303, "photo {id}");
        assert_eq!(alt_of(id).await, "Edited by the desk");
    }
    // Unpublished again, the photo is the author's to describe again; unknown photos stay 404.
    let version = version_of(&s, out_now).await;
    let mut unpublish = story_form(e_csrf, &section, "Out now", &p, "unpublish", "");
    unpublish.push(("version", &version));
    let r = editor.post(&format!("/admin/articles/{out_now}"), &unpublish).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let r = author.post(&format!("/admin/media/{published}"), &texts(a_csrf, "Back to the author")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(alt_of(published).await, "Back to the author");
    assert_eq!(author.post("/admin/media/999999", &texts(a_csrf, "x")).await.status(), 404);
    let edits = s.state.store.audit_log(Some("media.edit"), None, 20).await.unwrap();
    assert_eq!(edits.len(), 5, "refused changes are not logged as made");
    s.stop().await;
}

async fn decompression_bombs_are_refused_at_once(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let c = sign_in(&s, "desk@example.org", Role::Editor).await;
    let csrf = library_csrf(&c).await;
    let started = Instant::now();
    // 300 MB of RGB pixels, and 1.6 GB of grey ones (1 bit each in the file, a byte decoded).
    let bombs = [
        ("bomb.png", bomb_png(10_000, 10_000, 2, 8), 10_000),
        ("giant.png", bomb_png(40_000, 40_000, 0, 1), 40_000),
    ];
    let made = started.elapsed();
    for (name, png, side) in &bombs {
        assert!(png.len() < 1024 * 1024, "{name}: {} bytes", png.len());
        let body = Multipart::new().text("alt", "kept alt").file(name, "image/png", png).done();
        let started = Instant::now();
        let r = post_multipart(&c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
        let took = started.elapsed();
        assert_eq!(r.status(), 422, "{name}");
        let page = r.text().await.unwrap();
        let message = format!(
            "The photo is {side} × {side} pixels; the most accepted is 12000 pixels a side and 40 megapixels in all."
        );
        assert!(page.contains(&message), "{name}: {message:?} not in the page");
        // Refused from the header: decoding this many pixels would take many seconds.
        assert!(took < Duration::from_secs(3), "{name} took {took:?}");
        // The drop zone gets the same, as JSON.
        let body = Multipart::new().file(name, "image/png", png).done();
        let r = post_multipart(
            &c,
            "/admin/media",
            &body,
            &[("x-csrf-token", &csrf), ("accept", "application/json")],
        )
        .await;
        assert_eq!(r.status(), 422);
        let json: serde_json::Value = r.json().await.unwrap();
        assert!(json["error"].as_str().unwrap().contains("40 megapixels"), "{json}");
    }
    assert!(made < Duration::from_secs(30), "making the bombs took {made:?}");
    assert_eq!(stored_files(&s), Vec::<String>::new());
    // The server is fine and takes ordinary photos.
    upload(&c, &csrf, "fine.png", "image/png", &encoded(&picture(200, 100), ImageFormat::Png), "").await;
    s.stop().await;
}

async fn a_full_gate_answers_503_with_retry_after(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let mut c = sign_in(&s, "desk@example.org", Role::Editor).await;
    let csrf = library_csrf(&c).await;
    // A gate of this site's own, so filling it holds up no other test's uploads.
    let gate = Arc::new(newsdesk::media::Gate::new(64 << 20, 16 << 20, Duration::from_millis(300)));
    newsdesk::media::set_gate(s.db.data_dir(), Some(gate.clone()));
    let full = gate.enter(u64::MAX).await.expect("an empty gate has room");
    let png = encoded(&picture(200, 100), ImageFormat::Png);
    let body = Multipart::new().text("alt", "kept alt").file("queued.png", "image/png", &png).done();
    let started = Instant::now();
    let r = post_multipart(&c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
    assert!(started.elapsed() < Duration::from_secs(3), "no waiting for ever: {:?}", started.elapsed());
    assert_eq!(r.status(), 503);
    assert_eq!(header(&r, "retry-after"), newsdesk::media::RETRY_AFTER_SECS.to_string());
    let page = r.text().await.unwrap();
    assert!(page.contains("Too many photos are being processed right now"));
    assert!(page.contains("value=\"kept alt\""), "the texts typed stay in the form");
    c.lang = "ru";
    let r =
        post_multipart(&c, "/admin/media", &body, &[("x-csrf-token", &csrf), ("accept", "application/json")])
            .await;
    assert_eq!(r.status(), 503);
    assert_eq!(header(&r, "retry-after"), newsdesk::media::RETRY_AFTER_SECS.to_string());
    let json: serde_json::Value = r.json().await.unwrap();
    assert!(json["error"].as_str().unwrap().contains("слишком много фотографий"), "{json}");
    c.lang = "en";
    assert_eq!(stored_files(&s), Vec::<String>::new());
    // Room again: the same upload goes through, and gives its room back when done.
    drop(full);
    upload(&c, &csrf, "queued.png", "image/png", &png, "").await;
    assert_eq!(gate.available_bytes(), 64 << 20);
    newsdesk::media::set_gate(s.db.data_dir(), None);
    s.stop().await;
}

async fn file_names_keep_no_bidi_or_invisible_characters(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let c = sign_in(&s, "desk@example.org", Role::Author).await;
    let csrf = library_csrf(&c).await;
    let png = encoded(&picture(60, 40), ImageFormat::Png);
    // Shown as "invoice_gnp.exe" reversed: "invoice_exe.png"; a bidi override, an isolate, a
    // zero-width space and a byte order mark, none of which a reader can see.
    let sent = "invoice_\u{202E}gnp.exe\u{2066}\u{200B}\u{FEFF}.png";
    let id = upload(&c, &csrf, sent, "image/png", &png, "").await;
    let m = s.state.store.media_by_id(id).await.unwrap().unwrap();
    assert_eq!(m.original_name, "invoice_gnp.exe.png");
    let page = c.page("/admin/media").await;
    assert!(page.contains("invoice_gnp.exe.png"));
    for hidden in ['\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}'] {
        assert!(!page.contains(hidden), "{hidden:?} in the library page");
    }
    let audit = s.state.store.audit_log(Some("media.upload"), None, 10).await.unwrap();
    assert!(audit[0].detail.starts_with("invoice_gnp.exe.png ("), "{}", audit[0].detail);
    // A name stored before names were cleaned is shown clean all the same.
    let old = newsdesk::storage::media::NewMedia {
        file_key: &newsdesk::media::new_key(),
        original_name: "old\u{202E}gpj.exe",
        mime: "image/png",
        width: 60,
        height: 40,
        bytes: png.len() as u64,
        alt: "",
        caption: "",
        credit: "",
        variant_bytes: "",
    };
    let old_id = s.state.store.create_media(&old, None, jiff::Timestamp::now()).await.unwrap();
    assert_eq!(s.state.store.media_by_id(old_id).await.unwrap().unwrap().original_name, "oldgpj.exe");
    assert!(!c.page("/admin/media").await.contains('\u{202E}'));
    s.stop().await;
}

async fn uploads_are_stored_resized_listed_and_served(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let c = sign_in(&s, "desk@example.org", Role::Author).await;
    let csrf = library_csrf(&c).await;

    // JPEG, PNG and WebP; the PNG arrives named and typed as a JPEG: the bytes decide.
    let jpeg = encoded(&picture(2000, 1000), ImageFormat::Jpeg);
    let png = encoded(&picture(1000, 700), ImageFormat::Png);
    let webp = encoded(&picture(300, 200), ImageFormat::WebP);
    // (name sent, type sent, bytes, type stored, width, height, variant widths)
    let cases: [Case<'_>; 3] = [
        ("Summit 2025.jpg", "image/jpeg", &jpeg, "image/jpeg", 2000, 1000, vec![480, 960, 1600]),
        ("chart.jpg", "image/jpeg", &png, "image/png", 1000, 700, vec![480, 960, 1000]),
        ("small.webp", "application/octet-stream", &webp, "image/webp", 300, 200, vec![300]),
    ];
    for (name, sent_type, data, mime, w, h, widths) in cases {
        let id = upload(&c, &csrf, name, sent_type, data, &format!("Alt for {name}")).await;
        let m = s.state.store.media_by_id(id).await.unwrap().expect("row");
        assert_eq!((m.mime.as_str(), m.width, m.height), (mime, i64::from(w), i64::from(h)), "{name}");
        assert_eq!(m.original_name, name);
        assert_eq!(m.bytes, data.len() as i64);
        assert_eq!((m.caption.as_str(), m.credit.as_str()), ("Delegates at the opening session.", "J. Doe"));
        assert!(newsdesk::media::is_key(&m.file_key), "server-made name: {}", m.file_key);
        let kind = newsdesk::media::Kind::from_mime(mime).unwrap();
        let original = media_dir(&s).join(newsdesk::media::original_name(&m.file_key, kind));
        assert_eq!(std::fs::read(&original).unwrap(), *data, "the original is kept as sent");
        for vw in &widths {
            let path = media_dir(&s).join(newsdesk::media::variant_name(&m.file_key, *vw));
            let (dw, dh) =
                image::image_dimensions(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(dw, *vw, "{name}: variant width");
            assert_eq!(dh, newsdesk::media::variant_height(w, h, *vw), "{name}: aspect ratio kept");
            assert_eq!(image::ImageFormat::from_path(&path).unwrap(), ImageFormat::Jpeg);
        }
        // Served by name, with the right type, for a year, never sniffed.
        let r = c.get(&format!("/media/{}", newsdesk::media::variant_name(&m.file_key, widths[0]))).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), "image/jpeg");
        assert_eq!(header(&r, "cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff");
        let etag = header(&r, "etag");
        assert!(!r.bytes().await.unwrap().is_empty());
        let r = c.get(&format!("/media/{}", newsdesk::media::original_name(&m.file_key, kind))).await;
        assert_eq!(r.status(), 404, "originals (with their EXIF data) are kept, not served");
        if name == "Summit 2025.jpg" {
            // A photo uploaded before variants were JPEG has WebP variants on disk: its pages
            // link the JPEG name, and the WebP file is served under it.
            let url = format!("/media/{}", newsdesk::media::variant_name(&m.file_key, widths[0]));
            let jpg = media_dir(&s).join(newsdesk::media::variant_name(&m.file_key, widths[0]));
            let webp = jpg.with_extension("webp");
            std::fs::rename(&jpg, &webp).unwrap();
            let r = c.get(&url).await;
            assert_eq!(r.status(), 200);
            assert_eq!(header(&r, "content-type"), "image/webp");
            std::fs::rename(&webp, &jpg).unwrap();
            assert_eq!(header(&c.get(&url).await, "content-type"), "image/jpeg");
        }
        let _ = mime;
        let again = s
            .client
            .get(format!("{}/media/{}", s.base, newsdesk::media::variant_name(&m.file_key, widths[0])))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        // A width that was never made is not there.
        assert_eq!(
            c.get(&format!("/media/{}", newsdesk::media::variant_name(&m.file_key, 1234))).await.status(),
            404
        );
    }

    let page = c.page("/admin/media").await;
    assert!(page.contains("Summit 2025.jpg") && page.contains("chart.jpg") && page.contains("small.webp"));
    assert!(page.contains("Alt for chart.jpg"));
    assert!(page.contains("enctype=\"multipart/form-data\""), "a plain form that works without JavaScript");

    // The drag-and-drop path: the token in a header, JSON back.
    let body = Multipart::new().file("dropped.png", "image/png", &png).done();
    let r =
        post_multipart(&c, "/admin/media", &body, &[("x-csrf-token", &csrf), ("accept", "application/json")])
            .await;
    assert_eq!(r.status(), 201);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["ok"], true);
    assert!(json["thumb"].as_str().unwrap().starts_with("/media/"));

    // Names outside the strict pattern, or not in the library, are never looked up on disk.
    let key = newsdesk::media::new_key();
    for path in [
        format!("/media/{key}.jpg"),
        "/media/..%2Fnewsdesk.db".to_string(),
        "/media/newsdesk.db".to_string(),
        format!("/media/{key}.jpg.part"),
        "/media/..%5Cnewsdesk.db".to_string(),
    ] {
        assert_eq!(c.get(&path).await.status(), 404, "{path}");
    }

    let audit = s.state.store.audit_log(Some("media.upload"), None, 10).await.unwrap();
    assert_eq!(audit.len(), 4);
    assert!(audit.iter().any(|a| a.detail.contains("Summit 2025.jpg")));
    s.stop().await;
}

async fn bad_uploads_are_refused_and_nothing_is_written(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let mut c = sign_in(&s, "desk@example.org", Role::Editor).await;
    let csrf = library_csrf(&c).await;
    let refused = |status: u16, text: &'static str| (status, text);

    let mut truncated = encoded(&picture(400, 300), ImageFormat::Jpeg);
    truncated.truncate(300);
    // Cut in half, as an interrupted transfer leaves a photo: the headers are all there.
    let camera = encoded(&noise(800, 600), ImageFormat::Jpeg);
    let half_jpeg = camera[..camera.len() / 2].to_vec();
    let png = encoded(&picture(400, 300), ImageFormat::Png);
    let half_png = png[..png.len() / 2].to_vec();
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let mut huge = encoded(&picture(8, 8), ImageFormat::Png);
    huge[16..20].copy_from_slice(&13_000u32.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&huge[12..29]);
    huge[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    let cases: Vec<(&str, Vec<u8>, (u16, &str))> = vec![
        (
            "notes.jpg",
            b"Minutes of the meeting, not a photo at all.\n".repeat(20),
            refused(415, "is not a photo"),
        ),
        ("anim.gif", gif, refused(415, "GIF files are not accepted")),
        ("broken.jpg", truncated, refused(422, "cannot be read")),
        ("half.jpg", half_jpeg, refused(422, "cannot be read")),
        ("half.png", half_png, refused(422, "cannot be read")),
        ("huge.png", huge, refused(422, "the most accepted is 12000 pixels a side")),
        ("", Vec::new(), refused(400, "Choose a photo")),
    ];
    for (name, data, (status, message)) in cases {
        let body = Multipart::new().text("alt", "kept alt").file(name, "image/jpeg", &data).done();
        let r = post_multipart(&c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
        assert_eq!(r.status().as_u16(), status, "{name}");
        let text = r.text().await.unwrap();
        assert!(text.contains(message), "{name}: {message:?} not in the page");
        assert!(text.contains("value=\"kept alt\""), "{name}: the texts typed stay in the form");
    }

    // Too large: the limit is per site and read at each upload.
    newsdesk::media::set_max_upload(s.db.data_dir(), Some(100 * 1024));
    let big = encoded(&noise(300, 300), ImageFormat::Png);
    assert!(big.len() > 200 * 1024);
    let body = Multipart::new().file("big.png", "image/png", &big).done();
    let r = post_multipart(&c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("larger than 0.1 MB"));
    // In the back office's language, and as JSON for the drop zone.
    c.lang = "ru";
    let r =
        post_multipart(&c, "/admin/media", &body, &[("x-csrf-token", &csrf), ("accept", "application/json")])
            .await;
    assert_eq!(r.status(), 413);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["ok"], false);
    assert!(json["error"].as_str().unwrap().contains("Файл больше"), "{json}");
    c.lang = "en";
    newsdesk::media::set_max_upload(s.db.data_dir(), None);

    assert_eq!(stored_files(&s), Vec::<String>::new(), "a refused upload writes nothing");
    assert_eq!(s.state.store.media_page(10, 0).await.unwrap().1, 0);
    // Texts are bounded too.
    let body = Multipart::new()
        .text("credit", &"c".repeat(300))
        .file("ok.png", "image/png", &encoded(&picture(50, 50), ImageFormat::Png))
        .done();
    let r = post_multipart(&c, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(stored_files(&s), Vec::<String>::new());
    s.stop().await;
}

async fn uploads_need_a_session_and_the_csrf_token(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let png = encoded(&picture(120, 80), ImageFormat::Png);
    let body = Multipart::new().file("p.png", "image/png", &png).done();

    // Signed out: sent to sign in, for the page and for an upload.
    let anonymous = Client::new(&s);
    let r = anonymous.get("/admin/media").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login?next=/admin/media");
    let r = post_multipart(&anonymous, "/admin/media", &body, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login");

    // Signed in, but without the token (or with a wrong one): 403.
    let c = sign_in(&s, "desk@example.org", Role::Author).await;
    assert_eq!(post_multipart(&c, "/admin/media", &body, &[]).await.status(), 403);
    assert_eq!(post_multipart(&c, "/admin/media?csrf=wrong", &body, &[]).await.status(), 403);
    assert_eq!(stored_files(&s), Vec::<String>::new());

    // Texts are edited with the token, by any role.
    let csrf = library_csrf(&c).await;
    let id = upload(&c, &csrf, "p.png", "image/png", &png, "").await;
    let page = c.page("/admin/media").await;
    assert!(page.contains("no alternative text"));
    let path = format!("/admin/media/{id}");
    let r = c.post(&path, &[("alt", "A red flag"), ("caption", "c"), ("credit", "d")]).await;
    assert_eq!(r.status(), 403);
    let r = c
        .post(&path, &[("csrf", &csrf), ("alt", "A <b>red</b> flag"), ("caption", "c"), ("credit", "d")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/admin/media?saved={id}#media-{id}"));
    assert_eq!(s.state.store.media_by_id(id).await.unwrap().unwrap().alt, "A red flag");
    let r = c.post("/admin/media/999999", &[("csrf", &csrf), ("alt", "x")]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(s.state.store.audit_log(Some("media.edit"), None, 10).await.unwrap().len(), 1);
    s.stop().await;
}

async fn a_lead_photo_shows_on_the_article_lists_and_feeds(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let c = sign_in(&s, "editor@example.org", Role::Editor).await;
    let csrf = library_csrf(&c).await;
    let jpeg = encoded(&picture(1800, 1200), ImageFormat::Jpeg);
    let photo =
        upload(&c, &csrf, "IMG_0001.JPG", "image/jpeg", &jpeg, "Flags in front of the headquarters").await;
    let m = s.state.store.media_by_id(photo).await.unwrap().unwrap();
    let section = s.state.store.sections().await.unwrap()[0].clone();

    // The editor offers the photo; a photo that does not exist is refused.
    let editor = c.page("/admin/articles/new").await;
    assert!(editor.contains(&format!("<option value=\"{photo}\"")), "the picker lists the photo");
    let section_id = section.id.to_string();
    let form = |lead: &'static str, action: &'static str| article_form(&csrf, &section_id, lead, action);
    let r = c.post("/admin/articles", &form("987654", "publish")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("There is no photo number 987654"));

    let chosen = photo.to_string();
    let r = c.post("/admin/articles", &article_form(&csrf, &section_id, &chosen, "publish")).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 =
        location(&r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(s.state.store.lead_image_id(id).await.unwrap(), Some(photo));
    let editor = c.page(&format!("/admin/articles/{id}")).await;
    assert!(editor.contains(&format!(
        "<option value=\"{photo}\" data-thumb=\"/media/{}-480.jpg\" selected",
        m.file_key
    )));

    // The public page: a figure with srcset, sizes, width and height, alt, caption, credit.
    let article = s.state.store.article_by_id(id).await.unwrap().unwrap();
    let url = format!("/en/{}/{}", section.slug, article.slug);
    let page = s.page(&url).await;
    let key = &m.file_key;
    let img = crate::harness::between(&page, "<figure class=\"lead-figure\">", "</figure>");
    assert!(img.contains(&format!("src=\"/media/{key}-960.jpg\"")), "{img}");
    assert!(img.contains(&format!(
        "srcset=\"/media/{key}-480.jpg 480w, /media/{key}-960.jpg 960w, /media/{key}-1600.jpg 1600w\""
    )));
    assert!(img.contains("sizes=\""));
    assert!(img.contains("width=\"960\" height=\"640\""), "{img}");
    assert!(img.contains("alt=\"Flags in front of the headquarters\""));
    assert!(img.contains("Delegates at the opening session.") && img.contains("Photo: J. Doe"));
    let og =
        format!("<meta property=\"og:image\" content=\"https://news.test.example/media/{key}-1600.jpg\">");
    assert!(page.contains(&og), "OpenGraph image");
    let json_ld = crate::harness::between(&page, "<script type=\"application/ld+json\">", "</script>");
    let json_ld: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(json_ld["image"][0]["url"], format!("https://news.test.example/media/{key}-1600.jpg"));
    assert_eq!(json_ld["image"][0]["width"], 1600);
    assert_eq!(json_ld["image"][0]["height"], 1067);
    for variant in [480, 960, 1600] {
        assert_eq!(s.get(&format!("/media/{key}-{variant}.jpg")).await.status(), 200);
    }

    // Lists show a thumbnail with its size; feeds carry an enclosure.
    let home = s.page("/en/").await;
    let lead = crate::harness::between(&home, "<article class=\"lead-story\"", "</article>");
    assert!(lead.contains(&format!("src=\"/media/{key}-960.jpg\"")), "the home page leads with it: {lead}");
    let archive = s.page("/en/archive").await;
    let item = crate::harness::between(&archive, "<li class=\"news-item\">", "</li>");
    assert!(item.contains(&format!("class=\"news-thumb\" src=\"/media/{key}-480.jpg\"")), "{item}");
    assert!(item.contains("width=\"480\" height=\"320\""));
    let rss = s.page("/en/feed.xml").await;
    assert!(
        rss.contains(&format!("<enclosure url=\"https://news.test.example/media/{key}-1600.jpg\"")),
        "RSS"
    );
    let len = std::fs::metadata(media_dir(&s).join(format!("{key}-1600.jpg"))).unwrap().len();
    assert!(rss.contains(&format!("length=\"{len}\" type=\"image/jpeg\"/>")));

    // New texts show at once on the public page.
    let r = c
        .post(
            &format!("/admin/media/{photo}"),
            &[("csrf", &csrf), ("alt", "Flags, renamed"), ("caption", ""), ("credit", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = s.page(&url).await;
    assert!(page.contains("alt=\"Flags, renamed\""));
    assert!(!page.contains("<figcaption>"), "no caption or credit, no empty figcaption");

    // A form without the picker (an older page) keeps the photo; choosing none removes it.
    let mut without = form("", "save");
    without.retain(|(k, _)| *k != "lead_image");
    let version = version_of(&s, id).await;
    without.push(("version", &version));
    let r = c.post(&format!("/admin/articles/{id}"), &without).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(s.state.store.lead_image_id(id).await.unwrap(), Some(photo));
    let version = version_of(&s, id).await;
    let mut none = form("", "save");
    none.push(("version", &version));
    let r = c.post(&format!("/admin/articles/{id}"), &none).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(s.state.store.lead_image_id(id).await.unwrap(), None);
    assert!(!s.page(&url).await.contains("lead-figure"));
    s.stop().await;
}

async fn a_photo_has_its_texts_in_each_language(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let editor = sign_in(&s, "editor@example.org", Role::Editor).await;
    let author = sign_in(&s, "author@example.org", Role::Author).await;
    let csrf = library_csrf(&editor).await;
    let jpeg = encoded(&picture(1800, 1200), ImageFormat::Jpeg);
    // Uploaded with English texts: the photo's own, which every language starts from.
    let photo = upload(&editor, &csrf, "flags.jpg", "image/jpeg", &jpeg, "Flags at the headquarters").await;
    let key = s.state.store.media_by_id(photo).await.unwrap().unwrap().file_key;

    // The library in Russian: that language's own texts (none yet), the photo's own shown as
    // placeholders, and the language marked as the current one.
    let page = editor.page("/admin/media?lang=ru").await;
    assert!(
        page.contains(r#"<a href="/admin/media?page=1&amp;lang=ru" lang="ru" aria-current="page">"#),
        "{page}"
    );
    let form = crate::harness::between(&page, &format!("action=\"/admin/media/{photo}\""), "</form>");
    assert!(form.contains(r#"<input type="hidden" name="lang" value="ru">"#), "{form}");
    assert!(form.contains(r#"value="" maxlength="500" placeholder="Flags at the headquarters""#), "{form}");
    let ru = [
        ("csrf", csrf.as_str()),
        ("lang", "ru"),
        ("alt", "Флаги у штаб-квартиры"),
        ("caption", "Делегаты на открытии сессии."),
        ("credit", ""),
    ];
    let r = editor.post(&format!("/admin/media/{photo}"), &ru).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), format!("/admin/media?saved={photo}&lang=ru#media-{photo}"));
    let texts = s.state.store.media_texts(photo).await.unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!((texts[0].lang.as_str(), texts[0].alt.as_str()), ("ru", "Флаги у штаб-квартиры"));
    let own = s.state.store.media_by_id(photo).await.unwrap().unwrap();
    assert_eq!(
        (own.alt.as_str(), own.credit.as_str()),
        ("Flags at the headquarters", "J. Doe"),
        "own texts kept"
    );
    let page = editor.page("/admin/media?lang=ru").await;
    assert!(page.contains(r#"value="Делегаты на открытии сессии.""#));
    // A language the site does not run in is refused in words; the author's rule holds in
    // every language.
    let r = editor
        .post(&format!("/admin/media/{photo}"), &[("csrf", csrf.as_str()), ("lang", "de"), ("alt", "x")])
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("The site does not run in this language"));
    let a_csrf = library_csrf(&author).await;
    let r = author
        .post(&format!("/admin/media/{photo}"), &[("csrf", a_csrf.as_str()), ("lang", "ru"), ("alt", "x")])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(s.state.store.media_texts(photo).await.unwrap()[0].alt, "Флаги у штаб-квартиры");

    // The same photo leads an English and a Russian article and stands alone in a paragraph
    // of their texts (as the editor inserts it), and once more inside a sentence.
    let section = s.state.store.sections().await.unwrap()[0].clone();
    let section_id = section.id.to_string();
    let chosen = photo.to_string();
    let mut urls = Vec::new();
    for (lang, title, alt) in [("en", "Flags story", "Flags at the door"), ("ru", "Флаги", "Флаги у входа")]
    {
        let body = format!(
            "<p>Text.</p><p><img src=\"/media/{key}-960.jpg\" alt=\"{alt}\"></p>\
             <p>Inline <img src=\"/media/{key}-480.jpg\" alt=\"{alt}\"> photo.</p>"
        );
        let mut form = article_form(&csrf, &section_id, &chosen, "publish");
        for (k, v) in &mut form {
            match *k {
                "lang" => *v = lang,
                "title" => *v = title,
                "body" => *v = &body,
                _ => {}
            }
        }
        let r = editor.post("/admin/articles", &form).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let article = s.state.store.article_by_id(article_id(&r)).await.unwrap().unwrap();
        urls.push(format!("/{lang}/{}/{}", section.slug, article.slug));
    }
    let en = s.page(&urls[0]).await;
    let lead = crate::harness::between(&en, "<figure class=\"lead-figure\">", "</figure>");
    assert!(
        lead.contains("alt=\"Flags at the headquarters\"")
            && lead.contains("Delegates at the opening session.")
    );
    let inline = crate::harness::between(&en, "<figure class=\"photo\">", "</figure>");
    assert!(inline.contains("alt=\"Flags at the door\"") && inline.contains(" 480w, "), "{inline}");
    assert!(
        inline.contains("<figcaption>Delegates at the opening session. <span class=\"credit\">Photo: J. Doe</span></figcaption>"),
        "{inline}"
    );
    assert_eq!(en.matches("<figure class=\"photo\">").count(), 1, "a photo inside a sentence gets no figure");
    assert!(!en.contains("<p><figure"), "a figure never sits inside a paragraph");
    assert!(en.contains("<p>Inline <img src=\""), "the inline photo stays in its sentence");

    let ru_page = s.page(&urls[1]).await;
    let lead = crate::harness::between(&ru_page, "<figure class=\"lead-figure\">", "</figure>");
    assert!(
        lead.contains("alt=\"Флаги у штаб-квартиры\"") && lead.contains("Делегаты на открытии сессии."),
        "{lead}"
    );
    assert!(
        lead.contains("Фото: J. Doe"),
        "an empty credit in Russian falls back to the photo's own: {lead}"
    );
    let inline = crate::harness::between(&ru_page, "<figure class=\"photo\">", "</figure>");
    assert!(
        inline.contains("alt=\"Флаги у входа\"") && inline.contains("Делегаты на открытии сессии."),
        "{inline}"
    );
    let json_ld = crate::harness::between(&ru_page, "<script type=\"application/ld+json\">", "</script>");
    let json_ld: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(json_ld["image"][0]["caption"], "Делегаты на открытии сессии.");

    // A change of the Russian texts reaches the Russian page at once and leaves the English.
    let changed = [
        ("csrf", csrf.as_str()),
        ("lang", "ru"),
        ("alt", "Флаги"),
        ("caption", "Новая подпись."),
        ("credit", "ООН"),
    ];
    assert_eq!(editor.post(&format!("/admin/media/{photo}"), &changed).await.status(), 303);
    let ru_page = s.page(&urls[1]).await;
    assert!(
        ru_page.contains("Новая подпись. <span class=\"credit\">Фото: ООН</span>"),
        "the page cache let go"
    );
    assert!(s.page(&urls[0]).await.contains("Delegates at the opening session."));

    // Uploaded from a Russian article (the editor sends its language): the texts are the
    // photo's own and the Russian ones.
    let body = Multipart::new()
        .text("alt", "Зал заседаний")
        .text("caption", "Пленарное заседание.")
        .text("lang", "ru")
        .file("hall.png", "image/png", &encoded(&picture(200, 100), ImageFormat::Png))
        .done();
    let r = post_multipart(&editor, &format!("/admin/media?csrf={csrf}"), &body, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let hall: i64 =
        location(&r).trim_start_matches("/admin/media?uploaded=").split('&').next().unwrap().parse().unwrap();
    assert_eq!(s.state.store.media_by_id(hall).await.unwrap().unwrap().caption, "Пленарное заседание.");
    assert_eq!(s.state.store.media_texts(hall).await.unwrap()[0].caption, "Пленарное заседание.");
    s.stop().await;
}

/// The public address of article `id`.
async fn public_path(s: &TestServer, id: i64) -> String {
    let a = s.state.store.article_by_id(id).await.unwrap().unwrap();
    let sections = s.state.store.sections().await.unwrap();
    let section = sections.iter().find(|x| x.id == a.section_id).unwrap();
    format!("/{}/{}/{}", a.lang, section.slug, a.slug)
}

async fn a_gallery_is_arranged_and_shown_in_the_reader_s_language(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let editor = sign_in(&s, "editor@example.org", Role::Editor).await;
    let csrf = library_csrf(&editor).await;
    let png = encoded(&picture(640, 480), ImageFormat::Png);
    let mut photos = Vec::new();
    for alt in ["First", "Second", "Third"] {
        photos.push(upload(&editor, &csrf, &format!("{alt}.png"), "image/png", &png, alt).await);
    }
    let [p1, p2, p3] = [photos[0], photos[1], photos[2]];
    let section = s.state.store.sections().await.unwrap()[0].id.to_string();
    let r = editor
        .post("/admin/articles", &story_form(&csrf, &section, "Gallery story", "", "publish", ""))
        .await;
    assert_eq!(r.status(), 303);
    let a = article_id(&r);
    let editor_page = editor.page(&format!("/admin/articles/{a}")).await;
    assert!(editor_page.contains("Photos in the gallery: 0"), "{editor_page}");
    assert!(editor_page.contains(&format!("href=\"/admin/articles/{a}/gallery\"")));

    // Arranged on a page of plain form controls: add three, then reorder and remove one.
    let path = format!("/admin/articles/{a}/gallery");
    let page = editor.page(&path).await;
    assert!(page.contains(&format!(r#"<input type="checkbox" name="add" value="{p1}">"#)), "{page}");
    let (s1, s2, s3) = (p1.to_string(), p2.to_string(), p3.to_string());
    let add = [("csrf", csrf.as_str()), ("was", ""), ("add", &s1), ("add", &s2), ("add", &s3)];
    let r = editor.post(&path, &add).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), format!("{path}?saved=1&page=1"));
    assert_eq!(s.state.store.gallery_ids(a).await.unwrap(), [p1, p2, p3]);
    let all = format!("{p1},{p2},{p3}");
    let (k1, k2, k3) = (format!("pos-{p1}"), format!("pos-{p2}"), format!("pos-{p3}"));
    let reorder = [
        ("csrf", csrf.as_str()),
        ("was", all.as_str()),
        (k1.as_str(), "2"),
        (k2.as_str(), "3"),
        (k3.as_str(), "1"),
        ("remove", s2.as_str()),
    ];
    assert_eq!(editor.post(&path, &reorder).await.status(), 303);
    assert_eq!(s.state.store.gallery_ids(a).await.unwrap(), [p3, p1]);
    // A form filled before that change is refused instead of undoing it.
    let r = editor.post(&path, &reorder).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Someone changed this gallery meanwhile"));
    let now = format!("{p3},{p1}");
    let r = editor.post(&path, &[("csrf", csrf.as_str()), ("was", now.as_str()), ("add", "999999")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("There is no photo number 999999 in the library"));
    let r = editor.post(&path, &[("csrf", csrf.as_str()), ("was", now.as_str()), ("add", "x")]).await;
    assert_eq!(r.status(), 400);
    assert_eq!(s.state.store.gallery_ids(a).await.unwrap(), [p3, p1], "nothing changed by refused forms");

    // Readers: a list of figures in order, each a link to the large photo, lazy below the text.
    let article = s.page(&public_path(&s, a).await).await;
    let gallery = between(&article, "<section class=\"gallery\"", "</section>");
    assert!(gallery.find("alt=\"Third\"").unwrap() < gallery.find("alt=\"First\"").unwrap(), "{gallery}");
    assert!(!gallery.contains("alt=\"Second\""));
    assert_eq!(gallery.matches("<li><figure>").count(), 2);
    assert!(gallery.contains("class=\"gallery-link\"") && gallery.contains("loading=\"lazy\""));
    assert!(gallery.contains("srcset=\"/media/") && gallery.contains("(Open photo 1 of 2)"));
    assert!(
        gallery.contains("Delegates at the opening session. <span class=\"credit\">Photo: J. Doe</span>")
    );
    assert!(gallery.contains("data-previous=\"Previous photo\""), "the viewer's labels");

    // In Russian: the photos' Russian texts where they have them.
    let ru_form = [
        ("csrf", csrf.as_str()),
        ("lang", "ru"),
        ("title", "Фоторепортаж"),
        ("lead", "Материал с галереей."),
        ("body", "<p>Текст.</p>"),
        ("section", section.as_str()),
        ("publish_at", ""),
        ("action", "publish"),
        ("lead_image", ""),
    ];
    let r = editor.post("/admin/articles", &ru_form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let ru = article_id(&r);
    let ru_path = format!("/admin/articles/{ru}/gallery");
    assert_eq!(
        editor.post(&ru_path, &[("csrf", csrf.as_str()), ("was", ""), ("add", &s1)]).await.status(),
        303
    );
    let saved = s
        .state
        .store
        .update_media_text(
            p1,
            Some("ru"),
            "Первая",
            "Делегаты на открытии.",
            "И. Иванов",
            None,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    assert_eq!(saved, newsdesk::storage::media::TextEdit::Saved);
    s.state.content_changed();
    let page = s.page(&public_path(&s, ru).await).await;
    let gallery = between(&page, "<section class=\"gallery\"", "</section>");
    assert!(gallery.contains("alt=\"Первая\"") && gallery.contains("Делегаты на открытии."), "{gallery}");
    assert!(gallery.contains("Фото: И. Иванов") && gallery.contains("data-close=\"Закрыть\""), "{gallery}");

    // Two people saving at once from the same page: one lands, the other is told.
    let first = [("csrf", csrf.as_str()), ("was", now.as_str()), ("add", s2.as_str())];
    let second = [("csrf", csrf.as_str()), ("was", now.as_str()), ("remove", s3.as_str())];
    let (r1, r2) = tokio::join!(editor.post(&path, &first), editor.post(&path, &second));
    let mut statuses = [r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409]);
    let after = s.state.store.gallery_ids(a).await.unwrap();
    assert!(after == [p3, p1, p2] || after == [p1], "one whole change, not a mix: {after:?}");

    // Authors may not arrange what they may not edit; every change is audited.
    let author = sign_in(&s, "author@example.org", Role::Author).await;
    let a_csrf = library_csrf(&author).await;
    let r = author.post(&path, &[("csrf", a_csrf.as_str()), ("was", now.as_str())]).await;
    assert_eq!(r.status(), 403);
    let audit = s.state.store.audit_log(None, None, 50).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "gallery.set").count(), 4);
    s.stop().await;
}

on_both_backends!(a_gallery_is_arranged_and_shown_in_the_reader_s_language);
