//! The editor's safety net over real HTTP, on both backends: what a person types is autosaved
//! beside the article (never over it), offered back after a reload, brought back into the form
//! or discarded, spent by a real save, and refused to whoever may not change the article.

use crate::admin::{make_user, save, sign_in, version_in, write};
use crate::harness::{Backend, TestServer};
use crate::on_both_backends;
use crate::session::{Client, csrf_in};
use newsdesk::domain::user::Role;
use serde_json::Value;

const FOUND: &str = "You have text you did not save";

/// Sends the editor's form to the autosave address of article `id` (0: a new article).
async fn autosave(c: &Client<'_>, id: i64, title: &str, body: &str, version: &str) -> (u16, Value) {
    let csrf = csrf_in(&c.page("/admin").await);
    let r = c
        .post(
            &format!("/admin/articles/{id}/autosave"),
            &[
                ("csrf", &csrf),
                ("lang", "en"),
                ("title", title),
                ("lead", "A lead."),
                ("body", body),
                ("section", "1"),
                ("publish_at", ""),
                ("version", version),
            ],
        )
        .await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("autosave answers JSON ({e}): {text}"));
    (status, json)
}

async fn autosaves_keep_typing_apart_and_bring_it_back(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let anna_id = make_user(&s, "anna@example.org", Role::Editor).await;
    make_user(&s, "boris@example.org", Role::Editor).await;
    make_user(&s, "carl@example.org", Role::Author).await;
    let anna = sign_in(&s, "anna@example.org").await;
    let boris = sign_in(&s, "boris@example.org").await;
    let carl = sign_in(&s, "carl@example.org").await;
    let (_, id) = write(&anna, "Summit statement", "save", "").await;
    let id = id.unwrap();
    let base = version_in(&anna.page(&format!("/admin/articles/{id}")).await);

    // Anna types; the autosave keeps it without touching the article.
    let (status, json) =
        autosave(&anna, id, "Summit statement, unsaved", "<p>Typed, not saved.</p>", &base).await;
    assert_eq!((status, json["ok"].as_bool()), (200, Some(true)), "{json}");
    assert!(json["message"].as_str().unwrap().starts_with("Autosaved at "), "{json}");
    let stored = s.state.store.article_by_id(id).await.unwrap().unwrap();
    assert_eq!(stored.title, "Summit statement", "an autosave does not save the article");
    assert_eq!(stored.version.to_string(), base, "nor move its version");

    // Boris's save is not tripped by Anna's autosave, and he is not offered her text.
    assert!(!boris.page(&format!("/admin/articles/{id}")).await.contains(FOUND), "autosaves are private");
    assert_eq!(save(&boris, id, "Summit statement (Boris)", &base, "save").await.status(), 303);

    // Anna comes back: her text is offered, and brought back into the form at her old version.
    let page = anna.page(&format!("/admin/articles/{id}")).await;
    assert!(page.contains(FOUND), "the editor offers the unsaved text back");
    assert!(
        page.contains(&format!("href=\"/admin/articles/{id}?recover=1\"")),
        "with a link to bring it back"
    );
    let page = anna.page(&format!("/admin/articles/{id}?recover=1")).await;
    assert!(page.contains("value=\"Summit statement, unsaved\""), "the title comes back");
    assert!(page.contains("Typed, not saved."), "the text comes back");
    assert!(page.contains("Your unsaved text is back in the form"), "and says so");
    assert_eq!(version_in(&page), base, "at the version she started from");

    // Saving it meets Boris's save as a conflict (nothing of his is overwritten), then goes in.
    let csrf = csrf_in(&page);
    let fields = |version: String| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Summit statement, unsaved".to_string()),
            ("lead", "A lead.".to_string()),
            ("body", "<p>Typed, not saved.</p>".to_string()),
            ("section", "1".to_string()),
            ("publish_at", String::new()),
            ("version", version),
            ("action", "save".to_string()),
        ]
    };
    let post = |version: String| {
        let form = fields(version);
        let anna = &anna;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            anna.post(&format!("/admin/articles/{id}"), &pairs).await
        }
    };
    let refused = post(base.clone()).await;
    assert_eq!(refused.status(), 409, "the autosave's old version meets Boris's save");
    let newer = version_in(&refused.text().await.unwrap());
    assert_eq!(post(newer).await.status(), 303, "after seeing his change she saves");
    assert!(s.state.store.autosave(anna_id, id).await.unwrap().is_none(), "a real save spends the autosave");
    assert!(!anna.page(&format!("/admin/articles/{id}")).await.contains(FOUND));

    // An autosave holding nothing more than the article (it arrived just after the save) is
    // not offered back.
    let current = version_in(&anna.page(&format!("/admin/articles/{id}")).await);
    let (status, _) =
        autosave(&anna, id, "Summit statement, unsaved", "<p>Typed, not saved.</p>", &current).await;
    assert_eq!(status, 200);
    assert!(
        !anna.page(&format!("/admin/articles/{id}")).await.contains(FOUND),
        "nothing new, nothing offered"
    );
    assert!(s.state.store.autosave(anna_id, id).await.unwrap().is_none(), "and it is dropped");

    // A new article's text is kept too, offered on "New article", and can be discarded.
    let (status, json) = autosave(&anna, 0, "Half-written note", "<p>Draft of a note.</p>", "0").await;
    assert_eq!((status, json["ok"].as_bool()), (200, Some(true)), "{json}");
    let page = anna.page("/admin/articles/new").await;
    assert!(page.contains(FOUND) && page.contains("href=\"/admin/articles/new?recover=1\""));
    let page = anna.page("/admin/articles/new?recover=1").await;
    assert!(page.contains("value=\"Half-written note\""), "the new article's title comes back");
    let r = anna.post("/admin/articles/0/autosave/discard", &[("csrf", &csrf_in(&page))]).await;
    assert_eq!(r.status(), 303, "discarding leads back to the editor");
    assert!(!anna.page("/admin/articles/new").await.contains(FOUND), "discarded text is gone");

    // Whoever may not change the article may not keep text for it either; nor may a forged form.
    let (status, json) = autosave(&carl, id, "Not mine", "<p>x</p>", &base).await;
    assert_eq!(
        (status, json["ok"].as_bool()),
        (403, Some(false)),
        "an author and an editor's article: {json}"
    );
    assert!(json["message"].as_str().unwrap().contains("may not change"), "{json}");
    let forged = anna
        .post(&format!("/admin/articles/{id}/autosave"), &[("title", "forged"), ("version", &base)])
        .await;
    assert_eq!(forged.status(), 403, "an autosave without the CSRF token is refused");
    let (status, _) = autosave(&anna, 999_999, "Nowhere", "<p>x</p>", "1").await;
    assert_eq!(status, 404, "an article that does not exist");
    s.stop().await;
}

on_both_backends!(autosaves_keep_typing_apart_and_bring_it_back);

/// The review notes' form fields, with the page's CSRF token.
async fn note_post(c: &Client<'_>, path: &str, comment: &str, version: &str) -> reqwest::Response {
    let csrf = csrf_in(&c.page("/admin").await);
    c.post(path, &[("csrf", &csrf), ("comment", comment), ("version", version)]).await
}

async fn drafts_are_sent_back_with_a_note_and_the_thread_follows(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "anna@example.org", Role::Editor).await;
    make_user(&s, "carl@example.org", Role::Author).await;
    make_user(&s, "dana@example.org", Role::Author).await;
    let anna = sign_in(&s, "anna@example.org").await;
    let carl = sign_in(&s, "carl@example.org").await;
    let dana = sign_in(&s, "dana@example.org").await;
    let (r, id) = write(&carl, "Carl's report from the summit", "submit", "").await;
    assert_eq!(r.status(), 303);
    let id = id.unwrap();
    let dashboard = anna.page("/admin").await;
    assert!(dashboard.contains("Carl&#39;s report from the summit"), "the editor sees it awaiting review");
    let page = anna.page(&format!("/admin/articles/{id}")).await;
    assert!(page.contains("Send back to the author"), "an editor may send a submitted draft back");
    assert!(page.contains("No notes yet."));
    let version = version_in(&page);
    let send_back = format!("/admin/articles/{id}/send-back");

    // No reason, or a stale version: refused, and nothing is half-written.
    let r = note_post(&anna, &send_back, "   ", &version).await;
    assert_eq!(r.status(), 422, "a send-back needs a note");
    assert!(r.text().await.unwrap().contains("what should the author change?"), "and says so");
    let stale = (version.parse::<i64>().unwrap() - 1).to_string();
    assert_eq!(note_post(&anna, &send_back, "Fix it.", &stale).await.status(), 409, "a stale version");
    assert!(s.state.store.notes(id).await.unwrap().is_empty(), "no note without its step");
    assert!(s.state.store.article_meta(id).await.unwrap().unwrap().2, "still awaiting review");

    // Sent back with the reason: one step, one note.
    let reason = "The second quote needs a source. <script>alert(1)</script>";
    let r = note_post(&anna, &send_back, reason, &version).await;
    assert_eq!(r.status(), 303);
    assert!(crate::session::location(&r).ends_with("?saved=sent-back"));
    assert!(
        anna.page(&format!("/admin/articles/{id}?saved=sent-back"))
            .await
            .contains("Sent back to the author.")
    );
    assert!(!s.state.store.article_meta(id).await.unwrap().unwrap().2, "no longer awaiting review");
    let notes = s.state.store.notes(id).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!((notes[0].kind.as_str(), notes[0].body.as_str()), ("sent-back", reason));

    // The author hears of it on the dashboard and reads it beside the draft, escaped.
    let dashboard = carl.page("/admin").await;
    assert!(
        dashboard.contains("About your articles") && dashboard.contains("Sent back by anna@example.org:")
    );
    assert!(dashboard.contains("The second quote needs a source. &lt;script&gt;"), "the reason, escaped");
    let page = carl.page(&format!("/admin/articles/{id}")).await;
    assert!(page.contains("The second quote needs a source. &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"), "a note is text, never markup");
    assert!(!page.contains("Send back to the author"), "an author sends nothing back");

    // The thread goes on; authors may not send back, and strangers may not write in it.
    let shown = version_in(&carl.page(&format!("/admin/articles/{id}")).await);
    let r =
        note_post(&carl, &format!("/admin/articles/{id}/notes"), "Source added: the minutes.", &shown).await;
    assert_eq!(r.status(), 303);
    let bodies: Vec<String> = s.state.store.notes(id).await.unwrap().into_iter().map(|n| n.body).collect();
    assert_eq!(bodies, [reason, "Source added: the minutes."], "oldest first");
    let current = version_in(&carl.page(&format!("/admin/articles/{id}")).await);
    assert_eq!(note_post(&carl, &send_back, "Back to me?", &current).await.status(), 403);
    let r = note_post(&dana, &format!("/admin/articles/{id}/notes"), "Not my article.", &shown).await;
    assert_eq!(r.status(), 403, "another author may not open the article, nor write in its thread");
    assert_eq!(s.state.store.notes(id).await.unwrap().len(), 2);

    // Resubmitted, the notice goes; published, the author is told.
    let r = save(&carl, id, "Carl's report from the summit", &current, "submit").await;
    assert_eq!(
        r.status(),
        303,
        "resubmitted: {}",
        crate::harness::between(&r.text().await.unwrap(), "role=\"alert\">", "</div>")
    );
    assert!(!carl.page("/admin").await.contains("Sent back by"), "resubmitted: nothing to act on");
    let current = version_in(&anna.page(&format!("/admin/articles/{id}")).await);
    assert_eq!(save(&anna, id, "Carl's report from the summit", &current, "publish").await.status(), 303);
    let dashboard = carl.page("/admin").await;
    assert!(dashboard.contains("Published:"), "the author hears of the publication");
    s.stop().await;
}

on_both_backends!(drafts_are_sent_back_with_a_note_and_the_thread_follows);

async fn embargoed_text_is_shared_by_a_secret_link_until_it_expires(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "anna@example.org", Role::Editor).await;
    make_user(&s, "carl@example.org", Role::Author).await;
    let anna = sign_in(&s, "anna@example.org").await;
    let carl = sign_in(&s, "carl@example.org").await;
    let (_, id) = write(&anna, "Embargoed statement on the treaty", "save", "").await;
    let id = id.unwrap();
    let make = |c: &'static str| format!("/admin/articles/{id}/preview-links?{c}");
    let csrf = csrf_in(&anna.page("/admin").await);

    // Only those who may publish share; the time is bounded.
    let carl_csrf = csrf_in(&carl.page("/admin").await);
    let r = carl.post(&make("by=author"), &[("csrf", &carl_csrf), ("hours", "72")]).await;
    assert_eq!(r.status(), 403, "an author shares nothing");
    for hours in ["0", "100000", "soon"] {
        let r = anna.post(&make("bad"), &[("csrf", &csrf), ("hours", hours)]).await;
        assert_eq!(r.status(), 422, "{hours} hours is refused");
        assert!(r.text().await.unwrap().contains("from one hour to 30 days"), "and says what is allowed");
    }

    // A link is made and shown once; anyone with it reads the draft, marked as a preview.
    let r = anna.post(&make("ok"), &[("csrf", &csrf), ("hours", "72")]).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let at = page.find("/preview/").expect("the editor shows the new link");
    let token: String =
        page[at + "/preview/".len()..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(token.len(), 64, "a long random token");
    assert!(page.contains("Valid until"), "the live links are listed with their end");
    let link = format!("/preview/{token}");
    let r = s.get(&link).await;
    assert_eq!(r.status(), 200, "anyone with the link reads it, signed in or not");
    let header =
        |name: &str| r.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(header("cache-control"), "no-store", "no cache keeps it");
    assert!(header("x-robots-tag").contains("noindex"), "no search engine indexes it");
    assert!(
        ["no-referrer", "strict-origin-when-cross-origin", "same-origin"]
            .contains(&header("referrer-policy").as_str()),
        "the secret address is not passed on to other sites: {}",
        header("referrer-policy")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Embargoed statement on the treaty"), "the draft's text");
    assert!(
        html.contains("class=\"preview-banner\"") && html.contains("Preview — not published."),
        "a banner"
    );
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert_eq!(
        s.get("/en/news/embargoed-statement-on-the-treaty").await.status(),
        404,
        "still not published"
    );

    // Withdrawn, it opens nothing; nor does an expired or made-up one.
    let page = anna.page(&format!("/admin/articles/{id}")).await;
    let withdraw =
        crate::harness::between(&page, &format!("action=\"/admin/articles/{id}/preview-links/"), "\"");
    let r = anna.post(&format!("/admin/articles/{id}/preview-links/{withdraw}"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303, "withdrawn");
    assert_eq!(s.get(&link).await.status(), 404, "a withdrawn link opens nothing");
    let audit = s.state.store.audit_log(Some("article.preview_link"), None, 10).await.unwrap();
    let actions: Vec<(&str, &str)> = audit.iter().map(|e| (e.action.as_str(), e.detail.as_str())).collect();
    assert_eq!(actions.len(), 2, "the link made and withdrawn are both in the audit log: {actions:?}");
    let link_id = withdraw.trim_end_matches("/withdraw");
    assert_eq!(actions[0], ("article.preview_link_withdrawn", format!("link {link_id}").as_str()));
    assert!(actions[1].0 == "article.preview_link" && actions[1].1.starts_with("until "), "{actions:?}");
    let now = jiff::Timestamp::now();
    let old = "f".repeat(64);
    let hash = newsdesk::accounts::token_hash(&old);
    let (made, ended) =
        (now - jiff::SignedDuration::from_hours(2), now - jiff::SignedDuration::from_hours(1));
    let by = newsdesk::storage::previews::Audited { user_id: None, address: "127.0.0.1", at: made };
    s.state.store.create_preview_link(&hash, id, by, ended).await.unwrap();
    assert_eq!(s.get(&format!("/preview/{old}")).await.status(), 404, "an expired link opens nothing");
    assert_eq!(s.get(&format!("/preview/{}", "0".repeat(64))).await.status(), 404, "a made-up one neither");
    assert_eq!(s.get("/preview/%27%20OR%201=1--").await.status(), 404, "nor anything else");
    s.stop().await;
}

on_both_backends!(embargoed_text_is_shared_by_a_secret_link_until_it_expires);
