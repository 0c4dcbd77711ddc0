//! An invite-only survey in a real browser: the WebAssembly client blinds a random
//! message, exchanges the code for the server's blind signature, and answers with the
//! unblinded token (the shared crate's RFC 9474 code, compiled to wasm32).

use serde_json::json;

use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::TestServer;

const SLUG: &str = "by-invite";

/// Publishes an invite-only survey and returns two of its codes.
fn invite_survey(server: &TestServer) -> Vec<String> {
    let cookie = server.login_admin();
    let survey = json!({
        "slug": SLUG, "languages": ["en", "ru"], "title": {"en": "Members' poll", "ru": "Опрос участников"},
        "settings": {"access": "invite", "min_cell": 3},
        "questions": [{
            "id": "mood", "kind": "single", "required": true,
            "prompt": {"en": "How do you feel?", "ru": "Как вы себя чувствуете?"},
            "options": [{"code": "good", "label": {"en": "Good", "ru": "Хорошо"}},
                        {"code": "bad", "label": {"en": "Bad", "ru": "Плохо"}}]
        }]
    });
    let admin = |path: &str, body: Option<&serde_json::Value>| {
        let reply = server.send("POST", path, body, &[("cookie", &cookie)]);
        assert!(reply.status < 300, "{path}: {}", reply.body);
        reply
    };
    admin("/api/v1/admin/surveys", Some(&survey));
    admin(&format!("/api/v1/admin/surveys/{SLUG}/publish"), None);
    let codes = admin(&format!("/api/v1/admin/surveys/{SLUG}/invites"), Some(&json!({"count": 3}))).json();
    serde_json::from_value(codes["codes"].clone()).unwrap()
}

#[tokio::test]
async fn the_browser_exchanges_the_code_blindly_and_answers_once() {
    let server = TestServer::start();
    let codes = invite_survey(&server);
    let (server, codes) = (&server, &codes);
    with_browser("invited", Setup::PHONE, |client| async move {
        client.goto(&server.url(&format!("/s/{SLUG}?lang=en"))).await.unwrap();
        wait(&client, LIVE_FORM).await;
        // The invite-only bundle, with the RSA code; open surveys load the smaller one.
        assert_eq!(eval(&client, "!!document.querySelector('script[src=\"/assets/invited-boot.js\"]')").await, true);
        click(&client, "input[name=mood][value=good]").await;

        click(&client, "button.send").await;
        assert_eq!(text(&client, "#q-invite.invalid .error").await, "Enter the invite code you were given.");
        // The summary at the top says so, and its link takes the focus to the field.
        assert_eq!(eval(&client, "document.activeElement.id").await, "nansen-errors");
        assert_eq!(
            text(&client, "#nansen-errors li").await,
            "Invite code\nEnter the invite code you were given."
        );
        click(&client, "#nansen-errors a[href='#q-invite']").await;
        assert_eq!(eval(&client, "document.activeElement.id").await, "invite");
        assert_eq!(eval(&client, "document.activeElement.getAttribute('aria-invalid')").await, "true");

        wait(&client, "#invite").await.send_keys("ZZZZZ-ZZZZZ").await.unwrap();
        click(&client, "button.send").await;
        wait_until(
            &client,
            "the wrong code is refused",
            "return document.querySelector('#q-invite .error')?.textContent.startsWith('This invite code is not valid')",
        )
        .await;

        let field = wait(&client, "#invite").await;
        field.clear().await.unwrap();
        // As someone would type it from paper. Leaving the field exchanges the code at
        // once, long before the answers go.
        field.send_keys(&codes[0].to_lowercase().replace('-', " ")).await.unwrap();
        click(&client, "input[name=mood][value=bad]").await;
        let ready = text(&client, ".invite-ready").await;
        assert!(ready.starts_with("The code is accepted"), "{ready}");
        click(&client, "input[name=mood][value=good]").await;
        click(&client, "button.send").await;
        let notice = text(&client, "#app > .notice.success").await;
        assert!(notice.starts_with("Your answers were counted"), "{notice}");
        assert_eq!(eval(&client, "document.cookie").await, "", "a respondent gets no cookie");

        // The same code in a new tab is used up.
        client.goto(&server.url(&format!("/s/{SLUG}?lang=en"))).await.unwrap();
        wait(&client, LIVE_FORM).await;
        click(&client, "input[name=mood][value=bad]").await;
        wait(&client, "#invite").await.send_keys(&codes[0]).await.unwrap();
        click(&client, "button.send").await;
        wait_until(
            &client,
            "the used code is refused",
            "return document.querySelector('#q-invite .error')?.textContent.startsWith('This invite code was already used')",
        )
        .await;
    })
    .await;

    // One answer counted; two more codes make the total large enough to show, and the
    // first code's answer is among them.
    for code in &codes[1..] {
        let fields = format!("version=1&key={}&invite={code}&mood=good", crate::helpers::fresh_key());
        let reply = server.post_raw(&format!("/s/{SLUG}"), "application/x-www-form-urlencoded", &fields, &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let counted = server.counts(SLUG);
    assert_eq!((counted.respondents(), counted.chose("mood", "good")), (3, 3));
}
