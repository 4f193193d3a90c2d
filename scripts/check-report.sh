#!/usr/bin/env bash
# Renders the built-in study's report.html in headless Chromium, saves a
# screenshot, and fails on a blank page, a missing section or console errors.
# Usage: scripts/check-report.sh [zh|en] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
lang="${1:-zh}"
out="${2:-target/report-check}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "check-report: chromium is not installed (apt-get install chromium fonts-noto-cjk)" >&2
  exit 2
fi
cargo build --release --quiet
rm -rf "$out" && mkdir -p "$out"
./target/release/coreduce roadmap --out "$out/study" --report-lang "$lang" > "$out/roadmap.log"
page="file://$(pwd)/$out/study/report.html"
profile="$(mktemp -d)"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --window-size=1280,9000 --screenshot="$out/report.png" "$page" 2> "$out/chromium.log" || true
"$browser" "${flags[@]}" --dump-dom "$page" > "$out/dom.html" 2>> "$out/chromium.log" || true
rm -rf "$profile"
fail=0
size=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
if [ "$size" -lt 50000 ]; then
  echo "check-report: screenshot missing or blank ($size bytes)" >&2; fail=1
fi
for id in summary inventory trajectories targets coordinates macc elasticity graphs factors warnings; do
  grep -q "id=\"$id\"" "$out/dom.html" || { echo "check-report: section '$id' missing" >&2; fail=1; }
done
svgs=$(grep -o "<svg" "$out/dom.html" | wc -l)
if [ "$svgs" -lt 8 ]; then
  echo "check-report: only $svgs charts drawn" >&2; fail=1
fi
if grep -E "CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|Failed to load resource" "$out/chromium.log" | grep -v "dbus" ; then
  echo "check-report: console errors (above)" >&2; fail=1
fi
[ "$fail" -eq 0 ] && echo "check-report: ok ($svgs charts, screenshot $out/report.png, $size bytes)"
exit "$fail"
