#!/usr/bin/env bash
# A graph built once and read back: the default community graph of N people (mean degree
# 20) saved with `buzzsim graph`, then a 1-tick independent cascade on the saved file, as
# the time to a first result. Two runs at once give what each process holds privately
# (anonymous pages) against what it maps from the file (shared in the page cache), both
# sampled at 100 Hz, peak over the run. Medians of R, interleaved between the binaries.
# Usage: bench/saved_graph.sh [R] [N] BUZZSIM [OTHER_BUZZSIM...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-3}
n=${2:-1000000}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" graph "$root/scenarios/conversational.textproto" --set graph.communities.nodes="$n" \
  --out "$work/g.buzzgraph"
cat > "$work/run.textproto" <<SCENARIO
seed: 1
replicates: 1
ticks: 1
graph { buzzgraph { path: "g.buzzgraph" } }
dynamics { independent_cascade { p: 0.2 seeds { count: 10 } } }
SCENARIO
/usr/bin/python3 - "$reps" "$work" "$@" <<'PY'
import statistics, subprocess, sys, time
reps, work, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def run(b, copies):
    procs = [subprocess.Popen([b, "run", f"{work}/run.textproto", "--out", f"{work}/out{i}",
                               "--overwrite", "--threads", "1"], stdout=subprocess.DEVNULL)
             for i in range(copies)]
    t0, anon, file = time.perf_counter(), 0, 0
    while any(p.poll() is None for p in procs):
        anon = max(anon, sum(status_kb(p.pid, "RssAnon") for p in procs))
        file = max(file, sum(status_kb(p.pid, "RssFile") for p in procs))
        time.sleep(0.01)
    if any(p.returncode != 0 for p in procs):
        sys.exit(f"{b} failed")
    return time.perf_counter() - t0, anon / 1024, file / 1024

one, two = {}, {}
for _ in range(reps):
    for b in binaries:
        one.setdefault(b, []).append(run(b, 1))
        two.setdefault(b, []).append(run(b, 2))
med = lambda rows, i: statistics.median(r[i] for r in rows)
print(f"median of {reps}; MB are peaks summed over the processes")
print(f"{'binary':>40} {'1 run s':>8} {'anon MB':>8} {'file MB':>8} {'2 runs s':>9} {'anon MB':>8} {'file MB':>8}")
for b in binaries:
    print(f"{b[-40:]:>40} {med(one[b], 0):8.2f} {med(one[b], 1):8.0f} {med(one[b], 2):8.0f} "
          f"{med(two[b], 0):9.2f} {med(two[b], 1):8.0f} {med(two[b], 2):8.0f}")
PY
