#!/usr/bin/env bash
# Whole-tool comparison on the .docx and .xlsx files of ../shared/corpus, all tools on the
# same files with the same thread count, interleaved, median of several runs:
#   o365lint   `o365lint scan -j N` with everything on (labels, all text, all detectors,
#              all rules), output to /dev/null
#   floor      benches/floor.rs: open each zip and inflate every part, nothing else
#   python     benches/alternative.py: python-docx + openpyxl + a regex for 11 digits
#              (installed from PyPI into target/bench-venv on first use), N processes
# Prints per tool the median wall time, files/s, MB/s (of files on disk), peak RSS, and
# the ratios. Usage: bash benches/compare.sh [runs=5] [threads=2] [python_runs=runs]
set -euo pipefail
# Numbers as bc, awk and the tools print them: a decimal point whatever the user's locale
# (printf and sort -n read `2.08` as 2 under nb_NO, whose separator is a comma).
export LC_ALL=C
cd "$(dirname "$0")/.."
runs=${1:-5}
threads=${2:-2}
pyruns=${3:-$runs}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "no $corpus" >&2; exit 1; }
cargo build --release --quiet
cargo build --release --quiet --example floor
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet python-docx openpyxl
fi

# The file set: every .docx and .xlsx of the corpus, hard-linked into one folder.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/set"
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  ext=${f##*.}
  ln "$f" "$tmp/set/$(printf '%05d' "$n").${ext,,}" 2>/dev/null || cp "$f" "$tmp/set/$(printf '%05d' "$n").${ext,,}"
done < <(find "$corpus" -type f \( -iname '*.docx' -o -iname '*.xlsx' \) -print0 | sort -z)
bytes=$(du -sb --apparent-size "$tmp/set" | cut -f1)
echo "file set: $n files, $(echo "scale=1; $bytes/1000000" | bc) MB (docx + xlsx of $corpus), $threads threads, $runs runs"

# One timed run: appends "seconds kib" to $tmp/<tool>. Wall time from bash's microsecond
# clock (GNU time's %e has two decimals: 10 ms is 3 % of the floor's run), peak RSS from
# GNU time's %M in KiB. The exit code of a scan with findings or damaged files is not an
# error here.
timed() {
  local tool=$1; shift
  # In microseconds: the clock's digits without its decimal point.
  local start=${EPOCHREALTIME/[^0-9]/}
  { /usr/bin/time -f '%M' "$@" >/dev/null 2>"$tmp/err" || true; } 2>>"$tmp/err"
  local end=${EPOCHREALTIME/[^0-9]/}
  echo "$(echo "($end - $start) / 1000000" | bc -l) $(tail -1 "$tmp/err")" >> "$tmp/$tool"
}
# The floor and o365lint take turns at going first: a run after Python's two minutes of
# full load is slower, and so may be the second of any two.
for run in $(seq 1 "$runs"); do
  if [ "$run" -le "$pyruns" ]; then
    timed python "$venv/bin/python" benches/alternative.py "$tmp/set" "$threads"
  fi
  if [ $((run % 2)) -eq 1 ]; then
    timed o365lint ./target/release/o365lint scan -j "$threads" "$tmp/set"
    timed floor ./target/release/examples/floor "$tmp/set" "$threads"
  else
    timed floor ./target/release/examples/floor "$tmp/set" "$threads"
    timed o365lint ./target/release/o365lint scan -j "$threads" "$tmp/set"
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-9s %9s %9s %9s %12s\n' tool seconds files/s MB/s "peak RSS MB"
for tool in floor o365lint python; do
  [ -s "$tmp/$tool" ] || continue
  s=$(cut -d' ' -f1 "$tmp/$tool" | median)
  m=$(cut -d' ' -f2 "$tmp/$tool" | sort -n | tail -1)
  eval "secs_$tool=$s"
  printf '%-9s %9.3f %9.0f %9.1f %12.1f\n' "$tool" "$s" "$(echo "$n/$s" | bc -l)" \
    "$(echo "$bytes/1000000/$s" | bc -l)" "$(echo "$m/1024" | bc -l)"
done
printf 'o365lint / floor wall time: %.2f×' "$(echo "$secs_o365lint/$secs_floor" | bc -l)"
# Each run's two tools ran one after the other: the median of their ratios is less moved
# by a machine that slows down or speeds up during the benchmark.
printf ' (median of the runs\x27 ratios: %.2f×)\n' "$(paste -d' ' <(cut -d' ' -f1 "$tmp/o365lint") \
  <(cut -d' ' -f1 "$tmp/floor") | awk '{print $1/$2}' | median)"
if [ -n "${secs_python:-}" ]; then
  printf 'o365lint files/s / python files/s: %.0f×\n' "$(echo "$secs_python/$secs_o365lint" | bc -l)"
fi
