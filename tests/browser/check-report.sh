#!/usr/bin/env bash
# Opens the HTML pages of a result root in headless Chromium and checks what a reader would notice: every image
# decodes, no script throws, and every report link of index.html points at a file. The pages record their own
# problems on <body> (data-broken-images, data-script-errors, data-checked), read back here with --dump-dom.
# Screenshots (1280x2400) go to the second argument for a human to look at.
#
# Usage: tests/browser/check-report.sh [output-root (default: output)] [screenshot-dir (default: <root>/screenshots)]
# Needs /usr/bin/chromium (./setup.sh installs it; CHROMIUM=/path overrides). Exit 0 when every page passes.
set -uo pipefail
root=${1:-output}
shots=${2:-$root/screenshots}
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
  echo "check-report: headless Chromium not found at $chromium; run ./setup.sh (Debian package chromium)" >&2
  exit 2
fi
if [ ! -d "$root" ]; then
  echo "check-report: no such folder: $root" >&2
  exit 2
fi
mkdir -p "$shots"
root_abs=$(cd "$root" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

browse() {  # browse <args...>: one headless run with a fresh profile
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" "$@" 2>"$work/stderr"
}

attribute() {  # attribute <body-tag> <name>
  printf '%s' "$1" | sed -n "s/.* $2=\"\([^\"]*\)\".*/\1/p"
}

failures=0
pages=()
[ -f "$root_abs/index.html" ] && pages+=("$root_abs/index.html")
while IFS= read -r -d '' f; do pages+=("$f"); done < <(find "$root_abs" -mindepth 2 -maxdepth 2 -name report.html -print0 | sort -z)
if [ ${#pages[@]} -eq 0 ]; then
  echo "check-report: no index.html or */report.html under $root" >&2
  exit 1
fi

for page in "${pages[@]}"; do
  rel=${page#"$root_abs"/}
  name=$(dirname "$rel"); [ "$name" = "." ] && name=index
  body=$(browse --dump-dom "file://$page" | grep -o '<body[^>]*>' | head -n 1)
  checked=$(attribute "$body" data-checked)
  broken=$(attribute "$body" data-broken-images)
  errors=$(attribute "$body" data-script-errors)
  images=$(attribute "$body" data-images)
  if [ "$checked" != "true" ]; then
    echo "FAIL $rel: the page's check script did not run"; failures=$((failures + 1))
  elif [ "$broken" != "0" ] || [ -n "$errors" ]; then
    echo "FAIL $rel: $broken broken image(s); script errors: ${errors:-none}"; failures=$((failures + 1))
  else
    echo "ok   $rel: $images image(s)"
  fi
  browse --screenshot="$shots/$name.png" --window-size=1280,2400 "file://$page" >/dev/null || {
    echo "FAIL $rel: no screenshot"; failures=$((failures + 1)); }
done

# Links of index.html are checked here rather than in the page: a file:// page cannot test whether files exist.
if [ -f "$root_abs/index.html" ]; then
  while IFS= read -r href; do
    if [ ! -f "$root_abs/$href" ]; then echo "FAIL index.html: broken link $href"; failures=$((failures + 1)); fi
  done < <(grep -o 'href="[^"#][^"]*"' "$root_abs/index.html" | sed 's/^href="//; s/"$//')
fi

echo "check-report: ${#pages[@]} page(s), $failures failure(s); screenshots in $shots"
[ "$failures" -eq 0 ]
