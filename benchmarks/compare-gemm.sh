#!/usr/bin/env bash
# GEMM side by side with OpenBLAS (numpy peer), alternating runs so both see the same machine state.
#   bash benchmarks/compare-gemm.sh [--aot] [rounds]       (--aot: the Native AOT build, as in compare.sh; peers: DENDRITE_PEERS, default ../shared/peers; run its setup.sh once first)
# Prints every JSON line and, per size, the ratio of the medians over all rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=jit
if [ "${1:-}" = "--aot" ]; then build=aot; shift; fi
rounds=${1:-3}
source benchmarks/peers.sh
out=$(mktemp)
source benchmarks/aot.sh
for r in $(seq "$rounds"); do
  "$peers/run.sh" numpy | grep numpy_sgemm | tee -a "$out"
  bench gemm | tee -a "$out"
done
echo "Dendrite's build: $build"
python3 - "$out" <<'PY'
import json, statistics, sys
ours, blas = {}, {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("bench") == "numpy_sgemm": blas.setdefault(d["M=N=K"], []).append(d["gflops_median"])
    elif d.get("workload") == "GEMM": ours.setdefault(d["M=N=K"], []).append(d["gflops"]["median"])
for n in sorted(ours):
    o = statistics.median(ours[n])
    if n in blas:
        b = statistics.median(blas[n])
        print(f"GEMM {n}: Dendrite {o:.0f} GFLOP/s, OpenBLAS {b:.0f} GFLOP/s, ratio {o / b:.2f}x, {o / 440 * 100:.0f}% of the 2-core FMA peak (~440); "
              f"each fresh process: {', '.join(f'{x:.0f}' for x in ours[n])} (worst {min(ours[n]) / b:.2f}x)")
    else:
        print(f"GEMM {n}: Dendrite {o:.0f} GFLOP/s ({o / 440 * 100:.0f}% of the 2-core FMA peak)")
PY
rm -f "$out"
