#!/usr/bin/env bash
# report.html loads in headless Chromium and the screenshot shows the charts: the page is
# not blank and the scenarios' colours fill a good share of it.
# Usage: report_screenshot.sh BUZZSIM SOURCE_DIR
set -euo pipefail
buzzsim=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$buzzsim" compare "$source/scenarios/conversational.textproto" "$source/scenarios/broadcast.textproto" \
  --out "$work/cmp" --replicates 3 --ticks 480 >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1300,1400 \
  --screenshot="$work/report.png" "file://$work/cmp/report.html" >/dev/null 2>&1
/usr/bin/python3 - "$work/report.png" <<'PY'
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
pixels = list(image.getdata())
def near(p, c, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(p, c))
blue = sum(near(p, (31, 119, 180)) for p in pixels)      # first scenario
orange = sum(near(p, (255, 127, 14)) for p in pixels)    # second scenario
white = sum(p == (255, 255, 255) for p in pixels)
print(f"{image.size}: {blue} blue, {orange} orange, {white} white pixels")
assert white < 0.97 * len(pixels), "the page is blank"
assert blue > 2000 and orange > 2000, "the charts' colours are missing"
PY
