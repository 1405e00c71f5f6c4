"""The buzzsim Python package against the command line it wraps.

Run by CTest with PYTHONPATH=build/python and BUZZSIM=build/bin/buzzsim.
"""

import json
import os
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

import buzzsim

ROOT = Path(__file__).resolve().parents[2]
BUZZSIM = os.environ.get("BUZZSIM", str(ROOT / "build" / "bin" / "buzzsim"))
CONVERSATIONAL = str(ROOT / "scenarios" / "conversational.textproto")

SMALL_SIR = """
name: "small_sir"
seed: 5
replicates: 3
ticks: 40
graph { erdos_renyi { nodes: 2000 mean_degree: 8 } }
dynamics { sir { beta: 0.1 gamma: 0.3 seeds { count: 5 } } }
"""


SMALL_CAMPAIGN = """
name: "small_campaign"
seed: 7
replicates: 2
ticks: 72
graph { communities { nodes: 600 mean_degree: 10 } }
dynamics {
  campaign {
    brands { name: "brand" tone: 0.5 reply_probability: 0.5 posts_per_week: 3 follower_share: 0.2 }
  }
}
"""


def cli(*args):
    return subprocess.run([BUZZSIM, *args], capture_output=True, text=True)


class Tmp(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()


class SameNumbersAsTheCommandLine(Tmp):
    def test_notebook_cell_matches_the_cli_run(self):
        # The cell, and the same run from the command line.
        summary = (
            buzzsim.load(CONVERSATIONAL).set("campaign.tone", 0.2).run(replicates=4, ticks=720).summary
        )
        self.assertIsInstance(summary, pd.DataFrame)
        self.assertIn("engagement_rate", summary.index)
        done = cli("run", CONVERSATIONAL, "--set", "campaign.tone=0.2", "--replicates", "4",
                   "--ticks", "720", "--out", str(self.tmp))
        self.assertEqual(done.returncode, 0, done.stderr)
        from_cli = buzzsim.read(self.tmp / "conversational")
        pd.testing.assert_frame_equal(summary, from_cli.summary, check_exact=True)

    def test_output_files_are_byte_identical_to_the_cli(self):
        s = buzzsim.loads(SMALL_SIR)
        s.run(out=str(self.tmp / "py"))
        path = self.tmp / "small.textproto"
        path.write_text(SMALL_SIR)
        done = cli("run", str(path), "--out", str(self.tmp / "cli"))
        self.assertEqual(done.returncode, 0, done.stderr)
        for name in ("timeseries.csv", "summary.csv", "summary.json", "result.binpb"):
            if name == "result.binpb":
                continue  # holds provenance, whose command line differs
            self.assertEqual((self.tmp / "py" / name).read_bytes(),
                             (self.tmp / "cli" / "small" / name).read_bytes(), name)

    def test_compare_matches_the_cli(self):
        a = buzzsim.loads(SMALL_SIR)
        b = buzzsim.loads(SMALL_SIR).set("dynamics.sir.beta", 0.05)
        c = buzzsim.compare(a, b, report=str(self.tmp / "report.html"))
        self.assertTrue(c.paired)
        self.assertIn("final_size", set(c.table["metric"]))
        self.assertTrue((self.tmp / "report.html").read_text().startswith("<!DOCTYPE html>"))
        (self.tmp / "a.textproto").write_text(SMALL_SIR)
        (self.tmp / "b.textproto").write_text(SMALL_SIR.replace("beta: 0.1", "beta: 0.05"))
        done = cli("compare", str(self.tmp / "a.textproto"), str(self.tmp / "b.textproto"),
                   "--out", str(self.tmp / "cmp"))
        self.assertEqual(done.returncode, 0, done.stderr)
        from_cli = pd.read_csv(self.tmp / "cmp" / "compare.csv", float_precision="round_trip")
        # Scenario names differ (the CLI names them by file); the numbers may not.
        numbers = [col for col in from_cli.columns if col not in ("scenario",)]
        pd.testing.assert_frame_equal(c.table[numbers], from_cli[numbers], check_exact=True)

    def test_backtest_matches_the_cli(self):
        # The test page: January fitted, February forecast (tests/cli/calibrate_page).
        page = str(ROOT / "tests" / "cli" / "calibrate_page" / "page.textproto")
        bt = buzzsim.load(page).backtest(out=str(self.tmp / "py"), horizon=1, threads=1)
        self.assertEqual(bt.origins, [1])
        done = cli("backtest", page, "--horizon", "1", "--threads", "1", "--out",
                   str(self.tmp / "cli"))
        self.assertEqual(done.returncode, 0, done.stderr)
        for name in ("backtest.csv", "forecasts.csv", "backtest.txt"):
            self.assertEqual((self.tmp / "py" / name).read_bytes(),
                             (self.tmp / "cli" / name).read_bytes(), name)
        months = bt.table[bt.table.scope == "held-out months"]
        self.assertEqual(set(months.match),
                         {"fan_reach ~ follower_reach", "engaged_users ~ engaged"})
        self.assertTrue(months.model_better_share.between(0, 1).all())
        self.assertTrue((months.sampling_noise >= 0).all())
        self.assertEqual(set(bt.forecasts.held_out), {0, 1})
        self.assertIn("fan_reach ~ follower_reach", set(bt.origin(1).prediction.match))
        with self.assertRaisesRegex(buzzsim.InputError, "no origin of 2 months"):
            bt.origin(2)
        with self.assertRaisesRegex(buzzsim.InputError, "horizon must be 1 to 120 months, got 0"):
            buzzsim.load(page).backtest(out=str(self.tmp / "bad"), horizon=0)
        self.assertFalse((self.tmp / "bad").exists())

    # A conversational and a broadcast brand as two scenario files, loaded.
    CAMPAIGN = """
        seed: 3
        replicates: %d
        ticks: %d
        graph { communities { nodes: %d mean_degree: 8 } }
        dynamics { campaign { brands { tone: %s posts_per_week: 7 } } }
        """

    def two_campaigns(self, replicates, ticks, nodes):
        for name, tone in (("a", "0.9"), ("b", "0.2")):
            text = self.CAMPAIGN % (replicates, ticks, nodes, tone)
            (self.tmp / f"{name}.textproto").write_text(text)
        return buzzsim.load(self.tmp / "a.textproto"), buzzsim.load(self.tmp / "b.textproto")

    def test_compare_under_uncertainty_matches_the_cli(self):
        a, b = self.two_campaigns(2, 240, 1500)
        c = buzzsim.compare(a, b, uncertainty=8)
        self.assertIn("verdict", c.uncertainty.columns)
        self.assertEqual(len(c.draws), 8)
        done = cli("compare", str(self.tmp / "a.textproto"), str(self.tmp / "b.textproto"),
                   "--uncertainty", "8", "--out", str(self.tmp / "u"))
        self.assertEqual(done.returncode, 0, done.stderr)
        pd.testing.assert_frame_equal(
            c.uncertainty,
            pd.read_csv(self.tmp / "u" / "uncertainty.csv", float_precision="round_trip"))
        with self.assertRaises(buzzsim.InputError):
            text = self.CAMPAIGN % (2, 240, 1500, "0.5")
            buzzsim.compare(buzzsim.loads(text), b, uncertainty=8)  # text, not a file
        with self.assertRaises(buzzsim.InputError):
            buzzsim.compare(a, b, uncertainty=3)  # too few draws to summarise

    def test_compare_with_sobol_matches_the_cli(self):
        a, b = self.two_campaigns(1, 48, 200)
        c = buzzsim.compare(a, b, uncertainty=32, sobol=True)
        self.assertEqual(len(c.draws), 64)  # the design's A and B rows
        self.assertIn("total_effect", c.sobol.columns)
        done = cli("compare", str(self.tmp / "a.textproto"), str(self.tmp / "b.textproto"),
                   "--uncertainty", "32", "--sobol", "--out", str(self.tmp / "s"))
        self.assertEqual(done.returncode, 0, done.stderr)
        pd.testing.assert_frame_equal(
            c.sobol, pd.read_csv(self.tmp / "s" / "sobol.csv", float_precision="round_trip"))
        with self.assertRaises(buzzsim.InputError):
            buzzsim.compare(a, b, sobol=True)  # no base sample
        with self.assertRaises(buzzsim.InputError):
            buzzsim.compare(a, b, uncertainty=8, sobol=True)  # A and B columns repeat

    def test_file_sweep_matches_the_cli(self):
        text = SMALL_SIR + 'sweep { axes { field: "dynamics.sir.beta" values: [0.05, 0.2] } }\n'
        path = self.tmp / "sw.textproto"
        path.write_text(text)
        py = buzzsim.load(path).sweep(out=str(self.tmp / "py-sweep"))
        done = cli("sweep", str(path), "--out", str(self.tmp / "cli-sweep"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(py.fields, ["dynamics.sir.beta"])
        self.assertEqual((self.tmp / "py-sweep" / "results.csv").read_bytes(),
                         (self.tmp / "cli-sweep" / "results.csv").read_bytes())
        self.assertEqual(len(py.results), 2 * 3)

    def test_grid_sweep_is_the_cli_sweep_byte_for_byte(self):
        # The same study from Python's axes and from a sweep block: the same two tables,
        # column names and all (one code path: buzzsim sweep's).
        study = SMALL_CAMPAIGN + (
            'sweep {\n  axes { presets { name: "conversational" } presets { name: "broadcast" } }\n'
            '  axes { field: "campaign.posts_per_week" values: [1, 7] }\n}\n'
        )
        path = self.tmp / "study.textproto"
        path.write_text(study)
        done = cli("sweep", str(path), "--out", str(self.tmp / "cli"))
        self.assertEqual(done.returncode, 0, done.stderr)
        py = buzzsim.loads(SMALL_CAMPAIGN).sweep(
            {"preset": ["conversational", "broadcast"], "campaign.posts_per_week": [1, 7]},
            out=str(self.tmp / "py"),
        )
        for table in ("results.csv", "points.csv"):
            self.assertEqual((self.tmp / "py" / table).read_bytes(),
                             (self.tmp / "cli" / table).read_bytes(), table)
        self.assertEqual(py.fields, ["preset", "dynamics.campaign.brands[0].posts_per_week"])
        self.assertEqual(list(py.points["preset"]), ["conversational"] * 2 + ["broadcast"] * 2)
        self.assertIn("reach_ci95_low", py.points.columns)
        # Without out, the same tables from a folder that is removed afterwards.
        again = buzzsim.loads(SMALL_CAMPAIGN).sweep(
            {"preset": ["conversational", "broadcast"], "campaign.posts_per_week": [1, 7]})
        self.assertIsNone(again.folder)
        pd.testing.assert_frame_equal(again.points, py.points)

    def test_presets_are_the_settings_they_name(self):
        base = buzzsim.loads(SMALL_CAMPAIGN)
        named = base.sweep({"voice": ["broadcast"]}, replicates=2)
        own = base.sweep({"voice": {"broadcast": {"campaign.tone": 0.1,
                                                  "campaign.reply_probability": 0}}}, replicates=2)
        by_set = base.copy().set("campaign.tone", 0.1).set("campaign.reply_probability", 0)
        ran = by_set.run(replicates=2)
        self.assertEqual(list(named.points["voice"]), ["broadcast"])
        pd.testing.assert_frame_equal(named.points, own.points)
        self.assertEqual(named.points.loc[0, "reach"], ran.summary.loc["reach", "mean"])
        # An enum field's names: the field's column, one point per name.
        regular = base.sweep({"campaign.regularity": ["REGULAR", "SPORADIC"]}, replicates=1)
        self.assertEqual(list(regular.points["dynamics.campaign.brands[0].regularity"]),
                         ["REGULAR", "SPORADIC"])
        for bad, words in [({"voice": ["conversationl"]}, 'did you mean "conversational"'),
                           ({"campaign.tone": ["a", 1]}, "mixes names and numbers"),
                           ({"voice": {"loud": {"campaign.tone": 1.5}}}, "must be in [0, 1]")]:
            with self.assertRaises(buzzsim.InputError) as caught:
                base.sweep(bad)
            self.assertIn(words, str(caught.exception))

    def test_grid_sweep_in_process(self):
        sw = buzzsim.loads(SMALL_SIR).sweep({"dynamics.sir.beta": [0.02, 0.2]}, replicates=2)
        self.assertEqual(list(sw.points["dynamics.sir.beta"]), [0.02, 0.2])
        self.assertEqual(len(sw.results), 4)
        low, high = sw.points["final_size"]
        self.assertLess(low, high)  # more infectious, bigger outbreak
        one = buzzsim.loads(SMALL_SIR).set("dynamics.sir.beta", 0.2).run(replicates=2)
        self.assertEqual(high, one.summary.loc["final_size", "mean"])


class Scenarios(Tmp):
    def test_set_chains_and_records_provenance(self):
        s = buzzsim.load(CONVERSATIONAL).set("campaign.tone", 0.3).set("ticks", 48)
        self.assertEqual(s.ticks, 48)
        self.assertEqual(s.sets, ["campaign.tone=0.3", "ticks=48"])
        r = s.run(replicates=2)
        self.assertEqual(r.provenance["set"], ["campaign.tone=0.3", "ticks=48"])
        self.assertEqual(list(r.metrics["replicate"]), [0, 1])

    def test_bad_set_raises_with_the_parts_named(self):
        s = buzzsim.load(CONVERSATIONAL)
        with self.assertRaises(buzzsim.InputError) as caught:
            s.set("campaign.tone", 1.9)
        e = caught.exception
        self.assertIsInstance(e, ValueError)
        self.assertEqual(e.field, "dynamics.campaign.brands[0].tone")
        self.assertEqual(e.rule, "be in [0, 1]")
        self.assertEqual(e.value, "1.9")
        self.assertEqual(s.sets, [])  # the failed set is not kept
        with self.assertRaises(buzzsim.InputError) as caught:
            s.set("campaign.tonne", 0.5)
        self.assertIn("tone", str(caught.exception))  # the nearest field
        # Phrased as the call was written, with the file's hint for a share as a percentage.
        with self.assertRaises(buzzsim.InputError) as caught:
            s.set("campaign.follower_share", 10)
        message = str(caught.exception)
        self.assertTrue(message.startswith("set('campaign.follower_share', 10): "), message)
        self.assertNotIn("--set", message)
        self.assertIn("(a share is a fraction: did you mean 0.1?)", message)
        self.assertEqual(caught.exception.field, "dynamics.campaign.brands[0].follower_share")

    def test_a_bad_file_names_file_line_and_column(self):
        path = self.tmp / "bad.textproto"
        path.write_text(SMALL_SIR.replace("gamma: 0.3", "gamma: 3"))
        with self.assertRaises(buzzsim.InputError) as caught:
            buzzsim.load(path)
        e = caught.exception
        self.assertEqual(e.file, str(path))
        self.assertEqual(e.line, 7)
        self.assertGreater(e.column, 0)
        self.assertEqual(e.field, "dynamics.sir.gamma")

    def test_validate_catches_what_needs_the_graph(self):
        text = """
        ticks: 24
        graph { communities { nodes: 500 mean_degree: 6 } }
        dynamics { campaign { brands { target_community: 999 } } }
        """
        s = buzzsim.loads(text)  # the fields alone are fine
        with self.assertRaises(buzzsim.InputError) as caught:
            s.validate()
        self.assertIn("target_community", str(caught.exception))

    def test_from_dict_uses_the_json_mapping(self):
        d = {
            "name": "from_dict",
            "ticks": 30,
            "replicates": 2,
            "graph": {"erdos_renyi": {"nodes": 1000, "mean_degree": 6}},
            "dynamics": {"independent_cascade": {"p": 0.3, "seeds": {"count": 3}}},
        }
        s = buzzsim.from_dict(d)
        self.assertEqual(s.dynamics, "independent_cascade")
        self.assertEqual(s.replicates, 2)
        with self.assertRaises(buzzsim.InputError) as caught:
            buzzsim.from_dict({**d, "tick": 5})
        self.assertEqual(
            str(caught.exception),
            '<dict>: unknown field "tick" in Scenario; did you mean "ticks"?',
        )
        # In a nested block: its place and the block's own fields.
        nested = {"ticks": 10, "dynamics": {"campaign": {"brands": [{"posts_per_wek": 3}]}}}
        with self.assertRaises(buzzsim.InputError) as caught:
            buzzsim.from_dict(nested)
        self.assertEqual(
            str(caught.exception),
            '<dict>: dynamics.campaign.brands[0]: unknown field "posts_per_wek" in Brand; '
            'did you mean "posts_per_week"?',
        )

    def test_read_refuses_what_is_not_a_result(self):
        junk = self.tmp / "result.binpb"
        junk.write_bytes(b"\xff\xfe not a protobuf")
        with self.assertRaises(buzzsim.InputError):
            buzzsim.read(junk)
        with self.assertRaises(buzzsim.InputError):
            buzzsim.read(self.tmp / "missing")


class Running(unittest.TestCase):
    def test_progress_reports_every_replicate(self):
        seen = []
        buzzsim.loads(SMALL_SIR).run(progress=lambda done, total: seen.append((done, total)))
        self.assertEqual(sorted(seen), [(1, 3), (2, 3), (3, 3)])

    def test_the_gil_is_released_while_the_engine_runs(self):
        s = buzzsim.load(CONVERSATIONAL).set("ticks", 720)
        finished = threading.Event()

        def work():
            s.run(replicates=4, threads=1)
            finished.set()

        t = threading.Thread(target=work)
        t.start()
        spins = 0
        while not finished.is_set():
            spins += 1
            time.sleep(0.001)
        t.join()
        # Holding the GIL for the whole run would leave this thread a handful of turns.
        self.assertGreater(spins, 50)


class Stepping(unittest.TestCase):
    def test_stepping_to_the_horizon_gives_the_run(self):
        s = buzzsim.loads(SMALL_SIR)
        sim = s.simulation(replicate=1)
        self.assertEqual(sim.step(1000), 40)  # not past the horizon
        run = s.run().timeseries
        rep = run[run["replicate"] == 1].drop(columns=["replicate"]).reset_index(drop=True)
        stepped = sim.timeseries[rep.columns]
        counts = [c for c in rep.columns if c != "day"]  # day is printed rounded in the CSV
        np.testing.assert_array_equal(stepped[counts].to_numpy(dtype=float),
                                      rep[counts].to_numpy(dtype=float))
        np.testing.assert_allclose(stepped["day"], rep["day"], rtol=1e-5)

    def test_states_are_one_byte_per_agent_and_match_the_counts(self):
        sim = buzzsim.loads(SMALL_SIR).simulation()
        sim.step(10)
        states = sim.states()
        self.assertEqual(states.dtype, np.uint8)
        self.assertEqual(states.shape, (2000,))
        self.assertEqual(sim.state_names, ["susceptible", "infectious", "recovered"])
        last = sim.timeseries.iloc[-1]
        counts = sim.state_counts()
        self.assertEqual(counts["infectious"], last["infectious"])
        self.assertEqual(counts["recovered"], last["recovered"])

    def test_controls_and_events_change_what_follows(self):
        base = buzzsim.load(CONVERSATIONAL).set("ticks", 24 * 20)
        quiet, hit = base.simulation(), base.simulation()
        quiet.step(24)
        hit.step(24)
        hit.trigger("crisis", 0.3)
        quiet.step(24 * 5)
        hit.step(24 * 5)
        self.assertGreater(hit.timeseries["complaints"].sum(), quiet.timeseries["complaints"].sum())
        hit.set_control("tone", 0.1)  # staged: it acts from the next tick
        hit.step()
        self.assertEqual(hit.controls().set_index("name").loc["tone", "value"], 0.1)
        with self.assertRaises(buzzsim.InputError):
            hit.set_control("tone", 7)
        with self.assertRaises(buzzsim.InputError):
            hit.set_control("volume", 0.5)
        with self.assertRaises(buzzsim.InputError):
            hit.trigger("earthquake")


class Installed(unittest.TestCase):
    """The package as pip installs it (tests/python/installed.sh sets BUZZSIM_INSTALLED)."""

    def test_imported_from_where_it_was_installed(self):
        where = os.environ.get("BUZZSIM_INSTALLED")
        if not where:
            self.skipTest("run from the build tree, not installed")
        self.assertTrue(Path(buzzsim.__file__).resolve().is_relative_to(Path(where).resolve()),
                        buzzsim.__file__)
        from importlib.metadata import version
        self.assertEqual(buzzsim.__version__.split("+")[0], version("buzzsim"))

    def test_python_dash_m_runs_the_command_line(self):
        import sys
        r = subprocess.run([sys.executable, "-m", "buzzsim", "--version"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), buzzsim.__version__)
        bad = subprocess.run([sys.executable, "-m", "buzzsim", "validate", "no_such.textproto"],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("no_such.textproto", bad.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
