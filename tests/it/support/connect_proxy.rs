//! A CONNECT proxy on loopback: the raw server with a tunnel handler. It records the
//! `METHOD target` line of every request it was sent, and tunnels only CONNECTs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use super::raw_server::{ConnCtx, RawServer};

/// Starts a CONNECT proxy; its URL is `format!("http://{}", proxy.addr())`.
pub fn connect_proxy() -> RawServer {
    RawServer::custom(tunnel, Duration::from_secs(60))
}

fn tunnel(client: TcpStream, ctx: &ConnCtx) {
    client.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    ctx.record(format!("{method} {target}"));
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
    while !ctx.stopped() {
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
