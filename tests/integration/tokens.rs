//! API bearer tokens on both backends: the command line run as a real process, authentication
//! against the real store (revocation, disabled accounts, sparing writes of the last use), the
//! token's account refused by the sign-in form, and the back-office page over real HTTP.

use crate::admin::{PASSWORD, make_user, sign_in};
use crate::cli::{failed, newsdesk, ok};
use crate::harness::{Backend, TestDb, TestServer, between};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, header, location};
use jiff::{SignedDuration, Timestamp};
use newsdesk::domain::user::Role;
use newsdesk::storage::{Store, StoreError};

/// The last line of a command's standard output, which must be the token and nothing else.
fn token_on_last_line(stdout: &str) -> String {
    let last = stdout.lines().last().unwrap_or_else(|| panic!("no output: {stdout:?}"));
    assert!(
        last.starts_with("nd_") && last.len() == 67 && !last.contains(char::is_whitespace),
        "the last line is the token alone: {last:?}"
    );
    last.to_string()
}

async fn the_command_line_prints_a_token_that_authenticates(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let out = newsdesk(&db, &["token", "create", "--role", "editor", "--name", "Wire feed"]);
    let secret = token_on_last_line(&ok(&out));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("editor") && said.contains("Wire feed") && !said.contains(&secret), "{said}");
    let store = Store::open(&db.url).await.unwrap();
    let now = Timestamp::now();
    let who = store.authenticate(&secret, now).await.unwrap().expect("the printed token authenticates");
    assert_eq!(
        (who.user.role, who.user.name.as_str(), who.user.disabled),
        (Role::Editor, "Wire feed", false)
    );
    assert!(
        who.user.email.starts_with("token-") && who.user.email.ends_with("@api.invalid"),
        "{}",
        who.user.email
    );
    // A second token; the list shows both by name and first characters, never a secret.
    let other =
        token_on_last_line(&ok(&newsdesk(&db, &["token", "create", "--role", "author", "--name", "Other"])));
    let list = ok(&newsdesk(&db, &["token", "list"]));
    assert!(list.contains("Wire feed") && list.contains("Other"), "{list}");
    assert!(list.contains(&secret[..10]) && list.contains(&other[..10]), "{list}");
    assert!(!list.contains(&secret) && !list.contains(&other), "no secrets in the list: {list}");
    // Revoking the first: it no longer authenticates, its account is disabled, the other still works.
    let out = newsdesk(&db, &["token", "revoke", &who.token_id.to_string()]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));
    assert_eq!(store.authenticate(&secret, now).await.unwrap(), None);
    assert!(store.user_by_id(who.user.id).await.unwrap().unwrap().disabled);
    assert_eq!(store.authenticate(&other, now).await.unwrap().map(|w| w.user.role), Some(Role::Author));
    let list = ok(&newsdesk(&db, &["token", "list"]));
    let line = list.lines().find(|l| l.contains("Wire feed")).unwrap();
    assert!(!line.contains(" - "), "the revoked token shows when: {line}");
    // Both actions are in the audit log.
    let actions: Vec<String> =
        store.audit_log(Some("token."), None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["token.revoke", "token.create", "token.create"]);
    // Mistakes are clear, one-line errors with a non-zero exit.
    let err = failed(&newsdesk(&db, &["token", "create", "--role", "root", "--name", "x"]));
    assert!(err.contains("root") && ["admin", "editor", "author"].iter().all(|r| err.contains(r)), "{err}");
    let err = failed(&newsdesk(&db, &["token", "create", "--role", "admin", "--name", "  "]));
    assert!(err.contains("name"), "{err}");
    let err = failed(&newsdesk(&db, &["token", "revoke", "999"]));
    assert!(err.contains("no token 999"), "{err}");
    assert_eq!(store.api_tokens().await.unwrap().len(), 2, "nothing was created by the mistakes");
    store.close().await;
}

async fn authentication_refuses_what_it_must_and_records_use_sparingly(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    let t0 = Timestamp::from_second(1_750_000_000).unwrap();
    let at = |s: i64| t0 + SignedDuration::from_secs(s);
    let chief = store.create_user("chief@example.org", "Chief", Role::Admin, None, t0).await.unwrap();
    let created = store.create_api_token("Importer", Role::Author, Some(chief), t0).await.unwrap();
    let token = &created.token;
    assert_eq!(token.created_by.as_deref(), Some("Chief"));
    assert!(created.secret.starts_with(&token.prefix) && token.prefix.len() == 10, "{}", token.prefix);
    assert_eq!(store.api_tokens().await.unwrap(), vec![token.clone()], "listed as created");
    let last_used = || async { store.api_token(token.id).await.unwrap().unwrap().last_used_at };
    assert_eq!(last_used().await, None);
    // The first use is recorded; another within the minute is not written; after it, it is.
    let who = store.authenticate(&created.secret, at(10)).await.unwrap().expect("authenticates");
    assert_eq!((who.token_id, who.user.id, who.user.role), (token.id, token.user_id, Role::Author));
    assert_eq!(who.user.name, "Importer");
    assert_eq!(last_used().await, Some(at(10).as_second()));
    assert!(store.authenticate(&created.secret, at(40)).await.unwrap().is_some());
    assert_eq!(last_used().await, Some(at(10).as_second()), "not written again within a minute");
    assert!(store.authenticate(&created.secret, at(70)).await.unwrap().is_some());
    assert_eq!(last_used().await, Some(at(70).as_second()), "written once the minute is over");
    // Anything but the exact secret is refused.
    let mut altered = created.secret.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == '0' { '1' } else { '0' });
    let bearer = format!("Bearer {}", created.secret);
    for bad in
        ["", "nd_", &created.secret[3..], &altered, &created.secret.to_uppercase(), &bearer, &token.prefix]
    {
        assert_eq!(store.authenticate(bad, at(80)).await.unwrap(), None, "{bad:?}");
    }
    // Disabling the account (as /admin/users does) refuses the token; enabling it again restores it.
    store.update_user(token.user_id, Role::Author, true, at(90)).await.unwrap();
    assert_eq!(store.authenticate(&created.secret, at(90)).await.unwrap(), None);
    store.update_user(token.user_id, Role::Editor, false, at(91)).await.unwrap();
    let who = store.authenticate(&created.secret, at(91)).await.unwrap().expect("enabled again");
    assert_eq!(who.user.role, Role::Editor, "the account's role is the token's role");
    // Revoking is for good: enabling the account again does not bring the token back.
    let revoked = store.revoke_api_token(token.id, at(100)).await.unwrap();
    assert_eq!(revoked.revoked_at, Some(at(100).as_second()));
    assert!(store.user_by_id(token.user_id).await.unwrap().unwrap().disabled);
    assert_eq!(store.authenticate(&created.secret, at(101)).await.unwrap(), None);
    store.update_user(token.user_id, Role::Editor, false, at(102)).await.unwrap();
    assert_eq!(store.authenticate(&created.secret, at(103)).await.unwrap(), None);
    let again = store.revoke_api_token(token.id, at(200)).await.unwrap();
    assert_eq!(again.revoked_at, Some(at(100).as_second()), "revoking twice keeps the first time");
    assert!(matches!(store.revoke_api_token(9_999, at(200)).await, Err(StoreError::NotFound)));
    // Two tokens of the same name are distinct accounts with distinct secrets.
    let a = store.create_api_token("Twin", Role::Author, None, at(300)).await.unwrap();
    let b = store.create_api_token("Twin", Role::Admin, None, at(300)).await.unwrap();
    assert_ne!(a.token.user_id, b.token.user_id);
    assert_ne!(a.secret, b.secret);
    let (wa, wb) = (
        store.authenticate(&a.secret, at(301)).await.unwrap().unwrap(),
        store.authenticate(&b.secret, at(301)).await.unwrap().unwrap(),
    );
    assert_eq!((wa.user.role, wb.user.role), (Role::Author, Role::Admin));
    assert_eq!(store.api_tokens().await.unwrap().len(), 3);
    store.close().await;
}

async fn a_token_account_cannot_sign_in(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let store = &s.state.store;
    let created = store.create_api_token("Robot", Role::Admin, None, Timestamp::now()).await.unwrap();
    let user = store.user_by_id(created.token.user_id).await.unwrap().unwrap();
    let (_, hash) = store.user_for_login(&user.email).await.unwrap().unwrap();
    assert_eq!(hash, None, "token accounts have no password");
    for password in ["", PASSWORD, created.secret.as_str()] {
        let c = Client::new(&s);
        let csrf = csrf_in(&c.page("/admin/login").await);
        let r = c
            .post(
                "/admin/login",
                &[("csrf", &csrf), ("email", &user.email), ("password", password), ("next", "/admin")],
            )
            .await;
        assert_eq!(r.status(), 401, "signing in as a token with {password:?}");
        assert!(!c.cookie_header().contains("newsdesk_session"), "no session");
    }
    // Nor does a bearer header open the back office.
    let r = s.client.get(format!("{}/admin", s.base)).bearer_auth(&created.secret).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/admin/login"));
    s.stop().await;
}

async fn admins_create_list_and_revoke_tokens_in_the_back_office(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let store = &s.state.store;
    make_user(&s, "admin@example.org", Role::Admin).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let mut admin = sign_in(&s, "admin@example.org").await;
    let r = admin.get("/admin/tokens").await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"/admin/tokens\" aria-current=\"page\""), "in the navigation: {page}");
    assert!(page.contains("Nothing here."));
    let csrf = csrf_in(&page);
    // Creating shows the secret once, on the answer to the form.
    let r = admin.post("/admin/tokens", &[("csrf", &csrf), ("name", "Wire feed"), ("role", "editor")]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store", "the secret must not be stored by caches");
    let html = r.text().await.unwrap();
    let secret = between(&html, "<code class=\"secret\">", "</code>").to_string();
    assert!(secret.starts_with("nd_") && secret.len() == 67, "{secret}");
    assert!(html.contains("will not be shown again"), "{html}");
    let who = store.authenticate(&secret, Timestamp::now()).await.unwrap().expect("the shown token works");
    assert_eq!((who.user.role, who.user.name.as_str()), (Role::Editor, "Wire feed"));
    // Listed afterwards by name, role, first characters, creator and last use; never the secret.
    let list = admin.page("/admin/tokens").await;
    assert!(!list.contains(&secret), "the secret is shown only once");
    assert!(list.contains("Wire feed") && list.contains(&format!("{}…", &secret[..10])), "{list}");
    assert!(list.contains("(admin@example.org)") && list.contains("<td>editor</td>"), "{list}");
    assert!(!list.contains(">never<"), "it was used just now: {list}");
    let users = admin.page("/admin/users").await;
    assert!(
        users.contains("editor@example.org") && !users.contains("api.invalid"),
        "token accounts live on the tokens page: {users}"
    );
    admin.lang = "ru";
    let russian = admin.page("/admin/tokens").await;
    assert!(russian.contains("API-токены") && russian.contains("Отозвать"), "{russian}");
    admin.lang = "en";
    // Bad input is explained; a form without the CSRF token is refused; neither creates anything.
    let r = admin.post("/admin/tokens", &[("csrf", &csrf), ("name", " "), ("role", "editor")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Give the token a name"));
    let r = admin.post("/admin/tokens", &[("csrf", &csrf), ("name", "Root"), ("role", "root")]).await;
    assert_eq!(r.status(), 422);
    let r = admin.post("/admin/tokens", &[("name", "No CSRF"), ("role", "admin")]).await;
    assert_eq!(r.status(), 403);
    assert_eq!(store.api_tokens().await.unwrap().len(), 1);
    // An editor may neither see nor create nor revoke tokens, and has no link to them.
    let editor = sign_in(&s, "editor@example.org").await;
    assert_eq!(editor.get("/admin/tokens").await.status(), 403);
    let dashboard = editor.page("/admin").await;
    assert!(!dashboard.contains("/admin/tokens"), "no link for editors");
    let editor_csrf = csrf_in(&dashboard);
    let r =
        editor.post("/admin/tokens", &[("csrf", &editor_csrf), ("name", "Mine"), ("role", "admin")]).await;
    assert_eq!(r.status(), 403);
    let revoke = format!("/admin/tokens/{}/revoke", who.token_id);
    assert_eq!(editor.post(&revoke, &[("csrf", &editor_csrf)]).await.status(), 403);
    assert!(store.authenticate(&secret, Timestamp::now()).await.unwrap().is_some(), "still valid");
    assert_eq!(store.api_tokens().await.unwrap().len(), 1);
    // The admin revokes it: it stops working and is listed as revoked, without a button.
    assert_eq!(admin.post(&revoke, &[]).await.status(), 403, "revoking needs the CSRF token too");
    let r = admin.post(&revoke, &[("csrf", &csrf)]).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/admin/tokens"));
    assert_eq!(store.authenticate(&secret, Timestamp::now()).await.unwrap(), None);
    let list = admin.page("/admin/tokens").await;
    assert!(list.contains("revoked") && !list.contains(&revoke), "{list}");
    assert_eq!(admin.post("/admin/tokens/9999/revoke", &[("csrf", &csrf)]).await.status(), 404);
    // Both are in the audit log, by the admin.
    let audit = admin.page("/admin/audit?action=token.").await;
    assert!(audit.contains("token.create") && audit.contains("token.revoke"), "{audit}");
    let entries = store.audit_log(Some("token."), None, 10).await.unwrap();
    let by: Vec<_> =
        entries.iter().map(|e| (e.action.as_str(), e.user.as_deref(), e.target.as_str())).collect();
    let admin_email = Some("admin@example.org");
    assert_eq!(by, [("token.revoke", admin_email, "Wire feed"), ("token.create", admin_email, "Wire feed")]);
    s.stop().await;
}

on_both_backends!(
    the_command_line_prints_a_token_that_authenticates,
    authentication_refuses_what_it_must_and_records_use_sparingly,
    a_token_account_cannot_sign_in,
    admins_create_list_and_revoke_tokens_in_the_back_office,
);
