#!/usr/bin/env bash
# Milliseconds per frame of buzzview under Xvfb's software renderer (Mesa llvmpipe) at
# 10,000, 100,000 and 1,000,000 agents: 120 frames at 1600x1000 while the campaign runs,
# at the speed one watches (24 ticks a second, a day a second), at top speed (2000 ticks a
# second: frames first, the run takes the ticks the frame rate leaves room for) and flat
# out (a screenshot without --speed: the run unbounded on one core). Each figure is the
# median of REPS runs: the drawing's milliseconds per frame and the frames per second seen
# (start to start, buffer swaps included); the tick reached shows how far the run got (its
# horizon is tick 2160).
# Usage: bench/viewer.sh [REPS] [BUZZVIEW...]   (default: 3 runs of build/bin/buzzview)
# A BUZZVIEW without --speed (an older build) is measured flat out only; one from before
# frames first runs flat out at 2000 too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-3}
shift || true
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$root/build/bin/buzzview")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"  # each graph is laid out once, then read from the cache
for n in 10000 100000 1000000; do
  cat > "$work/v$n.textproto" <<EOT
name: "viewer_$n"
description: "viewer benchmark"
seed: 1
replicates: 1
ticks: 2160
graph { communities { nodes: $n mean_degree: 20 } }
dynamics { campaign { brands { name: "brand" tone: 0.7 posts_per_week: 7 follower_share: 0.1
  reply_probability: 0.3 events { kind: CRISIS day: 5 share: 0.02 } } } }
EOT
  for speed in 24 2000 flat; do
    for b in "${binaries[@]}"; do
      speed_option=(--speed "$speed")
      [ "$speed" = flat ] && speed_option=()  # a screenshot without a speed plays flat out
      if ! "$b" --help | grep -q -- --speed; then
        [ "$speed" = flat ] || continue  # an older build: flat out only
      fi
      ms=() fps=() ticks=()
      for ((r = 0; r < reps; ++r)); do
        line=$(xvfb-run -a -s "-screen 0 1600x1000x24" "$b" "$work/v$n.textproto" "${speed_option[@]}" \
          --screenshot "$work/v$n.png" --frames 120 --size 1600x1000 2>&1 | grep "frames of")
        ms+=("$(sed -E 's/.*: ([0-9.]+) ms per frame.*/\1/' <<<"$line")")
        fps+=("$(sed -nE 's/.*\(([0-9.]+) frames per second seen\).*/\1/p' <<<"$line")")
        ticks+=("${line##* }")
      done
      median=$(printf '%s\n' "${ms[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
      seen=$(printf '%s\n' "${fps[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
      label="$speed ticks/s" && [ "$speed" = flat ] && label="flat out"
      echo "$n agents, $label, $b: median $median ms per frame, ${seen:-n/a} frames per second seen (runs: ${ms[*]}; ticks reached: ${ticks[*]})"
    done
  done
done
