//! The admin's staff screens in a real browser: an admin adds a researcher, resets her
//! password (which she then logs in with), makes her an API token that is shown once,
//! which reads results until the admin revokes it, and finds all of it in the audit
//! log. axe-core checks each screen, on a desktop and on a phone.

use fantoccini::Client;
use serde_json::json;

use crate::axe::assert_accessible;
use crate::driver::{Setup, click, eval, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, TestServer};
use crate::respondent::screenshot;
use crate::staff::{log_in, type_into};

/// The value of the input `css`.
async fn value(client: &Client, css: &str) -> String {
    wait(client, css).await;
    eval(client, &format!("document.querySelector('{css}').value")).await.as_str().unwrap().to_owned()
}

/// The id of the element that has the keyboard.
async fn focused(client: &Client) -> String {
    eval(client, "document.activeElement && document.activeElement.id")
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// Clicks a `ConfirmButton` in `row`, checks that the question takes the keyboard (on
/// "Cancel"), and confirms.
async fn confirm(client: &Client, row: &str, button: &str, action: &str) {
    click(client, &format!("{row} button.{button}")).await;
    let cancel =
        wait(client, &format!("{row} [id$='-{action}-cancel']")).await.attr("id").await.unwrap().unwrap();
    assert_eq!(focused(client).await, cancel, "the question takes the keyboard");
    click(client, &format!("{row} [id$='-{action}-confirm']")).await;
}

#[tokio::test]
async fn an_admin_manages_a_researchers_account_and_token_and_reads_the_audit_log() {
    let server = crate::releases::without_schedule();
    server.publish_exact("diaspora", 5);
    crate::releases::answer(&server, "diaspora", 5, 16);
    server.release("diaspora");
    let server = &server;
    with_browser("team_admin_manages", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/admin")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        click(&client, "#nav-staff").await;
        wait(&client, "#account-table tr[data-username=admin]").await;
        // Nobody resets or removes their own account here.
        assert_eq!(eval(&client, "document.querySelectorAll('tr[data-username=admin] button').length").await, json!(0));
        assert_accessible(&client, "staff accounts").await;

        // A researcher, with a password the server makes and shows once.
        type_into(&client, "#new-username", "vera").await;
        click(&client, "#add-account-submit").await;
        let first = value(&client, "#account-password-value").await;
        assert_eq!(focused(&client).await, "account-password-value", "the password takes the keyboard");
        wait(&client, "#account-table tr[data-username=vera] td[data-role=researcher]").await;
        assert_accessible(&client, "staff accounts, a new password shown").await;
        screenshot(&client, "team-accounts-password").await;
        click(&client, "#account-password-hide").await;
        assert_eq!(focused(&client).await, "accounts-outcome");

        // Her password reset, asked first: the new one is shown, the old one is over.
        confirm(&client, "tr[data-username=vera]", "reset-password", "reset").await;
        wait_until(
            &client,
            "a new password is shown",
            &format!("const box = document.querySelector('#account-password-value'); return !!box && box.value !== '{first}';"),
        )
        .await;
        let second = value(&client, "#account-password-value").await;
        assert!(second.len() >= 24, "{second}");
        server
            .post_json("/api/v1/session", &json!({"username": "vera", "password": first}))
            .problem(401, "invalid-credentials");
        server.login("vera", &second);

        // A token for her scripts, shown once.
        click(&client, "#team-tokens").await;
        wait(&client, "#no-tokens").await;
        type_into(&client, "#token-label", "R scripts").await;
        wait(&client, "#token-owner option[value=vera]").await;
        assert_eq!(value(&client, "#token-owner").await, "vera", "a researcher is offered first");
        click(&client, "#create-token-submit").await;
        let token = value(&client, "#new-token-value").await;
        assert!(token.starts_with("nansen_"), "{token}");
        assert_eq!(focused(&client).await, "new-token-value");
        wait(&client, "#token-table tr[data-username=vera]").await;
        assert_accessible(&client, "API tokens, a new token shown").await;
        screenshot(&client, "team-tokens-new").await;

        // Gone after a reload, and never in the list.
        client.refresh().await.unwrap();
        wait(&client, "#token-table tr[data-username=vera]").await;
        assert!(client.find(fantoccini::Locator::Css("#new-token-value")).await.is_err());
        let page = eval(&client, "document.documentElement.outerHTML").await;
        assert!(!page.as_str().unwrap().contains(&token[7..]), "the token is on the page again");
        assert!(page.as_str().unwrap().contains("R scripts"));

        let bearer = format!("Bearer {token}");
        let results = server.get_with("/api/v1/surveys/diaspora/results", &[("authorization", &bearer)]);
        assert_eq!(results.status, 200, "{}", results.body);

        confirm(&client, "#token-table tr[data-username=vera]", "revoke-token", "revoke").await;
        wait(&client, "#no-tokens").await;
        assert_eq!(focused(&client).await, "tokens-outcome");
        server
            .get_with("/api/v1/surveys/diaspora/results", &[("authorization", &bearer)])
            .problem(401, "unauthenticated");

        // All of it is on the record, newest first.
        click(&client, "#team-audit").await;
        wait(&client, "#audit-table").await;
        let actions = eval(&client, "[...document.querySelectorAll('#audit-table tbody tr')].map(r => r.dataset.action)").await;
        let actions: Vec<String> = serde_json::from_value(actions).unwrap();
        let at = |action: &str| actions.iter().position(|a| a == action).unwrap_or_else(|| panic!("{action}: {actions:?}"));
        assert!(at("token_revoke") < at("token_create"), "{actions:?}");
        assert!(at("token_create") < at("user_password_reset"), "{actions:?}");
        assert!(at("user_password_reset") < at("user_create"), "{actions:?}");
        assert_accessible(&client, "the audit log").await;
        screenshot(&client, "team-audit").await;

        // One kind of action only.
        click(&client, "#audit-action option[value=user_password_reset]").await;
        click(&client, "#audit-show").await;
        wait_until(
            &client,
            "only resets are listed",
            "const rows = [...document.querySelectorAll('#audit-table tbody tr')]; \
             return rows.length === 1 && rows[0].dataset.action === 'user_password_reset' && rows[0].textContent.includes('vera');",
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn the_staff_screens_read_well_on_a_phone() {
    let server = TestServer::start();
    let admin = server.login_admin();
    let created = server.send(
        "POST",
        "/api/v1/admin/users",
        Some(&json!({"username": "vera", "role": "researcher"})),
        &[("cookie", &admin)],
    );
    assert_eq!(created.status, 201);
    // More entries than a page of the audit log holds (50).
    for i in 0..55 {
        let label = json!({"username": "vera", "label": format!("script {i}")});
        let created = server.send("POST", "/api/v1/admin/tokens", Some(&label), &[("cookie", &admin)]);
        assert_eq!(created.status, 201);
    }
    let server = &server;
    with_browser("team_phone", Setup::PHONE, |client| async move {
        client.goto(&server.url("/admin/staff")).await.unwrap();
        log_in(&client, "admin", ADMIN_PASSWORD).await;
        for (path, table) in [
            ("/admin/staff", "#account-table"),
            ("/admin/staff/tokens", "#token-table"),
            ("/admin/staff/audit", "#audit-table"),
        ] {
            client.goto(&server.url(path)).await.unwrap();
            wait(&client, &format!("{table} tbody tr")).await;
            // Rows are cards: nothing to scroll sideways.
            let fits = eval(&client, "document.documentElement.scrollWidth <= window.innerWidth").await;
            assert_eq!(fits, json!(true), "{path} is wider than the phone");
            assert_accessible(&client, &format!("{path} on a phone")).await;
            screenshot(&client, &format!("team-phone{}", path.replace('/', "-"))).await;
        }
        // The audit log, a page at a time: the keyboard follows to the page's number.
        let rows = "document.querySelectorAll('#audit-table tbody tr').length";
        assert_eq!(eval(&client, rows).await, json!(50));
        assert_eq!(eval(&client, "document.querySelector('#audit-newer').disabled").await, json!(true));
        click(&client, "#audit-older").await;
        wait_until(
            &client,
            "the second page",
            "return document.querySelector('#audit-position').textContent === 'Page 2' \
            && !!document.querySelector('#audit-table tr[data-action=user_create]');",
        )
        .await;
        assert_eq!(focused(&client).await, "audit-position");
        assert_eq!(eval(&client, "document.querySelector('#audit-older').disabled").await, json!(true));
        click(&client, "#audit-newer").await;
        wait_until(
            &client,
            "the first page again",
            "return document.querySelector('#audit-position').textContent === 'Page 1' \
            && document.querySelector('#audit-table tbody').textContent.includes('(script 54)');",
        )
        .await;
    })
    .await;
}
