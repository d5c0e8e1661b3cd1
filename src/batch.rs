//! The engine of the batch calls (`videos().metrics`, `videos().deltas`,
//! `accounts().metrics`, `account_videos().metrics`): check and deduplicate the ids, split
//! them into chunks of at most [`BATCH_CHUNK_SIZE`], send one read-only POST per chunk (several
//! at once, see [`run`]), and merge the answers into one ([`Batch::absorb`]).
//!
//! The merged answer is the same whatever the chunking: every id once, `not_found` in the
//! order of the chunks.

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::call::Call;
use crate::params::non_blank;
use crate::{Client, Error, Result};

/// The most ids sent in one batch request.
///
/// 200 is the documented maximum of `POST /videos/metrics` and `POST /videos/deltas`. The
/// docs give no bound for `POST /accounts/metrics` and `POST /account-videos/metrics` (only
/// that a set that is too large gives `422`); the SDK uses the same 200 for them, counting
/// Instagram and TikTok ids together.
pub const BATCH_CHUNK_SIZE: usize = 200;

/// An answer that can take in the answer to the next chunk of the same call.
pub(crate) trait Batch: DeserializeOwned {
    fn absorb(&mut self, next: Self);
}

/// `get(id)` and the merge of an answer shaped `{data: {id: T}, meta: BatchMeta}`: the
/// chunks' `data` are united, their `meta` merged by [`BatchMeta::absorb`](crate::BatchMeta).
macro_rules! keyed_batch {
    ($answer:ty, $value:ty, $get_doc:literal) => {
        impl $answer {
            #[doc = $get_doc]
            pub fn get(&self, id: &str) -> Option<&$value> {
                self.data.get(id)
            }
        }

        impl $crate::batch::Batch for $answer {
            fn absorb(&mut self, next: Self) {
                self.data.extend(next.data);
                self.meta.absorb(next.meta);
            }
        }
    };
}
pub(crate) use keyed_batch;

/// Sends one read-only POST to `endpoint` per body, up to the client's
/// [`batch_concurrency`](crate::ClientBuilder::batch_concurrency) at once on scoped threads,
/// and merges the answers in the order of the bodies.
///
/// # Errors
///
/// A chunk's error (after its retries) ends the call: no further chunk is started, and of
/// several failed chunks the first in order is reported. [`Error::InvalidInput`] when there is
/// no body at all.
pub(crate) fn run<T: Batch + Send>(
    client: &Client,
    endpoint: &'static str,
    bodies: impl IntoIterator<Item = Map<String, Value>>,
) -> Result<T> {
    let bodies: Vec<Map<String, Value>> = bodies.into_iter().collect();
    let send = |body: &Map<String, Value>| -> Result<T> {
        let call = Call::new(endpoint, &[])?.json(body)?.read_only();
        Ok(client.send(&call)?.json::<T>()?.value)
    };
    let workers = client.batch_concurrency().min(bodies.len());
    let parts: Vec<Result<T>> = if workers <= 1 {
        let mut parts = Vec::with_capacity(bodies.len());
        for body in &bodies {
            parts.push(Ok(send(body)?));
        }
        parts
    } else {
        concurrently(&bodies, workers, send)
    };
    let mut parts = parts.into_iter();
    let mut merged = parts
        .next()
        .ok_or_else(|| Error::InvalidInput("ids: at least one id is required".into()))??;
    for part in parts {
        merged.absorb(part?);
    }
    Ok(merged)
}

/// Runs `send` over `bodies` on `workers` scoped threads, each taking the next body in order,
/// and returns the results in the order of the bodies, up to and including the first failure
/// (after one, no worker starts another body).
fn concurrently<T: Send>(
    bodies: &[Map<String, Value>],
    workers: usize,
    send: impl Fn(&Map<String, Value>) -> Result<T> + Sync,
) -> Vec<Result<T>> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let slots: Vec<Mutex<Option<Result<T>>>> = bodies.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !failed.load(Ordering::Acquire) {
                    let i = next.fetch_add(1, Ordering::AcqRel);
                    let Some(body) = bodies.get(i) else { break };
                    let result = send(body);
                    if result.is_err() {
                        failed.store(true, Ordering::Release);
                    }
                    *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                }
            });
        }
    });
    let mut results = Vec::with_capacity(bodies.len());
    for slot in slots {
        // Bodies are taken in order, so the ones never started all come after a failure.
        let Some(result) = slot.into_inner().unwrap_or_else(PoisonError::into_inner) else {
            break;
        };
        let stop = result.is_err();
        results.push(result);
        if stop {
            break;
        }
    }
    results
}

/// A batch call over one list of ids (`{field: [ids], ..extra}`): checks and deduplicates
/// `ids`, then [`run`]s one body per chunk, each completed by `extra` (the period, the
/// look-back windows).
///
/// # Errors
///
/// As [`unique_ids`] and [`run`].
pub(crate) fn run_ids<T: Batch + Send>(
    client: &Client,
    endpoint: &'static str,
    field: &'static str,
    ids: &[String],
    extra: impl Fn(&mut Map<String, Value>),
) -> Result<T> {
    let ids = unique_ids(field, ids)?;
    run(client, endpoint, chunked_bodies(field, &ids, extra))
}

/// The bodies `{field: [≤ 200 ids], ..extra}`, one per chunk of `ids`.
fn chunked_bodies<'a>(
    field: &'static str,
    ids: &'a [String],
    extra: impl Fn(&mut Map<String, Value>) + 'a,
) -> impl Iterator<Item = Map<String, Value>> + 'a {
    ids.chunks(BATCH_CHUNK_SIZE).map(move |chunk| {
        let mut body = Map::new();
        body.insert(
            field.into(),
            chunk.iter().map(|id| Value::String(id.clone())).collect(),
        );
        extra(&mut body);
        body
    })
}

/// The ids in their first order, each once; refuses an empty list or an empty id.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming `field`.
fn unique_ids(field: &str, ids: &[String]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{field}: at least one id is required"
        )));
    }
    for id in ids {
        non_blank(field, id)?;
    }
    Ok(dedup(ids))
}

/// The values in their first order, each once.
pub(crate) fn dedup<T: Clone + Eq + Hash>(values: &[T]) -> Vec<T> {
    let mut seen = HashSet::with_capacity(values.len());
    values.iter().filter(|v| seen.insert(*v)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_kept_in_first_order() {
        let ids: Vec<String> = ["b", "a", "b"].map(String::from).to_vec();
        assert_eq!(unique_ids("video_ids", &ids).unwrap(), ["b", "a"]);
        let e = unique_ids("video_ids", &[]).unwrap_err().to_string();
        assert!(e.contains("video_ids: at least one id is required"), "{e}");
        let e = unique_ids("video_ids", &[" ".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("video_ids: must not be empty"), "{e}");
    }

    #[test]
    fn bodies_are_chunked_by_200() {
        let ids: Vec<String> = (0..450).map(|i| i.to_string()).collect();
        let sizes: Vec<usize> = chunked_bodies("video_ids", &ids, |b| {
            b.insert("period".into(), "7d".into());
        })
        .map(|b| {
            assert_eq!(b["period"], "7d");
            b["video_ids"].as_array().unwrap().len()
        })
        .collect();
        assert_eq!(sizes, [200, 200, 50]);
    }
}
