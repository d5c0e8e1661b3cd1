//! The opt-in ETag cache of a client ([`ClientBuilder::etag_cache`](crate::ClientBuilder::etag_cache)).
//!
//! It keeps, for the most recently used single-document `GET`s, the body and the `ETag` of
//! the last `2xx`; [`Client::send`](crate::Client::send) sends that `ETag` as `If-None-Match`
//! and, on the server's `304`, hands the stored body to the decoder. A stored body is only
//! ever returned after a `304` to the request that carried its `ETag`.
//!
//! Keys are the full URL with its query (only `GET`s are cached); the cache belongs to one
//! client (and its clones), so one API key. At most `capacity` entries are kept: the least
//! recently used is dropped first. The lock is held only to look up or store, never while a request is on
//! the wire.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A bounded map of URL to the last `ETag` and body seen.
pub(crate) struct EtagCache {
    capacity: usize,
    inner: Mutex<Lru>,
}

#[derive(Default)]
struct Lru {
    /// Increases on every use; an entry's tick says when it was last used.
    tick: u64,
    entries: HashMap<String, Entry>,
    /// The keys by the tick of their last use: the first is the least recently used.
    order: BTreeMap<u64, String>,
}

struct Entry {
    etag: String,
    body: Arc<[u8]>,
    tick: u64,
}

impl fmt::Debug for EtagCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EtagCache")
            .field("capacity", &self.capacity)
            .field("entries", &self.lock().entries.len())
            .finish()
    }
}

impl EtagCache {
    /// A cache of at most `capacity` entries; `None` for 0 (no cache).
    pub(crate) fn new(capacity: usize) -> Option<EtagCache> {
        (capacity > 0).then(|| EtagCache {
            capacity,
            inner: Mutex::new(Lru::default()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Lru> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stored `ETag` and body of `key`, marked as used.
    pub(crate) fn get(&self, key: &str) -> Option<(String, Arc<[u8]>)> {
        let mut lru = self.lock();
        let tick = lru.next_tick();
        let Lru { entries, order, .. } = &mut *lru;
        let entry = entries.get_mut(key)?;
        let name = order.remove(&entry.tick).unwrap_or_else(|| key.to_owned());
        order.insert(tick, name);
        entry.tick = tick;
        Some((entry.etag.clone(), Arc::clone(&entry.body)))
    }

    /// Stores `etag` and `body` for `key`, dropping the least recently used entry when full.
    pub(crate) fn put(&self, key: &str, etag: &str, body: &[u8]) {
        let mut lru = self.lock();
        let tick = lru.next_tick();
        let Lru { entries, order, .. } = &mut *lru;
        if let Some(old) = entries.remove(key) {
            order.remove(&old.tick);
        }
        while entries.len() >= self.capacity {
            let Some((_, oldest)) = order.pop_first() else {
                break;
            };
            entries.remove(&oldest);
        }
        entries.insert(
            key.to_owned(),
            Entry {
                etag: etag.to_owned(),
                body: Arc::from(body),
                tick,
            },
        );
        order.insert(tick, key.to_owned());
    }

    /// Forgets `key` (its last answer had no `ETag`).
    pub(crate) fn remove(&self, key: &str) {
        let mut lru = self.lock();
        if let Some(old) = lru.entries.remove(key) {
            lru.order.remove(&old.tick);
        }
    }

    /// How many entries are stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

impl Lru {
    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_entries_is_no_cache() {
        assert!(EtagCache::new(0).is_none());
    }

    #[test]
    fn keeps_at_most_capacity_dropping_the_least_recently_used() {
        let cache = EtagCache::new(2).unwrap();
        cache.put("GET a", "\"1\"", b"A");
        cache.put("GET b", "\"2\"", b"B");
        assert_eq!(cache.get("GET a").map(|(e, _)| e), Some("\"1\"".into()));
        cache.put("GET c", "\"3\"", b"C"); // b is the least recently used
        assert_eq!(cache.len(), 2);
        assert!(cache.get("GET b").is_none());
        assert_eq!(
            cache.get("GET a").map(|(_, b)| b.to_vec()),
            Some(b"A".to_vec())
        );
        assert_eq!(
            cache.get("GET c").map(|(_, b)| b.to_vec()),
            Some(b"C".to_vec())
        );

        cache.put("GET a", "\"4\"", b"A2"); // replaces, does not grow
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get("GET a").map(|(e, _)| e), Some("\"4\"".into()));
        cache.remove("GET a");
        cache.remove("GET missing");
        assert_eq!(cache.len(), 1);
        for i in 0..100 {
            cache.put(&format!("GET {i}"), "\"x\"", b"x");
            assert!(cache.len() <= 2);
        }
        let lru = cache.lock();
        assert_eq!(
            lru.order.len(),
            lru.entries.len(),
            "the order index stays in step"
        );
    }
}
