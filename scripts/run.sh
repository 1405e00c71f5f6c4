#!/usr/bin/env bash
# The main job. With no argument: the default comparison of two campaign scenarios, its
# verdicts in plain words and report.html. With arguments: `buzzsim run` with them, e.g.
#   scripts/run.sh scenarios/classic/influencer_seeding.textproto --out runs --threads 2
# Installs what is missing and builds first, saying so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo "run.sh: checking the Debian packages buzzsim needs (installing any that are missing)" >&2
"$root/scripts/deps.sh" build
echo "run.sh: building buzzsim (Release) into build/" >&2
"$root/scripts/build.sh" -DBUZZ_TESTS=OFF >&2

if [ $# -eq 0 ]; then
  out="$root/runs/default"
  echo
  echo "Default comparison: the same brand, three posts a week for 90 days, talking to people"
  echo "(conversational, answering comments) or at them (broadcast), on common random numbers."
  echo
  "$root/build/bin/buzzsim" compare --out "$out" --overwrite \
    "$root/scenarios/conversational.textproto" "$root/scenarios/broadcast.textproto"
  echo
  echo "Report: $out/report.html (open it in a browser); each scenario's own outputs are in"
  echo "$out/<scenario>/."
else
  exec "$root/build/bin/buzzsim" run "$@"
fi
