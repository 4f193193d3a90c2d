#!/usr/bin/env bash
# coreduce against the pandas peer, side by side in one run, whole process.
#
# Usage: scripts/bench-peer.sh [SIZES] [RUNS]     e.g. scripts/bench-peer.sh "10000 100000" 5
#
# Needs ../shared/bench (the peer and the province generator), hyperfine
# (apt-get install hyperfine) and a Python venv with the peer's packages
# (created in target/peer on first use). For each size and each way of
# writing the workbook (coreduce's codes, and words as people write them) one
# hyperfine call times `coreduce inventory --out` to CSV, JSON and xlsx and the
# pandas peer side by side (median of RUNS; 3 runs without warm-up at 100k and
# above), then GNU time gives each command's peak memory. Results go to
# target/bench-data/results.md; BENCHMARKS.md records a dated run.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-10000 100000}"
runs="${2:-5}"
B=../shared/bench
W=target/bench-data
PY=target/peer/bin/python
mkdir -p "$W"
if [ ! -x "$PY" ]; then
  python3 -m venv target/peer
  target/peer/bin/pip install -q pandas python-calamine openpyxl numpy
fi
cargo build --release --quiet
bin=target/release/coreduce
out="$W/results.md"
echo "| workbook | format | coreduce median s | pandas median s | speed-up | coreduce peak MB | pandas peak MB | memory ratio |" > "$out"
echo "|---|---|---|---|---|---|---|---|" >> "$out"
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
row() {
  python3 -c '
import json, sys
path, i, n, kind, fmt, cm, pm = sys.argv[1:]
r = json.load(open(path))["results"]
c, p = r[int(i)]["median"], r[3]["median"]
cm, pm = int(cm) / 1024, int(pm) / 1024
print(f"| {int(n):,} fy, {kind} | {fmt} | {c:.2f} | {p:.2f} | {p / c:.2f}x | {cm:.0f} | {pm:.0f} | {cm / pm:.2f} |")
' "$@"
}
for n in $sizes; do
  for kind in codes words; do
    wb="$W/province-$n-$kind.xlsx"
    if [ ! -f "$wb" ]; then
      flag=""
      [ "$kind" = codes ] && flag="--codes"
      $PY "$B/make_province.py" $flag --facility-years "$n" --out "$wb" --manifest /dev/null
    fi
    peer="$PY $B/pandas_inventory.py run $wb --engine calamine --out $W/peer.csv"
    mkdir -p "$W/out-$n-$kind"
    cmds=()
    for fmt in csv json xlsx; do
      cmds+=("$bin inventory $wb --out $W/out-$n-$kind/results.$fmt")
    done
    warm=1
    r="$runs"
    if [ "$n" -ge 100000 ]; then warm=0; r=3; fi
    hyperfine -N -w "$warm" -r "$r" --export-json "$W/h.json" "${cmds[@]}" "$peer" > /dev/null
    pmem=$(peak $peer)
    i=0
    for fmt in csv json xlsx; do
      cmem=$(peak ${cmds[$i]})
      row "$W/h.json" "$i" "$n" "$kind" "$fmt" "$cmem" "$pmem" | tee -a "$out"
      i=$((i + 1))
    done
  done
done
