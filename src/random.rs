//! Randomness without a dependency: retry jitter and idempotency keys.
//!
//! Both come from the standard library's randomly keyed SipHash (`RandomState`), mixed with
//! a process-wide counter and the clock. That is not a cryptographic generator, and need not
//! be: jitter only has to spread clients apart, and an idempotency key only has to be unique
//! among one organization's creates within the API's ten-minute window.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 random-looking bits, different on every call.
pub(crate) fn next_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    h.write_u64(nanos);
    h.finish()
}

/// A uniformly spread number in `[0, 1)`.
pub(crate) fn unit_f64() -> f64 {
    (next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A random UUID in version-4 form (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), the shape the API
/// docs recommend for `Idempotency-Key`.
pub(crate) fn uuid_v4() -> String {
    let hi = next_u64();
    let lo = next_u64();
    let hi = (hi & !0xF000) | 0x4000; // version 4
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn uuids_have_the_v4_shape_and_do_not_repeat() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = uuid_v4();
            let b = id.as_bytes();
            assert_eq!(id.len(), 36);
            assert_eq!([b[8], b[13], b[18], b[23]], [b'-'; 4]);
            assert_eq!(b[14], b'4', "{id}");
            assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{id}");
            assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn unit_values_stay_in_range_and_spread() {
        let v: Vec<f64> = (0..1000).map(|_| unit_f64()).collect();
        assert!(v.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(v.iter().any(|x| *x < 0.25) && v.iter().any(|x| *x > 0.75));
    }
}
