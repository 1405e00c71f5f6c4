#!/usr/bin/env bash
# Start-up cost of buzzsim on a tiny scenario (what a batch of thousands of small files
# pays per file): median wall time of `--version`, `validate` and `run` over N runs each,
# interleaved between the binaries given so that they share the machine's state.
# Usage: bench/startup.sh [N] BUZZSIM [OTHER_BUZZSIM...]
set -euo pipefail
n=${1:-40}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/tiny.textproto" <<'SCENARIO'
ticks: 5
graph { erdos_renyi { nodes: 100 mean_degree: 4 } }
dynamics { independent_cascade { p: 0.2 seeds { count: 2 } } }
SCENARIO
/usr/bin/python3 - "$n" "$work" "$@" <<'PY'
import statistics, subprocess, sys, time
n, work, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
tiny = f"{work}/tiny.textproto"
commands = {
    "--version": lambda b: [b, "--version"],
    "validate": lambda b: [b, "validate", tiny],
    "run": lambda b: [b, "run", tiny, "--out", f"{work}/out", "--overwrite"],
}
times = {(b, c): [] for b in binaries for c in commands}
for _ in range(n):
    for c, make in commands.items():
        for b in binaries:
            t0 = time.perf_counter()
            subprocess.run(make(b), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[(b, c)].append(time.perf_counter() - t0)
print(f"median of {n} runs, ms")
print(f"{'command':<12}" + "".join(f"{b[-40:]:>42}" for b in binaries))
for c in commands:
    print(f"{c:<12}" + "".join(f"{1000 * statistics.median(times[(b, c)]):>42.1f}" for b in binaries))
PY
