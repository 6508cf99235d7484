#!/usr/bin/env bash
# Installs what Simulator needs beyond the .NET 10 SDK on a Debian/Ubuntu machine:
#   fonts-noto-cjk  so that plots and reports of Chinese scenario titles render (without it: boxes);
#   chromium        headless browser for the report test (tests/Simulator.Tests/Reporting/BrowserReportTests.cs);
#   python3-numpy   the NumPy references of the benchmarks (bench/numpy/, run with /usr/bin/python3 by bench/run.sh);
#   time            GNU time (/usr/bin/time -v: wall time and peak memory of whole runs in bench/run.sh).
# Safe to run repeatedly; needs root (or sudo) for apt-get. Usage: ./setup.sh [--quiet]
set -u
quiet=${1:-}
say() { [ "$quiet" = "--quiet" ] || echo "$@"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

missing=()
have_cjk=no
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then have_cjk=yes; fi
if ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -qi cjk; then have_cjk=yes; fi
[ "$have_cjk" = yes ] || missing+=(fonts-noto-cjk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -eq 0 ]; then
  say "setup: fonts-noto-cjk, chromium, python3-numpy and time are already installed"
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
  echo "setup: no apt-get; install a CJK font (e.g. Noto Sans CJK SC), Chromium, NumPy for /usr/bin/python3 and GNU time yourself" >&2
  exit 1
fi
say "setup: installing ${missing[*]}"
$sudo apt-get update -qq >/dev/null 2>&1 || true
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  echo "setup: could not install ${missing[*]}" >&2
  exit 1
}
say "setup: done"
