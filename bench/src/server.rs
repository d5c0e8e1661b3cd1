//! The server: pre-rendered responses from memory, HTTP/1.1 keep-alive, a thread per connection.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::fixtures::{account, cursor_for, fnv, splitmix};
use crate::util::{next_request, percent_decode, push_encoded, write_two};
use crate::{BoxResult, KEY, PAGE_SIZE};

/// A pre-rendered response: the head without its per-request lines, and the body.
pub struct Canned {
    pub head: Vec<u8>,
    pub body: Vec<u8>,
    pub kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Whoami,
    Page,
    Rejected,
}

pub struct Site {
    pub whoami: Canned,
    pub pages: Vec<Canned>,
    /// Cursor (decoded) → page index.
    pub cursors: HashMap<String, usize>,
    pub unauthorized: Canned,
    pub not_found: Canned,
    pub bad_cursor: Canned,
    pub stats: Stats,
    pub capture: AtomicBool,
    pub captured: Mutex<Vec<String>>,
}

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub whoami_n: AtomicU64,
    pub whoami_cpu_ns: AtomicU64,
    pub page_n: AtomicU64,
    pub page_cpu_ns: AtomicU64,
    pub rejected: AtomicU64,
}

pub struct ServerSnapshot {
    pub whoami_n: u64,
    pub whoami_cpu_ns: u64,
    pub page_n: u64,
    pub page_cpu_ns: u64,
    pub rejected: u64,
}

impl ServerSnapshot {
    pub fn whoami_cpu_us(&self) -> f64 {
        self.whoami_cpu_ns as f64 / self.whoami_n.max(1) as f64 / 1e3
    }

    pub fn page_cpu_us(&self) -> f64 {
        self.page_cpu_ns as f64 / self.page_n.max(1) as f64 / 1e3
    }
}

impl Stats {
    pub fn snapshot(&self) -> ServerSnapshot {
        ServerSnapshot {
            whoami_n: self.whoami_n.load(Ordering::SeqCst),
            whoami_cpu_ns: self.whoami_cpu_ns.load(Ordering::SeqCst),
            page_n: self.page_n.load(Ordering::SeqCst),
            page_cpu_ns: self.page_cpu_ns.load(Ordering::SeqCst),
            rejected: self.rejected.load(Ordering::SeqCst),
        }
    }
}

impl Site {
    /// Renders `total` accounts in pages of [`PAGE_SIZE`].
    pub fn render(total: usize) -> Site {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let reset = now - now % 60 + 60;
        let fixed = |status: &str, content_type: &str, body: &[u8], extra: &str| {
            let mut head = format!(
                "HTTP/1.1 {status}\r\ndate: Sun, 29 Nov 2026 09:30:00 GMT\r\n\
                 content-type: {content_type}\r\ncontent-length: {}\r\n\
                 x-ratelimit-limit: 600\r\nx-ratelimit-reset: {reset}\r\n\
                 vary: Authorization\r\n{extra}",
                body.len()
            );
            if status.starts_with('2') {
                let _ = write!(head, "etag: \"{:016x}\"\r\n", fnv(body));
            }
            head.into_bytes()
        };
        let canned = |status: &str, body: Vec<u8>, extra: &str, kind: Kind| {
            let content_type = if status.starts_with('2') {
                "application/json"
            } else {
                "application/problem+json"
            };
            Canned {
                head: fixed(status, content_type, &body, extra),
                body,
                kind,
            }
        };
        let problem = |status: u16, title: &str, code: &str, detail: &str| {
            json!({
                "type": format!("urn:creatoraudit:error:{}", code.to_lowercase().replace('_', "-")),
                "title": title,
                "status": status,
                "detail": detail,
                "code": code,
            })
            .to_string()
            .into_bytes()
        };

        let whoami = json!({"data": {
            "type": "whoami",
            "organization_id": "org_2aXk9VbQ7mT4pLr8Zc1Hn5Wd",
            "api_key_name": "sync worker (production)",
        }});
        let n_pages = total.div_ceil(PAGE_SIZE);
        let cursors: Vec<String> = (0..n_pages).map(cursor_for).collect();
        let first_link = "https://api.creatoraudit.com/v2/accounts?limit=200";
        let mut pages = Vec::with_capacity(n_pages);
        for p in 0..n_pages {
            let items: Vec<Value> = (p * PAGE_SIZE..((p + 1) * PAGE_SIZE).min(total))
                .map(account)
                .collect();
            let has_next = p + 1 < n_pages;
            let next = has_next.then(|| cursors[p + 1].clone());
            let body = json!({
                "data": items,
                "pagination": {"next_cursor": next, "has_next": has_next, "limit": PAGE_SIZE},
                "filters": {"order_by": "added_at", "order_direction": "desc"},
            });
            let mut link = format!("link: <{first_link}>; rel=\"first\"");
            if let Some(next) = &next {
                let mut url = format!("{first_link}&cursor=");
                push_encoded(&mut url, next);
                let _ = write!(link, ", <{url}>; rel=\"next\"");
            }
            link.push_str("\r\n");
            pages.push(canned(
                "200 OK",
                serde_json::to_vec(&body).expect("JSON"),
                &link,
                Kind::Page,
            ));
        }
        Site {
            whoami: canned(
                "200 OK",
                serde_json::to_vec(&whoami).expect("JSON"),
                "",
                Kind::Whoami,
            ),
            pages,
            cursors: cursors
                .into_iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| (c, i))
                .collect(),
            unauthorized: canned(
                "401 Unauthorized",
                problem(401, "Unauthorized", "UNAUTHORIZED", "Invalid API key."),
                "www-authenticate: Bearer\r\n",
                Kind::Rejected,
            ),
            not_found: canned(
                "404 Not Found",
                problem(404, "Not Found", "NOT_FOUND", "No such route."),
                "",
                Kind::Rejected,
            ),
            bad_cursor: canned(
                "422 Unprocessable Entity",
                problem(
                    422,
                    "Unprocessable Entity",
                    "VALIDATION_ERROR",
                    "Request failed validation.",
                ),
                "",
                Kind::Rejected,
            ),
            stats: Stats::default(),
            capture: AtomicBool::new(false),
            captured: Mutex::new(Vec::new()),
        }
    }

    /// The response to a request head.
    pub fn route(&self, head: &str) -> &Canned {
        let (method, target, authorized) = crate::util::read_head(head, KEY);
        if !authorized {
            return &self.unauthorized;
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        match (method, path) {
            ("GET", "/v2/whoami") => &self.whoami,
            ("GET", "/v2/accounts") => {
                let mut limit_ok = false;
                let mut cursor = None;
                for pair in query.split('&') {
                    match pair.split_once('=') {
                        Some(("limit", v)) => limit_ok = v == "200",
                        Some(("cursor", v)) => cursor = Some(percent_decode(v)),
                        _ => return &self.bad_cursor, // no other filter in this bench
                    }
                }
                match cursor {
                    _ if !limit_ok => &self.bad_cursor,
                    None => &self.pages[0],
                    Some(c) => self
                        .cursors
                        .get(&c)
                        .map_or(&self.bad_cursor, |&i| &self.pages[i]),
                }
            }
            _ => &self.not_found,
        }
    }
}

pub fn serve(site: Arc<Site>) -> BoxResult<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = Arc::clone(&site);
            std::thread::spawn(move || {
                let _ = connection(&site, stream);
            });
        }
    });
    Ok(addr)
}

/// Serves one keep-alive connection until the client closes it.
pub fn connection(site: &Site, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let mut head_out: Vec<u8> = Vec::with_capacity(1024);
    let (mut whoamis, mut pages, mut others) = (0u64, 0u64, 0u64);
    let result = loop {
        // This bench sends no request bodies; one a client sends is read and dropped.
        let head = match next_request(&mut stream, &mut buf, &mut chunk) {
            Ok(Some((head, _body))) => head,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        if site.capture.load(Ordering::Relaxed) {
            site.captured
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(head.clone());
        }

        let response = site.route(&head);
        match response.kind {
            Kind::Whoami => whoamis += 1,
            Kind::Page => pages += 1,
            Kind::Rejected => {
                others += 1;
                site.stats.rejected.fetch_add(1, Ordering::Relaxed);
            }
        }
        let n = site.stats.requests.fetch_add(1, Ordering::Relaxed);
        head_out.clear();
        head_out.extend_from_slice(&response.head);
        let _ = write!(
            head_out,
            "x-request-id: req_{:016x}{:08x}\r\nx-ratelimit-remaining: {}\r\n\r\n",
            splitmix(n),
            n,
            599 - n % 600
        );
        if let Err(e) = write_two(&mut stream, &head_out, &response.body) {
            break Err(e);
        }
        if head
            .split("\r\n")
            .any(|l| l.eq_ignore_ascii_case("connection: close"))
        {
            break Ok(());
        }
    };
    // Account this connection's CPU time to the one kind of response it served.
    if let Some(ns) = crate::stats::thread_cpu_ns() {
        let s = &site.stats;
        match (whoamis, pages, others) {
            (w, 0, 0) if w > 0 => {
                s.whoami_n.fetch_add(w, Ordering::SeqCst);
                s.whoami_cpu_ns.fetch_add(ns, Ordering::SeqCst);
            }
            (0, p, 0) if p > 0 => {
                s.page_n.fetch_add(p, Ordering::SeqCst);
                s.page_cpu_ns.fetch_add(ns, Ordering::SeqCst);
            }
            _ => {}
        }
    }
    result
}
