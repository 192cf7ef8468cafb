# Sourced by compare*.sh (after aot.sh, which defines `bench`, and with $out set): before and after each program's run,
# the multiply-add rate of one thread and of two (`bench fma`, ~0.5 s, FmaCheck.cs). On the 2-vCPU VMs two threads
# sometimes get one core's rate for seconds at a time, which halves FMA-bound figures; a round where one side had about
# one core's worth (the other's two) compares the machine's phases, not the programs. The check also prints a cache
# line's round trip between two threads: 60-100 ns on two cores of one core complex (or one core's two hyperthreads,
# which the FMA rate tells), 300-350 ns on cores further apart (FmaCheck.cs; the placements change within seconds).
fma_mark() { bench fma | sed "s/^{/{\"peer\": \"fma\", \"run\": \"$1\", \"round\": $2, \"when\": \"$3\", /" >> "$out"; }
# Prints the two-thread rate round by round: $1 the peer's run name in fma_mark, $2 its label (the check after the
# peer's run is the one before ours).
fma_report() {
  python3 - "$out" "$1" "$2" <<'PY'
import json, statistics, sys
fma = [json.loads(l) for l in open(sys.argv[1]) if '"peer": "fma"' in l]
peer, label = sys.argv[2], sys.argv[3]
if fma:
    by = {(d["run"], d["round"], d["when"]): d["two_threads_gflops"]["median"] for d in fma}
    g = lambda *k: f"{by[k]:.0f}" if k in by else "?"
    print("Two threads' FMA rate before -> after each run (GFLOP/s; one thread: %.0f), round by round: %s" % (
        statistics.median(d["one_thread_gflops"]["median"] for d in fma),
        ", ".join(f"{label} {g(peer, k, 'before')} -> {g(peer, k, 'after')} / Dendrite {g(peer, k, 'after')} -> {g('dendrite', k, 'after')}"
                  for k in sorted({d["round"] for d in fma}))))
    trip = {(d["run"], d["round"], d["when"]): d["round_trip_ns"]["median"] for d in fma if "round_trip_ns" in d}
    if trip:
        t = lambda *k: f"{trip[k]:.0f}" if k in trip else "?"
        print("A cache line's round trip between two threads before -> after each run (ns; 60-100 near, 300+ cores far apart): %s" % (
            ", ".join(f"{label} {t(peer, k, 'before')} -> {t(peer, k, 'after')} / Dendrite {t(peer, k, 'after')} -> {t('dendrite', k, 'after')}"
                      for k in sorted({d["round"] for d in fma}))))
PY
}
