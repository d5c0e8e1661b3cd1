//! [`Checkpoint`]: where a walk over a listing is, in a form that outlives the process.
//!
//! A checkpoint names the listing (its endpoint), the filters and sort the walk sends (its
//! query without `cursor`), the cursor of the page the next item comes from, and how many
//! items of that page were already yielded. Its text form ([`Display`](fmt::Display) /
//! [`FromStr`]) is `ca1.` followed by the compact JSON in unpadded base64url: one word, safe
//! in a shell, a file name or a URL.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::base64url;
use crate::params::Query;
use crate::{Error, Result};

/// The prefix of a checkpoint token, with the format's version.
const TOKEN_PREFIX: &str = "ca1.";

/// The longest token [`Checkpoint::from_str`] decodes: far above the token of any walk that can
/// run (its cursor and filters fit in a URL, which the SDK sends up to 64 KiB; JSON escapes and
/// base64 make that at most about 200 KiB), low enough that a hostile input cannot make it
/// allocate much.
const MAX_TOKEN_LEN: usize = 1024 * 1024;

/// Where a walk over a listing is: everything needed to continue it, in another process
/// with another client, exactly after the last item it yielded.
///
/// Take one with [`Paginator::checkpoint`](crate::Paginator::checkpoint) (or
/// [`Pages::checkpoint`](crate::Pages::checkpoint)), store it as JSON (it is `Serialize` +
/// `Deserialize`) or as a text token (`to_string()` / `parse()`), and continue with the
/// listing's `resume`: [`Accounts::resume`](crate::Accounts::resume),
/// [`Videos::resume`](crate::Videos::resume), [`Creators::resume`](crate::Creators::resume),
/// [`AccountVideos::resume`](crate::AccountVideos::resume) or, for
/// [`Client::paginate`](crate::Client::paginate), [`Client::paginate_resume`](crate::Client::paginate_resume).
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::{Checkpoint, ListAccounts, Platform};
///
/// let client = creatoraudit::Client::from_env()?;
/// let mut walk = client.accounts().list(ListAccounts::new().platform(Platform::TikTok));
/// for account in walk.by_ref().take(250) {
///     println!("{}", account?.username);
/// }
/// let token = walk.checkpoint().to_string(); // "ca1.eyJ2Ijox…": print it, save it
///
/// // Later, in another process:
/// let checkpoint: Checkpoint = token.parse()?;
/// for account in client.accounts().resume(&checkpoint)? {
///     println!("{}", account?.username); // the 251st account on
/// }
/// # Ok(()) }
/// ```
///
/// As JSON a checkpoint is an object: `{"v": 1, "endpoint": "GET /accounts", "query":
/// [["platform", "tiktok"], ["limit", "200"]], "cursor": "…", "position": 17, "complete":
/// false}` (`cursor` is `null` on the first page), so it can sit inside a state file of your
/// own, as a member of it (not `#[serde(flatten)]`ed into it: a member this version does not
/// know is refused). The text token is the same JSON, encoded.
///
/// A checkpoint holds the cursor of the current page and a position inside it, so resuming
/// refetches that page with the same cursor and skips the items already yielded: that is
/// exact as long as the page reads the same (the API's cursors are bound to the filters and
/// sort, and the walk resends them). A checkpoint carries no API key and no base URL: resume
/// it with a client for the same organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
// A member this version does not know is another format (or a typo that would lose the
// position): refused, not ignored.
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The format's version: 1.
    v: u32,
    /// The listing, `"GET /accounts"` (for `Client::paginate`, `"GET /"` and the path).
    endpoint: String,
    /// The filters, sort and page size the walk sends, in order, without `cursor`.
    #[serde(default)]
    query: Vec<(String, String)>,
    /// The cursor of the page the next item comes from; `None` for the first page.
    #[serde(default)]
    cursor: Option<String>,
    /// How many items of that page were already yielded.
    #[serde(default)]
    position: u64,
    /// Whether the walk had yielded its last item.
    #[serde(default)]
    complete: bool,
}

impl Checkpoint {
    /// A checkpoint of the walk `endpoint` + `query` (its `cursor`, if any, is left out) at
    /// item `position` of the page `cursor` names.
    pub(crate) fn new(
        endpoint: &str,
        query: &Query,
        cursor: Option<&str>,
        position: u64,
        complete: bool,
    ) -> Checkpoint {
        Checkpoint {
            v: 1,
            endpoint: endpoint.to_owned(),
            query: query
                .pairs()
                .iter()
                .filter(|(k, _)| k != "cursor")
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            cursor: cursor.map(str::to_owned),
            position,
            complete,
        }
    }

    /// The listing, as errors name it: `"GET /accounts"`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The filters, sort and page size the walk sends with every page, in order (without
    /// `cursor`).
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The cursor of the page the next item comes from; `None` for the first page. A
    /// [complete](Self::is_complete) checkpoint keeps its last page's cursor.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// How many items of the page [`cursor`](Self::cursor) names were already yielded; a
    /// resumed walk skips them.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Whether the walk had yielded every item: resuming yields nothing, and sends nothing.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Checks that this is a checkpoint of the listing `endpoint` (for the generic walk,
    /// `None`: any `GET`), in a format this version reads.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming what does not fit.
    pub(crate) fn check(&self, endpoint: Option<&str>) -> Result<()> {
        let bad = |why: String| Err(Error::InvalidInput(format!("checkpoint: {why}")));
        if self.v != 1 {
            return bad(format!(
                "format version {} is not supported (this SDK reads version 1)",
                self.v
            ));
        }
        match endpoint {
            Some(expected) if self.endpoint != expected => bad(format!(
                "it was taken on {:?}, not on {expected:?}",
                self.endpoint
            )),
            None if !self.endpoint.starts_with("GET /") => bad(format!(
                "{:?} is not a listing (expected \"GET /path\")",
                self.endpoint
            )),
            _ if self.cursor.as_deref() == Some("") => bad("the cursor is empty".into()),
            _ if self
                .query
                .iter()
                .any(|(k, _)| k.is_empty() || k == "cursor") =>
            {
                bad("its query has an empty or a cursor parameter".into())
            }
            _ => Ok(()),
        }
    }
}

/// The compact text token: `ca1.` and the JSON in unpadded base64url.
impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_vec(self).map_err(|_| fmt::Error)?;
        f.write_str(TOKEN_PREFIX)?;
        f.write_str(&base64url::encode(&json))
    }
}

/// Reads the token [`Display`](fmt::Display) writes. Surrounding white space is ignored.
///
/// # Errors
///
/// [`Error::InvalidInput`] for anything that is not such a token.
impl FromStr for Checkpoint {
    type Err = Error;

    fn from_str(token: &str) -> Result<Checkpoint> {
        let bad = |why: &str| Error::InvalidInput(format!("checkpoint token: {why}"));
        let token = token.trim();
        if token.len() > MAX_TOKEN_LEN {
            return Err(bad("too long"));
        }
        let body = token
            .strip_prefix(TOKEN_PREFIX)
            .ok_or_else(|| bad("expected a token starting with \"ca1.\""))?;
        let json = base64url::decode(body).ok_or_else(|| bad("not base64url"))?;
        let checkpoint: Checkpoint =
            serde_json::from_slice(&json).map_err(|_| bad("does not hold a checkpoint"))?;
        checkpoint.check(None)?;
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        let mut q = Query::new();
        q.opt("platform", Some("tiktok"))
            .opt("limit", Some(3))
            .opt("cursor", Some("dropped"));
        Checkpoint::new("GET /accounts", &q, Some("c/2+=?&é"), 2, false)
    }

    #[test]
    fn tokens_round_trip_and_leave_the_cursor_out_of_the_query() {
        let cp = sample();
        assert_eq!(
            cp.query(),
            [
                ("platform".into(), "tiktok".into()),
                ("limit".into(), "3".into())
            ]
        );
        let token = cp.to_string();
        assert!(token.starts_with("ca1."), "{token}");
        assert!(
            token[4..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{token}"
        );
        let back: Checkpoint = format!("  {token}\n").parse().unwrap();
        assert_eq!(back, cp);
        assert_eq!(back.cursor(), Some("c/2+=?&é"));
        assert_eq!((back.position(), back.is_complete()), (2, false));
        let json = serde_json::to_string(&cp).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), cp);
    }

    #[test]
    fn the_json_form_is_the_documented_object() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"v": 1, "endpoint": "GET /accounts",
                "query": [["platform", "tiktok"], ["limit", "3"]],
                "cursor": "c/2+=?&é", "position": 2, "complete": false})
        );
        let first: Checkpoint =
            serde_json::from_value(serde_json::json!({"v": 1, "endpoint": "GET /videos"})).unwrap();
        assert_eq!(
            (first.cursor(), first.position(), first.query().len()),
            (None, 0, 0)
        );
    }

    #[test]
    fn bad_tokens_are_invalid_input_never_a_panic() {
        let token = sample().to_string();
        let json_token = |json: &str| format!("ca1.{}", base64url::encode(json.as_bytes()));
        let cases = [
            String::new(),
            "ca1.".into(),
            "ca2.eyJ9".into(),
            token.replacen("ca1.", "", 1),
            format!("{token}="),
            format!("{token}!"),
            token[..token.len() - 1].to_owned(),
            json_token("null"),
            json_token("{}"),
            json_token(r#"{"v":2,"endpoint":"GET /accounts"}"#),
            json_token(r#"{"v":1,"endpoint":"POST /accounts"}"#),
            json_token(r#"{"v":1,"endpoint":"GET /accounts","cursor":""}"#),
            json_token(r#"{"v":1,"endpoint":"GET /accounts","query":[["cursor","x"]]}"#),
            json_token(r#"{"v":1,"endpoint":"GET /accounts","position":-1}"#),
            // A misspelled member would lose the position: refused, not ignored.
            json_token(r#"{"v":1,"endpoint":"GET /accounts","cursor":"c","positon":17}"#),
            format!("ca1.{}", "A".repeat(MAX_TOKEN_LEN)),
        ];
        for case in &cases {
            match case.parse::<Checkpoint>() {
                Err(Error::InvalidInput(msg)) => assert!(msg.starts_with("checkpoint"), "{msg}"),
                other => panic!("{case:?}: {other:?}"),
            }
        }
        // Every prefix and every one-byte change of a real token: an error or a checkpoint,
        // never a panic.
        for end in 0..token.len() {
            let _ = token[..end].parse::<Checkpoint>();
        }
        let bytes = token.as_bytes();
        for i in 0..bytes.len() {
            for b in [b'A', b'z', b'-', b'_', b'.', 0xff] {
                let mut changed = bytes.to_vec();
                changed[i] = b;
                let _ = String::from_utf8_lossy(&changed).parse::<Checkpoint>();
            }
        }
    }

    #[test]
    fn a_walk_with_a_long_query_can_be_saved_and_read_back() {
        // 50,000 characters of filter: the token the SDK writes, it reads.
        let mut q = Query::new();
        q.opt("q", Some("x".repeat(50_000)));
        let cp = Checkpoint::new("GET /search", &q, Some("c"), 0, false);
        assert_eq!(cp.to_string().parse::<Checkpoint>().unwrap(), cp);
    }

    #[test]
    fn check_refuses_another_listing() {
        let cp = sample();
        assert!(cp.check(Some("GET /accounts")).is_ok());
        assert!(cp.check(None).is_ok());
        let e = cp.check(Some("GET /videos")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument: checkpoint: it was taken on \"GET /accounts\", not on \"GET /videos\""
        );
    }
}
