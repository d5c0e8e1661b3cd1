//! HTTPS on loopback with a certificate made for the test (tests/fixtures/tls: a test CA and
//! a `localhost`/`127.0.0.1` certificate it signed; the CA's key was destroyed). The default
//! client refuses the certificate; one given the CA as a custom root accepts it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use creatoraudit::{Client, Error, TransportErrorKind};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA: &[u8] = include_bytes!("fixtures/tls/ca.pem");
const CERT: &[u8] = include_bytes!("fixtures/tls/server.pem");
const KEY: &[u8] = include_bytes!("fixtures/tls/server.key");

/// An HTTPS server answering `/v2/whoami`; returns its port and a count of requests served.
fn https_server() -> (u16, Arc<AtomicUsize>) {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    thread::spawn(move || {
        for tcp in listener.incoming().take(8) {
            let Ok(tcp) = tcp else { continue };
            tcp.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            // A refused handshake surfaces here as a read error: drop the connection.
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            let mut ok = true;
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => {
                        ok = false;
                        break;
                    }
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            if !ok {
                continue;
            }
            let body = r#"{"data":{"type":"whoami","organization_id":"org_tls"}}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            if tls.write_all(response.as_bytes()).is_ok() {
                count.fetch_add(1, Ordering::SeqCst);
            }
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    (port, served)
}

fn builder(port: u16) -> creatoraudit::ClientBuilder {
    Client::builder()
        .api_key("ca_test_tls")
        .base_url(format!("https://127.0.0.1:{port}/v2"))
        .no_proxy()
        .max_retries(0)
}

#[test]
fn the_default_roots_refuse_a_certificate_they_do_not_know() {
    let (port, served) = https_server();
    let err = builder(port).build().unwrap().whoami().unwrap_err();
    match &err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Tls, "{err:?}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert!(
        !err.is_retryable(),
        "a certificate problem does not go away by retrying"
    );
    assert_eq!(served.load(Ordering::SeqCst), 0);
}

#[test]
fn a_custom_root_certificate_is_trusted() {
    let (port, served) = https_server();
    let client = builder(port).add_root_certificate_pem(CA).build().unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "org_tls");
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[test]
fn a_pem_that_does_not_parse_is_a_build_error() {
    let bad = b"-----BEGIN CERTIFICATE-----\nnot base64 at all !!!\n-----END CERTIFICATE-----\n";
    let err = builder(1)
        .add_root_certificate_pem(bad)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("PEM")),
        "{err}"
    );

    let err = builder(1)
        .add_root_certificate_pem(KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no certificate"), "{err}");

    let err = builder(1).add_root_certificate_pem("").build().unwrap_err();
    assert!(err.to_string().contains("no certificate"), "{err}");
}

#[test]
fn custom_and_platform_roots_do_not_mix() {
    let err = builder(1)
        .add_root_certificate_pem(CA)
        .platform_roots(true)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("not both"), "{err}");
}

#[cfg(all(feature = "rustls", not(feature = "platform-verifier")))]
#[test]
fn platform_roots_with_rustls_name_the_feature_they_need() {
    let err = builder(1).platform_roots(true).build().unwrap_err();
    assert!(err.to_string().contains("platform-verifier"), "{err}");
}

#[cfg(not(feature = "native-tls"))]
#[test]
fn a_backend_that_is_not_compiled_in_is_named() {
    let err = builder(1)
        .tls_backend(creatoraudit::TlsBackend::NativeTls)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("`native-tls` feature"), "{err}");
}

#[cfg(feature = "native-tls")]
#[test]
fn the_native_tls_backend_trusts_a_custom_root_too() {
    let (port, served) = https_server();
    let client = builder(port)
        .tls_backend(creatoraudit::TlsBackend::NativeTls)
        .add_root_certificate_pem(CA)
        .build()
        .unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "org_tls");
    assert_eq!(served.load(Ordering::SeqCst), 1);
}
