#!/usr/bin/env bash
# Overhead of sharded runs (docs/scale-out.md): for each case, a whole run, then N shards run one after another and
# their merge, each step timed (wall, CPU user+system, peak memory), the shard files' size, and whether the merged
# folder is byte-identical to the whole run. Usage: bench/shards.sh [simulator binary] (default: the Release build).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
S=${1:-$root/src/Simulator.Cli/bin/Release/net10.0/simulator}
work=$(mktemp -d "${TMPDIR:-/tmp}/simulator-shards-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
t() { local label=$1; shift; /usr/bin/time -f "$label wall=%e cpu=%U+%S rss=%MkB" "$@" -q 2>&1 >/dev/null | grep wall=; }
uptime
for case in "tolerance-sweep 20000" "rare-tail-pool 20000"; do
  set -- $case; f=$1; n=$2
  t "$f n=$n whole" "$S" run "$root/scenarios/$f.json" --trials "$n" --out "whole-$f"
  for N in 4 16; do
    for k in $(seq 1 "$N"); do t "$f n=$n shard $k/$N" "$S" run "$root/scenarios/$f.json" --trials "$n" --shard "$k/$N" --out "shards-$f-$N"; done
    du -sb "shards-$f-$N" | awk -v l="$f N=$N shard bytes" '{print l, $1}'
    t "$f n=$n merge N=$N" "$S" merge "shards-$f-$N" --out "merged-$f-$N"
    diff -r "whole-$f" "merged-$f-$N" >/dev/null && echo "$f N=$N identical" || echo "$f N=$N DIFFERENT"
  done
done
t "start-up (1 trial)" "$S" run "$root/scenarios/rare-tail-pool.json" --trials 1 --shard 1/2 --out empty
uptime
