//! Text from outside the SDK (a server's bodies and headers) as error messages show it: one
//! bounded, printable line, so that a message never carries a line break, a terminal escape
//! or megabytes into a log.

use std::borrow::Cow;

/// How many characters of a body that is not what was expected are kept in a message: a
/// problem's `detail` made from a non-JSON body, a decode error's snippet.
pub(crate) const SNIPPET_CHARS: usize = 256;

/// How many characters of an id or a name the server sent (a request id, a username) a message
/// or a log record shows.
pub(crate) const NAME_CHARS: usize = 100;

/// An id or a name the server sent, as a message or a log record shows it: one bounded line.
pub(crate) fn name(text: &str) -> Cow<'_, str> {
    one_line(text, NAME_CHARS)
}

/// A bounded, single-line, printable excerpt of a body, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    one_line(&String::from_utf8_lossy(body), SNIPPET_CHARS).into_owned()
}

/// Text as one bounded, printable line for a message: runs of whitespace (line breaks, tabs,
/// U+2028 included) become one space, other control characters (a terminal escape) are
/// dropped, and past `max` characters it is cut, with `…` after the cut. Text that is already
/// so is returned as it is.
pub(crate) fn one_line(text: &str, max: usize) -> Cow<'_, str> {
    let mut chars = 0;
    if text.chars().all(|c| {
        chars += 1;
        // A plain space, or a printable character that breaks no line (U+2028 does).
        c == ' ' || !(c.is_control() || c.is_whitespace())
    }) && chars <= max
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    // How many characters `out` has, and whether words were left out after it filled.
    let (mut len, mut more) = (0, false);
    for word in text.split_whitespace() {
        let printable = word.chars().filter(|c| !c.is_control());
        if printable.clone().next().is_none() {
            // Only control characters: nothing to show, and no space for it either.
            continue;
        }
        if len >= max {
            more = true;
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            len += 1;
        }
        for c in printable {
            out.push(c);
            len += 1;
        }
    }
    match out.char_indices().nth(max) {
        Some((cut, _)) => {
            out.truncate(cut);
            out.push('…');
        }
        None if more => out.push('…'),
        None => {}
    }
    Cow::Owned(out)
}
