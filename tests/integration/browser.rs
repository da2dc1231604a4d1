//! The back office end to end in a real headless Chromium, driven over WebDriver
//! (`webdriver.rs`), against the real server on SQLite: signing in, writing in the rich-text
//! editor (a paste from a word processor and a real Word document included), publishing, previewing, what an author may
//! not do, and a wrong password.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`, `/usr/bin/chromedriver`).
//! Without them each test prints a loud SKIPPED line; under `CI=true` it fails instead. When a
//! test fails, a screenshot and the page's DOM are saved under `$TMPDIR/newsdesk-browser-tests/`
//! and the screenshot's path is printed.

use crate::harness::{Backend, TestServer, between};
use crate::webdriver::{Browser, Element};
use newsdesk::domain::Status;
use newsdesk::domain::user::Role;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "long enough password";

/// The longest a browser test may take before it is failed (each normally takes a few seconds).
const LIMIT: Duration = Duration::from_secs(90);

/// A fragment as a word processor puts it on the clipboard: structure worth keeping, inline
/// styles and a script that must go.
const PASTED_HTML: &str = concat!(
    r#"<h2>Heading</h2><p><b>bold</b> and <i>italic</i> <a href="https://example.org/">link</a></p>"#,
    r#"<ul><li>one</li><li>two</li></ul>"#,
    r#"<p style="color:red;font-family:Comic Sans"><span style="font-size:40px">styled</span></p>"#,
    r#"<script>alert(1)</script>"#,
);

/// A running server and a browser pointed at it.
struct Desk {
    server: TestServer,
    browser: Browser,
}

impl Desk {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    async fn add_user(&self, email: &str, name: &str, role: Role) -> i64 {
        let hash = newsdesk::accounts::hash_password(PASSWORD).expect("hash the test password");
        self.server
            .state
            .store
            .create_user(email, name, role, Some(&hash), jiff::Timestamp::now())
            .await
            .expect("create test user")
    }

    /// Fills in and sends the sign-in form (the outcome is for the caller to check).
    async fn submit_login(&self, email: &str, password: &str) {
        let b = &self.browser;
        b.goto(&self.url("/admin/login")).await;
        b.send_keys(&b.find("#email").await, email).await;
        b.send_keys(&b.find("#password").await, password).await;
        b.click(&b.find(r#"form[action="/admin/login"] button[type=submit]"#).await).await;
    }

    /// Signs in through the form and waits for the dashboard.
    async fn sign_in(&self, email: &str, name: &str) {
        self.submit_login(email, PASSWORD).await;
        let b = &self.browser;
        b.wait_until("return location.pathname === '/admin'", "the dashboard after signing in").await;
        let header = b.text(&b.find(".admin-bar").await).await;
        assert!(header.contains(name), "the signed-in header names {name}; it says: {header:?}");
    }

    /// Opens "New article" from the navigation and waits for the rich-text editor.
    async fn open_new_article(&self) {
        let b = &self.browser;
        let link = b.find(r#"nav.admin-nav a[href="/admin/articles/new"]"#).await;
        assert_eq!(b.text(&link).await, "New article", "the navigation offers \"New article\"");
        b.click(&link).await;
        b.wait_for_url("/admin/articles/new").await;
        wait_for_editor(b).await;
    }

    /// Types a title and a lead into the editor form.
    /// Opens a new article and types its title, lead and a line of text.
    async fn write_new(&self, title: &str, lead: &str, text: &str) {
        self.open_new_article().await;
        self.type_title_and_lead(title, lead).await;
        let b = &self.browser;
        let editor = b.find("#body-editor .ql-editor").await;
        b.click(&editor).await;
        b.send_keys(&editor, text).await;
    }

    /// Presses Publish, confirms, and waits for the saved page; returns its address.
    async fn publish(&self) -> String {
        let b = &self.browser;
        b.click(&b.find("button[name=action][value=publish]").await).await;
        b.wait_for_alert().await;
        b.accept_alert().await;
        b.wait_for_url("saved=published").await
    }

    async fn type_title_and_lead(&self, title: &str, lead: &str) {
        let b = &self.browser;
        b.send_keys(&b.find("#title").await, title).await;
        b.send_keys(&b.find("#lead").await, lead).await;
    }
}

/// A PNG photo (a colour gradient) of the given size in a temporary folder, for a file input;
/// the folder lives as long as the first value.
fn gradient_photo(name: &str, width: u32, height: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let photo = dir.path().join(name);
    let gradient = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 120])
    });
    gradient.save(&photo).expect("write the test photo");
    (dir, photo)
}

/// Waits until Quill has replaced the plain body field.
async fn wait_for_editor(b: &Browser) -> Element {
    let editor = b.wait_for("#body-editor .ql-editor").await;
    b.wait_until("return !!window.newsdeskEditor", "the Quill editor (window.newsdeskEditor)").await;
    let body_hidden = b.execute("return document.getElementById('body').hidden", vec![]).await;
    assert_eq!(body_hidden, json!(true), "with script on, the plain #body field is hidden behind Quill");
    editor
}

async fn buttons(b: &Browser, value: &str) -> usize {
    b.find_all(&format!("button[name=action][value={value}]")).await.len()
}

/// What a piece of HTML in the page contains, read through the DOM.
const STRUCTURE: &str = r#"
    const root = document.querySelector(arguments[0]);
    if (!root) return null;
    const texts = (css) => [...root.querySelectorAll(css)].map((e) => e.textContent.trim());
    return {
        html: root.innerHTML,
        headings: texts('h2'),
        items: texts('li'),
        bullet_items: texts('ul > li, li[data-list=bullet]'),
        bold: texts('strong, b'),
        italic: texts('em, i'),
        links: [...root.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent.trim()]),
        styled: [...root.querySelectorAll('[style]')].map((e) => e.outerHTML),
        scripts: root.querySelectorAll('script').length,
        text: root.textContent,
    };
"#;

/// Checks that pasted or published HTML kept the fragment's structure and lost its styles.
fn assert_clean_structure(found: &Value, place: &str) {
    let list = |key: &str| -> Vec<String> {
        found[key]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or("").to_string()).collect())
            .unwrap_or_default()
    };
    let html = found["html"].as_str().unwrap_or_default();
    assert_eq!(list("headings"), ["Heading"], "{place}: the <h2> heading survives; HTML:\n{html}");
    assert_eq!(list("bullet_items"), ["one", "two"], "{place}: the bulleted list survives; HTML:\n{html}");
    assert_eq!(list("bold"), ["bold"], "{place}: bold survives; HTML:\n{html}");
    assert_eq!(list("italic"), ["italic"], "{place}: italic survives; HTML:\n{html}");
    let links = found["links"].as_array().cloned().unwrap_or_default();
    assert_eq!(links, [json!(["https://example.org/", "link"])], "{place}: the link survives; HTML:\n{html}");
    assert!(
        found["text"].as_str().unwrap_or_default().contains("styled"),
        "{place}: styled text is kept as text"
    );
    assert_eq!(
        list("styled"),
        Vec::<String>::new(),
        "{place}: no element keeps an inline style; HTML:\n{html}"
    );
    assert!(!html.contains("style="), "{place}: no style= anywhere; HTML:\n{html}");
    assert!(
        !html.contains("Comic") && !html.contains("font-size"),
        "{place}: pasted fonts dropped; HTML:\n{html}"
    );
    assert_eq!(found["scripts"], json!(0), "{place}: no <script> element; HTML:\n{html}");
    assert!(!html.to_lowercase().contains("<script"), "{place}: no <script markup; HTML:\n{html}");
}

/// Runs one browser test: a headless Chromium and a fresh server on SQLite. When the scenario
/// panics or runs out of time, saves a screenshot (and the DOM) and prints where, then fails.
async fn run<F, Fut>(test: &'static str, backend: Backend, scenario: F)
where
    F: FnOnce(Arc<Desk>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let started = Instant::now();
    let test: &'static str = match backend {
        Backend::Sqlite => test,
        Backend::Postgres => Box::leak(format!("{test}_postgres").into_boxed_str()),
    };
    let Some(browser) = Browser::start(test).await else { return };
    // Without a PostgreSQL server the harness has said loudly that it skipped.
    let Some(server) = TestServer::start(backend).await else { return };
    let desk = Arc::new(Desk { server, browser });
    let mut task = tokio::spawn(scenario(desk.clone()));
    let failure: Option<Option<Box<dyn std::any::Any + Send>>> =
        match tokio::time::timeout(LIMIT, &mut task).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) if e.is_panic() => Some(Some(e.into_panic())),
            Ok(Err(e)) => Some(Some(Box::new(format!("{test}: the test task ended abnormally: {e}")))),
            Err(_) => {
                task.abort();
                let _ = task.await;
                Some(None)
            }
        };
    let Ok(desk) = Arc::try_unwrap(desk) else { panic!("{test}: the scenario still holds the browser") };
    if let Some(payload) = failure {
        match desk.browser.save_debug_files(test).await {
            Ok(path) => eprintln!(
                "\n*** {test} FAILED at {}; screenshot: {} ***\n",
                desk.browser.current_url().await,
                path.display()
            ),
            Err(e) => eprintln!("\n*** {test} FAILED; no screenshot: {e} ***\n"),
        }
        drop(desk);
        match payload {
            Some(p) => std::panic::resume_unwind(p),
            None => panic!("{test} did not finish within {LIMIT:?}"),
        }
    }
    desk.browser.quit().await;
    desk.server.stop().await;
    eprintln!("{test}: passed in {:.1} s", started.elapsed().as_secs_f64());
}

/// An editor signs in, writes an article with a paste from a word processor, publishes it, and
/// readers find it on the public site with the structure kept and the styles and script gone.
async fn editor_pastes_and_publishes(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("erin@example.org", "Erin Editor", Role::Editor).await;
    d.sign_in("erin@example.org", "Erin Editor").await;
    d.open_new_article().await;
    let title = "Council adopts the pasted statement";
    d.type_title_and_lead(title, "What the council decided, pasted from a word processor.").await;

    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    let paste = r#"
        const editor = document.querySelector('#body-editor .ql-editor');
        editor.focus();
        const data = new DataTransfer();
        data.setData('text/html', arguments[0]);
        data.setData('text/plain', 'Heading\nbold and italic link\none\ntwo\nstyled');
        const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        editor.dispatchEvent(event);
        return event.defaultPrevented;
    "#;
    let handled = b.execute(paste, vec![json!(PASTED_HTML)]).await;
    assert_eq!(handled, json!(true), "Quill takes over the paste event (it calls preventDefault)");
    b.wait_until(
        "return !!document.querySelector('#body-editor .ql-editor h2')",
        "the pasted heading to appear in the editor",
    )
    .await;
    let in_editor = b.execute(STRUCTURE, vec![json!("#body-editor .ql-editor")]).await;
    assert_clean_structure(&in_editor, "the editor after the paste");
    let field = b.execute("return document.getElementById('body').value", vec![]).await;
    let field = field.as_str().unwrap_or_default();
    assert!(
        field.contains("<h2>") && field.contains("<li>") && !field.contains("style="),
        "the hidden body field follows the editor as clean HTML: {field}"
    );
    // Tab leaves the text for the next field and inserts nothing; what was typed counts as
    // unsaved until the form is submitted.
    b.send_keys(&editor, "\u{E004}").await;
    let left = b.execute("return document.activeElement.closest('#body-editor') === null", vec![]).await;
    assert_eq!(left, json!(true), "Tab moves the focus out of the editor");
    let field = b.execute("return document.getElementById('body').value", vec![]).await;
    assert!(!field.as_str().unwrap_or_default().contains('\t'), "no tab character in the text");
    assert_eq!(
        b.execute("return window.newsdeskDirty()", vec![]).await,
        json!(true),
        "unsaved changes are known"
    );
    let names = b
        .execute(
            "return [...document.querySelectorAll('.ql-toolbar button')].map((e) => e.getAttribute('aria-label'))",
            vec![],
        )
        .await;
    let names: Vec<String> =
        names.as_array().unwrap().iter().map(|v| v.as_str().unwrap_or("").to_string()).collect();
    for name in ["Bold", "Italic", "Link", "Numbered list", "Bulleted list", "Quote", "Remove formatting"] {
        assert!(names.iter().any(|n| n == name), "every toolbar button is named ({name}): {names:?}");
    }

    assert_eq!(buttons(b, "schedule").await, 1, "an editor may schedule");
    let publish = b.find("button[name=action][value=publish]").await;
    b.click(&publish).await;
    let question = b.wait_for_alert().await;
    assert_eq!(question, "Publish this article now?", "publishing asks first (data-confirm)");
    b.accept_alert().await;
    let edit_url = b.wait_for_url("?saved=").await;
    assert!(edit_url.contains("/admin/articles/"), "back on the edit page after publishing: {edit_url}");
    let notice = b.text(&b.wait_for(".notice[role=status]").await).await;
    assert_eq!(notice, "Published.", "the edit page says what happened");
    let status = b.text(&b.find(".panel .status").await).await;
    assert_eq!(status, "published", "the status panel shows the article as published");

    // Readers: the article is on the home page of its language; open it from there.
    b.goto(&d.url("/en/")).await;
    let link = b
        .execute(
            "return [...document.querySelectorAll('main a')].find((a) => a.textContent.trim() === arguments[0])?.getAttribute('href') ?? null",
            vec![json!(title)],
        )
        .await;
    let Some(href) = link.as_str().map(str::to_string) else {
        panic!("the published article {title:?} is not linked from /en/:\n{}", b.source().await)
    };
    b.click(&b.find(&format!(r#"main a[href="{href}"]"#)).await).await;
    b.wait_for_url(&href).await;
    assert_eq!(b.text(&b.wait_for("article h1").await).await, title, "the public page shows the title");
    let public = b.execute(STRUCTURE, vec![json!(".article-body")]).await;
    assert!(!public.is_null(), "the public page has an .article-body");
    assert_clean_structure(&public, "the public article body");
    assert_eq!(public["bullet_items"], public["items"], "the public list is a plain <ul>, no editor markup");

    // And as served, before any script runs.
    let served = d.server.page(&href).await;
    let body = between(&served, r#"<div class="article-body">"#, "</div>");
    assert!(body.contains("<h2>Heading</h2>") && body.contains("<li>one</li>"), "served body:\n{body}");
    assert!(!body.contains("style=") && !body.to_lowercase().contains("<script"), "served body:\n{body}");
    assert!(!body.contains("&nbsp;"), "spaces stay spaces, so text wraps:\n{body}");
}

/// The preview shows the unsaved text in the public article template, in the window the
/// button opens, and saves nothing.
async fn preview_shows_unsaved_text(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("pat@example.org", "Pat Preview", Role::Editor).await;
    d.sign_in("pat@example.org", "Pat Preview").await;
    d.open_new_article().await;
    let title = "Preview of an unsaved story";
    d.type_title_and_lead(title, "Nothing of this is saved yet.").await;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.send_keys(&editor, "Typed straight into the editor.").await;

    let editor_window = b.window_handle().await;
    let before = b.window_handles().await;
    b.click(&b.find(r#"button[formaction$="/preview"][formtarget=_blank]"#).await).await;
    let start = Instant::now();
    let preview_window = loop {
        let now = b.window_handles().await;
        if let Some(h) = now.iter().find(|h| !before.contains(h)) {
            break h.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(15), "the preview button opened no new window");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    b.switch_to_window(&preview_window).await;
    let url = b.wait_for_url("/preview").await;
    assert!(url.ends_with("/admin/articles/0/preview"), "an unsaved article previews as id 0: {url}");
    assert_eq!(b.text(&b.wait_for("article h1").await).await, title, "the preview shows the unsaved title");
    let lead = b.text(&b.find(".article-lead").await).await;
    assert_eq!(lead, "Nothing of this is saved yet.", "the preview shows the lead");
    let banner = b.text(&b.find(".preview-banner[role=status]").await).await;
    assert!(banner.starts_with("Preview — not published."), "a preview says it is one: {banner:?}");
    let body = b.text(&b.find(".article-body").await).await;
    assert!(body.contains("Typed straight into the editor."), "the preview shows the typed body: {body:?}");
    assert!(
        b.title().await.contains(title),
        "the preview's <title> names the article: {:?}",
        b.title().await
    );

    b.switch_to_window(&editor_window).await;
    let url = b.current_url().await;
    assert!(url.ends_with("/admin/articles/new"), "the editor stays where it was: {url}");
    b.goto(&d.url("/admin/articles")).await;
    let list = b.source().await;
    assert!(!list.contains(title), "previewing saved nothing, yet the list shows the article:\n{list}");
}

/// What is typed is autosaved within seconds; after the editor's tab is lost (a crash, a
/// closed window) the text is offered back in a new one, brought back, and saved for real.
async fn typing_survives_a_lost_tab(d: Arc<Desk>) {
    let b = &d.browser;
    let user = d.add_user("ada@example.org", "Ada Autosave", Role::Editor).await;
    d.sign_in("ada@example.org", "Ada Autosave").await;
    d.open_new_article().await;
    let title = "Statement typed before the crash";
    d.type_title_and_lead(title, "Kept by the autosave.").await;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.send_keys(&editor, "Every word of this paragraph was typed and never saved.").await;
    b.wait_until(
        "return (document.getElementById('autosave-status') || {}).textContent.startsWith('Autosaved at')",
        "the autosave status saying \"Autosaved at …\"",
    )
    .await;
    let kept = d.server.state.store.autosave(user, 0).await.expect("read the autosave");
    let kept = kept.expect("the server keeps the typed form");
    assert!(
        kept.form.contains(title) && kept.form.contains("never saved"),
        "it holds what was typed: {}",
        kept.form
    );
    let articles = d.server.state.store.editorial_list(&Default::default(), 10, 0).await.expect("list").1;
    assert_eq!(articles, 0, "an autosave creates no article");

    // The tab is lost: a new window opens the editor again, and the old one goes without asking.
    let lost = b.window_handle().await;
    b.execute("window.open(arguments[0], '_blank')", vec![json!(d.url("/admin/articles/new"))]).await;
    let fresh = b.window_handles().await.into_iter().find(|h| *h != lost).expect("a new window");
    b.close_window().await;
    b.switch_to_window(&fresh).await;
    wait_for_editor(b).await;
    let offer = b.text(&b.find(".notice.unsaved").await).await;
    assert!(offer.contains("You have text you did not save"), "the editor offers the text back: {offer:?}");
    b.click(&b.find(r#".notice.unsaved a[href="/admin/articles/new?recover=1"]"#).await).await;
    b.wait_for_url("recover=1").await;
    let editor = wait_for_editor(b).await;
    let title_now = b.execute("return document.getElementById('title').value", vec![]).await;
    assert_eq!(title_now, json!(title), "the title is back in the form");
    let text = b.text(&editor).await;
    assert!(text.contains("typed and never saved"), "the text is back in the editor: {text:?}");
    b.click(&b.find("button[name=action][value=save]").await).await;
    let url = b.wait_for_url("saved=saved").await;
    let id: i64 = between(&url, "/admin/articles/", "?").parse().expect("the new article's id");
    let article = d.server.state.store.article_by_id(id).await.expect("read").expect("saved");
    assert_eq!(article.title, title);
    assert!(article.body_html.contains("typed and never saved"), "saved body: {}", article.body_html);
    let left = d.server.state.store.autosave(user, 0).await.expect("read the autosave");
    assert!(left.is_none(), "saving spends the autosave");
    assert!(b.try_find(".notice.unsaved").await.is_none(), "nothing is offered back after saving");
}

/// The server cannot be reached while a press officer types: the autosave fails and says so,
/// the browser keeps a copy, and after the tab is lost the copy is offered back and saved.
async fn typing_survives_the_network_going_down(d: Arc<Desk>) {
    let b = &d.browser;
    let user = d.add_user("olga@example.org", "Olga Offline", Role::Editor).await;
    d.sign_in("olga@example.org", "Olga Offline").await;
    d.open_new_article().await;
    // The network goes: every request from the page fails from now on.
    b.execute(
        "window.fetch = () => Promise.reject(new TypeError('offline')); navigator.sendBeacon = () => false;",
        vec![],
    )
    .await;
    let title = "Statement typed offline";
    d.type_title_and_lead(title, "Typed while the server was unreachable.").await;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.send_keys(&editor, "This paragraph never reached the server.").await;
    b.execute("window.newsdeskAutosave.now()", vec![]).await;
    b.wait_until(
        "return document.getElementById('autosave-status').classList.contains('failed')",
        "the autosave status to say it failed",
    )
    .await;
    let kept =
        b.execute("return localStorage.getItem('newsdesk:unsaved:/admin/articles/0/autosave')", vec![]).await;
    let kept = kept.as_str().unwrap_or_default().to_string();
    assert!(
        kept.contains("never+reached") || kept.contains("never%20reached"),
        "the browser keeps a copy: {kept}"
    );
    assert!(d.server.state.store.autosave(user, 0).await.unwrap().is_none(), "nothing reached the server");

    // The tab is lost; a new one (the network back) offers the browser's copy.
    let lost = b.window_handle().await;
    b.execute("window.open(arguments[0], '_blank')", vec![json!(d.url("/admin/articles/new"))]).await;
    let fresh = b.window_handles().await.into_iter().find(|h| *h != lost).expect("a new window");
    b.close_window().await;
    b.switch_to_window(&fresh).await;
    wait_for_editor(b).await;
    let offer = b.text(&b.wait_for(".notice.unsaved").await).await;
    assert!(offer.contains("This browser kept text typed here"), "the copy is offered: {offer:?}");
    b.click(&b.find(".notice.unsaved button:not(.secondary)").await).await;
    let title_now = b.execute("return document.getElementById('title').value", vec![]).await;
    assert_eq!(title_now, json!(title), "the title is back");
    let text = b.text(&b.find("#body-editor .ql-editor").await).await;
    assert!(text.contains("never reached the server"), "the text is back: {text:?}");
    b.click(&b.find("button[name=action][value=save]").await).await;
    let url = b.wait_for_url("saved=saved").await;
    let id: i64 = between(&url, "/admin/articles/", "?").parse().expect("the new article's id");
    let article = d.server.state.store.article_by_id(id).await.unwrap().expect("saved");
    assert!(article.body_html.contains("never reached the server"), "saved: {}", article.body_html);
    let left =
        b.execute("return localStorage.getItem('newsdesk:unsaved:/admin/articles/0/autosave')", vec![]).await;
    assert_eq!(left, Value::Null, "saving forgets the browser's copy");
}

/// What assistive technology would call the focused element, or `null` when it has no name.
const ACCESSIBLE_NAME: &str = r#"
    const el = arguments[0];
    const text = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const labelled = el.getAttribute('aria-labelledby');
    const name = text(el.getAttribute('aria-label'))
        || (labelled ? text(labelled.split(' ').map((id) => document.getElementById(id)?.textContent).join(' ')) : '')
        || (el.labels && el.labels.length ? text(el.labels[0].textContent) : '')
        || text(el.getAttribute('title'))
        || (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? text(el.textContent) : '');
    return name || null;
"#;

/// Presses Tab until the focus is on an element matching `css`, checking that every control
/// passed on the way has a name; panics after `max` presses.
async fn tab_to(b: &Browser, css: &str, max: usize) -> Element {
    for _ in 0..max {
        let el = b.active().await;
        let here = b.execute("return arguments[0].matches(arguments[1])", vec![el.arg(), json!(css)]).await;
        if here == json!(true) {
            return el;
        }
        let tag = b.execute("return arguments[0].tagName", vec![el.arg()]).await;
        if tag != json!("BODY") {
            let name = b.execute(ACCESSIBLE_NAME, vec![el.arg()]).await;
            let html = b.execute("return arguments[0].outerHTML.slice(0, 200)", vec![el.arg()]).await;
            assert!(name.is_string(), "every control reached by Tab has a name: {html}");
        }
        b.press("\u{E004}").await;
    }
    panic!("{css:?} not reached within {max} presses of Tab on {}", b.current_url().await)
}

/// From the dashboard to a published article with the keyboard alone: Tab to "New article",
/// Enter, type into each field (Tab leaves the text box), Tab to Publish, Enter, confirm.
async fn keyboard_alone_goes_from_new_article_to_published(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("kim@example.org", "Kim Keyboard", Role::Editor).await;
    d.sign_in("kim@example.org", "Kim Keyboard").await;
    b.goto(&d.url("/admin")).await;
    let new = tab_to(b, r#"nav.admin-nav a[href="/admin/articles/new"]"#, 40).await;
    b.send_keys(&new, "\u{E007}").await;
    b.wait_for_url("/admin/articles/new").await;
    wait_for_editor(b).await;
    let title = tab_to(b, "#title", 60).await;
    b.send_keys(&title, "Typed with the keyboard alone").await;
    let lead = tab_to(b, "#lead", 3).await;
    b.send_keys(&lead, "No mouse was used.").await;
    let text = tab_to(b, "#body-editor .ql-editor", 30).await;
    b.send_keys(&text, "Every control was reached with Tab.").await;
    // The documented key puts a tab character in the text where one is wanted.
    b.send_keys(&text, "\u{E009}m").await;
    b.send_keys(&text, "(after a tab)").await;
    // Tab leaves the text box for the next field.
    b.send_keys(&text, "\u{E004}").await;
    let left = b.execute("return document.activeElement.closest('#body-editor') === null", vec![]).await;
    assert_eq!(left, json!(true), "Tab leaves the text box");
    let publish = tab_to(b, "button[name=action][value=publish]", 40).await;
    b.send_keys(&publish, "\u{E007}").await;
    assert_eq!(b.wait_for_alert().await, "Publish this article now?");
    b.accept_alert().await;
    b.wait_for_url("?saved=published").await;
    assert_eq!(b.text(&b.wait_for(".notice[role=status]").await).await, "Published.");
    let list = d.server.state.store.articles_after(0, 10).await.unwrap();
    let article = list.iter().find(|a| a.title == "Typed with the keyboard alone").expect("saved");
    assert_eq!(article.status, Status::Published);
    assert!(article.body_html.contains("Every control was reached with Tab."), "{}", article.body_html);
    assert_eq!(
        article.body_html.matches('\t').count(),
        1,
        "only the tab asked for with Ctrl+M: {}",
        article.body_html
    );
    assert!(article.body_html.contains("Tab.\t(after a tab)"), "{}", article.body_html);
}

/// The lead photo is uploaded from the editor itself: it joins the picker, is chosen and shown,
/// and the saved article has it, all without leaving the page or losing what was typed.
async fn a_lead_photo_is_uploaded_from_the_editor(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("lea@example.org", "Lea Lead", Role::Editor).await;
    d.sign_in("lea@example.org", "Lea Lead").await;
    d.open_new_article().await;
    d.type_title_and_lead("Harbour reopens", "With a photo uploaded in the editor.").await;
    let (_dir, photo) = gradient_photo("harbour.png", 320, 240);
    let page = b.current_url().await;
    b.send_keys(&b.find("#lead-upload-file").await, &photo.display().to_string()).await;
    b.send_keys(&b.find("#lead-upload-alt").await, "Ships in the reopened harbour").await;
    b.click(&b.find("#lead-upload-go").await).await;
    b.wait_until(
        "return document.getElementById('lead-upload-status').textContent.includes('chosen as the lead photo')",
        "the upload to finish and say so",
    )
    .await;
    assert_eq!(b.current_url().await, page, "the editor never left the page");
    let chosen = b.execute("return document.getElementById('lead_image').value", vec![]).await;
    let id: i64 = chosen.as_str().unwrap_or_default().parse().expect("the new photo is chosen");
    b.wait_until(
        "const i = document.getElementById('lead-image-preview'); return !!i && !i.hidden && i.complete && i.naturalWidth > 0",
        "the chosen photo's thumbnail to show",
    )
    .await;
    let title = b.execute("return document.getElementById('title').value", vec![]).await;
    assert_eq!(title, json!("Harbour reopens"), "what was typed is still there");
    b.click(&b.find("button[name=action][value=save]").await).await;
    let url = b.wait_for_url("saved=saved").await;
    let article: i64 = between(&url, "/admin/articles/", "?").parse().expect("the article's id");
    assert_eq!(d.server.state.store.lead_image_id(article).await.unwrap(), Some(id), "saved with the photo");
    let media = d.server.state.store.media_by_id(id).await.unwrap().expect("in the library");
    assert_eq!(media.alt, "Ships in the reopened harbour", "with its description");
}

/// Review in the browser: an author submits a draft, an editor sends it back with a note from
/// the editor's thread, and the author finds the note on the dashboard and beside the text.
async fn a_draft_is_sent_back_with_a_note(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("ari@example.org", "Ari Author", Role::Author).await;
    d.add_user("eve@example.org", "Eve Editor", Role::Editor).await;
    d.sign_in("ari@example.org", "Ari Author").await;
    d.write_new("Draft for review", "Please check the figures.", "The budget grew by 42 per cent.").await;
    b.click(&b.find("button[name=action][value=submit]").await).await;
    b.wait_for_url("saved=submitted").await;
    let sign_out = b.find("form[action='/admin/logout'] button").await;
    b.click(&sign_out).await;
    b.wait_until("return location.pathname.startsWith('/admin/login')", "the sign-in page").await;

    d.sign_in("eve@example.org", "Eve Editor").await;
    let find_draft = "return [...document.querySelectorAll('main a')].find((a) => a.textContent.trim() === 'Draft for review')?.getAttribute('href') ?? null";
    let href = b.execute(find_draft, vec![]).await;
    let href = href.as_str().expect("the dashboard lists the draft awaiting review").to_string();
    b.click(&b.find(&format!("main a[href='{href}']")).await).await;
    wait_for_editor(b).await;
    b.send_keys(&b.find("#comment").await, "Please give the source of the 42 per cent.").await;
    b.click(&b.find("button[formaction$='/send-back']").await).await;
    b.wait_for_url("saved=sent-back").await;
    assert_eq!(b.text(&b.wait_for(".notice[role=status]").await).await, "Sent back to the author.");
    b.click(&b.find("form[action='/admin/logout'] button").await).await;
    b.wait_until("return location.pathname.startsWith('/admin/login')", "the sign-in page").await;

    d.sign_in("ari@example.org", "Ari Author").await;
    let main = b.text(&b.find("main").await).await;
    assert!(main.contains("About your articles"), "the dashboard has news for the author: {main}");
    assert!(main.contains("Please give the source of the 42 per cent."), "with the editor's note: {main}");
    let href = b.execute(find_draft, vec![]).await;
    let href = href.as_str().expect("the notice links to the draft").to_string();
    b.click(&b.find(&format!("main a[href='{href}']")).await).await;
    wait_for_editor(b).await;
    let thread = b.text(&b.find("ol.notes").await).await;
    assert!(
        thread.contains("Sent back") && thread.contains("Eve Editor"),
        "the thread beside the text: {thread}"
    );
}

/// An editor publishes a story, translates it beside the source (the translation starts empty)
/// and later corrects the original with a public note that readers see under it.
async fn a_story_is_translated_and_corrected(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("tom@example.org", "Tom Translator", Role::Editor).await;
    d.sign_in("tom@example.org", "Tom Translator").await;
    d.write_new("Ministers meet in Minsk", "The ministers met.", "The meeting lasted two hours.").await;
    let source_url = d.publish().await;

    // Translate: an empty form beside the source.
    b.click(&b.find("form[action$='/translate'] button").await).await;
    b.wait_for_url("translation_of=").await;
    wait_for_editor(b).await;
    let panel = b.text(&b.find(".source-panel").await).await;
    assert!(panel.contains("The meeting lasted two hours."), "the source is shown beside: {panel}");
    let empty = b
        .execute(
            "return [document.getElementById('title').value, document.getElementById('body').value]",
            vec![],
        )
        .await;
    assert_eq!(empty, json!(["", ""]), "the translation starts empty");
    b.send_keys(&b.find("#title").await, "Министры встретились в Минске").await;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.send_keys(&editor, "Встреча длилась два часа.").await;
    b.click(&b.find("button[name=action][value=save]").await).await;
    b.wait_for_url("saved=saved").await;
    let saved = d.server.state.store.articles_after(0, 10).await.unwrap();
    let ru = saved.iter().find(|a| a.lang.as_str() == "ru").expect("the translation is saved");
    assert_eq!(ru.slug, "ministry-vstretilis-v-minske", "with its own address");

    // A correction of the original, shown to readers.
    b.goto(&source_url).await;
    wait_for_editor(b).await;
    let status = b.text(&b.find(&format!("a[href='/admin/articles/{}']", ru.id)).await).await;
    assert_eq!(status, "draft", "the source's editor lists the translation as a draft, not outdated");
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.execute("window.newsdeskEditor.setText('The meeting lasted three hours.', 'user')", vec![]).await;
    b.send_keys(&b.find("#correction").await, "The meeting lasted three hours, not two.").await;
    b.click(&b.find("button[name=action][value=save]").await).await;
    b.wait_for_url("saved=corrected").await;
    let en = saved.iter().find(|a| a.lang.as_str() == "en").expect("the original");
    b.goto(&d.url(&format!("/en/news/{}", en.slug))).await;
    let corrections = b.text(&b.wait_for("section.corrections").await).await;
    assert!(
        corrections.contains("The meeting lasted three hours, not two."),
        "readers see it: {corrections}"
    );
}

/// A photo inserted into the text from the editor, with its description, caption and credit,
/// goes on a line of its own and is published and served to readers as a figure with every
/// variant (`srcset`), its dimensions, its description and its caption.
async fn a_photo_goes_into_the_text(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("pia@example.org", "Pia Photo", Role::Editor).await;
    d.sign_in("pia@example.org", "Pia Photo").await;
    d.write_new("Harbour in pictures", "A photo in the text.", "Before the photo.").await;
    let (_dir, photo) = gradient_photo("quay.png", 1600, 900);
    b.click(&b.find(".ql-toolbar button.ql-image").await).await;
    b.send_keys(&b.find("#text-photo-file").await, &photo.display().to_string()).await;
    // Without a description it is refused in words.
    b.click(&b.find("#text-photo-go").await).await;
    let said = b.text(&b.find("#text-photo-status").await).await;
    assert!(said.contains("Describe the photo first"), "{said}");
    b.send_keys(&b.find("#text-photo-alt").await, "The quay at dawn").await;
    b.send_keys(&b.find("#text-photo-caption").await, "Fishing boats come in.").await;
    b.send_keys(&b.find("#text-photo-credit").await, "Pia Photo").await;
    b.click(&b.find("#text-photo-go").await).await;
    b.wait_until(
        "return !!document.querySelector('#body-editor .ql-editor img[alt=\"The quay at dawn\"]')",
        "the photo with its description in the text",
    )
    .await;
    let field = b.execute("return document.getElementById('body').value", vec![]).await;
    let field = field.as_str().unwrap_or_default();
    assert!(field.contains("alt=\"The quay at dawn\""), "the form carries it: {field}");
    assert!(field.contains("<p>Before the photo.</p><p><img "), "on a line of its own: {field}");
    d.publish().await;
    // A photo dropped on the text opens the same panel with the file chosen, asking for its
    // description; its bytes never go into the text.
    let dropped = r#"
        const png = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([png], 'dropped.png', { type: 'image/png' }));
        document.getElementById('text-photo').hidden = true;
        const event = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
        document.querySelector('#body-editor .ql-editor').dispatchEvent(event);
        return [event.defaultPrevented, document.getElementById('text-photo').hidden,
                document.getElementById('text-photo-file').files[0]?.name ?? null,
                document.activeElement.id];
    "#;
    let tiny_png =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    let state = b.execute(dropped, vec![json!(tiny_png)]).await;
    assert_eq!(state, json!([true, false, "dropped.png", "text-photo-alt"]), "the drop opens the panel");
    let served = d.server.page("/en/news/harbour-in-pictures").await;
    let body = between(&served, r#"<div class="article-body">"#, "</div>");
    assert!(body.contains("alt=\"The quay at dawn\""), "{body}");
    assert!(
        body.contains("srcset=\"/media/") && body.contains(" 480w") && body.contains("loading=\"lazy\""),
        "{body}"
    );
    assert!(
        body.contains("width=\"") && body.contains("height=\""),
        "dimensions keep the page steady: {body}"
    );
    assert!(
        body.contains("<figure class=\"photo\"><img ")
            && body.contains("<figcaption>Fishing boats come in. <span class=\"credit\">Photo: Pia Photo</span></figcaption>"),
        "with its caption and credit: {body}"
    );
}

/// An author writes a draft and finds no way to publish: no buttons, and a forged request
/// with a valid CSRF token is refused.
async fn author_cannot_publish(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("ann@example.org", "Ann Author", Role::Author).await;
    d.sign_in("ann@example.org", "Ann Author").await;
    d.open_new_article().await;
    for action in ["publish", "schedule", "unpublish"] {
        assert_eq!(buttons(b, action).await, 0, "an author's new article offers no {action} button");
    }
    assert_eq!(buttons(b, "submit").await, 1, "an author may submit for review");
    let title = "Draft by an author";
    d.type_title_and_lead(title, "Waiting for an editor.").await;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    b.send_keys(&editor, "The author's own words.").await;
    b.click(&b.find("button[name=action][value=save]").await).await;
    let url = b.wait_for_url("?saved=").await;
    let id: i64 =
        between(&url, "/admin/articles/", "?").parse().unwrap_or_else(|_| panic!("article id in {url}"));
    for action in ["publish", "schedule", "unpublish"] {
        assert_eq!(buttons(b, action).await, 0, "an author's saved draft offers no {action} button");
    }

    // Forge what the missing button would send, with the form's own CSRF token.
    let forge_script = r#"
        const form = document.getElementById('article-form');
        const data = new URLSearchParams(new FormData(form));
        if (!data.get('csrf')) return 'no csrf token in the form';
        data.set('action', arguments[1]);
        const response = await fetch(arguments[0] || form.getAttribute('action'), { method: 'POST', body: data });
        return { status: response.status, text: (await response.text()).slice(0, 2000) };
    "#;
    let forge = |path: Option<&str>, action: &str| {
        let args = vec![json!(path), json!(action)];
        async move {
            let answer = b.execute(forge_script, args).await;
            (
                answer["status"].as_u64().unwrap_or(0),
                answer["text"].as_str().unwrap_or("").to_string(),
                answer,
            )
        }
    };
    for action in ["publish", "schedule"] {
        let (status, text, _) = forge(None, action).await;
        assert_eq!(
            status, 403,
            "a forged action={action} on the saved draft is refused; it answered:\n{text}"
        );
        let (status, text, _) = forge(Some("/admin/articles"), action).await;
        assert_eq!(status, 403, "a forged new article with action={action} is refused; it answered:\n{text}");
    }
    // The token itself was good: the same request saving is accepted.
    let (status, text, answer) = forge(None, "save").await;
    assert_eq!(
        status, 200,
        "the same request with action=save goes through, so the 403s were the role: {answer}"
    );
    assert!(text.contains("Saved."), "the save lands on the edit page with its notice:\n{text}");

    let article = d.server.state.store.article_by_id(id).await.expect("store").expect("the draft exists");
    assert_eq!(article.status, Status::Draft, "the article stays a draft");
    assert_eq!(article.title, title);
    let public = d.server.get(&format!("/en/news/{}", article.slug)).await;
    assert_eq!(public.status(), 404, "the draft is not on the public site");
    assert!(!d.server.page("/en/").await.contains(title), "the draft is not on the home page");
}

/// A wrong password shows the error and starts no session.
async fn wrong_password_is_refused(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("wes@example.org", "Wes Wrong", Role::Editor).await;
    d.submit_login("wes@example.org", "not the password at all").await;
    let error = b.text(&b.wait_for(".error[role=alert]").await).await;
    assert_eq!(error, "Wrong e-mail or password.", "the sign-in page explains");
    let url = b.current_url().await;
    assert!(url.ends_with("/admin/login"), "still on the sign-in page: {url}");
    let cookies = b.cookies().await;
    assert!(
        !cookies.iter().any(|c| c["name"] == "newsdesk_session"),
        "no session cookie after a wrong password: {cookies:?}"
    );
    b.goto(&d.url("/admin/articles")).await;
    let url = b.current_url().await;
    assert!(url.contains("/admin/login?next="), "the back office still sends to sign in: {url}");
    assert!(b.try_find("nav.admin-nav").await.is_none(), "no back-office navigation without a session");
}

/// An editor uploads a photo in the media library, when the site has one.
async fn editor_uploads_a_photo(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("mia@example.org", "Mia Media", Role::Editor).await;
    d.sign_in("mia@example.org", "Mia Media").await;
    // The library must be there: a broken media route fails this test rather than skipping it.
    let status = b.execute("return fetch('/admin/media').then((r) => r.status)", vec![]).await;
    assert_eq!(status, json!(200), "GET /admin/media in the browser");
    b.goto(&d.url("/admin/media")).await;
    let images_before = b.find_all("main img").await.len();
    let (_dir, photo) = gradient_photo("harbour.png", 320, 240);
    let input = b.find("input[type=file]").await;
    b.send_keys(&input, &photo.display().to_string()).await;
    if let Some(alt) = b.try_find("#media-alt").await {
        b.send_keys(&alt, "A gradient standing in for a harbour photo").await;
    }
    let submitted = b
        .execute(
            "const f = arguments[0].form; const s = f && f.querySelector('button[type=submit], button:not([type]), input[type=submit]'); if (s) { s.click(); return true; } return false;",
            vec![input.arg()],
        )
        .await;
    assert_eq!(submitted, json!(true), "the file input sits in a form with a submit button");
    b.wait_until(
        &format!("return document.readyState === 'complete' && document.querySelectorAll('main img').length > {images_before}"),
        "the uploaded photo to appear in the media library",
    )
    .await;
    let error = b.try_find(".error[role=alert]").await;
    if let Some(e) = error {
        panic!("the upload shows an error: {:?}", b.text(&e).await);
    }
    assert!(b.source().await.contains("harbour.png"), "the library names the uploaded file");
    b.wait_until(
        "return [...document.querySelectorAll('main img')].every((i) => i.complete && i.naturalWidth > 0)",
        "every photo in the library to load in the browser (thumbnails served and decodable)",
    )
    .await;
}

/// A real Word document (`.docx`, written by LibreOffice from `tests/fixtures/word/statement.html`)
/// converted to HTML by LibreOffice, as a press officer would paste it: `None`, after a loud
/// SKIPPED line, when LibreOffice is not installed outside CI (under `CI=true` it fails).
fn word_document_as_html(test: &str) -> Option<String> {
    let soffice =
        ["/usr/bin/soffice", "/usr/bin/libreoffice"].into_iter().find(|p| std::path::Path::new(p).exists());
    let Some(soffice) = soffice else {
        let why = "LibreOffice (Debian's libreoffice-writer-nogui) is not installed";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but {why}; .ci/run installs it");
        }
        crate::harness::say_skipped(&format!("browser test {test}: {why}."));
        return None;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/word/statement.html");
    let convert = |args: &[&str]| {
        let out = std::process::Command::new(soffice)
            .arg(format!("-env:UserInstallation=file://{}/profile", dir.path().display()))
            .args(["--headless", "--norestore"])
            .args(args)
            .arg("--outdir")
            .arg(dir.path())
            .output()
            .expect("LibreOffice runs");
        assert!(out.status.success(), "LibreOffice {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    convert(&[
        "--infilter=HTML (StarWriter)",
        "--convert-to",
        "docx:MS Word 2007 XML",
        source.to_str().unwrap(),
    ]);
    let docx = dir.path().join("statement.docx");
    assert!(docx.exists(), "the Word document was written");
    let html_dir = dir.path().join("html");
    std::fs::create_dir_all(&html_dir).unwrap();
    let out = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}/profile", dir.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "html", "--outdir"])
        .arg(&html_dir)
        .arg(&docx)
        .output()
        .expect("LibreOffice runs");
    assert!(out.status.success(), "LibreOffice to HTML: {}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(html_dir.join("statement.html")).expect("LibreOffice wrote HTML");
    assert!(
        html.contains("LibreOffice") && html.contains("<table"),
        "converted by LibreOffice, with its table"
    );
    Some(html)
}

/// A Word document pasted into the editor keeps its headings (under the article's title),
/// lists, table, links, bold and italic, and loses LibreOffice's fonts, colours and styles.
async fn a_word_document_pastes_whole(d: Arc<Desk>) {
    let Some(html) = word_document_as_html("a_word_document_pastes_whole") else { return };
    d.add_user("wanda@example.org", "Wanda Word", Role::Editor).await;
    d.sign_in("wanda@example.org", "Wanda Word").await;
    d.open_new_article().await;
    d.type_title_and_lead("Council statement from Word", "Pasted from a Word document.").await;
    let (body, field) = paste_and_save(&d, &html, "Council statement").await;
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    for (what, wanted) in [
        ("Heading 1 as the first subheading", "<h2>Council statement</h2>"),
        ("Heading 2 under it", "<h3>Decisions</h3>"),
        ("the bulleted list", "<li>Budget approved</li>"),
        ("the numbered list", "<ol>"),
        ("bold", "<strong>Monday</strong>"),
        ("italic", "<em>joint</em>"),
        ("the link", "href=\"https://example.org/statement\""),
        ("the table", "<table>"),
        ("a table cell", "Kazakhstan"),
    ] {
        assert!(flat.contains(wanted), "{what} ({wanted}) kept; saved body:\n{body}\nform field:\n{field}");
    }
    assert!(flat.contains("<ul>") && flat.contains("<td>"), "lists and cells as plain HTML:\n{body}");
    for unwanted in ["style=", "<font", "class=", "<u>", "Liberation"] {
        assert!(!flat.contains(unwanted), "{unwanted} dropped:\n{body}");
    }
}

/// Pastes `html` (with `plain` as its plain-text flavour, as a word processor offers both) into
/// the editor's text, waits for its table, saves, and returns the saved body and what the form
/// carried.
async fn paste_and_save(d: &Desk, html: &str, plain: &str) -> (String, String) {
    let b = &d.browser;
    let editor = b.find("#body-editor .ql-editor").await;
    b.click(&editor).await;
    let paste = r#"
        const editor = document.querySelector('#body-editor .ql-editor');
        editor.focus();
        const data = new DataTransfer();
        data.setData('text/html', arguments[0]);
        data.setData('text/plain', arguments[1]);
        const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        editor.dispatchEvent(event);
        return event.defaultPrevented;
    "#;
    assert_eq!(b.execute(paste, vec![json!(html), json!(plain)]).await, json!(true), "Quill takes the paste");
    b.wait_until(
        "return !!document.querySelector('#body-editor .ql-editor table')",
        "the pasted table to appear in the editor",
    )
    .await;
    let field = b.execute("return document.getElementById('body').value", vec![]).await;
    let field = field.as_str().unwrap_or_default().to_string();
    b.click(&b.find("button[name=action][value=save]").await).await;
    b.wait_for_url("?saved=").await;
    let id = d.server.state.store.articles_after(0, 10).await.unwrap().last().expect("saved").id;
    (d.server.state.store.article_by_id(id).await.unwrap().unwrap().body_html, field)
}

/// Text copied from Google Docs (the clipboard's HTML, in `tests/fixtures/google-docs`) keeps
/// its headings, lists, table, link, bold and italic; the wrapper Google Docs puts around the
/// whole selection does not make everything bold, and its inline styles are dropped.
async fn a_google_docs_paste_keeps_its_structure(d: Arc<Desk>) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/google-docs/statement.html");
    let html = std::fs::read_to_string(path).expect("the Google Docs fixture");
    d.add_user("gita@example.org", "Gita Docs", Role::Editor).await;
    d.sign_in("gita@example.org", "Gita Docs").await;
    d.open_new_article().await;
    d.type_title_and_lead("Joint statement from Google Docs", "Pasted from Google Docs.").await;
    let (body, field) = paste_and_save(&d, &html, "Joint statement on water").await;
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    for (what, wanted) in [
        ("Heading 1 as the first subheading", "<h2>Joint statement on water</h2>"),
        ("Heading 2 under it", "<h3>Agreed steps</h3>"),
        ("the bulleted list", "<ul><li>Shared monitoring stations</li>"),
        ("the numbered list", "<ol><li>Experts meet in March</li>"),
        ("bold from font-weight:700", "<strong>Tuesday</strong>"),
        ("italic from font-style:italic", "<em>joint</em>"),
        ("the link", "<a href=\"https://example.org/water-statement\""),
        ("the table", "<table>"),
        ("a table cell", "<td>Kazakhstan</td>"),
    ] {
        assert!(flat.contains(wanted), "{what} ({wanted}) kept; saved body:\n{body}\nform field:\n{field}");
    }
    assert!(
        flat.contains("<p>The ministers met on <strong>Tuesday</strong> in a <em>joint</em> session"),
        "only the bold word is bold, not the whole wrapped paste:\n{body}"
    );
    for unwanted in ["style=", "docs-internal-guid", "<b ", "<span", "<u>", "role=", "<colgroup"] {
        assert!(!flat.contains(unwanted), "{unwanted} dropped:\n{body}");
    }
}

/// A video's address pasted on a line of its own is published as a placeholder: the page
/// requests nothing from the video's host until the reader presses play, and then the host's
/// player (YouTube's privacy-enhanced domain) takes the placeholder's place, focused.
async fn a_video_loads_only_when_asked(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("vera@example.org", "Vera Video", Role::Editor).await;
    d.sign_in("vera@example.org", "Vera Video").await;
    let text = "The opening speech:\u{E007}https://youtu.be/dQw4w9WgXcQ";
    d.write_new("Summit on video", "The opening, recorded.", text).await;
    d.publish().await;
    b.goto(&d.url("/en/news/summit-on-video")).await;
    b.wait_for("figure.video a.video-link").await;
    let elsewhere = r#"
        return performance.getEntriesByType('resource').map((e) => e.name)
            .filter((u) => new URL(u).origin !== location.origin);
    "#;
    assert_eq!(b.execute(elsewhere, vec![]).await, json!([]), "nothing from another host before play");
    assert_eq!(b.execute("return document.querySelectorAll('iframe').length", vec![]).await, json!(0));
    let label = b.text(&b.find("figure.video .video-label").await).await;
    assert_eq!(label, "Play the video (YouTube)");
    b.click(&b.find("figure.video a.video-link").await).await;
    b.wait_until(
        "return !!document.querySelector('figure.video iframe.video-player')",
        "the player in the placeholder's place",
    )
    .await;
    let player = b
        .execute("const f = document.querySelector('figure.video iframe'); return [f.src, f.title, document.activeElement === f]", vec![])
        .await;
    assert_eq!(
        player,
        json!([
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "Video player (YouTube)",
            true
        ])
    );
}

async fn a_gallery_opens_in_a_keyboard_viewer(d: Arc<Desk>) {
    let b = &d.browser;
    d.add_user("gil@example.org", "Gil Gallery", Role::Editor).await;
    d.sign_in("gil@example.org", "Gil Gallery").await;
    d.write_new("Harbour in pictures", "Three photos of the harbour.", "The harbour at dawn.").await;
    let saved = d.publish().await;
    let id: i64 =
        saved.split("/admin/articles/").nth(1).and_then(|r| r.split('?').next()).unwrap().parse().unwrap();
    let dirs: Vec<_> =
        ["dawn", "noon", "dusk"].iter().map(|n| gradient_photo(&format!("{n}.png"), 640, 480)).collect();
    let files: Vec<_> = dirs
        .iter()
        .zip(["The harbour at dawn", "The harbour at noon", "The harbour at dusk"])
        .map(|((_, path), alt)| newsdesk::io::photos::PhotoFile {
            path: path.clone(),
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            alt: alt.into(),
            caption: format!("{alt}."),
        })
        .collect();
    let store = &d.server.state.store;
    newsdesk::io::photos::store_all(store, d.server.db.data_dir(), &files, jiff::Timestamp::now())
        .await
        .unwrap();

    // Arranged in the back office: tick the photos (newest first in the library) and save.
    b.goto(&d.url(&format!("/admin/articles/{id}/gallery"))).await;
    for checkbox in b.find_all("input[name=add]").await {
        b.click(&checkbox).await;
    }
    b.click(&b.find("form.gallery-form button[type=submit]").await).await;
    b.wait_for_url("saved=1").await;
    assert_eq!(store.gallery_ids(id).await.unwrap().len(), 3);

    // Readers: without the viewer each photo is a link to its large version.
    b.goto(&d.url("/en/news/harbour-in-pictures")).await;
    let first = b.wait_for(".gallery a.gallery-link").await;
    let href = b.execute("return arguments[0].getAttribute('href')", vec![first.arg()]).await;
    assert!(href.as_str().unwrap().starts_with("/media/"), "{href}");
    // The keyboard alone: Enter opens the viewer, the arrows turn the photos (round the ends),
    // Escape closes it and gives the focus back to the photo last shown.
    b.execute("arguments[0].focus()", vec![first.arg()]).await;
    b.press("\u{E007}").await;
    b.wait_until("return !!document.querySelector('dialog.gallery-viewer[open]')", "the viewer to open")
        .await;
    let state = "const d = document.querySelector('dialog.gallery-viewer'); return d ? [d.querySelector('.gallery-counter').textContent, d.querySelector('img').alt, document.activeElement.className] : null";
    let shown = b.execute(state, vec![]).await;
    let first_alt = shown[1].as_str().unwrap().to_string();
    assert_eq!(shown[0], json!("1 of 3"), "{shown}");
    assert_eq!(shown[2], json!("gallery-close"), "the focus moves into the viewer: {shown}");
    b.press("\u{E014}").await;
    let shown = b.execute(state, vec![]).await;
    assert_eq!(shown[0], json!("2 of 3"));
    assert_ne!(shown[1].as_str().unwrap(), first_alt, "another photo");
    b.press("\u{E012}").await;
    b.press("\u{E012}").await;
    assert_eq!(b.execute(state, vec![]).await[0], json!("3 of 3"), "left from the first goes to the last");
    b.press("\u{E00C}").await;
    b.wait_until("return !document.querySelector('dialog.gallery-viewer')", "the viewer to close").await;
    let focused = b
        .execute("const links = [...document.querySelectorAll('.gallery a.gallery-link')]; return links.indexOf(document.activeElement)", vec![])
        .await;
    assert_eq!(focused, json!(2), "the focus is back on the photo last shown");
}

macro_rules! browser_tests {
    ($backend:ident: $($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            run(stringify!($name), Backend::$backend, super::$name).await
        }
    )*};
}

/// Every flow on both databases: each one writes (articles, photos, notes, sessions).
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::{Backend, run};
            browser_tests!(Sqlite: $($name),*);
        }
        mod postgres {
            use super::{Backend, run};
            browser_tests!(Postgres: $($name),*);
        }
    };
}

on_both_databases!(
    editor_pastes_and_publishes,
    preview_shows_unsaved_text,
    author_cannot_publish,
    wrong_password_is_refused,
    editor_uploads_a_photo,
    typing_survives_a_lost_tab,
    a_word_document_pastes_whole,
    typing_survives_the_network_going_down,
    keyboard_alone_goes_from_new_article_to_published,
    a_lead_photo_is_uploaded_from_the_editor,
    a_draft_is_sent_back_with_a_note,
    a_story_is_translated_and_corrected,
    a_photo_goes_into_the_text,
    a_google_docs_paste_keeps_its_structure,
    a_video_loads_only_when_asked,
    a_gallery_opens_in_a_keyboard_viewer,
);
