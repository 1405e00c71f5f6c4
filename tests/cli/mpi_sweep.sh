#!/usr/bin/env bash
# A sweep over 2 MPI ranks equals the same sweep in one process, file by file.
# Usage: mpi_sweep.sh BUZZSIM SCENARIO
set -euo pipefail
buzzsim=$1 scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$buzzsim" sweep "$scenario" --out "$work/one" --ticks 240 >/dev/null
mpirun -n 2 --allow-run-as-root --oversubscribe "$buzzsim" sweep "$scenario" --out "$work/two" \
  --ticks 240 > "$work/two.log"
grep -q "over 2 ranks" "$work/two.log"
diff -r -x provenance.json "$work/one" "$work/two"
echo "2-rank sweep equals the single-process sweep: $(ls "$work/two/points" | wc -l) points"
