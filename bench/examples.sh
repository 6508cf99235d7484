#!/usr/bin/env bash
# Whole runs of example scenarios at several trial counts: wall time and peak resident memory of each run, as a
# user would see them (start-up, trials, statistics, trials.csv, plots and report included). Memory should stay
# flat as trials grow (docs/memory.md); the table goes to stdout and to <out>/examples.tsv.
#
# Usage: bench/examples.sh [--trials "10000 100000 1000000"] [--out DIR] [--keep] [scenario.json ...]
#        (default: every scenarios/*.json; results are deleted after each run unless --keep)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
trials="10000 100000 1000000"
out="${TMPDIR:-/tmp}/simulator-examples"
keep=no
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -eq 0 ] && files=(scenarios/*.json)
[ -x /usr/bin/time ] || { echo "examples.sh: needs GNU time (/usr/bin/time); ./setup.sh installs it" >&2; exit 2; }
"$root/simulator" --version >/dev/null || exit 2
simulator="$root/.build/simulator/simulator"
mkdir -p "$out"
printf "%-28s %10s %10s %12s %10s\n" scenario trials "wall s" "peak RSS MB" "exit" | tee "$out/examples.tsv"
for f in "${files[@]}"; do
  for n in $trials; do
    rm -rf "$out/run"
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$simulator" run "$f" --trials "$n" --out "$out/run" -q >"$out/log.txt" 2>&1
    status=$?
    read -r wall rss < "$out/time.txt" || { wall=n/a; rss=0; }
    printf "%-28s %10s %10s %12.0f %10s\n" "$(basename "$f" .json)" "$n" "$wall" "$((rss / 1024))" "$status" | tee -a "$out/examples.tsv"
    [ "$status" -ne 0 ] && cat "$out/log.txt" >&2
    [ "$keep" = no ] && rm -rf "$out/run"
  done
done
