//! Two-factor sign-in over real HTTP, on both backends, with codes computed by an independent
//! implementation (Python's `pyotp`, as an authenticator app would compute them): turning it
//! on, signing in with a code and with a recovery code, replays and wrong codes refused, the
//! requirement for editors and admins, and an admin removing someone's second factor.

use crate::admin::{PASSWORD, make_user, sign_in};
use crate::harness::{Backend, TestServer, between, say_skipped};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, location};
use newsdesk::domain::user::Role;

/// The code `pyotp` computes for `secret`, `offset` seconds from now; `None` without pyotp. The
/// system's Python is tried too, where Debian's `python3-pyotp` lives when `python3` on the
/// path is another installation.
fn pyotp_code(secret: &str, offset: i64) -> Option<String> {
    const SCRIPT: &str =
        "import pyotp, sys, time; print(pyotp.TOTP(sys.argv[1]).at(time.time() + float(sys.argv[2])))";
    ["python3", "/usr/bin/python3"].into_iter().find_map(|python| {
        let out = std::process::Command::new(python)
            .args(["-c", SCRIPT, secret, &offset.to_string()])
            .output()
            .ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    })
}

/// Signs in with the password and returns the client waiting for its code.
async fn password_step<'a>(s: &'a TestServer, email: &str) -> Client<'a> {
    let c = Client::new(s);
    let csrf = csrf_in(&c.page("/admin/login").await);
    let r = c
        .post(
            "/admin/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD), ("next", "/admin")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login/code", "a second factor is asked for");
    c
}

/// Sends a code on the second step; the response's status and where it leads.
async fn code_step(c: &Client<'_>, code: &str) -> (u16, String, String) {
    let csrf = csrf_in(&c.page("/admin/login/code").await);
    let r = c.post("/admin/login/code", &[("csrf", &csrf), ("code", code)]).await;
    let (status, to) = (r.status().as_u16(), location(&r));
    (status, to, r.text().await.unwrap())
}

async fn two_factor_sign_in_works_with_an_authenticator_app(backend: Backend) {
    if pyotp_code("JBSWY3DPEHPK3PXP", 0).is_none() {
        say_skipped(
            "python3 with pyotp is not installed (`.ci/run` installs python3-pyotp); two-factor sign-in not tested",
        );
        return;
    }
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "ana@example.org", Role::Editor).await;
    make_user(&s, "boss@example.org", Role::Admin).await;

    // Turning it on: a wrong code is refused and the same key offered again; the app's code works.
    let ana = sign_in(&s, "ana@example.org").await;
    let page = ana.page("/admin/two-factor").await;
    assert!(page.contains("data:image/svg+xml;base64,"), "a QR code to scan");
    let secret = between(&page, "name=\"secret\" value=\"", "\"").to_string();
    assert_eq!(secret.len(), 32, "{secret}");
    let csrf = csrf_in(&page);
    let r = ana
        .post("/admin/two-factor/enable", &[("csrf", &csrf), ("secret", &secret), ("code", "000000")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(&secret), "the same key, so the app need not scan again");
    let code = pyotp_code(&secret, 0).unwrap();
    let r =
        ana.post("/admin/two-factor/enable", &[("csrf", &csrf), ("secret", &secret), ("code", &code)]).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let recovery: Vec<String> = between(&page, "<ol>", "</ol>")
        .split("<code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(recovery.len(), 10, "{page}");

    // The password alone no longer opens a session.
    let c = password_step(&s, "ana@example.org").await;
    assert_eq!(location(&c.get("/admin").await), "/admin/login?next=/admin", "no session yet");
    // The code used to turn it on cannot be used again; a wrong one is refused in words.
    let (status, _, text) = code_step(&c, &code).await;
    assert_eq!(status, 401, "a replayed code");
    assert!(text.contains("That code is not right"), "{text}");
    // The next code the app shows signs in.
    let next = pyotp_code(&secret, 30).unwrap();
    let (status, to, _) = code_step(&c, &next).await;
    assert_eq!((status, to.as_str()), (303, "/admin"));
    assert_eq!(c.get("/admin").await.status(), 200);
    // Seen over a shoulder, that code opens nothing else.
    let thief = password_step(&s, "ana@example.org").await;
    assert_eq!(code_step(&thief, &next).await.0, 401);

    // A recovery code signs in once, and the page says how many are left.
    let c = password_step(&s, "ana@example.org").await;
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let (status, to, _) = code_step(&c, &typed).await;
    assert_eq!((status, to.as_str()), (303, "/admin/two-factor?recovered=1"));
    assert!(c.page(&to).await.contains("9 remain"));
    let again = password_step(&s, "ana@example.org").await;
    assert_eq!(code_step(&again, &recovery[0]).await.0, 401, "a recovery code works once");

    // Guessing: after a few wrong codes even the right one is refused until the throttle ends.
    let guesser = password_step(&s, "ana@example.org").await;
    let mut statuses = Vec::new();
    while statuses.last() != Some(&429) && statuses.len() < 6 {
        statuses.push(code_step(&guesser, "123456").await.0);
    }
    assert_eq!(
        statuses.last(),
        Some(&429),
        "the account's sign-in throttle counts wrong codes: {statuses:?}"
    );
    assert_eq!(location(&guesser.get("/admin/login/code").await), "/admin/login", "that sign-in is over");
    let csrf = csrf_in(&guesser.page("/admin/login").await);
    let form = [("csrf", csrf.as_str()), ("email", "ana@example.org"), ("password", PASSWORD)];
    assert_eq!(guesser.post("/admin/login", &form).await.status(), 429, "and the account waits");
    s.state.store.clear_login_attempts("account", "ana@example.org").await.unwrap();

    // An admin requires a second factor: an editor without one sees only the set-up page.
    make_user(&s, "ivan@example.org", Role::Editor).await;
    let boss = sign_in(&s, "boss@example.org").await;
    let csrf = csrf_in(&boss.page("/admin/users").await);
    let r = boss.post("/admin/users/two-factor", &[("csrf", &csrf), ("required", "1")]).await;
    assert_eq!(location(&r), "/admin/users?done=required");
    assert_eq!(location(&boss.get("/admin/articles").await), "/admin/two-factor", "admins too");
    let ivan = sign_in(&s, "ivan@example.org").await;
    assert_eq!(location(&ivan.get("/admin/articles/new").await), "/admin/two-factor");
    let page = ivan.page("/admin/two-factor").await;
    assert!(page.contains("requires editors and administrators to sign in with a second factor"), "{page}");
    let author = {
        make_user(&s, "olga@example.org", Role::Author).await;
        sign_in(&s, "olga@example.org").await
    };
    assert_eq!(author.get("/admin/articles/new").await.status(), 200, "authors are not required");

    // The admin removes Ana's second factor (a lost phone): her sessions end, and her password
    // alone signs her in again.
    let ana_id = s.state.store.user_for_login("ana@example.org").await.unwrap().unwrap().0.id;
    // (The requirement is lifted first, so the admin, who has no second factor, may act.)
    s.state.store.set_two_factor_required(false).await.unwrap();
    let boss = sign_in(&s, "boss@example.org").await;
    let csrf = csrf_in(&boss.page("/admin/users").await);
    let r = boss.post(&format!("/admin/users/{ana_id}/two-factor/reset"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), "/admin/users?done=reset");
    assert_eq!(location(&ana.get("/admin").await), "/admin/login?next=/admin", "her sessions ended");
    let ana = sign_in(&s, "ana@example.org").await;
    assert_eq!(ana.get("/admin").await.status(), 200, "the password alone again");
    let audit = boss.page("/admin/audit").await;
    for action in ["two_factor.on", "login.code_failed", "user.two_factor_reset", "settings.two_factor"] {
        assert!(audit.contains(action), "{action} in the audit log");
    }
    s.stop().await;
}

on_both_backends!(two_factor_sign_in_works_with_an_authenticator_app);
