//! A small HTTP/1.1 server on `std::net`: a thread per connection, keep-alive,
//! `Content-Length` and chunked request bodies, bounded reads. It knows nothing about the
//! API: each parsed request goes to a handler, which returns the response.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// The longest request head (request line and headers) accepted.
const MAX_HEAD: u64 = 32 * 1024;
/// The largest request body accepted.
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// How long a kept-alive connection may stay idle (longer than ureq's pool keeps one).
const IDLE: Duration = Duration::from_secs(60);

/// A parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
    }
}

pub(crate) type Handler = Arc<dyn Fn(Request) -> Response + Send + Sync>;

/// A running server; dropping it stops it and closes its connections.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
}

impl Server {
    /// Binds a free port on 127.0.0.1 and serves `handler` on it.
    pub fn start(handler: Handler) -> io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<HashMap<u64, TcpStream>>> = Arc::default();
        let (stop2, conns2) = (Arc::clone(&stop), Arc::clone(&connections));
        let next_id = AtomicU64::new(0);
        thread::Builder::new()
            .name("creatoraudit-fake-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else {
                        // Out of file descriptors, say: do not spin.
                        thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    let id = next_id.fetch_add(1, Ordering::Relaxed);
                    if let Ok(clone) = stream.try_clone() {
                        lock(&conns2).insert(id, clone);
                    }
                    let (handler, conns) = (Arc::clone(&handler), Arc::clone(&conns2));
                    let spawned = thread::Builder::new()
                        .name("creatoraudit-fake-conn".into())
                        .spawn(move || {
                            // Forgotten (and so closed) even if serving it panics: the client
                            // then sees the connection close rather than waiting for an answer.
                            let _forget = Forget(&conns, id);
                            serve(stream, &handler);
                        });
                    if spawned.is_err() {
                        lock(&conns2).remove(&id);
                    }
                }
            })?;
        Ok(Server {
            addr,
            stop,
            connections,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        for (_, stream) in lock(&self.connections).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a request could not be read.
enum ReadError {
    /// The peer went away or the socket failed: close quietly.
    Closed,
    /// A malformed or oversized request: answer with this status and detail, then close.
    Bad(u16, String),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Closed
    }
}

/// Serves one connection until the peer closes it, asks to, or sends something malformed.
fn serve(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        match read_request(&mut reader, &mut writer) {
            Ok(Some(request)) => {
                let close = request
                    .header("connection")
                    .is_some_and(|c| c.eq_ignore_ascii_case("close"));
                let head_only = request.method == "HEAD";
                let response = handler(request);
                if write_response(&mut writer, &response, close, head_only).is_err() || close {
                    return;
                }
            }
            Ok(None) | Err(ReadError::Closed) => return,
            Err(ReadError::Bad(status, detail)) => {
                let response = bad_request(status, &detail);
                let _ = write_response(&mut writer, &response, true, false);
                linger_close(&mut writer);
                return;
            }
        }
    }
}

/// A problem document for a request the server could not read.
fn bad_request(status: u16, detail: &str) -> Response {
    let (code, title) = match status {
        413 => ("PAYLOAD_TOO_LARGE", "Payload Too Large"),
        431 => ("BAD_REQUEST", "Request Header Fields Too Large"),
        501 => ("NOT_IMPLEMENTED", "Not Implemented"),
        _ => ("BAD_REQUEST", "Bad Request"),
    };
    let body = serde_json::json!({
        "type": "urn:creatoraudit:error:bad-request",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    });
    let mut response = Response::new(status)
        .header("content-type", "application/problem+json")
        .header("x-request-id", "req_fake_malformed");
    response.body = body.to_string().into_bytes();
    response
}

/// Closes after an error answer without resetting the connection: stops writing, then
/// drains (bounded) what the peer still sends, so it can read the answer.
fn linger_close(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 8192];
    let mut left = MAX_BODY;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Reads one line (up to and including `\n`), at most `budget` bytes; `None` at a clean EOF.
fn read_line(reader: &mut impl BufRead, budget: &mut u64) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let n = reader.by_ref().take(*budget).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    *budget -= n as u64;
    if !line.ends_with(b"\n") {
        return Err(if *budget == 0 {
            ReadError::Bad(431, "the request head is too large".into())
        } else {
            ReadError::Closed // cut short
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| ReadError::Bad(400, "the request head is not UTF-8".into()))
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Option<Request>, ReadError> {
    let mut budget = MAX_HEAD;
    // Tolerate empty lines before a request line (RFC 9112 §2.2).
    let request_line = loop {
        match read_line(reader, &mut budget)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(400, "malformed request line".into()));
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    if !token(method) || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(ReadError::Bad(400, "malformed request line".into()));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget)?.ok_or(ReadError::Closed)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad(400, "malformed header line".into()));
        };
        if !token(name) {
            return Err(ReadError::Bad(400, "malformed header name".into()));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
        if headers.len() > 200 {
            return Err(ReadError::Bad(431, "too many headers".into()));
        }
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: Vec::new(),
    };
    if request
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    if let Some(te) = request.header("transfer-encoding") {
        if !te.eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Bad(
                501,
                format!("transfer-encoding {te:?} is not supported"),
            ));
        }
        request.body = read_chunked(reader)?;
    } else if let Some(len) = request.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| ReadError::Bad(400, "malformed content-length".into()))?;
        if len > MAX_BODY {
            return Err(ReadError::Bad(
                413,
                format!("the body is over {MAX_BODY} bytes"),
            ));
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        request.body = body;
    }
    Ok(Some(request))
}

/// Removes a connection from the server's list when its thread ends, however it ends.
struct Forget<'a>(&'a Mutex<HashMap<u64, TcpStream>>, u64);

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        lock(self.0).remove(&self.1);
    }
}

fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let mut budget = 1024;
        let line = read_line(reader, &mut budget)?.ok_or(ReadError::Closed)?;
        let size = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| ReadError::Bad(400, "malformed chunk size".into()))?;
        if size == 0 {
            // Trailers, up to the empty line.
            let mut budget = MAX_HEAD;
            while let Some(line) = read_line(reader, &mut budget)? {
                if line.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if size > MAX_BODY - body.len() {
            return Err(ReadError::Bad(
                413,
                format!("the body is over {MAX_BODY} bytes"),
            ));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf)?;
        if &crlf != b"\r\n" {
            return Err(ReadError::Bad(400, "malformed chunk".into()));
        }
    }
}

fn write_response(w: &mut TcpStream, r: &Response, close: bool, head_only: bool) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status)).into_bytes();
    for (name, value) in &r.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    let bodiless = r.status == 204 || r.status == 304 || (100..200).contains(&r.status);
    if !bodiless {
        out.extend_from_slice(format!("content-length: {}\r\n", r.body.len()).as_bytes());
    }
    out.extend_from_slice(if close {
        b"connection: close\r\n\r\n".as_slice()
    } else {
        b"connection: keep-alive\r\n\r\n".as_slice()
    });
    if !bodiless && !head_only {
        out.extend_from_slice(&r.body);
    }
    w.write_all(&out)?;
    w.flush()
}

/// The reason phrase of a status.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo() -> Server {
        Server::start(Arc::new(|r: Request| {
            let mut resp = Response::new(200);
            resp.body = format!("{} {} {}", r.method, r.target, r.body.len()).into_bytes();
            resp
        }))
        .unwrap()
    }

    fn exchange(server: &Server, raw: &[u8]) -> String {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(raw).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn keep_alive_serves_several_requests_on_one_connection() {
        let server = echo();
        let out = exchange(
            &server,
            b"GET /a HTTP/1.1\r\nhost: x\r\n\r\nPOST /b HTTP/1.1\r\ncontent-length: 3\r\n\r\nabc\
              POST /c HTTP/1.1\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n2\r\nab\r\n0\r\n\r\n",
        );
        assert!(out.contains("GET /a 0"), "{out}");
        assert!(out.contains("POST /b 3"), "{out}");
        assert!(out.contains("POST /c 2"), "{out}");
        assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 3);
    }

    #[test]
    fn malformed_requests_get_a_400_problem_not_a_hang() {
        let server = echo();
        for raw in [
            &b"garbage\r\n\r\n"[..],
            b"GET /a HTTP/1.1\r\nno colon here\r\n\r\n",
            b"GET /a HTTP/1.1\r\ncontent-length: nope\r\n\r\n",
            b"POST /a HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
            b"\xff\xfe /a HTTP/1.1\r\n\r\n",
        ] {
            let out = exchange(&server, raw);
            assert!(out.starts_with("HTTP/1.1 400"), "{out}");
            assert!(out.contains("application/problem+json"), "{out}");
        }
        let out = exchange(
            &server,
            b"POST /a HTTP/1.1\r\ncontent-length: 99999999\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 413"), "{out}");
        let mut huge = b"GET /a HTTP/1.1\r\nx: ".to_vec();
        huge.extend(std::iter::repeat_n(b'a', 40_000));
        let out = exchange(&server, &huge);
        assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    }
}
