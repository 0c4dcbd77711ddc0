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
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.len() > "nansen_session=".len() + 40, "a 256-bit id: {cookie}");

    let me = server.get_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(me.json()["role"], "admin");
    // The default survey's first release: fifty answers, then noise under its budget.
    server.get_with(results, &[("cookie", &cookie)]).problem(404, "no-release");
    submit_many(&server, 50);
    server.release("diaspora");
    let json = server.get_with(results, &[("cookie", &cookie)]);
    assert_eq!(json.status, 200);
    let json = json.json();
    assert_eq!(json["slug"], "diaspora");
    let noise = &json["release"]["noise"];
    assert_eq!(noise["mechanism"], "discrete_gaussian");
    assert_eq!((noise["rho"].as_f64(), noise["rho_budget"].as_f64()), (Some(0.1), Some(1.0)));
    let error95 = noise["error95"].as_u64().unwrap();

    let csv = server.get_with(&format!("{results}?format=csv"), &[("cookie", &cookie)]);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("diaspora-release-1.csv"));
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some(
            "survey,version,release,question,option,label,statistic,count,estimate,ci_low,ci_high,error95,mechanism,rho_spent,rho_budget,weights"
        )
    );
    let respondents = json["respondents"].as_u64().map(|n| n.to_string()).unwrap_or_default();
    assert_eq!(
        lines.next().map(str::to_owned),
        Some(format!(
            "diaspora,1,1,_respondents,,,respondents,{respondents},,,,{error95},discrete_gaussian,0.1,1,"
        ))
    );
    assert!(csv.body.contains(",left_when,before_2022,Before February 2022,share,"), "{}", csv.body);

    let logout = server.delete_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(logout.status, 204);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    server.get_with(results, &[("cookie", &cookie)]).problem(401, "unauthenticated");
    server.get_with("/api/v1/session", &[("cookie", &cookie)]).problem(401, "unauthenticated");
}

/// `n` random valid answer sets to the default survey, sent ten at a time.
fn submit_many(server: &TestServer, n: usize) {
    let survey = server.survey("diaspora");
    let version = survey.version.unwrap();
    std::thread::scope(|scope| {
        for worker in 0..10 {
            let survey = &survey;
            scope.spawn(move || {
                let mut rng = crate::helpers::Rng::new(worker as u64);
                for _ in (worker..n).step_by(10) {
                    let answers = crate::helpers::valid_answers(survey, &mut rng);
                    let reply = server.submit("diaspora", version, &answers, &crate::helpers::fresh_key());
                    assert_eq!(reply.status, 200, "{}", reply.body);
                }
            });
        }
    });
}

/// A `Set-Cookie` header: the cookie's name and value, and its attributes by name in
/// lower case (a flag's value empty).
fn parse_cookie(set_cookie: &str) -> (String, String, Vec<(String, String)>) {
    let mut parts = set_cookie.split(';').map(str::trim);
    let (name, value) = parts.next().unwrap().split_once('=').unwrap();
    let attributes = parts
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (key.to_ascii_lowercase(), value.to_owned())
        })
        .collect();
    (name.to_owned(), value.to_owned(), attributes)
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// RFC 6265 §5.1.4: whether a browser sends a cookie whose path is `cookie_path` with a
/// request for `path`.
fn path_matches(cookie_path: &str, path: &str) -> bool {
    path == cookie_path
        || (path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || path[cookie_path.len()..].starts_with('/')))
}

#[test]
fn the_session_cookie_goes_to_the_api_only_never_to_respondent_pages() {
    let server = TestServer::start();
    let login =
        server.post_json("/api/v1/session", &json!({"username": "admin", "password": ADMIN_PASSWORD}));
    assert_eq!(login.status, 200, "{}", login.body);
    let set_cookie = login.header("set-cookie").unwrap();
    let (name, id, attributes) = parse_cookie(set_cookie);
    assert_eq!(name, "nansen_session", "{set_cookie}");
    let path = attribute(&attributes, "path").unwrap();
    assert_eq!(path, "/api/", "{set_cookie}");
    assert_eq!(attribute(&attributes, "httponly"), Some(""), "{set_cookie}");
    assert_eq!(attribute(&attributes, "samesite"), Some("Strict"), "{set_cookie}");
    // This host only, for the browser's session, and over plain http not Secure.
    for absent in ["domain", "max-age", "expires", "secure"] {
        assert_eq!(attribute(&attributes, absent), None, "{set_cookie}");
    }
    // A browser sends it with the API the staff screens fetch...
    for api in ["/api/v1/session", "/api/v1/admin/surveys", "/api/v1/research/surveys"] {
        assert!(path_matches(path, api), "{api}");
    }
    // ...and never with a respondent's page, its form post, the assets or the page shells.
    for page in ["/", "/s/diaspora", "/s/by-invite", "/assets/nansen.css", "/admin", "/research", "/api"] {
        assert!(!path_matches(path, page), "sent with {page}");
    }
    // What the browser sends opens the API.
    let cookie = format!("{name}={id}");
    assert_eq!(server.get_with("/api/v1/session", &[("cookie", &cookie)]).json()["role"], "admin");
    // Logging out removes that very cookie: the same name and path, expired.
    let logout = server.delete_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(logout.status, 204);
    let removal = logout.header("set-cookie").unwrap();
    let (removed, value, attributes) = parse_cookie(removal);
    assert_eq!((removed.as_str(), value.as_str()), ("nansen_session", ""), "{removal}");
    assert_eq!(attribute(&attributes, "path"), Some("/api/"), "{removal}");
    assert_eq!(attribute(&attributes, "max-age"), Some("0"), "{removal}");
    server.get_with("/api/v1/session", &[("cookie", &cookie)]).problem(401, "unauthenticated");
}

#[test]
fn behind_https_the_cookie_is_secure_and_only_https_pages_can_set_it() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let server = TestServer::start_with(dir, &[("NANSEN_PUBLIC_URL", "https://survey.example.org")]);
    let login =
        server.post_json("/api/v1/session", &json!({"username": "admin", "password": ADMIN_PASSWORD}));
    assert_eq!(login.status, 200, "{}", login.body);
    let set_cookie = login.header("set-cookie").unwrap();
    let (name, id, attributes) = parse_cookie(set_cookie);
    // `__Secure-`: browsers take it only with Secure, from https. Not `__Host-`, which
    // would need Path=/ and so go with every respondent page.
    assert_eq!(name, "__Secure-nansen_session", "{set_cookie}");
    assert_eq!(attribute(&attributes, "secure"), Some(""), "{set_cookie}");
    assert_eq!(attribute(&attributes, "path"), Some("/api/"), "{set_cookie}");
    assert_eq!(attribute(&attributes, "httponly"), Some(""), "{set_cookie}");
    assert_eq!(attribute(&attributes, "samesite"), Some("Strict"), "{set_cookie}");

    let cookie = format!("{name}={id}");
    assert_eq!(server.get_with("/api/v1/session", &[("cookie", &cookie)]).json()["role"], "admin");
    // The same id under the plain name is not this deployment's cookie.
    let plain = format!("nansen_session={id}");
    server.get_with("/api/v1/session", &[("cookie", &plain)]).problem(401, "unauthenticated");

    let logout = server.delete_with("/api/v1/session", &[("cookie", &cookie)]);
    assert_eq!(logout.status, 204);
    let removal = logout.header("set-cookie").unwrap();
    let (removed, _, attributes) = parse_cookie(removal);
    assert_eq!(removed, "__Secure-nansen_session", "{removal}");
    assert_eq!(attribute(&attributes, "secure"), Some(""), "{removal}");
    assert_eq!(attribute(&attributes, "path"), Some("/api/"), "{removal}");
    assert_eq!(attribute(&attributes, "max-age"), Some("0"), "{removal}");
    server.get_with("/api/v1/session", &[("cookie", &cookie)]).problem(401, "unauthenticated");
}
