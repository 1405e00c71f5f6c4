#!/usr/bin/env bash
# The main job. With no argument: the built-in default comparison of two campaign
# scenarios. With arguments: `buzzsim run` with them, e.g.
#   scripts/run.sh scenarios/influencer_seeding.textproto --out runs --threads 2
# Installs what is missing and builds first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build
"$root/scripts/build.sh" -DBUZZ_TESTS=OFF >/dev/null

if [ $# -eq 0 ]; then
  out="$root/runs/default"
  echo "Default comparison: the same message seeded with 20 influencers or 20 random people."
  echo
  "$root/build/bin/buzzsim" run --out "$out" --overwrite \
    "$root/scenarios/influencer_seeding.textproto" "$root/scenarios/random_seeding.textproto"
  echo
  echo "Outputs (timeseries.csv, summary.csv, summary.json, result.binpb, provenance.json) are in $out/"
else
  exec "$root/build/bin/buzzsim" run "$@"
fi
