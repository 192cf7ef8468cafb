#!/usr/bin/env bash
# Training/prediction workloads side by side with PyTorch, alternating runs on the same machine. The peer scripts are
# found through DENDRITE_PEERS (default ../shared/peers; see benchmarks/peers.sh).
#   bash benchmarks/compare.sh [--aot] [rounds] [workloads...]      e.g. bash benchmarks/compare.sh 2 w1 w2 w3 w4 w5 w6 w7
# --aot runs the benchmark program as a Native AOT build (see benchmarks/aot.sh: no JIT, so a first epoch runs
# precompiled code) instead of the JIT build.
# W5 runs against both of PyTorch's layouts (w5 NCHW, w5cl channels_last) and is compared with the better of the two.
# Prints every JSON line, then the ratio of medians (Dendrite / PyTorch; for W3, PyTorch time / Dendrite time).
set -euo pipefail
cd "$(dirname "$0")/.."
build=jit
if [ "${1:-}" = "--aot" ]; then build=aot; shift; fi
rounds=${1:-2}; shift || true
workloads=${*:-w1 w2 w3 w4 w5 w6 w7}
peer_workloads=$(echo " $workloads " | sed 's/ w5 / w5 w5cl /')
source benchmarks/peers.sh
out=$(mktemp)
source benchmarks/aot.sh
# Record the multicore JIT profiles this build lacks (each workload's start and first epoch, nothing printed), as an
# application's first run after a build does, so that every measured process replays one (Dendrite.JitProfile).
if [ "$build" = jit ]; then bench --record-jit-profile $workloads >/dev/null; fi
source benchmarks/steal.sh
source benchmarks/fma.sh
for r in $(seq "$rounds"); do
  fma_mark torch "$r" before
  "$peers/run.sh" torch $peer_workloads | grep '"workload"' | sed 's/^{/{"peer": "torch", /' | tee -a "$out"
  fma_mark torch "$r" after
  bench $workloads | sed "s/^{/{\"peer\": \"dendrite\", \"build\": \"$build\", /" | tee -a "$out"
  fma_mark dendrite "$r" after
done
echo "Dendrite's build: $build"
steal_report
fma_report torch PyTorch
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [r for r in map(json.loads, open(sys.argv[1])) if r["peer"] != "fma"]
fma = {(d["run"], d["round"], d["when"]): d["two_threads_gflops"]["median"] for d in map(json.loads, open(sys.argv[1])) if d["peer"] == "fma"}
def fma_share(name, peer_name, key, peer_median, label, bar):
    # The products' arithmetic per second (predict_flop_per_sample / train_flop_per_sample: 2 k n per Dense layer's
    # product, see TrainingBenchmarks.cs), as a share of the two threads' multiply-add rate measured around that
    # program's run in the same round (the mean of the checks before and after it): how near each side came to what the
    # cores can do, and the share the bar (bar x PyTorch's median) would take.
    field = label + "_flop_per_sample"
    flops = next((r[field] for r in rows if r["peer"] == "dendrite" and r["workload"] == name and field in r), None)
    if not flops or not fma: return
    def shares(peer, workload, runs):
        out = []
        for i, r in enumerate([r for r in rows if r["peer"] == peer and r["workload"] == workload and key in r], 1):
            around = [fma.get(k) for k in runs(i)]
            out.append(None if None in around else r[key]["median"] * flops / 1e9 / statistics.mean(around))
        return out
    ours = shares("dendrite", name, lambda i: [("torch", i, "after"), ("dendrite", i, "after")])
    theirs = shares("torch", peer_name, lambda i: [("torch", i, "before"), ("torch", i, "after")])
    rate = statistics.median(v for k, v in fma.items() if k[0] == "dendrite" or k[2] == "after")
    fmt = lambda v: ", ".join("?" if x is None else f"{x:.0%}" for x in v)
    print(f"{name} {label}, share of the two threads' FMA rate ({flops / 1e6:.3f} MFLOP a sample), each round: Dendrite {fmt(ours)}; "
          f"PyTorch {fmt(theirs)}; {bar}x PyTorch's median would take {bar * peer_median * flops / 1e9 / rate:.0%} of the median rate {rate:.0f} GFLOP/s")
def med(peer, name, key):
    v = [r[key]["median"] if isinstance(r[key], dict) else r[key] for r in rows if r["peer"] == peer and r["workload"] == name and key in r]
    return statistics.median(v) if v else None
for name in dict.fromkeys(r["workload"] for r in rows if r["peer"] == "dendrite"):
    if name.startswith("W3"):
        d, t = med("dendrite", name, "seconds_20_epochs"), med("torch", name, "seconds_20_epochs")
        print(f"{name}: Dendrite {d:.4f} s, PyTorch {t:.4f} s, speed ratio {t / d:.2f}x")
        continue
    for key, label in (("train_samples_per_s", "train"), ("infer_samples_per_s_bs256", "predict")):
        d = med("dendrite", name, key)
        # W5: PyTorch's better layout (NCHW "W5 cifar-cnn" or "W5 cifar-cnn channels_last").
        peers = [(p, med("torch", p, key)) for p in (name, name + " channels_last")]
        peers = [(p, v) for p, v in peers if v]
        if d and peers:
            p, t = max(peers, key=lambda pv: pv[1])
            layout = " (channels_last)" if p.endswith("channels_last") else ""
            print(f"{name} {label}: Dendrite {d:,.0f}/s, PyTorch{layout} {t:,.0f}/s, ratio {d / t:.2f}x")
            # Round by round (each round runs the peer, then Dendrite): the machine's speed drifts between rounds, and a
            # ratio within one round compares runs minutes apart rather than across phases.
            ours = [r[key]["median"] for r in rows if r["peer"] == "dendrite" and r["workload"] == name and key in r]
            theirs = [r[key]["median"] for r in rows if r["peer"] == "torch" and r["workload"] == p and key in r]
            if len(ours) == len(theirs) > 1:
                print(f"{name} {label}, each round: {', '.join(f'{a / b:.2f}x' for a, b in zip(ours, theirs))}")
            # Issue 14's bars (BENCHMARKS.md); a workload without one is measured against 1x.
            bar = {("W1", "train"): 2.5, ("W2", "train"): 2.5, ("W4", "train"): 1.1, ("W7", "train"): 2.0,
                   ("W1", "predict"): 1.5, ("W2", "predict"): 1.5, ("W7", "predict"): 1.5}.get((name.split()[0], label), 1.0)
            fma_share(name, p, key, t, label, bar)
    f, s = med("dendrite", name, "first_epoch_samples_per_s"), med("dendrite", name, "train_samples_per_s")
    if f and s: print(f"{name} first epoch (fresh process): Dendrite {f:,.0f}/s, {f / s:.2f}x of its steady {s:,.0f}/s")
    # Each process's own first epoch against its own steady speed; "recording" marks a process that had no multicore
    # JIT profile to replay yet (the first run of a workload after a build: Dendrite.JitProfile).
    runs = [r for r in rows if r["peer"] == "dendrite" and r["workload"] == name and "first_epoch_samples_per_s" in r]
    if runs:
        each = [f'{r["first_epoch_samples_per_s"] / r["train_samples_per_s"]["median"]:.2f}x' + ("" if r.get("jit_profile_replayed", True) or r.get("build") == "aot" else " (recording)") for r in runs]
        print(f"{name} first epoch / steady, each process: {', '.join(each)}")
    a = med("dendrite", name, "alloc_bytes_per_step")
    if a is not None: print(f"{name}: {a:,.0f} bytes allocated per training step")
PY
rm -f "$out"
