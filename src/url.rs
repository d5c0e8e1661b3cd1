//! Building request URLs: base URL checks, path joining and percent-encoding. Pure string
//! work, no I/O.

use crate::{Error, Result};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.creatoraudit.com/v2";

/// The API's own host, where it lives under its version path only.
const API_HOST: &str = "api.creatoraudit.com";

/// A checked base URL: `scheme://authority[/path]`, without a trailing slash, query or
/// fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    url: String,
    https: bool,
    loopback: bool,
}

impl BaseUrl {
    /// Parses and checks a base URL.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when it is not an absolute `http`/`https` URL with a host, or carries
    /// credentials, a query or a fragment.
    pub(crate) fn parse(input: &str) -> Result<Self> {
        // The input as shown in messages: without credentials, a query or a fragment, which
        // may hold a password or a key.
        let bad = |why: &str| Error::Config(format!("base_url {}: {why}", redacted(input)));
        let trimmed = input.trim();
        let (scheme, rest) = trimmed.split_once("://").ok_or_else(|| {
            bad("expected an absolute URL such as https://api.creatoraudit.com/v2")
        })?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("the scheme must be https (or http for a local server)")),
        };
        if rest.contains(['?', '#']) {
            return Err(bad("a base URL cannot carry a query or a fragment"));
        }
        if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("a URL cannot contain spaces or control characters"));
        }
        if !rest.is_ascii() {
            return Err(bad(
                "a URL must be ASCII: write an international host name in its xn-- form and \
                 percent-encode the path",
            ));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(bad("credentials do not belong in the URL; use the API key"));
        }
        let host = host_of(authority).ok_or_else(|| bad("the URL has no valid host"))?;
        check_port(authority, host).map_err(&bad)?;
        let loopback = is_loopback(host);
        let path = path.trim_end_matches('/');
        // (A fully qualified name's trailing dot names the same host.)
        if path.is_empty() && host.trim_end_matches('.').eq_ignore_ascii_case(API_HOST) {
            // Every call would reach the server's root and come back a 404 page. (Another
            // host, a gateway or a local mock, may serve the API at its root.)
            return Err(bad(&format!(
                "no path: the API lives under its version path, as in {}",
                DEFAULT_BASE_URL
            )));
        }
        let url = format!("{}://{authority}{path}", scheme.to_ascii_lowercase());
        Ok(BaseUrl {
            url,
            https,
            loopback,
        })
    }

    /// Whether the scheme is `https`.
    pub(crate) fn is_https(&self) -> bool {
        self.https
    }

    /// Whether the host is `localhost` or a loopback address.
    pub(crate) fn is_loopback(&self) -> bool {
        self.loopback
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.url
    }

    /// `base + "/" + path`, with exactly one slash between them, followed by the encoded
    /// query. `path` is used as given: encode dynamic segments with [`push_encoded`].
    pub(crate) fn join<K: AsRef<str>, V: AsRef<str>>(
        &self,
        path: &str,
        query: &[(K, V)],
    ) -> String {
        let path = path.trim_start_matches('/');
        let mut url = String::with_capacity(self.url.len() + 1 + path.len() + 16 * query.len());
        url.push_str(&self.url);
        if !path.is_empty() {
            url.push('/');
            url.push_str(path);
        }
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 && !path.contains('?') {
                '?'
            } else {
                '&'
            });
            push_encoded(&mut url, k.as_ref());
            url.push('=');
            push_encoded(&mut url, v.as_ref());
        }
        url
    }
}

/// Where a request URL goes: its host (without brackets for IPv6) and port (the scheme's
/// default when the URL has none). For error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    pub(crate) host: &'a str,
    pub(crate) port: u16,
}

impl<'a> Target<'a> {
    /// The target of an absolute URL built by [`BaseUrl::join`].
    pub(crate) fn of(url: &'a str) -> Self {
        let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let host = host_of(authority).unwrap_or(authority);
        let after_host = match authority.rfind(']') {
            Some(end) => &authority[end + 1..],
            None => authority.get(host.len()..).unwrap_or_default(),
        };
        let default = if scheme.eq_ignore_ascii_case("http") {
            80
        } else {
            443
        };
        let port = after_host
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(default);
        Target { host, port }
    }
}

/// The host part of an authority (`host`, `host:port`, `[v6]:port`), or `None` when empty.
fn host_of(authority: &str) -> Option<&str> {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        &v6[..v6.find(']')?]
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    (!host.is_empty()).then_some(host)
}

/// Checks what follows the host in an authority: nothing, or `:` and a port from 1 to 65535
/// (the HTTP layer would quietly use the scheme's default port for a port it cannot read).
fn check_port(authority: &str, host: &str) -> std::result::Result<(), &'static str> {
    let after = match authority.strip_prefix('[') {
        Some(v6) => &v6[host.len() + 1..], // past `host]`
        None => &authority[host.len()..],
    };
    match after.strip_prefix(':') {
        None if after.is_empty() => Ok(()),
        None => Err("the URL has no valid host"),
        Some(port) => match port.parse::<u16>() {
            Ok(1..) if port.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
            _ => Err("the port must be a number from 1 to 65535"),
        },
    }
}

/// Whether `host` is this machine: `localhost` or a loopback address. Not `*.localhost`: a
/// resolver may send such a name to DNS.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| match ip {
            // `::ffff:127.0.0.1` is 127.0.0.1 written as IPv6.
            std::net::IpAddr::V6(v6) => {
                v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
            v4 => v4.is_loopback(),
        })
}

/// A URL as messages may show it: quoted as given, or, when it holds an `@`, a `?` or a `#`
/// (credentials, a query, a fragment: any may hold a password or a key, and which is which
/// cannot be told apart when a password holds `#` or a query holds `@`), not at all.
pub(crate) fn redacted(url: &str) -> String {
    let url = url.trim();
    if url.contains(['@', '?', '#']) {
        "(not shown: it holds credentials, a query or a fragment)".to_owned()
    } else {
        format!("{url:?}")
    }
}

/// Appends `s` percent-encoded: everything but RFC 3986's unreserved characters is escaped,
/// so the value can go in a query or a path segment and never changes the URL's structure.
pub(crate) fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Splits and decodes a query string, `a=1&b=x%20y`, as a form-reading server does (`+` is
/// a space). A pair without `=` has an empty value.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let form = |text: &str| String::from_utf8_lossy(&decode_bytes(text, true)).into_owned();
            (form(name), form(value))
        })
        .collect()
}

/// Decodes `%XX` escapes, as in a path segment (a `+` stays a `+`; [`parse_query`] reads it
/// as a space); a malformed escape is kept as it is, and bytes that are not UTF-8 become
/// U+FFFD (see [`decodes_to_text`]).
pub(crate) fn percent_decode(text: &str) -> String {
    String::from_utf8_lossy(&decode_bytes(text, false)).into_owned()
}

/// Whether every `%XX` escape of `text` decodes to UTF-8 text, so that [`parse_query`] and
/// [`percent_decode`] read it without replacing anything.
pub(crate) fn decodes_to_text(text: &str) -> bool {
    std::str::from_utf8(&decode_bytes(text, true)).is_ok()
}

/// The bytes `text` stands for: `%XX` escapes decoded (a malformed one kept as it is), and a
/// `+` read as a space when `plus_is_space` (in a query).
fn decode_bytes(text: &str, plus_is_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// The value of one hex digit.
pub(crate) fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        assert_eq!(
            parse_query("q=a%20b+c&platform=tiktok&flag&bad=%zz%4"),
            [
                ("q".to_owned(), "a b c".to_owned()),
                ("platform".to_owned(), "tiktok".to_owned()),
                ("flag".to_owned(), String::new()),
                ("bad".to_owned(), "%zz%4".to_owned()),
            ]
        );
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
        // A `+` is a space only in a query; in a path it is itself, and `%2B` is a `+`.
        assert_eq!(percent_decode("a+b%2Bc"), "a+b+c");
        assert_eq!(
            parse_query("q=a+b%2Bc"),
            [("q".to_owned(), "a b+c".to_owned())]
        );
    }

    const NO_QUERY: &[(&str, &str)] = &[];

    #[test]
    fn joins_without_doubling_or_dropping_slashes() {
        for base in [
            "https://api.example.com/v2",
            "https://api.example.com/v2/",
            "https://api.example.com/v2//",
        ] {
            let b = BaseUrl::parse(base).unwrap();
            for path in ["accounts", "/accounts", "//accounts"] {
                assert_eq!(
                    b.join(path, NO_QUERY),
                    "https://api.example.com/v2/accounts",
                    "{base} {path}"
                );
            }
        }
        let gateway = BaseUrl::parse("http://127.0.0.1:8080/creatoraudit/").unwrap();
        assert_eq!(
            gateway.join("/whoami", NO_QUERY),
            "http://127.0.0.1:8080/creatoraudit/whoami"
        );
    }

    #[test]
    fn the_apis_host_without_a_path_names_the_expected_form() {
        assert!(DEFAULT_BASE_URL.starts_with(&format!("https://{API_HOST}/")));
        for root in [
            "https://api.creatoraudit.com",
            "https://API.creatoraudit.com/",
            "https://api.creatoraudit.com:443//",
            "https://api.creatoraudit.com.",
            "https://api.creatoraudit.com./",
        ] {
            let err = BaseUrl::parse(root).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{root}");
            assert!(
                err.to_string()
                    .contains("no path: the API lives under its version path, as in https://api.creatoraudit.com/v2"),
                "{err}"
            );
        }
        // Another host may serve the API at its root: a gateway, a local mock.
        for (root, url) in [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/whoami"),
            ("http://127.0.0.1:8080//", "http://127.0.0.1:8080/whoami"),
            ("https://gateway.example", "https://gateway.example/whoami"),
        ] {
            let base = BaseUrl::parse(root).unwrap();
            assert_eq!(base.join("/whoami", NO_QUERY), url, "{root}");
            assert_eq!(
                base.join("", NO_QUERY),
                root.trim_end_matches('/'),
                "{root}"
            );
        }
    }

    #[test]
    fn targets_name_the_host_and_the_port() {
        for (url, host, port) in [
            (
                "https://api.creatoraudit.com/v2/whoami?x=1",
                "api.creatoraudit.com",
                443,
            ),
            ("http://127.0.0.1:9/v2/whoami", "127.0.0.1", 9),
            ("http://localhost/v2", "localhost", 80),
            ("http://[::1]:8080/v2", "::1", 8080),
            ("https://[::1]/v2", "::1", 443),
        ] {
            assert_eq!(Target::of(url), Target { host, port }, "{url}");
        }
    }

    #[test]
    fn query_values_are_percent_encoded() {
        let b = BaseUrl::parse("https://x.test/v2").unwrap();
        let url = b.join("accounts", &[("q", "a b&c=d/é"), ("cursor", "eyJ+/==")]);
        assert_eq!(
            url,
            "https://x.test/v2/accounts?q=a%20b%26c%3Dd%2F%C3%A9&cursor=eyJ%2B%2F%3D%3D"
        );
    }

    #[test]
    fn base_urls_are_checked() {
        for bad in [
            "",
            "api.creatoraudit.com/v2",
            "ftp://x.test",
            "https://",
            "https:///v2",
            "https://x.test/v2?k=1",
            "https://user:pw@x.test",
            "https://x .test",
            "https://x.test/v\n2",
            "https://bücher.example/v2", // not ASCII: its xn-- form is
            "https://x.test/vé",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::Config(_))),
                "{bad:?}"
            );
        }
        assert!(BaseUrl::parse("https://xn--bcher-kva.example/v2").is_ok());
        assert!(
            BaseUrl::parse("http://localhost:3000/v2")
                .unwrap()
                .is_loopback()
        );
        assert!(
            BaseUrl::parse("http://[::1]:3000/v2")
                .unwrap()
                .is_loopback()
        );
        assert!(
            BaseUrl::parse("http://[::ffff:127.0.0.1]:3000/v2")
                .unwrap()
                .is_loopback()
        );
        assert!(!is_loopback("::ffff:10.0.0.1"));
        assert!(BaseUrl::parse("http://127.0.0.2/v2").unwrap().is_loopback());
        assert!(!BaseUrl::parse("http://10.0.0.1/v2").unwrap().is_loopback());
        assert!(
            !BaseUrl::parse("http://localhost.evil.com/v2")
                .unwrap()
                .is_loopback()
        );
        assert!(BaseUrl::parse("HTTPS://API.x.test/v2").unwrap().is_https());
        // Only `localhost` itself: a resolver may send `api.localhost` to DNS.
        assert!(
            !BaseUrl::parse("http://api.localhost/v2")
                .unwrap()
                .is_loopback()
        );
        assert!(
            BaseUrl::parse("http://LOCALHOST./v2")
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn a_port_must_be_a_port() {
        for bad in [
            "http://127.0.0.1:99999/v2",
            "http://localhost:8o80/v2",
            "https://h:/v2",
            "https://h:-1/v2",
            "http://[::1]:x/v2",
            "http://[::1]junk/v2",
        ] {
            let e = BaseUrl::parse(bad).unwrap_err().to_string();
            assert!(e.contains("port") || e.contains("host"), "{bad}: {e}");
        }
        for good in [
            "http://127.0.0.1:8080/v2",
            "https://h:443/v2",
            "http://[::1]:3000/v2",
        ] {
            assert!(BaseUrl::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn refusals_do_not_repeat_credentials_or_a_query() {
        for (bad, secret) in [
            ("https://user:s3cret@x.test/v2", "s3cret"),
            (
                "https://api.creatoraudit.com/v2?api_key=ca_live_k3y",
                "ca_live_k3y",
            ),
            ("https://api.creatoraudit.com/v2#ca_live_k3y", "ca_live_k3y"),
            ("https://bob:hunter#2@x.test/v2", "hunter"),
            ("https://bob:hunter?2@x.test/v2", "hunter"),
            ("https://u:p/ss@x.test/v2", "p/ss"),
            ("https://u:p/ss@x.test:99999/v2", "p/ss"),
            ("s3cret@https://x.test/v2", "s3cret"),
            (
                "https://x.test/v2?to=a@b.test&key=ca_live_k3y",
                "ca_live_k3y",
            ),
            ("https://x.test/v2#x@ca_live_k3y", "ca_live_k3y"),
        ] {
            let e = BaseUrl::parse(bad).unwrap_err().to_string();
            assert!(!e.contains(secret), "{e}");
            assert!(e.contains("not shown"), "{e}");
        }
    }

    #[test]
    fn escapes_that_are_not_utf8_are_told_apart() {
        for text in ["", "q=caf%C3%A9", "a=%zz&b=%", "x=+%20", "c=%F0%9F%98%80"] {
            assert!(decodes_to_text(text), "{text}");
        }
        for text in ["q=caf%E9", "c=%FF", "c=%F0%9F%98"] {
            assert!(!decodes_to_text(text), "{text}");
            assert!(percent_decode(text).contains('\u{FFFD}'), "{text}");
        }
    }
}
