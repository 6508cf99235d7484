#!/usr/bin/env bash
# Installs what Simulator needs beyond the .NET 10 SDK on a Debian/Ubuntu machine:
#   fonts-noto-cjk  so that plots of Chinese scenario titles render (without it they show boxes).
# Safe to run repeatedly; needs root (or sudo) for apt-get. Usage: ./setup.sh [--quiet]
set -u
quiet=${1:-}
say() { [ "$quiet" = "--quiet" ] || echo "$@"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then
  say "setup: a CJK font is already installed"
  exit 0
fi
if [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -qi cjk; then
  say "setup: a CJK font is already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup: not root and no sudo; install fonts-noto-cjk yourself for Chinese plot titles" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get; install a CJK font (e.g. Noto Sans CJK SC) for Chinese plot titles" >&2
  exit 1
fi
say "setup: installing fonts-noto-cjk (CJK font for plots)"
$sudo apt-get update -qq >/dev/null 2>&1 || true
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || {
  echo "setup: could not install fonts-noto-cjk" >&2
  exit 1
}
say "setup: done"
