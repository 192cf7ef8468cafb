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
source benchmarks/steal.sh
source benchmarks/fma.sh
for r in $(seq "$rounds"); do
  fma_mark openblas "$r" before
  "$peers/run.sh" numpy | grep numpy_sgemm | tee -a "$out"
  fma_mark openblas "$r" after
  bench gemm | tee -a "$out"
  fma_mark dendrite "$r" after
done
echo "Dendrite's build: $build"
steal_report
fma_report openblas OpenBLAS
python3 - "$out" <<'PY'
import json, statistics, sys
ours, blas = {}, {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("bench") == "numpy_sgemm": blas.setdefault(d["M=N=K"], []).append(d["gflops_median"])
    elif d.get("workload") == "GEMM": ours.setdefault(d["M=N=K"], []).append(d["gflops"]["median"])
fma = [json.loads(l) for l in open(sys.argv[1]) if '"FMA"' in l]
# The two cores' FP32 FMA peak: the best two-thread rate of the fma checks around the runs (machines differ: ~440
# GFLOP/s on the Zen 5 VMs of 2026-12-01..03, ~225 on a Zen 4 one, whose AVX-512 runs as two 256-bit halves).
peak, how = (max(d["two_threads_gflops"]["max"] for d in fma), "measured") if fma else (440.0, "assumed")
for n in sorted(ours):
    o = statistics.median(ours[n])
    if n in blas:
        b = statistics.median(blas[n])
        print(f"GEMM {n}: Dendrite {o:.0f} GFLOP/s, OpenBLAS {b:.0f} GFLOP/s, ratio {o / b:.2f}x, {o / peak * 100:.0f}% of the 2-core FMA peak ({peak:.0f}, {how}); "
              f"each fresh process: {', '.join(f'{x:.0f}' for x in ours[n])} (worst {min(ours[n]) / b:.2f}x)")
    else:
        print(f"GEMM {n}: Dendrite {o:.0f} GFLOP/s ({o / peak * 100:.0f}% of the 2-core FMA peak, {peak:.0f} {how})")
PY
rm -f "$out"
