#!/usr/bin/env bash
# Peak memory of a full scan (labels + all text) of ../shared/corpus with 2 threads, for one
# copy of the corpus and for 5 and 10 copies in one tree (hard links, so no extra disk).
# Memory must not grow with the number of files. Usage: bash benches/memory.sh [runs]
set -euo pipefail
# Numbers as bc, awk and the tools print them: a decimal point whatever the user's locale
# (printf and sort -n read `2.08` as 2 under nb_NO, whose separator is a comma).
export LC_ALL=C
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "no $corpus" >&2; exit 1; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 5 10; do
  mkdir "$tmp/x$n"
  for i in $(seq 1 "$n"); do
    cp -al "$corpus" "$tmp/x$n/c$i" 2>/dev/null || cp -r "$corpus" "$tmp/x$n/c$i"
  done
done
printf '%-8s %8s %10s %12s\n' copies files seconds "peak RSS MB"
for run in $(seq 1 "$runs"); do
  for n in 1 5 10; do
    dir=$corpus; [ "$n" = 1 ] || dir=$tmp/x$n
    files=$(find "$dir" -type f | wc -l)
    # GNU time: %e wall seconds, %M peak resident set in KiB.
    # Exit code 2 is expected: the corpus holds damaged files on purpose.
    out=$( { /usr/bin/time -f '%e %M' ./target/release/o365lint scan -j 2 "$dir" >/dev/null || true; } 2>&1 | tail -1)
    read -r secs kib <<<"$out"
    printf '%-8s %8s %10s %12.1f\n' "$n" "$files" "$secs" "$(echo "$kib/1024" | bc -l)"
  done
done
