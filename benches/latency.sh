#!/usr/bin/env bash
# Latency of `o365lint check` on one file, from process start to verdict, against the floor
# (benches/floor.rs: open the same file's zip and inflate its XML parts, one thread):
# interleaved runs (check, floor, check, floor, …), median of each and median of the
# runs' ratios, in milliseconds from bash's microsecond clock.
# Usage: bash benches/latency.sh [runs=200] [file=a ~50 KB .docx of ../shared/corpus]
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
runs=${1:-200}
file=${2:-../shared/corpus/apache+poi/test-data/document/60316.docx}
[ -f "$file" ] || { echo "no $file" >&2; exit 1; }
cargo build --release --quiet
cargo build --release --quiet --example floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The floor reads a folder: the one file alone in one.
cp "$file" "$tmp/one.docx"
check=(./target/release/o365lint check "$tmp/one.docx" --destination https://oslo.sharepoint.com/sites/x)
floor=(./target/release/examples/floor "$tmp" 1)
echo "file: $file ($(stat -c %s "$file") bytes), $runs runs each, interleaved"
echo "check: o365lint check FILE --destination https://oslo.sharepoint.com/sites/x"
us() { echo "${EPOCHREALTIME/[^0-9]/}"; }
for _ in 1 2 3 4 5; do "${check[@]}" >/dev/null || true; "${floor[@]}" >/dev/null; done
for _ in $(seq 1 "$runs"); do
  a=$(us); "${check[@]}" >/dev/null || true; b=$(us)
  "${floor[@]}" >/dev/null; c=$(us)
  echo "$((b - a)) $((c - b))" >> "$tmp/times"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
c=$(cut -d' ' -f1 "$tmp/times" | median)
f=$(cut -d' ' -f2 "$tmp/times" | median)
r=$(awk '{print $1/$2}' "$tmp/times" | median)
printf 'check %.2f ms, floor %.2f ms (medians); check / floor: %.2f× (median of the runs\x27 ratios %.2f×)\n' \
  "$(echo "$c/1000" | bc -l)" "$(echo "$f/1000" | bc -l)" "$(echo "$c/$f" | bc -l)" "$r"
