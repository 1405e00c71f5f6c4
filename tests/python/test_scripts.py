"""The analysis scripts in scripts/ against inputs whose answer is known.

Run by CTest with Debian's Python (pandas, numpy).
"""

import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "data" / "facebook_page_2014" / "posts_2014_jan_sep.csv"
POSTS_THAT_DAY = ROOT / "scripts" / "posts_that_day.py"


def page_as_replay(rows):
    """A posts.csv whose replicate 0 is the page itself: follower reach and followers as
    the page counted them."""
    return pd.DataFrame({"replicate": 0, "post": range(len(rows)),
                         "follower_reach": rows.fan_reach, "followers": rows.page_likes})


class PostsThatDay(unittest.TestCase):
    def run_script(self, posts):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "posts.csv"
            posts.to_csv(path, index=False)
            return subprocess.run([sys.executable, str(POSTS_THAT_DAY), str(path)],
                                  capture_output=True, text=True)

    def test_the_page_replayed_as_itself_matches_at_every_level(self):
        page = pd.read_csv(PAGE)
        done = self.run_script(page_as_replay(page))
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[2:]}
        self.assertEqual(sorted(rows), ["1", "2", "3", "4+"])
        # The page's medians as docs/forecasting.md quotes them ("Posts that day"), the
        # model's equal to them, and inside the page's own interval.
        for level, share in {"1": "4.23", "2": "3.27", "3": "4.39", "4+": "3.81"}.items():
            cells = rows[level]
            self.assertEqual(cells[1], share, level)
            self.assertEqual(cells[2], share, level)
            self.assertEqual(cells[3], "1.0", level)
            low, high = (float(x) for x in cells[4].split("-"))
            self.assertLess(low, float(share), level)
            self.assertGreater(high, float(share), level)
            self.assertEqual(cells[-1], "True", level)
        self.assertEqual([int(rows[k][5]) for k in ("1", "2", "3", "4+")], [22, 184, 12, 25])

    def test_a_model_at_twice_the_page_is_outside_the_page_s_intervals(self):
        page = pd.read_csv(PAGE)
        posts = page_as_replay(page)
        posts["follower_reach"] *= 2
        done = self.run_script(posts)
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()[2:]
        self.assertEqual([line.split()[3] for line in lines], ["2.0"] * 4)
        # Twice 4.39% is inside the wide interval of the 12 posts on days of three.
        self.assertEqual([line.split()[-1] for line in lines], ["False", "False", "True", "False"])

    def test_a_replay_of_another_calendar_is_refused(self):
        page = pd.read_csv(PAGE)
        done = self.run_script(page_as_replay(page.iloc[:100]))
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("100 posts per replicate", done.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
