#!/usr/bin/env bash
# Installs what Simulator needs beyond the .NET 10 SDK on a Debian/Ubuntu machine:
#   fonts-noto-cjk  so that plots and reports of Chinese scenario titles render (without it: boxes);
#   chromium        headless browser for the report test (tests/Simulator.Tests/Reporting/BrowserReportTests.cs);
#   python3-numpy   the NumPy references of the benchmarks (bench/numpy/, run with /usr/bin/python3 by bench/run.sh);
#   time            GNU time (/usr/bin/time -v: wall time and peak memory of whole runs in bench/run.sh);
#   slurm-wlm munge a single-node Slurm for the test of 'simulator slurm --submit' (tests/Simulator.Tests/Cli/Shards/
#                   SlurmTests.cs starts and stops the daemons itself; installing them starts nothing).
# Safe to run repeatedly; needs root (or sudo) for apt-get, and waits up to 5 minutes (SETUP_LOCK_TIMEOUT seconds)
# for another package manager to finish. Usage: ./setup.sh [--quiet]
set -u
quiet=${1:-}
say() { [ "$quiet" = "--quiet" ] || echo "$@"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

missing=()
# SETUP_ASSUME_MISSING (space-separated packages) is for the tests: it makes them missing whatever is installed.
for package in ${SETUP_ASSUME_MISSING:-}; do missing+=("$package"); done
have_cjk=no
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then have_cjk=yes; fi
if ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -qi cjk; then have_cjk=yes; fi
need() { [[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1"); }
[ "$have_cjk" = yes ] || need fonts-noto-cjk
[ -x /usr/bin/chromium ] || need chromium
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need python3-numpy
[ -x /usr/bin/time ] || need time
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && [ -x /usr/bin/sbatch ] || need slurm-wlm
[ -x /usr/sbin/munged ] || need munge
if [ ${#missing[@]} -eq 0 ]; then
  say "setup: fonts-noto-cjk, chromium, python3-numpy, time, slurm-wlm and munge are already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup: not root and no sudo; install ${missing[*]} yourself" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get; install a CJK font (e.g. Noto Sans CJK SC), Chromium, NumPy for /usr/bin/python3, GNU time, Slurm and MUNGE yourself" >&2
  exit 1
fi
say "setup: installing ${missing[*]}"
# apt-get fails at once when another process (an unattended upgrade, another setup, an engineer's apt-get) holds the
# package manager's lock; waiting for it is what a user would do by hand. Its own messages are kept, so that a failure
# says why instead of only what.
apt=(apt-get -o DPkg::Lock::Timeout="${SETUP_LOCK_TIMEOUT:-300}")
log=$(mktemp "${TMPDIR:-/tmp}/simulator-setup.XXXXXX")
trap 'rm -f "$log"' EXIT
show_log() { tail -n 20 "$log" | sed 's/^/  /' >&2; }
if ! $sudo "${apt[@]}" update -qq >"$log" 2>&1; then
  echo "setup: warning: apt-get update failed; installing from the package lists already on this machine. apt-get said:" >&2
  show_log
fi
if ! $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >"$log" 2>&1; then
  echo "setup: could not install ${missing[*]}; apt-get said:" >&2
  show_log
  exit 1
fi
say "setup: done"
