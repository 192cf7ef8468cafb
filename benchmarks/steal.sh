# Sourced by compare*.sh: the share of the vCPUs' time the hypervisor gave to other guests ("steal" in /proc/stat)
# while the rounds ran. Both programs lose it, but not evenly: on 2026-12-03, minutes with 5-25% stolen moved both
# programs' figures by up to 2x between rounds. A low figure does not prove a quiet host (a busy sibling hyperthread
# slows a vCPU without stealing from it: a run with 1.4% stolen still had rounds at 1.6x and 4.3x), so read the ratios
# round by round as well.
steal_mark() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat 2>/dev/null || echo "0 0"; }
steal_begin=$(steal_mark)
steal_report() {
  local end; end=$(steal_mark)
  awk -v a="$steal_begin" -v b="$end" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; s = y[2] - x[2];
    if (t > 0) printf "Host steal during the rounds: %.1f%% of the vCPUs'"'"' time (/proc/stat; above ~1%%, other guests took time from both programs)\n", 100 * s / t }'
}
