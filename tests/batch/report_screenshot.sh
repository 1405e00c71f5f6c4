#!/usr/bin/env bash
# The reports load in headless Chromium and their screenshots show the charts: the page is
# not blank and the scenarios' colours fill a good share of it. Three reports: a plain
# comparison, a calibration of a small page, and the strategist's what-if compared on that
# calibration's posterior at a tenth of the page's size (its verdict paragraph says where
# the draws came from and the population's scale).
# Usage: report_screenshot.sh BUZZSIM SOURCE_DIR [FOLDER]  (FOLDER: keep the PNGs there,
# as docs/ does)
set -euo pipefail
buzzsim=$1 source=$2 keep=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shoot() {  # shoot REPORT PNG HEIGHT
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --window-size=1300,"$3" \
    --screenshot="$2" "file://$1" >/dev/null 2>&1
}
"$buzzsim" compare "$source/scenarios/conversational.textproto" "$source/scenarios/broadcast.textproto" \
  --out "$work/cmp" --replicates 3 --ticks 480 >/dev/null
shoot "$work/cmp/report.html" "$work/report_compare.png" 1400

# The strategist's path on the small test page: calibrate, then a what-if with paid reach.
cp -r "$source/tests/cli/calibrate_page" "$work/page"
"$buzzsim" calibrate "$work/page/page.textproto" --out "$work/cal" >/dev/null 2>&1
sed 's/follower_share: 0.3/follower_share: 0.3 paid_reach: 0.05/' "$work/page/page.textproto" \
  | sed 's/^name: "small_page"/name: "with_ads"/' > "$work/page/with_ads.textproto"
"$buzzsim" compare "$work/page/page.textproto" "$work/page/with_ads.textproto" \
  --posterior "$work/cal/posterior.csv" --uncertainty 8 --replicates 2 \
  --set population.scale=0.1 --out "$work/whatif" >/dev/null 2>&1
grep -q "resampled by weight from the 20 particles of the posterior" "$work/whatif/report.html"
grep -q "at 0.1 of the real one (population.scale)" "$work/whatif/report.html"
grep -q "In words" "$work/cal/posterior.txt"
shoot "$work/cal/report.html" "$work/report_calibration.png" 1500
shoot "$work/whatif/report.html" "$work/report_whatif.png" 1500

/usr/bin/python3 - "$work" <<'PY'
import sys
from PIL import Image
def check(name, colours):
    image = Image.open(f"{sys.argv[1]}/{name}").convert("RGB")
    pixels = list(image.getdata())
    near = lambda p, c, tol=40: all(abs(a - b) <= tol for a, b in zip(p, c))
    counts = [sum(near(p, c) for p in pixels) for c in colours]
    white = sum(p == (255, 255, 255) for p in pixels)
    print(f"{name} {image.size}: colours {counts}, {white} white pixels")
    assert white < 0.97 * len(pixels), f"{name}: the page is blank"
    assert all(n > 2000 for n in counts), f"{name}: the charts' colours are missing"
blue, orange = (31, 119, 180), (255, 127, 14)
check("report_compare.png", [blue, orange])
check("report_whatif.png", [blue])
check("report_calibration.png", [blue])
PY
if [[ -n "$keep" ]]; then cp "$work"/report_*.png "$keep"/; fi
