//! Proxies: an explicit one, the environment's (honoured by default), and turning it off.
//! The proxy is a small CONNECT tunnel on loopback in front of a mock API.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::{data, server};
use creatoraudit::{Client, Error};
use serde_json::json;

/// A CONNECT proxy: returns its URL and the CONNECT targets it was asked for.
fn connect_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        for client in listener.incoming().take(4) {
            let Ok(client) = client else { continue };
            let log = Arc::clone(&log);
            thread::spawn(move || tunnel(client, &log));
        }
    });
    (url, seen)
}

fn tunnel(client: TcpStream, log: &Mutex<Vec<String>>) {
    client.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    log.lock().unwrap().push(format!("{method} {target}"));
    if method != "CONNECT" {
        return;
    }
    let upstream = TcpStream::connect(target).unwrap();
    let mut client_w = client;
    client_w
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    let mut up_r = upstream.try_clone().unwrap();
    let mut cl_w = client_w.try_clone().unwrap();
    thread::spawn(move || {
        let _ = std::io::copy(&mut up_r, &mut cl_w);
    });
    let mut up_w = upstream;
    let mut buf = [0u8; 8192];
    // Bytes buffered while reading the CONNECT head belong to the tunnel.
    let pending = reader.buffer().to_vec();
    let _ = up_w.write_all(&pending);
    let mut inner = reader.into_inner();
    loop {
        match inner.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if up_w.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
}

#[test]
fn an_explicit_proxy_is_used() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "via-proxy"})))
        .expect(1)
        .create();
    let (proxy, seen) = connect_proxy();
    let client = common::builder(&s).proxy(&proxy).build().unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "via-proxy");
    m.assert();
    let target = s.host_with_port();
    assert_eq!(*seen.lock().unwrap(), [format!("CONNECT {target}")]);
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
    let (proxy, seen) = connect_proxy();
    let run = |no_proxy: bool| {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", "child_uses_the_environment_proxy", "--nocapture"])
            .env("CA_CHILD_BASE_URL", format!("{}/v2", s.url()))
            .env("HTTP_PROXY", &proxy)
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
    assert_eq!(seen.lock().unwrap().len(), 1, "HTTP_PROXY was used");
    run(true);
    assert_eq!(seen.lock().unwrap().len(), 1, "no_proxy() went direct");
    m.assert();
}
