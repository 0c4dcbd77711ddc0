//! A server too busy to take one more submission answers 503 with `Retry-After`; the
//! respondent's client says so, waits that long, sends the same answers again by itself,
//! and they are counted once.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::driver::{LIVE_FORM, Setup, click, text, wait, with_browser};
use crate::helpers::{TestServer, fresh_key};

/// The batch clock's grid: a submission waits for the next multiple of this.
const WINDOW_MS: u128 = 10_000;

fn publish(server: &TestServer) {
    let cookie = server.login_admin();
    let survey = json!({
        "slug": "busy", "languages": ["en"], "title": {"en": "Busy"},
        "questions": [{
            "id": "mood", "kind": "single", "required": true, "prompt": {"en": "How do you feel?"},
            "options": [{"code": "good", "label": {"en": "Good"}}, {"code": "bad", "label": {"en": "Bad"}}]
        }]
    });
    for (path, body) in
        [("/api/v1/admin/surveys", Some(&survey)), ("/api/v1/admin/surveys/busy/publish", None)]
    {
        let reply = server.send("POST", path, body, &[("cookie", &cookie)]);
        assert!(reply.status < 300, "{path}: {}", reply.body);
    }
}

/// Sends a submission over a connection of its own and leaves the reply unread: the
/// submission waits in the mixer for the batch clock's next tick.
fn submit_and_leave_waiting(server: &TestServer) -> TcpStream {
    let address = server.url("");
    let address = address.trim_start_matches("http://").trim_end_matches('/');
    let body = json!({"version": 1, "answers": {"mood": "bad"}, "key": fresh_key()}).to_string();
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /api/v1/surveys/busy/responses HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream
}

/// Milliseconds since the batch clock's last tick.
fn since_tick() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() % WINDOW_MS
}

#[tokio::test]
async fn a_busy_server_is_waited_for_and_the_answers_sent_again_by_themselves() {
    // Room for one waiting submission, committed every 10 s.
    let env = [("NANSEN_BATCH_WINDOW_MS", "10000"), ("NANSEN_MIXER_QUEUE", "1")];
    let server = TestServer::start_with(Arc::new(tempfile::tempdir().unwrap()), &env);
    publish(&server);
    let server = &server;
    let mut waiting = None;
    let slot = &mut waiting;
    with_browser("busy", Setup::DESKTOP, |client| async move {
        client.goto(&server.url("/s/busy?lang=en")).await.unwrap();
        wait(&client, LIVE_FORM).await;
        click(&client, "input[name=mood][value=good]").await;
        // Just after a tick, someone else's submission takes the one waiting place until
        // the next, ten seconds on; this one is refused for now.
        while !(200..2_000).contains(&since_tick()) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        *slot = Some(submit_and_leave_waiting(server));
        tokio::time::sleep(Duration::from_millis(300)).await;
        click(&client, "button.send").await;
        let notice = text(&client, "p.notice").await;
        assert_eq!(
            notice,
            "The server is busy, so your answers are not counted yet. They will be sent again by themselves \
             in 11 s: keep this page open."
        );
        // The pause, the same answers again, and the next tick: counted.
        let counted = text(&client, ".notice.success").await;
        assert!(counted.starts_with("Your answers were counted"), "{counted}");
    })
    .await;
    let mut reply = String::new();
    waiting.take().unwrap().read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let counted = server.counts("busy");
    assert_eq!(counted.respondents(), 2, "each counted once");
    assert_eq!((counted.chose("mood", "good"), counted.chose("mood", "bad")), (1, 1));
}
