//! Translating in the editor over real HTTP, on both backends: a new translation starts empty
//! beside its source, gets its own address, and is outdated only when its source's text
//! changes after it was last saved, with the changed paragraphs marked; both languages go out
//! together, in one transaction, or neither does.

use crate::admin::{make_user, sign_in};
use crate::harness::{Backend, TestServer, between};
use crate::lifecycle::save_with;
use crate::on_both_backends;
use crate::session::{csrf_in, location};
use newsdesk::domain::user::Role;

on_both_backends!(
    a_translation_starts_empty_beside_its_source,
    both_languages_go_out_together,
    back_office_errors_keep_its_layout
);

async fn a_translation_starts_empty_beside_its_source(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let body = "<p>The talks opened in Geneva.</p><p>The minister spoke.</p><p>They close on Friday.</p>";
    let csrf = csrf_in(&c.page("/admin/articles/new").await);
    let fields = [
        ("csrf", csrf.as_str()),
        ("lang", "en"),
        ("title", "Geneva talks"),
        ("lead", "Talks opened."),
        ("body", body),
        ("section", "1"),
        ("publish_at", ""),
        ("action", "publish"),
    ];
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 303);
    let en: i64 =
        location(&r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();

    // "Translate (ru)" opens an empty editor beside the source; nothing is written yet.
    let edit = c.page(&format!("/admin/articles/{en}")).await;
    let r = c
        .post(
            &format!("/admin/articles/{en}/translate"),
            &[("csrf", csrf_in(&edit).as_str()), ("lang", "ru")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/admin/articles/new?translation_of={en}&lang=ru"));
    let key = s.state.store.article_by_id(en).await.unwrap().unwrap().translation_key;
    assert_eq!(s.state.store.translation_versions(&key).await.unwrap().len(), 1, "nothing created yet");
    let form = c.page(&location(&r)).await;
    let panel = between(&form, "<section class=\"source-panel\"", "</section>");
    assert!(panel.contains("Source (en), for reference") && panel.contains("The minister spoke."), "{panel}");
    assert!(form.contains("id=\"title\" name=\"title\" value=\"\""), "the title starts empty");
    let body_field = between(&form, "<textarea id=\"body\"", "</textarea>");
    assert!(body_field.ends_with('>'), "the text starts empty, never the source's: {body_field}");
    assert!(form.contains(&format!("name=\"translation_of\" value=\"{en}\"")));

    // Saved, it is a linked Russian draft with its own address.
    let csrf = csrf_in(&form);
    let en_id = en.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("lang", "ru"),
        ("translation_of", en_id.as_str()),
        ("title", "Переговоры в Женеве"),
        ("lead", "Переговоры начались."),
        (
            "body",
            "<p>Переговоры начались в Женеве.</p><p>Выступил министр.</p><p>Они завершатся в пятницу.</p>",
        ),
        ("section", "1"),
        ("publish_at", ""),
        ("action", "save"),
    ];
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 303);
    let ru: i64 =
        location(&r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    let translation = s.state.store.article_by_id(ru).await.unwrap().unwrap();
    assert_eq!(translation.slug, "peregovory-v-zheneve", "its own address, from its own title");
    assert_eq!(translation.translation_key, key, "linked to the source");
    assert!(
        !c.page(&format!("/admin/articles/{en}")).await.contains("tr-outdated"),
        "a fresh translation is current"
    );
    let ru_page = c.page(&format!("/admin/articles/{ru}")).await;
    assert!(!ru_page.contains("tr-outdated"), "and the source is never outdated by its translation");
    assert!(!ru_page.contains("The source changed"), "{ru_page}");

    // A second "Translate (ru)" opens the existing translation.
    let edit = c.page(&format!("/admin/articles/{en}")).await;
    let r = c
        .post(
            &format!("/admin/articles/{en}/translate"),
            &[("csrf", csrf_in(&edit).as_str()), ("lang", "ru")],
        )
        .await;
    assert_eq!(location(&r), format!("/admin/articles/{ru}"));

    // A save of the source that does not change its text leaves the translation current.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = save_with(&c, en, "Geneva talks", "save", &[("lead", "Talks opened."), ("body", body)]).await;
    assert_eq!(r.status(), 303);
    assert!(
        !c.page(&format!("/admin/articles/{en}")).await.contains("tr-outdated"),
        "same text: still current"
    );

    // Its text changes: the translation is outdated, and the changed paragraph is marked.
    let changed =
        "<p>The talks opened in Geneva.</p><p>The minister spoke twice.</p><p>They close on Friday.</p>";
    let r = save_with(&c, en, "Geneva talks", "save", &[("lead", "Talks opened."), ("body", changed)]).await;
    assert_eq!(r.status(), 303);
    assert!(
        c.page(&format!("/admin/articles/{en}"))
            .await
            .contains(&format!("class=\"tr-outdated\" href=\"/admin/articles/{ru}\"")),
        "the source's editor marks the translation outdated"
    );
    let ru_page = c.page(&format!("/admin/articles/{ru}")).await;
    let panel = between(&ru_page, "<section class=\"source-panel\"", "</section>");
    assert!(panel.contains("The source changed after this translation was last saved"), "{panel}");
    assert!(
        panel
            .contains("<p class=\"changed\">The minister spoke twice. <span class=\"status\">changed</span>"),
        "{panel}"
    );
    assert!(
        panel.contains("<p class=\"\">The talks opened in Geneva.</p>"),
        "unchanged paragraphs are not marked: {panel}"
    );

    // Brought up to date, it is current again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let ru_body =
        "<p>Переговоры начались в Женеве.</p><p>Министр выступил дважды.</p><p>Они завершатся в пятницу.</p>";
    let r = save_with(
        &c,
        ru,
        "Переговоры в Женеве",
        "save",
        &[("lead", "Переговоры начались."), ("body", ru_body)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(!c.page(&format!("/admin/articles/{en}")).await.contains("tr-outdated"));
    assert!(!c.page(&format!("/admin/articles/{ru}")).await.contains("The source changed"));
    s.stop().await;
}

/// Creates an article from the editor (`translation_of` links it as a translation).
async fn create_in(
    c: &crate::session::Client<'_>,
    lang: &str,
    of: Option<i64>,
    title: &str,
    body: &str,
) -> i64 {
    let csrf = csrf_in(&c.page("/admin/articles/new").await);
    let of = of.map(|id| id.to_string()).unwrap_or_default();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("lang", lang),
        ("title", title),
        ("lead", "A lead."),
        ("body", body),
        ("section", "1"),
        ("publish_at", ""),
        ("action", "save"),
    ];
    if !of.is_empty() {
        fields.push(("translation_of", of.as_str()));
    }
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 303, "{title}");
    location(&r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap()
}

async fn both_languages_go_out_together(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let en = create_in(&c, "en", None, "Joint statement", "<p>We agree.</p>").await;
    let ru =
        create_in(&c, "ru", Some(en), "Совместное заявление", "<p><img src=\"/media/x/chart.webp\"></p>")
            .await;
    let edit = c.page(&format!("/admin/articles/{en}")).await;
    assert!(edit.contains("Publish or schedule the other languages (ru) at the same moment"), "{edit}");
    let store = &s.state.store;
    let version = |id: i64| async move { store.article_by_id(id).await.unwrap().unwrap() };

    // The Russian version fails its accessibility check: neither goes out.
    let together = [("with_translations", "1")];
    let r =
        save_with(&c, en, "Joint statement", "publish", &[("body", "<p>We agree.</p>"), together[0]]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("A picture has no text alternative (chart.webp)"));
    assert_eq!(version(en).await.status, newsdesk::domain::Status::Draft, "the English one stays a draft");
    assert_eq!(version(ru).await.status, newsdesk::domain::Status::Draft);

    // Fixed, both are scheduled for the same moment in one step.
    let r = save_with(&c, ru, "Совместное заявление", "save", &[("body", "<p>Мы согласны.</p>")]).await;
    assert_eq!(r.status(), 303);
    let tz = s.state.site.time_zone.clone();
    let at = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2))
        .to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let r = save_with(
        &c,
        en,
        "Joint statement",
        "schedule",
        &[("body", "<p>We agree.</p>"), ("publish_at", &at), together[0]],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (a, b) = (version(en).await, version(ru).await);
    assert_eq!(
        (a.status, b.status),
        (newsdesk::domain::Status::Scheduled, newsdesk::domain::Status::Scheduled)
    );
    assert_eq!(a.publish_at, b.publish_at, "one moment for both languages");
    let revisions = s.state.store.revisions(ru).await.unwrap();
    assert_eq!(revisions[0].note, "released with its translation", "{revisions:?}");

    // Published at once together: both public.
    let r =
        save_with(&c, en, "Joint statement", "publish", &[("body", "<p>We agree.</p>"), together[0]]).await;
    assert_eq!(r.status(), 303);
    let released = version(ru).await;
    assert_eq!(released.status, newsdesk::domain::Status::Published);
    assert_eq!(s.get("/en/news/joint-statement").await.status(), 200);
    assert_eq!(s.get(&format!("/ru/news/{}", released.slug)).await.status(), 200, "{}", released.slug);

    // The API's publish step takes the same option.
    let token = s
        .state
        .store
        .create_api_token("robot", Role::Editor, None, jiff::Timestamp::now())
        .await
        .unwrap()
        .secret;
    let api = |method: reqwest::Method, path: String| {
        s.client.request(method, format!("{}{path}", s.base)).bearer_auth(&token)
    };
    let en = create_in(&c, "en", None, "Second statement", "<p>Agreed again.</p>").await;
    let ru = create_in(&c, "ru", Some(en), "Второе заявление", "<p>Снова согласны.</p>").await;
    let r = api(reqwest::Method::POST, format!("/api/v1/articles/{en}/publish"))
        .header("if-match", format!("\"{}\"", version(en).await.version))
        .json(&serde_json::json!({"with_translations": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(version(ru).await.status, newsdesk::domain::Status::Published, "released with it");
    s.stop().await;
}

/// The back office's mistakes and refusals come in its own layout and language, not the
/// public site's.
async fn back_office_errors_keep_its_layout(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    for (path, status) in
        [("/admin/articles/999999", 404), ("/admin/users", 403), ("/admin/no-such-page", 404)]
    {
        let r = c.get(path).await;
        assert_eq!(r.status(), status, "{path}");
        let page = r.text().await.unwrap();
        assert!(page.contains("class=\"admin-header\""), "{path}: the back office's layout:\n{page}");
        assert!(!page.contains("class=\"site-footer\""), "{path}: not the public site's");
    }
    // In Russian for a person who chose Russian.
    let r = c.get("/admin/lang/ru").await;
    assert!(r.status().is_redirection());
    let page = c.get("/admin/articles/999999").await.text().await.unwrap();
    assert!(page.contains("<html lang=\"ru\">") && page.contains("Редакция"), "{page}");
    s.stop().await;
}
