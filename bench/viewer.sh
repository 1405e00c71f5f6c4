#!/usr/bin/env bash
# Milliseconds per frame of buzzview under Xvfb's software renderer (Mesa llvmpipe) at
# 10,000, 100,000 and 1,000,000 agents: 120 frames at 1600x1000 while the campaign runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"  # lay each graph out afresh: the layout time is reported
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
  xvfb-run -a -s "-screen 0 1600x1000x24" "$root/build/bin/buzzview" "$work/v$n.textproto" \
    --screenshot "$work/v$n.png" --frames 120 --until-day 10 --size 1600x1000 2>&1 | grep -E "layout|frames"
done
