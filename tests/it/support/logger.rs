#![cfg_attr(not(feature = "log"), allow(dead_code))]
//! A capturing logger for the SDK's records (target `creatoraudit`), installed once for the
//! whole test binary by every client helper, so that every test's calls are logged. It
//! fails the test whose call logs the API key, and keeps the records for `logging::`.

use std::sync::{Mutex, Once, PoisonError};

use log::{Level, LevelFilter, Log, Metadata, Record};

use super::{BEARER, KEY};

/// One record the SDK wrote.
#[derive(Debug, Clone)]
pub struct Captured {
    pub level: Level,
    pub target: String,
    pub message: String,
    /// The thread that logged it: the SDK logs on the caller's thread, so a test reads its
    /// own records with [`mine`].
    pub thread: std::thread::ThreadId,
}

static RECORDS: Mutex<Vec<Captured>> = Mutex::new(Vec::new());

struct Capture;

impl Log for Capture {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.target().starts_with("creatoraudit")
    }

    fn log(&self, record: &Record) {
        // ureq's own records (which print headers at trace) are not the SDK's.
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        assert!(
            !message.contains(KEY) && !message.contains(BEARER),
            "a log record carries the API key: {message}"
        );
        RECORDS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Captured {
                level: record.level(),
                target: record.target().to_owned(),
                message,
                thread: std::thread::current().id(),
            });
    }

    fn flush(&self) {}
}

/// Installs the logger (once) at level `debug`.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&Capture).expect("no other logger in this binary");
        log::set_max_level(LevelFilter::Debug);
    });
}

/// The records captured so far (from every test) that `keep` selects.
pub fn records(keep: impl Fn(&Captured) -> bool) -> Vec<Captured> {
    RECORDS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|r| keep(r))
        .cloned()
        .collect()
}

/// The records this test's thread wrote that `keep` selects (the other tests run their calls
/// on threads of their own).
pub fn mine(keep: impl Fn(&Captured) -> bool) -> Vec<Captured> {
    let me = std::thread::current().id();
    records(|r| r.thread == me && keep(r))
}
