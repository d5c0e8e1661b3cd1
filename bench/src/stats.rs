//! Measuring: the client thread's CPU time, samples, interleaved pairs and their medians.

use crate::BoxResult;

/// The CPU time the calling thread has used, in ns (kernel time included).
pub fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Wall-clock and client CPU seconds of one run.
#[derive(Clone, Copy)]
pub struct Sample {
    pub wall: f64,
    /// The CPU time of the thread that ran the client (the server's threads excluded).
    pub client_cpu: Option<f64>,
}

pub fn measure(f: impl FnOnce() -> BoxResult<f64>) -> BoxResult<Sample> {
    let before = thread_cpu_ns();
    let wall = f()?;
    let after = thread_cpu_ns();
    let client_cpu = before
        .zip(after)
        .map(|(b, a)| a.saturating_sub(b) as f64 / 1e9);
    Ok(Sample { wall, client_cpu })
}

/// Interleaved SDK and baseline runs of one workload.
#[derive(Default)]
pub struct Pairs {
    pub sdk: Vec<Sample>,
    pub base: Vec<Sample>,
}

impl Pairs {
    /// Runs `sdk` and `base` once each, in the order given; returns their wall-clock seconds.
    pub fn run(
        &mut self,
        sdk_first: bool,
        sdk: impl FnOnce() -> BoxResult<f64>,
        base: impl FnOnce() -> BoxResult<f64>,
    ) -> BoxResult<(f64, f64)> {
        let (s, b) = if sdk_first {
            let s = measure(sdk)?;
            (s, measure(base)?)
        } else {
            let b = measure(base)?;
            (measure(sdk)?, b)
        };
        self.sdk.push(s);
        self.base.push(b);
        Ok((s.wall, b.wall))
    }

    pub fn wall(side: &[Sample]) -> f64 {
        median(&side.iter().map(|s| s.wall).collect::<Vec<_>>())
    }

    /// The median of the pairs' wall-clock SDK/baseline ratios, and their interquartile range.
    pub fn wall_ratio(&self) -> (f64, f64, f64) {
        let mut r: Vec<f64> = self
            .sdk
            .iter()
            .zip(&self.base)
            .map(|(s, b)| s.wall / b.wall)
            .collect();
        r.sort_by(f64::total_cmp);
        let q = |p: f64| r[((r.len() - 1) as f64 * p).round() as usize];
        (median(&r), q(0.25), q(0.75))
    }

    /// The median of the pairs' client-CPU ratios (the server's work left out).
    pub fn cpu_ratio(&self) -> Option<f64> {
        let r: Vec<f64> = self
            .sdk
            .iter()
            .zip(&self.base)
            .filter_map(|(s, b)| Some(s.client_cpu? / b.client_cpu?))
            .collect();
        (!r.is_empty()).then(|| median(&r))
    }
}

pub fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
