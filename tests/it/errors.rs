//! How failed calls surface: problem documents, non-JSON bodies, request ids, decode errors.

use crate::support::{KEY, PROBLEM_JSON, builder, client, data, problem, server, transport_kind};
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
    // The fixed beginning (DESIGN.md §1), the fields that failed, then the call.
    assert_eq!(
        err.to_string(),
        "[422 VALIDATION_ERROR] Unprocessable Entity: Request failed validation. \
         [platform: must be one of: instagram, tiktok; username: is required] \
         (POST /accounts, request id req_body_1)"
    );
    assert_eq!(err.endpoint(), Some("POST /accounts"));
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
        "[404 NOT_FOUND] Not Found: Account not found. (GET /accounts/{id}, request id req_hdr)"
    );
    assert_eq!(
        err.endpoint(),
        Some("GET /accounts/{id}"),
        "the template, not the id"
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
    assert_eq!(
        err.to_string(),
        "[401 UNAUTHORIZED] Unauthorized (GET /whoami)"
    );
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
    let shown = err.to_string();
    assert!(
        shown.starts_with("unexpected response body: \"")
            && shown.ends_with("\" (GET /whoami, request id req_bad)"),
        "{shown}"
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
    let result = c.whoami();
    assert_eq!(
        transport_kind(&result),
        creatoraudit::TransportErrorKind::ConnectionRefused
    );
    let err = result.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), Some(3));
    let all = format!("{err} {err:?} {:?}", std::error::Error::source(&err));
    assert!(!all.contains(KEY), "{all}");
}

#[test]
fn a_retried_error_tells_its_story() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts/acc_1")
        .with_status(503)
        .with_header("content-type", PROBLEM_JSON)
        .with_header("x-request-id", "req_503")
        .with_header("retry-after", "2")
        .with_body(problem(503, "SERVICE_UNAVAILABLE", "Try later.", "req_503"))
        .expect(3)
        .create();
    let err = client(&s).accounts().get("acc_1").unwrap_err();
    m.assert();
    assert_eq!(
        err.to_string(),
        "[503 SERVICE_UNAVAILABLE] Service Unavailable: Try later. \
         (GET /accounts/{id}, request id req_503, 3 attempts; waited 4 s for Retry-After)"
    );
    use creatoraudit::{AttemptOutcome, Step, WaitReason};
    let history = err.history();
    assert_eq!(history.len(), 5, "{history:?}");
    for (i, step) in history.iter().enumerate() {
        match step {
            Step::Attempt(a) => {
                assert_eq!(i % 2, 0);
                assert_eq!(a.number as usize, i / 2 + 1);
                assert_eq!(a.outcome, AttemptOutcome::Status(503));
                assert_eq!(a.request_id.as_deref(), Some("req_503"));
            }
            Step::Wait(w) => {
                assert_eq!(i % 2, 1);
                assert_eq!(w.reason, WaitReason::RetryAfter);
                assert_eq!(w.duration, std::time::Duration::from_secs(2));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(err.meta().unwrap().history(), history);
}

#[test]
fn a_success_after_retries_keeps_its_history() {
    use creatoraudit::testing::{MockApi, fixtures};
    use creatoraudit::{AttemptOutcome, Step, WaitReason};
    let mut api = MockApi::start();
    api.mock_failures_then("GET", "/whoami", 502, 1, fixtures::whoami("org_1"))
        .create();
    let me = api.client().whoami_with_meta().unwrap();
    let history = me.meta.history();
    assert!(
        matches!(
            history,
            [
                Step::Attempt(first),
                Step::Wait(wait),
                Step::Attempt(second),
            ] if first.outcome == AttemptOutcome::Status(502)
                && wait.reason == WaitReason::Backoff
                && second.outcome == AttemptOutcome::Status(200)
                && second.number == 2
        ),
        "{history:?}"
    );
    assert_eq!(me.meta.retry_delays.len(), 1);
}

#[test]
fn a_404_page_that_is_not_a_problem_says_to_check_the_base_url() {
    let mut s = server();
    s.mock("GET", "/v2/accounts/acc_1")
        .with_status(404)
        .with_header("content-type", "text/html")
        .with_body("<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>")
        .create();
    let err = client(&s).accounts().get("acc_1").unwrap_err();
    let p = err.problem().expect("an API error");
    assert_eq!(
        p.code,
        ErrorCode::NotFound,
        "the code follows the status table"
    );
    assert!(
        !err.is_not_found(),
        "a web page is not the API saying the account does not exist"
    );
    assert!(
        p.detail.starts_with(
            "the server at 127.0.0.1 does not look like the CreatorAudit API (it answered a page, \
             not a problem document): check base_url, e.g. https://api.creatoraudit.com/v2; \
             it said: <html><body><h1>404 Not Found</h1>"
        ),
        "{}",
        p.detail
    );
    // A problem document's 404 is the API's answer.
    let mut s = server();
    s.mock("GET", "/v2/accounts/acc_1")
        .with_status(404)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(problem(404, "NOT_FOUND", "Account not found.", "req_1"))
        .create();
    assert!(
        client(&s)
            .accounts()
            .get("acc_1")
            .unwrap_err()
            .is_not_found()
    );
}

#[test]
fn client_new_checks_the_key_and_no_debug_shows_it() {
    let secret = "ca_live_0123456789abcdef";
    let client = creatoraudit::Client::new(secret).unwrap();
    assert_eq!(client.base_url(), creatoraudit::DEFAULT_BASE_URL);
    let builder = creatoraudit::Client::builder().api_key(secret);
    for shown in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{client:#?}"),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    for bad in ["", "   ", "key\n", "two words", "ключ"] {
        let e = creatoraudit::Client::new(bad).unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{bad:?}: {e}");
        assert!(e.to_string().contains("api_key"), "{bad:?}: {e}");
    }
}

#[test]
fn a_body_that_is_not_a_problem_gets_its_code_from_the_status_table() {
    let mut s = server();
    let c = builder(&s).max_retries(0).build().unwrap();
    for (status, body, code, title) in [
        (
            500_u16,
            "",
            ErrorCode::InternalError,
            "Internal Server Error",
        ),
        (504, "", ErrorCode::InternalError, "Gateway Timeout"),
        (
            418,
            "<html>teapot</html>",
            ErrorCode::InternalError,
            "Error", // no reason phrase of the SDK's own for an unlisted status
        ),
        (
            502,
            "<html>bad gateway</html>",
            ErrorCode::UpstreamError,
            "Bad Gateway",
        ),
        (
            503,
            "try later",
            ErrorCode::ServiceUnavailable,
            "Service Unavailable",
        ),
        (403, "", ErrorCode::Forbidden, "Forbidden"),
    ] {
        s.reset();
        let m = s
            .mock("GET", "/v2/whoami")
            .with_status(usize::from(status))
            .with_header("content-type", "text/html")
            .with_header("x-request-id", "req_table")
            .with_body(body)
            .expect(1)
            .create();
        let e = c.whoami().unwrap_err();
        m.assert();
        let p = e.problem().unwrap_or_else(|| panic!("{status}: {e:?}"));
        assert_eq!((p.status, &p.code), (status, &code), "{status}");
        assert_eq!(p.type_uri, "about:blank", "{status}");
        assert_eq!(p.title, title, "{status}");
        assert_eq!(p.detail, body, "{status}: the body, as a snippet");
        assert_eq!(e.request_id(), Some("req_table"), "{status}");
    }
}

#[test]
fn the_apis_host_without_a_path_is_refused_at_build_another_host_is_served_at_its_root() {
    for root in [
        "https://api.creatoraudit.com",
        "https://api.creatoraudit.com/",
    ] {
        let err = creatoraudit::Client::builder()
            .api_key(KEY)
            .base_url(root)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{root}: {err}");
        assert!(
            err.to_string().contains("https://api.creatoraudit.com/v2"),
            "{err}"
        );
    }
    // A mock server's own URL, with no path, as a plain mockito test would pass it.
    let mut s = server();
    let m = s
        .mock("GET", "/whoami")
        .with_body(data(json!({"organization_id": "root"})))
        .expect(1)
        .create();
    let client = builder(&s).base_url(s.url()).build().unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "root");
    m.assert();
}

#[test]
#[ignore = "queries the system's DNS resolver (cargo test -- --ignored runs it)"]
fn a_host_that_does_not_resolve_is_a_dns_error_naming_the_host() {
    // `.invalid` never resolves (RFC 6761): the system resolver answers at once, or, with no
    // resolver reachable, after its own timeout; either way the failure is a lookup failure.
    // Ignored by default: the query may leave the machine (a resolver forwards it), and a
    // resolver that answers every name fails it. `transport::failure`'s unit tests check the
    // classification without a query.
    let c = creatoraudit::Client::builder()
        .api_key(KEY)
        .base_url("https://nonexistent.invalid/v2")
        .no_proxy()
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let result = c.whoami();
    assert_eq!(
        crate::support::transport_kind(&result),
        creatoraudit::TransportErrorKind::Dns
    );
    let err = result.unwrap_err();
    assert!(err.is_retryable());
    // The back-off is jittered: the total waited varies.
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "could not resolve host nonexistent.invalid (GET /whoami, 3 attempts; waited "
        ) && shown.ends_with(" for back-off)"),
        "{shown}"
    );
    let Error::Transport(t) = &err else {
        unreachable!()
    };
    assert_eq!(t.host(), Some("nonexistent.invalid"));
}

#[test]
fn a_silent_server_times_out_naming_the_host_and_the_limit() {
    use crate::support::raw_server::{Conn, RawServer};
    let server = RawServer::scripted(vec![Conn::Stall(Vec::new())]);
    let client = server
        .builder()
        .0
        .timeout(std::time::Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.whoami().unwrap_err();
    drop(server.finish());
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "timed out waiting for the response from 127.0.0.1 after 300 ms (GET /whoami)"
    );
}
