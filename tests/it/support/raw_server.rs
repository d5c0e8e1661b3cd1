//! One configurable raw-TCP server on 127.0.0.1, for what mockito cannot do.
//!
//! Each accepted connection gets a [`Conn`] behaviour:
//!
//! - **scripted** ([`RawServer::scripted`]): the n-th connection gets the n-th behaviour of
//!   the script (reset before the response, close cleanly, reply with any bytes, stall,
//!   trickle); connections past the script are reset, and counted, so an unexpected retry
//!   shows. The first request of every connection is recorded, in accept order.
//! - **keep-alive** ([`RawServer::keep_alive`]): every connection serves request after
//!   request, each answered by the next [`Canned`] response queued with [`RawServer::set`]
//!   (a 404 when the queue is empty), so one case of a generated test costs one round trip.
//! - **custom** ([`RawServer::custom`]): every connection goes to a handler, e.g. the HTTPS
//!   server of `tls_server` and the CONNECT tunnel of `connect_proxy`.
//!
//! No test can hang on it: the accept loop ends when the server is dropped or finished, or
//! after a bounded lifetime; every connection has read timeouts; stalled connections end with
//! the server.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use creatoraudit::{Client, ClientBuilder};
use serde_json::{Value, json};

use super::KEY;
use super::clients::{Waits, recording};

/// A handler that takes over an accepted connection.
pub type Handler = Arc<dyn Fn(TcpStream, &ConnCtx) + Send + Sync>;

/// What the server does with one accepted connection.
#[derive(Clone)]
pub enum Conn {
    /// Close with the request still unread in the socket's receive buffer: the kernel answers
    /// with a TCP reset (RST) instead of a clean close.
    Reset,
    /// Read the request, then close cleanly (FIN) without answering.
    Close,
    /// Read the request, write these bytes, close.
    Reply(Vec<u8>),
    /// Read the request, write these bytes (maybe nothing), then keep the connection open
    /// without writing anything more until the server stops.
    Stall(Vec<u8>),
    /// Read the request, write the head, then the body one byte every `every`.
    Trickle {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
    /// Answer request after request on the connection from the queue of [`RawServer::set`].
    KeepAlive,
    /// Hand the connection to a handler.
    Custom(Handler),
}

/// How long the accept loop of a scripted server lives at most.
const SCRIPTED_LIFETIME: Duration = Duration::from_secs(20);
/// How long the accept loop of a keep-alive server lives at most.
const KEEP_ALIVE_LIFETIME: Duration = Duration::from_secs(600);
/// How long a keep-alive connection may stay silent.
const KEEP_ALIVE_IDLE: Duration = Duration::from_secs(60);

/// A response of a keep-alive server (or the bytes of a scripted reply).
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Canned {
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Canned {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn json(status: u16, body: &Value) -> Self {
        Canned::new(status, body.to_string().into_bytes())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_owned(), value.as_bytes().to_vec()));
        self
    }

    /// The response on the wire, with a `Content-Length` unless the status has no body.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} Reason\r\n", self.status).into_bytes();
        // Statuses that never have a body (RFC 9110): sending one would desynchronize the
        // connection.
        let bodiless = matches!(self.status, 204 | 304);
        if !bodiless {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !bodiless {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// A complete JSON response that closes the connection.
pub fn response(status: u16, extra_headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut canned = Canned::new(status, body.as_bytes().to_vec())
        .header("Content-Type", "application/json")
        .header("Connection", "close");
    for (name, value) in extra_headers {
        canned = canned.header(name, value);
    }
    canned.bytes()
}

/// What a keep-alive server answers when its queue is empty: a 404 that is never retried.
fn fallback() -> Canned {
    Canned::json(404, &json!({"title": "Not Found", "code": "NOT_FOUND"}))
}

#[derive(Default)]
struct State {
    connections: usize,
    /// The raw requests read: for scripted connections, the first request of each, in accept
    /// order; for keep-alive ones every request; for custom ones what the handler recorded.
    requests: Vec<String>,
    /// The responses keep-alive connections answer with, in order.
    queue: VecDeque<Canned>,
}

/// What a server saw, once [finished](RawServer::finish).
#[derive(Debug, Default)]
pub struct Seen {
    /// Connections accepted.
    pub connections: usize,
    /// The raw requests read (lossily decoded).
    pub requests: Vec<String>,
}

impl Seen {
    /// The value of header `name` in every request that had it.
    pub fn header(&self, name: &str) -> Vec<String> {
        self.requests
            .iter()
            .filter_map(|r| header_value(r, name))
            .collect()
    }
}

/// What a [`Conn::Custom`] handler may use of the server.
pub struct ConnCtx {
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl ConnCtx {
    /// Records a request (or whatever the handler wants the test to see).
    pub fn record(&self, request: String) {
        self.state.lock().unwrap().requests.push(request);
    }

    /// Whether the server was stopped.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// The server; see the [module docs](self).
pub struct RawServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    /// A scripted server: the n-th connection gets `script[n]`, later ones are reset.
    pub fn scripted(script: Vec<Conn>) -> Self {
        Self::start(script, Conn::Reset, SCRIPTED_LIFETIME)
    }

    /// A keep-alive server answering from the queue of [`set`](Self::set).
    pub fn keep_alive() -> Self {
        Self::start(Vec::new(), Conn::KeepAlive, KEEP_ALIVE_LIFETIME)
    }

    /// A server handing every connection to `handler`, accepting for `lifetime` at most.
    pub fn custom(
        handler: impl Fn(TcpStream, &ConnCtx) + Send + Sync + 'static,
        lifetime: Duration,
    ) -> Self {
        Self::start(Vec::new(), Conn::Custom(Arc::new(handler)), lifetime)
    }

    fn start(script: Vec<Conn>, after: Conn, lifetime: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(Mutex::new(State::default()));
        let thread = {
            let (stop, state) = (Arc::clone(&stop), Arc::clone(&state));
            thread::spawn(move || accept_loop(&listener, script, after, lifetime, &stop, &state))
        };
        RawServer {
            addr,
            stop,
            state,
            thread: Some(thread),
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// A builder for this server whose retries record their waits instead of sleeping.
    pub fn builder(&self) -> (ClientBuilder, Waits) {
        recording(
            Client::builder()
                .api_key(KEY)
                .base_url(self.base_url())
                .no_proxy()
                .timeout(Duration::from_secs(5))
                .connect_timeout(Duration::from_secs(2)),
        )
    }

    /// A client for this server that tries once, with this per-attempt timeout.
    pub fn client_without_retries(&self, timeout: Duration) -> Client {
        let builder = self.builder().0.timeout(timeout).max_retries(0);
        builder.build().expect("client")
    }

    /// A client for this server; see [`builder`](Self::builder).
    pub fn client(&self) -> Client {
        self.builder().0.build().expect("client")
    }

    /// A client with `retries` retries that never sleeps and gives each attempt 10 s.
    pub fn client_with_retries(&self, retries: u32) -> Client {
        super::logger::install();
        Client::builder()
            .api_key(KEY)
            .base_url(self.base_url())
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .max_retries(retries)
            .retry_sleeper(|_| {})
            .build()
            .expect("client")
    }

    /// Queues the responses of the next call of a keep-alive server, dropping whatever the
    /// last call left unused, and forgets the requests seen so far.
    pub fn set(&self, responses: impl IntoIterator<Item = Canned>) {
        let mut state = self.state.lock().unwrap();
        state.queue = responses.into_iter().collect();
        state.requests.clear();
    }

    /// The requests recorded so far (since the last [`set`](Self::set)).
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The request targets (`/v2/...?...`) of [`requests`](Self::requests).
    pub fn targets(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state
            .requests
            .iter()
            .map(|r| r.split(' ').nth(1).unwrap_or("").to_owned())
            .collect()
    }

    /// Stops the server (after taking any connection still queued) and tells what it saw.
    /// Call it after the client call returned: every connection the call made is then queued.
    pub fn finish(mut self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("server thread panicked");
        }
        let mut state = self.state.lock().unwrap();
        Seen {
            connections: state.connections,
            requests: std::mem::take(&mut state.requests),
        }
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn accept_loop(
    listener: &TcpListener,
    script: Vec<Conn>,
    after: Conn,
    lifetime: Duration,
    stop: &Arc<AtomicBool>,
    state: &Arc<Mutex<State>>,
) {
    let started = Instant::now();
    let mut script = script.into_iter();
    let mut handlers = Vec::new();
    while started.elapsed() < lifetime {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                let conn = script.next().unwrap_or_else(|| after.clone());
                state.lock().unwrap().connections += 1;
                let ctx = ConnCtx {
                    state: Arc::clone(state),
                    stop: Arc::clone(stop),
                };
                match conn {
                    Conn::KeepAlive => {
                        handlers.push(thread::spawn(move || keep_alive(stream, &ctx)));
                    }
                    Conn::Custom(handler) => {
                        handlers.push(thread::spawn(move || handler(stream, &ctx)));
                    }
                    scripted => {
                        let index = {
                            let mut state = state.lock().unwrap();
                            state.requests.push(String::new());
                            state.requests.len() - 1
                        };
                        let (tx, rx) = mpsc::channel();
                        let stop = Arc::clone(stop);
                        handlers.push(thread::spawn(move || {
                            serve_scripted(stream, scripted, &stop, &tx)
                        }));
                        // The request is recorded before the next connection is accepted,
                        // so the log is in accept order.
                        if let Ok(request) = rx.recv_timeout(Duration::from_secs(5)) {
                            state.lock().unwrap().requests[index] = request;
                        }
                    }
                }
            }
            // Stop only once the queue is empty, so that no connection goes uncounted.
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                thread::sleep(Duration::from_millis(1));
            }
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::SeqCst);
    for handler in handlers {
        let _ = handler.join();
    }
}

/// Serves one scripted connection, sending the request it read (lossily decoded) on `tx` as
/// soon as it is read.
fn serve_scripted(mut stream: TcpStream, conn: Conn, stop: &AtomicBool, tx: &Sender<String>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(3)));
    let mut buf = Vec::new();
    let (raw, _) = peek_request(&stream, &mut buf, Duration::from_secs(3), None);
    let request = String::from_utf8_lossy(raw).into_owned();
    let length = raw.len();
    if let Conn::Reset = conn {
        // Dropping the socket with unread data makes the kernel send RST, not FIN.
        drop(stream);
        let _ = tx.send(request);
        return;
    }
    let mut consumed = vec![0; length];
    let _ = stream.read_exact(&mut consumed);
    let _ = tx.send(request);
    match conn {
        Conn::Reset | Conn::KeepAlive | Conn::Custom(_) => unreachable!("not scripted"),
        Conn::Close => {}
        Conn::Reply(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
        }
        Conn::Stall(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
            let until = Instant::now() + SCRIPTED_LIFETIME;
            while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                thread::sleep(Duration::from_millis(5));
            }
        }
        Conn::Trickle { head, body, every } => {
            let _ = stream.write_all(&head);
            for byte in body {
                if stop.load(Ordering::SeqCst) || stream.write_all(&[byte]).is_err() {
                    break;
                }
                thread::sleep(every);
            }
        }
    }
    // Let the client read everything before the socket goes.
    let _ = stream.shutdown(Shutdown::Write);
}

/// Serves requests on one connection until the client closes it, stays silent for
/// [`KEEP_ALIVE_IDLE`], or the server stops.
fn keep_alive(mut stream: TcpStream, ctx: &ConnCtx) {
    // Short read timeouts, so that an idle connection notices the server stopping.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    loop {
        let (raw, complete) = peek_request(&stream, &mut buf, KEEP_ALIVE_IDLE, Some(&ctx.stop));
        if !complete {
            return;
        }
        let request = String::from_utf8_lossy(raw).into_owned();
        let mut consumed = vec![0; raw.len()];
        if stream.read_exact(&mut consumed).is_err() {
            return;
        }
        let response = {
            let mut state = ctx.state.lock().unwrap();
            state.requests.push(request);
            state.queue.pop_front().unwrap_or_else(fallback)
        };
        if stream.write_all(&response.bytes()).is_err() {
            return;
        }
    }
}

/// Peeks (without consuming) until a whole request, head and `Content-Length` body, is in the
/// socket's buffer. Gives up, returning what is there and `false`, when the client closes
/// the connection or stops sending for `patience`, or (with nothing buffered yet) when `stop`
/// is set.
fn peek_request<'b>(
    stream: &TcpStream,
    buf: &'b mut Vec<u8>,
    patience: Duration,
    stop: Option<&AtomicBool>,
) -> (&'b [u8], bool) {
    const MAX: usize = 1 << 20;
    if buf.len() < 64 * 1024 {
        buf.resize(64 * 1024, 0);
    }
    let until = Instant::now() + patience;
    let mut last = 0;
    while Instant::now() < until {
        let n = match stream.peek(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if last == 0 && stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
                    break;
                }
                continue;
            }
            Err(_) => break,
        };
        last = n;
        if let Some(end) = find(&buf[..n], b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]);
            let length: usize = header_value(&head, "content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if n >= end + 4 + length {
                return (&buf[..end + 4 + length], true);
            }
        }
        if n == buf.len() {
            if n >= MAX {
                return (&buf[..n], false);
            }
            let grown = buf.len() * 2;
            buf.resize(grown, 0);
            continue;
        }
        thread::sleep(Duration::from_micros(200));
    }
    (&buf[..last], false)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of header `name` (case-insensitive) in a raw request.
pub fn header_value(request: &str, name: &str) -> Option<String> {
    request
        .split("\r\n\r\n")
        .next()?
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_owned())
}

/// A `200` answer to `GET /whoami` (organization `org_1`, request id `req_ok`) that closes
/// the connection.
pub fn whoami_ok() -> Conn {
    Conn::Reply(response(
        200,
        &[("X-Request-ID", "req_ok")],
        &super::data(creatoraudit::testing::fixtures::whoami("org_1")),
    ))
}
