//! Profiling: one side, one workload, for `valgrind --tool=callgrind` or `perf record`.

use std::sync::Arc;

use crate::baseline::Baseline;
use crate::sdk::{sdk_client, sdk_walk_typed, sdk_walk_value, sdk_whoamis};
use crate::server::{Site, serve};
use crate::{BoxResult, PAGE_SIZE, SMALL_WALK, WHOAMI_CALLS};

/// `--profile sdk|baseline whoami|typed|value [REPEAT]`: serves and runs only that, REPEAT
/// times (default 1): `whoami` x 5,000, or a walk over 10,000 accounts. Run it for both sides
/// under callgrind: the server's work is the same in both, so the difference of the two
/// instruction counts is the SDK's own cost.
pub fn profile(args: &[String]) -> BoxResult<()> {
    let (side, workload) = match args {
        [side, workload, ..] => (side.as_str(), workload.as_str()),
        _ => return Err("usage: bench --profile sdk|baseline whoami|typed|value [REPEAT]".into()),
    };
    let repeat: usize = args.get(2).map_or(Ok(1), |r| r.parse())?;
    let total = if workload == "whoami" {
        PAGE_SIZE
    } else {
        SMALL_WALK
    };
    let site = Arc::new(Site::render(total));
    let base_url = format!("http://{}/v2", serve(Arc::clone(&site))?);
    let sdk = sdk_client(&base_url)?;
    let raw = Baseline::new(&base_url);
    let mut secs = 0.0;
    for _ in 0..repeat {
        secs += match (side, workload) {
            ("sdk", "whoami") => sdk_whoamis(&sdk, WHOAMI_CALLS)?,
            ("baseline", "whoami") => raw.whoamis(WHOAMI_CALLS)?,
            ("sdk", "typed") => sdk_walk_typed(&sdk, total)?.0,
            ("baseline", "typed") => raw.walk_typed(total)?.0,
            ("sdk", "value") => sdk_walk_value(&sdk, total)?.0,
            ("baseline", "value") => raw.walk_value(total)?.0,
            _ => return Err(format!("unknown side or workload: {side} {workload}").into()),
        };
    }
    println!("{side} {workload} x {repeat}: {:.1} ms", secs * 1e3);
    Ok(())
}
