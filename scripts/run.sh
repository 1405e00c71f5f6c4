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
  echo "Default comparison: the same brand, three posts a week for 90 days, talking to people"
  echo "(conversational, answering comments) or at them (broadcast)."
  echo
  "$root/build/bin/buzzsim" run --out "$out" --overwrite \
    "$root/scenarios/conversational.textproto" "$root/scenarios/broadcast.textproto"
  echo
  echo "Outputs (timeseries.csv, summary.csv, summary.json, result.binpb, provenance.json and"
  echo "the model's tables such as cascades.csv) are in $out/<scenario>/"
else
  exec "$root/build/bin/buzzsim" run "$@"
fi
