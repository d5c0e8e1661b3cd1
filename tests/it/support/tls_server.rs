//! An HTTPS server on loopback: the raw server with a rustls stream around each connection,
//! answering `/v2/whoami`. Its certificate (tests/fixtures/tls) is for `localhost` and
//! `127.0.0.1`, signed by a test CA whose key was destroyed; both are valid from 2020 to 2120,
//! so that a machine whose clock is off by days or years still accepts them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::raw_server::{ConnCtx, RawServer};

/// The test CA.
pub const CA: &[u8] = include_bytes!("../../fixtures/tls/ca.pem");
/// The server's certificate, signed by [`CA`].
pub const CERT: &[u8] = include_bytes!("../../fixtures/tls/server.pem");
/// The server's private key (a PEM that holds no certificate).
pub const KEY: &[u8] = include_bytes!("../../fixtures/tls/server.key");

/// Starts an HTTPS server answering `/v2/whoami` with `organization_id` `org_tls`. Every
/// request it read after a successful handshake is recorded (see [`RawServer::requests`]).
pub fn https_server() -> RawServer {
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
    RawServer::custom(
        move |tcp, ctx| serve(tcp, &config, ctx),
        Duration::from_secs(60),
    )
}

fn serve(tcp: TcpStream, config: &Arc<rustls::ServerConfig>, ctx: &ConnCtx) {
    tcp.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let conn = rustls::ServerConnection::new(Arc::clone(config)).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    // A refused handshake surfaces here as a read error: drop the connection.
    let mut reader = BufReader::new(&mut tls);
    let mut request = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => request.push_str(&line),
        }
        if line == "\r\n" {
            break;
        }
    }
    ctx.record(request);
    let body = r#"{"data":{"type":"whoami","organization_id":"org_tls"}}"#;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    if tls.write_all(response.as_bytes()).is_ok() {
        tls.conn.send_close_notify();
        let _ = tls.flush();
    }
}
