#!/usr/bin/env bash
# Measures the footprint figures CONTRIBUTING.md and the README quote, once, by hand (not part
# of CI: it builds three projects from scratch, several minutes on 2 cores, and needs
# crates.io for reqwest):
#
#   tools/footprint/measure.sh        # prints the figures and a markdown table
#
# The two programs compared are real Cargo projects beside this script:
#
#   sdk-quickstart/       examples/quickstart.rs built as a user builds it (creatoraudit with
#                         its default features, as a dependency)
#   reqwest-quickstart/   the same program written against reqwest's blocking client
#                         (reqwest 0.12, features blocking + json + rustls-tls, serde structs)
#
# For each, and for `cargo build --release --example quickstart` in the repository, it reports:
# the crates compiled besides the program itself (`cargo tree -e normal`), the clean release
# build time, and the size of the stripped binary. The builds go to target directories under
# $FOOTPRINT_WORK (default /tmp/creatoraudit-footprint), never in the repository (which only
# gets sdk-quickstart/Cargo.lock, an ignored copy of the crate's own); sources are
# fetched before the clock starts. Build times depend on the machine and on what else runs on
# it: the load average is printed with each.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${FOOTPRINT_WORK:-/tmp/creatoraudit-footprint}"
target_triple="x86_64-unknown-linux-gnu"
mkdir -p "$work"

now() { date +%s.%N; }

# crates NAME DIR: the distinct crates `cargo tree -e normal` lists, the root package excluded.
crates() {
    (cd "$2" && cargo tree -e normal --prefix none --no-dedupe --target "$target_triple") |
        awk -v root="$1" '$1 != root { print $1 " " $2 }' | sort -u | grep -c .
}

# build LABEL DIR BINARY CARGO-ARGS...: a clean release build; prints seconds and stripped size.
build() {
    local label="$1" dir="$2" binary="$3"
    shift 3
    local target="$work/target-$label"
    rm -rf "$target"
    (cd "$dir" && cargo fetch --quiet)
    local load
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    local start end
    start="$(now)"
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --release --quiet "$@")
    end="$(now)"
    strip -o "$work/$label.stripped" "$target/release/$binary"
    local secs size
    secs="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')"
    size="$(stat -c %s "$work/$label.stripped")"
    echo "$label|$secs|$size|$load"
}

echo "date: $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "toolchain: $(rustc --version), $(cargo --version)"

# The SDK side resolves to exactly the versions of the repository's lock file.
cp "$repo/Cargo.lock" "$here/sdk-quickstart/Cargo.lock"

sdk_crates="$(crates sdk-quickstart "$here/sdk-quickstart")"
reqwest_crates="$(crates reqwest-quickstart "$here/reqwest-quickstart")"
echo "crates besides the program: creatoraudit $sdk_crates (creatoraudit and $((sdk_crates - 1)) dependencies), reqwest $reqwest_crates"

IFS='|' read -r _ sdk_secs sdk_size sdk_load < <(build sdk "$here/sdk-quickstart" sdk-quickstart)
echo "creatoraudit quickstart (as a user builds it): ${sdk_secs} s, ${sdk_size} bytes stripped (load before: $sdk_load)"
IFS='|' read -r _ rq_secs rq_size rq_load < <(build reqwest "$here/reqwest-quickstart" reqwest-quickstart)
echo "reqwest equivalent: ${rq_secs} s, ${rq_size} bytes stripped (load before: $rq_load)"
IFS='|' read -r _ ex_secs ex_size ex_load < <(build example "$repo" examples/quickstart --example quickstart)
echo "cargo build --release --example quickstart in the repository (dev-dependencies too): ${ex_secs} s, ${ex_size} bytes stripped (load before: $ex_load)"

mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
cat <<TABLE

| quickstart program | crates compiled besides the program | clean release build | stripped binary |
|---|---|---|---|
| creatoraudit (ureq, rustls) | $sdk_crates | ${sdk_secs} s | $(mib "$sdk_size") |
| reqwest 0.12 blocking + json + rustls-tls | $reqwest_crates | ${rq_secs} s | $(mib "$rq_size") |
TABLE
