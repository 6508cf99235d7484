#!/usr/bin/env bash
# Benchmark harness (bench/README.md): builds Simulator in Release once, runs `simulator bench` (raw limit and
# engine rates), times whole `simulator run` invocations of bench/scenarios/pool.json and programme.json
# (start-up, parsing, trials, statistics, trials.csv, plots and report included), runs the NumPy references
# (bench/numpy/), prints a table of rates and checks that the two agree in law (bench/numpy/compare.py).
#
# Usage: bench/run.sh [--pool-trials N] [--programme-trials N] [--numpy-pool-trials N]
#                     [--numpy-programme-trials N] [--bench-pool-trials N] [--bench-fund-trials N]
#                     [--seed S] [--threads N] [--out DIR] [--no-bench]
# Exit code: 0 when every figure agrees, 1 when compare.py finds a disagreement, 2 on a usage or run error.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

pool_trials=1000000
programme_trials=200000
numpy_pool_trials=20000
numpy_programme_trials=50000
bench_pool_trials=500
bench_fund_trials=5000
seed=1
threads=""
out="${TMPDIR:-/tmp}/simulator-bench"
run_bench=yes
python=/usr/bin/python3

usage() { sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --pool-trials) pool_trials=$2; shift 2 ;;
    --programme-trials) programme_trials=$2; shift 2 ;;
    --numpy-pool-trials) numpy_pool_trials=$2; shift 2 ;;
    --numpy-programme-trials) numpy_programme_trials=$2; shift 2 ;;
    --bench-pool-trials) bench_pool_trials=$2; shift 2 ;;
    --bench-fund-trials) bench_fund_trials=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-bench) run_bench=no; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown option $1" >&2; usage ;;
  esac
done

if ! "$python" -c 'import numpy' >/dev/null 2>&1; then
  echo "run.sh: $python has no numpy; run ./setup.sh (installs python3-numpy)" >&2
  exit 2
fi
mkdir -p "$out"
exec > >(tee "$out/run.txt") 2>&1   # everything printed is also kept in $out/run.txt
cores=$(nproc)

echo "== build (Release, ReadyToRun, as ./simulator runs it)"
"$root/simulator" --version >"$out/build.log" 2>&1 || {
  cat "$out/build.log" >&2; echo "run.sh: build failed" >&2; exit 2; }
simulator="$root/.build/simulator/simulator"

# Runs a command under GNU time; sets wall (seconds) and rss (MB). Falls back to bash timing without memory.
timed() {
  local log=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1
    local status=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time")
    return $status
  fi
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$log" 2>&1
  local status=$?
  t1=$(date +%s.%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  rss="n/a"
  return $status
}

raw1="" rawall=""
if [ "$run_bench" = yes ]; then
  echo "== simulator bench --pool-trials $bench_pool_trials --fund-trials $bench_fund_trials"
  "$simulator" bench --pool-trials "$bench_pool_trials" --fund-trials "$bench_fund_trials" | tee "$out/bench.txt"
  # "raw limit (best kernel), 1 thread(s): 4459.5 M/s" -> draws per second (the fastest of the raw kernels)
  raw1=$(awk '/raw limit \(best kernel\), 1 thread/ { for (i = 1; i <= NF; i++) if ($i == "M/s") { print $(i - 1) * 1e6; exit } }' "$out/bench.txt")
  rawall=$(awk -v c="$cores" '/raw limit \(best kernel\)/ && $0 ~ (", " c " thread") { for (i = 1; i <= NF; i++) if ($i == "M/s") { print $(i - 1) * 1e6; exit } }' "$out/bench.txt")
fi

thread_args=()
[ -n "$threads" ] && thread_args=(--threads "$threads")

echo "== simulator run bench/scenarios/pool.json --trials $pool_trials (whole run, files included)"
rm -rf "$out/simulator/bench-pool"
timed "$out/simulator-pool.log" "$simulator" run bench/scenarios/pool.json --trials "$pool_trials" --seed "$seed" \
  --out "$out/simulator" "${thread_args[@]}" || { cat "$out/simulator-pool.log" >&2; exit 2; }
sim_pool_wall=$wall sim_pool_rss=$rss
cat "$out/simulator-pool.log"

echo "== simulator run bench/scenarios/programme.json --trials $programme_trials (whole run, files included)"
rm -rf "$out/simulator/bench-funds"
timed "$out/simulator-programme.log" "$simulator" run bench/scenarios/programme.json --trials "$programme_trials" --seed "$seed" \
  --out "$out/simulator" "${thread_args[@]}" || { cat "$out/simulator-programme.log" >&2; exit 2; }
sim_prog_wall=$wall sim_prog_rss=$rss
head -n 3 "$out/simulator-programme.log"

echo "== numpy pool --trials $numpy_pool_trials"
timed "$out/numpy-pool.log" "$python" bench/numpy/pool.py --trials "$numpy_pool_trials" --seed "$seed" --out "$out/numpy-pool.csv" \
  || { cat "$out/numpy-pool.log" >&2; exit 2; }
np_pool_wall=$wall np_pool_rss=$rss
grep -v '^RATE' "$out/numpy-pool.log"

echo "== numpy programme --trials $numpy_programme_trials"
timed "$out/numpy-programme.log" "$python" bench/numpy/programme.py --trials "$numpy_programme_trials" --seed "$seed" \
  --out "$out/numpy-programme.csv" || { cat "$out/numpy-programme.log" >&2; exit 2; }
np_prog_wall=$wall np_prog_rss=$rss
grep -v '^RATE' "$out/numpy-programme.log"

np_pool_sim=$(awk '/^RATE pool.simulation/ { print $3 }' "$out/numpy-pool.log")
np_prog_sim=$(awk '/^RATE programme.simulation/ { print $3 }' "$out/numpy-programme.log")

echo
echo "== rates on $cores cores (Simulator: all cores, whole process; NumPy: one thread)"
awk -v cores="$cores" -v raw1="$raw1" -v rawall="$rawall" \
    -v sp="$pool_trials" -v spw="$sim_pool_wall" -v spr="$sim_pool_rss" \
    -v sg="$programme_trials" -v sgw="$sim_prog_wall" -v sgr="$sim_prog_rss" \
    -v np="$numpy_pool_trials" -v npw="$np_pool_wall" -v npr="$np_pool_rss" -v nps="$np_pool_sim" \
    -v ng="$numpy_programme_trials" -v ngw="$np_prog_wall" -v ngr="$np_prog_rss" -v ngs="$np_prog_sim" '
function m(x) { return sprintf("%.1f M/s", x / 1e6) }
function share(x) { return raw1 == "" ? "n/a" : sprintf("%.2f%%", 100 * x / (raw1 * cores)) }
BEGIN {
  simPool = sp * 50000 / spw; simProg = sg * 1000 / sgw
  npPool = np * 50000 / npw;  npProg = ng * 1000 / ngw
  printf "%-34s %18s %18s\n", "", "pool (loan-years)", "programme (projects)"
  printf "%-34s %18s %18s\n", "Simulator trials", sp, sg
  printf "%-34s %18s %18s\n", "Simulator wall time, whole run", sprintf("%.2f s", spw), sprintf("%.2f s", sgw)
  printf "%-34s %18s %18s\n", "Simulator peak RSS", spr " MB", sgr " MB"
  printf "%-34s %18s %18s\n", "Simulator rate, whole run", m(simPool), m(simProg)
  printf "%-34s %18s %18s\n", "NumPy trials", np, ng
  printf "%-34s %18s %18s\n", "NumPy wall time, whole run", sprintf("%.2f s", npw), sprintf("%.2f s", ngw)
  printf "%-34s %18s %18s\n", "NumPy peak RSS", npr " MB", ngr " MB"
  printf "%-34s %18s %18s\n", "NumPy rate, whole run", m(npPool), m(npProg)
  printf "%-34s %18s %18s\n", "NumPy rate, simulation only", m(nps), m(ngs)
  printf "%-34s %18s %18s\n", "Simulator / NumPy (whole runs)", sprintf("%.2fx", simPool / npPool), sprintf("%.2fx", simProg / npProg)
  printf "%-34s %18s %18s\n", "Simulator / NumPy simulation", sprintf("%.2fx", simPool / nps), sprintf("%.2fx", simProg / ngs)
  if (raw1 != "") {
    printf "%-34s %18s %18s\n", "raw limit x cores (" m(raw1) " x " cores ")", share(simPool), share(simProg)
    if (rawall != "") printf "%-34s %18s\n", "raw limit measured on all cores", m(rawall)
  }
}'

echo
echo "== agreement (different random numbers: agreement is statistical)"
# Exact means: pool loss = 0.6 x 10,000 x (1 - 0.98^5); a fund's mean net multiple (no fees) = the preset's E[M]
# = r x beta mean + s x E[min(Pareto, cap)] (docs/outcome-models.md section 2): angel 2.5670, seed 1.5778.
status=0
"$python" bench/numpy/compare.py "$out/simulator/bench-pool/trials.csv" "$out/numpy-pool.csv" \
  --columns pool.loss --exact pool.loss=576.4752192 || status=1
echo
"$python" bench/numpy/compare.py "$out/simulator/bench-funds/trials.csv" "$out/numpy-programme.csv" \
  --columns 'f1.*' 'f2.*' 'programme.*' \
  --exact f1.netMultiple.privateLp=2.5670165874 --exact f2.netMultiple.privateLp=1.5778474795 || status=1
echo
echo "results in $out"
[ "$status" -eq 0 ] && echo "run.sh: PASS" || echo "run.sh: FAIL (the distributions disagree)"
exit $status
