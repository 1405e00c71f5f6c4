#!/usr/bin/env bash
# calibrate and backtest over 2 MPI ranks equal the same runs in one process.
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
# The backtest's one origin the small page allows (one month fitted, one forecast).
"$buzzsim" backtest "$scenario" --horizon 1 --out "$work/bt_one" >/dev/null 2>&1
mpirun -n 2 --allow-run-as-root --oversubscribe "$buzzsim" backtest "$scenario" --horizon 1 \
  --out "$work/bt_two" > "$work/bt_two.log" 2>&1
grep -q "over 2 ranks" "$work/bt_two.log"
for f in backtest.csv forecasts.csv backtest.txt origin_1/posterior.csv; do
  cmp "$work/bt_one/$f" "$work/bt_two/$f"
done
echo "2-rank calibration and backtest equal the single-process ones"
