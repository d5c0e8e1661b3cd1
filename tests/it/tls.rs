//! HTTPS on loopback with a certificate made for the test (`support::tls_server`: a test CA
//! and a `localhost`/`127.0.0.1` certificate it signed; the CA's key was destroyed). The
//! default client refuses the certificate; one given the CA as a custom root accepts it.

use creatoraudit::{Client, Error, TransportErrorKind};

use crate::support::tls_server::{CA, KEY, https_server};

fn builder(port: u16) -> creatoraudit::ClientBuilder {
    Client::builder()
        .api_key("ca_test_tls")
        .base_url(format!("https://127.0.0.1:{port}/v2"))
        .no_proxy()
        .max_retries(0)
}

#[test]
fn the_default_roots_refuse_a_certificate_they_do_not_know() {
    let server = https_server();
    let port = server.addr().port();
    let err = builder(port).build().unwrap().whoami().unwrap_err();
    match &err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Tls, "{err:?}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert!(
        !err.is_retryable(),
        "a certificate problem does not go away by retrying"
    );
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn a_custom_root_certificate_is_trusted() {
    let server = https_server();
    let port = server.addr().port();
    let client = builder(port).add_root_certificate_pem(CA).build().unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "org_tls");
    assert_eq!(server.requests().len(), 1);
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

    // Valid base64 that is no certificate: the TLS library would drop it and leave no roots.
    let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let err = builder(1)
        .add_root_certificate_pem(garbage)
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("not an X.509 certificate"),
        "{err}"
    );
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
    let server = https_server();
    let port = server.addr().port();
    let client = builder(port)
        .tls_backend(creatoraudit::TlsBackend::NativeTls)
        .add_root_certificate_pem(CA)
        .build()
        .unwrap();
    assert_eq!(client.whoami().unwrap().organization_id, "org_tls");
    assert_eq!(server.requests().len(), 1);
}
