//! What the examples share: whether to run against the real API ([`live`]), printing for
//! people (numbers with thousands separators, `-` for an absent value, `17.6 %`), and a `main`
//! that reports an error with its message, not a `Debug` dump. Each example declares
//! `mod common;` and uses what it needs.

// Each example uses a part of this.
#![allow(dead_code)]

use std::fmt::Display;
use std::process::ExitCode;

/// Whether `CREATORAUDIT_API_KEY` is set (and not empty): the examples then run against the
/// real API, and otherwise against the SDK's offline fake.
pub fn live() -> bool {
    std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty())
}

/// What an example's body returns.
pub type Fallible<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Runs an example's body: on failure, prints the error for people (see [`report`]) and
/// exits with 75 (`EX_TEMPFAIL`) when trying later may work, 1 otherwise. When stdout is
/// closed early (`| head`), it stops quietly with success, as command-line tools do: the
/// examples print with `println!`, which panics on a closed stdout.
pub fn run(body: impl FnOnce() -> Fallible) -> ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_closed_stdout(info.payload()) {
            default_hook(info);
        }
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => report(e.as_ref()),
        Err(panic) if is_closed_stdout(panic.as_ref()) => ExitCode::SUCCESS,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Whether a panic is `println!`'s on a closed stdout.
fn is_closed_stdout(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    message.starts_with("failed printing to stdout") && message.contains("Broken pipe")
}

/// Prints `error: ...` with the error's message (an API error's includes the fields that
/// failed, the call and its request id), then each underlying cause, and a hint for the
/// common set-up mistakes. Returns the exit code.
pub fn report(err: &(dyn std::error::Error + 'static)) -> ExitCode {
    eprintln!("error: {err}");
    let mut source = err.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    let Some(e) = err.downcast_ref::<creatoraudit::Error>() else {
        return ExitCode::FAILURE;
    };
    if e.status() == Some(401) {
        eprintln!("hint: check CREATORAUDIT_API_KEY (or the key given to .api_key(..))");
    }
    if e.is_retryable() {
        eprintln!("hint: this may work if tried again later");
        return ExitCode::from(75);
    }
    ExitCode::FAILURE
}

/// `1,234,567`, `-42`.
pub fn num(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `+1,234`, `-56`, `0`: a change.
pub fn signed(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    if n > 0 {
        format!("+{}", num(n))
    } else {
        num(n)
    }
}

/// [`num`], or `-` when the value is absent.
pub fn num_or_dash<N: Into<i128>>(n: Option<N>) -> String {
    n.map_or_else(|| "-".to_owned(), num)
}

/// A percentage with one decimal, `17.6 %`, or `-` when absent.
pub fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_owned(), |p| format!("{p:.1} %"))
}

/// A percentage change with its sign, `+12.5 %`, or `-` when absent.
pub fn change(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_owned(), |p| format!("{p:+.1} %"))
}

/// The value, or `-` when absent.
pub fn or_dash<T: Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// `yes` or `no` (`-` when absent).
pub fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    }
}

/// Items joined with `, `, or `none`.
pub fn list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
