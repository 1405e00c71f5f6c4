#!/usr/bin/env bash
# The full recovery check of `buzzsim calibrate` (simulation-based calibration, Talts et
# al. 2018): 20 trials, each drawing organic_reach and engage_log_odds from their priors,
# simulating a small page's posts from them, and calibrating to those posts with 100
# particles and 5 generations. Prints how often the truth lies inside the posterior's 90%
# credible interval (80-100% is calibrated) and the time it took; bench/RESULTS.md records it.
# Usage: bench/calibration_recovery.sh [TRIALS]   (after scripts/test.sh has built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
start=$(date +%s)
BUZZ_RECOVERY_TRIALS=$trials build/bin/buzz_tests "[recovery-full]" 2>/dev/null |
  grep -E "^recovery:|passed|failed"
echo "wall time: $(( $(date +%s) - start )) s on $(nproc) cores"
