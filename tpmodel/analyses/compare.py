"""Comparisons of scenarios (spec section 11).

`run_comparison(plan_comparison(["standard", "cautious"], draws=1000))`
(what `tpmodel.compare` calls) runs each scenario (its
central case and, with draws, its Monte Carlo) and returns a `Comparison`
with tidy pandas tables: `table` (comparison.csv, one row per scenario),
`by_lever`, `by_agency`, `by_place`, `net_by_year` and `single_offer`.
Writing the folder (one run folder per scenario, spec 8, comparison.csv,
comparison.xlsx, charts/*.png|svg and summary.json) is the outputs layer's:
`tpmodel.compare(..., out=...)`, in tpmodel/folders.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.axes import AGENCIES, LEVERS
from ..errors import InputError, Problem
from ..execution import map_tasks
from ..labels import scenario_order
from ..model import DEFAULT_SEED, RunResult, load_run_inputs
from ..params import default_params_dir, scenario_names
from ..version import __version__
from .runs import run
from .shapley import ShapleyResult, lever_shapley
from .uncertainty import check_correlations, headline_columns, summary_columns

SAFE_FOLDER = re.compile(r"[^A-Za-z0-9_-]+")


def folder_name(name: str) -> str:
    """A scenario name as a folder name: letters, digits, _ and - only."""
    return SAFE_FOLDER.sub("_", name).strip("_") or "scenario"


@dataclass
class Comparison:
    """Scenarios run side by side; each table has one row per scenario unless said otherwise."""

    runs: list[RunResult]
    draws: int
    seed: int
    started: str

    @property
    def names(self) -> list[str]:
        return [result.name for result in self.runs]

    @property
    def table(self) -> pd.DataFrame:
        """comparison.csv: scenario, description, the headline figures of spec 5 (npv, bcr, payback_year,
        npv_<lever>, npv_<agency>, npv_place_<place>, net_<year>, cumulative_net_<year>) and, with draws, the
        Shapley values of the levers (`shapley_columns`) and, with draws, the Monte Carlo summary
        (`uncertainty.summary_columns`) [GBP m unless the name says otherwise]."""
        rows = []
        for result in self.runs:
            central = headline_columns(result.simulation.outcome.headlines, result.years, result.places)
            row: dict[str, Any] = {"scenario": result.name, "description": result.resolved.description}
            row |= {key: float(values[0]) for key, values in central.items()}
            row |= shapley_columns(self.shapley[result.name])
            rows.append(row | summary_columns(result.monte_carlo))
        table = pd.DataFrame(rows)
        table["payback_year"] = table["payback_year"].astype("Int64")
        return table

    @cached_property
    def shapley(self) -> dict[str, ShapleyResult]:
        """Shapley values of the levers of each scenario's central case, by scenario name."""
        return {result.name: lever_shapley(result.resolved, result.places) for result in self.runs}

    def _wide(self, key: str, labels: Sequence[str] | None = None) -> pd.DataFrame:
        frame = pd.DataFrame([result.headlines[key] for result in self.runs], index=pd.Index(self.names))
        frame = frame[list(labels)] if labels is not None else frame
        return frame.rename_axis("scenario")

    @property
    def by_lever(self) -> pd.DataFrame:
        """npv by lever: one row per scenario, one column per lever [GBP m]."""
        return self._wide("npv_by_lever", LEVERS)

    @property
    def by_agency(self) -> pd.DataFrame:
        """npv by agency (who benefits): one row per scenario, one column per agency [GBP m]."""
        return self._wide("npv_by_agency", AGENCIES)

    @property
    def by_place(self) -> pd.DataFrame:
        """npv by place: one row per scenario, one column per place id [GBP m]."""
        return self._wide("npv_by_place")

    @property
    def cumulative_net(self) -> pd.DataFrame:
        """Cumulative net saving by year: one row per scenario, one column per year [GBP m]."""
        return self._wide("cumulative_net_by_year")

    @property
    def net_by_year(self) -> pd.DataFrame:
        """Net and cumulative net by year: one row per scenario and measure, one column per year [GBP m]."""
        parts = []
        for key, measure in (("net_by_year", "net"), ("cumulative_net_by_year", "cumulative net")):
            part = self._wide(key).reset_index()
            part.insert(1, "measure", measure)
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
        order = table["scenario"].map({name: i for i, name in enumerate(self.names)})
        return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)

    @property
    def single_offer(self) -> pd.DataFrame:
        """Single-offer places of every scenario, summed over the offer years: total cashable, target,
        retained, exchequer and shortfall [GBP m]; empty when no scenario has a single offer."""
        keys = ("total_cashable", "target", "retained", "exchequer", "shortfall")
        rows = [
            {"scenario": result.name, "place": place, "years": len(by_year)}
            | {key: sum(year[key] for year in by_year.values()) for key in keys}
            for result in self.runs
            for place, by_year in result.single_offer_summary().items()
        ]
        return pd.DataFrame(rows, columns=["scenario", "place", "years", *keys])

    def bands(self) -> dict[str, tuple[list[float], list[float]]]:
        """Monte Carlo p5 and p95 of cumulative net by year, per scenario with draws."""
        out = {}
        for result in self.runs:
            if result.monte_carlo:
                keys = [f"cumulative_net_{year}" for year in result.years]
                out[result.name] = (
                    [result.monte_carlo[k]["p5"] for k in keys],
                    [result.monte_carlo[k]["p95"] for k in keys],
                )
        return out

    def expected_values(self) -> dict[str, dict[str, float]]:
        """With draws, each scenario's central npv beside its expected npv (mean of the draws), p5, p95
        [GBP m] and P(npv > 0) [share]; empty without draws."""
        return {
            result.name: {
                "npv": result.headlines["npv"],
                "expected_npv": result.monte_carlo["npv"]["mean"],
                "npv_p5": result.monte_carlo["npv"]["p5"],
                "npv_p95": result.monte_carlo["npv"]["p95"],
                "probability_npv_positive": result.monte_carlo["probability_npv_positive"],
            }
            for result in self.runs
            if result.monte_carlo
        }

    def summary(self) -> dict[str, Any]:
        """summary.json of a comparison: the scenarios, their folders, headlines, with draws the expected
        values (`expected_values`), and provenance (spec 11)."""
        return {
            "scenarios": self.names,
            "folders": {result.name: folder_name(result.name) for result in self.runs},
            "units": "GBP m, real 2010-11 prices; npv discounted to 2010-11",
            "headlines": {result.name: result.headlines for result in self.runs},
            "expected_values": self.expected_values() or None,
            "shapley": {name: result.summary() for name, result in self.shapley.items()},
            "provenance": {
                "tpmodel_version": __version__,
                "seed": self.seed,
                "draws": self.draws,
                "run_time": self.started,
                "scenario_files": {result.name: result.resolved.file for result in self.runs},
                "parameters": {result.name: result.resolved.tree() for result in self.runs},
            },
        }


def shapley_columns(result: ShapleyResult) -> dict[str, float]:
    """comparison.csv's Shapley columns: <measure>_shapley_<lever> and <measure>_interaction for npv and
    cashable saving (`analyses.shapley`) [GBP m]."""
    row = {}
    for measure in ("npv", "cashable"):
        row |= {f"{measure}_shapley_{lever}": value for lever, value in result.values(measure).items()}
        row[f"{measure}_interaction"] = result.interaction(measure)
    return row


def run_task(task: tuple[str, int, int, Sequence[str], Path, Callable[[RunResult], None] | None]) -> RunResult:
    """Run one scenario and hand it to `each` if given (picklable task for workers)."""
    name, draws, seed, sets, params_dir, each = task
    result = run(name, draws, seed, sets, params_dir=params_dir)
    if each is not None:
        each(result)
    return result


@dataclass(frozen=True)
class ComparisonPlan:
    """A comparison whose scenarios have all been resolved and checked, ready to run."""

    names: list[str]
    draws: int
    seed: int
    sets: tuple[str, ...]
    params_dir: Path
    workers: int
    started: str


def plan_comparison(
    scenarios: Sequence[str] | None = None,
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    workers: int | None = None,
) -> ComparisonPlan:
    """Resolve and check every scenario (all of params/scenarios/ when `scenarios` is empty, baseline,
    cautious, standard and ambitious first, `labels.scenario_order`) before any runs.

    All problems are raised together as one `InputError`: a scenario that does not
    resolve, bad correlations (with draws), two scenarios with one name, no scenarios.
    """
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    folder = Path(params_dir) if params_dir else default_params_dir()
    names = list(scenarios) if scenarios else scenario_order(scenario_names(folder))
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name in names:
        try:
            resolved, _ = load_run_inputs(name, sets, params_dir=folder)
            check_correlations(resolved)
        except InputError as error:
            problems += error.problems
            continue
        key = folder_name(resolved.name)
        if key in seen:
            problems.append(Problem(resolved.file, "name", f"'{resolved.name}' is also the name of {seen[key]}; "
                                    "each scenario of a comparison needs its own name"))  # fmt: skip
        seen[key] = resolved.file
    if not names:
        problems.append(Problem(str(folder / "scenarios"), "", "no scenarios to compare"))
    if problems:
        raise InputError(problems)
    return ComparisonPlan(names, draws, seed, tuple(sets), folder, workers or os.cpu_count() or 1, started)


def run_comparison(
    plan: ComparisonPlan, progress: bool = False, each: Callable[[RunResult], None] | None = None
) -> Comparison:
    """Run the planned scenarios in `plan.workers` processes and compare them.

    each: called with every scenario's result in the worker that ran it (a
    picklable callable; the outputs layer writes the run folder there). The
    numbers do not depend on the number of workers.
    """
    tasks = [(name, plan.draws, plan.seed, plan.sets, plan.params_dir, each) for name in plan.names]
    runs = map_tasks(run_task, tasks, plan.workers, None, progress, "scenario")
    return Comparison(runs, plan.draws, plan.seed, plan.started)
