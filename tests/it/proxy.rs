//! Proxies: an explicit one, the environment's (honoured by default), and turning it off.
//! The proxy is the CONNECT tunnel of `support::connect_proxy` on loopback, in front of a
//! mock API.

use std::process::Command;

use creatoraudit::{Client, Error};
use serde_json::json;

use crate::support::connect_proxy::connect_proxy;
use crate::support::{builder, data, server};

#[test]
fn an_explicit_proxy_is_used() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "via-proxy"})))
        .expect(1)
        .create();
    let proxy = connect_proxy();
    let client = builder(&s)
        .proxy(format!("http://{}", proxy.addr()))
        .build()
        .unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "via-proxy");
    m.assert();
    let target = s.host_with_port();
    assert_eq!(proxy.requests(), [format!("CONNECT {target}")]);
}

#[test]
fn a_proxy_url_that_does_not_parse_is_a_build_error_that_hides_credentials() {
    let err = Client::builder()
        .api_key("k")
        .proxy("http://user:s3cret@[not a host")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("proxy URL")),
        "{err}"
    );
    assert!(!err.to_string().contains("s3cret"), "{err}");
    let shown = format!(
        "{:?}",
        Client::builder().proxy("http://user:s3cret@proxy:3128")
    );
    assert!(!shown.contains("s3cret"), "{shown}");
}

/// Runs in a child process whose environment names the proxy (see the tests below): the
/// call succeeds, or with `CA_CHILD_EXPECT_ERROR` the build fails with that text. Ignored in
/// the parent's run: `run_child` runs it with `--ignored`.
#[test]
#[ignore = "the child process of the environment-proxy tests"]
fn child_uses_the_environment_proxy() {
    let base = std::env::var("CA_CHILD_BASE_URL")
        .expect("run by run_child, which names the base URL in CA_CHILD_BASE_URL");
    let off = std::env::var("CA_CHILD_NO_PROXY").is_ok();
    let mut b = Client::builder().api_key("k").base_url(base).max_retries(0);
    if off {
        b = b.no_proxy();
    }
    match std::env::var("CA_CHILD_EXPECT_ERROR") {
        Ok(needle) => {
            let e = b.build().unwrap_err();
            assert!(
                matches!(e, Error::Config(ref m) if m.contains(&needle)),
                "{e}"
            );
            assert!(!e.to_string().contains("s3cret"), "{e}");
        }
        Err(_) => assert_eq!(b.build().unwrap().whoami().unwrap().organization_id, "env"),
    }
}

/// Runs the child test with only these proxy variables set; panics when it fails.
fn run_child(base: &str, vars: &[(&str, &str)], expect_error: Option<&str>) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "proxy::child_uses_the_environment_proxy",
        "--ignored",
        "--nocapture",
    ])
    .env("CA_CHILD_BASE_URL", base);
    for var in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    for (var, value) in vars {
        cmd.env(var, value);
    }
    if let Some(needle) = expect_error {
        cmd.env("CA_CHILD_EXPECT_ERROR", needle);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{vars:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_environment_proxy_is_honoured_unless_turned_off_or_named_in_no_proxy() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "env"})))
        .expect(4)
        .create();
    let proxy = connect_proxy();
    let proxy_url = format!("http://{}", proxy.addr());
    let base = format!("{}/v2", s.url());
    run_child(&base, &[("HTTP_PROXY", &proxy_url)], None);
    assert_eq!(proxy.requests().len(), 1, "HTTP_PROXY was used");
    run_child(
        &base,
        &[("HTTP_PROXY", &proxy_url), ("CA_CHILD_NO_PROXY", "1")],
        None,
    );
    assert_eq!(proxy.requests().len(), 1, "no_proxy() went direct");
    // A SOCKS ALL_PROXY (say for ssh -D) beside an HTTP one: the scheme's variable is used.
    run_child(
        &base,
        &[
            ("ALL_PROXY", "socks5h://127.0.0.1:1"),
            ("HTTP_PROXY", &proxy_url),
        ],
        None,
    );
    assert_eq!(proxy.requests().len(), 2, "HTTP_PROXY was used");
    // `NO_PROXY` with spaces after the commas still names the host.
    run_child(
        &base,
        &[
            ("HTTP_PROXY", &proxy_url),
            ("NO_PROXY", "x.invalid, 127.0.0.1"),
        ],
        None,
    );
    assert_eq!(proxy.requests().len(), 2, "127.0.0.1 went direct");
    m.assert();
}

#[test]
fn an_unusable_environment_proxy_is_a_build_error_naming_the_variable() {
    let base = "http://127.0.0.1:9/v2";
    run_child(
        base,
        &[("ALL_PROXY", "socks5://u:s3cret@127.0.0.1:1")],
        Some("ALL_PROXY is a SOCKS proxy"),
    );
    run_child(
        base,
        &[("http_proxy", "http://u:s3cret@[not a host")],
        Some("http_proxy does not parse"),
    );
}

#[test]
fn a_local_base_url_goes_direct_past_an_environment_proxy_elsewhere() {
    // Through a proxy on another host, "localhost" would be the proxy's own.
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "env"})))
        .expect(1)
        .create();
    run_child(
        &format!("{}/v2", s.url()),
        &[("HTTP_PROXY", "http://u:s3cret@proxy.corp.example:3128")],
        None,
    );
    m.assert();
}

#[test]
fn a_socks_proxy_or_a_remote_proxy_before_plain_http_is_refused_not_a_panic() {
    let b = || {
        Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9/v2")
    };
    let e = b().proxy("socks5://127.0.0.1:1").build().unwrap_err();
    assert!(
        matches!(e, Error::Config(ref m) if m.contains("SOCKS")),
        "{e}"
    );
    let e = b().proxy("http://10.0.0.1:3128").build().unwrap_err();
    assert!(
        matches!(e, Error::Config(ref m) if m.contains("unencrypted")),
        "{e}"
    );
    assert!(
        b().proxy("http://10.0.0.1:3128")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(b().proxy("http://127.0.0.1:3128").build().is_ok());
    // https is tunnelled: a remote proxy is fine.
    assert!(
        Client::builder()
            .api_key("k")
            .proxy("http://10.0.0.1:3128")
            .build()
            .is_ok()
    );
}
