//! Redacted `curl` previews of calls, for support tickets: [`Client::curl`] for the untyped
//! request, [`Client::curl_of`] for any typed call.
//!
//! A preview goes down the same road as a real call (the resource method, `Call`,
//! `Client::send`), so it shows exactly the URL, headers and body that call would send; at
//! `Client::send` the request is recorded instead of handed to the transport. The key is
//! never in a [`Request`] (the transport adds it), so a preview cannot contain it: the
//! `Authorization` header reads `Bearer $CREATORAUDIT_API_KEY`, for the shell to fill in.

use serde_json::Value;

use crate::builder::API_KEY_ENV;
use crate::client::Preview;
use crate::transport::{ACCEPT, Request};
use crate::{Client, Error, Result};

impl Client {
    /// The `curl` command line equivalent to [`request`](Client::request) with these
    /// arguments, without sending anything: to reproduce a call outside the SDK or attach it
    /// to a support ticket. The key is written as `$CREATORAUDIT_API_KEY`, for the shell to
    /// fill in; every other value is single-quoted for a POSIX shell.
    ///
    /// ```
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::new("ca_live_secret")?;
    /// let cmd = client.curl("GET", "/accounts", &[("platform", "tiktok")], None)?;
    /// assert_eq!(
    ///     cmd,
    ///     format!(
    ///         "curl 'https://api.creatoraudit.com/v2/accounts?platform=tiktok' \\\n  \
    ///          -H \"Authorization: Bearer $CREATORAUDIT_API_KEY\" \\\n  \
    ///          -H 'Accept: application/json, application/problem+json' \\\n  \
    ///          -H 'User-Agent: creatoraudit-rust/{}'",
    ///         env!("CARGO_PKG_VERSION")
    ///     )
    /// );
    /// assert!(!cmd.contains("ca_live_secret"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a method the API does not use.
    pub fn curl(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<String> {
        self.curl_of(|c| c.request::<Value>(method, path, query, body))
    }

    /// The `curl` command line of the first request `call` would send, without sending it:
    /// works for every typed call, as it goes down the same road a real call does.
    ///
    /// `call` gets a client that records the request instead of sending it (the call then
    /// returns an error, which is dropped). A listing sends nothing until it is iterated: ask
    /// for its first item (`.next().transpose()`) to preview its first page; a batch call
    /// previews its first chunk. A create's preview carries an `Idempotency-Key` made for
    /// it: set one on the create (e.g. `NewAccount::idempotency_key`) to preview the key the
    /// real call will send. Like [`curl`](Client::curl), the key is written as
    /// `$CREATORAUDIT_API_KEY`.
    ///
    /// ```
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{ListAccounts, Platform};
    ///
    /// let client = creatoraudit::Client::new("ca_live_secret")?;
    /// let get = client.curl_of(|c| c.accounts().get("4f1c"))?;
    /// assert!(get.starts_with("curl 'https://api.creatoraudit.com/v2/accounts/4f1c'"));
    /// let list = client.curl_of(|c| {
    ///     c.accounts().list(ListAccounts::new().platform(Platform::TikTok)).next().transpose()
    /// })?;
    /// assert!(list.contains("/v2/accounts?platform=tiktok&limit=200"), "{list}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The error `call` returned when it failed before sending anything (an
    /// [`Error::InvalidInput`] for an empty id, say); [`Error::InvalidInput`] when it sent
    /// nothing at all.
    pub fn curl_of<T>(&self, call: impl FnOnce(&Client) -> Result<T>) -> Result<String> {
        let preview = std::sync::Arc::new(Preview::default());
        let outcome = call(&self.previewing(std::sync::Arc::clone(&preview)));
        match (preview.take(), outcome) {
            (Some(request), _) => Ok(render(&request, self.user_agent())),
            (None, Err(e)) => Err(e),
            (None, Ok(_)) => Err(Error::InvalidInput(
                "curl_of: the call sent no request (a listing sends when iterated: ask for its \
                 first item)"
                    .into(),
            )),
        }
    }
}

/// The command line of a request: one option a line, every value single-quoted.
fn render(req: &Request, user_agent: &str) -> String {
    let mut lines = Vec::with_capacity(7);
    lines.push(match (req.method.as_str(), &req.body) {
        // curl's own choice of method: GET, or POST once there is a body.
        ("GET", None) => format!("curl {}", quote(&req.url)),
        (method, _) => format!("curl -X {method} {}", quote(&req.url)),
    });
    if req.auth {
        // Double quotes, so that the shell expands the variable: the key is never written.
        lines.push(format!("-H \"Authorization: Bearer ${API_KEY_ENV}\""));
    }
    lines.push(format!("-H {}", quote(&format!("Accept: {ACCEPT}"))));
    lines.push(format!(
        "-H {}",
        quote(&format!("User-Agent: {user_agent}"))
    ));
    for (name, value) in req.headers() {
        lines.push(format!(
            "-H {}",
            quote(&format!("{}: {value}", name.name()))
        ));
    }
    if let Some(body) = &req.body {
        lines.push(format!(
            "--data-raw {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    lines.join(" \\\n  ")
}

/// `s` in single quotes for a POSIX shell: nothing inside is expanded; a `'` is written as
/// `'\''`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_survive_the_shell() {
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$HOME `x`"), "'$HOME `x`'");
    }
}
