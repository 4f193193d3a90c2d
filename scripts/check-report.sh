#!/usr/bin/env bash
# Renders the built-in study's report.html in headless Chromium, saves a
# screenshot of the whole page, and fails on a blank page, a missing
# section, console errors, overlapping labels in a chart (the text boxes of
# each chart as laid out by the browser) and ids shown where a name exists
# (sector, scenario and measure ids outside the factor, warning and graph
# sections, where ids are the point).
# Usage: scripts/check-report.sh [zh|en] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
lang="${1:-zh}"
out="${2:-target/report-check-$lang}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "check-report: chromium is not installed (apt-get install chromium fonts-noto-cjk)" >&2
  exit 2
fi
cargo build --release --quiet
rm -rf "$out" && mkdir -p "$out"
out="$(cd "$out" && pwd)"
./target/release/coreduce roadmap --runs 20 --out "$out/study" --report-lang "$lang" > "$out/roadmap.log"

# The ids a reader must never see where a name exists. English sector ids
# are words of their own names ("Electrolytic aluminium"), so the English
# report is checked for the ids that are not words.
measure_ids=$(grep -ho '^id = "[a-z]*\.[a-z0-9_]*"' sectors/measures/*.toml | sed 's/^id = "\(.*\)"$/\1/' | sort -u)
if [ "$lang" = zh ]; then
  words="aluminium baijiu ceramics tobacco bau policy enhanced least_cost"
else
  words="least_cost"
fi
ids_js=$(printf '"%s",' $measure_ids $words)

# A copy of the report with a script that measures the laid-out label boxes
# and writes its findings into the page; the report itself has no script.
cat > "$out/check.js" <<JS
(function () {
  const found = [];
  const overlap = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll('section svg').forEach((svg, k) => {
    const where = svg.closest('section').id + ' chart ' + k + ' (' + (svg.querySelector('title') || {}).textContent + ')';
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '' && t.parentNode.nodeName !== 'title');
    const boxes = texts.map(t => t.getBoundingClientRect());
    const frame = svg.getBoundingClientRect();
    for (let i = 0; i < texts.length; i++) {
      if (boxes[i].right > frame.right + 1 || boxes[i].left < frame.left - 1) {
        found.push('CLIPPED ' + where + ': "' + texts[i].textContent + '"');
      }
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(boxes[i], boxes[j])) {
          found.push('OVERLAP ' + where + ': "' + texts[i].textContent + '" / "' + texts[j].textContent + '"');
        }
      }
    }
  });
  const ids = [${ids_js}];
  document.querySelectorAll('section').forEach(sec => {
    if (['factors', 'warnings', 'graphs'].includes(sec.id)) return;
    // The uncertainty section names its inputs by factor id on purpose.
    const text = sec.id === 'uncertainty' ? '' : sec.innerText;
    for (const id of ids) {
      const re = new RegExp('(^|[^A-Za-z0-9_.:])' + id.replace(/\./g, '\\\\.') + '(\$|[^A-Za-z0-9_.])');
      if (re.test(text)) found.push('ID ' + sec.id + ': ' + id);
    }
  });
  const pre = document.createElement('pre');
  pre.id = 'check-result';
  pre.textContent = found.length ? found.join('\n') : 'CHECK-OK';
  document.body.appendChild(pre);
})();
JS
sed 's#</body>#<script src="check.js"></script></body>#' "$out/study/report.html" > "$out/study/report-check.html"
cp "$out/check.js" "$out/study/check.js"

page="file://$out/study/report.html"
profile="$(mktemp -d)"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --window-size=1280,1000)
"$browser" "${flags[@]}" --screenshot="$out/report-top.png" "$page" 2> "$out/chromium.log" || true
# The whole page: as tall as the report is long.
height=$(( $(wc -c < "$out/study/report.html") / 40 ))
[ "$height" -lt 4000 ] && height=4000
[ "$height" -gt 30000 ] && height=30000
"$browser" "${flags[@]}" --window-size=1280,"$height" --screenshot="$out/report.png" "$page" 2>> "$out/chromium.log" || true
"$browser" "${flags[@]}" --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$out/study/report-check.html" > "$out/dom.html" 2>> "$out/chromium.log" || true
rm -rf "$profile"

fail=0
size=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
if [ "$size" -lt 50000 ]; then
  echo "check-report: screenshot missing or blank ($size bytes)" >&2; fail=1
fi
for id in summary inventory uncertainty trajectories targets coordinates macc elasticity graphs factors warnings; do
  grep -q "id=\"$id\"" "$out/dom.html" || { echo "check-report: section '$id' missing" >&2; fail=1; }
done
svgs=$(grep -o "<svg" "$out/dom.html" | wc -l)
if [ "$svgs" -lt 8 ]; then
  echo "check-report: only $svgs charts drawn" >&2; fail=1
fi
if grep -E "CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|Failed to load resource" "$out/chromium.log" | grep -v "dbus" ; then
  echo "check-report: console errors (above)" >&2; fail=1
fi
result=$(tr '\n' '\r' < "$out/dom.html" | grep -o '<pre id="check-result">[^<]*</pre>' | sed 's/<[^>]*>//g' | tr '\r' '\n' || true)
if [ -z "$result" ]; then
  echo "check-report: the label and id check did not run" >&2; fail=1
elif [ "$result" != "CHECK-OK" ]; then
  echo "$result" | sed 's/&quot;/"/g; s/&amp;/\&/g' >&2
  echo "check-report: $(echo "$result" | wc -l) findings (above)" >&2; fail=1
fi
[ "$fail" -eq 0 ] && echo "check-report: ok ($lang, $svgs charts, no overlapping labels or ids shown; screenshots $out/report.png, $out/report-top.png)"
exit "$fail"
