//! "Media about us" over real HTTP on both backends: editors keep the list in the back office
//! (validated in words, audited), readers find it on a page of its own per language, and it
//! never mixes with the organization's own news.

use crate::admin::{make_user, sign_in, write};
use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use crate::session::{csrf_in, location};
use newsdesk::domain::user::Role;

async fn media_about_us_is_kept_apart_from_the_news(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "author@example.org", Role::Author).await;
    let editor = sign_in(&s, "editor@example.org").await;
    let csrf = csrf_in(&editor.page("/admin/clippings").await);

    // Mistakes are refused field by field, in words, with what was typed kept.
    let bad = [
        ("csrf", csrf.as_str()),
        ("lang", "en"),
        ("outlet", ""),
        ("date", "yesterday"),
        ("title", "Council praised"),
        ("url", "javascript:alert(1)"),
        ("quote", ""),
    ];
    let r = editor.post("/admin/clippings", &bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(r#"<p class="field-error" id="outlet-error">This field is required.</p>"#),
        "{page}"
    );
    assert!(page.contains("“yesterday” is not a date; use the form 2026-12-01."));
    assert!(page.contains("Give the full address of the publication, starting with https://."));
    assert!(page.contains(r#"value="Council praised""#), "the text is kept");
    let r = editor
        .post(
            "/admin/clippings",
            &[
                ("csrf", csrf.as_str()),
                ("lang", "en"),
                ("outlet", "Daily"),
                ("date", "2999-01-01"),
                ("title", "t"),
                ("url", "https://x.example/"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("The date is in the future"));
    assert_eq!(s.state.store.clippings_page(None, 10, 0).await.unwrap().1, 0, "nothing half-written");

    // Two clippings in English (one with markup that must stay text), one in Russian.
    let hostile = "<script>alert(1)</script>Council <b>praised</b>";
    for (lang, outlet, date, title, url, quote) in [
        (
            "en",
            "The Daily Planet",
            "2026-11-20",
            hostile,
            "https://planet.example/council?a=1&b=2",
            "A model of openness.",
        ),
        ("en", "Metro Wire", "2026-11-25", "Summit coverage", "https://wire.example/summit", ""),
        (
            "ru",
            "Вечерние новости",
            "2026-11-22",
            "Совет провёл саммит",
            "https://vesti.example/sammit",
            "Образец открытости.",
        ),
    ] {
        let form = [
            ("csrf", csrf.as_str()),
            ("lang", lang),
            ("outlet", outlet),
            ("date", date),
            ("title", title),
            ("url", url),
            ("quote", quote),
        ];
        let r = editor.post("/admin/clippings", &form).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        assert_eq!(location(&r), "/admin/clippings?done=added");
    }
    assert!(editor.page("/admin/clippings?done=added").await.contains("Publication added."));

    // Readers: newest first, outlet and long date, a link out, the quote; markup as text.
    let en = s.page("/en/media-about-us").await;
    let list = between(&en, "<ol class=\"clippings-list\">", "</ol>");
    assert!(list.find("Summit coverage").unwrap() < list.find("The Daily Planet").unwrap(), "{list}");
    assert!(list.contains(r#"<time datetime="2026-11-20">20 November 2026</time>"#), "{list}");
    assert!(list.contains(
        r#"<a href="https://planet.example/council?a=1&amp;b=2" rel="noopener noreferrer external""#
    ));
    assert!(list.contains("<blockquote><p>A model of openness.</p></blockquote>"));
    assert!(!list.contains("<script") && !list.contains("<b>"), "markup is text: {list}");
    assert!(!list.contains("Совет"), "one language per page");
    let ru = s.page("/ru/media-about-us").await;
    assert!(
        ru.contains("<h1>СМИ о нас</h1>")
            && ru.contains("22 ноября 2026")
            && ru.contains("Совет провёл саммит")
    );
    assert!(s.page("/en/").await.contains("href=\"/en/media-about-us\""), "linked from every page's footer");

    // Never among the news: not on the home page, in the archive, feeds, sitemaps or search.
    write(&editor, "Our own news", "publish", "").await;
    for path in [
        "/en/",
        "/en/archive",
        "/en/feed.xml",
        "/en/atom.xml",
        "/en/feed.json",
        "/sitemap.xml",
        "/en/search?q=Summit",
    ] {
        let body = s.page(path).await;
        assert!(
            !body.contains("Summit coverage") && !body.contains("wire.example"),
            "{path} lists no clipping"
        );
    }

    // Changing and deleting: the edit form holds the clipping; every change is audited.
    let id = s.state.store.clippings_page(Some("en"), 10, 0).await.unwrap().0[0].id;
    let form = editor.page(&format!("/admin/clippings/{id}")).await;
    assert!(
        form.contains(r#"value="Summit coverage""#)
            && form.contains(&format!("/admin/clippings/{id}/delete"))
    );
    let change = [
        ("csrf", csrf.as_str()),
        ("lang", "en"),
        ("outlet", "Metro Wire"),
        ("date", "2026-11-26"),
        ("title", "Summit coverage, updated"),
        ("url", "https://wire.example/summit"),
    ];
    assert_eq!(editor.post(&format!("/admin/clippings/{id}"), &change).await.status(), 303);
    assert!(s.page("/en/media-about-us").await.contains("Summit coverage, updated"), "the page cache let go");
    assert_eq!(
        editor.post(&format!("/admin/clippings/{id}/delete"), &[("csrf", csrf.as_str())]).await.status(),
        303
    );
    assert_eq!(s.state.store.clipping(id).await.unwrap(), None, "deleted");
    let after = s.page("/en/media-about-us").await;
    assert!(
        !after.contains("Summit coverage"),
        "{}",
        between(&after, "<ol class=\"clippings-list\">", "</ol>")
    );
    assert_eq!(editor.post("/admin/clippings/999999/delete", &[("csrf", csrf.as_str())]).await.status(), 404);
    let audit = s.state.store.audit_log(None, None, 50).await.unwrap();
    let actions: Vec<&str> =
        audit.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("clipping.")).collect();
    assert_eq!(actions.len(), 5, "three added, one changed, one deleted: {actions:?}");

    // Authors may not keep the list (it is public at once); forged posts are refused too.
    let author = sign_in(&s, "author@example.org").await;
    assert_eq!(author.get("/admin/clippings").await.status(), 403);
    let a_csrf = csrf_in(&author.page("/admin").await);
    let r = author
        .post(
            "/admin/clippings",
            &[
                ("csrf", a_csrf.as_str()),
                ("lang", "en"),
                ("outlet", "x"),
                ("date", "2026-11-01"),
                ("title", "x"),
                ("url", "https://x.example/"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(!author.page("/admin").await.contains("href=\"/admin/clippings\""), "not in an author's menu");
    assert_eq!(s.state.store.clippings_page(None, 10, 0).await.unwrap().1, 2);
    s.stop().await;
}

on_both_backends!(media_about_us_is_kept_apart_from_the_news);
