#!/usr/bin/env bash
# calibrate over 2 MPI ranks equals the same calibration in one process.
# Usage: mpi_calibrate.sh BUZZSIM SCENARIO
set -euo pipefail
buzzsim=$1 scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$buzzsim" calibrate "$scenario" --out "$work/one" >/dev/null 2>&1
mpirun -n 2 --allow-run-as-root --oversubscribe "$buzzsim" calibrate "$scenario" \
  --out "$work/two" > "$work/two.log" 2>&1
grep -q "over 2 ranks" "$work/two.log"
for f in posterior.csv posterior.txt predictive.csv prediction.csv calibrated.textproto; do
  cmp "$work/one/$f" "$work/two/$f"
done
echo "2-rank calibration equals the single-process one"
