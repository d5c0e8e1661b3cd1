//! Is the server the bottleneck? A raw TCP client does the same exchanges without any decoding.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use crate::server::Site;
use crate::util::{find, push_encoded};
use crate::{ACCEPT, BoxResult, KEY, PAGE_SIZE, WHOAMI_CALLS, user_agent};

pub struct Floor {
    pub whoami_us: f64,
    pub page_us: f64,
}

pub fn raw_tcp_floor(addr: SocketAddr, site: &Site) -> BoxResult<Floor> {
    let mut conn = RawConn::connect(addr)?;
    let user_agent = user_agent();
    let request = |target: &str| {
        format!(
            "GET {target} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {KEY}\r\n\
             accept: {ACCEPT}\r\nuser-agent: {user_agent}\r\n\r\n"
        )
    };
    let whoami = request("/v2/whoami");
    let mut best_whoami = f64::MAX;
    let mut best_page = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..WHOAMI_CALLS {
            conn.exchange(whoami.as_bytes())?;
        }
        best_whoami = best_whoami.min(t.elapsed().as_secs_f64() / WHOAMI_CALLS as f64);

        let t = Instant::now();
        let mut target = format!("/v2/accounts?limit={PAGE_SIZE}");
        let mut pages = 0;
        loop {
            let body = conn.exchange(request(&target).as_bytes())?;
            pages += 1;
            match next_cursor_of(body) {
                Some(cursor) => {
                    target = format!("/v2/accounts?limit={PAGE_SIZE}&cursor=");
                    push_encoded(&mut target, &cursor);
                }
                None => break,
            }
        }
        if pages != site.pages.len() {
            return Err(format!("raw client walked {pages} pages").into());
        }
        best_page = best_page.min(t.elapsed().as_secs_f64() / pages as f64);
    }
    Ok(Floor {
        whoami_us: best_whoami * 1e6,
        page_us: best_page * 1e6,
    })
}

/// The `next_cursor` near the end of a page, found without parsing the JSON.
pub fn next_cursor_of(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"next_cursor\":\"";
    let tail = &body[body.len().saturating_sub(1024)..];
    let at = tail.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let len = tail[at..].iter().position(|&b| b == b'"')?;
    Some(String::from_utf8_lossy(&tail[at..at + len]).into_owned())
}

pub struct RawConn {
    pub stream: TcpStream,
    pub buf: Vec<u8>,
    pub body: Vec<u8>,
}

impl RawConn {
    pub fn connect(addr: SocketAddr) -> BoxResult<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(RawConn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
            body: Vec::new(),
        })
    }

    /// Sends a request and reads the whole response; returns its body.
    pub fn exchange(&mut self, request: &[u8]) -> BoxResult<&[u8]> {
        self.stream.write_all(request)?;
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let head_end = loop {
            if let Some(at) = find(&self.buf, b"\r\n\r\n") {
                break at + 4;
            }
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err("server closed the connection".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&self.buf[..head_end])?;
        if !head.starts_with("HTTP/1.1 200") {
            return Err(format!("unexpected response: {head}").into());
        }
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .ok_or("no content-length")?;
        self.body.clear();
        self.body.extend_from_slice(&self.buf[head_end..]);
        self.body.resize(length, 0);
        let have = self.buf.len() - head_end;
        self.stream.read_exact(&mut self.body[have..])?;
        Ok(&self.body)
    }
}
