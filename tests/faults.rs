//! Faults mockito cannot make, served by a raw `TcpListener`: connections reset before the
//! response, bodies cut short of their `Content-Length`, servers that never answer or answer
//! byte by byte, garbage instead of HTTP, oversized bodies, and `Retry-After` as an HTTP-date.
//!
//! Every scenario scripts what the server does with each connection it accepts, and asserts
//! both what the call returned and how many connections the server saw. The server threads end
//! by themselves (bounded accept loop, read timeouts), so no test can hang; retry waits are
//! recorded instead of slept.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{KEY, account_json, data};
use creatoraudit::{Client, ClientBuilder, Error, NewAccount, Platform, TransportErrorKind};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The fault server

/// What the server does with one accepted connection, after reading the request.
#[derive(Clone)]
enum Conn {
    /// Close with the request still unread in the socket's receive buffer: the kernel answers
    /// with a TCP reset (RST) instead of a clean close.
    Reset,
    /// Read the request, then close cleanly (FIN) without answering.
    Close,
    /// Read the request, write these bytes, close.
    Reply(Vec<u8>),
    /// Read the request, write these bytes (maybe nothing), then keep the connection open
    /// without writing anything more until the test ends.
    Stall(Vec<u8>),
    /// Read the request, write the head, then the body one byte every `every`.
    Trickle {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
}

/// What the server saw.
#[derive(Debug, Default)]
struct Seen {
    /// Connections accepted.
    connections: usize,
    /// The raw requests read, in the order their connections were accepted.
    requests: Vec<String>,
}

impl Seen {
    /// The value of header `name` in every request that had it.
    fn header(&self, name: &str) -> Vec<String> {
        self.requests
            .iter()
            .filter_map(|r| header_value(r, name))
            .collect()
    }
}

/// A scripted server on 127.0.0.1: the n-th accepted connection gets the n-th behaviour;
/// connections past the script are reset (and counted, so an unexpected retry shows).
struct FaultServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    thread: Option<JoinHandle<()>>,
}

/// No server thread outlives this, whatever the client does.
const SERVER_LIFETIME: Duration = Duration::from_secs(20);

impl FaultServer {
    fn start(script: Vec<Conn>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let thread = {
            let (stop, seen) = (Arc::clone(&stop), Arc::clone(&seen));
            thread::spawn(move || accept_loop(&listener, script, &stop, &seen))
        };
        FaultServer {
            addr,
            stop,
            seen,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT/v2`.
    fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// A client for this server whose retries record their waits instead of sleeping.
    fn builder(&self) -> (ClientBuilder, Arc<Mutex<Vec<Duration>>>) {
        let waits = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&waits);
        let builder = Client::builder()
            .api_key(KEY)
            .base_url(self.base_url())
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(2))
            .retry_sleeper(move |d| record.lock().unwrap().push(d));
        (builder, waits)
    }

    fn client(&self) -> Client {
        self.builder().0.build().expect("client")
    }

    /// Stops the server (after taking any connection still queued) and tells what it saw.
    /// Call it after the client call returned: every connection the call made is then queued.
    fn finish(mut self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("server thread panicked");
        }
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn accept_loop(
    listener: &TcpListener,
    script: Vec<Conn>,
    stop: &Arc<AtomicBool>,
    seen: &Mutex<Seen>,
) {
    let started = Instant::now();
    let mut script = script.into_iter();
    let mut handlers = Vec::new();
    while started.elapsed() < SERVER_LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                let index = {
                    let mut seen = seen.lock().unwrap();
                    seen.connections += 1;
                    seen.requests.push(String::new());
                    seen.requests.len() - 1
                };
                let conn = script.next().unwrap_or(Conn::Reset);
                let stop = Arc::clone(stop);
                let (tx, rx) = std::sync::mpsc::channel();
                handlers.push(thread::spawn(move || serve(stream, conn, &stop, &tx)));
                // The request is recorded before the next connection is accepted, so the
                // log is in accept order.
                if let Ok(request) = rx.recv_timeout(Duration::from_secs(5)) {
                    seen.lock().unwrap().requests[index] = request;
                }
            }
            // Stop only once the queue is empty, so that no connection goes uncounted.
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                thread::sleep(Duration::from_millis(2));
            }
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::SeqCst);
    for handler in handlers {
        let _ = handler.join();
    }
}

/// Serves one connection, sending the request it read (lossily decoded) on `tx` as soon as
/// it is read.
fn serve(mut stream: TcpStream, conn: Conn, stop: &AtomicBool, tx: &Sender<String>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(3)));
    let raw = peek_request(&stream);
    if let Conn::Reset = conn {
        // Dropping the socket with unread data makes the kernel send RST, not FIN.
        drop(stream);
        let _ = tx.send(String::from_utf8_lossy(&raw).into_owned());
        return;
    }
    let mut consumed = vec![0; raw.len()];
    let _ = stream.read_exact(&mut consumed);
    let _ = tx.send(String::from_utf8_lossy(&raw).into_owned());
    match conn {
        Conn::Reset => unreachable!(),
        Conn::Close => {}
        Conn::Reply(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
        }
        Conn::Stall(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
            let until = Instant::now() + SERVER_LIFETIME;
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
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Peeks (without consuming) until a whole request, head and `Content-Length` body, is in the
/// socket's buffer, or the client stops sending.
fn peek_request(stream: &TcpStream) -> Vec<u8> {
    let mut buf = vec![0; 64 * 1024];
    let until = Instant::now() + Duration::from_secs(3);
    let mut last = 0;
    while Instant::now() < until {
        let n = match stream.peek(&mut buf) {
            Ok(0) | Err(_) => return buf[..last].to_vec(),
            Ok(n) => n,
        };
        last = n;
        if let Some(end) = find(&buf[..n], b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]);
            let length: usize = header_value(&head, "content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if n >= end + 4 + length {
                return buf[..end + 4 + length].to_vec();
            }
        }
        if n == buf.len() {
            return buf;
        }
        thread::sleep(Duration::from_millis(1));
    }
    buf[..last].to_vec()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of header `name` (case-insensitive) in a raw request.
fn header_value(request: &str, name: &str) -> Option<String> {
    request
        .split("\r\n\r\n")
        .next()?
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_owned())
}

/// A complete response that closes the connection.
fn response(status: u16, extra_headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn whoami_ok() -> Conn {
    Conn::Reply(response(
        200,
        &[("X-Request-ID", "req_ok")],
        &data(json!({"organization_id": "org_1"})),
    ))
}

/// The kind of a transport error, or a description of what came back instead.
fn transport_kind(result: &Result<impl std::fmt::Debug, Error>) -> TransportErrorKind {
    match result {
        Err(Error::Transport(t)) => t.kind(),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Connection reset and clean close before the response

#[test]
fn a_reset_before_the_response_is_retried_then_reported() {
    let server = FaultServer::start(vec![Conn::Reset, Conn::Reset, Conn::Reset]);
    let (builder, waits) = server.builder();
    let result = builder.build().unwrap().whoami();
    let seen = server.finish();

    let kind = transport_kind(&result);
    assert!(
        matches!(kind, TransportErrorKind::Io | TransportErrorKind::Connect),
        "{kind:?}"
    );
    let err = result.unwrap_err();
    // The fault is what it claims to be: a reset, not a clean close.
    assert!(format!("{err:?}").contains("ConnectionReset"), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(seen.connections, 3, "default 2 retries: 3 connections");
    assert_eq!(waits.lock().unwrap().len(), 2);
    for request in &seen.requests {
        assert!(
            request.starts_with("GET /v2/whoami HTTP/1.1\r\n"),
            "{request:?}"
        );
    }
}

#[test]
fn a_reset_patch_or_unkeyed_post_is_not_retried() {
    for method in ["PATCH", "POST"] {
        let server = FaultServer::start(vec![Conn::Reset, whoami_ok(), whoami_ok()]);
        let (builder, waits) = server.builder();
        let result = builder.build().unwrap().request::<Value>(
            method,
            "/creators/cr_1",
            &[],
            Some(&json!({"name": "x"})),
        );
        let seen = server.finish();

        let kind = transport_kind(&result);
        assert!(
            matches!(kind, TransportErrorKind::Io | TransportErrorKind::Connect),
            "{method}: {kind:?}"
        );
        let err = result.unwrap_err();
        assert_eq!(err.attempts(), Some(1), "{method}");
        assert_eq!(err.idempotency_key(), None, "{method}");
        assert_eq!(seen.connections, 1, "{method} must not be sent twice");
        assert!(waits.lock().unwrap().is_empty(), "{method}");
        assert!(
            seen.requests[0].starts_with(&format!("{method} /v2/creators/cr_1 ")),
            "{:?}",
            seen.requests[0]
        );
        assert_eq!(header_value(&seen.requests[0], "idempotency-key"), None);
    }
}

#[test]
fn a_reset_then_a_good_response_succeeds_on_the_second_attempt() {
    let server = FaultServer::start(vec![Conn::Reset, whoami_ok()]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    let seen = server.finish();

    assert_eq!(me.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(me.meta.status, 200);
    assert_eq!(me.meta.request_id.as_deref(), Some("req_ok"));
    assert_eq!(me.meta.retry_delays, *waits.lock().unwrap());
    assert_eq!(me.meta.retry_delays.len(), 1);
    assert_eq!(seen.connections, 2);
}

#[test]
fn a_clean_close_before_the_response_is_retried() {
    let server = FaultServer::start(vec![Conn::Close, whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);

    let server = FaultServer::start(vec![Conn::Close, Conn::Close, Conn::Close]);
    let result = server.client().whoami();
    let seen = server.finish();
    assert_eq!(transport_kind(&result), TransportErrorKind::Io);
    assert_eq!(result.unwrap_err().attempts(), Some(3));
    assert_eq!(seen.connections, 3);
}

#[test]
fn a_refused_connection_is_retried_then_reported_as_a_connect_failure() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let waits = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&waits);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/v2"))
        .retry_sleeper(move |d| record.lock().unwrap().push(d))
        .build()
        .unwrap();
    let result = client.whoami();
    assert_eq!(transport_kind(&result), TransportErrorKind::Connect);
    assert_eq!(result.unwrap_err().attempts(), Some(3));
    assert_eq!(waits.lock().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Bodies cut short

fn cut_short() -> Conn {
    // Promises 100 bytes, sends 10, closes.
    Conn::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":{\""
            .to_vec(),
    )
}

#[test]
fn a_body_cut_short_of_its_content_length_is_retried_then_reported() {
    let server = FaultServer::start(vec![cut_short(), cut_short(), cut_short()]);
    let result = server.client().whoami();
    let seen = server.finish();

    // A transport failure, not a decode error of the 10 bytes that came.
    let kind = transport_kind(&result);
    assert_eq!(kind, TransportErrorKind::Io);
    let err = result.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(seen.connections, 3);
}

#[test]
fn a_body_cut_short_then_a_whole_one_succeeds() {
    let server = FaultServer::start(vec![cut_short(), whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
}

#[test]
fn a_chunked_body_cut_short_is_retried() {
    let cut = Conn::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"data\":{\"organization_id\""
            .to_vec(),
    );
    let server = FaultServer::start(vec![cut, whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
}

// ---------------------------------------------------------------------------------------------
// Servers that never answer, or answer too slowly

/// Asserts `elapsed` is within `[min, max]`.
fn assert_took(elapsed: Duration, min: Duration, max: Duration) {
    assert!(
        elapsed >= min && elapsed < max,
        "took {elapsed:?}, expected between {min:?} and {max:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = FaultServer::start(vec![Conn::Stall(Vec::new())]);
    let client = server
        .builder()
        .0
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    match &result {
        Err(Error::Timeout(t)) => {
            assert_eq!(t.kind(), TransportErrorKind::Timeout);
            assert_eq!(t.attempts(), 1);
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(result.unwrap_err().is_retryable());
    assert_took(elapsed, Duration::from_millis(250), Duration::from_secs(3));
    assert_eq!(seen.connections, 1);
}

#[test]
fn timeouts_are_retried_within_the_retry_budget() {
    let stall = Conn::Stall(Vec::new());
    let server = FaultServer::start(vec![stall.clone(), stall.clone(), stall]);
    let (builder, waits) = server.builder();
    let client = builder.timeout(Duration::from_millis(200)).build().unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_eq!(result.unwrap_err().attempts(), Some(3));
    assert_eq!(seen.connections, 3);
    assert_eq!(waits.lock().unwrap().len(), 2);
    assert_took(elapsed, Duration::from_millis(550), Duration::from_secs(3));
}

#[test]
fn the_deadline_bounds_a_call_to_a_server_that_never_answers() {
    let stall = Conn::Stall(Vec::new());
    let server = FaultServer::start(vec![stall.clone(), stall.clone(), stall]);
    // The per-attempt timeout (30 s by default) would let this hang; the deadline must not.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .deadline(Duration::from_millis(500))
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_took(elapsed, Duration::from_millis(450), Duration::from_secs(2));
    assert!((1..=3).contains(&seen.connections), "{}", seen.connections);
}

#[test]
fn the_deadline_stops_retries_with_real_backoff_waits() {
    let stall = Conn::Stall(Vec::new());
    let server = FaultServer::start(vec![stall.clone(), stall.clone(), stall]);
    // Real sleeps: 200 ms attempts, then a back-off that must not overrun the deadline.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(700))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_took(elapsed, Duration::from_millis(150), Duration::from_secs(2));
    assert!(seen.connections <= 3, "{}", seen.connections);
}

#[test]
fn a_stalled_body_is_bounded_by_the_timeout() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":".to_vec();
    let server = FaultServer::start(vec![Conn::Stall(head)]);
    let client = server
        .builder()
        .0
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_took(elapsed, Duration::from_millis(250), Duration::from_secs(3));
    assert_eq!(seen.connections, 1);
}

fn trickle() -> Conn {
    let body = data(json!({"organization_id": "o".repeat(200)}));
    Conn::Trickle {
        head: format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        // ~230 bytes at one per 20 ms: about 5 s, far past every bound below.
        body: body.into_bytes(),
        every: Duration::from_millis(20),
    }
}

#[test]
fn a_trickling_body_is_bounded_by_the_timeout() {
    let server = FaultServer::start(vec![trickle()]);
    let client = server
        .builder()
        .0
        .timeout(Duration::from_millis(400))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_took(elapsed, Duration::from_millis(350), Duration::from_secs(3));
    assert_eq!(seen.connections, 1);
}

#[test]
fn a_trickling_body_is_bounded_by_the_deadline() {
    let server = FaultServer::start(vec![trickle(), trickle(), trickle()]);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .deadline(Duration::from_millis(600))
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    drop(server.finish());

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_took(elapsed, Duration::from_millis(550), Duration::from_secs(2));
}

// ---------------------------------------------------------------------------------------------
// Not HTTP

/// Deterministic bytes that are not an HTTP response (xorshift64*, fixed seed).
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    let mut out: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect();
    out[0] = 0xFF; // never the `H` of `HTTP/`
    out
}

#[test]
fn garbage_instead_of_http_is_a_protocol_error_and_is_not_retried() {
    let huge_header = format!(
        "HTTP/1.1 200 OK\r\nX-Filler: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        "a".repeat(200 * 1024)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("HELLO", b"HELLO\r\n\r\n".to_vec()),
        ("random bytes", random_bytes(0x9E37_79B9_7F4A_7C15, 512)),
        (
            "SMTP banner",
            b"220 mail.example.com ESMTP ready\r\n\r\n".to_vec(),
        ),
        (
            "bad status code",
            b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        ),
        (
            "bad header line",
            b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n".to_vec(),
        ),
        ("huge header", huge_header.into_bytes()),
    ];
    for (name, bytes) in cases {
        let server = FaultServer::start(vec![Conn::Reply(bytes), whoami_ok(), whoami_ok()]);
        let result = server.client().whoami();
        let seen = server.finish();
        assert_eq!(
            transport_kind(&result),
            TransportErrorKind::Protocol,
            "{name}"
        );
        let err = result.unwrap_err();
        assert!(!err.is_retryable(), "{name}");
        assert_eq!(err.attempts(), Some(1), "{name}");
        assert_eq!(
            seen.connections, 1,
            "{name}: a protocol error is not retried"
        );
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn a_bad_chunk_size_in_a_success_body_is_a_protocol_error() {
    let bytes =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec();
    let server = FaultServer::start(vec![Conn::Reply(bytes), whoami_ok()]);
    let result = server.client().whoami();
    let seen = server.finish();
    assert_eq!(transport_kind(&result), TransportErrorKind::Protocol);
    assert_eq!(seen.connections, 1);
}

// ---------------------------------------------------------------------------------------------
// Bounded memory

#[test]
fn a_body_over_max_body_size_is_refused_and_not_retried() {
    let body = format!(
        "{{\"data\":{{\"organization_id\":\"{}\"}}}}",
        "x".repeat(64 * 1024)
    );
    let with_length = Conn::Reply(response(200, &[("X-Request-ID", "req_big")], &body));
    // The same body without Content-Length: the size is only known by reading.
    let close_delimited = Conn::Reply(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{body}"
        )
        .into_bytes(),
    );
    for (name, conn) in [
        ("content-length", with_length),
        ("close-delimited", close_delimited),
    ] {
        let server = FaultServer::start(vec![conn, whoami_ok(), whoami_ok()]);
        let client = server.builder().0.max_body_size(1024).build().unwrap();
        let result = client.whoami();
        let seen = server.finish();
        match &result {
            Err(Error::BodyTooLarge { limit, .. }) => assert_eq!(*limit, 1024, "{name}"),
            other => panic!("{name}: expected Error::BodyTooLarge, got {other:?}"),
        }
        assert!(!result.unwrap_err().is_retryable(), "{name}");
        assert_eq!(seen.connections, 1, "{name}: not retried");
    }
}

#[test]
fn an_oversized_error_body_still_gives_the_status() {
    let body = "<html>".to_owned() + &"x".repeat(64 * 1024);
    let big = Conn::Reply(response(404, &[("X-Request-ID", "req_404")], &body));
    let server = FaultServer::start(vec![big]);
    let client = server.builder().0.max_body_size(1024).build().unwrap();
    let err = client.whoami().unwrap_err();
    let seen = server.finish();
    assert_eq!(err.status(), Some(404));
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("req_404"));
    assert_eq!(seen.connections, 1);
}

// ---------------------------------------------------------------------------------------------
// Idempotent creates

#[test]
fn a_create_reset_on_its_first_attempt_is_retried_with_the_same_idempotency_key() {
    let created = Conn::Reply(response(
        201,
        &[("X-Request-ID", "req_created")],
        &data(account_json("acc_1", "x")),
    ));
    let server = FaultServer::start(vec![Conn::Reset, created]);
    let account = server
        .client()
        .accounts()
        .create_with_meta(&NewAccount::new(Platform::TikTok, "x"))
        .unwrap();
    let seen = server.finish();

    assert_eq!(account.id, "acc_1");
    assert_eq!(account.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
    let keys = seen.header("idempotency-key");
    assert_eq!(keys.len(), 2, "{:?}", seen.requests);
    assert_eq!(keys[0], keys[1], "one key for every attempt of a call");
    assert_eq!(keys[0].len(), 36, "UUID-shaped: {:?}", keys[0]);
    assert_eq!(
        account.meta.idempotency_key.as_deref(),
        Some(keys[0].as_str())
    );
    for request in &seen.requests {
        assert!(
            request.starts_with("POST /v2/accounts HTTP/1.1\r\n"),
            "{request:?}"
        );
        let body = request.split("\r\n\r\n").nth(1).unwrap();
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body, json!({"platform": "tiktok", "username": "x"}));
    }
}

#[test]
fn a_create_that_keeps_failing_reports_its_key_and_sent_it_every_time() {
    let server = FaultServer::start(vec![Conn::Reset, Conn::Reset, Conn::Reset]);
    let err = server
        .client()
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "x").idempotency_key("my-key-1"))
        .unwrap_err();
    let seen = server.finish();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.idempotency_key(), Some("my-key-1"));
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(seen.header("idempotency-key"), ["my-key-1"; 3]);
}

// ---------------------------------------------------------------------------------------------
// Retry-After as an HTTP-date

/// Formats Unix seconds as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, secs) = (unix / 86_400, unix % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn http_dates_are_formatted_right() {
    assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(http_date(1_582_934_400), "Sat, 29 Feb 2020 00:00:00 GMT");
}

fn unavailable_until(date: &str) -> Conn {
    Conn::Reply(response(
        503,
        &[("Retry-After", date)],
        r#"{"type":"about:blank","title":"Service Unavailable","status":503,"code":"SERVICE_UNAVAILABLE"}"#,
    ))
}

#[test]
fn retry_after_as_an_http_date_is_waited_for() {
    let server = FaultServer::start(vec![
        unavailable_until(&http_date(unix_now() + 4)),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    let seen = server.finish();

    assert_eq!(me.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits, me.meta.retry_delays);
    assert_eq!(waits.len(), 1);
    // The date has one-second resolution and was made a moment before it was read.
    assert!(
        (Duration::from_millis(2500)..=Duration::from_secs(4)).contains(&waits[0]),
        "{waits:?}"
    );
}

#[test]
fn retry_after_as_a_past_http_date_retries_at_once() {
    let server = FaultServer::start(vec![
        unavailable_until("Sun, 06 Nov 1994 08:49:37 GMT"),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    drop(server.finish());
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(*waits.lock().unwrap(), [Duration::ZERO]);
}

#[test]
fn retry_after_as_a_date_past_the_cap_fails_fast_with_the_wait() {
    let server = FaultServer::start(vec![
        unavailable_until(&http_date(unix_now() + 3600)),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let err = builder.build().unwrap().whoami().unwrap_err();
    let seen = server.finish();
    assert_eq!(err.status(), Some(503));
    let wait = err.retry_after().expect("retry_after on the error");
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(seen.connections, 1);
    assert!(waits.lock().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[test]
fn a_redirect_is_an_api_error_and_is_not_followed() {
    let found = Conn::Reply(response(302, &[], ""));
    let elsewhere = |status: u16| {
        Conn::Reply(
            format!(
                "HTTP/1.1 {status} Moved\r\nLocation: /v2/accounts/acc_9\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .into_bytes(),
        )
    };
    let target = Conn::Reply(response(200, &[], &data(account_json("acc_9", "x"))));
    for (name, first) in [
        ("302 without Location", found),
        ("303 to the account", elsewhere(303)),
        ("307 to the account", elsewhere(307)),
    ] {
        let server = FaultServer::start(vec![first, target.clone()]);
        let result = server
            .client()
            .accounts()
            .create(&NewAccount::new(Platform::TikTok, "x"));
        let seen = server.finish();
        match &result {
            Err(Error::Api(p)) => assert!((300..400).contains(&p.status), "{name}: {p:?}"),
            other => panic!("{name}: expected Error::Api, got {other:?}"),
        }
        assert_eq!(
            seen.connections, 1,
            "{name}: the redirect must not be followed"
        );
    }
}
