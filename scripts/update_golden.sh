#!/usr/bin/env bash
# Rewrites tests/golden/ (every shipped scenario's outputs at a short horizon) from the
# current build, after a change of results that is meant; `git diff tests/golden` then
# shows what changed, to be explained in the commit.
# Usage: scripts/update_golden.sh   (after scripts/build.sh or scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BUZZ_UPDATE_GOLDEN=1 build/bin/buzz_tests "every file in scenarios/ loads and runs briefly" > /dev/null
git status --short tests/golden | head -50
