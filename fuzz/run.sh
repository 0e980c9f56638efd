#!/usr/bin/env bash
# Builds the fuzz targets and runs each, one after another, for SECONDS (default 600), then
# prints a summary: target, runs, seconds, and what was found (crashes, timeouts, OOMs), each
# distinct panic location once with one artifact that shows it. libFuzzer runs in fork mode
# and goes on after a finding, so a bug met often (an open one) does not end a target's run. Needs cargo-fuzz and a nightly toolchain (cargo install cargo-fuzz).
#
#   fuzz/run.sh [SECONDS]            every target
#   TARGETS="zip engine" fuzz/run.sh 120
#   SANITIZER=address fuzz/run.sh    (default none: the crate forbids unsafe code, and on
#                                     2 cores the runs are worth more than the checks)
#
# Seeds come from fuzz/seeds.sh (run when fuzz/corpus/ is missing). An input that found a
# bug is minimised (cargo +nightly fuzz tmin TARGET ARTIFACT) and kept under
# tests/fuzzed/TARGET/, where `cargo test --test fuzzed` replays it on stable Rust.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
sanitizer=${SANITIZER:-none}
# Release build with debug assertions: integer overflow and the crate's debug_assert!s
# are bugs found, not wrapped silently.
build=(--sanitizer "$sanitizer" --debug-assertions)
targets=${TARGETS:-$(cargo +nightly fuzz list)}

# The longest input per target (tests/fuzzed.rs `max_len` keeps seeds within it).
max_len() {
    case $1 in
        zip | ole | engine) echo 1048576 ;;
        sniff) echo 4096 ;;
        propset | dataspace | plain | fold | mask) echo 65536 ;;
        *) echo 262144 ;;
    esac
}

[[ -d corpus ]] || ./seeds.sh || exit 2
cargo +nightly fuzz build "${build[@]}" || exit 2

bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
summary=()
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(ls "artifacts/$t")
    dict=()
    case $t in
        xml | wordml | spreadsheetml | drawingml | props | label_info | opc) dict=(-dict=xml.dict) ;;
    esac
    start=$(date +%s)
    # -rss_limit_mb: the engine's per-file budget is 256 MiB (Limits::max_memory) and the
    # scan's 2 GiB; one input over 2 GiB is a bug. -timeout: no input of at most 1 MiB may
    # take 30 s (the engine's own limit per file is 60 s).
    cargo +nightly fuzz run "${build[@]}" "$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
        -max_len="$(max_len "$t")" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 "${dict[@]}" >"logs/$t.log" 2>&1
    took=$(($(date +%s) - start))
    last=$(grep -a -E '^#[0-9]+: cov:' "logs/$t.log" | tail -1)
    runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
    counts=$(grep -o -E 'oom/timeout/crash: [0-9/]+' <<<"$last" | awk '{print $2}')
    # Each new crash replayed once (at most 300) for where it panicked.
    found=$(comm -13 <(echo "$before") <(ls "artifacts/$t"))
    where=$(for a in $(grep '^crash-' <<<"$found" | head -300); do
        at=$(timeout 60 "$bin/$t" "artifacts/$t/$a" 2>&1 | grep -a -m1 -o "panicked at [^ ]*" |
            sed 's/panicked at //; s/:$//')
        echo "${at:-no panic on replay} fuzz/artifacts/$t/$a"
    done | sort -k1,1 -u | sed 's/^/    /')
    others=$(grep -E '^(oom|timeout)-' <<<"$found" | sed "s|^|    fuzz/artifacts/$t/|")
    summary+=("$(printf '%-14s %12s %6s  oom/timeout/crash %s' "$t" "${runs:-?}" "$took" "${counts:-?}")")
    [[ -n $where ]] && summary+=("$where")
    [[ -n $others ]] && summary+=("$others")
done

printf '%-14s %12s %6s  %s\n' target runs secs found
printf '%s\n' "${summary[@]}"
