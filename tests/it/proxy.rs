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

/// Runs in a child process whose environment names the proxy (see the next test).
#[test]
fn child_uses_the_environment_proxy() {
    let Ok(base) = std::env::var("CA_CHILD_BASE_URL") else {
        return; // Not the child: nothing to do.
    };
    let off = std::env::var("CA_CHILD_NO_PROXY").is_ok();
    let mut b = Client::builder().api_key("k").base_url(base).max_retries(0);
    if off {
        b = b.no_proxy();
    }
    assert_eq!(b.build().unwrap().whoami().unwrap().organization_id, "env");
}

#[test]
fn the_environment_proxy_is_honoured_unless_turned_off() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "env"})))
        .expect(2)
        .create();
    let proxy = connect_proxy();
    let proxy_url = format!("http://{}", proxy.addr());
    let run = |no_proxy: bool| {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--exact",
            "proxy::child_uses_the_environment_proxy",
            "--nocapture",
        ])
        .env("CA_CHILD_BASE_URL", format!("{}/v2", s.url()))
        .env("HTTP_PROXY", &proxy_url)
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
        if no_proxy {
            cmd.env("CA_CHILD_NO_PROXY", "1");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    run(false);
    assert_eq!(proxy.requests().len(), 1, "HTTP_PROXY was used");
    run(true);
    assert_eq!(proxy.requests().len(), 1, "no_proxy() went direct");
    m.assert();
}
