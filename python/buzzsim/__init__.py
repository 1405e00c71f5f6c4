"""buzzsim from Python: load a scenario, change any field, run, compare and sweep, and get
pandas DataFrames back.

    import buzzsim
    s = buzzsim.load("scenarios/conversational.textproto").set("campaign.tone", 0.2)
    r = s.run(replicates=4)
    r.summary        # one row per metric: mean, sd, 95% interval (summary.json)
    r.timeseries     # one row per replicate and recorded tick (timeseries.csv)

Numbers are the command line's: both write the same texts from the same code. Bad input
raises buzzsim.InputError, a ValueError whose attributes file, line, column, field, rule and
value name what is wrong.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core

InputError = _core.InputError
__version__ = _core.build_version()

__all__ = [
    "InputError",
    "Scenario",
    "Result",
    "Comparison",
    "Sweep",
    "Calibration",
    "Backtest",
    "Simulation",
    "load",
    "loads",
    "from_dict",
    "compare",
    "read",
]


def _read_table(source) -> pd.DataFrame:
    """A CSV the engine wrote, each number read back to the double it was written from
    (pandas' default parser can be a few units in the last place off)."""
    return pd.read_csv(source, float_precision="round_trip")


def _csv(text: str) -> pd.DataFrame:
    return _read_table(io.StringIO(text)) if text.strip() else pd.DataFrame()


def _value_text(value) -> str:
    """A Python value as --set writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise InputError(
        f"set: value must be a number, a bool or a string, got {type(value).__name__} {value!r}"
    )


def _text_progress(label: str) -> Callable[[int, int], None]:
    """A one-line progress report on stderr."""

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{label}: {done}/{total} runs{end}")
        sys.stderr.flush()

    return report


def _grid_axis(name: str, values) -> tuple:
    """One axis for _core.sweep_grid: (field or column, numbers, preset names, their sets)."""
    if isinstance(values, Mapping):  # presets of one's own: {name: {path: value}}
        names = [str(n) for n in values]
        sets = [
            [f"{path}={_value_text(v)}" for path, v in dict(settings).items()]
            for settings in values.values()
        ]
        return name, [], names, sets
    values = list(values)
    if not values:
        raise InputError(f"sweep: axis {name!r} must list at least one value, got none")
    if all(isinstance(v, str) for v in values):
        if "." in name:  # an enum field's names: each sets the field
            return name, [], values, [[f"{name}={v}"] for v in values]
        return name, [], values, []  # built-in presets
    if any(isinstance(v, str) for v in values):
        raise InputError(
            f"sweep: axis {name!r} mixes names and numbers ({values!r}); give one kind"
        )
    return name, [float(v) for v in values], [], []


def _progress(progress, label: str):
    if progress is True:
        return _text_progress(label)
    if progress in (None, False):
        return None
    return progress


class Scenario:
    """A scenario file, text or dict with --set overrides applied in order.

    set() changes this scenario and returns it, so calls chain; copy() first to keep the
    original. Every set() is checked at once: a bad path or value raises InputError.
    """

    def __init__(self, *, file=None, text=None, json_text=None, origin=None, base_dir="."):
        self._file = None if file is None else str(file)
        self._text = text if json_text is None else json_text
        self._json = json_text is not None
        self._origin = origin or ("<dict>" if self._json else "<text>")
        self._base_dir = str(base_dir)
        self._sets: list[str] = []
        self._config = self._load()

    def _load(self, seed=None, replicates=None, ticks=None):
        if self._file is not None:
            return _core.load(self._file, self._sets, seed, replicates, ticks)
        return _core.parse(
            self._text, self._origin, self._base_dir, self._json, self._sets, seed, replicates, ticks
        )

    # What the scenario is.
    @property
    def name(self) -> str:
        return self._config.name

    @property
    def file(self) -> Optional[str]:
        return self._file

    @property
    def text(self) -> str:
        """The scenario as it runs: defaults and overrides applied, in text format."""
        return self._config.text

    @property
    def sets(self) -> list[str]:
        """The overrides applied, as PATH=VALUE."""
        return list(self._sets)

    @property
    def seed(self) -> int:
        return self._config.seed

    @property
    def replicates(self) -> int:
        return self._config.replicates

    @property
    def ticks(self) -> int:
        return self._config.ticks

    @property
    def dynamics(self) -> str:
        return self._config.dynamics

    def values(self) -> dict:
        """Every value the scenario sets (defaults left out), by field path."""
        return dict(self._config.values())

    def __repr__(self) -> str:
        where = self._file or self._origin
        sets = f", {len(self._sets)} set" if self._sets else ""
        return f"<buzzsim.Scenario {self.name!r} ({self.dynamics}) from {where}{sets}>"

    # Changing it.
    def copy(self) -> "Scenario":
        other = Scenario.__new__(Scenario)
        other.__dict__.update(self.__dict__)
        other._sets = list(self._sets)
        return other

    def set(self, path: str, value) -> "Scenario":
        """Sets a field by the sweep's path syntax ("campaign.tone", "ticks",
        "dynamics.sir.beta"); returns this scenario."""
        entry = f"{path}={_value_text(value)}"
        self._sets.append(entry)
        try:
            self._config = self._load()
        except InputError as e:
            self._sets.pop()
            # The command line's "--set PATH=VALUE: " prefix, said as this call is written.
            message = str(e)
            prefix = f"--set {entry}: "
            if prefix in message:
                error = InputError(message.replace(prefix, f"set({path!r}, {value!r}): "))
                for part in ("file", "line", "column", "field", "rule", "value"):
                    setattr(error, part, getattr(e, part, None))
                raise error from None
            raise
        return self

    def validate(self) -> "Scenario":
        """Every check run, sweep and calibrate make (fields, sweep axes, calibrate block,
        memory, the rules that need the built graph); raises InputError on the first."""
        if self._file is not None:
            _core.validate_file(self._file, self._sets)
        else:
            _core.validate_config(self._config)
        return self

    def _with(self, seed=None, replicates=None, ticks=None):
        if seed is None and replicates is None and ticks is None:
            return self._config
        return self._load(seed, replicates, ticks)

    def _command_line(self, what: str) -> list[str]:
        line = ["python: buzzsim", what, self._file or self._origin]
        for s in self._sets:
            line += ["--set", s]
        return line

    # Running it.
    def run(
        self,
        *,
        replicates: Optional[int] = None,
        seed: Optional[int] = None,
        ticks: Optional[int] = None,
        threads: int = 0,
        out: Optional[str] = None,
        overwrite: bool = False,
        progress=None,
    ) -> "Result":
        """Runs every replicate (in parallel, without the GIL). With `out`, writes the
        folder `buzzsim run` writes (timeseries.csv, summary.json, result.binpb, ...).
        `progress`: True for a line on stderr, or a callable (done, total)."""
        config = self._with(seed, replicates, ticks)
        d = _core.run(
            config,
            threads,
            "" if out is None else str(out),
            overwrite,
            self._command_line("run"),
            _progress(progress, self.name),
        )
        return Result._from_texts(d, folder=out)

    def sweep(
        self,
        axes: Optional[Mapping[str, Sequence]] = None,
        *,
        replicates: Optional[int] = None,
        ticks: Optional[int] = None,
        threads: int = 0,
        out: Optional[str] = None,
        resume: bool = False,
        overwrite: bool = False,
        progress=None,
    ) -> "Sweep":
        """A grid over `axes`, or, without axes, the scenario file's own sweep block; run
        and tabulated by the code `buzzsim sweep` uses, so the tables are the CLI's, column
        for column. With `out` the sweep's folder is kept there (and `resume` continues it).

        `axes` maps each axis to its values: a field path to numbers
        ({"campaign.tone": [0.1, 0.9]}); a field path to an enum's names
        ({"campaign.regularity": ["REGULAR", "SPORADIC"]}); or a column name to built-in
        presets ({"voice": ["conversational", "broadcast"]}) or to presets of your own
        ({"voice": {"chatty": {"campaign.tone": 0.95}, "cold": {"campaign.tone": 0.05}}}).
        """
        if axes is None and self._file is None:
            raise InputError(
                f"{self._origin}: sweep without axes must be a scenario file with a sweep "
                "block, got a scenario from text; pass axes={path: values}"
            )
        if axes is not None and not axes:
            raise InputError("sweep: axes must name at least one field, got none")
        if resume and out is None and axes is not None:
            raise InputError("sweep: resume continues a sweep kept in a folder; pass out=")
        keep = out is not None or axes is None
        scratch = None if keep else tempfile.mkdtemp(prefix="buzzsim-sweep-")
        folder = (
            out if out is not None
            else os.path.join("runs", Path(self._file).stem + "-sweep") if axes is None
            else os.path.join(scratch, "sweep")
        )
        try:
            if axes is None:
                d = _core.sweep(
                    self._file, self._sets, replicates, ticks, threads, str(folder), resume,
                    overwrite, self._command_line("sweep"), _progress(progress, f"{self.name} sweep"),
                )
            else:
                d = _core.sweep_grid(
                    self._file or "", "" if self._file else self._text, self._origin,
                    self._base_dir, self._json, self._sets,
                    [_grid_axis(name, values) for name, values in axes.items()],
                    replicates, ticks, threads, str(folder), resume, overwrite,
                    self._command_line("sweep"), _progress(progress, f"{self.name} sweep"),
                )
            return Sweep(
                fields=list(d["fields"]),
                results=_read_table(os.path.join(folder, "results.csv")),
                points=_read_table(os.path.join(folder, "points.csv")),
                folder=str(folder) if keep else None,
            )
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)

    def _fit_folder(self, what: str, out: Optional[str]) -> str:
        """Where calibrate or backtest writes: `out`, or runs/<file stem>-<what>, as the
        command line does. Both read the scenario's file, so a scenario from text has none."""
        if self._file is None:
            raise InputError(
                f"{self._origin}: {what} must be a scenario file with a calibrate block, "
                "got a scenario from text"
            )
        suffix = "calibration" if what == "calibrate" else what
        return out or os.path.join("runs", Path(self._file).stem + "-" + suffix)

    def calibrate(
        self,
        *,
        out: Optional[str] = None,
        particles: Optional[int] = None,
        generations: Optional[int] = None,
        seed: Optional[int] = None,
        threads: int = 0,
        resume: bool = False,
        overwrite: bool = False,
    ) -> "Calibration":
        """Fits the scenario file's calibrate block to its observed data by ABC-SMC, as
        `buzzsim calibrate` does (docs/calibration.md), writing its folder to `out`."""
        folder = self._fit_folder("calibrate", out)
        d = _core.calibrate(
            self._file, self._sets, seed, particles, generations, threads, str(folder), resume,
            overwrite, self._command_line("calibrate"),
        )
        return Calibration(str(folder), d["table"])

    def backtest(
        self,
        *,
        out: Optional[str] = None,
        origins: Iterable[int] = (),
        horizon: int = 3,
        particles: Optional[int] = None,
        generations: Optional[int] = None,
        seed: Optional[int] = None,
        threads: int = 0,
        resume: bool = False,
        overwrite: bool = False,
    ) -> "Backtest":
        """Rolling-origin backtest of the scenario file's calibrate block, as `buzzsim
        backtest` does (docs/forecasting.md): fits the first k months for each origin k
        (default: every one the data allow) and forecasts the next `horizon`, beside
        carrying the last month forward and a regression baseline."""
        folder = self._fit_folder("backtest", out)
        d = _core.backtest(
            self._file, self._sets, seed, particles, generations, [int(k) for k in origins],
            int(horizon), threads, str(folder), resume, overwrite,
            self._command_line("backtest"),
        )
        return Backtest(str(folder), d["table"], d["origins"])

    def simulation(self, replicate: int = 0) -> "Simulation":
        """A stepping run of one replicate, for live notebooks."""
        return Simulation(self, replicate)


def load(path, *, sets: Iterable[str] = ()) -> Scenario:
    """A scenario file (protobuf text format)."""
    s = Scenario(file=path)
    for entry in sets:
        field, _, value = entry.partition("=")
        s.set(field, value)
    return s


def loads(text: str, *, base_dir=".", origin: str = "<text>") -> Scenario:
    """Scenario text; relative file paths in it start at `base_dir`."""
    return Scenario(text=text, origin=origin, base_dir=base_dir)


def from_dict(d: Mapping, *, base_dir=".", origin: str = "<dict>") -> Scenario:
    """A scenario as a dict, in protobuf's JSON mapping of proto/scenario.proto
    ({"ticks": 100, "graph": {"erdos_renyi": {"nodes": 1000, "mean_degree": 8}}, ...})."""
    return Scenario(json_text=json.dumps(d), origin=origin, base_dir=base_dir)


class Result:
    """One scenario's run: the tables `buzzsim run` writes, as DataFrames."""

    def __init__(self, *, name, dynamics, timeseries, summary, metrics, tables, provenance, folder):
        self.name = name
        self.dynamics = dynamics
        self.timeseries = timeseries  # a row per replicate and recorded tick
        self.summary = summary  # a row per metric: n, mean, sd, ci95_low, ci95_high (summary.json)
        self.metrics = metrics  # a row per replicate, a column per metric
        self.tables = tables  # the model's further tables by name
        self.provenance = provenance  # what reproduces the run
        self.folder = folder

    @classmethod
    def _from_texts(cls, d, folder=None) -> "Result":
        summary = json.loads(d["summary_json"])
        return cls(
            name=d["name"],
            dynamics=d["dynamics"],
            timeseries=_csv(d["timeseries_csv"]),
            summary=_summary_frame(summary),
            metrics=_metrics_frame(summary),
            tables={k: _csv(v) for k, v in d["tables"].items()},
            provenance=json.loads(d["provenance_json"]),
            folder=None if folder is None else str(folder),
        )

    def __repr__(self) -> str:
        n = len(self.metrics)
        return f"<buzzsim.Result {self.name!r}: {self.dynamics}, {n} replicates>"


def _summary_frame(summary: dict) -> pd.DataFrame:
    """summary.json's aggregate: a row per metric."""
    rows = [
        {"name": a["name"], "n": int(a.get("n", 0)),
         **{k: float(a.get(k, 0.0)) for k in ("mean", "sd", "ci95_low", "ci95_high")}}
        for a in summary.get("aggregate", [])
    ]
    frame = pd.DataFrame(rows, columns=["name", "n", "mean", "sd", "ci95_low", "ci95_high"])
    return frame.rename(columns={"name": "metric"}).set_index("metric")


def _metrics_frame(summary: dict) -> pd.DataFrame:
    rows = []
    for rep in summary.get("replicates", []):
        row = {"replicate": int(rep.get("replicate", 0))}
        row.update({m["name"]: float(m.get("value", 0.0)) for m in rep.get("metrics", [])})
        rows.append(row)
    return pd.DataFrame(rows)


class Comparison:
    """Scenarios run on common random numbers: compare.csv as a DataFrame, the verdicts in
    words, and each scenario's Result."""

    def __init__(self, d):
        self.table = _csv(d["compare_csv"])
        self.text = d["table"]
        self.verdicts = d["verdicts"]
        self.paired = bool(d["paired"])
        self.runs = [Result._from_texts(r) for r in d["runs"]]
        # Under uncertainty: per metric, the difference over the draws and its verdict
        # (uncertainty.csv), what drives it (sensitivity.csv), and every draw (draws.csv).
        self.uncertainty = _csv(d["uncertainty_csv"]) if "uncertainty_csv" in d else None
        self.sensitivity = _csv(d["sensitivity_csv"]) if "sensitivity_csv" in d else None
        self.draws = _csv(d["draws_csv"]) if "draws_csv" in d else None
        # With sobol=True: first-order and total-effect indices per metric and parameter.
        self.sobol = _csv(d["sobol_csv"]) if "sobol_csv" in d else None
        self.uncertainty_text = d.get("uncertainty_text", "")

    def __repr__(self) -> str:
        return self.text + "\n" + self.verdicts


class Calibration:
    """A calibration's folder read back: the posterior (a row per accepted particle, with
    its weight), the generations, the predictive bands and the errors against the naive
    baseline, and the scenario at the posterior median."""

    def __init__(self, folder: str, text: str = ""):
        f = Path(folder)
        self.folder = folder
        self.text = text or (f / "posterior.txt").read_text()
        self.posterior = _read_table(f / "posterior.csv")
        self.generations = _read_table(f / "generations.csv")
        self.predictive = _read_table(f / "predictive.csv")
        self.prediction = _read_table(f / "prediction.csv")
        self.posterior_file = str(f / "posterior.csv")
        self.calibrated = load(f / "calibrated.textproto")

    def __repr__(self) -> str:
        return self.text


class Backtest:
    """A backtest's folder read back: per origin and series the errors of the model and of
    both baselines, the months' sampling noise and the share of resamples in which the
    model beats carrying forward (`table`, backtest.csv); every month's forecast beside
    the data (`forecasts`); and each origin's calibration (`origin(k)`)."""

    def __init__(self, folder: str, text: str = "", origins: Iterable[int] = ()):
        f = Path(folder)
        self.folder = folder
        self.text = text or (f / "backtest.txt").read_text()
        self.table = _read_table(f / "backtest.csv")
        self.forecasts = _read_table(f / "forecasts.csv")
        self.origins = list(origins) or sorted(int(k) for k in self.table.origin_months.unique())

    def origin(self, months: int) -> Calibration:
        """The calibration fitted on the first `months` months."""
        if months not in self.origins:
            raise InputError(
                f"{self.folder}: no origin of {months} months; the backtest has {self.origins}"
            )
        return Calibration(str(Path(self.folder) / f"origin_{months}"))

    def __repr__(self) -> str:
        return self.text


class Sweep:
    """A sweep's results: a row per point and replicate, and a row per point."""

    def __init__(self, *, fields, results, points, folder):
        self.fields = fields
        self.results = results
        self.points = points
        self.folder = folder

    def __repr__(self) -> str:
        return f"<buzzsim.Sweep over {', '.join(self.fields)}: {len(self.points)} points>"


def compare(
    *scenarios: Scenario,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    ticks: Optional[int] = None,
    threads: int = 0,
    report: Optional[str] = None,
    progress=None,
    uncertainty: int = 0,
    posterior: Optional[str] = None,
    sobol: bool = False,
) -> Comparison:
    """Runs the scenarios on common random numbers, as `buzzsim compare` does: one seed and
    one replicate count for all, the first scenario's unless given. With `report`, writes
    report.html there.

    With `uncertainty` = N (scenario files only), also compares them on N draws of the
    campaign's parameters, from their priors or, with `posterior` (a calibration's
    posterior.csv), from the posterior, as `compare --uncertainty N [--posterior FILE]`
    does: Comparison.uncertainty then holds uncertainty.csv. With `sobol`, the draws follow
    Saltelli's design on base sample N, N (k + 2) of them for k parameters, as
    `compare --uncertainty N --sobol`: Comparison.sobol then holds sobol.csv."""
    if len(scenarios) == 1 and isinstance(scenarios[0], (list, tuple)):
        scenarios = tuple(scenarios[0])
    if len(scenarios) < 2:
        raise InputError(f"compare: scenarios must be at least 2, got {len(scenarios)}")
    first = scenarios[0]._with(seed, replicates, ticks)
    configs = [first] + [
        s._load(first.seed, first.replicates, ticks) for s in scenarios[1:]
    ]
    if uncertainty != 0 and not 8 <= uncertainty <= 100000:
        raise InputError(
            f"compare: uncertainty must be 0 (none) or from 8 to 100000 draws, got {uncertainty}"
        )
    if sobol and uncertainty == 0:
        raise InputError("compare: sobol needs uncertainty = N, the base sample, got 0")
    if sobol and posterior is not None:
        raise InputError(
            "compare: sobol draws independent parameters from their priors, so it cannot "
            f"take a posterior, got posterior={posterior!r}"
        )
    if posterior is not None and uncertainty == 0:
        uncertainty = 64  # as the command line: a posterior means draws
    d = _core.compare(
        configs,
        threads,
        "" if report is None else str(report),
        ["python: buzzsim compare"] + [s.file or s._origin for s in scenarios],
        _progress(progress, "compare"),
        [s.file or "" for s in scenarios],
        uncertainty,
        "" if posterior is None else os.fspath(posterior),
        [s.sets for s in scenarios],
        bool(sobol),
    )
    return Comparison(d)


def read(path) -> Result:
    """A run folder written by `buzzsim run` (or Scenario.run(out=...)), or its
    result.binpb: the same Result a run returns."""
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    binpb = folder / "result.binpb" if p.is_dir() else p
    if p.is_dir() and not binpb.exists():
        raise InputError(f"{p}: must be a run folder holding result.binpb, got a folder without it")
    result = json.loads(_core.result_json(str(binpb)))

    def text(name):
        f = folder / name
        return f.read_text() if f.exists() else ""

    summary_json = text("summary.json")
    summary = json.loads(summary_json) if summary_json else {}
    tables = {
        f.stem: _read_table(f)
        for f in sorted(folder.glob("*.csv"))
        if f.stem not in ("timeseries", "summary")
    }
    return Result(
        name=result.get("scenario", ""),
        dynamics=result.get("dynamics", ""),
        timeseries=_csv(text("timeseries.csv")) if (folder / "timeseries.csv").exists()
        else _timeseries_from_result(result),
        summary=_summary_frame(summary if summary else result),
        metrics=_metrics_frame(summary if summary else result),
        tables=tables,
        provenance=result.get("provenance", {}),
        folder=str(folder),
    )


def _timeseries_from_result(result: dict) -> pd.DataFrame:
    frames = []
    for rep in result.get("replicates", []):
        cols = {"replicate": int(rep.get("replicate", 0)), "tick": [int(t) for t in rep.get("ticks", [])]}
        for series in rep.get("series", []):
            cols[series["name"]] = [float(v) for v in series.get("values", [])]
        frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


class Simulation:
    """One replicate advanced tick by tick: read each agent's state, change the brand's
    settings or trigger an event between steps, as the viewer's sliders do."""

    def __init__(self, scenario: Scenario, replicate: int = 0):
        self.scenario = scenario
        self._sim = _core.Simulation(scenario._config, replicate)

    def step(self, ticks: int = 1) -> int:
        """Advances up to `ticks` ticks (not past the horizon); returns the tick reached."""
        if ticks < 0:
            raise InputError(f"step: ticks must be at least 0, got {ticks}")
        return self._sim.step(ticks)

    def run_to(self, tick: int) -> int:
        return self.step(max(0, tick - self._sim.tick))

    @property
    def tick(self) -> int:
        return self._sim.tick

    @property
    def horizon(self) -> int:
        return self._sim.horizon

    @property
    def done(self) -> bool:
        return self._sim.tick >= self._sim.horizon

    @property
    def state_names(self) -> list[str]:
        return self._sim.state_names

    def states(self) -> np.ndarray:
        """Each agent's state code, an index into state_names (uint8, one per agent)."""
        return self._sim.states()

    def state_counts(self) -> pd.Series:
        counts = np.bincount(self.states(), minlength=len(self.state_names))
        return pd.Series(counts[: len(self.state_names)], index=self.state_names, name="agents")

    def communities(self) -> np.ndarray:
        return self._sim.communities()

    @property
    def timeseries(self) -> pd.DataFrame:
        """A row per tick stepped so far (tick 0 first), a column per reporter."""
        frame = pd.DataFrame(self._sim.rows(), columns=self._sim.columns)
        ticks = np.asarray(self._sim.recorded_ticks)
        frame.insert(0, "tick", ticks)
        frame.insert(1, "day", ticks * self._sim.tick_hours / 24.0)
        return frame

    def controls(self) -> pd.DataFrame:
        return pd.DataFrame(self._sim.controls())

    def set_control(self, name: str, value: float) -> None:
        """Changes a running setting (e.g. "tone"); it acts from the next tick."""
        self._sim.set_control(name, float(value))

    def triggers(self) -> pd.DataFrame:
        return pd.DataFrame(self._sim.triggers())

    def trigger(self, name: str, size: Optional[float] = None) -> None:
        """Makes an event (e.g. "crisis") happen at the next tick."""
        self._sim.trigger(name, size)

    def describe(self, agent: int) -> str:
        return self._sim.describe(agent)

    def __repr__(self) -> str:
        return f"<buzzsim.Simulation {self.scenario.name!r} at tick {self.tick} of {self.horizon}>"
