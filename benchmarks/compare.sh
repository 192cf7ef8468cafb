#!/usr/bin/env bash
# Training/prediction workloads side by side with PyTorch, alternating runs on the same machine. The peer scripts are
# found through DENDRITE_PEERS (default ../shared/peers; see benchmarks/peers.sh).
#   bash benchmarks/compare.sh [rounds] [workloads...]      e.g. bash benchmarks/compare.sh 2 w1 w2 w3 w4 w6 w7
# Prints every JSON line, then the ratio of medians (Dendrite / PyTorch; for W3, PyTorch time / Dendrite time).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}; shift || true
workloads=${*:-w1 w2 w3 w4 w6 w7}
source benchmarks/peers.sh
out=$(mktemp)
dotnet build -c Release benchmarks/Dendrite.Benchmarks -v q -nologo >/dev/null
for r in $(seq "$rounds"); do
  "$peers/run.sh" torch $workloads | grep '"workload"' | sed 's/^{/{"peer": "torch", /' | tee -a "$out"
  dotnet run -c Release --no-build --project benchmarks/Dendrite.Benchmarks -- $workloads | sed 's/^{/{"peer": "dendrite", /' | tee -a "$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(peer, name, key):
    v = [r[key]["median"] if isinstance(r[key], dict) else r[key] for r in rows if r["peer"] == peer and r["workload"] == name and key in r]
    return statistics.median(v) if v else None
for name in dict.fromkeys(r["workload"] for r in rows if r["peer"] == "dendrite"):
    if name.startswith("W3"):
        d, t = med("dendrite", name, "seconds_20_epochs"), med("torch", name, "seconds_20_epochs")
        print(f"{name}: Dendrite {d:.4f} s, PyTorch {t:.4f} s, speed ratio {t / d:.2f}x")
        continue
    for key, label in (("train_samples_per_s", "train"), ("infer_samples_per_s_bs256", "predict")):
        d, t = med("dendrite", name, key), med("torch", name, key)
        if d and t: print(f"{name} {label}: Dendrite {d:,.0f}/s, PyTorch {t:,.0f}/s, ratio {d / t:.2f}x")
    f, s = med("dendrite", name, "first_epoch_samples_per_s"), med("dendrite", name, "train_samples_per_s")
    if f and s: print(f"{name} first epoch (fresh process): Dendrite {f:,.0f}/s, {f / s:.2f}x of its steady {s:,.0f}/s")
    a = med("dendrite", name, "alloc_bytes_per_step")
    if a is not None: print(f"{name}: {a:,.0f} bytes allocated per training step")
PY
rm -f "$out"
