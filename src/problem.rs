//! RFC 9457 problem documents: [`Problem`], [`ErrorCode`] and [`FieldError`].
//!
//! The API answers every failed request with `application/problem+json`. This module reads
//! those documents leniently (every field but the HTTP status may be missing or of the wrong
//! type) and builds a usable [`Problem`] even from a body that is not JSON at all, such as a
//! proxy's HTML `502` page.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::history::{AttemptOutcome, Step};
use crate::response::{CallContext, ResponseMeta};
use crate::text::{one_line, snippet};

/// How much of a problem's text its `Display` shows: a code, a title, the detail, each field
/// error, and how many field errors.
const MAX_CODE_CHARS: usize = 64;
const MAX_TITLE_CHARS: usize = 200;
const MAX_DETAIL_CHARS: usize = 1_000;
const MAX_FIELD_ERROR_CHARS: usize = 300;
const MAX_FIELD_ERRORS_SHOWN: usize = 20;

/// The `type` of a problem that did not come with one (RFC 9457, section 4.2.1).
pub(crate) const ABOUT_BLANK: &str = "about:blank";

/// An API error: an RFC 9457 problem document, plus what the SDK knows about the call.
///
/// Every field except `status` comes from the response body when it is there and well formed,
/// and falls back to something derived from the HTTP status otherwise, so a `Problem` is
/// always complete enough to log and to branch on.
///
/// ```
/// # fn demo(err: creatoraudit::Error) {
/// use creatoraudit::{Error, ErrorCode};
///
/// if let Error::Api(problem) = &err {
///     match problem.code {
///         ErrorCode::ValidationError => {
///             for field in &problem.errors {
///                 eprintln!("{}: {}", field.field, field.message);
///             }
///         }
///         ErrorCode::NotFound => eprintln!("no such resource"),
///         _ => eprintln!("{problem}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Problem {
    /// The HTTP status of the response.
    pub status: u16,
    /// The problem type URI, e.g. `urn:creatoraudit:error:validation-error`, or `about:blank`.
    pub type_uri: String,
    /// A short summary of the problem class, e.g. `Unprocessable Entity`.
    pub title: String,
    /// What went wrong with this request. Empty when the server gave no detail.
    pub detail: String,
    /// The stable machine code to branch on.
    pub code: ErrorCode,
    /// The path of the failed request, e.g. `/v2/accounts/{id}`.
    pub instance: Option<String>,
    /// The request id, from the body or, failing that, the `X-Request-ID` header.
    pub request_id: Option<String>,
    /// Field-level validation errors (on `422 VALIDATION_ERROR`).
    pub errors: Vec<FieldError>,
    /// How long the server asked us to wait (`Retry-After`), when it did.
    pub retry_after: Option<Duration>,
    /// The call's record: endpoint, rate-limit snapshot, idempotency key, attempts and waits
    /// (also reachable as [`Error::meta`](crate::Error::meta)).
    pub meta: ResponseMeta,
    /// Members of the problem document that this struct does not model.
    pub extensions: Map<String, Value>,
    /// Whether the body was something else than a JSON object (an HTML page, text): the
    /// answer of something in front of the API, or of another server.
    pub(crate) foreign: bool,
}

/// One field-level validation error from a problem document's `errors` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The name of the offending field, e.g. `platform`.
    pub field: String,
    /// What is wrong with it, e.g. `must be one of: instagram, tiktok`.
    pub message: String,
}

/// The stable machine codes of CreatorAudit errors.
///
/// Branch on this rather than on the HTTP status or the text. Codes added to the API after
/// this release arrive as [`ErrorCode::Other`] with the raw string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `400 BAD_REQUEST`: the request is malformed.
    BadRequest,
    /// `401 UNAUTHORIZED`: the API key is missing or invalid.
    Unauthorized,
    /// `403 FORBIDDEN`: the key or the subscription is inactive.
    Forbidden,
    /// `403 INSUFFICIENT_SCOPE`: the key lacks the scope the call needs.
    InsufficientScope,
    /// `403 QUOTA_EXCEEDED`: the organization's tracking cap is reached.
    QuotaExceeded,
    /// `404 NOT_FOUND`: no such resource in your organization.
    NotFound,
    /// `406 NOT_ACCEPTABLE`: the `Accept` header cannot be met with JSON.
    NotAcceptable,
    /// `409 CONFLICT`: the request conflicts with the current state.
    Conflict,
    /// `415 UNSUPPORTED_MEDIA_TYPE`: a write body that is not JSON.
    UnsupportedMediaType,
    /// `422 VALIDATION_ERROR`: validation failed; see [`Problem::errors`].
    ValidationError,
    /// `429 RATE_LIMITED`: too many requests; see [`Problem::retry_after`].
    RateLimited,
    /// `500 INTERNAL_ERROR`: an unexpected server error.
    InternalError,
    /// `502 UPSTREAM_ERROR`: the platform provider failed.
    UpstreamError,
    /// `503 SERVICE_UNAVAILABLE`: temporarily unavailable.
    ServiceUnavailable,
    /// A code this version of the SDK does not know.
    Other(String),
}

impl ErrorCode {
    const KNOWN: [(ErrorCode, &'static str); 14] = [
        (ErrorCode::BadRequest, "BAD_REQUEST"),
        (ErrorCode::Unauthorized, "UNAUTHORIZED"),
        (ErrorCode::Forbidden, "FORBIDDEN"),
        (ErrorCode::InsufficientScope, "INSUFFICIENT_SCOPE"),
        (ErrorCode::QuotaExceeded, "QUOTA_EXCEEDED"),
        (ErrorCode::NotFound, "NOT_FOUND"),
        (ErrorCode::NotAcceptable, "NOT_ACCEPTABLE"),
        (ErrorCode::Conflict, "CONFLICT"),
        (ErrorCode::UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"),
        (ErrorCode::ValidationError, "VALIDATION_ERROR"),
        (ErrorCode::RateLimited, "RATE_LIMITED"),
        (ErrorCode::InternalError, "INTERNAL_ERROR"),
        (ErrorCode::UpstreamError, "UPSTREAM_ERROR"),
        (ErrorCode::ServiceUnavailable, "SERVICE_UNAVAILABLE"),
    ];

    /// The code as the API spells it, e.g. `"VALIDATION_ERROR"`.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(code) => code,
            known => Self::KNOWN
                .iter()
                .find(|(code, _)| code == known)
                .map_or("INTERNAL_ERROR", |(_, name)| name),
        }
    }

    /// The code the documented status table gives an HTTP status, for error bodies that
    /// carry none: `500` and every status the table does not list map to `INTERNAL_ERROR`.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => ErrorCode::BadRequest,
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            406 => ErrorCode::NotAcceptable,
            409 => ErrorCode::Conflict,
            415 => ErrorCode::UnsupportedMediaType,
            422 => ErrorCode::ValidationError,
            429 => ErrorCode::RateLimited,
            502 => ErrorCode::UpstreamError,
            503 => ErrorCode::ServiceUnavailable,
            _ => ErrorCode::InternalError,
        }
    }
}

impl FromStr for ErrorCode {
    type Err = std::convert::Infallible;

    /// Never fails: an unknown code becomes [`ErrorCode::Other`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::KNOWN
            .iter()
            .find(|(_, name)| *name == s)
            .map_or_else(|| ErrorCode::Other(s.to_owned()), |(code, _)| code.clone()))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The members that make a JSON object a problem document. `status` or `errors` alone do not:
/// frameworks' own error JSON (Spring's `{status, error, message, path}`) carries them too.
const PROBLEM_MEMBERS: [&str; 4] = ["type", "title", "detail", "code"];

/// Whether `prefix`, the start of a body cut short, is a problem document's: a JSON object
/// that names one of its members, quoted. (It cannot be parsed to tell.)
fn is_cut_problem(prefix: &[u8]) -> bool {
    let names = |m: &str, w: &[u8]| {
        w.first() == Some(&b'"') && w.last() == Some(&b'"') && &w[1..w.len() - 1] == m.as_bytes()
    };
    prefix.trim_ascii_start().starts_with(b"{")
        && PROBLEM_MEMBERS
            .iter()
            .any(|m| prefix.windows(m.len() + 2).any(|w| names(m, w)))
}

impl Problem {
    /// A problem with only an HTTP status: `about:blank`, the status's reason phrase as
    /// title, and the code the documented table gives the status.
    ///
    /// Useful to build errors in tests of your own code.
    pub fn new(status: u16) -> Self {
        Problem {
            status,
            type_uri: ABOUT_BLANK.to_owned(),
            title: reason_phrase(status).to_owned(),
            detail: String::new(),
            code: ErrorCode::from_status(status),
            instance: None,
            request_id: None,
            errors: Vec::new(),
            retry_after: None,
            meta: ResponseMeta {
                status: Some(status),
                attempts: 1,
                ..ResponseMeta::default()
            },
            extensions: Map::new(),
            foreign: false,
        }
    }

    /// Reads an error response body.
    ///
    /// A JSON object with at least one problem member (`type`, `title`, `detail`, `code`) is
    /// read as a problem document, member by member: a member that is
    /// missing, empty or of the wrong type falls back to what the status implies. Anything
    /// else (an HTML page, plain text, an empty body, a JSON array, a gateway's own JSON
    /// such as `{"message": …}`) gives a problem built from the status with a bounded,
    /// single-line snippet of the body as `detail`. `header_request_id` is used when the body
    /// carries no `request_id`.
    pub fn from_body(status: u16, body: &[u8], header_request_id: Option<&str>) -> Self {
        Problem::from_read_body(status, body, false, header_request_id)
    }

    /// [`from_body`](Self::from_body) of what was read of a body, `cut` when that is not all
    /// of it (over the bound, or broken off). A problem document cut short does not parse,
    /// but it is no sign that something other than the API answered: it is not `foreign`.
    pub(crate) fn from_read_body(
        status: u16,
        body: &[u8],
        cut: bool,
        header_request_id: Option<&str>,
    ) -> Self {
        let mut problem = Problem::new(status);
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members))
                if PROBLEM_MEMBERS.iter().any(|m| members.contains_key(*m)) =>
            {
                problem.read_members(members);
            }
            _ => {
                problem.detail = snippet(body);
                // A problem document cut short is still the API's.
                let api_cut_short = cut && is_cut_problem(body);
                problem.foreign = !problem.detail.is_empty() && !api_cut_short;
            }
        }
        if problem.request_id.is_none() {
            problem.request_id = header_request_id.map(str::to_owned);
        }
        problem
    }

    fn read_members(&mut self, members: Map<String, Value>) {
        for (name, value) in members {
            match (name.as_str(), value) {
                // An empty string says no more than a missing member: the fallback stays.
                ("type" | "title" | "code" | "request_id", Value::String(v)) if v.is_empty() => {}
                ("type", Value::String(v)) => self.type_uri = v,
                ("title", Value::String(v)) => self.title = v,
                ("detail", Value::String(v)) => self.detail = v,
                ("code", Value::String(v)) => {
                    self.code = v.parse().unwrap_or_else(|never| match never {})
                }
                ("instance", Value::String(v)) => self.instance = Some(v),
                ("request_id", Value::String(v)) => self.request_id = Some(v),
                ("errors", Value::Array(items)) => {
                    self.errors = items
                        .into_iter()
                        .filter_map(FieldError::from_value)
                        .collect()
                }
                // The HTTP status is authoritative; the body's copy is not kept twice.
                ("status", _) => {}
                // A request id sent as a number is still the request id.
                ("request_id", Value::Number(n)) => self.request_id = Some(n.to_string()),
                // A modelled member of another type says nothing usable: its fallback stays,
                // and it is not an extension either.
                (
                    "type" | "title" | "detail" | "code" | "instance" | "request_id" | "errors",
                    _,
                ) => {}
                (_, value) => {
                    self.extensions.insert(name, value);
                }
            }
        }
    }
}

impl FieldError {
    /// One item of `errors`: the documented `{field, message}`, or the shapes other servers
    /// use (`{pointer, detail}` of RFC 9457's examples, `{loc: [..], msg}` of FastAPI), or a
    /// bare string (a message without a field). `None` for an item with nothing to say.
    fn from_value(value: Value) -> Option<Self> {
        let mut members = match value {
            Value::Object(members) => members,
            Value::String(message) if !message.is_empty() => {
                return Some(FieldError {
                    field: String::new(),
                    message,
                });
            }
            _ => return None,
        };
        let mut take = |keys: &[&str]| {
            keys.iter().find_map(|key| match members.remove(*key)? {
                Value::String(s) if !s.is_empty() => Some(s),
                Value::Array(parts) => Some(
                    parts
                        .iter()
                        .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("."),
                ),
                Value::Null => None,
                Value::String(_) => None,
                other => Some(other.to_string()),
            })
        };
        let field = take(&["field", "pointer", "loc", "name"]).unwrap_or_default();
        let message = take(&["message", "detail", "msg", "reason"]).unwrap_or_default();
        (!field.is_empty() || !message.is_empty()).then_some(FieldError { field, message })
    }
}

impl Problem {
    /// Whether this is a `409 CONFLICT` to a keyed create that was retried after an attempt
    /// that may have been processed (a response other than a `429`, which the API refuses
    /// before doing anything, or a connection that broke or timed out; not a failed lookup,
    /// a refused connection or a failed handshake, which never carried the request): the API
    /// deduplicates keyed creates only best-effort, so the conflict may be with this very
    /// call's earlier attempt.
    pub fn may_conflict_with_an_earlier_attempt(&self) -> bool {
        let mut attempts = self.meta.history().iter().filter_map(|step| match step {
            Step::Attempt(a) => Some(a.outcome),
            Step::Wait(_) => None,
        });
        let last = attempts.next_back();
        let processed_before = attempts.any(AttemptOutcome::may_have_been_processed);
        let retried = match last {
            Some(_) => processed_before,
            // A record without history (built by hand): its attempt count says.
            None => self.meta.attempts > 1,
        };
        self.status == 409 && retried && self.meta.idempotency_key.is_some()
    }
}

impl fmt::Display for Problem {
    /// `[422 VALIDATION_ERROR] Unprocessable Entity: Request failed validation.
    /// [name: must not be blank] (POST /accounts, request id req_1)`: the status, code, title
    /// and detail, the field errors in brackets, then the call (endpoint, request id,
    /// attempts and waits) in parentheses.
    ///
    /// What the server wrote is shown as one bounded line: a message must
    /// not carry a line break or a terminal escape into a log, nor megabytes of detail. The
    /// fields keep it as it came.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = one_line(&self.title, MAX_TITLE_CHARS);
        // A title with nothing printable in it says no more than a missing one.
        let title = if title.is_empty() {
            reason_phrase(self.status).into()
        } else {
            title
        };
        write!(
            f,
            "[{} {}] {title}",
            self.status,
            one_line(self.code.as_str(), MAX_CODE_CHARS),
        )?;
        let detail = one_line(&self.detail, MAX_DETAIL_CHARS);
        if !detail.is_empty() {
            write!(f, ": {detail}")?;
        }
        if !self.errors.is_empty() {
            f.write_str(" [")?;
            for (i, e) in self.errors.iter().take(MAX_FIELD_ERRORS_SHOWN).enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{}", one_line(&e.to_string(), MAX_FIELD_ERROR_CHARS))?;
            }
            if self.errors.len() > MAX_FIELD_ERRORS_SHOWN {
                let more = self.errors.len() - MAX_FIELD_ERRORS_SHOWN;
                write!(f, "; … {more} more")?;
            }
            f.write_str("]")?;
        }
        if self.may_conflict_with_an_earlier_attempt() {
            f.write_str(
                " (An earlier attempt of this call may have been processed: look the resource \
                 up before creating it again.)",
            )?;
        }
        write!(
            f,
            "{}",
            CallContext::with_request_id(&self.meta, self.request_id.as_deref())
        )
    }
}

impl fmt::Display for FieldError {
    /// `field: message`, or the message alone when no field was named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.field.is_empty(), self.message.is_empty()) {
            (true, _) => f.write_str(&self.message),
            (false, true) => f.write_str(&self.field),
            (false, false) => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// The standard reason phrase of an HTTP status, or `"Error"` for one without a name.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::text::SNIPPET_CHARS;

    #[test]
    fn a_json_object_with_no_problem_member_is_a_foreign_body() {
        // A gateway's own JSON (Kong, nginx-lua, ...), not the API's problem document.
        let p = Problem::from_body(404, br#"{"message":"no Route matched"}"#, None);
        assert!(p.to_string().contains("no Route matched"), "{p}");
        assert!(p.foreign);
        assert!(!Error::from(p).is_not_found());
        // Spring Boot's own 404 has `status` (and `error`, `message`): not the API's.
        let spring = br#"{"timestamp":"2026-12-01T10:00:00Z","status":404,"error":"Not Found",
            "message":"No handler found","path":"/accounts"}"#;
        let p = Problem::from_body(404, spring, None);
        assert!(p.foreign && p.detail.contains("No handler found"), "{p}");
        // One problem member is enough to be read as a problem document.
        let p = Problem::from_body(404, br#"{"detail":"Account not found."}"#, None);
        assert!(!p.foreign);
        assert_eq!(p.detail, "Account not found.");
    }

    #[test]
    fn field_errors_in_other_shapes_are_kept() {
        let p = Problem::from_body(
            422,
            br#"{"title":"x","errors":["username is required"]}"#,
            None,
        );
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].message, "username is required");
        assert!(p.to_string().contains("[username is required]"), "{p}");
        let p = Problem::from_body(
            422,
            br#"{"title":"x","errors":[{"pointer":"/name","detail":"blank"},
                {"loc":["body","platform"],"msg":"field required"}]}"#,
            None,
        );
        assert_eq!(p.errors[0].field, "/name");
        assert_eq!(p.errors[0].message, "blank");
        assert_eq!(p.errors[1].field, "body.platform");
        assert_eq!(p.errors[1].message, "field required");
        assert!(!p.to_string().contains("[: ]"), "{p}");
    }

    #[test]
    fn a_snippet_cut_exactly_at_its_bound_still_says_so() {
        let body = format!("{} more words", "x".repeat(SNIPPET_CHARS));
        let s = snippet(body.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1, "{s}");
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"short and whole"), "short and whole");
    }

    #[test]
    fn empty_members_fall_back_like_missing_ones() {
        let p = Problem::from_body(
            500,
            br#"{"code":"","title":"","request_id":"","type":""}"#,
            Some("req_h"),
        );
        assert_eq!(p.request_id.as_deref(), Some("req_h"));
        assert_eq!(p.code, ErrorCode::InternalError);
        assert_eq!(p.title, "Internal Server Error");
        assert_eq!(p.type_uri, ABOUT_BLANK);
    }

    #[test]
    fn full_problem_document_is_read() {
        let body =
            br#"{"type":"urn:creatoraudit:error:validation-error","title":"Unprocessable Entity",
            "status":422,"detail":"Request failed validation.","code":"VALIDATION_ERROR",
            "instance":"/v2/accounts","request_id":"req_body",
            "errors":[{"field":"platform","message":"must be one of: instagram, tiktok"}],
            "trace":"abc"}"#;
        let p = Problem::from_body(422, body, Some("req_header"));
        assert_eq!(p.type_uri, "urn:creatoraudit:error:validation-error");
        assert_eq!(p.code, ErrorCode::ValidationError);
        assert_eq!(p.instance.as_deref(), Some("/v2/accounts"));
        assert_eq!(p.request_id.as_deref(), Some("req_body"));
        assert_eq!(
            p.errors,
            vec![FieldError {
                field: "platform".into(),
                message: "must be one of: instagram, tiktok".into()
            }]
        );
        assert_eq!(p.extensions.get("trace"), Some(&Value::from("abc")));
        assert_eq!(
            p.to_string(),
            "[422 VALIDATION_ERROR] Unprocessable Entity: Request failed validation. \
             [platform: must be one of: instagram, tiktok] (request id req_body)"
        );
        assert!(!p.foreign);
    }

    #[test]
    fn wrong_types_fall_back_instead_of_failing() {
        let body = br#"{"title":7,"code":null,"status":"x","errors":"nope","detail":["a"]}"#;
        let p = Problem::from_body(404, body, None);
        assert_eq!(p.title, "Not Found");
        assert_eq!(p.code, ErrorCode::NotFound);
        assert!(p.errors.is_empty());
        assert_eq!(p.detail, "");
        assert_eq!(p.to_string(), "[404 NOT_FOUND] Not Found");
        // Modelled members of another type are not extensions either; a numeric request
        // id is still the request id.
        assert!(p.extensions.is_empty(), "{:?}", p.extensions);
        let p = Problem::from_body(404, br#"{"title":"Gone","request_id":12345,"x":1}"#, None);
        assert_eq!(p.request_id.as_deref(), Some("12345"));
        assert_eq!(p.extensions.len(), 1);
    }

    #[test]
    fn display_shows_the_servers_text_as_one_bounded_line() {
        let body = serde_json::json!({
            "title": "Bad\nRequest",
            "detail": format!("line one\r\nFAKE: log line\u{1b}[31m {}", "x".repeat(5_000)),
            "code": "VALIDATION_ERROR",
            "errors": (0..25)
                .map(|i| serde_json::json!({"field": format!("f{i}"), "message": "bad\nvalue"}))
                .collect::<Vec<_>>(),
        });
        let p = Problem::from_body(422, body.to_string().as_bytes(), None);
        // The fields keep what came ...
        assert!(p.detail.contains('\n') && p.detail.len() > 5_000);
        // ... and the message is one line, without the escape, and bounded.
        let shown = p.to_string();
        assert!(!shown.contains(['\n', '\r', '\u{1b}']), "{shown:?}");
        assert!(
            shown.starts_with("[422 VALIDATION_ERROR] Bad Request: line one FAKE: log line[31m x")
        );
        assert!(shown.chars().count() < 3_000, "{}", shown.chars().count());
        assert!(shown.contains("f19: bad value; … 5 more]"), "{shown}");
        assert!(!shown.contains("f20:"), "{shown}");
    }

    #[test]
    fn a_request_id_or_a_blank_title_cannot_break_the_line() {
        let body = br#"{"title":" \n ","detail":"d","request_id":"req\nFAKE\u001b[2J\u2028x"}"#;
        let p = Problem::from_body(400, body, None);
        let shown = p.to_string();
        assert_eq!(
            shown,
            "[400 BAD_REQUEST] Bad Request: d (request id req FAKE[2J x)"
        );
        // A line separator is a line break too, on the fast path as on the slow one; a word
        // of control characters only leaves no double space; a blank detail is no detail.
        assert_eq!(crate::text::one_line("a\u{2028}b", 10), "a b");
        assert_eq!(crate::text::one_line("a b", 10), "a b");
        assert_eq!(crate::text::one_line("a \u{1b} b \u{7}", 10), "a b");
        let p = Problem::from_body(400, br#"{"title":"Bad","detail":"\n"}"#, None);
        assert_eq!(p.to_string(), "[400 BAD_REQUEST] Bad");
    }

    #[test]
    fn only_an_attempt_that_may_have_reached_the_server_brings_the_409_note() {
        use crate::history::{Attempt, TransportErrorKind as K};
        let after = |first: AttemptOutcome| {
            let mut p = Problem::new(409);
            p.meta.idempotency_key = Some("k".into());
            p.meta.attempts = 2;
            p.meta.history = [first, AttemptOutcome::Status(409)]
                .into_iter()
                .enumerate()
                .map(|(i, outcome)| {
                    Step::Attempt(Attempt {
                        number: i as u32 + 1,
                        outcome,
                        elapsed: Duration::ZERO,
                        request_id: None,
                    })
                })
                .collect();
            p.may_conflict_with_an_earlier_attempt()
        };
        for may in [
            AttemptOutcome::Status(503),
            AttemptOutcome::Transport(K::ConnectionReset),
            AttemptOutcome::Transport(K::Timeout),
            AttemptOutcome::Transport(K::Io),
        ] {
            assert!(after(may), "{may:?}");
        }
        for never in [
            AttemptOutcome::Status(429),
            AttemptOutcome::Transport(K::Dns),
            AttemptOutcome::Transport(K::ConnectionRefused),
            AttemptOutcome::Transport(K::Connect),
            AttemptOutcome::Transport(K::Tls),
        ] {
            assert!(!after(never), "{never:?}");
        }
    }

    #[test]
    fn html_body_becomes_a_bounded_single_line_snippet() {
        let html = format!(
            "<html>\n<body>\n{}</body></html>",
            "bad gateway ".repeat(100)
        );
        let p = Problem::from_body(502, html.as_bytes(), Some("req_h"));
        assert_eq!(p.type_uri, ABOUT_BLANK);
        assert_eq!(p.title, "Bad Gateway");
        assert_eq!(p.code, ErrorCode::UpstreamError);
        assert_eq!(p.request_id.as_deref(), Some("req_h"));
        assert!(p.detail.starts_with("<html> <body> bad gateway"));
        assert!(!p.detail.contains('\n'));
        assert_eq!(p.detail.chars().count(), SNIPPET_CHARS + 1);
        assert!(p.detail.ends_with('…'));
        assert!(p.foreign, "a page, not a problem document");
    }

    #[test]
    fn unknown_codes_are_kept_and_statuses_map_by_the_table() {
        assert_eq!(
            "BRAND_NEW".parse::<ErrorCode>().unwrap(),
            ErrorCode::Other("BRAND_NEW".into())
        );
        assert_eq!(ErrorCode::Other("BRAND_NEW".into()).as_str(), "BRAND_NEW");
        for (code, name) in ErrorCode::KNOWN.iter() {
            assert_eq!(code.as_str(), *name);
            assert_eq!(name.parse::<ErrorCode>().unwrap(), *code);
        }
        assert_eq!(ErrorCode::from_status(500), ErrorCode::InternalError);
        assert_eq!(ErrorCode::from_status(418), ErrorCode::InternalError);
        assert_eq!(ErrorCode::from_status(504), ErrorCode::InternalError);
        assert_eq!(ErrorCode::from_status(503), ErrorCode::ServiceUnavailable);
    }

    #[test]
    fn empty_body_gives_status_derived_problem() {
        let p = Problem::from_body(503, b"", None);
        assert_eq!(
            p.to_string(),
            "[503 SERVICE_UNAVAILABLE] Service Unavailable"
        );
    }

    #[test]
    fn snippet_handles_multibyte_text_at_the_cut() {
        let text = "é".repeat(SNIPPET_CHARS * 2);
        let s = snippet(text.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
    }

    #[test]
    fn a_cut_body_is_a_problem_only_when_it_names_a_problem_member() {
        assert!(is_cut_problem(
            br#"  {"type":"urn:creatoraudit:error:not-found","deta"#
        ));
        assert!(is_cut_problem(br#"{"status":404,"code":"NOT_FO"#));
        // A gateway's own JSON, a page, a bare member name: not the API's.
        assert!(!is_cut_problem(br#"{"message":"no Route matched with th"#));
        assert!(!is_cut_problem(b"<html><body>type title"));
        assert!(!is_cut_problem(br#"["type","#));
        assert!(!is_cut_problem(b""));
    }
}
