#!/usr/bin/env bash
# Legacy formats against their floor (issue 20): the .doc, .xls, .xlsb and .ppt files of
# ../shared/corpus, per kind and all together, each with the same thread count:
#   o365lint   `o365lint scan -j N` with everything on, output to /dev/null
#   floor      benches/floor_legacy.rs: the streams the scan reads, read with `cfb` (.doc,
#              .ppt), and calamine's own reading of every sheet's cells (.xls, .xlsb)
# Interleaved (the two take turns at going first), median wall time of the runs, peak RSS.
# The corpus holds few legacy files (40, 7 MB): `copies` hard-links each file that many
# times into the set, so the per-file work outweighs the start of a process.
# Usage: bash benches/legacy.sh [runs=7] [threads=2] [copies=1]
set -euo pipefail
# Numbers as bc, awk and the tools print them: a decimal point whatever the user's locale.
export LC_ALL=C
cd "$(dirname "$0")/.."
runs=${1:-7}
threads=${2:-2}
copies=${3:-1}
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "no $corpus" >&2; exit 1; }
cargo build --release --quiet
cargo build --release --quiet --example floor_legacy

kinds=(doc xls xlsb ppt)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/all"
for kind in "${kinds[@]}"; do
  mkdir "$tmp/$kind"
  n=0
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    for c in $(seq 1 "$copies"); do
      name=$(printf '%s-%03d-%03d.%s' "$kind" "$n" "$c" "$kind")
      ln "$f" "$tmp/$kind/$name" 2>/dev/null || cp "$f" "$tmp/$kind/$name"
      ln "$tmp/$kind/$name" "$tmp/all/$name"
    done
  done < <(find "$corpus" -type f -iname "*.$kind" -print0 | sort -z)
done
echo "legacy files of $corpus, each $copies time(s); $threads threads, $runs runs"

# One timed run: appends "seconds kib" to $tmp/<set>.<tool> (as in compare.sh).
timed() {
  local out=$1; shift
  local start=${EPOCHREALTIME/[^0-9]/}
  { /usr/bin/time -f '%M' "$@" >/dev/null 2>"$tmp/err" || true; } 2>>"$tmp/err"
  local end=${EPOCHREALTIME/[^0-9]/}
  echo "$(echo "($end - $start) / 1000000" | bc -l) $(tail -1 "$tmp/err")" >> "$tmp/$out"
}
for run in $(seq 1 "$runs"); do
  for set in "${kinds[@]}" all; do
    lint=(./target/release/o365lint scan -j "$threads" "$tmp/$set")
    floor=(./target/release/examples/floor_legacy "$tmp/$set" "$threads")
    if [ $((run % 2)) -eq 1 ]; then
      timed "$set.o365lint" "${lint[@]}"
      timed "$set.floor" "${floor[@]}"
    else
      timed "$set.floor" "${floor[@]}"
      timed "$set.o365lint" "${lint[@]}"
    fi
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-5s %6s %7s  %-8s %8s %8s %7s %8s  %s\n' set files MB tool seconds files/s MB/s "RSS MB" \
  "o365lint/floor (median of runs' ratios)"
# (A floor's line has no ratio: no trailing blanks.)
for set in "${kinds[@]}" all; do
  n=$(find "$tmp/$set" -type f | wc -l)
  bytes=$(du -sbl --apparent-size "$tmp/$set" | cut -f1)
  for tool in floor o365lint; do
    s=$(cut -d' ' -f1 "$tmp/$set.$tool" | median)
    m=$(cut -d' ' -f2 "$tmp/$set.$tool" | sort -n | tail -1)
    eval "secs_$tool=$s"
    ratio=""
    if [ "$tool" = o365lint ]; then
      ratio=$(printf '%.2f× (%.2f×)' "$(echo "$secs_o365lint/$secs_floor" | bc -l)" \
        "$(paste -d' ' <(cut -d' ' -f1 "$tmp/$set.o365lint") <(cut -d' ' -f1 "$tmp/$set.floor") \
          | awk '{print $1/$2}' | median)")
    fi
    printf '%-5s %6s %7.1f  %-8s %8.3f %8.0f %7.1f %8.1f  %s\n' "$set" "$n" \
      "$(echo "$bytes/1000000" | bc -l)" "$tool" "$s" "$(echo "$n/$s" | bc -l)" \
      "$(echo "$bytes/1000000/$s" | bc -l)" "$(echo "$m/1024" | bc -l)" "$ratio"
  done
done | sed 's/ *$//'
