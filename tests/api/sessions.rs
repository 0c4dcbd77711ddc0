//! Staff log in with a password and get an HttpOnly, SameSite=Strict session cookie;
//! results are theirs alone unless a survey makes them public.

use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, TestServer};

#[test]
fn wrong_credentials_get_the_same_answer() {
    let server = TestServer::start();
    let wrong_password =
        server.post_json("/api/v1/session", &json!({"username": "admin", "password": "wrong password!"}));
    let unknown_user =
        server.post_json("/api/v1/session", &json!({"username": "nobody", "password": ADMIN_PASSWORD}));
    let a = wrong_password.problem(401, "invalid-credentials");
    let b = unknown_user.problem(401, "invalid-credentials");
    assert_eq!(a, b);
    assert_eq!(wrong_password.header("set-cookie"), None);
}

#[test]
fn a_session_opens_reads_results_and_closes() {
    let server = TestServer::start();
    let results = "/api/v1/surveys/diaspora/results";
    server.get(results).problem(401, "unauthenticated");

    let login =
        server.post_json("/api/v1/session", &json!({"username": "admin", "password": ADMIN_PASSWORD}));
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.json(), json!({"username": "admin", "role": "admin"}));
    let set_cookie = login.header("set-cookie").unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.len() > "nansen_session=".len() + 40, "a 256-bit id: {cookie}");

    let me = server.get_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(me.json()["role"], "admin");
    let json = server.get_with(results, &[("cookie", &cookie)]);
    assert_eq!(json.status, 200);
    assert_eq!(json.json()["slug"], "diaspora");

    let csv = server.get_with(&format!("{results}?format=csv"), &[("cookie", &cookie)]);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("diaspora-v1.csv"));
    let mut lines = csv.body.lines();
    assert_eq!(lines.next(), Some("survey,version,question,option,label,count"));
    assert_eq!(lines.next(), Some("diaspora,1,_respondents,,,0"));
    assert!(csv.body.contains("diaspora,1,left_when,before_2022,Before February 2022,0"), "{}", csv.body);

    let logout = server.delete_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(logout.status, 204);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    server.get_with(results, &[("cookie", &cookie)]).problem(401, "unauthenticated");
    server.get_with("/api/v1/session", &[("cookie", &cookie)]).problem(401, "unauthenticated");
}
