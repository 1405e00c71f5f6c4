#!/usr/bin/env bash
# SIGINT or SIGTERM stops run and sweep within a second of the signal, leaves no output
# folder and no hidden staging folder, and an interrupted sweep resumes to the end.
# Usage: interrupt.sh BUZZSIM
set -euo pipefail
buzzsim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/long.textproto" <<'SCENARIO'
replicates: 2
ticks: 1000000
graph { communities { nodes: 20000 mean_degree: 10 } }
dynamics { campaign { brands { follower_share: 0.1 posts_per_week: 7 } } }
outputs { record_every: 1000 }
SCENARIO

# Sends $2 to the command once a file matching $1 exists (it is under way); prints its exit
# status and how long it took to stop.
stop_after() {
  local ready=$1 signal=$2
  shift 2
  "$@" >"$work/log" 2>&1 &
  local pid=$!
  for _ in $(seq 600); do
    compgen -G "$ready" >/dev/null && break
    sleep 0.05
  done
  sleep 0.2
  local sent
  sent=$(date +%s.%N)
  kill "-$signal" "$pid"
  local status=0
  wait "$pid" || status=$?
  echo "$status $(awk -v a="$(date +%s.%N)" -v b="$sent" 'BEGIN { printf "%.3f", a - b }')"
}

for signal in INT TERM; do
  # Under way: its staging folder exists.
  read -r status took < <(stop_after "$work/runs/.long.staging-*" "$signal" \
    "$buzzsim" run "$work/long.textproto" --out "$work/runs")
  [ "$status" = 130 ] || { echo "run: SIG$signal gave exit $status"; cat "$work/log"; exit 1; }
  awk -v t="$took" 'BEGIN { exit !(t < 1.0) }' || { echo "run: took $took s to stop"; exit 1; }
  [ -z "$(ls -A "$work/runs" 2>/dev/null)" ] || { echo "run: left $(ls -A "$work/runs")"; exit 1; }
  echo "run, SIG$signal: exit 130 after $took s, nothing left"
done

# A sweep of short points (each about a third of a second: a sweep that ends before the
# signal tests nothing): interrupted, then resumed to the same end as an uninterrupted one.
cat >"$work/sweep.textproto" <<'SCENARIO'
replicates: 1
ticks: 8000
graph { communities { nodes: 100000 mean_degree: 10 } }
dynamics { campaign { brands { follower_share: 0.1 posts_per_week: 7 } } }
outputs { record_every: 100 }
sweep { axes { field: "campaign.tone" values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] } }
SCENARIO
read -r status took < <(stop_after "$work/sweep/points/point-*" INT \
  "$buzzsim" sweep "$work/sweep.textproto" --out "$work/sweep")
[ "$status" = 130 ] || { echo "sweep: exit $status"; cat "$work/log"; exit 1; }
awk -v t="$took" 'BEGIN { exit !(t < 1.0) }' || { echo "sweep: took $took s to stop"; exit 1; }
done_before=$(ls "$work/sweep/points" | wc -l)
"$buzzsim" sweep "$work/sweep.textproto" --out "$work/sweep" --resume >/dev/null
"$buzzsim" sweep "$work/sweep.textproto" --out "$work/whole" >/dev/null
diff -r -x provenance.json "$work/sweep" "$work/whole"
echo "sweep: stopped after $took s with $done_before of 10 points, resumed to the same results"
