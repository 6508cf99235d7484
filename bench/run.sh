#!/usr/bin/env bash
# Benchmark harness (bench/README.md): builds Simulator as ./simulator runs it, runs `simulator bench` (raw limit and
# engine rates), times whole `simulator run` invocations of bench/scenarios/pool.json and programme.json (start-up,
# parsing, trials, statistics, trials.csv, plots and report included), runs the NumPy references (bench/numpy/) in
# the same session, prints one table of rates and ratios, and checks that the two agree in law
# (bench/numpy/compare.py). With --tapes (or --tapes-only) also the loan tapes of issue 19 (bench/make-tapes.py builds
# them into DIR/tapes, beside copies of bench/scenarios/tapes/*.json) against bench/numpy/tape.py.
#
# Usage: bench/run.sh [--pool-trials "N ..."] [--programme-trials "N ..."] [--numpy-pool-trials N]
#                     [--numpy-programme-trials N] [--bench-pool-trials N] [--bench-fund-trials N]
#                     [--trials-csv all|key|none] [--repeat R] [--seed S] [--threads N] [--out DIR] [--no-bench]
#                     [--tapes | --tapes-only] [--tape-trials "graded=N grades100=N national=N"]
#                     [--numpy-tape-trials "graded=N grades100=N national=N"]
# Trial counts may be lists (each is a whole run); with --repeat R each whole run is made R times and the median
# wall time is reported (peak memory: the largest). Exit code: 0 when every figure agrees, 1 when compare.py finds a
# disagreement, 2 on a usage or run error.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

pool_trials="1000000"
programme_trials="200000 1000000"
numpy_pool_trials=20000
numpy_programme_trials=50000
bench_pool_trials=40000
bench_fund_trials=50000
trials_csv=all
repeat=1
seed=1
threads=""
out="${TMPDIR:-/tmp}/simulator-bench"
run_bench=yes
python=/usr/bin/python3

tapes=no            # no | also | only
tape_trials="graded=1000000 grades100=100000 national=100000"
numpy_tape_trials="graded=5000 grades100=500 national=100"

usage() { sed -n '9,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --pool-trials) pool_trials=$2; shift 2 ;;
    --programme-trials) programme_trials=$2; shift 2 ;;
    --numpy-pool-trials) numpy_pool_trials=$2; shift 2 ;;
    --numpy-programme-trials) numpy_programme_trials=$2; shift 2 ;;
    --bench-pool-trials) bench_pool_trials=$2; shift 2 ;;
    --bench-fund-trials) bench_fund_trials=$2; shift 2 ;;
    --trials-csv) trials_csv=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-bench) run_bench=no; shift ;;
    --tapes) tapes=also; shift ;;
    --tapes-only) tapes=only; shift ;;
    --tape-trials) tape_trials=$2; shift 2 ;;
    --numpy-tape-trials) numpy_tape_trials=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown option $1" >&2; usage ;;
  esac
done
case "$trials_csv" in all|key|none) ;; *) echo "run.sh: --trials-csv must be all, key or none" >&2; exit 2 ;; esac
[ "$trials_csv" = none ] && echo "run.sh: --trials-csv none writes no trials.csv, so the agreement check is skipped" >&2

if ! "$python" -c 'import numpy' >/dev/null 2>&1; then
  echo "run.sh: $python has no numpy; run ./setup.sh (installs python3-numpy)" >&2
  exit 2
fi
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (/usr/bin/time); ./setup.sh installs it" >&2; exit 2; }
mkdir -p "$out"
exec > >(tee "$out/run.txt") 2>&1   # everything printed is also kept in $out/run.txt
cores=$(nproc)

echo "== machine: $cores cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "== build (Release, ReadyToRun, as ./simulator runs it)"
"$root/simulator" --version >"$out/build.log" 2>&1 || {
  cat "$out/build.log" >&2; echo "run.sh: build failed" >&2; exit 2; }
simulator="$root/.build/simulator/simulator"

# Runs a command under GNU time; sets wall (seconds) and rss (MB).
timed() {
  local log=$1; shift
  /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1
  local status=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time")
  return $status
}

# Runs a command --repeat times; sets wall (median) and rss (largest); the last run's output stays in $log.
repeated() {
  local log=$1; shift
  local walls=() peak=0
  for ((r = 0; r < repeat; r++)); do
    timed "$log" "$@" || return 1
    walls+=("$wall")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  wall=$(printf "%s\n" "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  rss=$peak
}

raw1=""
if [ "$run_bench" = yes ]; then
  echo "== simulator bench --pool-trials $bench_pool_trials --fund-trials $bench_fund_trials"
  "$simulator" bench --pool-trials "$bench_pool_trials" --fund-trials "$bench_fund_trials" | tee "$out/bench.txt"
  # "raw limit (best kernel), 1 thread(s): 4459.5 M/s" -> draws per second (the fastest of the raw kernels)
  raw1=$(awk '/raw limit \(best kernel\), 1 thread/ { for (i = 1; i <= NF; i++) if ($i == "M/s") { print $(i - 1) * 1e6; exit } }' "$out/bench.txt")
fi

thread_args=()
[ -n "$threads" ] && thread_args=(--threads "$threads")
rows=()   # model|trials|wall|rss  (Simulator whole runs)

# Whole runs of one model at each trial count: run_model NAME SCENARIO "TRIALS ..." (rows gets one line per run).
run_model() {
  local name=$1 scenario=$2 t
  for t in $3; do
    echo "== simulator run $scenario --trials $t --trials-csv $trials_csv (whole run, files included; $repeat run(s))"
    rm -rf "$out/simulator-$name-$t"
    repeated "$out/simulator-$name-$t.log" "$simulator" run "$scenario" --trials "$t" --seed "$seed" \
      --out "$out/simulator-$name-$t" --trials-csv "$trials_csv" "${thread_args[@]}" || { cat "$out/simulator-$name-$t.log" >&2; exit 2; }
    rows+=("$name|$t|$wall|$rss")
    head -n 3 "$out/simulator-$name-$t.log"
  done
}
np_rows=()   # name|trials|wall|rss|simulation rate|items per trial  (NumPy whole runs)
declare -A items=([pool]=50000 [programme]=1000)   # loan-years or projects per trial
if [ "$tapes" != only ]; then
  run_model pool bench/scenarios/pool.json "$pool_trials"
  run_model programme bench/scenarios/programme.json "$programme_trials"

  echo "== numpy pool --trials $numpy_pool_trials ($repeat run(s))"
  repeated "$out/numpy-pool.log" "$python" bench/numpy/pool.py --trials "$numpy_pool_trials" --seed "$seed" --out "$out/numpy-pool.csv" \
    || { cat "$out/numpy-pool.log" >&2; exit 2; }
  np_rows+=("pool|$numpy_pool_trials|$wall|$rss|$(awk '/^RATE pool.simulation/ { print $3 }' "$out/numpy-pool.log")|50000")
  grep -v '^RATE' "$out/numpy-pool.log"

  echo "== numpy programme --trials $numpy_programme_trials ($repeat run(s))"
  repeated "$out/numpy-programme.log" "$python" bench/numpy/programme.py --trials "$numpy_programme_trials" --seed "$seed" \
    --out "$out/numpy-programme.csv" || { cat "$out/numpy-programme.log" >&2; exit 2; }
  np_rows+=("programme|$numpy_programme_trials|$wall|$rss|$(awk '/^RATE programme.simulation/ { print $3 }' "$out/numpy-programme.log")|1000")
  grep -v '^RATE' "$out/numpy-programme.log"
fi

# The loan tapes: built here (deterministic; the national one is 50 MB), each Simulator run followed at once by its
# NumPy reference, so that the ratio is taken side by side. Items: the tape's loan-years (the sum of its terms).
tape_names=()
if [ "$tapes" != no ]; then
  mkdir -p "$out/tapes"
  cp bench/scenarios/tapes/*.json "$out/tapes/"
  echo "== bench/make-tapes.py --out $out/tapes"
  "$python" bench/make-tapes.py --out "$out/tapes" || exit 2
  for spec in $tape_trials; do
    name=${spec%%=*} t=${spec#*=}
    [ -f "$out/tapes/$name.json" ] || { echo "run.sh: unknown tape $name in --tape-trials" >&2; exit 2; }
    tape_names+=("$name")
    items[$name]=$(awk -F, 'NR > 1 { s += $5 } END { print s }' "$out/tapes/$name.csv")
    run_model "$name" "$out/tapes/$name.json" "$t"
    nt=$(printf "%s\n" $numpy_tape_trials | awk -F= -v n="$name" '$1 == n { print $2 }')
    echo "== numpy tape $name --trials ${nt:=1000} ($repeat run(s))"
    repeated "$out/numpy-$name.log" "$python" bench/numpy/tape.py "$out/tapes/$name.csv" --trials "$nt" --seed "$seed" \
      --out "$out/numpy-$name.csv" || { cat "$out/numpy-$name.log" >&2; exit 2; }
    np_rows+=("$name|$nt|$wall|$rss|$(awk '/^RATE tape.simulation/ { print $3 }' "$out/numpy-$name.log")|${items[$name]}")
    grep -v '^RATE\|^EXACT' "$out/numpy-$name.log"
  done
fi
item_list=$(for k in "${!items[@]}"; do printf "%s=%s " "$k" "${items[$k]}"; done)

echo
echo "== rates on $cores cores (Simulator: all cores, whole process, trials.csv: $trials_csv; NumPy: one thread)"
{ printf "np|%s\n" "${np_rows[@]}"; printf "sim|%s\n" "${rows[@]}"; } | awk -F'|' -v cores="$cores" -v raw1="$raw1" -v items="$item_list" '
BEGIN {
  n = split(items, list, " ")
  for (i = 1; i <= n; i++) { split(list[i], kv, "="); item[kv[1]] = kv[2] }   # loan-years or projects per trial
  printf "%-15s %9s %9s %9s %13s %11s %11s %13s\n", "model", "trials", "wall s", "RSS MB", "items/s", "x NumPy", "x NumPy sim", "raw x cores"
}
$1 == "np" {
  npWhole[$2] = $3 * $7 / $4; npSim[$2] = $6
  printf "%-15s %9s %9.2f %9s %13s %11s %11s %13s\n", "numpy " $2, $3, $4, $5, sprintf("%.2f M", npWhole[$2] / 1e6), "1", "", ""
}
$1 == "sim" {
  rate = $3 * item[$2] / $4
  share = ($2 != "programme" && raw1 != "") ? sprintf("%.1f%%", 100 * rate / (raw1 * cores)) : ""
  printf "%-15s %9s %9.2f %9s %13s %11s %11s %13s\n", $2, $3, $4, $5, sprintf("%.1f M", rate / 1e6),
    ($2 in npWhole) ? sprintf("%.1fx", rate / npWhole[$2]) : "", ($2 in npSim) ? sprintf("%.1fx", rate / npSim[$2]) : "", share
}
END {
  print ""
  print "items: loan-years (pool, tapes) or projects (programme) per second of the whole run; x NumPy: against NumPy'"'"'s whole"
  print "run (interpreter, import, tape and CSV included); x NumPy sim: against its simulation loop alone; raw x cores: the"
  printf "pool and tapes against the raw limit (%s draws and compares a second on one thread) times %d cores\n", raw1 == "" ? "n/a" : sprintf("%.1f M", raw1 / 1e6), cores
}'

status=0
if [ "$trials_csv" != none ]; then
  echo
  echo "== agreement (different random numbers: agreement is statistical)"
  # Compared with the first (smallest) Simulator run of each model: Python reads its trials.csv row by row.
  first_pool=$(printf "%s\n" $pool_trials | head -n 1) first_prog=$(printf "%s\n" $programme_trials | head -n 1)
  # Exact means: pool loss = 0.6 x 10,000 x (1 - 0.98^5); a fund's mean net multiple (no fees) = the preset's E[M]
  # = r x beta mean + s x E[min(Pareto, cap)] (docs/outcome-models.md section 2): angel 2.5670, seed 1.5778.
  if [ "$tapes" != only ]; then
    "$python" bench/numpy/compare.py "$out/simulator-pool-$first_pool/bench-pool/trials.csv" "$out/numpy-pool.csv" \
      --columns pool.loss --exact pool.loss=576.4752192 || status=1
    echo
    "$python" bench/numpy/compare.py "$out/simulator-programme-$first_prog/bench-funds/trials.csv" "$out/numpy-programme.csv" \
      --columns 'f1.*' 'f2.*' 'programme.*' \
      --exact f1.netMultiple.privateLp=2.5670165874 --exact f2.netMultiple.privateLp=1.5778474795 || status=1
  fi
  # Tapes: the loss and the defaults, each also against its exact mean (tape.py prints them: sum of amount x LGD x
  # (1 - (1 - pd)^term) and of 1 - (1 - pd)^term over the loans).
  for name in "${tape_names[@]}"; do
    echo
    first=$(printf "%s\n" $tape_trials | awk -F= -v n="$name" '$1 == n { print $2 }')
    exact=$(awk '/^EXACT/ { printf "--exact %s=%s ", $2, $3 }' "$out/numpy-$name.log")
    # shellcheck disable=SC2086
    "$python" bench/numpy/compare.py "$out/simulator-$name-$first/bench-$name/trials.csv" "$out/numpy-$name.csv" \
      --columns "$name.loss" "$name.defaults" $exact || status=1
  done
fi
echo
echo "results in $out"
[ "$status" -eq 0 ] && echo "run.sh: PASS" || echo "run.sh: FAIL (the distributions disagree)"
exit $status
