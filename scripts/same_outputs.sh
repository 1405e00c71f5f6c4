#!/usr/bin/env bash
# Runs every shipped scenario with two buzzsim binaries at 1 and 2 threads and reports any
# output file that differs. Provenance records the command, the time and the thread count,
# so provenance.json is skipped and result.binpb is compared without its provenance.
# Usage: scripts/same_outputs.sh OLD_BUZZSIM NEW_BUZZSIM [SCENARIO...]
# Used to show that a change meant not to alter results does not.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD_BUZZSIM NEW_BUZZSIM [SCENARIO...]" >&2; exit 2; }
old=$1 new=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
  mapfile -t files < <(find "$root/scenarios" -name '*.textproto' ! -path '*/sweeps/*' | sort)
else
  files=("$@")
fi
# result.binpb as text, less its provenance.
decoded() {
  protoc --decode=buzzsim.RunResult -I "$root/proto" "$root/proto/result.proto" <"$1" |
    sed '/^provenance {/,/^}/d'
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
differ=0 checked=0
for f in "${files[@]}"; do
  name=$(basename "$f" .textproto)
  for t in 1 2; do
    "$old" run "$f" --threads "$t" --out "$work/old$t" >/dev/null
    "$new" run "$f" --threads "$t" --out "$work/new$t" >/dev/null
  done
  for t in 1 2; do
    for out in "$work/old1/$name"/*; do
      file=$(basename "$out")
      [ "$file" = provenance.json ] && continue
      checked=$((checked + 1))
      if [ "$file" = result.binpb ]; then
        same=$(cmp -s <(decoded "$out") <(decoded "$work/new$t/$name/$file") && echo y || echo n)
      else
        same=$(cmp -s "$out" "$work/new$t/$name/$file" && echo y || echo n)
      fi
      if [ "$same" = n ]; then
        echo "differs: $name/$file (old at 1 thread vs new at $t threads)"
        differ=$((differ + 1))
      fi
    done
  done
  rm -rf "$work"/old? "$work"/new?
done
echo "${#files[@]} scenarios, $checked files compared, $differ differ"
[ "$differ" -eq 0 ]
