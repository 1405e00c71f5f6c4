#!/usr/bin/env bash
# compare --uncertainty over 2 MPI ranks equals the same comparison in one process.
# Usage: mpi_uncertainty.sh BUZZSIM SCENARIO_A SCENARIO_B
set -euo pipefail
buzzsim=$1 a=$2 b=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="--uncertainty 8 --replicates 2 --ticks 240"
"$buzzsim" compare "$a" "$b" $flags --out "$work/one" >/dev/null 2>&1
mpirun -n 2 --allow-run-as-root --oversubscribe "$buzzsim" compare "$a" "$b" $flags \
  --out "$work/two" > "$work/two.log" 2>&1
grep -q "over 2 ranks" "$work/two.log"
for f in uncertainty.csv sensitivity.csv draws.csv compare.csv uncertainty.txt; do
  cmp "$work/one/$f" "$work/two/$f"
done
echo "2-rank comparison under uncertainty equals the single-process one"
