//! How failed calls surface: problem documents, non-JSON bodies, request ids, decode errors.

use crate::support::{KEY, PROBLEM_JSON, client, data, problem, server};
use creatoraudit::{Error, ErrorCode, FieldError, NewAccount, Platform};
use serde_json::json;

#[test]
fn validation_problem_with_field_errors() {
    let mut s = server();
    let body = json!({
        "type": "urn:creatoraudit:error:validation-error",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "Request failed validation.",
        "code": "VALIDATION_ERROR",
        "instance": "/v2/accounts",
        "request_id": "req_body_1",
        "errors": [
            {"field": "platform", "message": "must be one of: instagram, tiktok"},
            {"field": "username", "message": "is required"}
        ]
    });
    let m = s
        .mock("POST", "/v2/accounts")
        .with_status(422)
        .with_header("content-type", PROBLEM_JSON)
        .with_header("x-request-id", "req_header_1")
        .with_body(body.to_string())
        .expect(1)
        .create();
    let err = client(&s)
        .accounts()
        .create(&NewAccount::new(
            Platform::Other("myspace".into()),
            "someone",
        ))
        .unwrap_err();
    m.assert();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.request_id(), Some("req_body_1"), "the body's id wins");
    assert_eq!(err.code(), Some(&ErrorCode::ValidationError));
    assert_eq!(
        err.to_string(),
        "[422 VALIDATION_ERROR] Unprocessable Entity: Request failed validation. (request id req_body_1)"
    );
    let Error::Api(p) = err else {
        panic!("not an API error")
    };
    assert_eq!(p.type_uri, "urn:creatoraudit:error:validation-error");
    assert_eq!(p.instance.as_deref(), Some("/v2/accounts"));
    assert_eq!(
        p.errors[0],
        FieldError {
            field: "platform".into(),
            message: "must be one of: instagram, tiktok".into()
        }
    );
    assert_eq!(p.errors.len(), 2);
    assert_eq!(p.meta.attempts, 1, "a 422 is not retried");
}

#[test]
fn request_id_falls_back_to_the_header() {
    let mut s = server();
    let body = json!({"type": "urn:creatoraudit:error:not-found", "title": "Not Found", "status": 404,
        "detail": "Account not found.", "code": "NOT_FOUND"});
    s.mock("GET", "/v2/accounts/missing")
        .with_status(404)
        .with_header("content-type", PROBLEM_JSON)
        .with_header("x-request-id", "req_hdr")
        .with_body(body.to_string())
        .create();
    let err = client(&s).accounts().get("missing").unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("req_hdr"));
    assert_eq!(
        err.to_string(),
        "[404 NOT_FOUND] Not Found: Account not found. (request id req_hdr)"
    );
}

#[test]
fn proxy_html_502_still_gives_a_usable_problem() {
    let mut s = server();
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_header("x-request-id", "req_proxy")
        .with_body(html)
        .expect(3) // retried twice by default
        .create();
    let err = client(&s).whoami().unwrap_err();
    m.assert();
    let p = err.problem().expect("an API error");
    assert_eq!(p.status, 502);
    assert_eq!(p.type_uri, "about:blank");
    assert_eq!(p.title, "Bad Gateway");
    assert_eq!(p.code, ErrorCode::UpstreamError);
    assert_eq!(p.request_id.as_deref(), Some("req_proxy"));
    assert!(
        p.detail
            .starts_with("<html> <head><title>502 Bad Gateway</title></head>"),
        "{}",
        p.detail
    );
    assert!(!p.detail.contains('\n'));
    assert_eq!(p.meta.attempts, 3);
}

#[test]
fn empty_error_body_uses_the_status_table() {
    let mut s = server();
    s.mock("GET", "/v2/whoami").with_status(401).create();
    let err = client(&s).whoami().unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(err.to_string(), "[401 UNAUTHORIZED] Unauthorized");
    assert_eq!(err.request_id(), None);
}

#[test]
fn unknown_status_and_code_are_kept() {
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_status(418)
        .with_body(problem(418, "TEAPOT_REFUSED", "Short and stout.", "req_t"))
        .create();
    let err = client(&s).whoami().unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Other("TEAPOT_REFUSED".into())));
    assert_eq!(err.code().unwrap().as_str(), "TEAPOT_REFUSED");
    assert!(!err.is_retryable());
}

#[test]
fn success_body_that_does_not_decode_is_a_decode_error_with_context() {
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_header("x-request-id", "req_bad")
        .with_body(data(json!({"api_key_name": "no organization id here"})))
        .create();
    let err = client(&s).whoami().unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.meta().request_id.as_deref(), Some("req_bad"));
    assert_eq!(d.meta().status, Some(200));
    assert!(d.snippet().contains("no organization id here"));
    assert_eq!(err.request_id(), Some("req_bad"));
    assert!(
        err.to_string()
            .starts_with("unexpected response body (request id req_bad)"),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn non_json_success_body_is_a_decode_error() {
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_body("<html>login</html>")
        .create();
    let err = client(&s).whoami().unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn connection_refused_is_a_transport_error_without_the_key() {
    // Bind a port, then free it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = creatoraudit::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/v2"))
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let err = c.whoami().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), Some(3));
    let all = format!("{err} {err:?} {:?}", std::error::Error::source(&err));
    assert!(!all.contains(KEY), "{all}");
}
