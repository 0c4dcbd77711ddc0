//! What others learn from a respondent's requests, in a real browser, through a
//! recording proxy (`crate::proxy`) that plays the network observer: the size of what
//! is sent and received, which must not depend on the answers; whether a staff session
//! held by the same browser goes with them, which it must not; and what stays on the
//! device once the answers are counted.

use fantoccini::Client;
use fantoccini::cookies::Cookie;
use nansen_shared::answer::{form_fields, form_value, to_form};
use nansen_shared::{Answer, Answers, QuestionKind, Survey, pad};
use serde_json::json;

use crate::driver::{LIVE_FORM, Setup, click, eval, text, wait, wait_until, with_browser};
use crate::helpers::{ADMIN_PASSWORD, Rng, TestServer, fresh_key, valid_answers};
use crate::proxy::{Exchange, Proxy};

const NO_JAVASCRIPT: Setup = Setup { javascript: false, ..Setup::DESKTOP };

/// Answers with the WebAssembly client's own inputs, question by question (a later
/// question may appear only once an earlier one is answered).
async fn answer_live(client: &Client, survey: &Survey, answers: &Answers) {
    for question in &survey.questions {
        let id = question.id.as_str();
        let Some(answer) = answers.get(id) else { continue };
        match (&question.kind, answer) {
            (QuestionKind::Multi { .. }, Answer::Codes(codes)) => {
                for code in codes {
                    click(client, &format!("input[name={id}][value={code}]")).await;
                }
            }
            (QuestionKind::Number { .. }, Answer::Number(n)) => {
                crate::respondent::type_number(client, id, &n.to_string()).await;
            }
            (QuestionKind::Country { .. }, Answer::Code(code)) => {
                wait(client, &format!("select[name={id}]")).await.select_by_value(code).await.unwrap();
            }
            (QuestionKind::Grid { .. }, Answer::Rows(rows)) => {
                for (row, option) in rows {
                    click(client, &format!("input[name='{id}.{row}'][value='{option}']")).await;
                }
            }
            (_, Answer::Number(n)) => click(client, &format!("input[name={id}][value='{n}']")).await,
            (_, Answer::Code(code)) => click(client, &format!("input[name={id}][value={code}]")).await,
            (_, other) => panic!("{id}: {other:?}"),
        }
    }
}

/// Answers with the server's plain form, as someone without JavaScript clicks it.
async fn answer_plain(client: &Client, survey: &Survey, answers: &Answers) {
    for question in &survey.questions {
        let id = question.id.as_str();
        let Some(answer) = answers.get(id) else { continue };
        let value = |code: &str| form_value(question, code);
        match (&question.kind, answer) {
            (QuestionKind::Multi { .. }, Answer::Codes(codes)) => {
                for code in codes {
                    click(client, &format!("input[name='{id}.{code}'][value='1']")).await;
                }
            }
            (QuestionKind::Number { .. }, Answer::Number(_)) => {
                // The number from the list (its value as the form sends it).
                let (_, sent) = form_fields(question, Some(answer)).remove(0);
                wait(client, &format!("select[name={id}]")).await.select_by_value(&sent).await.unwrap();
            }
            (QuestionKind::Country { .. }, Answer::Code(code)) => {
                wait(client, &format!("select[name={id}]")).await.select_by_value(code).await.unwrap();
            }
            (QuestionKind::Grid { .. }, Answer::Rows(rows)) => {
                // The plain form pads each option code with dots to one width.
                for (row, option) in rows {
                    let field = format!("input[name='{id}.{row}']");
                    click(client, &format!("{field}[value='{option}'], {field}[value^='{option}.']")).await;
                }
            }
            (_, Answer::Number(n)) => {
                click(client, &format!("input[name={id}][value='{}']", value(&n.to_string()))).await
            }
            (_, Answer::Code(code)) => {
                click(client, &format!("input[name={id}][value='{}']", value(code))).await
            }
            (_, other) => panic!("{id}: {other:?}"),
        }
    }
}

/// The exchanges of method `method` whose path starts with `path`.
fn sent(proxy: &Proxy, method: &str, path: &str) -> Vec<Exchange> {
    proxy
        .exchanges()
        .into_iter()
        .filter(|e| e.request.target().0 == method && e.request.target().1.starts_with(path))
        .collect()
}

/// The one value of `values`, or a failure listing them.
#[track_caller]
fn one(what: &str, values: Vec<usize>) -> usize {
    assert!(!values.is_empty(), "no {what}");
    assert!(values.iter().all(|v| *v == values[0]), "{what} differ: {values:?}");
    values[0]
}

/// Different answers in different languages, sent by the client and by the plain form:
/// the observer sees the same number of bytes each time, each way.
#[tokio::test]
async fn a_network_observer_sees_the_same_sizes_whatever_was_answered() {
    let server = TestServer::start();
    let proxy = Proxy::start(&server.url(""));
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(20);
    let sets: Vec<Answers> = (0..6).map(|_| valid_answers(&survey, &mut rng)).collect();
    assert!(sets.windows(2).all(|w| w[0] != w[1]));
    let (proxy, survey, sets) = (&proxy, &survey, &sets);

    with_browser("observer_client_sizes", Setup::DESKTOP, |client| async move {
        for (answers, lang) in sets[..3].iter().zip(["en", "ru", "be"]) {
            client.goto(&proxy.url(&format!("/s/diaspora?lang={lang}"))).await.unwrap();
            wait(&client, LIVE_FORM).await;
            answer_live(&client, survey, answers).await;
            // Switching language sends the answers too, as the plain form's fields.
            let progress = text(&client, ".progress span").await;
            click(&client, "nav.languages button[value=uk]").await;
            wait_until(&client, "the page is in Ukrainian", "return document.documentElement.lang === 'uk'")
                .await;
            wait(&client, LIVE_FORM).await;
            let kept = text(&client, ".progress span").await;
            let numbers = |t: &str| {
                t.split(|c: char| !c.is_ascii_digit())
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            assert_eq!(numbers(&kept), numbers(&progress), "the answers are kept: {progress} / {kept}");
            click(&client, "button.send").await;
            wait(&client, ".notice.success").await;
        }
    })
    .await;
    let switches = sent(proxy, "POST", "/s/diaspora?lang=uk");
    assert_eq!(switches.len(), 3, "{switches:?}");
    one("language switches", switches.iter().map(|e| e.request.length).collect());
    one("forms shown again", switches.iter().map(|e| e.reply.as_ref().unwrap().length).collect());
    let submissions = sent(proxy, "POST", "/api/v1/surveys/diaspora/responses");
    assert_eq!(submissions.len(), 3, "{submissions:?}");
    let bodies = submissions.iter().map(|e| e.request.body.len()).collect();
    assert_eq!(one("submission bodies", bodies), pad::submission_size(survey));
    one("submissions on the wire", submissions.iter().map(|e| e.request.length).collect());
    for submission in &submissions {
        let json: serde_json::Value = serde_json::from_slice(&submission.request.body).unwrap();
        assert!(json["pad"].as_str().is_some_and(|p| p.len() > 100 && p.trim().is_empty()), "{json}");
        let reply = submission.reply.as_ref().expect("a reply");
        assert!(reply.start.starts_with("HTTP/1.1 200"), "{}", reply.start);
        assert_eq!(reply.body.len(), pad::REPLY_SIZE);
        assert_eq!(reply.header("content-encoding"), None);
    }
    one("replies on the wire", submissions.iter().map(|e| e.reply.as_ref().unwrap().length).collect());

    proxy.clear();
    with_browser("observer_plain_sizes", NO_JAVASCRIPT, |client| async move {
        for (answers, lang) in sets[3..].iter().zip(["uk", "en", "ru"]) {
            client.goto(&proxy.url(&format!("/s/diaspora?lang={lang}"))).await.unwrap();
            wait(&client, "form.questionnaire").await;
            answer_plain(&client, survey, answers).await;
            click(&client, "button.send").await;
            wait(&client, ".notice.success").await;
        }
    })
    .await;
    let forms = sent(proxy, "POST", "/s/diaspora");
    assert_eq!(forms.len(), 3, "{forms:?}");
    one("form bodies", forms.iter().map(|e| e.request.body.len()).collect());
    one("forms on the wire", forms.iter().map(|e| e.request.length).collect());
    for form in &forms {
        let reply = form.reply.as_ref().expect("a reply");
        assert!(reply.start.starts_with("HTTP/1.1 200"), "{}", reply.start);
        assert_eq!(reply.header("content-encoding"), None);
    }
    one("confirmations on the wire", forms.iter().map(|e| e.reply.as_ref().unwrap().length).collect());
    assert_eq!(server.counts("diaspora").respondents(), 6);
}

/// Logs in on the staff screens, as a person would.
async fn log_in(client: &Client) {
    wait(client, "#login-username").await.send_keys("admin").await.unwrap();
    wait(client, "#login-password").await.send_keys(ADMIN_PASSWORD).await.unwrap();
    click(client, "#login-submit").await;
    wait_until(
        client,
        "logged in",
        "return (document.querySelector('#whoami') || {}).textContent?.includes('admin') === true",
    )
    .await;
}

/// Publishes a new version of the default survey (its title changed), so that the
/// client finds its answers stale and asks for the definition again.
fn republish(server: &TestServer) {
    let cookie = server.login_admin();
    let admin = "/api/v1/admin/surveys/diaspora";
    let mut definition = server.get_with(admin, &[("cookie", &cookie)]).json()["definition"].clone();
    definition["title"]["en"] = json!("Life after leaving, again");
    assert_eq!(server.send("PUT", admin, Some(&definition), &[("cookie", &cookie)]).status, 200);
    let published = server.send("POST", &format!("{admin}/publish"), None, &[("cookie", &cookie)]);
    assert_eq!(published.status, 200, "{}", published.body);
}

/// A staff member answers a survey in the browser they are logged in with: neither the
/// client's requests (the page, the definition, the answers) nor the plain form's carry
/// the session cookie the browser holds.
#[tokio::test]
async fn a_staff_session_never_goes_with_a_respondents_request() {
    let server = TestServer::start();
    let proxy = Proxy::start(&server.url(""));
    let survey = server.survey("diaspora");
    let answers = valid_answers(&survey, &mut Rng::new(5));
    let (server, proxy, survey, answers) = (&server, &proxy, &survey, &answers);
    let mut held: Vec<Cookie<'static>> = Vec::new();
    let held_ref = &mut held;

    with_browser("staff_cookie_client", Setup::DESKTOP, |client| async move {
        client.goto(&proxy.url("/admin")).await.unwrap();
        log_in(&client).await;
        wait(&client, "#survey-table tr[data-slug=diaspora]").await;
        // The cookie is the API's (WebDriver shows a page the cookies sent to its path).
        client.goto(&proxy.url("/api/v1/session")).await.unwrap();
        *held_ref = client.get_all_cookies().await.unwrap();
        assert!(!held_ref.is_empty(), "the browser holds the session");
        // The staff screens do send it: the observer would see it if it went along.
        let staff = sent(proxy, "GET", "/api/v1/");
        assert!(staff.iter().any(|e| e.request.header("cookie").is_some()), "{staff:?}");

        proxy.clear();
        client.goto(&proxy.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_live(&client, survey, answers).await;
        // The survey changes meanwhile: the client is told, and fetches the definition.
        republish(server);
        click(&client, "button.send").await;
        wait(&client, ".notice:not(.error)").await;
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
    })
    .await;
    let from_client = proxy.exchanges();
    proxy.clear();

    // Without JavaScript: a browser holding the same cookie, as the server set it.
    with_browser("staff_cookie_plain", NO_JAVASCRIPT, |client| async move {
        client.goto(&proxy.url("/api/v1/session")).await.unwrap();
        for cookie in held.iter().cloned() {
            client.add_cookie(cookie).await.unwrap();
        }
        assert_eq!(
            client.get_all_cookies().await.unwrap().len(),
            held.len(),
            "the browser holds the session"
        );
        proxy.clear();
        client.goto(&proxy.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, "form.questionnaire").await;
        answer_plain(&client, survey, answers).await;
        click(&client, "button.send").await;
        wait(&client, ".notice.success").await;
    })
    .await;
    let from_form = proxy.exchanges();

    let targets = |exchanges: &[Exchange]| -> Vec<String> {
        exchanges.iter().map(|e| format!("{} {}", e.request.target().0, e.request.target().1)).collect()
    };
    let (client_sent, form_sent) = (targets(&from_client), targets(&from_form));
    for expected in
        ["GET /s/diaspora?lang=en", "GET /api/v1/surveys/diaspora", "POST /api/v1/surveys/diaspora/responses"]
    {
        assert!(client_sent.iter().any(|t| t.starts_with(expected)), "{expected} in {client_sent:?}");
    }
    for expected in ["GET /s/diaspora?lang=en", "POST /s/diaspora?lang=en"] {
        assert!(form_sent.iter().any(|t| t == expected), "{expected} in {form_sent:?}");
    }
    for exchange in from_client.iter().chain(&from_form) {
        let (method, path) = exchange.request.target();
        assert_eq!(exchange.request.header("cookie"), None, "{method} {path} carried the staff session");
    }
    assert_eq!(server.counts("diaspora").respondents(), 2, "both, under the new version");
}

/// The client keeps nothing of the answers in the browser's storage; and once answers
/// are counted the browser is told to clear what the site kept there
/// (`Clear-Site-Data: "cache", "storage"`), which Chromium does for the plain form's
/// confirmation page. (It ignores the header on the reply to the client's submission:
/// Chromium honours it only for requests allowed to change cookies, and a respondent's
/// requests carry no credentials at all. The client keeps nothing there to clear.)
#[tokio::test]
async fn after_counting_nothing_of_the_site_stays_in_the_browsers_storage() {
    let server = TestServer::start();
    let survey = server.survey("diaspora");
    let mut rng = Rng::new(8);
    let answers = [valid_answers(&survey, &mut rng), valid_answers(&survey, &mut rng)];
    let (server, survey, answers) = (&server, &survey, &answers);
    let stored = "localStorage.length + sessionStorage.length";
    with_browser("device_storage_client", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=ru")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        answer_live(&client, survey, &answers[0]).await;
        assert_eq!(eval(&client, stored).await, 0, "the client keeps the answers in memory only");
        click(&client, "button.send").await;
        assert!(text(&client, ".notice.success").await.starts_with("Ваши ответы учтены"));
        assert_eq!(eval(&client, stored).await, 0);
        assert_eq!(eval(&client, "document.cookie").await, "");
    })
    .await;
    // The plain form's answers, sent by the browser as the form sends them (a page that
    // posts them, so that a script can look into the storage before and after).
    with_browser("device_storage_plain", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/s/diaspora?lang=en")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        // Whatever the site might have left there...
        client.execute("localStorage.setItem('left', 'behind'); return true;", vec![]).await.unwrap();
        let mut fields = vec![("version".to_owned(), "1".to_owned()), ("key".to_owned(), fresh_key())];
        fields.extend(to_form(survey, &answers[1]));
        let post = "const form = document.createElement('form');
            form.method = 'post'; form.action = '/s/diaspora?lang=en';
            for (const [name, value] of arguments[0]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value; form.append(input);
            }
            document.body.append(form); form.submit(); return true;";
        client.execute(post, vec![json!(fields)]).await.unwrap();
        assert!(text(&client, ".notice.success").await.starts_with("Your answers were counted"));
        // ...is gone once the answers are counted.
        wait_until(&client, "the storage is cleared", "return localStorage.length === 0").await;
    })
    .await;
    assert_eq!(server.counts("diaspora").respondents(), 2);
}
