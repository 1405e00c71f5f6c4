#!/usr/bin/env bash
# Throughput of many small runs: scenarios/conversational.textproto (20,000 people, 90 days)
# with 64 replicates, at 1 and 2 threads: replicates per second of `buzzsim run`, graph
# building and writing included. Median of R runs, interleaved between the binaries given.
# Usage: bench/many_runs.sh [R] BUZZSIM [OTHER_BUZZSIM...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-3}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$reps" "$work" "$root/scenarios/conversational.textproto" "$@" <<'PY'
import statistics, subprocess, sys, time
reps, work, scenario, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
times = {}
for _ in range(reps):
    for threads in (1, 2):
        for b in binaries:
            t0 = time.perf_counter()
            subprocess.run([b, "run", scenario, "--replicates", "64", "--threads", str(threads),
                            "--out", f"{work}/out", "--overwrite"], check=True,
                           stdout=subprocess.DEVNULL)
            times.setdefault((b, threads), []).append(time.perf_counter() - t0)
print(f"median of {reps} runs of 64 replicates")
for b in binaries:
    one, two = (statistics.median(times[(b, t)]) for t in (1, 2))
    print(f"{b[-40:]:>40}: 1 thread {one:.2f} s ({64 / one:.1f} replicates/s), "
          f"2 threads {two:.2f} s ({64 / two:.1f} replicates/s), scaling {one / two:.2f}")
PY
