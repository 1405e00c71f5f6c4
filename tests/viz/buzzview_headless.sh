#!/usr/bin/env bash
# buzzview under Xvfb: the screenshot after N frames is not blank, shows at least three
# state colours, and has a legend and a timeline panel. Also: bad input fails as in
# buzzsim validate (status 2), and no display gives a clear message, not a crash.
# Usage: buzzview_headless.sh BUZZVIEW BUZZSIM SOURCE_DIR
set -euo pipefail
buzzview=$1 buzzsim=$2 source=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"
scenario="$source/scenarios/crisis_silent.textproto"

xvfb-run -a -s "-screen 0 1280x800x24" "$buzzview" "$scenario" --screenshot "$work/shot.png" \
  --frames 60 --size 1280x800 --until-day 34 > "$work/out.txt"
cat "$work/out.txt"
/usr/bin/python3 - "$work/shot.png" "$work/out.txt" <<'PY'
import re, sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
w, h = image.size
panels = dict((name, tuple(map(int, box.split(",")))) for name, box in
              re.findall(r"(legend|timeline) ([\d,]+)", open(sys.argv[2]).read()))
states = {"unaware": (0x5a, 0x60, 0x66), "aware": (0x64, 0xb5, 0xf6), "engaged": (0x1e, 0x88, 0xe5),
          "advocate": (0x43, 0xa0, 0x47), "annoyed": (0xff, 0xb3, 0x00), "detractor": (0xe5, 0x39, 0x35)}
def count(box, colour, tol=12):
    x, y, bw, bh = box
    region = image.crop((x, y, x + bw, y + bh)).getdata()
    return sum(all(abs(a - b) <= tol for a, b in zip(p, colour)) for p in region)
pixels = list(image.getdata())
distinct = len(set(pixels[::7]))
assert distinct > 50, f"the screenshot is blank ({distinct} colours)"
graph_area = (0, 0, panels["timeline"][2], panels["timeline"][1])
seen = {name: count(graph_area, c) for name, c in states.items()}
print("state colours in the graph:", seen)
assert sum(n > 30 for n in seen.values()) >= 3, "fewer than three state colours"
legend = {name: count(panels["legend"], c, tol=2) for name, c in states.items()}
print("legend swatches:", legend)
assert all(n >= 50 for n in legend.values()), "the legend is missing"
line = count(panels["timeline"], (90, 170, 255), tol=30)
print("timeline plot pixels:", line)
assert line > 200, "the timeline panel is missing"
PY

# An abstract model: a Watts cascade, paused at a tick (not a day), shows its own states
# (inactive grey, active red), a legend of just those, and a time axis in ticks.
xvfb-run -a -s "-screen 0 1280x800x24" "$buzzview" "$source/scenarios/classic/watts_threshold.textproto" \
  --screenshot "$work/watts.png" --frames 90 --size 1280x800 --until-tick 9 > "$work/watts.txt"
cat "$work/watts.txt"
grep -q "tick 9$" "$work/watts.txt" || { echo "watts: --until-tick 9 did not stop at tick 9"; exit 1; }
/usr/bin/python3 - "$work/watts.png" "$work/watts.txt" <<'PY'
import re, sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
panels = dict((name, tuple(map(int, box.split(",")))) for name, box in
              re.findall(r"(legend|timeline) ([\d,]+)", open(sys.argv[2]).read()))
def count(box, colour, tol=12):
    x, y, bw, bh = box
    return sum(all(abs(a - b) <= tol for a, b in zip(p, colour))
               for p in image.crop((x, y, x + bw, y + bh)).getdata())
graph_area = (0, 0, panels["timeline"][2], panels["timeline"][1])
inactive, active = (0x5a, 0x60, 0x66), (0xe5, 0x39, 0x35)
seen = {"inactive": count(graph_area, inactive), "active": count(graph_area, active)}
print("watts state colours in the graph:", seen)
assert seen["inactive"] > 100 and seen["active"] > 100, "a Watts cascade drew one colour"
# Two states: the legend is two rows high, not the campaign's six plus share lines.
assert panels["legend"][3] < 80, f"the legend has more than the model's states: {panels['legend']}"
assert count(panels["legend"], active, tol=2) >= 50
PY

# Two scenarios side by side: each pane draws its own run's agents (each has its texture).
xvfb-run -a -s "-screen 0 1280x800x24" "$buzzview" "$scenario" "$source/scenarios/crisis_responsive.textproto" \
  --screenshot "$work/two.png" --frames 30 --size 1280x800 --until-day 34 > "$work/two.txt"
cat "$work/two.txt"
/usr/bin/python3 - "$work/two.png" "$work/two.txt" <<'PY'
import re, sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
timeline = tuple(map(int, re.search(r"timeline ([\d,]+)", open(sys.argv[2]).read()).group(1).split(",")))
grey = (0x5a, 0x60, 0x66)
def count(box):
    return sum(all(abs(a - b) <= 12 for a, b in zip(p, grey)) for p in image.crop(box).getdata())
half = timeline[2] // 2
left, right = count((0, 0, half, timeline[1])), count((half, 0, 2 * half, timeline[1]))
print("unaware agents' pixels, left and right pane:", left, right)
assert left > 1000 and right > 1000, "a pane of the two is empty"
PY

# Bad input: the same message as buzzsim validate, status 2.
printf 'dynamics { sir { beta: 2 } }\n' > "$work/bad.textproto"
set +e
"$buzzview" "$work/bad.textproto" 2> "$work/view_err.txt"; view_status=$?
"$buzzsim" validate "$work/bad.textproto" 2> "$work/validate_err.txt"
set -e
[ "$view_status" -eq 2 ] || { echo "bad input: status $view_status, expected 2"; exit 1; }
diff "$work/view_err.txt" "$work/validate_err.txt"

# A speed out of range is a command-line error: status 2, naming the option.
set +e
"$buzzview" "$scenario" --speed 5000 2> "$work/speed.txt"; status=$?
set -e
[ "$status" -eq 2 ] || { echo "--speed 5000: status $status, expected 2"; exit 1; }
grep -q -- "--speed" "$work/speed.txt"

# No display: a message, status 1, no crash.
set +e
env -u DISPLAY -u WAYLAND_DISPLAY "$buzzview" "$scenario" 2> "$work/nodisplay.txt"; status=$?
set -e
cat "$work/nodisplay.txt"
[ "$status" -eq 1 ] || { echo "no display: status $status, expected 1"; exit 1; }
grep -q "no display" "$work/nodisplay.txt"
echo "buzzview headless checks passed"
