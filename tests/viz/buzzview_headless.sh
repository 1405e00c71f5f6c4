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
# Okabe and Ito's palette (viz/colours.hpp).
states = {"unaware": (0x70, 0x70, 0x70), "aware": (0x56, 0xb4, 0xe9), "engaged": (0x00, 0x72, 0xb2),
          "advocate": (0xf0, 0xe4, 0x42), "annoyed": (0xe6, 0x9f, 0x00), "detractor": (0xd5, 0x5e, 0x00)}
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
# (inactive grey, active vermillion), a legend of just those, and a time axis in ticks.
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
inactive, active = (0x70, 0x70, 0x70), (0xd5, 0x5e, 0x00)
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
grey = (0x70, 0x70, 0x70)
def count(box):
    return sum(all(abs(a - b) <= 12 for a, b in zip(p, grey)) for p in image.crop(box).getdata())
half = timeline[2] // 2
left, right = count((0, 0, half, timeline[1])), count((half, 0, 2 * half, timeline[1]))
print("unaware agents' pixels, left and right pane:", left, right)
assert left > 1000 and right > 1000, "a pane of the two is empty"
PY

# The viewer at every size: SIR on 34, 1,000 and 100,000 people. Agents grow as the graph
# shrinks (discs of 16 pixels for 34 people, 2 for 100,000), ties are drawn up to 5,000 of
# them (and not with --no-ties), and each size shows all three states.
sir="$source/scenarios/classic/sir.textproto"
shot() {  # people, mean degree, tick, name, extra options
  xvfb-run -a -s "-screen 0 1280x800x24" "$buzzview" "$sir" --set graph.erdos_renyi.nodes="$1" \
    --set graph.erdos_renyi.mean_degree="$2" --until-tick "$3" --screenshot "$work/$4.png" \
    --frames 40 --size 1280x800 "${@:5}" > "$work/$4.txt"
  cat "$work/$4.txt"
}
shot 34 4 5 small
shot 34 4 5 small_bare --no-ties
shot 1000 4 5 middle
shot 100000 10 12 large
/usr/bin/python3 - "$work" <<'PY'
import re, sys
from PIL import Image
work = sys.argv[1]
grey, vermillion, sky_blue = (0x70, 0x70, 0x70), (0xd5, 0x5e, 0x00), (0x56, 0xb4, 0xe9)
# A tie: the grey at alpha 0x60 over the background (20, 23, 28).
tie = tuple(round(b + 0x60 / 255 * (g - b)) for g, b in zip(grey, (20, 23, 28)))
def measure(name):
    image = Image.open(f"{work}/{name}.png").convert("RGB")
    timeline = tuple(map(int, re.search(r"timeline ([\d,]+)", open(f"{work}/{name}.txt").read()).group(1).split(",")))
    pixels = list(image.crop((0, 0, timeline[2], timeline[1])).getdata())
    near = lambda c, tol: sum(all(abs(a - b) <= tol for a, b in zip(p, c)) for p in pixels)
    out = {"grey": near(grey, 4), "vermillion": near(vermillion, 4), "sky blue": near(sky_blue, 4),
           "ties": near(tie, 4)}
    print(name, out)
    return out
small, bare, middle, large = (measure(n) for n in ("small", "small_bare", "middle", "large"))
# 34 people: at least 10 are still susceptible at tick 5, each a disc of about 200 pixels
# (a 2-pixel square was 4 pixels: the karate club was 34 specks).
assert small["grey"] > 10 * 150, "34 agents are drawn small"
assert min(small["vermillion"], small["sky blue"]) > 150, "a state of the 34 is missing"
assert small["ties"] > 1000 and bare["ties"] < 50, "the 34 agents' 68 ties are not drawn, or not hidden"
# 1,000 people, 2,000 ties: drawn; agents of 6 pixels (about 28 each).
assert middle["ties"] > 5000, "1,000 agents' ties are not drawn"
assert middle["sky blue"] > 5 * 20, "1,000 agents' recovered are missing"
# 100,000 people: no ties, 2-pixel agents, and the epidemic's three states all visible.
assert large["ties"] < 0.01 * large["grey"], "ties drawn past 5,000"
assert large["grey"] > 20000 and large["vermillion"] > 200 and large["sky blue"] > 200, large
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
